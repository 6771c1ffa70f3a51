"""Results stated for examinations, measures and the course of care (mappings/observables.tsv)."""
import pytest

from tests.conftest import resources


def obs(converter, text):
    return [o for o in resources(converter.text_to_dict(text), "Observation")
            if o["code"].get("text", "").lower() != "age"]


@pytest.mark.parametrize("text,name,value,interp", [
    ("The postoperative course was uneventful.", "postoperative course", "uneventful", "N"),
    ("He had an uneventful recovery.", "recovery", "uneventful", "N"),
    ("The lungs were clear to auscultation.", "lungs", "clear", "N"),
    ("Vital signs were stable.", "vital signs", "stable", None),
    ("The patient remained hemodynamically stable.", "hemodynamic status", "stable", None),
])
def test_state_words(converter, text, name, value, interp):
    o = obs(converter, text)
    assert len(o) == 1, o
    assert o[0]["code"]["text"].lower() == name and o[0]["valueString"] == value
    assert [c["code"] for i in o[0].get("interpretation", []) for c in i["coding"]] == ([interp] if interp else [])


def test_exam_normal_and_marker_positive(converter):
    o = obs(converter, "Physical examination was unremarkable. The tumor cells were positive for vimentin.")
    by = {x["code"]["text"].lower(): x for x in o}
    assert by["physical examination"]["interpretation"][0]["coding"][0]["code"] == "N"
    assert by["physical examination"]["category"][0]["coding"][0]["code"] == "exam"
    assert by["vimentin"]["valueCodeableConcept"]["coding"][0]["code"] == "10828004"


def test_imaging_size_is_not_a_result_of_the_ct(converter):
    assert not [x for x in obs(converter, "CT revealed a 7 cm mass in the liver.") if x["code"]["text"] == "CT"]


@pytest.mark.parametrize("text,loinc,value,unit", [
    ("He was admitted with a fever of 38.9 °C and nuchal rigidity.", "8310-5", 38.9, "Cel"),
    ("She had a resting tachycardia of 125/minute.", "8867-4", 125, "/min"),
])
def test_a_finding_with_its_measure_is_also_a_vital_sign(converter, text, loinc, value, unit):
    b = converter.text_to_dict(text)
    v = [o for o in resources(b, "Observation") if any(c["code"] == loinc for c in o["code"].get("coding", []))]
    assert len(v) == 1 and float(v[0]["valueQuantity"]["value"]) == value
    assert v[0]["valueQuantity"].get("code") == unit
    assert v[0]["category"][0]["coding"][0]["code"] == "vital-signs"
    assert resources(b, "Condition"), "the finding stays a Condition too"
