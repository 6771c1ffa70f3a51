"""Acceptance of the walking skeleton on the reference case report (fixtures/calcinosis_cutis.pdf):
every item the issue lists, checked on the bundle the PDF gives."""
import base64
import re

import pytest

from tests.conftest import resources

DERIV = "http://hl7.org/fhir/StructureDefinition/derivation-reference"
LOINC, ICD, SCT, UCUM = "http://loinc.org", "http://hl7.org/fhir/sid/icd-10-cm", "http://snomed.info/sct", "http://unitsofmeasure.org"


def text_of(bundle):
    doc = resources(bundle, "DocumentReference")[0]
    return base64.b64decode(doc["content"][0]["attachment"]["data"]).decode("utf-8")


def name(r):
    cc = r.get("code") or r.get("medicationCodeableConcept") or {}
    return (cc.get("text") or "").lower()


def codes(r, system):
    cc = r.get("code") or r.get("medicationCodeableConcept") or {}
    return [c["code"] for c in cc.get("coding", []) if c["system"] == system]


def ver(r):
    return (r.get("verificationStatus") or {}).get("coding", [{}])[0].get("code")


def interp(r):
    return [c["code"] for i in r.get("interpretation", []) for c in i["coding"]]


def find(items, pattern):
    hits = [r for r in items if re.search(pattern, name(r))]
    assert hits, f"nothing named like {pattern!r} in {[name(r) for r in items]}"
    return hits


def test_patient(seed_bundle):
    assert resources(seed_bundle, "Patient")[0]["gender"] == "female"
    age = [o for o in resources(seed_bundle, "Observation") if "30525-0" in codes(o, LOINC)]
    assert len(age) == 1 and age[0]["valueQuantity"]["value"] == 69 and age[0]["valueQuantity"]["code"] == "a"


@pytest.mark.parametrize("pattern", [r"^myalgia", r"proximal muscle weakness", r"^dysphagia", r"^weight loss",
                                     r"^erythema", r"^paresthesia", r"ulcer"])
def test_conditions_present_and_confirmed(seed_bundle, pattern):
    hits = find(resources(seed_bundle, "Condition"), pattern)
    assert any(ver(h) == "confirmed" for h in hits)


def test_dermatomyositis_coded_with_onset(seed_bundle):
    dm = find(resources(seed_bundle, "Condition"), r"^dermatomyositis")[0]
    assert any(re.match(r"M33\.[19]", c) for c in codes(dm, ICD)), codes(dm, ICD)
    assert dm["onsetAge"]["value"] == 51 and dm["onsetAge"]["code"] == "a"


def test_calcinosis_cutis_coded(seed_bundle):
    cc = find(resources(seed_bundle, "Condition"), r"^calcinosis cutis")[0]
    assert "L94.2" in codes(cc, ICD)


def test_no_condition_from_negated_or_literature_text(seed_bundle):
    for r in resources(seed_bundle, "Condition"):
        if re.search(r"necrotic|cancer", name(r)):
            assert ver(r) == "refuted", name(r)
        assert not re.search(r"systemic infection|limited joint motion|anti-?jo", name(r)), name(r)


@pytest.mark.parametrize("pattern,value,unit,loinc", [
    (r"creatine kinase|^ck$", 952, "U/L", "2157-6"),
    (r"myoglobin", 595, "ng/mL", None),
    (r"aldolase", 10.7, "U/L", None),
    (r"lactate dehydrogenase|^ldh$", 863, "U/L", None),
    (r"aspartate|^ast$", 109, "U/L", "1920-8"),
    (r"alanine|^alt$", 62, "U/L", "1742-6"),
])
def test_lab_values_high(seed_bundle, pattern, value, unit, loinc):
    obs = find(resources(seed_bundle, "Observation"), pattern)
    o = [x for x in obs if float(x.get("valueQuantity", {}).get("value", -1)) == value]
    assert o, [x.get("valueQuantity") for x in obs]
    q = o[0]["valueQuantity"]
    assert q["unit"] == unit and q["system"] == UCUM and q["code"] == unit
    assert interp(o[0]) == ["H"]
    if loinc:
        assert loinc in codes(o[0], LOINC)


@pytest.mark.parametrize("pattern,result", [(r"antinuclear|^ana$", "10828004"), (r"ssa|ro52|ro-52", "10828004"),
                                            (r"jo-?1", "260385009")])
def test_qualitative_antibodies(seed_bundle, pattern, result):
    o = find(resources(seed_bundle, "Observation"), pattern)[0]
    assert o["valueCodeableConcept"]["coding"][0]["code"] == result


@pytest.mark.parametrize("pattern", [r"c-reactive|^crp$", r"sedimentation|^esr$", r"thyroid"])
def test_normal_labs(seed_bundle, pattern):
    assert interp(find(resources(seed_bundle, "Observation"), pattern)[0]) == ["N"]


def _dose(ms):
    d = ms["dosage"][0]
    q = d["doseAndRate"][0]["doseQuantity"]
    return q["value"], q["code"], d.get("timing", {}).get("repeat", {})


def test_medications(seed_bundle):
    meds = resources(seed_bundle, "MedicationStatement")
    pred = find(meds, r"prednisolone")
    assert len(pred) == 1 and _dose(pred[0])[:2] == (60, "mg") and _dose(pred[0])[2]["frequency"] == 1
    aza = find(meds, r"azathioprine")[0]
    v, u, rep = _dose(aza)
    assert (v, u, rep["frequency"], rep["period"], rep["periodUnit"]) == (50, "mg", 2, 1, "d")
    ivig = find(meds, r"immunoglobulin|ivig")
    assert len(ivig) == 1
    v, u, rep = _dose(ivig[0])
    assert (v, u) == (400, "mg/kg/d")
    assert rep["boundsDuration"]["value"] == 5 and rep["boundsDuration"]["code"] == "d"
    assert ivig[0]["dosage"][0]["route"]["coding"][0]["code"] == "47625008"
    pam = find(meds, r"pamidronate")[0]
    v, u, rep = _dose(pam)
    assert (v, u, rep["periodUnit"], rep["boundsDuration"]["value"], rep["boundsDuration"]["code"]) == (60, "mg", "mo", 1, "a")


def test_no_medication_from_the_discussion(seed_bundle):
    for r in resources(seed_bundle, "MedicationStatement"):
        assert not re.search(r"thiosulfate|bisphosphonate|diltiazem|colchicine|minocycline|rituximab", name(r)), name(r)


def test_every_derivation_slices_to_the_fact_words(seed_bundle):
    text = text_of(seed_bundle)
    n = 0
    for e in seed_bundle["entry"]:
        r = e["resource"]
        for ext in r.get("extension", []) + r.get("_status", {}).get("extension", []):  # _status: a stop's mention
            if ext["url"] != DERIV:
                continue
            sub = {x["url"]: x for x in ext["extension"]}
            assert sub["reference"]["valueReference"]["reference"].startswith("urn:uuid:")
            piece = text[sub["offset"]["valueInteger"]:sub["offset"]["valueInteger"] + sub["length"]["valueInteger"]]
            assert piece.strip() and piece == piece.strip()
            n += 1
            if r["resourceType"] in ("Condition", "MedicationStatement"):
                words = set(re.findall(r"[a-z]+", piece.lower()))
                abbreviation = any(ch.isupper() for ch in piece[1:])
                assert abbreviation or words & set(re.findall(r"[a-z]+", name(r))), (piece, name(r))
    assert n >= 25


def test_every_mention_has_page_and_box_inside_the_page(seed_bundle):
    for r in resources(seed_bundle, "Condition") + resources(seed_bundle, "MedicationStatement"):
        locs = [e for e in r["extension"] if e["url"].endswith("source-location")]
        assert locs, name(r)
        for loc in locs:
            sub = {x["url"]: list(x.values())[1] for x in loc["extension"]}
            assert sub["page"] in (1, 2)
            assert 0 <= sub["x0"] < sub["x1"] <= 595.3 and 0 <= sub["top"] < sub["bottom"] <= 842
