"""Units and values of converted bundles (issue 7): every coded Quantity is UCUM, checked with a UCUM
library (ucumvert), and no number is silently changed on its way from the text into
Observation.valueQuantity ("952" stays 952, "45,000" is 45000).

Sample: the first 40 texts of the dev set (skipped without ../shared) and the reference PDF."""
from __future__ import annotations

import base64
import json
import re
from decimal import Decimal, InvalidOperation

import pytest

from tests.shared import shared_path

ucumvert = pytest.importorskip("ucumvert")

UCUM = "http://unitsofmeasure.org"
DERIVATION = "http://hl7.org/fhir/StructureDefinition/derivation-reference"
CURATED_RANGE = "curated case2fhir table"  # referenceRange.text of ranges not stated in the source
N_DEV = 40


# ------------------------------------------------------------------ helpers
@pytest.fixture(scope="module")
def ucum_ok():
    """code -> True when UCUM. ucumvert's parser (lark grammar built from ucum-essence) decides
    syntax and atoms; ``from_ucum`` also maps to pint, which lacks a few valid atoms (``[pH]``
    raises a VisitError, not InvalidUcumError): for those the grammar alone decides."""
    reg = ucumvert.PintUcumRegistry()
    parser = ucumvert.get_ucum_parser()
    cache: dict[str, bool] = {}

    def check(code: str) -> bool:
        if code not in cache:
            try:
                reg.from_ucum(code)
                cache[code] = True
            except ucumvert.InvalidUcumError:
                cache[code] = False
            except Exception:  # noqa: BLE001 - pint has no definition; the grammar decides
                try:
                    parser.parse(code)
                    cache[code] = True
                except Exception:  # noqa: BLE001
                    cache[code] = False
        return cache[code]

    return check


def quantities(node, path=""):
    """(path, element) of every Quantity-like element (Quantity, Age, Duration, SimpleQuantity):
    a dict with value or unit that is not a CodeableConcept/Coding."""
    if isinstance(node, dict):
        if ("value" in node or "unit" in node) and "coding" not in node and "url" not in node \
                and not isinstance(node.get("value"), (str, dict, list)):
            yield path, node
        for k, v in node.items():
            yield from quantities(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list):
        for v in node:
            yield from quantities(v, path)


def source_texts(bundle: dict) -> dict[str, str]:
    """fullUrl of each DocumentReference -> its decoded text/plain attachment."""
    out = {}
    for e in bundle["entry"]:
        r = e["resource"]
        if r["resourceType"] != "DocumentReference":
            continue
        for c in r.get("content", []):
            a = c.get("attachment", {})
            if a.get("contentType", "").startswith("text/plain") and "data" in a:
                out[e["fullUrl"]] = base64.b64decode(a["data"]).decode("utf-8")
    return out


def derived_spans(resource: dict, texts: dict[str, str]) -> list[str]:
    out = []
    for ext in resource.get("extension", []):
        if ext.get("url") != DERIVATION:
            continue
        sub = {s["url"]: s for s in ext.get("extension", [])}
        text = texts.get(sub.get("reference", {}).get("valueReference", {}).get("reference"))
        if text is None or "offset" not in sub or "length" not in sub:
            continue
        off = sub["offset"]["valueInteger"]
        out.append(text[off:off + sub["length"]["valueInteger"]])
    return out


_SPACES = "\u2009\u202f\u2005\u200a\u00a0 "
_COMMA_K = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_SPACE_K = rf"\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:\.\d+)?"
_NUM = re.compile(rf"{_COMMA_K}|{_SPACE_K}|\d+(?:[.,]\d+)?|[.,]\d+")
_MINUS = "-\u2212"
_DASH = "\u2013\u2014"


def numbers_in(text: str) -> set[Decimal]:
    """Every number the text states, thousands separators stripped: "45,000" -> 45000 (never 45),
    "12 000" / "200\u2005000" -> 12000 / 200000 (and the single groups, since a space also
    separates list items), "10,7" -> 10.7 (a decimal comma when not followed by three digits).
    A minus right before the digits (not after a letter or digit, so not a range "12-16") makes
    it negative; an en/em dash in that place may be either sign."""
    out: set[Decimal] = set()
    for m in _NUM.finditer(text):
        tok = m.group()
        if re.fullmatch(_COMMA_K, tok):
            mags = {tok.replace(",", "")}
        elif re.fullmatch(_SPACE_K, tok):
            mags = {re.sub(f"[{_SPACES}]", "", tok)} | set(re.split(f"[{_SPACES}]", tok))
        else:
            mags = {tok.replace(",", ".")}
        before = text[m.start() - 1] if m.start() else ""
        before2 = text[m.start() - 2] if m.start() > 1 else ""
        signs = {1}
        if before and before in _MINUS + _DASH and not before2.isalnum():
            signs = {-1} if before in _MINUS else {1, -1}
        for mag in mags:
            try:
                d = Decimal(mag if not mag.startswith(".") else "0" + mag)
            except InvalidOperation:
                continue
            out |= {d * s for s in signs}
    return out


def test_numbers_in():
    assert numbers_in("platelets 45,000/µL") == {Decimal(45000)}
    assert numbers_in("CK 952 U/L") == {Decimal(952)}
    assert Decimal("10.7") in numbers_in("Hb 10.7 g/dL")
    assert Decimal(200000) in numbers_in("greater than 200\u2005000\u2005mIU/L")
    assert Decimal(12000) in numbers_in("12 000 IU/mL")
    assert numbers_in("base excess −3") == {Decimal(-3)}
    assert numbers_in("12-16 g/dL") == {Decimal(12), Decimal(16)}
    assert numbers_in("1,5 mg") == {Decimal("1.5")}


# ------------------------------------------------------------------ the sample
@pytest.fixture(scope="module")
def sample(converter, seed_bundle):
    path = shared_path("eval", "maccrobat_dev.jsonl")
    docs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                docs.append(json.loads(line))
            if len(docs) == N_DEV:
                break
    out = [(d["id"], converter.text_to_dict(d["text"], source_id=d["id"])) for d in docs]
    return out + [("calcinosis_cutis.pdf", seed_bundle)]


def _where(bid, resource, path):
    return f"{bid} {resource['resourceType']}/{resource.get('id', '?')[:8]} {path}"


def test_coded_quantities_are_ucum(sample, ucum_ok):
    seen, bad = {}, []
    for bid, bundle in sample:
        for e in bundle["entry"]:
            r = e["resource"]
            for path, q in quantities(r, r["resourceType"]):
                if "code" not in q:
                    continue
                seen[path] = seen.get(path, 0) + 1
                if q.get("system") != UCUM or not ucum_ok(q["code"]):
                    bad.append((_where(bid, r, path), q.get("system"), q["code"], q.get("unit")))
    assert not bad, bad
    # the walk reaches the elements issue 7 names (the sample has each of them)
    for path in ("Observation.valueQuantity", "Observation.referenceRange.low", "Observation.referenceRange.high",
                 "Observation.component.valueQuantity", "MedicationStatement.dosage.doseAndRate.doseQuantity",
                 "Condition.onsetAge"):
        assert seen.get(path), (path, seen)


# Every Quantity with a unit carries its UCUM code. Spellings once missing and now mapped: "24 million
# units" (10*6.U), "times/min", "mg per square meter", "Wood units", "mmH2O", "leukocytes/µL".
def test_quantities_with_unit_have_ucum_code(sample):
    uncoded = []
    for bid, bundle in sample:
        for e in bundle["entry"]:
            r = e["resource"]
            for path, q in quantities(r, r["resourceType"]):
                if q.get("unit") and "code" not in q:
                    uncoded.append((_where(bid, r, path), q.get("value"), q["unit"]))
    assert not uncoded, uncoded


def test_observation_values_stated_in_source(sample):
    """valueQuantity (and component valueQuantity) values are numbers the text states at one of
    the Observation's derivation-reference spans; stated reference ranges are in their text."""
    checked, bad = 0, []
    for bid, bundle in sample:
        texts = source_texts(bundle)
        for e in bundle["entry"]:
            r = e["resource"]
            if r["resourceType"] != "Observation":
                continue
            qs = [("valueQuantity", r["valueQuantity"])] if "valueQuantity" in r else []
            qs += [("component.valueQuantity", c["valueQuantity"]) for c in r.get("component", []) if "valueQuantity" in c]
            if qs:
                spans = derived_spans(r, texts)
                stated = set().union(*(numbers_in(s) for s in spans)) if spans else set()
                for path, q in qs:
                    if q.get("value") is None:
                        continue
                    checked += 1
                    if Decimal(str(q["value"])) not in stated:
                        bad.append((_where(bid, r, path), r.get("code", {}).get("text"), q["value"], spans))
            for rr in r.get("referenceRange", []):
                text = rr.get("text") or ""
                if CURATED_RANGE in text:
                    continue
                for k in ("low", "high"):
                    if k in rr and rr[k].get("value") is not None:
                        checked += 1
                        if Decimal(str(rr[k]["value"])) not in numbers_in(text):
                            bad.append((_where(bid, r, f"referenceRange.{k}"), r.get("code", {}).get("text"),
                                        rr[k]["value"], [text]))
    assert checked > 100
    assert not bad, bad


# ------------------------------------------------------------------ terminology unit spellings
SPELLINGS = [
    "mg/dl", "mg/dL", "mmol/L", "mmol/l", "µmol/L", "μmol/l", "x10^9/L", "×10^9/L", "× 10^9/L", "10^3/µL",
    "x 10^3/uL", "10^6/mm3", "IU/L", "mIU/mL", "µIU/mL", "µg/mL", "mcg/mL", "mg/kg/day", "mg/m2", "mg/day",
    "%", "U/L", "ng/mL", "pg/ml", "g/dL", "g/l", "mEq/L", "mm/h", "mm/hr", "mmHg", "mm Hg", "cmH2O",
    "beats/min", "bpm", "breaths/min", "°C", "°F", "kg/m2", "fL", "seconds", "mL/min/1.73 m2", "cells/µL",
    "mOsm/kg", "years", "months", "weeks", "days", "hours", "percent", "dyne・sec・cm-5", "dyn·s·cm-5", "mm/m2",
    "mL/m2", "W", "watts", "SD", "z-score", "mm of Hg", "µV", "mV", "cm H2O/µV",
]
# spelled out in dev texts: mapped now
SPELLED_OUT = ["mg per square meter", "million units", "times/min", "mg per deciliter", "milligrams/deciliter", "grams per deciliter", "ng per milliliter",
               "microgram/kilogram", "milligrams", "×10^3 cells/µL"]
# still not mapped (see test_quantities_with_unit_have_ucum_code)
NOT_YET: list[str] = []


@pytest.fixture(scope="module")
def T():
    from converter.terminology import get_terminology

    return get_terminology()


@pytest.mark.parametrize("written", SPELLINGS)
def test_unit_spelling_is_ucum(T, ucum_ok, written):
    got = T.unit(written)
    assert got is not None, written
    assert ucum_ok(got[0]), (written, got)


@pytest.mark.parametrize("written", SPELLED_OUT + [pytest.param(w, marks=pytest.mark.xfail(
    strict=True, reason="terminology gap: spelled-out unit not mapped")) for w in NOT_YET])
def test_spelled_out_unit_is_ucum(T, ucum_ok, written):
    got = T.unit(written)
    assert got is not None, written
    assert ucum_ok(got[0]), (written, got)


def test_ucum_checker_rejects_non_ucum(ucum_ok):
    for code in ("IU/L", "mmHg", "beats/min", "x10^9/L", "mcg", "degC"):
        assert not ucum_ok(code), code
    for code in ("a", "mo", "wk", "d", "10*9/L", "[IU]/L", "mm[Hg]", "Cel", "mL/min/{1.73_m2}", "[pH]"):
        assert ucum_ok(code), code
