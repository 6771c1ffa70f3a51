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
    # a subtype written after the name is part of it
    ("He had diabetes type 2.", ["diabetes type 2"]),
    ("He had no osteogenesis imperfecta type I.", ["-osteogenesis imperfecta type I"]),
    ("She had blood type A and the tumor type was unclear.", []),
    # the organism a disease is named after; a test of a disease
    ("Varicella zoster virus IgG was positive.", []),
    ("He had varicella and zoster.", ["varicella", "zoster"]),
    ("Allergy testing was performed.", []),
    # an adjective describing a procedure
    ("She was placed on non-invasive positive pressure ventilation.", []),
    ("He underwent minimally invasive surgery.", []),
    ("Invasive mechanical ventilation was required.", []),
    ("She had invasive ductal carcinoma.", ["invasive ductal carcinoma"]),
    ("The patient was septic and needed surgery.", ["septic"]),
    # a state, not a finding
    ("She was pregnant at 32 weeks of gestation.", []),
]


@pytest.mark.parametrize("sentence,expected", CASES)
def test_condition_rules(converter, sentence, expected):
    assert _conditions(converter.text_to_dict(sentence)) == sorted(expected)


# ----------------------------------------------------------------------------- vocabulary (scripts/build_conditions.py)
def _coded(bundle: dict) -> list[tuple[str, list[str]]]:
    return sorted((c["code"]["text"], sorted(x["code"] for x in c["code"].get("coding", [])))
                  for c in resources(bundle, "Condition"))


VOCABULARY = [
    # Disease Ontology labels: eponyms and rare diseases the other sources lack (codes are its xrefs)
    ("The infant was diagnosed with Kawasaki disease.", [("Kawasaki disease", ["75053002", "M30.3"])]),
    ("The final diagnosis was Erdheim-Chester disease.", [("Erdheim-Chester disease", ["699537002"])]),
    # ICD-10-CM names: a bracketed eponym dropped, "Unspecified X" read as X, "X, type 1" written "X type 1"
    ("She developed toxic epidermal necrolysis.", [("toxic epidermal necrolysis", ["L51.2"])]),
    ("He had mucocutaneous lymph node syndrome.", [("mucocutaneous lymph node syndrome", ["75053002", "M30.3"])]),
    ("She had malaria.", [("malaria", ["154374002", "B54"])]),
    ("The patient had neurofibromatosis type 1.", [("neurofibromatosis type 1", ["Q85.01"])]),
    # curated rows and abbreviations (a SNOMED CT code from the Disease Ontology label of the same name when the row has none)
    ("He had HFrEF and HTN.", [("HFrEF", ["I50.20"]), ("HTN", ["38341003", "I10"])]),
    ("She presented with thyroid storm.", [("thyroid storm", ["29028009", "E05.91"])]),
    ("She had giant cell arteritis.", [("giant cell arteritis", ["M31.6"])]),
    ("She had IBS.", [("IBS", ["K58.9"])]),
    ("The biopsy confirmed Kikuchi-Fujimoto disease.", [("Kikuchi-Fujimoto disease", [])]),
    # imaging adjectives describe the finding after them; a twin pregnancy is a state
    ("CT scan revealed a 2 cm hypodense nodule.", [("nodule", [])]),
    ("MRI showed multiple hyperintense foci in the liver.", []),
    ("The 31-year-old primipara with twin pregnancy was admitted.", []),
]


@pytest.mark.parametrize("sentence,expected", VOCABULARY)
def test_condition_vocabulary(converter, sentence, expected):
    assert _coded(converter.text_to_dict(sentence)) == sorted(expected)


def test_disease_ontology_rows_name_their_source():
    from converter.resources import load_text

    rows = [line.split("\t") for line in load_text("conditions.tsv").splitlines()
            if "Disease Ontology" in line and not line.startswith("#")]
    assert len(rows) > 5000
    assert all("Disease Ontology DOID:" in r[-1] and "(CC0)" in r[-1] for r in rows)


def test_context_loader_checks_trigger_fillers(monkeypatch):
    """mappings/context.json trigger_fillers.words: single words only (a phrase could never be skipped)."""
    import copy

    from converter.errors import MappingError
    from converter.nlp import context as ctx
    from converter.resources import load_json

    good = load_json("context.json")
    assert "all" in good["trigger_fillers"]["words"]
    bad = copy.deepcopy(good)
    bad["trigger_fillers"]["words"].append("at all")
    monkeypatch.setattr(ctx, "load_json", lambda name: bad)
    ctx.rules.cache_clear()
    try:
        with pytest.raises(MappingError, match="trigger_fillers"):
            ctx.rules()
    finally:
        monkeypatch.undo()
        ctx.rules.cache_clear()
    assert "all" in ctx.rules().fillers
