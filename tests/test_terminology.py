"""The terminology API: lookups, codes, units, ambiguity, matching, cache."""
from __future__ import annotations

import pytest

from converter.terminology import ICD10CM, LOINC, RXNORM, SNOMED, Coding, Concept, get_terminology


@pytest.fixture(scope="module")
def T():
    return get_terminology()


def codes(c: Concept, system: str) -> set[str]:
    return {x.code for x in c.codings if x.system == system}


@pytest.mark.parametrize("text,code", [
    ("creatine kinase", "2157-6"), ("CK", "2157-6"), ("CPK", "2157-6"),
    ("aspartate transaminase", "1920-8"), ("AST", "1920-8"), ("SGOT", "1920-8"),
    ("alanine transaminase", "1742-6"), ("ALT", "1742-6"), ("SGPT", "1742-6"),
    ("aldolase", "1761-6"), ("lactate dehydrogenase", "14804-9"), ("LDH", "14804-9"),
    ("C-reactive protein", "1988-5"), ("CRP", "1988-5"),
    ("erythrocyte sedimentation rate", "30341-2"), ("ESR", "30341-2"),
    ("thyroid function", "3016-3"), ("TSH", "3016-3"),
    ("hemoglobin", "718-7"), ("Hb", "718-7"), ("WBC", "6690-2"), ("platelets", "777-3"),
    ("eGFR", "33914-3"), ("HbA1c", "4548-4"),
])
def test_lab_codes(T, text, code):
    c = T.lookup(text, "lab")
    assert c is not None, text
    assert codes(c, LOINC) == {code}
    assert c.kind == "lab" and c.attrs["category"] == "laboratory"


def test_lab_attrs(T):
    ck = T.concept("lab:2157-6")
    assert ck.attrs["unit"] == "U/L"
    assert ck.attrs["ref_low"] is not None and ck.attrs["ref_high"] > ck.attrs["ref_low"]
    assert ck.attrs["qualitative"] is False


@pytest.mark.parametrize("text,code", [
    ("systolic blood pressure", "8480-6"), ("diastolic blood pressure", "8462-4"), ("heart rate", "8867-4"),
    ("temperature", "8310-5"), ("SpO2", "59408-5"), ("respiratory rate", "9279-1"),
    ("weight", "29463-7"), ("height", "8302-2"), ("BMI", "39156-5"),
])
def test_vitals(T, text, code):
    c = T.lookup(text, "vital")
    assert c is not None and codes(c, LOINC) == {code}
    assert c.attrs["category"] == "vital-signs"


def test_conditions(T):
    dm = T.lookup("dermatomyositis", "condition")
    assert codes(dm, ICD10CM) & {"M33.90", "M33.10"}
    assert codes(T.lookup("calcinosis cutis"), ICD10CM) == {"L94.2"}
    for term in ["myalgias", "myalgia", "proximal muscle weakness", "dysphagia", "erythema", "paresthesia",
                 "weight loss"]:
        c = T.lookup(term, "condition")
        assert c is not None, term
        assert c.is_coded, term


def test_drugs_and_classes(T):
    for name in ["prednisolone", "azathioprine", "pamidronate", "IVIg", "intravenous immunoglobulin"]:
        c = T.lookup(name, "drug")
        assert c is not None and c.kind == "drug", name
    for name in ["bisphosphonates", "corticosteroids", "antibiotics", "chemotherapy", "diuretics", "steroids"]:
        c = T.lookup(name)
        assert c is not None and c.kind == "drug_class", name


def test_lookup_is_insensitive(T):
    a = T.lookup("Creatine Kinase")
    assert a is not None
    assert T.lookup("creatine-kinase") == a
    assert T.lookup("  creatine   kinase ") == a
    assert T.lookup("no such thing at all") is None


def test_phrases_and_concepts(T):
    for kind in ("condition", "lab", "vital", "drug", "drug_class"):
        ph = T.phrases(kind)
        assert ph, kind
        surface, cid = ph[0]
        assert isinstance(surface, str) and T.concept(cid).kind == kind
    with pytest.raises(ValueError):
        T.phrases("nonsense")
    with pytest.raises(KeyError):
        T.concept("cond:does_not_exist")


def test_units(T):
    assert T.unit("mg/dl") == ("mg/dL", "mg/dL")
    assert T.unit("x10^9/L") == ("10*9/L", "10^9/L")
    assert T.unit("%") == ("%", "%")
    assert T.unit("bpm")[0] == "/min"
    assert T.unit("furlongs per fortnight") is None


def test_ambiguous(T):
    assert T.is_ambiguous("DM")
    assert T.is_ambiguous("MS")
    assert not T.is_ambiguous("dermatomyositis")


def test_match(T):
    text = "She had myalgias, dysphagia and a CK of 5000 U/L; treated with prednisolone and bisphosphonates."
    ms = T.match(text)
    got = {(text[m.start:m.end].lower(), m.kind) for m in ms}
    assert ("myalgias", "condition") in got
    assert ("dysphagia", "condition") in got
    assert ("ck", "lab") in got
    assert ("prednisolone", "drug") in got
    assert ("bisphosphonates", "drug_class") in got


def test_fingerprint(T):
    assert isinstance(T.fingerprint, str) and len(T.fingerprint) == 64


def test_coding_type():
    c = Coding(SNOMED, "68962001", "Myalgia")
    assert c.to_fhir() == {"system": SNOMED, "code": "68962001", "display": "Myalgia"}
    assert RXNORM.startswith("http")


def test_case_sensitivity_helpers(T):
    assert T.is_case_sensitive("CK")
    assert not T.is_case_sensitive("creatine kinase")
    text = "CD20-positive cells; ck was not measured; CK 300 U/L"
    got = [(m.text, m.concept_id) for m in T.match(text)]
    assert ("CK", "lab:2157-6") in got
    assert all(t != "ck" for t, _ in got)          # lower-case "ck" is not the abbreviation
    assert all(t != "CD" for t, _ in got)          # whole words only: no "CD" inside "CD20"


def test_spacy_spans(T):
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    doc = nlp("Proximal muscle weakness with CK 5000 U/L after pamidronate.")
    spans = T.spans(doc)
    assert [(s.text, s.label_) for s in spans] == [("Proximal muscle weakness", "condition"), ("CK", "lab"),
                                                   ("pamidronate", "drug")]
    assert spans[1].kb_id_ == "lab:2157-6"
