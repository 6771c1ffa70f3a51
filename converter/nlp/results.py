"""Results stated for a test or examination that no vocabulary names.

Case reports state far more results than any lab or vital-sign vocabulary covers: "the alternative
complement pathway was normal", "elevated PTHrP of 301 pg/mL", "FEV1/FVC 62.06%", "positive for
HIV", "a prolonged PR interval". ``find_results`` reads them from one sentence: a value with a
measurement unit (not a dose, size or time) and the words naming what was measured just before it;
or a result word ("normal", "elevated", "negative") with the words it is said of, before it
("X was normal", "ANA positive") or after it ("elevated PTHrP", "positive for HIV"). The name becomes
the Observation's ``code.text``; nothing is coded, because nothing was recognised.

Every word list lives in ``mappings/results.json``; this module only holds the scanning logic.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..errors import MappingError
from ..resources import check_no_repeats, load_json
from .rules import given_before, is_concentration
from .tokens import Tok, tokenize_phrase
from .values import LabValue, find_values, lab_rules, lowered, name_number_prefix, ucum_code

MAPPING = "results.json"
_WORDISH = re.compile(r"[A-Za-zµμα-ωΑ-Ω]")
_JOIN = {"-", "\u2013", "\u2212", "/", "'", ":"}
_PRIMES = {"'", "’", "′"}
_NUMERIC = re.compile(r"^[<>≤≥~]?\d")
_DIGIT = re.compile(r"\d")
# "(normal < 30 mmol/l)", "[reference range 4.5-18.0 nmol/mg]": a reference, not a further value
_REF_BEFORE = re.compile(r"(?:normal|reference|ref\.?|range|nl|rv|uln|lln|limit|cut-?off)\W*(?:value|range|is|of|:|=|<|>|≤|≥|\s)*$", re.I)
_CODES = ("H", "L", "N", "A", "POS", "NEG", None)
_RESTATE_OPEN = re.compile(r"\s*[(\[]\s*\+?")


@dataclass
class Result:
    name: tuple[int, int]  # token range [a, b) of the words naming what was measured
    value: LabValue  # value, unit, range; for a result word: the word and its interpretation
    word: tuple[int, int] | None  # character span of an interpretation word read with a value
    category: str
    series_of: int | None = None  # a later value of anchors[i] ("decreased from 115 to 40 mmol/L"), name unread
    orphan: int | None = None  # the value of orphans[i], a test named earlier that no value was read for
    label: str | None = None  # a name not written as one run of words ("NYHA class", "murmur grade")
    attach: bool = False  # the word is the interpretation of anchors[series_of], a test other rules read


@dataclass
class Anchor:
    """A value other rules read in the sentence; a later value in the same unit continues its series."""
    end: int
    unit: str | None
    name: tuple[int, int] | None = None  # token range of its name, for values read here
    root: int | None = None  # index of the caller's anchor whose series this continues
    numeric: bool = False  # its value is a number (a unitless one may go on: "decreased from 14.5 to 8.3")


def _fold(word: str) -> set[str]:
    """A listed word and, when it is one token, its token norm (plurals folded: 'whereas' -> 'wherea')."""
    t = tokenize_phrase(word)
    return {word, t[0]} if len(t) == 1 else {word}


class _Rules:
    def __init__(self, d: dict):
        phrases = lambda key: {tokenize_phrase(w) for w in d[key]}  # noqa: E731
        self.words = {tokenize_phrase(w): code for w, code in d["result_words"].items()}
        self.max_word = max(len(k) for k in self.words)
        self.word_starts = {k[0] for k in self.words}
        self.forward = phrases("forward_words")
        self.backward_only = phrases("backward_only_words")
        self.joiners = set(d["forward_joiners"])
        self.linking = phrases("linking_verbs")
        self.degree = set(d["degree_words"])
        self.skip = set(d["skip_before_value"])
        self.stop = {w for x in d["name_stop_words"] for w in _fold(x)}  # norms fold plurals ('whereas')
        self.heads_ok = set(d["name_heads_allowed_in_stop"])
        self.bad = {" ".join(tokenize_phrase(w)) for w in d["bad_names"]}
        self.unitless = set(d["accepted_unitless_heads"])
        self.rej_ucum = set(d["rejected_ucum"])
        self.rej_words = {w.lower() for w in d["rejected_unit_words"]}
        self.rej_parts = tuple(p.lower() for p in d["rejected_unit_parts"])
        self.accepted_ucum = set(d["accepted_ucum"])
        self.method_preps = {w.lower() for w in lab_rules()["method_prepositions"]}
        # the cells a count is of, written in its unit ("platelets per microliter"): lab_values.json count_nouns
        self.count_nouns = {" ".join(x.lower().split()) for x in lab_rules().get("count_nouns", [])} \
            - set(d["unnamed_count_nouns"])
        self.count_noun_max = max((len(x.split()) for x in self.count_nouns), default=1)
        self.hyphen_heads = set(d["hyphen_heads"])
        self.categories = {n: cat for cat, ws in d["categories"].items() for w in ws for n in _fold(w)}
        self.category_endings = [(tuple(ws), cat) for cat, ws in d["category_endings"].items() if not cat.startswith("_")]
        self.default_category = d["default_category"]
        self.signed_abbreviation_category = d["signed_abbreviation_category"]
        self.signed_condition_category = d["signed_condition_category"]
        ap = d["adjective_pair"]
        self.pair_units = {u.replace(" ", "").lower() for u in ap["units"]}
        self.pair_label, self.pair_category = ap["label"], ap["category"]
        self.max_name = int(d["max_name_tokens"])
        self.measurable = set(d["measurable_heads"])
        self.condition_measures = {w for x in d["condition_measures"] for w in _fold(x)}
        self.predicated_measures = {w for x in d["predicated_condition_measures"] for w in _fold(x)}
        self.needs_measurable = phrases("forward_needs_measurable")
        self.adjective_endings = tuple(d["adjective_endings"])
        self.generic_heads = phrases("generic_heads")
        self.generic_heads_words = {w for p in self.generic_heads for w in p}
        g = d["grades"]
        alt = lambda ws: "|".join(re.escape(w).replace("\\ ", r"\s+") for w in sorted(ws, key=len, reverse=True))  # noqa: E731
        self.grade = re.compile(
            r"(?<![\w-])(?:(?P<qual>" + alt(g["qualifiers"]) + r")(?:\s*\([A-Za-z](?:[A-Za-z]|[ -](?=[A-Za-z])){1,60}\))?\s+(?:functional\s+|performance\s+)?)?"
            r"(?P<kind>" + alt(g["kinds"]) + r")(?:\s*\([A-Za-z]{2,6}\))?(?:\s+score)?(?:\s*[:=]\s*|\s+(?:was|is|of)\s+|\s*)(?P<v>" + g["values"] + r")(?![\w/])"
            r"|(?<![\w-])(?P<ord>" + g["ordinal_values"] + r")(?:st|nd|rd|th)\s+(?P<kind2>degree)(?!\w)"
            r"|(?<![\w/-])(?P<fv>\d{1,2}\s*/\s*\d{1,2})\s+(?P<kind3>" + alt(g["after_value_kinds"]) + r")(?!\w)"
            r"|(?<![\w-])(?P<short>" + g["short_grades"] + r")(?![\w/-])"
            r"|(?<![\w/.-])(?P<ffv>\d\s*/\s*" + g["fraction_denominators"] + r")(?![\w/])"
            r"(?=(?:\s+[A-Za-z][\w-]*){0,3}?\s+(?:" + alt(g["fraction_findings"]) + r")(?!\w))", re.I)
        self.tnm = re.compile(r"(?<![\w-])(?P<v>[pcyra]?T(?:[0-4][a-d]?|is|x|X)\s*N(?:[0-3][a-c]?|x|X)(?:\s*M(?:[01][a-c]?|x|X))?)(?![\w])")
        self.tnm_label = g["tnm_label"]
        # read in the lower-cased text: a case-blind alternation starting with letters is tried at every
        # character, a case-sensitive one skips to its possible first letters (ten times faster here)
        self.grade_hint = re.compile(r"(?:" + alt([w.lower() for w in g["kinds"] + g["fraction_findings"]]) + r")")
        self.short_grade_hint = re.compile(r"(?<![\w-])" + g["short_grades"], re.I)
        self.tnm_hint = re.compile(r"(?<![A-Za-z])[pcyra]?T(?:[0-4]|is|x|X)")
        self.grade_gap = int(g["max_tokens_to_finding"])
        self.standalone_kinds = {" ".join(w.lower().split()) for w in g["standalone_kinds"]}
        self.toxicity_findings = {" ".join(tokenize_phrase(w)) for w in g["toxicity_findings"]}
        self.toxicity_grade = re.compile(g["toxicity_values"])
        self.trend = {tokenize_phrase(w): code for w, code in d["trend_words"].items()}
        self.trend_starts = {k[0] for k in self.trend}  # "continued to improve", "did not improve": several words
        self.max_trend = max((len(k) for k in self.trend), default=1)
        self.reporting = phrases("reporting_verbs")
        self.orphan_block = set(d["orphan_blocking_next_words"])
        self.respectively = re.compile(r"\brespectively\b", re.I)
        self.drug_test_heads = set(d["drug_test_heads"])
        self.drug_enzyme_endings = tuple(w.lower() for w in d["drug_enzyme_endings"])
        self.inner_words = set(d["name_inner_words"])
        self.result_nouns = set(d["result_nouns"])
        self.share_words = {w for x in d["share_words"] for w in _fold(x)}
        self.history_subjects = {w for x in d["history_subjects"] for w in _fold(x)}
        self.signed_kind_heads = {w for x in d["signed_kind_heads"] for w in _fold(x)}
        rs = d["recording_sites"]
        self.recording_plural = {x.lower() for x in rs["plural"]}  # as written: token norms fold plurals
        self.recording_singular = {x.lower() for x in rs["singular"]}
        self.recording_label = re.compile(rs["labels"])
        self.drug_measures = {" ".join(tokenize_phrase(w)) for w in d["drug_measures"]}
        cb = d["change_by"]
        self.change_verbs = {w.lower(): c for w, c in cb["verbs"].items()}
        self.change_by = re.compile(r"\b(?P<verb>" + alt(cb["verbs"]) + r")\s+by\s+(?:(?:" + alt(cb["fillers"])
                                    + r")\s+)?$", re.I)
        self.change_renamed = cb["renamed"]
        self.change_category = cb["category"]

        self.reported = phrases("reported_words")
        self.specimens = {tokenize_phrase(w): sp for w, sp in d["specimen_words"].items()}
        self.specimen_list = {w for x in d["specimen_list_words"] for w in tokenize_phrase(x)}
        self.specimen_default = {w for x in d["specimen_default_words"] for w in tokenize_phrase(x)}
        wc = d["weight_change"]
        self.wc_findings = {tokenize_phrase(w) for w in wc["findings"]}
        self.wc_max = max(len(f) for f in self.wc_findings)
        self.wc_verbs = {tokenize_phrase(w): name for w, name in wc["verbs"].items()}
        self.wc_units = set(wc["units"])
        self.wc_gap = {tokenize_phrase(w)[0] for w in wc["gap_words"]}
        self.wc_category = wc["category"]
        self.measured_units = [({tokenize_phrase(h) for h in e["heads"]}, set(e["units"]), e["min_words"],
                                {w for x in e.get("not_after", []) for w in tokenize_phrase(x)})
                               for e in d["measured_units"]["entries"]]
        ab = d["antibody_of"]
        self.ab_classes = {tokenize_phrase(w) for w in ab["classes"]}
        self.ab_prefixes = tuple(w.lower() for w in ab["prefixes"])
        self.ab_stop = {w for x in ab["stop_words"] for w in tokenize_phrase(x)}
        self.ab_max = int(ab["max_words"])
        self.ab_total = {w for x in ab["total_words"] for w in _fold(x)}
        us = d["unitless_series"]
        side = r"(?:the\s+)?(?:" + alt(us["side_words"]) + r")(?:\s+(?:" + alt(us["side_nouns"]) + r"))?(?!\w)"
        joiner = r"(?:" + alt(us["timed_joiners"]) + r")"
        self.unitless_series = re.compile(
            r"\s*(?:(?:" + alt(us["bare_joiners"]) + r")|(?:" + alt(us["time_prepositions"]) + r")\s[^,;()\[\]]{1,"
            + str(int(us["max_time_chars"])) + r"}?\s*" + joiner
            # "0.9 in the right eye and 0.8", "right 0.9 (90%) and left 0.8"
            + r"|(?:in|on|for)\s+" + side + r"\s*" + joiner
            + r"|(?:[(\[][^()\[\]]{1,20}[)\]]\s*)?" + joiner + r"\s*" + side + r"(?:\s*[:=])?)\s*", re.I)
        sa = d["scale_after_value"]
        self.scale_links = sorted({tokenize_phrase(w) for w in sa["links"]}, key=len, reverse=True)
        self.scale_heads = {tokenize_phrase(w)[-1] for w in sa["heads"]}
        self.scale_max = int(sa["max_words"])
        self.percent_findings = {tokenize_phrase(w)[-1] for w in d["percent_findings"]["heads"]}
        self.length_findings = {tokenize_phrase(w)[-1] for w in d["percent_findings"]["length_heads"]}
        self.cell_heads = {tokenize_phrase(w)[-1] for w in d["cell_percentages"]["heads"]}
        self.cell_max = int(d["cell_percentages"]["max_words"])
        self.fraction_scales = []
        self.fraction_gap = int(d["fraction_scales"]["max_tokens_to_words_after"])
        for x in d["fraction_scales"]["scales"]:
            words = {tokenize_phrase(w) for w in x["words"]}
            rx = re.compile(r"(?<![\w/.,+-])(?:" + x["value"] + r")(?![\w/]|[.,]\d)")
            self.fraction_scales.append((words, max(len(w) for w in words), rx))
        # "CD34 (+)", "P53 (–)": the signs values.py reads as a qualitative result (lab_values.json)
        self.signs = dict(lab_rules()["qualitative_signs"])
        self.sign_rx = re.compile("|".join(re.escape(x) for x in sorted(self.signs, key=len, reverse=True)))
        nb = d["name_bridges"]
        self.bridges = {tokenize_phrase(w)[0] for w in nb["words"]}
        self.test_for_heads = {w for x in d["test_for_heads"] for w in _fold(x)}
        self.bridge_max = int(nb["max_tokens"])
        nv = d["name_verbs"]
        self.verb_endings = tuple(nv["endings"])
        self.verb_min = int(nv["min_chars"])
        self.verbs = {w for x in nv["words"] for w in _fold(x)}
        po = d["phrase_objects"]
        self.po_preps = {w for x in po["prepositions"] for w in tokenize_phrase(x)}
        self.po_fillers = {w for x in po["fillers"] for w in tokenize_phrase(x)}
        self.fwd_fillers = {w for x in d["forward_name_fillers"] for w in _fold(x)}
        po = d["procedure_outcomes"]
        self.outcome_words = {tokenize_phrase(w) for w in po["words"]}
        self.procedure_heads = {w for x in po["heads"] for w in tokenize_phrase(x)}
        self.trend.update({tokenize_phrase(w): code for w, code in po["words"].items()})
        self.trend_starts |= {k[0] for k in self.outcome_words}
        self.max_trend = max(self.max_trend, max((len(k) for k in self.outcome_words), default=1))
        self.trend_joiners = {w for x in d["trend_joiners"]["words"] for w in tokenize_phrase(x)}
        self.denied_change = {w for x in d["denied_change"]["words"] for w in tokenize_phrase(x)}
        self.denied_change_fillers = {w for x in d["denied_change"]["fillers"] for w in tokenize_phrase(x)}
        self.clause_joiners = {w for x in d["clause_joiners"]["words"] for w in tokenize_phrase(x)}
        self.ly_adjectives = {tokenize_phrase(w)[0] for w in d["ly_adjectives"]["words"]}
        self.figure_words = tuple(sorted({w.lower() for w in lab_rules()["reference_list_prefixes"]}, key=len, reverse=True))
        self.after_signed = {tokenize_phrase(w)[0] for w in d["after_signed_result"]["words"]}
        ra = d["reported_absent"]
        self.absent_words = {tokenize_phrase(w)[0] for w in ra["words"]}
        self.absent_heads = {tokenize_phrase(w)[-1] for w in ra["heads"]}
        self.locant_min = int(d["locant_min_letters"])
        self.relative_subjects = sorted({tokenize_phrase(w) for w in d["relative_subjects"]["words"]}, key=len, reverse=True)
        self.measured_only = {tokenize_phrase(w) for w in d["measured_only_words"]["words"]}
        self.titre_gap = set(d["titre_after_result"]["words"])
        self.titre_rx = re.compile(d["titre_after_result"]["value"])
        self.fluid_cell_nouns = {w.lower() for w in d["fluid_cells"]["nouns"]}
        self.fluid_cell_label = d["fluid_cells"]["label"]
        self.times_words = {w for x in d["times_upper_limit"]["words"] for w in tokenize_phrase(x)[:1]}
        self.share_verbs = sorted({tokenize_phrase(w) for w in d["share_verbs"]["words"]}, key=len, reverse=True)
        cg = d["culture_growth"]
        self.growth_heads = {w for x in cg["heads"] for w in tokenize_phrase(x)}
        self.growth_verbs = sorted({tokenize_phrase(w) for w in cg["verbs"]}, key=len, reverse=True)
        self.growth_leads = {tokenize_phrase(w) for w in cg["leads"]}
        self.growth_stops = {w for x in cg["stops"] for w in tokenize_phrase(x)}
        cm = d["compound_measures"]
        self.compound_after = {w for x in cm["after"] for w in tokenize_phrase(x)}
        self.compound_of_heads = {w for x in cm["of_heads"] for w in tokenize_phrase(x)}
        wb = d["word_before_name"]
        self.wb_fillers = {tokenize_phrase(w)[0] for w in wb["fillers"]}
        self.wb_max = int(wb["max_fillers"])

    def change_at(self, text: str, lo: int, start: int) -> str | None:
        """'L' or 'H' when a verb of change and 'by' end right before ``start`` ("decreased by 23 kg")."""
        m = self.change_by.search(text[max(lo, start - 60):start])
        return self.change_verbs[m.group("verb").lower()] if m else None


def _word_lists(d: dict, key: str, lists: tuple[str, ...], single: bool = True, ints: dict | None = None) -> None:
    """``d[key]`` is an object whose ``lists`` are non-empty lists of words (one token each when ``single``) and
    whose ``ints`` (name -> least value) are integers of at least that value."""
    g = d.get(key)
    ok = isinstance(g, dict) and all(isinstance(g.get(k), list) and g[k] and all(
        isinstance(x, str) and x.strip() and (not single or len(tokenize_phrase(x)) == 1) for x in g[k]) for k in lists) \
        and all(isinstance(g.get(k), int) and not isinstance(g[k], bool) and g[k] >= least for k, least in (ints or {}).items())
    if not ok:
        kind = "single words" if single else "strings"
        also = "".join(f", {k} (integer >= {least})" for k, least in (ints or {}).items())
        raise MappingError(f"mappings/{MAPPING}: {key!r} needs {' and '.join(lists)} (non-empty lists of {kind}){also}")


# lists no entry may be in both of: a word read forward is not one read only backward; a unit accepted is not
# one rejected (units compared as written: '[IU]' is not '[iU]')
_DISJOINT = (("forward_words", "backward_only_words", tokenize_phrase), ("accepted_ucum", "rejected_ucum", str))


def _check(d) -> dict:
    if not isinstance(d, dict):
        raise MappingError(f"mappings/{MAPPING}: expected an object")
    lists = ["forward_words", "forward_joiners", "backward_only_words", "linking_verbs", "degree_words",
             "skip_before_value", "name_stop_words", "name_heads_allowed_in_stop", "bad_names",
             "accepted_unitless_heads", "rejected_ucum", "rejected_unit_words", "rejected_unit_parts",
             "measurable_heads", "forward_needs_measurable", "accepted_ucum", "unnamed_count_nouns", "hyphen_heads", "adjective_endings", "generic_heads", "reporting_verbs",
             "drug_test_heads", "drug_enzyme_endings", "name_inner_words",
             "result_nouns", "reported_words", "condition_measures", "predicated_condition_measures", "forward_name_fillers", "history_subjects",
             "drug_measures", "share_words", "signed_kind_heads", "test_for_heads"]
    cats = d.get("categories")
    if not isinstance(cats, dict) or not all(isinstance(v, list) for v in cats.values()):
        raise MappingError(f"mappings/{MAPPING}: 'categories' must map a category to a list of words")
    for key in ("default_category", "signed_abbreviation_category", "signed_condition_category"):
        if not isinstance(d.get(key), str) or d[key] not in cats:
            raise MappingError(f"mappings/{MAPPING}: {key!r} must be one of the 'categories'")
    ap = d.get("adjective_pair")
    if not isinstance(ap, dict) or not isinstance(ap.get("units"), list) or not ap["units"] \
            or not all(isinstance(x, str) and x.strip() for x in ap["units"]) \
            or not all(isinstance(ap.get(k), str) and ap[k].strip() for k in ("label", "category")):
        raise MappingError(f"mappings/{MAPPING}: 'adjective_pair' needs units (non-empty list of strings), label and category")
    g = d.get("grades")
    if not isinstance(g, dict) or not all(isinstance(g.get(k), list) and g[k] for k in ("kinds", "qualifiers", "after_value_kinds", "standalone_kinds", "fraction_findings", "toxicity_findings")) \
            or not all(isinstance(g.get(k), str) for k in ("values", "tnm_label", "short_grades", "ordinal_values", "fraction_denominators")):
        raise MappingError(f"mappings/{MAPPING}: 'grades' needs kinds, qualifiers, after_value_kinds, standalone_kinds, fraction_findings, toxicity_findings (lists), values, "
                           "tnm_label, short_grades, ordinal_values and fraction_denominators (strings)")
    for k in ("values", "short_grades", "ordinal_values", "fraction_denominators"):
        try:
            re.compile(g[k])
        except re.error as e:
            raise MappingError(f"mappings/{MAPPING}: grades {k} {g[k]!r}: {e}") from None
    try:
        re.compile(g.get("toxicity_values") or "(")
    except (re.error, TypeError):
        raise MappingError(f"mappings/{MAPPING}: grades needs toxicity_values (a regular expression)") from None
    for key in lists + ["specimen_list_words", "specimen_default_words"]:
        v = d.get(key)
        if not isinstance(v, list) or not v or not all(isinstance(x, str) and x.strip() for x in v):
            raise MappingError(f"mappings/{MAPPING}: {key!r} must be a non-empty list of strings")
    rs = d.get("recording_sites")
    if not isinstance(rs, dict) or not all(isinstance(rs.get(k), list) and rs[k] and all(
            isinstance(x, str) and x.strip() for x in rs[k]) for k in ("plural", "singular")) \
            or not isinstance(rs.get("labels"), str):
        raise MappingError(f"mappings/{MAPPING}: 'recording_sites' needs plural and singular (lists of words) and labels (a regex)")
    cb = d.get("change_by")
    if not isinstance(cb, dict) or not isinstance(cb.get("verbs"), dict) or not cb["verbs"] or not all(
            isinstance(w, str) and w.strip() and c in ("H", "L") for w, c in cb["verbs"].items()) \
            or not isinstance(cb.get("fillers"), list) or not all(isinstance(w, str) and w.strip() for w in cb["fillers"]) \
            or not isinstance(cb.get("renamed"), dict) or not all(isinstance(n, dict) and n and set(n) <= {"H", "L"} and all(
                isinstance(x, str) and x.strip() for x in n.values()) for n in cb["renamed"].values()) \
            or cb.get("category") not in cats:
        raise MappingError(f"mappings/{MAPPING}: 'change_by' needs verbs (word -> H/L), fillers, renamed "
                           "(code -> {H/L: name}) and a category of 'categories'")
    wc = d.get("weight_change")
    if not isinstance(wc, dict) or not all(isinstance(wc.get(k), list) and wc[k] and all(isinstance(x, str) and x.strip()
                                                                                          for x in wc[k])
                                           for k in ("findings", "units", "gap_words")) \
            or not isinstance(wc.get("verbs"), dict) or not wc["verbs"] \
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in wc["verbs"].items()) \
            or not isinstance(wc.get("category"), str) or any(len(tokenize_phrase(w)) != 1 for w in wc["gap_words"]):
        raise MappingError(f"mappings/{MAPPING}: 'weight_change' needs findings, units, gap_words (one word each) "
                           "(lists), verbs (object of strings) and category (string)")
    mu = d.get("measured_units")
    if not isinstance(mu, dict) or not isinstance(mu.get("entries"), list) or not mu["entries"] or not all(
            isinstance(e, dict) and isinstance(e.get("min_words"), int) and not isinstance(e["min_words"], bool)
            and all(isinstance(e.get(k), list) and e[k] and all(isinstance(x, str) and x.strip() for x in e[k])
                    for k in ("heads", "units")) for e in mu["entries"]) or not all(
            isinstance(e.get("not_after", []), list) and all(isinstance(x, str) and x.strip() for x in e.get("not_after", []))
            and not set(e) - {"heads", "units", "min_words", "not_after", "_about"} for e in mu["entries"]):
        raise MappingError(f"mappings/{MAPPING}: 'measured_units' needs entries: objects with heads and units "
                           "(non-empty lists of strings), min_words (integer) and optionally not_after (list of strings)")
    sa, pf = d.get("scale_after_value"), d.get("percent_findings")
    if not isinstance(sa, dict) or not all(isinstance(sa.get(k), list) and sa[k] and all(
            isinstance(x, str) and x.strip() for x in sa[k]) for k in ("links", "heads")) \
            or not isinstance(sa.get("max_words"), int) or isinstance(sa["max_words"], bool):
        raise MappingError(f"mappings/{MAPPING}: 'scale_after_value' needs links, heads (non-empty lists of strings) "
                           "and max_words (integer)")
    if not isinstance(pf, dict) or not all(isinstance(pf.get(k), list) and pf[k] and all(
            isinstance(x, str) and x.strip() for x in pf[k]) for k in ("heads", "length_heads")):
        raise MappingError(f"mappings/{MAPPING}: 'percent_findings' needs heads and length_heads (non-empty lists of strings)")
    ab = d.get("antibody_of")
    if not isinstance(ab, dict) or not all(isinstance(ab.get(k), list) and ab[k] and all(
            isinstance(x, str) and x.strip() for x in ab[k]) for k in ("classes", "prefixes", "stop_words", "total_words")) \
            or not isinstance(ab.get("max_words"), int) or isinstance(ab["max_words"], bool) or ab["max_words"] < 1:
        raise MappingError(f"mappings/{MAPPING}: 'antibody_of' needs classes, prefixes, stop_words, total_words (non-empty lists "
                           "of strings) and max_words (integer >= 1)")
    us = d.get("unitless_series")
    if not isinstance(us, dict) or not all(isinstance(us.get(k), list) and us[k] and all(
            isinstance(x, str) and x.strip() for x in us[k]) for k in ("bare_joiners", "timed_joiners", "time_prepositions",
                                                                        "side_words", "side_nouns")) \
            or not isinstance(us.get("max_time_chars"), int) or isinstance(us["max_time_chars"], bool) or us["max_time_chars"] < 1:
        raise MappingError(f"mappings/{MAPPING}: 'unitless_series' needs bare_joiners, timed_joiners, time_prepositions "
                           "side_words, side_nouns (non-empty lists of strings) and max_time_chars (integer >= 1)")
    cp = d.get("cell_percentages")
    if not isinstance(cp, dict) or not isinstance(cp.get("heads"), list) or not cp["heads"] \
            or not all(isinstance(x, str) and x.strip() for x in cp["heads"]) \
            or not isinstance(cp.get("max_words"), int) or isinstance(cp["max_words"], bool) or cp["max_words"] < 1:
        raise MappingError(f"mappings/{MAPPING}: 'cell_percentages' needs heads (non-empty list of strings) and max_words (integer >= 1)")
    fs = d.get("fraction_scales")
    if not isinstance(fs, dict) or not isinstance(fs.get("scales"), list) or not fs["scales"] or not all(
            isinstance(x, dict) and isinstance(x.get("words"), list) and x["words"]
            and all(isinstance(w, str) and w.strip() for w in x["words"]) and isinstance(x.get("value"), str)
            for x in fs["scales"]):
        raise MappingError(f"mappings/{MAPPING}: 'fraction_scales' needs scales: objects with words (non-empty list "
                           "of strings) and value (a regular expression)")
    if not isinstance(fs.get("max_tokens_to_words_after"), int) or isinstance(fs["max_tokens_to_words_after"], bool):
        raise MappingError(f"mappings/{MAPPING}: 'fraction_scales' needs max_tokens_to_words_after (integer)")
    for x in fs["scales"]:
        try:
            re.compile(x["value"])
        except re.error as e:
            raise MappingError(f"mappings/{MAPPING}: fraction_scales value {x['value']!r}: {e}") from None
    _word_lists(d, "name_bridges", ("words",), ints={"max_tokens": 1})
    _word_lists(d, "name_verbs", ("endings", "words"), ints={"min_chars": 1})
    _word_lists(d, "phrase_objects", ("prepositions", "fillers"), single=True)
    _word_lists(d, "ly_adjectives", ("words",), single=True)
    _word_lists(d, "compound_measures", ("after", "of_heads"), single=True)
    _word_lists(d, "measured_only_words", ("words",), single=False)
    _word_lists(d, "titre_after_result", ("words",))
    try:
        re.compile(d["titre_after_result"].get("value") or "(")
    except (re.error, TypeError) as exc:
        raise MappingError(f"mappings/{MAPPING}: 'titre_after_result' needs value (a regular expression)") from exc
    _word_lists(d, "share_verbs", ("words",), single=False)
    _word_lists(d, "times_upper_limit", ("words",), single=False)
    _word_lists(d, "fluid_cells", ("nouns",), single=True)
    if not isinstance(d["fluid_cells"].get("label"), str) or not d["fluid_cells"]["label"].strip():
        raise MappingError(f"mappings/{MAPPING}: 'fluid_cells' needs a label (string)")
    _word_lists(d, "culture_growth", ("heads", "verbs", "leads", "stops"), single=False)
    _word_lists(d, "after_signed_result", ("words",), single=True)
    _word_lists(d, "reported_absent", ("words", "heads"), single=True)
    _word_lists(d, "relative_subjects", ("words",), single=False)
    po = d.get("procedure_outcomes")
    if not isinstance(po, dict) or not isinstance(po.get("words"), dict) or not po["words"] \
            or not all(isinstance(k, str) and k.strip() and c in _CODES for k, c in po["words"].items()) \
            or not isinstance(po.get("heads"), list) or not po["heads"] \
            or not all(isinstance(x, str) and len(tokenize_phrase(x)) == 1 for x in po["heads"]):
        raise MappingError(f"mappings/{MAPPING}: 'procedure_outcomes' needs words (outcome phrase -> H, L, N, A, POS, NEG "
                           "or null) and heads (non-empty list of single words)")
    _word_lists(d, "denied_change", ("words", "fillers"), single=True)
    _word_lists(d, "trend_joiners", ("words",), single=True)
    _word_lists(d, "clause_joiners", ("words",), single=True)
    _word_lists(d, "word_before_name", ("fillers",), ints={"max_fillers": 0})
    words = d.get("result_words")
    if not isinstance(words, dict) or not words or not all(
            isinstance(k, str) and c in _CODES for k, c in words.items()):
        raise MappingError(f"mappings/{MAPPING}: 'result_words' must map words to H, L, N, A, POS, NEG or null")
    trend = d.get("trend_words")
    if not isinstance(trend, dict) or not all(isinstance(k, str) and c in _CODES for k, c in trend.items()):
        raise MappingError(f"mappings/{MAPPING}: 'trend_words' must map words to H, L, N, A, POS, NEG or null")
    for w in d["forward_words"] + d["backward_only_words"] + d["reported_words"]:
        if w not in words:
            raise MappingError(f"mappings/{MAPPING}: {w!r} is not one of the result_words")
    check_no_repeats(d, MAPPING)
    for a, b, same in _DISJOINT:
        both = sorted({same(x) for x in d[a]} & {same(x) for x in d[b]})
        if both:
            raise MappingError(f"mappings/{MAPPING}: {both} in both {a!r} and {b!r}")
    ce = d.get("category_endings")
    if not isinstance(ce, dict) or not all(k.startswith("_") and isinstance(v, str) or isinstance(v, list) and v and all(
            isinstance(x, str) and x.strip() for x in v) for k, v in ce.items()) \
            or not set(k for k in ce if not k.startswith("_")) <= set(cats):
        raise MappingError(f"mappings/{MAPPING}: 'category_endings' must map categories of 'categories' to "
                           "non-empty lists of word endings")
    if not isinstance(d.get("locant_min_letters"), int) or isinstance(d["locant_min_letters"], bool) or d["locant_min_letters"] < 1:
        raise MappingError(f"mappings/{MAPPING}: 'locant_min_letters' (integer >= 1) is required")
    if not isinstance(d.get("max_name_tokens"), int):
        raise MappingError(f"mappings/{MAPPING}: 'max_name_tokens' (integer) is required")
    return d


@lru_cache(maxsize=1)
def rules() -> _Rules:
    return _Rules(_check(load_json(MAPPING)))


def _wordish(t: Tok) -> bool:
    return bool(_WORDISH.search(t.text))


class _Scan:
    def __init__(self, text: str, toks: list[Tok], lo: int, hi: int, blocked: list[tuple[int, int, str]]):
        self.text, self.toks, self.lo, self.hi = text, toks, lo, hi
        self.R = rules()
        self.blocked = blocked  # token ranges of vocabulary matches: (a, b, kind)
        self.in_values: set[int] = set()  # tokens inside value expressions

    # ---------------------------------------------------------------- names
    def _name_tok(self, k: int, first: bool) -> bool:
        if k in self.in_values:
            return False  # "... were 7.50, 34 mmHg, 67 mmHg": a value is no part of a name
        t = self.toks[k]
        if t.text in _PRIMES and k - 1 >= self.lo and self.toks[k - 1].end == t.start \
                and len(self.toks[k - 1].text) == 1 and self.toks[k - 1].text.isalpha():
            return True  # "E/e’ ratio": a prime glued to its letter (not the quote closing "‘good’ LE")
        if self.marker_number(k):
            return True  # "cytokeratin 7", "CD 34", "CD 4/8 ratio": the number is part of the marker's name
        if not _wordish(t) and not (not first and t.text[:1].isdigit()):
            return False
        if first and t.text == "A" and k - 1 >= self.lo and _wordish(self.toks[k - 1]) \
                and self.toks[k - 1].norm not in self.R.stop and self.toks[k - 1].end < t.start:
            return True  # "serum amyloid A", "vitamin A": a capital A closing a name is no article
        return t.norm not in self.R.stop or t.norm in self.R.heads_ok or self.inner(k) or self.glued_letter(k)

    def marker_number(self, k: int) -> bool:
        """'7' in "cytokeratin 7", '8' in "CD 4/8 ratio": digits written after a word that names with a
        number (lab_values.json name_number_prefixes), or glued by a slash to such digits."""
        toks = self.toks
        if not toks[k].text.isdigit() or k - 1 < self.lo:
            return False
        p = toks[k - 1]
        if p.text in _JOIN and p.end == toks[k].start and k - 2 >= self.lo and toks[k - 2].end == p.start:
            return self.marker_number(k - 2)
        return name_number_prefix(p.text) and toks[k].start - p.end <= 1

    def glued_letter(self, k: int) -> bool:
        """'A' in "E/A ratio": a single letter joined to the next or previous word is part of that name."""
        toks, t = self.toks, self.toks[k]
        if len(t.text) != 1 or not t.text.isalpha():
            return False
        if k - 1 >= self.lo and toks[k - 1].end == t.start and toks[k - 1].text[-1:].isdigit() \
                and toks[k - 1].text[:1].isalpha():
            return True  # "CD1a", "HbA1c": the letter closes a name the tokenizer split after its digit
        nxt = k + 2 < len(toks) and toks[k + 1].text in _JOIN and toks[k + 1].start == t.end \
            and toks[k + 2].start == toks[k + 1].end and _wordish(toks[k + 2])
        prv = k - 2 >= 0 and toks[k - 1].text in _JOIN and toks[k - 1].end == t.start \
            and toks[k - 2].end == toks[k - 1].start and _wordish(toks[k - 2])
        return nxt or prv

    def inner(self, k: int) -> bool:
        """'right' in "normal right ventricular function": a word that ends no name but may begin one
        when a name word follows it."""
        toks = self.toks
        n = k + 1
        if n + 1 < self.hi and toks[n].text in ("-", "‐") and toks[n].start == toks[k].end and toks[n + 1].start == toks[n].end:
            n += 1  # "right-ventricular systolic pressure": the hyphen joins it to the name word
        return toks[k].norm in self.R.inner_words and n < self.hi and n not in self.in_values \
            and _wordish(toks[n]) and toks[n].norm not in self.R.stop

    def name_back(self, k: int, skip: bool = True, drugs_ok: bool = False) -> tuple[int, int] | None:
        """The words just before token k (after linking words when ``skip``): [a, b)."""
        R, toks = self.R, self.toks
        j, skipped = k - 1, 0
        while skip and j >= self.lo and skipped < 4 and (toks[j].norm in R.skip or toks[j].text in "(:=[") \
                and toks[j].norm not in R.heads_ok:
            j, skipped = j - 1, skipped + 1
        end = j + 1
        n = 0
        while j >= self.lo and n < R.max_name:
            if j == end - 1 and toks[j].text.isdigit() and self.abbreviation_inside(j - 1, end):
                j, n = j - 4, n + 1  # "carbohydrate antigen (CA) 125 was ...": the number closes the name
                continue
            if self.abbreviation_inside(j, end):
                j -= 3  # "total immunoglobulin (Ig) G", "carbohydrate antigen (CA) 125": the short form inside the name
                continue
            if toks[j].norm == "of" and n and j - 1 >= self.lo and self._name_tok(j - 1, False) \
                    and toks[j - 1].norm not in R.stop and toks[j + 1].norm not in R.stop \
                    and (toks[j - 1].norm,) not in R.words:  # not "elevation of E/e’ ratio"
                j -= 1  # "STS risk of mortality was 2.4%", "fraction of inspired oxygen"
                continue
            if self._name_tok(j, j == end - 1) or self.hyphened(j, end) or (toks[j].text in _JOIN and j + 1 < end and j - 1 >= self.lo
                                                   and (_wordish(toks[j - 1]) or self.marker_number(j - 1))
                                                   and toks[j].start == toks[j - 1].end
                                                   and toks[j + 1].start == toks[j].end):
                j -= 1
                n += toks[j + 1].text not in _JOIN
                continue
            if toks[j].text == "+" and j + 1 < end and j - 1 >= self.lo and toks[j - 1].end == toks[j].start \
                    and _abbreviation(toks[j - 1]):
                j -= 1  # "CD4+ T cells": the marker's sign is part of the name
                continue
            if j - 1 >= self.lo and j + 1 < end and self.locant(j - 1):  # locant() checks the hyphen at j
                j -= 2  # "urinary 5-hydroxyindoleacetic acid": the locant is the compound's own
                n += 1
                continue
            break
        start = j + 1
        while start < end and (toks[start].text in _JOIN or (toks[start].norm in R.stop and toks[start].norm not in R.heads_ok
                                                             and not self.inner(start) and not self.glued_letter(start)
                                                             and not self.hyphened(start, end))):
            start += 1
        if start > self.lo and start < end and toks[start - 1].text in ("-", "‐") and toks[start - 1].end == toks[start].start:
            if start - 2 >= self.lo and toks[start - 2].norm in R.degree and toks[start - 2].text.isalpha() \
                    and toks[start - 2].end == toks[start - 1].start:
                start -= 2  # "very-long-chain fatty acids": a degree word is the name's own
            else:
                return None  # "low-grade fever (38.4 °C)": the words run on before a hyphen
        while start < end and self.verb(end - 1):
            end -= 1  # "his PIPs oscillated between 15 and 45 cm H2O": what did it is the name
        return (start, end) if self.valid(start, end, drugs_ok) else None

    def abbreviation_inside(self, j: int, end: int) -> bool:
        """')' at j in "immunoglobulin (Ig) G", "carbohydrate antigen (CA) 125": the short form of the words
        before it, in brackets, with the one letter or number that completes the name written right after it."""
        toks = self.toks
        if j + 1 >= end or toks[j].text != ")" or j - 3 < self.lo or toks[j - 2].text != "(" \
                or not (toks[j - 1].text[:1].isupper() and toks[j - 1].text.isalnum() and len(toks[j - 1].text) <= 6) \
                or not _wordish(toks[j - 3]):
            return False
        suffix, abbr = toks[j + 1].text, toks[j - 1].text
        if not (suffix.isdigit() or (len(suffix) == 1 and suffix.isupper())):
            return False
        words = [t.text.lower() for t in toks[max(self.lo, j - 5):j - 2] if _wordish(t)]
        return any(w[:1] == abbr[:1].lower() for w in words)

    def hyphened(self, j: int, end: int) -> bool:
        """'to' in "cup-to-disc ratio": a word glued by hyphens on both sides, inside a name ending before ``end``;
        'high' in "high-frequency hearing loss": one of results.json hyphen_heads glued to the next word."""
        toks = self.toks
        before = self.lo < j - 1 and toks[j - 1].text in ("-", "‐") and toks[j - 2].end == toks[j - 1].start \
            and toks[j - 1].end == toks[j].start
        return j + 2 < end and _wordish(toks[j]) and toks[j + 1].text in ("-", "‐") and toks[j].end == toks[j + 1].start \
            and toks[j + 1].end == toks[j + 2].start and (before or toks[j].norm in self.R.hyphen_heads)

    def verb(self, k: int) -> bool:
        """A word saying what the named thing did ('oscillated', 'remains'): no part of a name (name_verbs)."""
        R, t = self.R, self.toks[k]
        w = t.text
        if t.norm in R.verbs and w.islower():
            return True
        return w.isalpha() and w.islower() and len(w) >= R.verb_min and w.endswith(R.verb_endings) \
            and t.norm not in R.heads_ok and t.norm not in R.measurable

    def name_fwd(self, k: int, check: bool = True) -> tuple[int, int] | None:
        """The words just after token k (after 'of', 'for', 'in'): [a, b); unchecked (``valid``) unless ``check``."""
        R, toks = self.R, self.toks
        j = k
        if j < self.hi and toks[j].norm in R.joiners:
            j += 1
        while j < self.hi and (toks[j].norm in R.fwd_fillers
                               or (toks[j].norm == "patient" and j + 1 < self.hi and toks[j + 1].norm in ("'s", "’s"))):
            j += 1
        start, n = j, 0
        while j < self.hi and n < R.max_name:
            if j == start and self.locant(j):
                j += 2  # "elevated 3-methylglutaconate": the number is the compound's own
                continue
            if toks[j].text[:1].isdigit() and (j == start or toks[j].start != toks[j - 1].end) and not self.marker_number(j):
                break  # "impaired ejection fraction 22%": the value, not the name
            if j > start and self.verb(j) and (toks[j - 1].norm in R.measurable or toks[j - 1].norm in self.R.generic_heads_words):
                break  # "the negative cardiolipin test excluded tabetic crises": what the test did
            if self._name_tok(j, j == start) or (j - 1 > start and toks[j - 1].text in ("-", "‐") and _wordish(toks[j])
                                                 and toks[j - 1].start == toks[j - 2].end and toks[j].start == toks[j - 1].end) \
                    or (toks[j].text in _JOIN and j > start and j + 1 < self.hi
                                                 and (_wordish(toks[j + 1]) or self.marker_number(j + 1))
                                                 and toks[j + 1].start == toks[j].end):
                n += toks[j].text not in _JOIN
                j += 1
                continue
            break
        end = j
        while end > start and (toks[end - 1].text in _JOIN or (toks[end - 1].norm in R.stop
                                                                and toks[end - 1].norm not in R.heads_ok
                                                                and not self.glued_letter(end - 1))):
            end -= 1
        return (start, end) if end > start and (not check or self.valid(start, end)) else None

    def before_figure(self, j: int) -> int:
        """The token index of the bracket that opens a figure or table reference closing just before token j
        ("Visual acuity (Fig.2B) continued to improve"); j itself when there is none (lab_values.json
        reference_list_prefixes)."""
        toks = self.toks
        if j - 1 <= self.lo or toks[j - 1].text != ")":
            return j
        o = next((i for i in range(j - 2, max(self.lo, j - 10) - 1, -1) if toks[i].text in "()"), None)
        if o is None or toks[o].text != "(" or o + 1 >= j - 1:
            return j
        first = toks[o + 1].text.lower()
        return o if any(first == p or (first.startswith(p) and not first[len(p):].isalpha()) for p in self.R.figure_words) else j

    def locant(self, k: int) -> bool:
        """'3-' in "3-methylglutaconate", '17-' in "17-hydroxyprogesterone": a number glued by a hyphen to the
        lower-case word of a compound (at least results.json locant_min_letters letters) begins its name."""
        toks = self.toks
        return k + 2 < self.hi and toks[k].text.isdigit() and len(toks[k].text) <= 2 and toks[k + 1].text in ("-", "‐") \
            and toks[k + 1].start == toks[k].end and toks[k + 2].start == toks[k + 1].end \
            and toks[k + 2].text.isalpha() and toks[k + 2].text.islower() and len(toks[k + 2].text) >= self.R.locant_min

    def coordinated(self, name: tuple[int, int]) -> tuple[int, int] | None:
        """"valproate and ammonia levels", "esophageal and gastric transit": a name read after a result word
        that goes on after 'and'/'or' to the head both share, when its first part has no head of its own (an
        adjective, or no measurable head) and the second part ends in one."""
        R, toks = self.R, self.toks
        b = name[1]
        if b >= self.hi - 1 or toks[b].norm not in ("and", "or"):
            return None
        last = toks[b - 1]
        if not (last.norm.endswith(R.adjective_endings) and last.text.islower()) \
                and (self.measurable(name[0], b) or last.norm in R.unitless or last.norm in R.categories):
            return None  # "elevated CRP and ESR": two tests
        more = self.name_fwd(b + 1)
        if more is None or more[0] != b + 1 or not (self.measurable(*more) or toks[more[1] - 1].norm in R.categories):
            return None
        if sum(_wordish(t) for t in toks[name[0]:more[1]]) > R.max_name + 1 or not self.valid(name[0], more[1]):
            return None
        return name[0], more[1]

    def name_across(self, j: int) -> tuple[int, int] | None:
        """The measured thing named before a prepositional or participle phrase that ends at token j ("the
        viral load at the end of treatment (EOT) was", "ammonia levels in her blood decreased", "Chest CT
        performed four months later showed"); results.json name_bridges."""
        R, toks = self.R, self.toks
        words = 0
        for p in range(j - 1, self.lo, -1):
            t = toks[p]
            if t.text in (",", ";", ":") or t.norm in ("and", "or", "but", "which", "that", "who"):
                return None
            words += _wordish(t)
            if words > R.bridge_max:
                return None
            if t.norm in R.bridges:
                name = self.name_back(p, skip=False)
                if name and name[1] == p and (wide := self.test_for(name, p, j)) is not None:
                    return wide  # "PCR for herpes simplex virus (in the CSF) was negative": the test and its object
                if name and name[1] == p and (self.measured(name) or self.specimen_in(p + 1, j)):
                    return name  # "porphyrin in 24-h urine was negative": what is measured in a specimen is a lab
        return None

    def test_for(self, name: tuple[int, int], p: int, j: int) -> tuple[int, int] | None:
        """"PCR for herpes simplex virus", "serology for Brucella": a test written as its method and 'for' what it
        looks for (results.json test_for_heads) is named by both. ``name`` ends at token p, the bridge word before
        the verb at j: either p is that 'for' (the object runs to j) or the name is the object, right after it."""
        toks = self.toks
        if self.for_after_method(p) and p + 1 < j and all(_wordish(x) or x.text in _JOIN for x in toks[p + 1:j]):
            return name[0], j
        f = name[0] - 1
        if self.for_after_method(f):
            head = self.name_back(f, skip=False)
            if head is not None and head[1] == f:
                return head[0], name[1]
        return None

    def for_after_method(self, f: int) -> bool:
        """Token f is the 'for' after a test's method in the sentence ("PCR for", "serologies for"; results.json
        test_for_heads)."""
        return f - 1 >= self.lo and self.toks[f].norm == "for" and self.toks[f - 1].norm in self.R.test_for_heads

    def swallowed_name(self, k: int, k2: int) -> tuple[int, int] | None:
        """The measure a condition of the vocabulary names after the result word toks[k:k2] ("prolonged PR
        interval", "decreased level of consciousness"): the words from k2 to the condition's end, when they end
        in one of results.json condition_measures or are "<head> of <words>"."""
        for a, b, kind in self.blocked:
            if kind != "condition" or a != k or b <= k2 or b > self.hi:
                continue
            if any(x < b and k < y and kd in ("drug", "drug_class") for x, y, kd in self.blocked):
                return None
            heads = [i for i in range(k2, b) if self.toks[i].norm in self.R.condition_measures]
            if heads and (heads[-1] == b - 1 or self.toks[heads[-1] + 1].norm == "of") and self.valid(k2, b):
                return k2, b
        return None

    def relative_subject(self, j: int) -> tuple[int, int] | None:
        """The test a relative pronoun ending just before token j stands for, named right before its comma
        ("the rapid urease test and a histopathological evaluation, all of which were negative", "a CT scan,
        which was normal"); results.json relative_subjects. Only something measured or a test."""
        toks = self.toks
        for p in self.R.relative_subjects:
            c = j - len(p) - 1
            if c > self.lo and tuple(t.norm for t in toks[c + 1:j]) == p and toks[c].text == ",":
                name = self.name_back(c, skip=False)
                if name is not None and name[1] == c and (self.measured(name) or self.toks[name[1] - 1].norm in
                                                          self.R.generic_heads_words):
                    return name
        return None

    def shared_subject(self, c: int) -> tuple[int, int] | None:
        """The subject of the clause before the conjunction at token c when the next clause has none ("BP was
        measured at 56/36 mmHg in the left arm but was not detectable in the right arm"): the measured thing
        before the nearest linking verb of that clause."""
        toks = self.toks
        for p in range(c - 1, self.lo, -1):
            if toks[p].text in (";", ":") or toks[p].norm in ("but", "and", "while", "whereas"):
                return None
            if (toks[p].norm,) in self.R.linking:
                name = self.name_back(p, skip=False)
                return name if name is not None and name[1] == p and self.measured(name) else None
        return None

    def tested_for_list(self, j: int) -> list[tuple[int, int]]:
        """"serologies for HIV, hepatitis B and hepatitis C were": the things a test (results.json test_for_heads)
        looked for, listed between 'for' and the verb at token j, each one result; empty when the words between are
        no such list (an item is one to four words, items are joined by commas and 'and')."""
        toks = self.toks
        f = next((p for p in range(j - 1, max(self.lo, j - 16) - 1, -1) if toks[p].norm == "for"), None)
        if f is None or not self.for_after_method(f):
            return []
        items, a = [], f + 1
        for p in range(f + 1, j + 1):
            if p == j or toks[p].norm in (",", "and", "or"):
                if p == a:
                    if toks[p].norm in ("and", "or") and p > f + 1 and toks[p - 1].norm == ",":
                        a = p + 1
                        continue
                    return []
                if p - a > 4 or not all(_wordish(t) or t.text in _JOIN or t.text[:1].isdigit() for t in toks[a:p]):
                    return []
                items.append((a, p))
                a = p + 1
        return items if len(items) > 1 else []

    def only_specimen(self, name: tuple[int, int] | None) -> bool:
        """The name is a specimen alone ("the CSF", "serum"): where something was tested, not what."""
        return name is not None and tuple(t.norm for t in self.toks[name[0]:name[1]]) in self.R.specimens

    def specimen_in(self, a: int, b: int) -> bool:
        """A specimen is named in toks[a:b] ('in 24-h urine', 'in the CSF'; results.json specimen_words)."""
        norms = [t.norm for t in self.toks[a:b]]
        return any(tuple(norms[i:i + len(sp)]) == sp for sp in self.R.specimens for i in range(len(norms)))

    def trend_measured(self, name: tuple[int, int]) -> bool:
        """A name a trend verb may follow ("renal function worsened", "the serum ammonia normalised", "AFP
        normalized"): something measurable, a test the vocabulary knows, or a lab named by its specimen."""
        return self.measured(name) or (name[1] - name[0] > 1 and self.toks[name[0]].norm in self.R.specimen_default)

    def recording_site(self, name: tuple[int, int]) -> bool:
        """The name says where an ECG finding was recorded: "the V1-V2 leads", "lead III" (results.json recording_sites)."""
        R, toks = self.R, self.toks
        for i in range(name[0], name[1]):
            if toks[i].text.lower() in R.recording_plural:
                return True
            if toks[i].text.lower() in R.recording_singular and i + 1 < self.hi and R.recording_label.match(toks[i + 1].text):
                return True
        return False

    def share_of(self, end: int) -> tuple[int, int] | None:
        """The words after 'of' that follow a value ending at ``end`` (a closing bracket between): "(65%) of
        hemosiderin-laden macrophages"."""
        toks = self.toks
        j = next((t.i for t in toks[self.lo:self.hi] if t.start >= end), self.hi)
        if j < self.hi and toks[j].text in (")", "]"):
            j += 1
        if j >= self.hi or toks[j].norm != "of":
            return None
        name = self.name_fwd(j)
        return name if name and name[0] == j + 1 + (toks[j + 1].norm in ("the", "a", "an")) else None

    def of_drug(self, b: int) -> int:
        """The end of a drug or drug class named after 'of' (and an article or possessive) at token b ("course of
        the thiopurine"), else 0."""
        toks, j = self.toks, b
        if j >= self.hi or toks[j].norm != "of":
            return 0
        j += 1
        while j < self.hi and toks[j].norm in ("the", "a", "an", "his", "her", "their", "its"):
            j += 1
        return next((y for x, y, kind in self.blocked if x == j and kind in ("drug", "drug_class")), 0)

    def measured(self, name: tuple[int, int] | None) -> bool:
        return name is not None and (self.measurable(*name) or self.overlaps(*name, ("lab", "vital", "observable")))

    def valid(self, a: int, b: int, drugs_ok: bool = False) -> bool:
        if b <= a:
            return False
        words = [t.norm for t in self.toks[a:b]]
        if " ".join(words) in self.R.bad or (words[-1] in self.R.bad and all(w in self.R.stop or w in self.R.bad for w in words)):
            return False
        if len(words) == 1 and tuple(words) in self.R.words and self.R.words[tuple(words)] in (None, "POS", "NEG"):
            return False  # "undetectable (<3 ng/L)": a result word is no test's name
        letters, run = 0, 0  # letters of the longest run of joined tokens: "f-T4" names, "C4–5" does not
        for i in range(a, b):
            t = self.toks[i]
            run = (run if i > a and self.toks[i - 1].end == t.start else 0) + sum(c.isalpha() for c in t.text)
            letters = max(letters, run)
        if letters < 2 or (words[0].endswith("ly") and words[0] not in self.R.ly_adjectives):
            return False
        return drugs_ok or not self.overlaps(a, b, ("drug", "drug_class")) or self.toks[b - 1].norm in self.R.drug_test_heads \
            or any(t.norm.endswith(self.R.drug_enzyme_endings) for t in self.toks[a + 1:b])  # "glutathione S-transferase π"

    def measurable(self, a: int, b: int) -> bool:
        return self.toks[b - 1].norm in self.R.measurable or any(_abbreviation(t) for t in self.toks[a:b])

    def overlaps(self, a: int, b: int, kinds) -> bool:
        return any(x < b and a < y and kind in kinds for x, y, kind in self.blocked)

    def category(self, a: int, b: int, unit: str | None, signed: bool = False) -> str:
        R = self.R
        for t in reversed(self.toks[a:b]):
            if t.norm in R.categories:
                return R.categories[t.norm]
        last = self.toks[b - 1].text.lower()
        for ends, cat in R.category_endings:
            if last.endswith(ends):
                return cat
        if unit and "/" in unit:
            return "laboratory"
        if signed and (any(_abbreviation(t) for t in self.toks[a:b]) or self.abbreviated(b)):
            return R.signed_abbreviation_category  # "CD34 was positive", "HIV negative", "smooth muscle actin (SMA)"
        if signed and self.overlaps(a, b, ("condition",)):
            return R.signed_condition_category  # "syphilis negative", "negative for malignancy": what was tested for
        return R.default_category

    def lone_adjective(self, k: int) -> bool:
        """An adjective that names nothing measured when written alone ('hypertensive', 'febrile')."""
        t = self.toks[k]
        return t.text.islower() and t.norm.endswith(self.R.adjective_endings) and t.norm not in self.R.measurable \
            and t.norm not in self.R.unitless and t.norm not in self.R.categories

    def abbreviated(self, b: int) -> bool:
        """A short form in brackets right after a name ending before token b: "smooth muscle actin (SMA)"."""
        toks = self.toks
        return b + 2 < len(toks) and toks[b].text == "(" and toks[b + 2].text == ")" and _abbreviation(toks[b + 1])

    # ---------------------------------------------------------------- words
    def word_at(self, k: int) -> tuple[int, str] | None:
        if self.toks[k].norm not in self.R.word_starts:
            return None
        for n in range(min(self.R.max_word, self.hi - k), 0, -1):
            key = tuple(t.norm for t in self.toks[k:k + n])
            if key in self.R.words:
                return k + n, self.R.words[key]
        return None

    def name_before_abbreviation(self, j: int) -> tuple[int, int] | None:
        """The name before a bracketed abbreviation that closes just before token j: "antinuclear
        antibody (ANA) was negative"."""
        toks = self.toks
        if j - 1 <= self.lo or toks[j - 1].text != ")":
            return None
        o = next((i for i in range(j - 2, max(self.lo, j - 6) - 1, -1) if toks[i].text == "("), None)
        if o is None or o == j - 2 or any(_DIGIT.search(t.text) or t.text in "()" for t in toks[o + 1:j - 1]) \
                or not any(_abbreviation(t) for t in toks[o + 1:j - 1]):
            return None
        name = self.name_back(o, skip=False)
        return name if name and name[1] == o else None

    def abbreviated_back(self, k: int) -> tuple[int, int] | None:
        """The name before a bracketed abbreviation that closes just before token k, linking words between:
        "serum amyloid A (SAA) of 7.0 μg/mL", "standardized uptake value (SUV) of 3.8"; not a reference range's
        name ("reference value (RV): 7.00–22.00")."""
        R, toks = self.R, self.toks
        j, skipped = k - 1, 0
        if j - 1 > self.lo and toks[j].text in "([" and toks[j - 1].text == ")":
            j -= 1  # "the left ventricle (LV) (58 mm/m2)": the value in brackets of its own
        while j > self.lo and skipped < 4 and (toks[j].norm in R.skip or toks[j].text in ":=") and toks[j].text not in "([":
            j, skipped = j - 1, skipped + 1
        name = self.name_before_abbreviation(j + 1)
        if name is None or _REF_BEFORE.search(self.text, self.toks[name[0]].start, self.toks[name[1]].start):
            return None
        return name

    def reported_name(self, k: int) -> tuple[int, int] | None:
        """The test before a reporting or linking verb that precedes the result word at k, an article
        between them ("X yielded a negative result", "X gave normal findings")."""
        j = k - (k - 1 > self.lo and self.toks[k - 1].norm in ("a", "an"))
        v = self.linked_before(j, reporting=True)
        while v is not None and v - 1 > self.lo and self.toks[v - 1].norm in self.R.degree:
            v -= 1  # "the test also yielded"
        return self.name_back(v, skip=False) if v is not None else None

    def trend_at(self, k: int) -> tuple[int, str | None] | None:
        return trend_at(self.R, self.toks, k, self.hi)

    def linked_before(self, k: int, reporting: bool = False) -> int | None:
        return _linked_before(self.R, self.toks, self.lo, k, reporting)


def trend_at(R: _Rules, toks: list[Tok], k: int, hi: int) -> tuple[int, str | None] | None:
    """(end, code) of the longest trend verb (trend_words) starting at token k, ending by hi ("worsened",
    "began to improve")."""
    if toks[k].norm not in R.trend_starts:
        return None
    for n in range(min(R.max_trend, hi - k), 0, -1):
        key = tuple(t.norm for t in toks[k:k + n])
        if key in R.trend:
            return k + n, R.trend[key]
    return None


def _linked_before(R: _Rules, toks: list[Tok], lo: int, k: int, reporting: bool = False) -> int | None:
    """Token index just after the name when a linking verb (and degree words) precede token k;
    with ``reporting``, a reporting verb too ("the CT revealed no abnormalities")."""
    j = k
    while j - 1 >= lo and toks[j - 1].norm in R.degree:
        j -= 1
    for n in (4, 3, 2, 1):
        key = tuple(t.norm for t in toks[j - n:j]) if j - n >= lo else None
        if key and (key in R.linking or (reporting and key in R.reporting)):
            return j - n
    return None


def _unit_ok(R: _Rules, unit: str) -> bool:
    if ucum_code(unit) in R.accepted_ucum:
        return True  # "58 mm/m2": indexed to body surface area, not a dose per m2
    low = unit.lower().strip()
    if low in R.rej_words or low.rstrip(".") in R.rej_words:
        return False
    compact = low.replace(" ", "")
    if any(compact.endswith(p) or p + "/" in compact for p in R.rej_parts):
        return False  # "mg/kg/day", "U/kg"; but "/d" is no part of "mg/dL"
    code = ucum_code(unit)
    return code not in R.rej_ucum


def measure_unit(unit: str) -> bool:
    """A unit a result is stated in, not that of a dose, size, duration or amount (results.json rejected_*)."""
    return _unit_ok(rules(), unit)


def _abbreviation(t: Tok) -> bool:
    s = t.text
    return sum(c.isupper() for c in s) >= 2 or (any(c.isupper() for c in s) and any(c.isdigit() for c in s))


def _unit_key(unit: str | None) -> str | None:
    return (ucum_code(unit) or " ".join(unit.lower().split())) if unit else None


def _measured_name(R: _Rules, sc: _Scan, k: int, unit: str) -> tuple[int, int] | None:
    """"PFA collagen/epinephrine closure time was 195 seconds", "FEV1 increased from 1.25 L": a time or a
    volume a test measured, not a duration or an amount given (results.json measured_units); a drug in the
    name names the test's reagent, not a dose."""
    code = ucum_code(unit)
    toks = sc.toks
    for heads, units, min_words, not_after in R.measured_units:
        if code not in units:
            continue
        name = sc.name_back(k, drugs_ok=True) or sc.abbreviated_back(k)  # "clotting time (CT) (228s)"
        if name is None or name[1] - name[0] < min_words:
            continue
        words = tuple(t.norm for t in toks[name[0]:name[1]])
        if not any(words[-len(h):] == h for h in heads):
            continue
        j = name[0] - 1
        while j >= sc.lo and toks[j].norm in ("the", "a", "an", "his", "her", "its", "their"):
            j -= 1
        if j >= sc.lo and toks[j].norm in not_after:
            continue  # "a mass in the left atrium measuring 3 cm": the size of something in it
        return name
    return None


def _measured_by(R: _Rules, sc: _Scan, name: tuple[int, int]) -> tuple[int, int] | None:
    """"the retested PAP by echocardiography was decreased to 72 mmHg": the name read is how the thing was
    measured (lab_values.json method_prepositions before it); the thing is named before the preposition."""
    toks, j = sc.toks, name[0] - 1
    while j > sc.lo and toks[j].norm in ("the", "a", "an"):
        j -= 1
    if j <= sc.lo or toks[j].norm not in R.method_preps:
        return None
    while j - 1 > sc.lo and sc.verb(j - 1):
        j -= 1  # "the PAP tested by the echocardiography"
    before = sc.name_back(j, skip=False)
    return before if before is not None and before[1] == j and sc.measured(before) else None


def _noun_in_unit(R: _Rules, toks: list[Tok], k: int, lv: LabValue) -> tuple[int, int] | None:
    """"281×103 platelets per microliter", "6 red blood cells/µL": the cells counted, written inside the unit,
    name the count."""
    for j in range(k + 1, len(toks)):
        if toks[j].start >= lv.end:
            break
        for n in range(R.count_noun_max, 0, -1):
            if j + n <= len(toks) and toks[j + n - 1].end <= lv.end \
                    and " ".join(t.text.lower() for t in toks[j:j + n]) in R.count_nouns:
                return j, j + n
    return None


def _measures(R: _Rules, sc: _Scan, name: tuple[int, int], unit: str) -> bool:
    """The words toks[name] name a time or volume a test measures in this unit (results.json measured_units)."""
    code = ucum_code(unit)
    words = tuple(t.norm for t in sc.toks[name[0]:name[1]])
    return any(code in units and len(words) >= min_words and any(words[-len(h):] == h for h in heads)
               for heads, units, min_words, _ in R.measured_units)


# a semi-quantitative grade ("3+", "++", "trace": lab_values.json grade_words)
_GRADE_WORDS = "|".join(re.escape(w) for w in lab_rules()["grade_words"])
_GRADE_WORD = re.compile(r"(?<![\w-])(?:" + _GRADE_WORDS + r")(?![\w-])", re.I)
GRADE_VALUE = re.compile(r"[1-4]\+|\+{1,4}|" + _GRADE_WORDS, re.I)
_PER_VOLUME = re.compile(r".+/(?:L|dL|mL|uL|nL|fL)")


def graded_word(toks: list[Tok], lo: int, hi: int, lv: LabValue, blocked) -> int | None:
    """A semi-quantitative grade written right before a word is that word's grade ("urinalysis showed 3+
    protein", "2+ blood and 3+ protein"): the token index of that word, or None. The word is lower-case
    letters one character after the grade, no stop word and no condition's (``blocked``: token ranges (a, b, kind));
    a grade after a linking verb stays the subject's ("pulses were 2+ bilaterally"). The lab reader, the
    results reader and its acceptance of a name before a grade all ask this."""
    if lv.unit or not GRADE_VALUE.fullmatch(lv.value_string or ""):
        return None
    j = next((t.i for t in toks[lo:hi] if t.start >= lv.end), hi)
    if j >= hi:
        return None
    t, R = toks[j], rules()
    if t.start != lv.end + 1 or not (t.text.isalpha() and t.text.islower()) or t.norm in R.stop \
            or any(a <= j < b and kind == "condition" for a, b, kind in blocked):
        return None
    return None if _linked_before(R, toks, lo, next((t.i for t in toks[lo:j] if t.start >= lv.start), j)) is not None else j


def _per_volume(code: str) -> bool:
    """A concentration: a UCUM code per volume ("ng/mL", "m[IU]/L")."""
    return bool(_PER_VOLUME.fullmatch(code))


def _orphan_for(text: str, toks: list[Tok], orphans, free_orphans: set, lv: LabValue, values, k: int) -> int | None:
    """The nearest earlier test with no value yet whose unit the value has, when nothing but words lie
    between ("the PAP tested by echocardiography was around 95 mmHg", "INR for coagulation was 1.02")."""
    key = _unit_key(lv.unit) if lv.unit else None
    for i in sorted(free_orphans, key=lambda i: -orphans[i].name[1]):
        o = orphans[i]
        if o.name[1] > k:
            continue
        start = toks[o.name[1] - 1].end
        if lv.start - start > 100 or re.search(r"[;]|\bbut\b|\brespectively\b|,\s*(?:and|while|whereas)\b", text[start:lv.start]):
            return None
        if any(start <= v.start < lv.start for v in values):
            return None
        if o.name[1] < len(toks) and toks[o.name[1]].norm in rules().orphan_block:
            continue
        if (key is not None and key == o.unit) or (key is None and lv.value is not None and (o.unit or "").startswith("{")
                                                     and o.unit != "{}"):
            return i
        if key is not None and _per_volume(key) and _per_volume(o.unit or "") and _unit_ok(rules(), lv.unit):
            return i  # "prolactin levels ... coming down to 336 mIU/L": a concentration in another unit than ng/mL
    return None  # "pulse oximeter ... 97%": a test in another unit does not stop the search


def find_results(text: str, toks: list[Tok], lo: int, hi: int, blocked: list[tuple[int, int, str]],
                 taken: list[tuple[int, int]], anchors: list[Anchor] | None = None,
                 orphans: list[Anchor] | None = None) -> list[Result]:
    """Results in the sentence toks[lo:hi] outside the character spans ``taken`` (values other rules
    already read, doses, sigs). ``blocked`` lists the sentence's vocabulary matches as token ranges;
    ``anchors`` the values other rules read, whose series a later value in the same unit continues
    (``Result.series_of`` is then an index into ``anchors``; results found here extend the list)."""
    anchors = [Anchor(a.end, a.unit, a.name, i, a.numeric) for i, a in enumerate(anchors or [])]
    orphans = orphans or []
    free_orphans = {i for i, o in enumerate(orphans) if o.name is not None}
    if lo >= hi:
        return []
    R = rules()
    sc = _Scan(text, toks, lo, hi, blocked)
    s_start, s_end = toks[lo].start, toks[hi - 1].end
    used = list(taken)
    out: list[Result] = []

    def free(s: int, e: int) -> bool:
        return not any(s < b and a < e for a, b in used)

    starts = {t.start: t.i for t in toks[lo:hi]}
    out += _grades(R, sc, text, s_start, s_end, free, used)
    out += _signs(R, sc, text, s_start, s_end, starts, free, used)
    out += _growth(R, sc, text, free, used)
    # values with a measurement unit, or unitless after a score/ratio/abbreviation name
    has_digit = _DIGIT.search(text, s_start, s_end) is not None or _GRADE_WORD.search(text, s_start, s_end) is not None
    values = find_values(text, s_start, s_end) if has_digit else []
    for lv in values:
        if lv.qualitative is None:
            sc.in_values.update(t.i for t in toks[lo:hi] if t.start < lv.end and lv.start < t.end)
    if values and R.respectively.search(text, s_start, s_end):
        out += _respectively(R, sc, text, values, free, used)
    if values:
        out += _weight_changes(R, sc, text, values, free, used)
    if values:
        out += _cell_percentages(R, sc, text, values, free, used)
        out += _named_after(R, sc, values, free, used)
    if has_digit:  # each scale's regex is tried first: most sentences have none of its values
        for scale in R.fraction_scales:
            out += _fraction_scale(scale, sc, text, s_start, s_end, free, used)
    for lv in values:
        if lv.qualitative or not free(lv.start, lv.end):
            continue
        share = None  # "an elevated percentage (65%) of X": the words the value was written after
        k = starts.get(lv.start)
        prev = anchors[-1] if anchors else None
        if prev is not None and prev.root is None and prev.name is not None and (prev.numeric or lv.unit) \
                and lv.value is not None \
                and _RESTATE_OPEN.fullmatch(text, prev.end, lv.start) and _unit_key(lv.unit) != _unit_key(prev.unit) \
                and (lv.unit is None and prev.unit is None or lv.unit is not None and _unit_ok(R, lv.unit)):
            # "a cup-to-disc ratio of 0.9 (90%)", "1.65 L (+0.5 z-score)", "a proteinuria score of 2+ (200 mg/dL)":
            # the same result restated in brackets in another unit
            out.append(Result(prev.name, lv, None, sc.category(prev.name[0], prev.name[1], lv.unit)))
            used.append((lv.start, lv.end))
            continue
        if k is None:
            continue
        series = None
        o = _orphan_for(text, toks, orphans, free_orphans, lv, values, k) if free_orphans else None
        if o is not None:
            near = sc.name_back(k)
            if near is None or not sc.overlaps(near[0], near[1], ("lab", "vital")):
                out.append(Result(orphans[o].name, lv, None, "", orphan=o))
                free_orphans.discard(o)
                used.append((lv.start, lv.end))
                # "... was 92 × 103 cells/μL and elevated to 159 × 103 cells/μL": a later value continues its series
                anchors.append(Anchor(lv.end, lv.unit, orphans[o].name, numeric=lv.value is not None))
                continue
        if lv.unit:
            ok = _unit_ok(R, lv.unit)
            measured = None if ok else _measured_name(R, sc, k, lv.unit)
            if not ok and measured is None and (sc.name_back(k) is not None or not any(
                    _unit_key(a.unit) == _unit_key(lv.unit) for a in anchors)):
                continue  # a duration, a dose, a size; but "FEV1 increased from 1.25 L to 1.65 L" goes on
            name = measured or sc.name_back(k) or (sc.abbreviated_back(k) if ok else None)
            if name is None and ok and (is_concentration(lv.unit) or sc.linked_before(k) is not None):
                # "vitamin B12 was 98 pg/mL", "methylmalonic acid was 1.2 µmol/L", "antithrombin III was 60%", "urinary
                # 5-hydroxyindoleacetic acid was 85 mg/24 h": a level, activity or excretion (a unit no dose is given in) of a substance the drug
                # vocabulary also names is a result, not a dose (the medication reader skips it the same way); not
                # a later value of a series ("decreased from 115 mmol/l before ivacaftor to 40 mmol/l")
                name = sc.name_back(k, drugs_ok=True)
                if name is not None and name[0] > lo and (given_before(toks, lo, name[0])
                                                          or toks[name[0] - 1].norm in R.po_preps):
                    name = None  # "she received heparin 5000 U/mL": a drug given, in its strength
            if name and toks[name[1] - 1].norm in R.share_words and (of := sc.share_of(lv.end)) is not None:
                share, name = name, of  # "an elevated percentage (65%) of hemosiderin-laden macrophages"
            if name is not None and sc.overlaps(name[0], name[1], ("observable",)):
                name = _measured_by(R, sc, name) or name
            noun = _noun_in_unit(R, toks, k, lv) if ok else None
            if noun is not None and (name is None or toks[name[1] - 1].norm not in R.measurable and (
                    not sc.overlaps(name[0], name[1], ("lab", "vital"))
                    or toks[name[1] - 1].text.lower() in R.count_nouns)):
                # "CSF analysis (4 leukocytes/µL ...)", "50% lymphocytes, 6 red blood cells/µL": the cells counted
                name = noun
            if name is None and ok and lv.value is not None and not any(
                    _unit_key(a.unit) == _unit_key(lv.unit) for a in anchors) \
                    and any(toks[j].text.lower() in R.fluid_cell_nouns for j in range(k + 1, hi) if toks[j].end <= lv.end) \
                    and (sp := specimen_before(toks, lo, k)) is not None and sp[0] < 0:
                # "cerebrospinal fluid showed 250 cells/µL": the fluid's cell count
                out.append(Result((k, k + 1), lv, None, "laboratory", label=f"{R.fluid_cell_label} ({sp[1]})"))
                used.append((lv.start, lv.end))
                continue
            if name and name[1] - name[0] == 1 and sc.lone_adjective(name[0]):
                # "a peak of the hypertensive (180/100 mm Hg)": a word describing; a pressure pair is still named
                if lv.components and lv.unit.replace(" ", "").lower() in R.pair_units and free(lv.start, lv.end):
                    out.append(Result(name, lv, None, R.pair_category, label=R.pair_label))
                    used.append((lv.start, lv.end))
                continue
            if name is None and not _REF_BEFORE.search(text, max(s_start, lv.start - 25), lv.start):
                # "decreased from 115 mmol/l before ivacaftor to 40 mmol/l": the series goes on
                key = _unit_key(lv.unit)
                series = next((i for i in range(len(anchors) - 1, -1, -1) if anchors[i].end <= lv.start
                               and lv.start - anchors[i].end < 120 and _unit_key(anchors[i].unit) == key), None)
        elif lv.value is not None or lv.value_string:
            name = sc.name_back(k)
            abbr = sc.abbreviated_back(k) if name is None else None
            if abbr is not None and _abbreviation(toks[abbr[1] + 1]) and toks[abbr[1] + 1].norm in R.unitless:
                name = abbr  # "standardized uptake value (SUV) of 3.8": the abbreviation says what the number is
            elif name is None or k - name[1] > 2 or not re.search(r"[\s:=]", text[toks[name[1] - 1].end:lv.start]):
                name = None  # "C4–5", "[2/20]": part of a name, not its value
                after = next((t.i for t in toks[k:hi] if t.start >= lv.end), hi)
                fwd = sc.name_fwd(after) if after < hi and toks[after].start > lv.end else None
                if fwd and fwd[0] == after and fwd[1] - fwd[0] == 1 and toks[fwd[0]].norm in R.unitless:
                    name = fwd  # "2/5 strength in the right arm"
                if name is None and lv.value is not None:  # "decreased from 14.5 to 8.3": the series goes on
                    series = next((i for i in range(len(anchors) - 1, -1, -1) if anchors[i].end <= lv.start), None)
                    if series is not None and not (anchors[series].numeric and anchors[series].unit is None and
                                                   R.unitless_series.fullmatch(text, anchors[series].end, lv.start)):
                        series = None
                if name is None and series is None:
                    continue
            if name is not None and name[0] > lo and toks[name[0] - 1].text.isdigit() \
                    and toks[name[0] - 1].end < toks[name[0]].start:
                continue  # "a total of 84 NMSC: 72 NMSC at our clinic": a count of the things named, not a test
            if name is not None and name is not abbr:
                last = toks[name[1] - 1]
                grade = GRADE_VALUE.fullmatch(lv.value_string or "")
                if last.norm not in R.unitless and not _abbreviation(last) and not (
                        grade and not sc.overlaps(name[0], name[1], ("condition",))):
                    continue  # but "protein 3+, blood 2+": a semi-quantitative grade is any test's result
                if grade and graded_word(toks, lo, hi, lv, sc.blocked) is not None:
                    continue  # "protein 3+ blood": the grade of the word after it
                nxt = next((t for t in toks[k:hi] if t.start >= lv.end), None)
                if not grade and name[1] == k and nxt is not None and nxt.start == lv.end + 1 and text[lv.end] == " " \
                        and _wordish(nxt) and nxt.norm not in R.stop and nxt.text[:1].isupper() == last.text[:1].isupper() \
                        and not text[toks[name[1] - 1].end:lv.start].strip():
                    continue  # "API 20 Strep", "cytokeratin 19 fragment": the number is part of a longer name
        else:
            continue
        if series is not None:
            a = anchors[series]
            # "92 × 10³ cells/μL and elevated to 159 × 10³ cells/μL": the word of change is evidence of the value
            after = next((t.i for t in toks[lo:k] if t.start >= a.end), k)
            word = _interp_word(R, toks, after, k) if after < k else None
            word = word[:2] if word and free(word[0], word[1]) else None
            if a.root is not None:  # a later value of one other rules read: the caller names it
                out.append(Result((k, k), lv, word, "", series_of=a.root))
            elif a.name is not None:
                out.append(Result(a.name, lv, word, sc.category(a.name[0], a.name[1], lv.unit)))
            else:
                continue
            anchors.append(Anchor(lv.end, a.unit, a.name, a.root, a.numeric))
            used.append((lv.start, lv.end))
            if word:
                used.append(word)
            continue
        if name is None:
            continue
        anchors.append(Anchor(lv.end, lv.unit, name, numeric=lv.value is not None))
        # "elevated PTHrP of 301 pg/mL", "Ca125 was markedly elevated at 1624 U/mL"; a word before the name is
        # evidence even when a written range gives the interpretation ("low free serum carnitine (14.2 μmol/L,
        # normal range: 23–52)")
        said = share or name
        word = (_interp_word(R, toks, name[1], k) if lv.interpretation is None and name[1] <= k else None) or (
            word_before_name(toks, lo, said[0])
            if said[0] > lo and toks[said[0] - 1].end < toks[said[0]].start else None)
        if word is None and name[1] < k and sc.verb(name[1]) and (tr := sc.trend_at(name[1])) is not None and tr[0] <= k:
            # "blood ammonia level fluctuated (144.8–207.7 μmol/L)": the verb says the result too
            word = (toks[name[1]].start, toks[tr[0] - 1].end, tr[1])
        if word and not free(word[0], word[1]):
            word = None
        if word:
            if lv.interpretation is None:
                lv.interpretation = word[2]
            word = word[:2]
        change = R.change_at(text, toks[name[1] - 1].end, lv.start) if lv.value is not None and name[1] <= k else None
        change = lab_rules()["change_names"][change] if change else None
        if change:  # "the PIP increased by 5 cm H2O": the size of a change, not the value
            lv.interpretation = None
        out.append(Result(name, lv, word, sc.category(name[0], name[1], lv.unit),
                          label=" ".join(text[toks[name[0]].start:toks[name[1] - 1].end].split()) + " " + change
                          if change else None))
        used.append((lv.start, lv.end))
        if name[1] < k:  # "increased to": the words between name and value are read
            used.append((toks[name[1]].start, lv.start))
        if word:
            used.append(word)
    # result words said of something
    k = lo
    while k < hi:
        norm = toks[k].norm
        tested_for: list[tuple[int, int]] = []
        if norm in R.absent_words and (found := _reported_absent(R, sc, text, k, free)) is not None:
            out.append(found)  # "urinalysis revealed no Bence-Jones protein"
            used.append((found.value.start, found.value.end))
            k += 1
            continue
        # "amylase was three times the upper limit of normal": the number and the words are the result
        times = None
        if not (k + 1 < hi and toks[k + 1].norm in R.times_words
                and (toks[k].text.replace(".", "", 1).isdigit() or norm in lab_rules().get("number_words", {}))
                and (times := sc.word_at(k + 1)) is not None) \
                and norm not in R.word_starts and norm not in R.trend_starts:
            k += 1
            continue
        hit = times or sc.word_at(k) or sc.trend_at(k)
        if hit is None:
            k += 1
            continue
        k2, code = hit
        s, e = toks[k].start, toks[k2 - 1].end
        key = tuple(t.norm for t in toks[k:k2])
        # "there was no increase in bowel movements": a denied change says the measure did not change, no High/Low
        denied = denied_change(toks, lo, k) if code in ("H", "L") or key in R.trend else None
        if denied is not None:
            s = toks[denied].start
        name = sc.swallowed_name(k, k2) if key in R.forward and code in ("H", "L", "N", "A") else None
        if name is not None and free(s, e):
            # "a prolonged PR interval", "decreased vital capacity": a finding the vocabulary names by the result
            # word and the measure; the measure is what was found so
            lv = LabValue(s, e, None, None, None, None, None, " ".join(text[s:e].split()), code, (s, e),
                          None, None, None, None)
            out.append(Result(name, lv, None, sc.category(name[0], name[1], None)))
            used.append((s, e))
            k = k2
            continue
        # a word naming a condition is the condition's, except a normal word that denies it ('non-tender', 'no
        # abnormal finding'): the examination's result, the condition stays refuted
        if not free(s, e) or sc.overlaps(k, k2, ("drug", "drug_class")) \
                or (_reference(toks, k, k2, hi) and not sc.locant(k2)) \
                or (code != "N" and sc.overlaps(k, k2, ("condition",))):
            k = k2
            continue
        if (j := sc.linked_before(k)) is not None and j > lo and toks[j - 1].norm in R.history_subjects:
            k = k2  # "social history was negative for smoking": a history stated, not a test's result
            continue
        subject = sc.linked_before(k) if code in ("H", "L") else None
        if key in R.forward and subject is not None and toks[subject - 1].norm in R.predicated_measures:
            pass  # "FDG uptake was increased in the node": the result is the uptake's, not the node's
        elif key in R.forward:
            name = sc.name_fwd(k2)
            first = sc.name_fwd(k2, check=False)  # "raised valproate and ammonia levels": no name alone
            if first is not None and (co := sc.coordinated(first)) is not None:
                name = co
            joined = k2 < hi and toks[k2].norm in R.joiners
            if name and joined and (tuple(t.norm for t in toks[name[0]:name[1]]) in R.specimens
                                    or name[1] - name[0] == 1 and toks[name[0]].norm in R.specimen_default):
                name = None  # "cryptococcal antigen was positive in the serum": where it was tested, not what
            if name and code in ("POS", "NEG") and not joined and toks[name[1] - 1].norm in R.signed_kind_heads:
                name = None  # "positive end-expiratory pressure", "continuous positive airway pressure": a kind
            if name and toks[name[1] - 1].norm.endswith(R.adjective_endings) and toks[name[1] - 1].norm not in R.measurable \
                    and name[1] < hi and _wordish(toks[name[1]]):
                name = None  # "abnormal myopathic low-amplitude ... potentials": the name was cut short
            elif name and name[1] + 1 < hi and toks[name[1]].norm == "of" and not sc.measurable(name[0], name[1]):
                # "positive for cluster of differentiation", "positive expression of cytokeratin 20": the name goes on
                more = sc.name_fwd(name[1] + 1)
                name = (name[0], more[1]) if more and more[0] == name[1] + 1 else None
            elif name and code not in ("POS", "NEG") and sc.overlaps(name[0], name[1], ("condition",)):
                name = None
            elif name and (d_end := sc.of_drug(name[1])):
                # "a prolonged course of the thiopurine": a treatment given, not a result; "an elevated trough
                # level of vancomycin": the drug's level
                name = (name[0], d_end) if toks[name[1] - 1].norm in R.drug_test_heads else None
            elif name and joined and sc.recording_site(name):
                name = None  # "P wave elevation in the V1-V2 leads": where it was recorded, not what
            elif name and key in R.needs_measurable and not (joined and code in ("POS", "NEG")) \
                    and not sc.measurable(name[0], name[1]):
                name = None  # "positive pressure ventilation", "a high flow mask": not a result
        if code in ("POS", "NEG") and k > lo and toks[k - 1].text in ("-", "‐") and toks[k - 1].start == toks[k - 1 - 1].end \
                and k2 < hi and _wordish(toks[k2]) and toks[k2].norm not in R.stop:
            k = k2  # "gram-positive cocci", "CD20-negative cells": describes the next word
            continue
        if name is None:
            j = sc.linked_before(k, reporting=(code in ("N", "A") and key in R.backward_only) or key in R.reported)
            if j is not None and sc.linked_before(k) is None and k2 < hi and _wordish(toks[k2]) \
                    and toks[k2].norm not in R.stop and toks[k2].norm not in R.result_nouns \
                    and (code == "A" or any(tuple(t.norm for t in toks[k2:k2 + n]) in R.specimens for n in (1, 2, 3))):
                # "gastroscopy showed irregular hemorrhagic lesions", "lumbar puncture demonstrated clear cerebrospinal
                # fluid": the word describes the lesions, the fluid ("CT showed unremarkable brain parenchyma" is
                # still the CT's normal result)
                j = None
            if j is not None:
                j = sc.before_figure(j)  # "Visual acuity (Fig. 2B) was normal"
                name = sc.name_back(j, skip=False)
                if code in ("POS", "NEG") and (items := sc.tested_for_list(j)):
                    name, tested_for = items[-1], items[:-1]  # "serologies for HIV, hepatitis B and hepatitis C were negative"
                abbreviated = name is None and (name := sc.name_before_abbreviation(j)) is not None
                if (not sc.measured(name) or sc.only_specimen(name)) and (across := sc.name_across(j)) is not None:
                    # "the viral load at the end of treatment was undetectable", "PCR for HSV in the CSF was positive"
                    name, abbreviated = across, False
                if name is None and (rel := sc.relative_subject(j)) is not None:
                    name = rel  # "the rapid urease test and a histopathological evaluation, all of which were negative"
                if name is None and j - 1 > lo and toks[j - 1].norm in ("but", "and"):
                    name = sc.shared_subject(j - 1)  # "BP was 56/36 mmHg in the left arm but was not detectable ..."
                if name is None and j - 1 > lo and toks[j - 1].text == ",":
                    # "SPan-1, and neuron-specific enolase (NSE), were all within normal ranges", "all laboratory
                    # variables, including plasma proteins, were ...": a comma closing the subject
                    name = sc.name_back(j - 1, skip=False)
                    name = name if sc.measured(name) and name[1] == j - 1 else sc.name_before_abbreviation(j - 1)
                if name and code in ("H", "L") and times is None \
                        and not (abbreviated or sc.measurable(*name) or sc.overlaps(*name, ("lab", "vital", "observable"))):
                    name = None  # "the production was increased": high or low needs something measured (a multiple
                    # of the upper limit of normal says it is)
                if name and not abbreviated and phrase_object(toks, lo, name[0]):
                    name = None  # "the pain in her abdomen was decreased": the pain was, not the abdomen
                if name and key in R.measured_only and (not (abbreviated or sc.measurable(*name)
                                                             or sc.overlaps(*name, ("lab", "vital")))
                                                        or sc.overlaps(name[1] - 1, name[1], ("condition",))):
                    name = None  # "(no) LN metastasis was detected", "the lymph nodes were reactive": a finding's
            elif code in ("POS", "NEG") and k - 1 >= lo and _wordish(toks[k - 1]) and not (
                    k2 < hi and _wordish(toks[k2]) and toks[k2].norm not in R.after_signed):
                name = sc.name_back(k, skip=False)  # "HIV negative," (not "positive pressure ventilation")
        if name is None and (code in ("POS", "NEG", "N", "A") or key in R.forward) and k2 < hi and toks[k2].norm in R.result_nouns:
            name = sc.reported_name(k)  # "the pp65 antigenemia test also yielded a negative result"
        if name is None and code in ("POS", "NEG") and k - 2 >= lo and toks[k - 1].text in ("-", "‐") \
                and toks[k - 1].start == toks[k - 2].end and toks[k].start == toks[k - 1].end:
            name = sc.name_back(k - 1, skip=False)  # "catalase-negative", "ANA-positive"
        by_trend = False
        if name is None and key in R.trend and sc.linked_before(k) is None:
            by_trend = True
            j = k
            while j - 1 > lo and toks[j - 1].norm.endswith("ly") and _wordish(toks[j - 1]):
                j -= 1  # "her respiratory status immediately stabilized"
            j = sc.before_figure(j)  # "Visual acuity (Fig.2B) continued to improve"
            name = sc.name_back(j, skip=False)
            if name is not None and (name[1] != j or not (sc.trend_measured(name) or (
                    key in R.outcome_words and toks[name[1] - 1].norm in R.procedure_heads))):
                name = None  # "the procedure went well": an outcome verb says a procedure's result
            if name is None:
                name = sc.name_across(j)  # "the ammonia levels in her blood decreased"
            code = R.trend[key] if name is not None else code
        if denied is not None:
            code = None
        target = _anchor_for(R, toks, lo, anchors, name, sc.linked_before(k))
        if target is not None and (code is not None or key in R.forward):
            lv = LabValue(s, e, None, None, None, None, None, None, code, (s, e), None, None, None, None)
            out.append(Result((k, k2), lv, None, "", series_of=target, attach=True))
            used.append((s, e))
        elif name is not None and code not in ("POS", "NEG") and (same := next(
                (r for r in out if r.name == name and r.word is None and r.series_of is None and r.orphan is None
                 and r.value.qualitative is None and _DIGIT.search(text, r.value.start, r.value.end)), None)) is not None:
            # "improved mPAP (65 to 53 mmHg)": the word is evidence of the value read for the same words
            same.word = (s, e)
            if same.value.interpretation is None and code is not None:
                same.value.interpretation = code
            used.append((s, e))
        elif name is not None and (code in ("POS", "NEG") or not sc.overlaps(name[0], name[1], ("condition",)) or (
                code in ("H", "L") and sc.linked_before(k) == name[1] and toks[name[1] - 1].norm in R.predicated_measures)):
            # "FDG uptake was higher in the node": a result said of an imaging measure the vocabulary also names as
            # a finding is that measure's result
            lv = LabValue(s, e, None, None, None, None, None, None, code, (s, e), None, None, None, None)
            if code == "POS":
                lv.qualitative = "positive"
            elif code == "NEG":
                lv.qualitative = "negative"
            else:
                lv.value_string = " ".join(text[s:e].split())
            signed = code in ("POS", "NEG")
            out.append(Result(name, lv, None, sc.category(name[0], name[1], None, signed)))
            used.append((s, e))
            if code == "POS" and (v := _titre_after(R, sc, values, k2)) is not None and free(v.start, v.end):
                # "VDRL was reactive at 1:32", "RPR was positive at a titre of 1:64": the titre is the test's too
                out.append(Result(name, v, None, sc.category(name[0], name[1], None)))
                used.append((v.start, v.end))
            if code in ("H", "L", "N"):
                # "the lactate:pyruvate ratio was elevated (30:1)": the value in brackets after the word is the result's
                v = next((v for v in values if v.start > e and _RESTATE_OPEN.fullmatch(text, e, v.start)), None)
                if v is not None and v.qualitative is None and free(v.start, v.end) and (
                        v.unit is None and (v.value_string or "")[:1].isdigit() or v.unit and _unit_ok(R, v.unit)):
                    out.append(Result(name, v, None, sc.category(name[0], name[1], v.unit)))
                    used.append((v.start, v.end))
            if sc.linked_before(k) is not None and sc.linked_before(k) == name[1]:
                for item in _listed_before(R, sc, name):  # "CD34, SMA, and ALK were focally positive"
                    out.append(Result(item, replace(lv), None, sc.category(item[0], item[1], None, signed)))
            for item in tested_for:
                out.append(Result(item, replace(lv), None, sc.category(item[0], item[1], None, signed)))
            if sc.linked_before(k) is not None:
                # "the abdomen was soft, non-tender, non-distended": each further word is a result of the same
                k2 = _more_results(R, sc, text, name, k2, out, free, used)
            elif by_trend:
                k2 = _more_trends(R, sc, text, name, k2, out, free, used)
        k = k2
    return out


def _titre_after(R: _Rules, sc: _Scan, values: list[LabValue], k: int) -> LabValue | None:
    """A titre ('1:32') written after a positive result, with only results.json titre_after_result words
    ('at', 'a', 'titre', 'of', brackets) between."""
    toks = sc.toks
    j = k
    while j < sc.hi and (toks[j].norm in R.titre_gap or toks[j].text in ("(", ",")):
        j += 1
    if j >= sc.hi:
        return None
    return next((v for v in values if v.start == toks[j].start and v.value_string
                 and R.titre_rx.fullmatch(v.value_string)), None)


def _reported_absent(R: _Rules, sc: _Scan, text: str, k: int, free) -> Result | None:
    """"urinalysis revealed no Bence-Jones protein", "cytodiagnosis of the fluid revealed no tumor cells": a test
    reporting that something measured or looked for in a specimen is not there (results.json reported_absent):
    a negative result named by that thing, the word of absence its evidence. Findings the vocabulary names as
    conditions ("revealed no tumor") are left to the conditions."""
    toks = sc.toks
    if not any(k - len(p) >= sc.lo and tuple(t.norm for t in toks[k - len(p):k]) == p for p in R.reporting):
        return None
    s, e = toks[k].start, toks[k].end
    name = sc.name_fwd(k + 1) or sc.name_fwd(k + 1, check=False)  # "tumor cells": two words no name alone
    if name is None or name[0] != k + 1 or name[1] - name[0] < 1 or not free(s, e) or sc.overlaps(name[0], name[1], ("drug", "drug_class")) \
            or any(a < name[1] and name[0] < b and b >= name[1] and kind == "condition" for a, b, kind in sc.blocked):
        return None  # a condition naming the whole ("no pleural effusion"); "tumor cells" are looked for, not a tumor
    if name[1] < sc.hi and (toks[name[1]].norm in R.joiners or toks[name[1]].norm == "of"):
        return None  # "revealed no evidence of ...": what is absent is named later
    if not (sc.measurable(*name) or (toks[name[1] - 1].norm in R.absent_heads and name[1] - name[0] > 1)):
        return None  # "no cells" alone says nothing looked for
    lv = LabValue(s, e, None, None, None, None, "negative", None, "NEG", (s, e), None, None, None, None)
    return Result(name, lv, None, sc.category(name[0], name[1], None, True))


def _listed_before(R: _Rules, sc: _Scan, name: tuple[int, int]) -> list[tuple[int, int]]:
    """The names listed before ``name`` that a result said after them is said of too ("CD34, smooth muscle actin
    (SMA), and ALK were focally positive", "f-T3 and f-T4 were normal"): only commas and 'and' (and an
    abbreviation in brackets) between them; a name introduced by a preposition ("regarding thyroid function,
    ...") or that is a finding or drug is no item of the list, and ends it."""
    toks, out = sc.toks, []
    if not any(_abbreviation(t) for t in toks[name[0]:name[1]]):
        return out  # "urea, electrolytes and microscopy were normal": the words may be one test's, or a panel's
    a = name[0]
    while True:
        j, seps = a, 0
        while j - 1 > sc.lo and toks[j - 1].norm in (",", "and"):
            j, seps = j - 1, seps + 1
        if not seps or (seps == 2 and toks[j].norm != ",") or seps > 2:
            break
        if j - 1 > sc.lo and toks[j - 1].text == ")" and (o := next((i for i in range(j - 2, max(sc.lo, j - 6) - 1, -1)
                                                                     if toks[i].text == "("), None)) is not None:
            inside = toks[o + 1:j - 1]
            if not inside or not all(_abbreviation(t) or t.text in _JOIN for t in inside):
                break
            j, bracketed = o, True  # "smooth muscle actin (SMA),"
        else:
            bracketed = False
        item = sc.name_back(j, skip=False)
        if item is None or item[1] != j or sc.overlaps(item[0], item[1], ("condition", "drug", "drug_class")) \
                or not (bracketed or any(_abbreviation(t) for t in toks[item[0]:item[1]])):
            break  # markers and abbreviated tests: "Serum copper and lead were normal" may be one test
        before = toks[item[0] - 1] if item[0] - 1 >= sc.lo else None
        if before is not None and (before.norm in R.po_preps or before.norm in R.joiners):
            break  # "regarding thyroid function, TSH and f-T4 were normal": no item of the list
        out.append(item)
        a = item[0]
    return out


def _more_results(R: _Rules, sc: _Scan, text: str, name: tuple[int, int], k: int, out: list, free, used: list) -> int:
    toks = sc.toks
    while k + 1 < sc.hi and toks[k].norm in (",", "and"):
        j = k + 1 + (toks[k].norm == "," and k + 2 < sc.hi and toks[k + 1].norm == "and")
        hit = sc.word_at(j) if j < sc.hi else None
        if hit is None and j + 2 < sc.hi and toks[j].text.isalpha() and toks[j].text.islower() \
                and toks[j].norm not in R.stop and not sc.overlaps(j, j + 1, ("condition", "drug", "drug_class")) \
                and toks[j + 1].norm in (",", "and"):
            # "pupils were equal, round, and reactive to light": a describing word of the list passed over
            j2 = j + 2 + (toks[j + 1].norm == "," and j + 3 < sc.hi and toks[j + 2].norm == "and")
            hit = sc.word_at(j2) if j2 < sc.hi else None
            j = j2 if hit is not None else j
        if hit is None:
            break
        j2, code = hit
        s, e = toks[j].start, toks[j2 - 1].end
        if code in ("POS", "NEG") or not free(s, e) or sc.overlaps(j, j2, ("drug", "drug_class")) \
                or (code != "N" and sc.overlaps(j, j2, ("condition",))) \
                or (j2 < sc.hi and _wordish(toks[j2]) and toks[j2].norm not in ("and",)):
            break  # "... soft and tender abdomen": the word describes what follows
        lv = LabValue(s, e, None, None, None, None, None, " ".join(text[s:e].split()), code, (s, e),
                      None, None, None, None)
        out.append(Result(name, lv, None, sc.category(name[0], name[1], None)))
        used.append((s, e))
        k = j2
    return k


def _more_trends(R: _Rules, sc: _Scan, text: str, name: tuple[int, int], k: int, out: list, free, used: list) -> int:
    """"the ammonia levels decreased dramatically and returned to normal": a further trend verb joined by 'and'
    (after adverbs of the first) is a further change of the same measure; token index after the last one read."""
    toks = sc.toks
    while True:
        j = k
        while j < sc.hi and toks[j].norm.endswith("ly") and _wordish(toks[j]):
            j += 1  # "decreased dramatically and ..."
        if not (j + 1 < sc.hi and toks[j].norm in R.trend_joiners):
            return k
        j += 1
        while j < sc.hi and toks[j].norm in R.trend_joiners:
            j += 1  # "and then", "and subsequently"
        hit = sc.trend_at(j) if j < sc.hi else None
        if hit is None:
            return k
        j2, code = hit
        s, e = toks[j].start, toks[j2 - 1].end
        if not free(s, e) or sc.overlaps(j, j2, ("condition", "drug", "drug_class")):
            return k
        lv = LabValue(s, e, None, None, None, None, None, " ".join(text[s:e].split()), code, (s, e),
                      None, None, None, None)
        out.append(Result(name, lv, None, sc.category(name[0], name[1], None)))
        used.append((s, e))
        k = j2


_LIST_SEP = re.compile(r"\s*(?:,?\s*(?:and|&)|,|;)\s*$", re.I)


def _respectively(R: _Rules, sc: _Scan, text: str, values: list[LabValue], free, used: list) -> list[Result]:
    """"lactate and pyruvate were 1.6 and 0.096 mmol/l, respectively": names and values paired in order
    when their counts agree (values other rules already read leave the list to them)."""
    out, prev = [], sc.toks[sc.lo].start
    for r in [t for t in sc.toks[sc.lo:sc.hi] if t.norm == "respectively"]:
        # "lactate and pyruvate were 1.6 and 0.096 mmol/l, respectively, ... while CSF levels of lactate and
        # pyruvate were 3.6 and 0.137 mmol/l, respectively": each list ends at its own 'respectively'
        out += _respectively_at(R, sc, text, [v for v in values if v.start >= prev], r, free, used)
        prev = r.end
    return out


def _respectively_at(R: _Rules, sc: _Scan, text: str, values: list[LabValue], r: Tok, free, used: list) -> list[Result]:
    toks, lo = sc.toks, sc.lo
    vals = [v for v in values if v.qualitative is None and v.end <= r.start]
    # "2.7 L (69% of predicted) and 3.2 L (68% of predicted)": a value in brackets right after a value restates it
    vals = [v for i, v in enumerate(vals) if not (i and text[vals[i - 1].end:v.start].strip() == "(")]
    if len(vals) < 2 or re.sub(r"\([^()]*\)", "", text[vals[-1].end:r.start]).strip(" ,)\u2009\u2005\u200a") != "":
        return []
    run = [vals[-1]]
    for v in reversed(vals[:-1]):
        end = max(v.end, v.ref_span[1] if v.ref_span else v.end)
        gap = text[end:run[0].start]
        gap = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", "", gap)
        if not _LIST_SEP.fullmatch(gap) and gap.strip():
            break
        run.insert(0, v)
    # "growth hormone and cortisol were 30.9 mU/L and 447 nmol/L, respectively" with cortisol's value read with
    # the vocabulary: the others are still paired by their place in the list
    taken = [not free(v.start, v.end) for v in run]
    if len(run) < 2 or all(taken):
        return []
    if not any(taken):
        for v in run:  # paired below or not at all: read one by one, they would go to the wrong names
            used.append((v.start, v.end))
    j = next((t.i for t in toks[lo:sc.hi] if t.start >= run[0].start), None)
    if j is None:
        return []
    k = j - 1
    while k >= lo and (toks[k].norm in ("was", "were", "are", "is", "of", "(", ":", "=", "respectively", ",")
                       or toks[k].norm in R.degree or (toks[k].norm in R.skip and toks[k].norm not in R.heads_ok)):
        k -= 1
    names, end, n = [], k + 1, 0
    while k >= lo:
        t = toks[k]
        if end == k + 1 and t.text == ")" and k - 2 > lo and toks[k - 2].text == "(" and _abbreviation(toks[k - 1]):
            # "a forced expiratory volume in 1 second (FEV1) and a forced vital capacity (FVC) of 2.7 L and 3.2 L":
            # the short form written after a name names the value; the long form before it is passed over
            o = k - 2
            names.insert(0, (o + 1, k))
            j = o - 1
            while j >= lo and o - j <= R.max_name + 3 and toks[j].norm not in ("and", ",", "&", ";") \
                    and (toks[j].norm not in R.stop or toks[j].norm in ("in", "of", "at", "for", "to")):
                j -= 1
            if j - 1 >= lo and toks[j].norm in ("a", "an", "the") and toks[j - 1].norm in ("and", ",", "&"):
                j -= 1
            k = end = j
            if j < lo or toks[j].norm not in ("and", ",", "&"):
                break
            continue
        if t.norm in ("a", "an", "the") and end > k + 1 and k - 1 >= lo and toks[k - 1].norm in ("and", ",", "&"):
            names.insert(0, (k + 1, end))  # "... and a forced vital capacity": the article opens the name
            end = k
            k -= 1
            continue
        if t.norm in ("and", ",", "&"):
            if end > k + 1:
                names.insert(0, (k + 1, end))
            end, n = k, 0
        elif not sc._name_tok(k, k == end - 1) and not (t.text in _JOIN and k - 1 >= lo and _wordish(toks[k - 1])):
            break
        elif n >= R.max_name:
            break
        else:
            n += t.text not in _JOIN
        k -= 1
    if end > k + 1:
        names.insert(0, (k + 1, end))
    # "concentrations of alanine and glutamine (1567 and 1369 μmol/l, respectively)": a level of a drug in a
    # body fluid is a result, not a dose
    conc = is_concentration(run[-1].unit)
    names = [nm for nm in names if sc.valid(*nm) or (conc and sc.valid(*nm, drugs_ok=True))]
    if len(names) > len(run):
        # "18% lymphocytes, and glucose and protein levels <20 and <167 mg/dL, respectively": the
        # names paired are the last ones, when a comma sets them off from the words before
        first = names[-len(run)]
        if not any(t.norm == "," for t in toks[names[-len(run) - 1][1]:first[0]]):
            return []
        names = names[-len(run):]
    if len(names) != len(run):
        return []
    shared = run[-1].unit
    # "raised concentrations of alanine and glutamine (1567 and 1369 μmol/l, respectively)": the word says
    # how every value lies, and is the evidence of the first
    w = word_before_name(toks, lo, names[0][0])
    if w is not None and (not free(w[0], w[1]) or taken[0]):
        w = None
    out = []
    for nm, v, t in zip(names, run, taken):
        if t:
            continue
        if v.unit is None and shared:
            v.unit = shared
        if v.unit and not _unit_ok(R, v.unit) and not _measures(R, sc, nm, v.unit):
            return []
        if w is not None and v.interpretation is None:
            v.interpretation = w[2]
        out.append(Result(nm, v, None if out or w is None else w[:2], sc.category(nm[0], nm[1], v.unit)))
    if w is not None:
        used.append(w[:2])
    used.extend((r.value.start, r.value.end) for r in out if any(taken))
    return out


def _signs(R: _Rules, sc: _Scan, text: str, s_start: int, s_end: int, starts: dict, free, used: list) -> list[Result]:
    """"vascular endothelial growth factor (VEGF) (+)", "CD105 (+)", "P53 (–)": a bracketed sign right after the
    name of what was stained or tested is its positive or negative result."""
    out = []
    for m in R.sign_rx.finditer(text, s_start, s_end):
        k = starts.get(m.start())
        if k is None or not free(m.start(), m.end()):
            continue
        name = sc.name_back(k, skip=False)
        if name is None or name[1] != k or not sc.measured(name):
            name = sc.name_before_abbreviation(k)  # "vascular endothelial growth factor (VEGF) (+)"
        if name is None and k - 1 >= sc.lo and _abbreviation(sc.toks[k - 1]) and _wordish(sc.toks[k - 1]) \
                and sum(c.isalnum() for c in sc.toks[k - 1].text) >= 3 \
                and not sc.overlaps(k - 1, k, ("drug", "drug_class")):
            name = (k - 1, k)  # "P53 (–)": one letter, but a marker's name
        if name is None:
            continue
        q = R.signs[m.group()]
        lv = LabValue(m.start(), m.end(), None, None, None, None, None, None, "POS" if q == "positive" else "NEG",
                      (m.start(), m.end()), None, None, None, None)
        lv.qualitative = q
        out.append(Result(name, lv, None, "laboratory"))
        used.append((m.start(), m.end()))
    return out


def _growth(R: _Rules, sc: _Scan, text: str, free, used: list) -> list[Result]:
    """"Blood cultures grew Staphylococcus aureus", "sputum cultures grew Haemophilus influenzae and S. aureus":
    each organism a culture grew is one of its results, the organism's words the value (results.json culture_growth)."""
    toks, out = sc.toks, []
    k = sc.lo
    while k < sc.hi:
        if toks[k].norm not in R.growth_heads or k + 1 >= sc.hi:
            k += 1
            continue
        verb = next((v for v in R.growth_verbs if tuple(t.norm for t in toks[k + 1:k + 1 + len(v)]) == v), None)
        name = sc.name_back(k + 1, skip=False, drugs_ok=True) if verb else None
        if name is None or name[1] != k + 1 or not free(toks[k + 1].start, toks[k + len(verb)].end):
            k += 1
            continue
        j = k + 1 + len(verb)
        items = []
        while j < sc.hi:
            while j < sc.hi and toks[j].norm in ("a", "an", "both"):
                j += 1
            if j >= sc.hi:
                break
            lead = next((n for n in (3, 2, 1) if tuple(t.norm for t in toks[j:j + n]) in R.growth_leads), 0)
            if not (lead or toks[j].text[:1].isupper() and _wordish(toks[j])):
                break  # "grew no organisms", "showed no growth": no organism named
            e = j + max(lead, 1)
            while e < sc.hi and toks[e].text not in (",", ";", "(", ")", "[", ".") and toks[e].norm not in R.growth_stops \
                    and e - j < 6 and (_wordish(toks[e]) or toks[e].text in ("-", "‐", ".") or toks[e].text[:1].isalpha()):
                e += 1
            while e > j + 1 and toks[e - 1].text in ("-", "‐"):
                e -= 1
            s, t_end = toks[j].start, toks[e - 1].end
            if e < sc.hi and toks[e].text == "." and e + 1 < sc.hi and toks[e].start == t_end:
                t_end = toks[e].end  # "S. aureus": the genus initial's full stop
                e += 1
                while e < sc.hi and _wordish(toks[e]) and toks[e].text.islower() and toks[e].norm not in R.growth_stops:
                    t_end, e = toks[e].end, e + 1
            items.append((s, t_end))
            j = e
            if j < sc.hi and toks[j].text == "," and j + 1 < sc.hi and toks[j + 1].norm in ("and", "or"):
                j += 1
            if j < sc.hi and toks[j].norm in ("and", "or", ","):
                j += 1
                continue
            break
        for s, e in items:
            if not free(s, e):
                continue
            lv = LabValue(s, e, None, None, None, None, None, " ".join(text[s:e].split()), None, None,
                          None, None, None, None)
            out.append(Result(name, lv, None, "laboratory"))
            used.append((s, e))
        if items:
            used.append((toks[k + 1].start, toks[k + len(verb)].end))  # the verb ('was positive for') is read
        k = j if items else k + 1
    return out


def _weight_changes(R: _Rules, sc: _Scan, text: str, values: list[LabValue], free, used: list) -> list[Result]:
    """"a 9.9 kg weight loss", "weight loss of 8 kg", "he lost 5 kg", "she gained 13 kg": the amount of a
    change of body weight, named by the finding written next to it or by the verb's finding."""
    toks, lo, hi, out = sc.toks, sc.lo, sc.hi, []

    def finding_at(j: int, ending: bool) -> tuple[int, int] | None:
        for n in range(R.wc_max, 0, -1):
            a, b = (j - n + 1, j + 1) if ending else (j, j + n)
            if a >= lo and b <= hi and tuple(t.norm for t in toks[a:b]) in R.wc_findings:
                return a, b
        return None

    for lv in values:
        if lv.qualitative or not lv.unit or ucum_code(lv.unit) not in R.wc_units or not free(lv.start, lv.end):
            continue
        k = next((t.i for t in toks[lo:hi] if t.start == lv.start), None)
        if k is None:
            continue
        after = next((t.i for t in toks[k:hi] if t.start >= lv.end), hi)
        j = after + (after < hi and toks[after].norm == "of")
        name = finding_at(j, False) if j < hi else None  # "a 9.9 kg weight loss"
        label = None
        if name is None:
            j, gap = k - 1, 0
            while j >= lo and toks[j].norm in R.wc_gap and gap < 4:
                j, gap = j - 1, gap + 1
            if j >= lo:
                name = finding_at(j, True)  # "weight loss of 8 kg"
                if name is None and (toks[j].norm,) in R.wc_verbs:
                    name, label = (j, j + 1), R.wc_verbs[(toks[j].norm,)]  # "he lost 5 kg"
        if name is None:
            continue
        out.append(Result(name, lv, None, R.wc_category, label=label))
        used.append((lv.start, lv.end))
    return out


def _named_after(R: _Rules, sc: _Scan, values: list[LabValue], free, used: list) -> list[Result]:
    """"scored 15 on the Glasgow coma scale", "9/9 on the Beighton hypermobility scale": a score named by the
    scale written after it; "90% stenosis of the LMCA", "10% infiltration": a percentage named by the finding
    it measures, written right after it."""
    toks, lo, hi, out = sc.toks, sc.lo, sc.hi, []
    for lv in values:
        if lv.qualitative or not free(lv.start, lv.end):
            continue
        j = next((t.i for t in toks[lo:hi] if t.start >= lv.end), hi)
        if j >= hi:
            continue
        name = None
        if lv.unit == "%" and toks[j].norm in R.percent_findings:
            name = (j, j + 1)
        elif lv.unit and ucum_code(lv.unit) == "mm" and (toks[j].norm in R.length_findings or toks[j].norm == "of"
                                                         and j + 1 < hi and toks[j + 1].norm in R.length_findings):
            # "the tuberculin skin test showed 15 mm induration", "18 mm of induration": the reading is the induration
            name = (j, j + 1) if toks[j].norm != "of" else (j + 1, j + 2)
        elif lv.unit is None and (lv.value is not None or lv.value_string):
            link = next((ln for ln in R.scale_links if tuple(t.norm for t in toks[j:j + len(ln)]) == ln), None)
            if link is not None:
                a = b = j + len(link)
                while b < hi and b - a < R.scale_max and _wordish(toks[b]) and toks[b].norm not in R.scale_heads \
                        and toks[b].norm not in R.stop:
                    b += 1
                if b < hi and b > a and toks[b].norm in R.scale_heads:
                    name = (a, b + 1)  # "on the scale" alone names no scale
        if name is None and graded_word(toks, lo, hi, lv, sc.blocked) is not None:
            # "urine dipstick showed 2+ blood and 3+ protein": a grade of the test named right after it
            b = j
            while b < hi and b - j < 2 and _wordish(toks[b]) and toks[b].norm not in R.stop and toks[b].norm not in R.growth_stops:
                b += 1
            if b > j and sc.valid(j, b) and not sc.overlaps(j, b, ("condition",)):
                name = (j, b)
        if name is None and lv.unit is None and lv.value is not None and (lv.value_text or "").isdigit() \
                and not lv.comparator:
            # "CSF analysis showed 30 leukocytes (79% lymphocytes ...)": a count of the cells named right after it
            b = next((j + n for n in range(R.count_noun_max, 0, -1) if j + n <= hi
                      and " ".join(t.text.lower() for t in toks[j:j + n]) in R.count_nouns), None)
            if b is not None and toks[j].start == lv.end + 1 and (b >= hi or not _wordish(toks[b])):
                name = (j, b)
        if name is None or sc.overlaps(name[0], name[1], ("drug", "drug_class")):
            continue
        out.append(Result(name, lv, None, sc.category(name[0], name[1], lv.unit)))
        used.append((lv.start, lv.end))
    return out


def _cell_percentages(R: _Rules, sc: _Scan, text: str, values: list[LabValue], free, used: list) -> list[Result]:
    """"80% polymorphonuclear cells", "50% of erythroblasts were ringed sideroblasts", "staining in 15% of the
    tumor cells": a percentage of the cells named right after it, named by those words."""
    toks, lo, hi, out = sc.toks, sc.lo, sc.hi, []
    for lv in values:
        if lv.qualitative or lv.unit != "%" or lv.value is None or not free(lv.start, lv.end):
            continue
        j = next((t.i for t in toks[lo:hi] if t.start >= lv.end), hi)
        if j < hi and toks[j].norm == "of":
            j += 1
            if j < hi and toks[j].norm == "the":
                j += 1
        b = j
        while b < hi and b - j < R.cell_max and _wordish(toks[b]) and toks[b].norm not in R.stop \
                and toks[b].norm not in R.cell_heads:
            b += 1
        if b >= hi or toks[b].norm not in R.cell_heads or b + 1 < hi and toks[b + 1].text in ("-", "‐"):
            continue
        name = (j, b + 1)
        if sc.overlaps(name[0], name[1], ("drug", "drug_class")):
            continue
        k = next((t.i for t in toks[lo:hi] if t.start >= lv.start), None)
        verb = next((v for v in R.share_verbs if k is not None and k - len(v) > lo
                     and tuple(t.norm for t in toks[k - len(v):k]) == v), None)
        subject = sc.name_back(k - len(verb), skip=False) if verb else None
        if subject is not None and subject[1] == k - len(verb):
            # "blasts accounted for 45% of the bone marrow cells": the blasts' share
            out.append(Result(subject, lv, None, "laboratory"))
            used.append((lv.start, lv.end))
            continue
        if b + 2 < hi and toks[b + 1].norm in ("was", "were") and toks[b + 2].norm in R.cell_heads \
                and not (b + 3 < hi and _wordish(toks[b + 3]) and toks[b + 3].norm not in R.stop):
            # "81% of the white blood cells were lymphocytes": the percentage of lymphocytes
            out.append(Result((b + 2, b + 3), lv, None, "laboratory", label=toks[b + 2].text))
            used.append((lv.start, lv.end))
            continue
        # "81% of the white blood cells": not the lab those words name (a count), so no code from it
        label = " ".join(text[toks[j].start:toks[b].end].split()) if sc.overlaps(j, b + 1, ("lab",)) else None
        out.append(Result(name, lv, None, "laboratory", label=label))
        used.append((lv.start, lv.end))
    return out


def _fraction_scale(scale, sc: _Scan, text: str, s_start: int, s_end: int, free, used: list) -> list[Result]:
    """"She had 2/5 strength in her right leg, 3/5 in her left leg", "her strength had deteriorated to 1/5",
    "visual acuity was 20/70 in the right eye and 20/70 in the left eye": each value of a scale written as a
    fraction, in a sentence naming the scale, named by the nearest such words (before the value, else after)."""
    toks, lo, hi = sc.toks, sc.lo, sc.hi
    names, longest, rx = scale
    scale_gap = sc.R.fraction_gap
    found = [m for m in rx.finditer(text, s_start, s_end) if free(m.start(), m.end())]
    if not found:
        return []  # most sentences hold no fraction: skip the word scan
    words = []
    k = lo
    while k < hi:
        for n in range(min(longest, hi - k), 0, -1):
            if tuple(t.norm for t in toks[k:k + n]) in names:
                words.append((k, k + n))
                k += n - 1
                break
        k += 1
    if not words:
        return []
    out = []
    for m in found:
        before = [w for w in words if toks[w[1] - 1].end <= m.start()]
        if before:
            name = before[-1]
        else:  # "8/10, substernal chest pain": the scale's words soon after the value
            j = next((t.i for t in toks[lo:hi] if t.start >= m.end()), hi)
            name = next((w for w in words if toks[w[0]].start >= m.end() and w[0] - j <= scale_gap), None)
            if name is None:
                continue
        v = " ".join(m.group().split())
        lv = LabValue(m.start(), m.end(), None, None, None, None, None, v, None, None, None, None, None, None)
        out.append(Result(name, lv, None, sc.category(name[0], name[1], None)))
        used.append((m.start(), m.end()))
    return out


def specimen_before(toks: list[Tok], lo: int, a: int, names: frozenset[int] = frozenset(),
                    b: int | None = None) -> tuple[int, str] | None:
    """(first token, specimen) of a specimen named just before token a ("24-hour urine calcium", "CSF protein");
    else (-1, specimen) when it governs a list the lab is in ("CSF lactate and pyruvate", "cerebrospinal fluid
    (CSF) levels of lactate and pyruvate": only lab names, whose tokens are ``names``, and specimen_list_words
    between) or when the sentence opens on one ("CSF showed 30 leukocytes ... and glucose 2.4 mmol/L").
    None when the lab's own name (tokens a..b) or the list it is in names its specimen ("CSF protein",
    "serum sodium and potassium")."""
    R = rules()

    def at(end: int, tissue: bool) -> str | None:  # a specimen written in the tokens ending before ``end``
        for n in (3, 2, 1):
            sp = R.specimens.get(tuple(t.norm for t in toks[end - n:end])) if end - n >= lo else None
            if sp and (tissue or sp != "tissue"):
                return sp
        return None

    for n in (3, 2, 1):
        if a - n >= lo:
            sp = R.specimens.get(tuple(t.norm for t in toks[a - n:a]))
            if sp:
                return a - n, sp
    if a - 2 >= lo and toks[a - 1].text == "/" and (sp := at(a - 1, True)):
        return a - 2, sp  # "CSF/plasma albumin ratio": no one specimen's test
    own = range(a, b if b is not None else a)
    if any(toks[i].norm in R.specimen_default or tuple(t.norm for t in toks[i:j]) in R.specimens
           for i in own for j in range(i + 1, min(i + 3, own.stop) + 1)):
        return None
    p = a
    while p > lo and (p - 1 in names or toks[p - 1].norm in R.specimen_list):
        p -= 1
        if toks[p - 1].norm in R.specimen_default or (p in names and toks[p].norm in R.specimen_default):
            return None  # "serum sodium and potassium", "plasma levels of lactate and pyruvate"
        sp = at(p, False) or (at(p + 1, False) if p in names else None)
        if sp:
            return -1, sp
    if p > lo and toks[p - 1].norm in R.specimen_default:
        return None
    for i in range(lo, min(a, lo + 3)):
        for n in (3, 2, 1):
            sp = R.specimens.get(tuple(t.norm for t in toks[i:i + n])) if i + n <= a else None
            if sp and sp != "tissue":
                return -1, sp
    return None


def antibody_before(toks: list[Tok], lo: int, a: int, b: int) -> int | None:
    """First token of 'anti-X' before an immunoglobulin class toks[a:b] ("anti-cardiolipin IgG"): the result is
    the antibody against X, not the total immunoglobulin the vocabulary codes; None otherwise."""
    R = rules()
    if tuple(t.norm for t in toks[a:b]) not in R.ab_classes:
        return None
    for p in range(a - 1, max(lo, a - R.ab_max) - 1, -1):
        n = toks[p].norm
        if n in R.ab_stop:
            return None
        if n.startswith(R.ab_prefixes) and (n not in R.ab_prefixes or p + 1 < a and toks[p + 1].text in "-‐–"):
            return p
    # "Cytomegalovirus IgM", "Epstein-Barr virus IgG", "specific IgE": the words right before the class name what
    # the antibody is against; "serum IgG", "total IgE", "elevated IgM" are the total immunoglobulin
    start = a
    for p in range(a - 1, max(lo, a - R.ab_max) - 1, -1):
        t = toks[p]
        if t.text in ("-", "‐") and p - 1 >= lo and toks[p - 1].end == t.start and t.end == toks[p + 1].start:
            continue
        if not _wordish(t) or t.norm in R.ab_stop or t.norm in R.ab_total or t.norm in R.stop \
                or any(t.norm == sp[-1] for sp in R.specimens) or t.norm in R.word_starts:
            break
        start = p
    if start < a and toks[start].text in ("-", "‐"):
        start += 1
    return start if start < a else None


def _anchor_for(R: _Rules, toks: list[Tok], lo: int, anchors: list[Anchor], name, j: int | None) -> int | None:
    """The test other rules read that a result word is said of: its name is the words found, or,
    after a linking verb, its value (and range) closes just before: "calcium (2.34 mmol/L) levels were normal"."""
    given = [a for a in anchors if a.root is not None]
    if name is not None:
        return next((a.root for a in given if a.name and a.name[0] < name[1] and name[0] < a.name[1]), None)
    if j is None:
        return None
    p = j - 1
    while p >= lo and toks[p].norm in R.generic_heads_words:
        p -= 1
    if p < lo:
        return None
    if toks[p].text in (")", "]"):
        return next((a.root for a in reversed(given) if a.end <= toks[p].start and toks[p].start - a.end <= 40), None)
    return next((a.root for a in given if a.name and a.name[0] <= p < a.name[1]), None)


def own_clause(toks: list[Tok], lo: int, hi: int, name: tuple[int, int], k: int, before: int) -> bool:
    """The result at token k is stated in its own clause ("..., and bowel sounds were normoactive"): a linking
    verb joins it to its name, and a clause joiner (clause_joiners) stands between token ``before`` (where a
    negation ends) and the name, so the negation does not reach it."""
    R = rules()
    sc = _Scan("", toks, lo, hi, [])
    j = sc.linked_before(k)
    if j is None or j != name[1]:
        return False
    return before <= name[0] and any(t.norm in R.clause_joiners for t in toks[before:name[0]])


def denied_change(toks: list[Tok], lo: int, a: int) -> int | None:
    """Where the denial of a change word at token a begins ("no increase", "no significant change"), skipping
    degree words between (results.json denied_change); None when nothing denies it right before."""
    R = rules()
    j = a - 1
    while j >= lo and toks[j].norm in R.denied_change_fillers:
        j -= 1
    return j if j >= lo and toks[j].norm in R.denied_change else None


def own_conjunct(toks: list[Tok], name: tuple[int, int], k: int, before: int) -> bool:
    """A normal word at token k opens its own conjunct before the name it describes ("revealed no nystagmus and
    normal visual evoked potentials"): a clause joiner (clause_joiners) stands between token ``before`` (where a
    negation ends) and the word, so the negation does not reach it; nothing is denied by calling a test normal."""
    R = rules()
    return name[0] > k >= before and any(t.norm in R.clause_joiners for t in toks[before:k])


def phrase_object(toks: list[Tok], lo: int, a: int) -> bool:
    """The words from token a are the object of a preposition after another word ("the pain in her abdomen",
    "the nodules at follow-up"): a result word said after them is that word's, not theirs (phrase_objects)."""
    R = rules()
    j = a - 1
    while j >= lo and (toks[j].norm in R.po_fillers or _modifier(R, toks, j)):
        j -= 1  # "recurrences in the para-aortic lymph nodes": describing words of the object may stand between
    return j - 1 >= lo and toks[j].norm in R.po_preps and _wordish(toks[j - 1]) and toks[j - 1].norm not in R.stop


def _modifier(R: _Rules, toks: list[Tok], j: int) -> bool:
    """An adjective ('para-aortic', 'left'): a lower-case word with an adjective ending, or a hyphen glued in one."""
    t = toks[j]
    if t.text in ("-", "‐"):
        return j - 1 >= 0 and toks[j - 1].end == t.start and j + 1 < len(toks) and toks[j + 1].start == t.end
    if t.norm in R.po_preps or t.norm in R.stop and t.norm not in R.inner_words:
        return False
    return t.text.isalpha() and t.text.islower() and (t.norm.endswith(R.adjective_endings) or t.norm in R.inner_words
                                                       or j + 1 < len(toks) and toks[j + 1].text in ("-", "‐")
                                                       and toks[j + 1].start == t.end)


def compound_measure(toks: list[Tok], lo: int, hi: int, a: int, b: int) -> tuple[int, int] | None:
    """The tokens of a longer measure a test named at toks[a:b] is part of (results.json compound_measures):
    "PaO2/FiO2 ratio" (a ratio word after it, names glued before it by a slash or hyphen), "fractional
    excretion of sodium" ('of' after a measure head, and an adjective before the head); None when there is none."""
    R = rules()
    glued = lambda i: toks[i].start == toks[i - 1].end  # noqa: E731
    start, end = a, b
    if b < hi and toks[b].norm in R.compound_after and toks[b].start > toks[b - 1].end:
        end = b + 1
        while start - 2 >= lo and toks[start - 1].text in ("/", "-", "‐", ":") and glued(start) and glued(start - 1) \
                and _wordish(toks[start - 2]):
            start -= 2
        if start < a:  # "the urine sodium/creatinine ratio": the words naming the ratio's specimen too
            name = _Scan("", toks, lo, hi, []).name_back(start, skip=False)
            start = name[0] if name and name[1] == start and not any(
                t.norm.endswith(R.adjective_endings) for t in toks[name[0]:start]) else start
    elif a - 2 >= lo and toks[a - 1].norm == "of" and toks[a - 2].norm in R.compound_of_heads:
        start = a - 2
        if start - 1 >= lo and toks[start - 1].text.isalpha() and toks[start - 1].norm not in R.stop \
                and toks[start - 1].norm.endswith(R.adjective_endings):
            start -= 1
    return (start, end) if (start, end) != (a, b) else None


def name_start(toks: list[Tok], lo: int, hi: int, a: int, b: int) -> int | None:
    """Where the words naming a generic test ('test', 'levels', 'serology') begin, when words before
    it name the test ("the cardiolipin test", "anti-HEV serology"); None when nothing precedes it."""
    if tuple(t.norm for t in toks[a:b]) not in rules().generic_heads:
        return None
    name = _Scan("", toks, lo, hi, []).name_back(a, skip=False)
    return name[0] if name and name[1] == a else None


def graded_fraction_at(text: str, start: int) -> bool:
    """A bare fraction at ``start`` that grades the finding written after it ('a 2/6 systolic murmur'):
    the finding's grade (results.json grades fraction_findings), no result of a test named before it."""
    m = rules().grade.match(text, start)
    return m is not None and m.group("ffv") is not None


def _grades(R: _Rules, sc: _Scan, text: str, s_start: int, s_end: int, free, used: list) -> list[Result]:
    """'NYHA class IV', 'a grade 2/6 holosystolic murmur', 'stage 1 sarcoidosis', 'pT3N0M1'."""
    toks, out = sc.toks, []
    conds = [(a, b) for a, b, kind in sc.blocked if kind == "condition"]
    low = lowered(text)
    if not (R.grade_hint.search(low, s_start, s_end) if low is not None else R.grade_hint.search(text[s_start:s_end].lower())) \
            and not R.short_grade_hint.search(text, s_start, s_end) and not R.tnm_hint.search(text, s_start, s_end):
        return out
    for m in list(R.grade.finditer(text, s_start, s_end)) + list(R.tnm.finditer(text, s_start, s_end)):
        if not free(m.start(), m.end()):
            continue
        gd = m.groupdict()
        a = next((t.i for t in toks[sc.lo:sc.hi] if t.end > m.start()), None)
        b = next((t.i for t in toks[sc.lo:sc.hi] if t.start >= m.end()), sc.hi)
        if a is None:
            continue
        if "kind" not in gd:  # TNM
            label = R.tnm_label
        else:
            kind = (gd.get("kind") or gd.get("kind2") or gd.get("kind3") or "").lower() or "grade"
            if gd.get("qual"):
                label = f"{' '.join(gd['qual'].split())} {kind}"
            elif " ".join(kind.split()) in R.standalone_kinds:
                label = " ".join(kind.split())  # "her performance status (PS) was 3"
            else:
                after = next(((x, y) for x, y in conds if b <= x <= b + R.grade_gap), None)
                before = next(((x, y) for x, y in reversed(conds) if y <= a and a - y <= R.grade_gap), None)
                c = (before or after) if gd.get("kind3") else (after or before)  # "a murmur of 2/6 grade": the one before
                if c is None:
                    continue
                if kind == "grade" and " ".join(t.norm for t in toks[c[0]:c[1]]) in R.toxicity_findings \
                        and R.toxicity_grade.fullmatch(gd.get("v") or ""):
                    used.append((m.start(), m.end()))
                    continue  # "grade 3 neutropenia", "grade 2 nausea": the adverse event's severity, not a measure
                label = f"{' '.join(text[toks[c[0]].start:toks[c[1] - 1].end].split())} {kind}"
        v = " ".join((gd.get("v") or gd.get("ord") or gd.get("fv") or gd.get("short") or gd.get("ffv") or "").split())
        lv = LabValue(m.start(), m.end(), None, None, None, None, None, v, None, None, None, None, None, None)
        out.append(Result((a, b), lv, None, "exam", label=label))
        used.append((m.start(), m.end()))
    return out


def _interp_word(R: _Rules, toks: list[Tok], a: int, b: int, ending: bool = False):
    """(start, end, code) of an H/L/N/A result word inside toks[a:b] (ending at b when ``ending``)."""
    for i in range(a, b):
        for n in range(min(R.max_word, b - i), 0, -1):
            if ending and i + n != b:
                continue
            code = R.words.get(tuple(t.norm for t in toks[i:i + n]))
            if code in ("H", "L", "N", "A"):
                # "increased to 52 mmH2O" tells a change, not where the value lies against normal: the
                # words are evidence, but give no interpretation
                change = i + n < len(toks) and toks[i + n].norm in ("to", "from", "by")
                return toks[i].start, toks[i + n - 1].end, None if change else code
    return None


def word_before_name(toks: list[Tok], lo: int, a: int) -> tuple[int, int, str] | None:
    """(start, end, code) of an H/L/N/A result word written before the test named from token a, only words
    saying what was measured between ("elevated level of acid phosphatase (47.8 IU/L)", "low free serum
    carnitine (14.2 μmol/L)", "an exceedingly high-serum level of prolactin"); results.json word_before_name."""
    R = rules()
    j, n = a, 0
    while j - 1 >= lo and n < R.wb_max:
        t = toks[j - 1]
        if t.norm in R.wb_fillers:
            j, n = j - 1, n + 1
        elif n and t.text in ("-", "‐") and j - 2 >= lo and toks[j - 2].end == t.start and t.end == toks[j].start:
            j -= 1  # "high-serum level of": not "high-sensitivity CRP", where the hyphen is the name's own
        else:
            break
    for k in range(min(R.max_word, j - lo), 0, -1):
        code = R.words.get(tuple(t.norm for t in toks[j - k:j]))
        if code in ("H", "L", "N", "A") and not (j - k - 1 > lo and toks[j - k - 1].text in ("-", "‐")
                                                 and toks[j - k - 1].start == toks[j - k - 2].end):
            if toks[j].text not in ("-", "‐") and _reference(toks, j - k, j, len(toks)):
                return None  # "normal range of ..."
            if code in ("H", "L") and denied_change(toks, lo, j - k) is not None:
                return None  # "no increase in the serum creatinine": no high result
            return toks[j - k].start, toks[j - 1].end, code
    return None


def _reference(toks: list[Tok], k: int, k2: int, hi: int) -> bool:
    """"(normal < 170)", "normal range", "normal: 2:1": the word introduces a reference, not a result."""
    nxt = toks[k2].norm if k2 < hi else ""
    if nxt in ("range", "limit", "value", "reference", "upper", "lower", "ratio", "control", "subject", "individual",
               "volunteer", "donor", "saline", "appearance", "size", "variant"):
        return True
    if nxt in (":", "=", "<", ">", "≤", "≥", "-", "–") or _NUMERIC.match(nxt):
        return True
    prev = toks[k - 1].text if k > 0 else ""
    return prev in ("(", "[") and (nxt in (",", ";") or bool(_NUMERIC.match(nxt)))
