"""The mapping layer on its own: facts in, FHIR resources out, with a stub terminology (so these
tests say what the builder does, whatever the vocabularies hold)."""
import pytest
import base64
import json

from converter.facts import Assertion, ConditionFact, Facts, LabFact, MedicationFact, Mention, PatientFact, range_interpretation
from converter.fhir.build import BundleBuilder, BundleOptions, SourceDocument, clean, to_json

from tests.stub_terminology import ICD, LOINC, RX, SCT, StubT  # noqa: F401


TEXT = "A 69-year-old woman had calcinosis cutis, no fever, CK 952\u2009U/L, prednisolone 60mg daily."


def m(word):
    s = TEXT.index(word)
    return Mention(s, s + len(word), word, "case", ((1, (10.0, 20.0, 30.0, 28.5)),))


def facts():
    f = Facts(patient=PatientFact("female", m("woman"), 69.0, "a", m("69-year-old")))
    f.conditions.append(ConditionFact("cond:x", "calcinosis cutis", "cond:x", [m("calcinosis cutis")]))
    f.conditions.append(ConditionFact("text:fever", "fever", None, [m("fever")], Assertion(negated=True)))
    f.labs.append(LabFact("lab:ck", "CK", "lab:ck", [m("952\u2009U/L")], value=952.0, value_text="952", unit="U/L",
                          interpretation="H"))
    f.medications.append(MedicationFact("drug:p", "prednisolone", "drug:p", [m("prednisolone")], sig_text="60mg daily",
                                        dose_value=60, dose_unit="mg", frequency=1, period=1, period_unit="d"))
    return f


def build(**kw):
    doc = SourceDocument(sha256="ab" * 32, text=TEXT, title="T", pages=1)
    return BundleBuilder(StubT()).build(facts(), doc, BundleOptions(**kw))


def res(bundle, rtype):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == rtype]


def test_patient_and_age():
    b = build()
    assert res(b, "Patient")[0]["gender"] == "female"
    age = [o for o in res(b, "Observation") if o["code"]["coding"][0]["code"] == "30525-0"][0]
    assert age["valueQuantity"] == {"value": 69, "unit": "years", "system": "http://unitsofmeasure.org", "code": "a"}


def test_condition_codes_status_and_derivation():
    b = build()
    conds = res(b, "Condition")
    cc = conds[0]
    assert cc["code"]["coding"][0] == {"system": ICD, "code": "L94.2", "display": "Calcinosis cutis"}
    assert cc["verificationStatus"]["coding"][0]["code"] == "confirmed"
    der = [e for e in cc["extension"] if e["url"].endswith("derivation-reference")][0]
    sub = {x["url"]: x for x in der["extension"]}
    off, ln = sub["offset"]["valueInteger"], sub["length"]["valueInteger"]
    assert TEXT[off:off + ln] == "calcinosis cutis"
    loc = [e for e in cc["extension"] if e["url"].endswith("source-location")][0]
    assert {x["url"]: x for x in loc["extension"]}["page"]["valueInteger"] == 1
    refuted = conds[1]
    assert refuted["verificationStatus"]["coding"][0]["code"] == "refuted"
    assert "clinicalStatus" not in refuted and refuted["code"] == {"text": "fever"}


def test_observation_value_is_not_changed_and_strings_are_clean():
    o = [o for o in res(build(), "Observation") if o["code"]["coding"][0]["code"] == "2157-6"][0]
    assert o["valueQuantity"] == {"value": 952, "unit": "U/L", "system": "http://unitsofmeasure.org", "code": "U/L"}
    assert o["interpretation"][0]["coding"][0]["code"] == "H"
    assert clean("952\u2009U/L\u00a0x") == "952 U/L x"


def test_medication_dosage():
    ms = res(build(), "MedicationStatement")[0]
    d = ms["dosage"][0]
    assert d["text"] == "60mg daily"
    assert d["doseAndRate"][0]["doseQuantity"]["code"] == "mg"
    assert d["timing"]["repeat"] == {"frequency": 1, "period": 1, "periodUnit": "d"}
    assert ms["medicationCodeableConcept"]["coding"][0]["code"] == "8638"


def test_document_reference_embeds_the_text_and_provenance_targets_all():
    b = build()
    doc = res(b, "DocumentReference")[0]
    assert base64.b64decode(doc["content"][0]["attachment"]["data"]).decode() == TEXT
    prov = res(b, "Provenance")[0]
    targets = {t["reference"] for t in prov["target"]}
    for e in b["entry"]:
        if e["resource"]["resourceType"] not in ("Provenance", "Device"):
            assert e["fullUrl"] in targets
    assert prov["recorded"] == "1970-01-01T00:00:00Z"


def test_deterministic_and_transaction():
    assert to_json(build()) == to_json(build())
    t = build(bundle_type="transaction")
    assert t["type"] == "transaction"
    assert all(e["request"]["method"] == "POST" for e in t["entry"])
    docref = [e for e in t["entry"] if e["resource"]["resourceType"] == "DocumentReference"][0]
    assert "ifNoneExist" in docref["request"]


def test_bundle_is_a_valid_fhir_resources_model():
    from fhir.resources.R4B.bundle import Bundle
    Bundle.model_validate(json.loads(to_json(build())))


def test_medication_dosage_count():
    """'three infusions of X': Timing.repeat.count, the route read from the count word."""
    f = MedicationFact("drug:p", "prednisolone", "drug:p", [m("prednisolone")], sig_text="three infusions",
                       route="intravenous", count=3)
    d = BundleBuilder(StubT())._dosage(f)
    assert d["text"] == "three infusions" and d["timing"] == {"repeat": {"count": 3}}
    assert d["route"]["coding"][0]["code"] == "47625008"


def test_medication_dose_range_when_and_period_max():
    """'2.5–3.75 mg per day' -> doseRange; 'at bedtime' -> repeat.when HS; 'every 4-6 hours' -> periodMax."""
    f = MedicationFact("drug:p", "prednisolone", "drug:p", [m("prednisolone")], sig_text="2.5–3.75 mg at bedtime",
                       dose_low=2.5, dose_high=3.75, dose_unit="mg", frequency=1, period=1, period_unit="d", when="HS")
    d = BundleBuilder(StubT())._dosage(f)
    rng = d["doseAndRate"][0]["doseRange"]
    assert (rng["low"]["value"], rng["high"]["value"], rng["low"]["code"]) == (2.5, 3.75, "mg")
    assert d["timing"]["repeat"] == {"frequency": 1, "period": 1, "periodUnit": "d", "when": ["HS"]}
    g = MedicationFact("drug:p", "prednisolone", "drug:p", [m("prednisolone")], sig_text="every 4-6 hours",
                       frequency=1, period=4, period_unit="h", period_max=6)
    assert BundleBuilder(StubT())._dosage(g)["timing"]["repeat"] == {"frequency": 1, "period": 4, "periodUnit": "h", "periodMax": 6}


def test_a_dose_in_plain_units_is_in_international_units_and_a_result_in_u_keeps_u():
    # UCUM "U" is the enzyme unit (umol/min): "5000 units of heparin" means the international unit
    T = StubT()
    T.units = dict(T.units, units=("U", "U"), U=("U", "U"), mg=("mg", "mg"))
    f = facts()
    f.medications[0].dose_value, f.medications[0].dose_unit = 5000, "units"
    doc = SourceDocument(sha256="ab" * 32, text=TEXT, title="T", pages=1)
    b = BundleBuilder(T).build(f, doc, BundleOptions())
    dose = res(b, "MedicationStatement")[0]["dosage"][0]["doseAndRate"][0]["doseQuantity"]
    assert dose == {"value": 5000, "unit": "units", "system": "http://unitsofmeasure.org", "code": "[IU]"}
    f.medications[0].dose_value, f.medications[0].dose_unit = 60, "mg"
    b = BundleBuilder(T).build(f, doc, BundleOptions())
    assert res(b, "MedicationStatement")[0]["dosage"][0]["doseAndRate"][0]["doseQuantity"]["code"] == "mg"
    q = BundleBuilder(T)._quantity(15, "15", "U")
    assert q["code"] == "U"  # a result "165 U" is no dose


def test_fhir_json_is_checked_on_load(monkeypatch):
    import pytest

    from converter.errors import MappingError
    from converter.fhir import build as B

    good = json.loads(json.dumps(B.load_json("fhir.json")))
    B._check_cfg(json.loads(json.dumps(good)))
    for breaks in (lambda d: d.pop("systems"), lambda d: d.__setitem__("id_namespace", "nope"),
                   lambda d: d["systems"].__setitem__("ucum", "unitsofmeasure"),
                   lambda d: d["age"].pop("code"), lambda d: d["dose_units"].__setitem__("codes", {"units": ""}),
                   lambda d: d["interpretation"].__setitem__("H", "")):
        d = json.loads(json.dumps(good))
        breaks(d)
        with pytest.raises(MappingError):
            B._check_cfg(d)


def test_uuid5_str_is_uuid5():
    import uuid

    from converter.fhir.build import uuid5_str

    ns = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")
    for name in ["", "a|b|1", "ä|μmol/L|" + "f" * 64, "\U0001f600 x"]:
        assert uuid5_str(ns.bytes, name) == str(uuid.uuid5(ns, name))


@pytest.mark.parametrize("value, comparator, low, high, expected", [
    (952, None, None, 170, "H"), (8.2, None, 12, 16, "L"), (14, None, 12, 16, "N"), (16, None, 12, 16, "N"),
    (39.5, "<=", None, 37.5, "H"),       # "up to 39.5 °C": the peak reached
    (200, "<", None, 99, None),          # "<200 mg/dL" over a top of 99: any value below 200
    (5, "<", None, 10, "N"),             # "CRP <5 mg/L" (normal <10)
    (5, "<", 0, 10, "N"),
    (0.5, "<", 1, 5, "L"),               # below the bottom whatever it is
    (3, "<", 1, 5, None),                # could be under 1
    (500, ">", 150, 400, "H"), (500, ">=", 150, 400, "H"),
    (150, ">", 150, 400, None),          # "platelets >150": 160 or 600
    (0.3, ">=", 1, 5, None),             # a lower bound under the bottom says nothing: was "L" for ">="
    (0.3, ">", 1, 5, None),
    (60, ">", 59, None, "N"),            # "eGFR >60" (normal >59)
])
def test_range_interpretation(value, comparator, low, high, expected):
    assert range_interpretation(value, comparator, low, high) == expected


def test_observation_interpretation_from_a_stated_range_respects_the_comparator():
    b = BundleBuilder(StubT())
    for comparator, expected in ((None, [{"coding": [{"code": "L"}]}]), (">=", None)):
        lab = LabFact(key="k", name="iron", concept_id=None, value=0.3, value_text="0.3", unit="mg/dL", comparator=comparator,
                      ref_low=1.0, ref_high=5.0, mentions=[Mention(0, 3, "0.3")])
        res = b.observation(SourceDocument(sha256="0" * 64, text="0.3"), lab, "p", "d")
        got = [{"coding": [{"code": c["code"]} for c in i["coding"]]} for i in res.get("interpretation", [])] or None
        assert got == expected, comparator


STOP_TEXT = "Prednisolone 60 mg daily was started. Prednisolone was discontinued."


def _stop_build(mentions, stops, status="stopped"):
    f = Facts()
    f.medications.append(MedicationFact("drug:p", "prednisolone", "drug:p", mentions, status=status,
                                        status_mentions=stops))
    doc = SourceDocument(sha256="cd" * 32, text=STOP_TEXT, title="T", pages=1)
    return res(BundleBuilder(StubT()).build(f, doc, BundleOptions()), "MedicationStatement")[0]


def _offsets(extensions):
    return [next(x["valueInteger"] for x in e["extension"] if x["url"] == "offset")
            for e in extensions if e["url"].endswith("derivation-reference")]


def test_the_mention_that_stopped_a_drug_is_the_evidence_of_its_status():
    first, stop = (Mention(s, s + 12, "Prednisolone", "case", ((1, (10.0, 20.0, 30.0, 28.5)),))
                   for s in (0, STOP_TEXT.index("Prednisolone was")))
    ms = _stop_build([first, stop], [stop])
    assert ms["status"] == "stopped"
    located = [next(x["valueInteger"] for x in e["extension"] if x["url"] == "offset")
               for e in ms["extension"] if e["url"].endswith("source-location")]
    assert located == [first.start, stop.start]                   # both still located on the page
    assert _offsets(ms["_status"]["extension"]) == [stop.start]   # the stop says the status
    assert _offsets(ms["extension"]) == [first.start]             # the resource keeps the other mention
    sub = {x["url"] for x in ms["_status"]["extension"][0]["extension"]}
    assert sub == {"reference", "offset", "length"}               # same sub-extensions as the resource's


def test_a_lone_stop_mention_stays_with_the_resource_and_is_the_status_evidence():
    stop = Mention(STOP_TEXT.index("Prednisolone was"), STOP_TEXT.index("Prednisolone was") + 12, "Prednisolone", "case")
    ms = _stop_build([stop], [stop])
    assert _offsets(ms["extension"]) == [stop.start]
    assert _offsets(ms["_status"]["extension"]) == [stop.start]


def test_no_status_evidence_when_the_status_is_not_a_stop():
    first, stop = (Mention(s, s + 12, "Prednisolone", "case") for s in (0, STOP_TEXT.index("Prednisolone was")))
    ms = _stop_build([first, stop], [stop], status="active")   # restarted after the stop: the stop says no status
    assert "_status" not in ms and _offsets(ms["extension"]) == [first.start, stop.start]


def test_derivation_spans_read_what_the_builder_writes():
    from converter.fhir.build import derivation_spans

    url = "http://hl7.org/fhir/StructureDefinition/derivation-reference"
    ext = lambda o, n: {"url": url, "extension": [{"url": "offset", "valueInteger": o},  # noqa: E731
                                                  {"url": "length", "valueInteger": n}]}
    r = {"extension": [ext(3, 4), {"url": "other", "extension": []}, {"url": url, "extension": [{"url": "offset"}]}],
         "_status": {"extension": [ext(10, 2)]}}
    assert derivation_spans(r) == [(3, 4)]
    assert derivation_spans(r, "status") == [(10, 2)]
    assert derivation_spans({}) == [] and derivation_spans({}, "status") == []
