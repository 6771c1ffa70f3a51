"""Condition rules that are not vocabulary: a disease named as a likeness ("hemangiopericytoma-like
pattern"), a finding word written as another acronym ("left PICA"), a finding word inside an
institution's name ("Shock Trauma Center"). Sentence -> the Conditions' code.text (refuted with "-")."""
from __future__ import annotations

import pytest

from tests.conftest import resources


def _conditions(bundle: dict) -> list[str]:
    out = []
    for c in resources(bundle, "Condition"):
        refuted = (c.get("verificationStatus") or {}).get("coding", [{}])[0].get("code") == "refuted"
        out.append(("-" if refuted else "") + c["code"]["text"])
    return sorted(out)


CASES = [
    # likeness: the disease is not the patient's; a general word after it keeps the likeness
    ("Histology showed a hemangiopericytoma-like vascular pattern.", []),
    ("He developed a lupus-like syndrome on hydralazine.", []),
    ("It showed a tumor–like movement with the cardiac cycle.", []),
    ("She had flu-like symptoms for a week.", ["flu-like symptoms"]),
    ("The patient described aura–like symptoms and warmth of the face.", ["aura–like symptoms"]),
    ("He had psoriasis-like plaques on the elbows.", ["plaques"]),
    ("There was a cyst-like lesion and a flu-like illness.", ["flu-like illness", "lesion"]),
    ("She had recurrent stroke-like episodes.", ["stroke-like episodes"]),  # a phrase of the vocabulary
    ("He had no flu-like symptoms.", ["-flu-like symptoms"]),
    # capitals: an acronym of something else
    ("There was an aneurysm of the left PICA and the vertebral artery.", ["aneurysm"]),
    ("She had pica and iron deficiency.", ["iron deficiency", "pica"]),
    ("He had AIDS and COPD.", ["AIDS", "COPD"]),
    # institution names
    ("She was taken to the R Adams Cowley Shock Trauma Center in Baltimore.", []),
    ("He was referred to the Heart and Stroke Foundation clinic.", []),
    ("Shock developed after the bleeding.", ["Shock", "bleeding"]),
    ("Cancer was diagnosed at the university hospital.", ["Cancer"]),
    # a state, not a finding
    ("She was pregnant at 32 weeks of gestation.", []),
]


@pytest.mark.parametrize("sentence,expected", CASES)
def test_condition_rules(converter, sentence, expected):
    assert _conditions(converter.text_to_dict(sentence)) == sorted(expected)
