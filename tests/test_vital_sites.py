"""Pressures that are not the systemic blood pressure: no blood-pressure LOINC code on them or on
their components; the systemic ones keep theirs."""
from __future__ import annotations

import copy

import pytest

from converter.errors import MappingError


def observations(converter, text):
    b = converter.text_to_dict(text)
    return [e["resource"] for e in b["entry"] if e["resource"]["resourceType"] == "Observation"
            and e["resource"]["code"].get("text") != "Age"]


def codes(cc):
    return [c["code"] for c in cc.get("coding", [])]


@pytest.mark.parametrize("text,name", [
    ("The RV systolic pressure was 50 mmHg.", "RV systolic pressure"),
    ("Estimated right ventricular systolic pressure was 45 mmHg.", "right ventricular systolic pressure"),
    ("Echo showed a right-ventricular systolic pressure of 36 mmHg.", "right-ventricular systolic pressure"),
])
def test_site_before_a_pressure_drops_the_blood_pressure_code(converter, text, name):
    got = [o for o in observations(converter, text) if o["code"].get("text") == name]
    assert len(got) == 1, [o["code"] for o in observations(converter, text)]
    assert codes(got[0]["code"]) == [] and got[0]["category"][0]["coding"][0]["code"] == "exam"


@pytest.mark.parametrize("text,code", [
    ("Systolic pressure was 90 mmHg.", "8480-6"),
    ("Her systolic blood pressure was 150 mmHg.", "8480-6"),
    ("Arterial blood pressure was 120/70 mmHg.", "85354-9"),
])
def test_systemic_pressures_keep_their_codes(converter, text, code):
    assert [codes(o["code"]) for o in observations(converter, text)] == [[code]]


def test_components_of_another_pressure_are_named_in_words(converter):
    o = [x for x in observations(converter, "The pulmonary artery pressure was 45/20 mmHg.") if x.get("component")]
    assert len(o) == 1 and codes(o[0]["code"]) == []
    assert [c["code"] for c in o[0]["component"]] == [{"text": "pulmonary artery pressure (systolic)"},
                                                     {"text": "pulmonary artery pressure (diastolic)"}]
    assert [c["valueQuantity"]["value"] for c in o[0]["component"]] == [45, 20]
    bp = [x for x in observations(converter, "Her blood pressure was 120/80 mmHg.") if x.get("component")]
    assert [codes(c["code"]) for c in bp[0]["component"]] == [["8480-6"], ["8462-4"]]


def test_nlp_rules_are_checked_on_load():
    from converter.nlp.rules import _check_rules, _rules_json

    good = _rules_json()
    for key, bad in (("site_words", []), ("site_words", ["rv", ""]), ("site_words", "rv"),
                     ("finding_measures", {"fever": 1}), ("state_words", [])):
        d = copy.deepcopy(good)
        d[key] = bad
        with pytest.raises(MappingError, match=key):
            _check_rules(d)
    assert _check_rules(copy.deepcopy(good)) == good


def test_nlp_rules_word_lists_read_at_import_are_required():
    from converter.nlp.rules import _REQUIRED_RULES, _check_rules, _rules_json

    good = _rules_json()
    assert "allergy_links" in _REQUIRED_RULES
    for key in _REQUIRED_RULES:
        d = copy.deepcopy(good)
        del d[key]
        with pytest.raises(MappingError, match=key):
            _check_rules(d)
    d = copy.deepcopy(good)
    d["allergy_links"] = ["to", ""]
    with pytest.raises(MappingError, match="allergy_links"):
        _check_rules(d)
