"""mappings/nlp_rules.json, loaded and checked once, and the two small word tests on it that both the
pipeline and the results reader use. It sits below both modules (the pipeline imports the results reader,
so the results reader cannot import the pipeline)."""
from __future__ import annotations

from ..errors import MappingError
from ..resources import check_no_repeats, load_json
from .tokens import Tok

# word lists read at import (a missing one is a MappingError, not a KeyError)
_REQUIRED_RULES = ("allergy_words", "allergy_links", "refusal_words", "treatment_cues", "non_specific_drugs",
                   "drug_effect_heads", "given_amount_ucum", "positive_for_heads", "target_words")


def _check_rules(d) -> dict:
    """mappings/nlp_rules.json: every rule is a list of non-empty strings, except the two word tables."""
    if not isinstance(d, dict):
        raise MappingError("mappings/nlp_rules.json: expected an object")
    missing = [k for k in _REQUIRED_RULES if k not in d]
    if missing:
        raise MappingError(f"mappings/nlp_rules.json: missing {missing}")
    tables = {"state_words": (str, type(None)), "finding_measures": (str, type(None)), "written_names": (str,), "birth_names": (str,),
              "self_stating_observables": (str,)}
    for k, v in d.items():
        if k.startswith("_"):
            continue
        if k == "other_measure_words":
            ok = isinstance(v, dict) and v and all(isinstance(c, str) and c and isinstance(ws, list) and ws and all(
                isinstance(w, str) and w.strip() for w in ws) for c, ws in v.items())
            if not ok:
                raise MappingError(f"mappings/nlp_rules.json: {k!r} must map codes to non-empty lists of words")
            continue
        if k in tables:
            ok = isinstance(v, dict) and v and all(isinstance(w, str) and w and isinstance(x, tables[k])
                                                   for w, x in v.items())
        else:
            ok = isinstance(v, list) and v and all(isinstance(w, str) and w.strip() for w in v)
        if not ok:
            raise MappingError(f"mappings/nlp_rules.json: {k!r} must be a non-empty "
                               + ("object of words" if k in tables else "list of non-empty strings"))
    check_no_repeats(d, "nlp_rules.json")
    return d


def _rules_json() -> dict:
    return _check_rules(load_json("nlp_rules.json"))


RULES = _rules_json()


def words(key: str) -> frozenset[str]:
    """A word list of mappings/nlp_rules.json (checked on load); a missing one is a MappingError."""
    if key not in RULES:
        raise MappingError(f"mappings/nlp_rules.json: missing {key!r}")
    return frozenset(RULES[key])


TREATMENT_CUES = words("treatment_cues")
CONC_DENOM = words("concentration_denominators")


def is_concentration(unit: str | None) -> bool:
    """"g/dL", "mmol/L", "pg/mL": a level in a body fluid; "mg/kg", "mg/day", "mg/m2" are doses."""
    if not unit or "/" not in unit:
        return False
    denom = unit.split("/", 1)[1].strip().lower().replace(" ", "")
    return denom in CONC_DENOM


def given_before(toks: list[Tok], lo: int, a: int) -> bool:
    """A treatment cue (nlp_rules.json treatment_cues) right before token a, or before 'of' there ("she received
    heparin", "the dose of lidocaine"): the drug named next is one given."""
    j = a - 1
    if j > lo and toks[j].norm == "of":
        j -= 1
    while j > lo and toks[j].norm in ("the", "a", "an", "his", "her", "their"):
        j -= 1
    return j >= lo and toks[j].norm in TREATMENT_CUES
