"""Facts -> FHIR R4 resources -> Bundle (fhir.resources R4B models, emitted as R4 JSON).

Knows nothing of PDFs: the source is a ``SourceDocument`` (hash, title, text, optional page count),
and a mention's page boxes are plain numbers carried by the facts. Ids are uuid5 of the document
hash and the fact, so the same input gives byte-identical output."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .. import __version__
from ..facts import ConditionFact, Facts, LabFact, MedicationFact, Mention, range_interpretation
from ..resources import load_json

_WS = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def clean(s: str | None) -> str | None:
    """FHIR strings allow no Unicode spaces but the plain one: fold them (the document text keeps them)."""
    if s is None:
        return None
    s = _WS.sub(" ", s).strip()
    return s or None


@dataclass
class SourceDocument:
    sha256: str
    text: str
    title: str | None = None
    pages: int | None = None
    media_type: str = "application/pdf"
    name: str | None = None


@dataclass
class BundleOptions:
    bundle_type: str = "collection"  # or "transaction"
    recorded: str | None = None  # Provenance.recorded; default: SOURCE_DATE_EPOCH or the epoch
    include_family: bool = True
    extra: dict = field(default_factory=dict)


@lru_cache(maxsize=1)
def cfg() -> dict:
    return _check_cfg(load_json("fhir.json"))


def derivation_spans(resource: dict, element: str | None = None) -> list[tuple[int, int]]:
    """(offset, length) of the derivation-reference extensions of a resource as written by BundleBuilder, or
    of one of its primitive elements (``element="status"``: the ``_status`` extensions, the mention that
    stopped a drug). Extensions without integer offset and length are passed over."""
    url = cfg()["extensions"]["derivation"]
    out = []
    exts = resource.get("extension") if element is None else (resource.get(f"_{element}") or {}).get("extension")
    for ext in exts or ():
        if ext.get("url") != url:
            continue
        sub = {x.get("url"): x.get("valueInteger") for x in ext.get("extension") or ()}
        if isinstance(sub.get("offset"), int) and isinstance(sub.get("length"), int):
            out.append((sub["offset"], sub["length"]))
    return out


# the shape of mappings/fhir.json: key -> (type of the value, type of each entry of a dict value or None)
_CFG_SHAPE = {"base_url": (str, None), "id_namespace": (str, None), "systems": (dict, str), "extensions": (dict, str),
              "age": (dict, str), "age_units": (dict, str), "qualitative": (dict, dict), "interpretation": (dict, str),
              "blood_pressure": (dict, dict), "duration_units": (dict, str), "observation_categories": (dict, str),
              "dose_units": (dict, None)}


def _check_cfg(d) -> dict:
    from ..errors import MappingError

    where = "mappings/fhir.json"
    if not isinstance(d, dict):
        raise MappingError(f"{where}: expected an object")
    for key, (kind, entry) in _CFG_SHAPE.items():
        v = d.get(key)
        if not isinstance(v, kind) or not v:
            raise MappingError(f"{where}: {key!r} must be a non-empty {kind.__name__}")
        if entry is not None and not all(isinstance(k, str) and isinstance(x, entry) and x for k, x in v.items()):
            raise MappingError(f"{where}: every entry of {key!r} must be a non-empty {entry.__name__}")
    try:
        uuid.UUID(d["id_namespace"])
    except ValueError as exc:
        raise MappingError(f"{where}: id_namespace is no UUID") from exc
    for key in ("systems", "extensions"):
        bad = [k for k, url in d[key].items() if not re.match(r"https?://\S+$", url)]
        if bad:
            raise MappingError(f"{where}: {key} {bad} must be http(s) URLs")
    for key in ("age", *(f"qualitative.{k}" for k in d["qualitative"]), *(f"blood_pressure.{k}" for k in d["blood_pressure"])):
        node = d[key] if "." not in key else d[key.split(".")[0]][key.split(".")[1]]
        if not (isinstance(node.get("code"), str) and node["code"] and isinstance(node.get("display"), str)):
            raise MappingError(f"{where}: {key} needs a code and a display")
    codes = d["dose_units"].get("codes")
    if not (isinstance(codes, dict) and codes and all(isinstance(k, str) and k.strip() and isinstance(v, str) and v
                                                      for k, v in codes.items())):
        raise MappingError(f"{where}: dose_units.codes must map unit words to UCUM codes")
    return {**d, "_dose_units": {k.strip().lower(): v for k, v in codes.items()}}


def _ns() -> uuid.UUID:
    return uuid.UUID(cfg()["id_namespace"])


_NS_BYTES: dict[str, bytes] = {}


def rid(doc: SourceDocument, *parts) -> str:
    ns = cfg()["id_namespace"]
    b = _NS_BYTES.get(ns)
    if b is None:
        b = _NS_BYTES[ns] = uuid.UUID(ns).bytes
    return uuid5_str(b, "|".join([doc.sha256] + [str(p) for p in parts]))


def uuid5_str(namespace: bytes, name: str) -> str:
    """str(uuid.uuid5(UUID(bytes=namespace), name)) without building UUID objects (a document makes
    hundreds of ids): SHA-1 of namespace + name, version 5 and the RFC 4122 variant set in its first 16 bytes."""
    h = bytearray(hashlib.sha1(namespace + name.encode("utf-8")).digest()[:16])
    h[6] = (h[6] & 0x0F) | 0x50
    h[8] = (h[8] & 0x3F) | 0x80
    x = h.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def _dec(value: float | None, text: str | None = None):
    """A JSON number that keeps what was written (952 stays 952, "45,000" is 45000)."""
    if value is None:
        return None
    if text:
        try:
            d = Decimal(text.replace(",", "").replace("\u2009", "").strip())
            if d == Decimal(str(value)) or abs(float(d) - value) < 1e-9:
                return int(d) if d == d.to_integral_value() and "." not in text else d
        except InvalidOperation:
            pass
    return int(value) if float(value).is_integer() else Decimal(repr(value))


def _recorded(opts: BundleOptions) -> str:
    import datetime as dt
    import os

    if opts.recorded:
        return opts.recorded
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class BundleBuilder:
    def __init__(self, terminology=None):
        from ..terminology import get_terminology

        self.T = terminology or get_terminology()
        self.c = cfg()
        self.sys = self.c["systems"]
        self.ext = self.c["extensions"]

    # ------------------------------------------------------------ helpers
    def _ref(self, res_id: str) -> dict:
        return {"reference": f"urn:uuid:{res_id}"}

    def _provenance_ext(self, doc_id: str, mentions: list[Mention]) -> list[dict]:
        """A derivation-reference extension per mention, then a source-location extension per page box of each."""
        return self._derivation_ext(doc_id, mentions) + self._location_ext(mentions)

    def _derivation_ext(self, doc_id: str, mentions: list[Mention]) -> list[dict]:
        """A derivation-reference extension per mention: the document and the characters read."""
        return [{"url": self.ext["derivation"], "extension": [
            {"url": "reference", "valueReference": self._ref(doc_id)},
            {"url": "offset", "valueInteger": m.start},
            {"url": "length", "valueInteger": m.end - m.start}]} for m in mentions]

    def _location_ext(self, mentions: list[Mention]) -> list[dict]:
        """A source-location extension per page box of each mention (PDF input only)."""
        return [{"url": self.ext["location"], "extension": [
            {"url": "offset", "valueInteger": m.start},
            {"url": "length", "valueInteger": m.end - m.start},
            {"url": "page", "valueInteger": int(page)},
            {"url": "x0", "valueDecimal": _dec(round(box[0], 2))},
            {"url": "top", "valueDecimal": _dec(round(box[1], 2))},
            {"url": "x1", "valueDecimal": _dec(round(box[2], 2))},
            {"url": "bottom", "valueDecimal": _dec(round(box[3], 2))}]} for m in mentions for page, box in m.boxes]

    def _concept_cc(self, concept_id: str | None, text: str, prefer: tuple[str, ...] = ()) -> dict:
        cc: dict = {"text": clean(text)}
        if concept_id:
            codings = [c.to_fhir() for c in self.T.concept(concept_id).codings if c.system in _STANDARD]
            if prefer:
                codings.sort(key=lambda c: prefer.index(c["system"]) if c["system"] in prefer else len(prefer))
            if codings:
                for c in codings:
                    if c.get("display"):
                        c["display"] = clean(c["display"])
                cc["coding"] = codings
        return cc

    def _quantity(self, value, value_text, unit_text, dose: bool = False) -> dict | None:
        v = _dec(value, value_text)
        if v is None:
            return None
        q: dict = {"value": v}
        if unit_text:
            q["unit"] = clean(unit_text)
            # a dose in plain "units" (heparin, insulin) is in international units: UCUM's U is the enzyme unit
            code = self.c["_dose_units"].get(unit_text.strip().lower()) if dose else None
            u = (code,) if code else self.T.unit(unit_text)
            if u:
                q["system"], q["code"] = self.sys["ucum"], u[0]
        return q

    def _assertion_ext(self, labels: list[str]) -> list[dict]:
        return [{"url": self.ext["assertion"], "valueCode": lab} for lab in labels]

    # ------------------------------------------------------------ resources
    def patient(self, doc, facts: Facts, pid: str) -> dict:
        res = {"resourceType": "Patient", "id": pid}
        if facts.patient.sex in ("female", "male"):
            res["gender"] = facts.patient.sex
        return res

    def age(self, doc, facts: Facts, pid: str, doc_id: str) -> dict | None:
        p = facts.patient
        if p.age_value is None:
            return None
        unit = p.age_unit or "a"
        res = {"resourceType": "Observation", "id": rid(doc, "age"), "status": "final",
               "code": {"coding": [{"system": self.sys["loinc"], "code": self.c["age"]["code"],
                                    "display": self.c["age"]["display"]}], "text": "Age"},
               "subject": self._ref(pid),
               "valueQuantity": {"value": _dec(p.age_value), "unit": self.c["age_units"].get(unit, unit),
                                 "system": self.sys["ucum"], "code": unit}}
        if p.age_mention:
            res["extension"] = self._provenance_ext(doc_id, [p.age_mention])
        return res

    def condition(self, doc, f: ConditionFact, pid: str, doc_id: str) -> dict:
        a = f.assertion
        res: dict = {"resourceType": "Condition", "id": rid(doc, "Condition", f.key, a.negated, f.mentions[0].start),
                     "subject": self._ref(pid),
                     "code": self._concept_cc(f.concept_id, f.text, (_ICD, _SCT)),
                     "category": [{"coding": [{"system": self.sys["condition_category"], "code": "problem-list-item",
                                               "display": "Problem List Item"}]}]}
        if a.negated:
            ver = "refuted"
        elif a.uncertain:
            ver = "provisional"
        else:
            ver = "confirmed"
        res["verificationStatus"] = {"coding": [{"system": self.sys["condition_ver_status"], "code": ver,
                                                 "display": ver.capitalize()}]}
        if not a.negated:
            clin = "resolved" if a.historical else "active"
            res["clinicalStatus"] = {"coding": [{"system": self.sys["condition_clinical"], "code": clin,
                                                 "display": clin.capitalize()}]}
        if f.onset_age is not None:
            res["onsetAge"] = {"value": _dec(round(f.onset_age, 2)), "unit": "years", "system": self.sys["ucum"], "code": "a"}
        res["extension"] = self._provenance_ext(doc_id, f.mentions) + self._assertion_ext(
            [x for x in a.labels() if x not in ("negated",)])
        return res

    def observation(self, doc, f: LabFact, pid: str, doc_id: str) -> dict:
        concept = self.T.concept(f.concept_id) if f.concept_id else None
        category = f.category or (concept.attrs.get("category") if concept else None) or "laboratory"
        res: dict = {"resourceType": "Observation",
                     "id": rid(doc, "Observation", f.key, f.mentions[0].start if f.mentions else 0),
                     "status": "final",
                     "code": self._concept_cc(f.concept_id, f.name, (_LOINC,)),
                     "subject": self._ref(pid)}
        if category in self.c["observation_categories"]:
            res["category"] = [{"coding": [{"system": self.sys["observation_category"], "code": category,
                                            "display": self.c["observation_categories"][category]}]}]
        if f.components:
            comps = []
            # the systemic blood pressure codes only for a blood pressure; another pressure written as a
            # pair ("pulmonary artery pressure 45/20 mmHg") gets components named in words
            panel = self.c["blood_pressure"]["panel"]["code"]
            is_bp = concept is not None and any(c.code == panel for c in concept.codings)
            for name, comp in zip(("systolic", "diastolic"), f.components):
                bp = self.c["blood_pressure"][name]
                c = ({"code": {"coding": [{"system": self.sys["loinc"], "code": bp["code"], "display": bp["display"]}]}}
                     if is_bp else {"code": {"text": f"{f.name} ({name})"}})
                q = self._quantity(comp.value, comp.value_text, comp.unit or f.unit)
                if q:
                    c["valueQuantity"] = q
                comps.append(c)
            res["component"] = comps
        elif f.qualitative in self.c["qualitative"]:
            q = self.c["qualitative"][f.qualitative]
            res["valueCodeableConcept"] = {"coding": [{"system": self.sys["snomed"], "code": q["code"],
                                                       "display": q["display"]}], "text": f.qualitative}
        elif f.value is not None:
            q = self._quantity(f.value, f.value_text, f.unit)
            if f.comparator:
                q["comparator"] = f.comparator
            res["valueQuantity"] = q
        elif f.value_string:
            res["valueString"] = clean(f.value_string)
        interp = f.interpretation
        if interp is None and f.qualitative:
            interp = "POS" if f.qualitative == "positive" else "NEG"
        if interp is None and f.value is not None and (f.ref_low is not None or f.ref_high is not None):
            # "<200 mg/dL" above the range's top, ">0.3 mg/dL" below its bottom: any value either side, no reading
            interp = range_interpretation(f.value, f.comparator, f.ref_low, f.ref_high)
        if interp in self.c["interpretation"]:
            res["interpretation"] = [{"coding": [{"system": self.sys["interpretation"], "code": interp,
                                                  "display": self.c["interpretation"][interp]}]}]
        if f.ref_low is not None or f.ref_high is not None or f.ref_text:
            rr: dict = {}
            if f.ref_low is not None:
                rr["low"] = self._quantity(f.ref_low, None, f.unit)
            if f.ref_high is not None:
                rr["high"] = self._quantity(f.ref_high, None, f.unit)
            if f.ref_text:
                rr["text"] = clean(f.ref_text)
            elif f.ref_from_table:
                rr["text"] = "typical adult range from the curated case2fhir table; not stated in the source"
            res["referenceRange"] = [rr]
        if f.effective_text:
            res["note"] = [{"text": clean(f"effective: {f.effective_text}")}]
        res["extension"] = self._provenance_ext(doc_id, f.mentions) + self._assertion_ext(
            [x for x in f.assertion.labels() if x != "negated"])
        return res

    def medication(self, doc, f: MedicationFact, pid: str, doc_id: str) -> dict:
        res: dict = {"resourceType": "MedicationStatement",
                     "id": rid(doc, "MedicationStatement", f.key, f.status, f.mentions[0].start),
                     "status": f.status,
                     "medicationCodeableConcept": self._concept_cc(f.concept_id, f.name, (_RXNORM,)),
                     "subject": self._ref(pid)}
        if f.components:
            # a regimen named by its drugs ("cisplatin-pemetrexed"): one statement whose medication is a contained
            # Medication with each drug as an ingredient (coded where the drug is)
            del res["medicationCodeableConcept"]
            res = {"resourceType": res.pop("resourceType"), "id": res.pop("id"),
                   "contained": [{"resourceType": "Medication", "id": "regimen", "code": {"text": clean(f.name)},
                                  "ingredient": [{"itemCodeableConcept": self._concept_cc(c, self.T.concept(c).display,
                                                                                          (_RXNORM,))}
                                                 for c in f.components]}],
                   **res, "medicationReference": {"reference": "#regimen", "display": clean(f.name)}}
        dosages = [d for d in (self._dosage(x) for x in [f] + f.more_dosages) if d]
        if len(dosages) > 1:
            for n, d in enumerate(dosages, 1):
                d["sequence"] = n
        if dosages:
            res["dosage"] = dosages
        # the mentions that stopped the drug ("Prednisone was discontinued") are the evidence of its status, on the
        # status element; the resource's own list keeps the other mentions (all of them when only stops name it).
        # Their page boxes stay with the resource's, so every mention is still located.
        said = [m for m in f.status_mentions if m in f.mentions] if f.status in ("stopped", "completed") else []
        own = [m for m in f.mentions if m not in said] or f.mentions
        if said:
            res["_status"] = {"extension": self._derivation_ext(doc_id, said)}
        res["extension"] = self._provenance_ext(doc_id, own) + self._location_ext(
            [m for m in said if m not in own]) + self._assertion_ext(
            [x for x in f.assertion.labels() if x != "negated"])
        return res

    def _dosage(self, f: MedicationFact) -> dict:
        dosage: dict = {}
        if f.sig_text:
            dosage["text"] = clean(f.sig_text)
        if f.dose_value is not None:
            q = self._quantity(f.dose_value, None, f.dose_unit, dose=True)
            dosage["doseAndRate"] = [{"doseQuantity": q}]
        elif f.dose_low is not None and f.dose_high is not None and f.dose_low <= f.dose_high:
            # "2.5–3.75 mg per day": a range (both ends in the unit written once)
            dosage["doseAndRate"] = [{"doseRange": {"low": self._quantity(f.dose_low, None, f.dose_unit, dose=True),
                                                    "high": self._quantity(f.dose_high, None, f.dose_unit, dose=True)}}]
        repeat: dict = {}
        if f.frequency is not None and f.period is not None and f.period_unit:
            repeat.update({"frequency": int(f.frequency), "period": _dec(f.period), "periodUnit": f.period_unit})
            if f.period_max is not None and f.period_max > f.period:
                repeat["periodMax"] = _dec(f.period_max)   # "every 4-6 hours"
        if f.when:
            repeat["when"] = [f.when]   # event timing: "at bedtime" HS, "in the morning" MORN
        if f.count:
            repeat["count"] = int(f.count)   # Timing.repeat.count: administrations in all
        if f.duration_value is not None and f.duration_unit:
            repeat["boundsDuration"] = {"value": _dec(f.duration_value),
                                        "unit": self.c["duration_units"].get(f.duration_unit, f.duration_unit),
                                        "system": self.sys["ucum"], "code": f.duration_unit}
            if f.duration_comparator:
                repeat["boundsDuration"]["comparator"] = f.duration_comparator   # "for more than 1 year"
        if repeat:
            dosage["timing"] = {"repeat": repeat}
        if f.route:
            route = route_coding(f.route)
            dosage["route"] = {"coding": [route], "text": f.route} if route else {"text": f.route}
        if f.as_needed:
            dosage["asNeededBoolean"] = True
        return dosage

    def family_history(self, doc, f: ConditionFact, pid: str, doc_id: str) -> dict:
        rel = f.family_relation or "FAMMEMB"
        display = load_json("context.json")["family_relation_display"].get(rel, "family member")
        cond: dict = {"code": self._concept_cc(f.concept_id, f.text, (_ICD, _SCT))}
        if f.assertion.negated:
            cond["contributedToDeath"] = False
            cond["note"] = [{"text": "stated as absent"}]
        return {"resourceType": "FamilyMemberHistory", "id": rid(doc, "FamilyMemberHistory", f.key, rel, f.mentions[0].start),
                "status": "completed", "patient": self._ref(pid),
                "relationship": {"coding": [{"system": self.sys["role_code"], "code": rel, "display": display}]},
                "condition": [cond], "extension": self._provenance_ext(doc_id, f.mentions)}

    def document_reference(self, doc: SourceDocument, doc_id: str, pid: str) -> dict:
        res: dict = {"resourceType": "DocumentReference", "id": doc_id, "status": "current",
                     "identifier": [{"system": self.sys["sha256_identifier"], "value": doc.sha256}],
                     "subject": self._ref(pid),
                     "description": clean(doc.title) or "case report",
                     "content": [{"attachment": {"contentType": "text/plain; charset=utf-8",
                                                 "data": base64.b64encode(doc.text.encode("utf-8")).decode("ascii"),
                                                 "title": clean(doc.title or doc.name) or "extracted text"}}]}
        if doc.pages is not None:
            res["extension"] = [{"url": self.ext["page_count"], "valueInteger": int(doc.pages)}]
        return res

    def provenance(self, doc, targets: list[str], doc_id: str, device_id: str, opts: BundleOptions) -> dict:
        return {"resourceType": "Provenance", "id": rid(doc, "Provenance"),
                "target": [self._ref(t) for t in targets], "recorded": _recorded(opts),
                "activity": {"text": "extracted by case2fhir from the source document"},
                "agent": [{"type": {"coding": [{"system": self.sys["provenance_participant"], "code": "assembler",
                                                "display": "Assembler"}]},
                           "who": self._ref(device_id)}],
                "entity": [{"role": "source", "what": self._ref(doc_id)}]}

    def device(self, doc, device_id: str) -> dict:
        return {"resourceType": "Device", "id": device_id,
                "identifier": [{"system": self.sys["device_identifier"], "value": f"case2fhir|{__version__}"}],
                "deviceName": [{"name": "case2fhir", "type": "manufacturer-name"}],
                "version": [{"value": __version__}]}

    # ------------------------------------------------------------ bundle
    def build(self, facts: Facts, doc: SourceDocument, opts: BundleOptions | None = None) -> dict:
        opts = opts or BundleOptions()
        pid, doc_id = rid(doc, "Patient"), rid(doc, "DocumentReference")
        device_id = str(uuid.uuid5(_ns(), f"device|case2fhir|{__version__}"))
        resources: list[dict] = [self.patient(doc, facts, pid)]
        age = self.age(doc, facts, pid, doc_id)
        if age:
            resources.append(age)
        first = lambda f: (f.mentions[0].start if f.mentions else 0)
        resources += [self.condition(doc, f, pid, doc_id) for f in sorted(facts.conditions, key=first)]
        resources += [self.observation(doc, f, pid, doc_id) for f in sorted(facts.labs, key=first)]
        resources += [self.medication(doc, f, pid, doc_id) for f in sorted(facts.medications, key=first)]
        if opts.include_family:
            resources += [self.family_history(doc, f, pid, doc_id) for f in sorted(facts.family, key=first)]
        targets = [r["id"] for r in resources]
        resources.append(self.document_reference(doc, doc_id, pid))
        resources.append(self.device(doc, device_id))
        resources.append(self.provenance(doc, targets + [doc_id], doc_id, device_id, opts))
        _dedupe_ids(resources)
        entries = []
        for r in resources:
            e: dict = {"fullUrl": f"urn:uuid:{r['id']}", "resource": r}
            if opts.bundle_type == "transaction":
                e["request"] = self._request(r, doc)
            entries.append(e)
        return {"resourceType": "Bundle", "id": rid(doc, "Bundle", opts.bundle_type), "type": opts.bundle_type,
                "entry": entries}

    def _request(self, r: dict, doc: SourceDocument) -> dict:
        req = {"method": "POST", "url": r["resourceType"]}
        if r["resourceType"] == "DocumentReference":
            req["ifNoneExist"] = f"identifier={self.sys['sha256_identifier']}|{doc.sha256}"
        elif r["resourceType"] == "Device":
            req["ifNoneExist"] = f"identifier={self.sys['device_identifier']}|case2fhir|{__version__}"
        return req


def _dedupe_ids(resources: list[dict]) -> None:
    seen: set = set()
    for r in resources:
        k = (r["resourceType"], r["id"])
        n = 1
        while k in seen:
            n += 1
            r["id"] = str(uuid.uuid5(uuid.UUID(r["id"]), str(n)))
            k = (r["resourceType"], r["id"])
        seen.add(k)


_SCT, _ICD = "http://snomed.info/sct", "http://hl7.org/fhir/sid/icd-10-cm"
_LOINC, _RXNORM = "http://loinc.org", "http://www.nlm.nih.gov/research/umls/rxnorm"
_STANDARD = {_SCT, _ICD, _LOINC, _RXNORM}


@lru_cache(maxsize=None)
def route_coding(route: str) -> dict | None:
    """SNOMED CT route coding of a normalised route key, from mappings/sig.json."""
    try:
        data = load_json("sig.json")
    except Exception:
        return None
    routes = data.get("routes") or {}
    entry = routes.get(route) if isinstance(routes, dict) else None
    if isinstance(entry, dict) and entry.get("code"):
        return {"system": _SCT, "code": str(entry["code"]), "display": clean(entry.get("display") or route)}
    return None


def to_json(bundle: dict, pretty: bool = False) -> str:
    """Deterministic JSON: sorted keys, no timestamps beyond what was passed in."""
    return json.dumps(bundle, sort_keys=True, ensure_ascii=False, indent=2 if pretty else None,
                      separators=None if pretty else (",", ":"), default=_json_default)


def _json_default(o):
    if isinstance(o, Decimal):
        return float(o) if o != o.to_integral_value() else int(o)
    raise TypeError(type(o).__name__)
