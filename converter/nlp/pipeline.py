"""From text (and its sections) to typed facts.

Steps, each a small function: tokens and sentences -> lexicon matches (conditions, labs, vitals,
drugs, drug classes) -> ConText assertions -> section/literature filter -> values and sigs ->
grouping into facts. Everything the rules know is data in mappings/."""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable

from ..facts import (Assertion, ConditionFact, Facts, LabFact, MedicationFact, Mention, PatientFact,
                     SkippedFact, range_interpretation)
from . import context as ctx
from .demographics import find_age, find_onset, find_sex
from .matcher import lexicon_trie, observable_phrases, observables
from .sections import Segment, SectionIndex, rules as section_rules, split_sections
from .tokens import Tok, sentences, tokenize
from .abbrev import abbreviates, bracketed_after, occurrences
from .results import (GRADE_VALUE, Anchor, antibody_before, compound_measure, denied_change, find_results, graded_fraction_at, graded_word, name_start, own_clause, own_conjunct,
                      phrase_object, specimen_before, trend_at, word_before_name)
from .results import rules as result_rules
from .rules import CONC_DENOM as _CONC_DENOM, TREATMENT_CUES as _TREATMENT_CUES, RULES as _R, given_before
from .rules import is_concentration as _is_concentration, words as _words
from .sig import _MAKER_RX, parse_sig
from .trie import Trie, norm_token
from .values import attach_values, find_values, forget_scans, lab_rules as _lab_rules, name_number_prefix, parse_number

Locate = Callable[[int, int], list]


@dataclass
class ExtractOptions:
    """Settings of the extraction. Defaults give the patient's own story."""

    keep_literature: bool = False  # facts from background/discussion/captions become patient resources too
    drop_refuted: bool = False  # negated findings: dropped instead of verificationStatus refuted
    intended_drugs: bool = False  # hypothetical/recommended drugs as status "intended" instead of dropped
    include_tables: bool = False  # lab rows of tables become Observations
    unnamed_results: bool = True  # results of tests no vocabulary names ("X was normal") as text-only Observations


@dataclass
class Match:
    a: int  # token range
    b: int
    start: int  # char range
    end: int
    kind: str
    concept_id: str
    sent: int
    segment: Segment
    assertion: Assertion = field(default_factory=Assertion)
    triggers: list = field(default_factory=list)
    literature: bool = False
    value_before: bool = False  # "88% neutrophils": the value is written before the name
    parts: tuple[str, ...] = ()  # a regimen written as its drugs joined by hyphens: the drugs' concept ids


_NUM = re.compile(r"^\d")
# a verb of change and 'to' right before the value ("decreased to", "fell to"): lab_values.json trend_from_verbs
@lru_cache(maxsize=1)
def _equivalent_units() -> dict[tuple[str, str], tuple[str, ...]]:
    """(UCUM code written, UCUM code of the table) -> lower-cased words of tests it does not hold for."""
    return {(e["written"], e["table"]): tuple(w.lower() for w in e["except_words"]) for e in _lab_rules()["equivalent_units"]}


@lru_cache(maxsize=1)
def _converted_units() -> dict[tuple[str, str], list[tuple[float, float, frozenset[str]]]]:
    """(UCUM code written, UCUM code of the table) -> (factor, offset, LOINC numbers it holds for; empty: any test):
    a value in the written unit times factor plus offset is the value in the table's unit."""
    out: dict = {}
    for e in _lab_rules()["converted_units"]:
        out.setdefault((e["written"], e["table"]), []).append((float(e["factor"]), float(e.get("offset", 0)),
                                                               frozenset(e.get("loinc", ()))))
    return out


def _in_written_unit(x: float | None, factor: float, offset: float) -> float | None:
    """A bound of the curated range in the written unit, to three significant figures."""
    return None if x is None else float(f"{(x - offset) / factor:.3g}")


@lru_cache(maxsize=1)
def _change_to() -> re.Pattern:
    return re.compile(r"(?:" + _alt_words(_lab_rules()["trend_from_verbs"]) + r")(?:\s+\w+ly)?\s+to\s+(?:about\s+|approximately\s+)?", re.I)


def _alt_words(words) -> str:
    return "|".join(re.escape(w).replace("\\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


# "X was proposed but refused"; "reported allergy to diclofenac"
_REFUSAL_AFTER_BUT = re.compile(r",?\s+but\s+(?:(?:was|were|then|later|subsequently)\s+)?(?:" + _alt_words(_R["refusal_words"])
                                + r")\b", re.I)
# "reported allergy to diclofenac", "Allergies: codeine", "drug allergies include amoxicillin"
_ALLERGY_BEFORE = re.compile(r"\b(?:" + _alt_words(_R["allergy_words"]) + r")(?:\s+(?:" + _alt_words(_R["allergy_links"])
                             + r")\s+|\s*:\s*)(?:(?:the|a|an|oral|intravenous|iv|topical)\s+)?$", re.I)
# "methotrexate toxicity": the drug's effect is the head a denial before it is about
_EFFECT_HEAD = re.compile(r"\s*-?\s*(?:" + _alt_words(_R["drug_effect_heads"]) + r")\b", re.I)
# the next item of an allergy list: "allergic to penicillin (rash), sulfa and codeine"
_ALLERGY_LIST_GAP = re.compile(r"(?:\s*\([^()]{0,40}\))?\s*,?\s*(?:(?:and|or)\s+)?", re.I)
_FUNCTION_WORDS = frozenset(_R["function_words"])
# "respiratory symptoms", "bone disease": a body system named before a general word
_SYSTEM_BEFORE = re.compile(r"\b([A-Za-z]+(?:" + _alt_words(_R["system_adjective_suffixes"]) + r")|"
                            + _alt_words(_R["system_nouns"]) + r")\s+$", re.I)
_VAGUE_QUALIFIERS = frozenset(_R["vague_qualifiers"])
_DIAGNOSIS_BEFORE = re.compile(r"\b(?:" + _alt_words(_R["diagnosis_cues_before"]) + r")"
                               r"(?: (?:a|an|the|[A-Za-z][a-z]+(?: [a-z]+)?))?(?: stage [IV0-9]+)? $", re.I)
_DIAGNOSIS_AFTER = re.compile(r" (?:" + _alt_words(_R["diagnosis_cues_after"]) + r")\b")
# "a diagnosis of ECD", "consistent with ATM", "HO was diagnosed": a short form the vocabulary does not know,
# named as the diagnosis, is an (uncoded) condition; up to two describing words may stand between ("advanced PMME")
_ACRONYM = re.compile(r"^(?:[A-Z][A-Z0-9]*[A-Z]|[A-Z]{2,}[0-9]+)$")
_ROMAN = re.compile(r"^[IVX]+$")
_ACRONYM_CUE = re.compile(r"\b(?:" + _alt_words(_R["diagnosis_cues_before"] + _R["acronym_diagnosis_cues"]) + r")"
                          r"((?: [A-Za-z][a-z]+(?:-[a-z]+)?){0,2}) $", re.I)
_ACRONYM_NEXT = frozenset(_R["acronym_next_words"])
_LF_LINKS = re.compile(r"\b(?:of|in|with|for|to|on|at|by|from|and|or)\b|[,;:()]", re.I)
_CLAUSE_BREAK = re.compile(r"[;]|,?\s+(?:but|however|whereas|although|though)\b", re.I)


def _norm_text(s: str) -> str:
    return " ".join(norm_token(w) for w in s.split())


_DOSE_UNITS = _words("dose_unit_tokens")
_RESULT_WORDS = _words("result_words")
_FINDING_WORDS = _words("lab_finding_words")
_DRUG_BLOCK_NEXT = _words("drug_blocking_next_words")
_DRUG_BLOCK_PREV = _words("drug_blocking_prev_words")
_COND_BLOCK_NEXT = _words("condition_blocking_next_words")
_LIKENESS = _words("likeness_suffixes")
_SUBTYPE_WORDS = _words("subtype_words")
_ORGANISM_HEADS = _words("organism_heads")
_PROCEDURE_HEADS = _words("procedure_heads")
_SUBTYPE = re.compile(r"^(?:[0-9]{1,2}[a-z]?|[ivx]{1,4}[a-z]?|[a-d])$")
_VITAL_BLOCK_NEXT = _words("vital_blocking_next_words")
_NON_SPECIFIC = _words("non_specific_conditions")
_NON_SPECIFIC_DRUGS = frozenset(_norm_text(w) for w in _words("non_specific_drugs"))
_DRUG_NEG_GAP = _words("drug_negation_gap_words")
_DIAGNOSTIC_USE = re.compile(
    r"(?<![\w-])(?P<proc>" + "|".join(sorted(map(re.escape, _words("diagnostic_use_words")), key=len, reverse=True)) + r")"
    r"(?:\s*\([^()]{1,12}\))?(?P<gap>[^.;]{0,50}?)\b(?:using|with)\s+(?:[\w.%/-]+\s+){0,4}$|"
    r"enhanc\w*\s+after\s+(?:[\w.%/-]+\s+){0,2}$", re.I)
_NOT_CONDITIONS = frozenset(_norm_text(w) for w in _words("not_conditions"))
# a phrase ending in a condition's word that names no finding: a body structure ("basal ganglion") or a
# physical agent ("electric shock")
_NOT_FINDING_PHRASES = frozenset(_norm_text(w) for w in _words("anatomy_phrases") | _words("not_finding_phrases"))
# "creatinine kept falling to 1.3 mg/dL", "a fall in haemoglobin": a measure's change, not the finding
_TREND_FINDINGS = frozenset(_norm_text(w) for w in _words("trend_findings"))
_TREND_GAP = frozenset(_norm_text(w) for w in _words("trend_gap_words"))
_TREND_VALUE = frozenset(_norm_text(w) for w in _words("trend_value_words"))
_TREND_OF = frozenset(_norm_text(w) for w in _words("trend_of_words"))
# "ascitic fluid was sent for culture", "pleural fluid analysis": the specimen, not the finding
_SPECIMEN_NEXT = tuple(tuple(_norm_text(w).split()) for w in _words("specimen_use_next"))
_SPECIMEN_BEFORE = tuple(tuple(_norm_text(w).split()) for w in _words("specimen_use_before"))
_SPECIMEN_LAB_LINKS = frozenset(_norm_text(w) for w in _words("specimen_lab_links"))
_SPECIMEN_COPULAS = frozenset(_norm_text(w) for w in _words("specimen_copulas"))
_SPECIMEN_STATES = frozenset(_norm_text(w) for w in _words("specimen_states"))
# "hepatitis B and C", "enterovirus and herpesvirus infection": a disease's name written once for two words
_ELIDED_HEADS = frozenset(_norm_text(w) for w in _words("elided_condition_heads"))
_ELIDED_JOINERS = _words("elided_condition_joiners")
_ELIDED_MAX_CHARS = 3  # the varying word after a name: a letter, number or numeral ("B", "2", "IV")
_NOT_FINDING_MAX = max(len(w.split()) for w in _NOT_FINDING_PHRASES)
# "3–5/high power field", "per high-power field": a unit of several words (lab_values.json unit_atoms) names no
# test or finding of its own ("power" is an examination)
def _unit_phrases() -> frozenset[tuple[str, ...]]:
    from .tokens import tokenize_phrase
    from .values import lab_rules

    return frozenset(t for t in map(tokenize_phrase, lab_rules()["unit_atoms"]) if len(t) > 1)


_UNIT_PHRASES = _unit_phrases()


def _relative_score_rx() -> re.Pattern:
    from .values import lab_rules

    return re.compile(r"[\s\u2009\u200a\u00a0]*(?:" + _alt_words(lab_rules()["relative_score_words"]) + r")(?![\w-])", re.I)


# "height and weight was −3 SD below the mean": a standard-deviation score, not a weight
_RELATIVE_SCORE = _relative_score_rx()


def _excess_rx() -> re.Pattern:
    from .values import lab_rules

    return re.compile(r"[\s\u2009\u200a\u00a0]*(?:" + _alt_words(lab_rules()["excess_over_limit_words"]) + r")(?![\w-])", re.I)


def _marker_context_rx() -> re.Pattern:
    from .values import lab_rules

    return re.compile(r"(?<![\w-])(?:" + _alt_words(lab_rules()["marker_context_words"]) + r")(?![\w-])", re.I)


# "immunohistochemistry ... positive for CK": a sentence about tissue markers
_MARKER_CONTEXT = _marker_context_rx()
# "serum calcium 1.0 mg/dL above the upper limit of normal": a distance from the limit, not the calcium level
_EXCESS_OVER_LIMIT = _excess_rx()
_UNIT_PHRASE_MAX = max((len(t) for t in _UNIT_PHRASES), default=0)
_UNIT_PHRASE_FIRST = frozenset(t[0] for t in _UNIT_PHRASES)
# "(Bcl)-2" after a disease name: the number of a gene or protein named after it
_MARKER_NUMBER = re.compile(r"^-\d+$")
_SITE_WORDS = frozenset(_norm_text(w.replace("-", " ")) for w in _words("site_words"))
_SITE_BOUND_CODES = _words("site_bound_vital_codes")
_BIRTH_BEFORE = re.compile(r"\b(?:" + _alt_words(_R["birth_cues_before"]) + r")\b(?:(?!\b(?:" + _alt_words(_R["birth_cue_breaks"])
                           + r")\b)[^,;.()]){0,30}$", re.I)
_BIRTH_AFTER = re.compile(r"\s*(?:" + _alt_words(_R["birth_cues_after"]) + r")\b", re.I)
_WRITTEN_NAMES = {k.lower(): v for k, v in _R["written_names"].items()}
_OTHER_MEASURE = {code: frozenset(_norm_text(w.replace("-", " ")) for w in ws) for code, ws in _R["other_measure_words"].items()}
# between two drug names of a regimen written as one word: a hyphen, en dash or slash, or one word in hyphens
# ("rituximab-hyperfractionated-cyclophosphamide")
_REGIMEN_JOIN = re.compile(r"[-\u2013/]|-[a-z]+-")
_BRACKET_OPEN = re.compile(r"\s*\(\s*")


def _state_rules():
    from ..resources import load_json

    d = load_json("nlp_rules.json")
    words = {k.lower(): v for k, v in d["state_words"].items()}
    alt = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    verbs = "|".join(sorted((re.escape(v).replace("\\ ", r"\s+") for v in d["state_verbs"]), key=len, reverse=True))
    after = re.compile(rf"\s+(?:(?:{verbs})\s+)?(?:(?:also|all|completely|entirely|clinically|hemodynamically|"
                       rf"haemodynamically|otherwise|generally)\s+)?(?P<w>{alt})\b", re.I)
    before = re.compile(rf"\b(?P<w>{alt})\s+(?:(?:and|general|clinical|postoperative|post-operative)\s+)?$", re.I)
    return words, after, before


_STATE_WORDS, _STATE_AFTER, _STATE_BEFORE = _state_rules()
_SELF_STATING = {k.lower(): v for k, v in _R["self_stating_observables"].items()}
_SELF_STATING_BEFORE = re.compile(r"\b(?:" + _alt_words(_R["self_stating_verbs"]) + r")\s+$", re.I)
_FINDING_MEASURES = {_norm_text(k): v for k, v in _R["finding_measures"].items()}
_MEASURE_FOLLOWS = re.compile(r"\s*(?:\(\s*(?:(?:between|up to|reaching|peak|maximum|max\.?)\s+)?|,\s*|"
                              r"\s(?:of|at|to|with|up to|reaching|measuring)\s+)(?:[<>≥≤~]\s*)?\d", re.I)


def _state_before(text: str, s_start: int, start: int):
    return _STATE_BEFORE.search(text, max(s_start, start - 40), start)
_DESCRIPTOR_SUFFIXES = tuple(_words("descriptor_suffixes"))
_DESCRIPTOR_HEADS = _words("descriptor_heads")
_COLOURS = _words("colour_words")


def _marker_number_end(toks: list[Tok], b: int, hi: int) -> int:
    """The end of a name that goes on with a number written after its last word ("cytokeratin 7", "CK 5/6";
    lab_values.json name_number_prefixes)."""
    if b < hi and toks[b].text.isdigit() and toks[b].start - toks[b - 1].end <= 1 and name_number_prefix(toks[b - 1].text):
        b += 1
        while b + 1 < hi and toks[b].text == "/" and toks[b].start == toks[b - 1].end and toks[b + 1].text.isdigit() \
                and toks[b + 1].start == toks[b].end:
            b += 2
    return b


def _glued_hyphen(toks: list[Tok], i: int, lo: int, hi: int) -> bool:
    """A hyphen written between two words with no spaces ("ST-segment", "T-wave"), not before a digit;
    or a possessive 's glued to its word ("Friedreich's ataxia", "Crohn's disease"), or a plural possessive's
    apostrophe ("Graves' disease")."""
    if lo < i < hi and toks[i].norm == "'s" and toks[i - 1].end == toks[i].start and toks[i - 1].text[-1:].isalpha():
        return True
    if lo < i < hi and toks[i].norm == "'" and toks[i - 1].end == toks[i].start and toks[i - 1].text[-1:] in ("s", "S"):
        return True
    return lo < i < hi - 1 and toks[i].text == "-" and toks[i - 1].end == toks[i].start and \
        toks[i].end == toks[i + 1].start and toks[i - 1].text[-1:].isalpha() and toks[i + 1].text[:1].isalpha()


_LIST_SEP = re.compile(r"\s*(?:,\s*(?:and|or|nor)?|and|or|nor)\s*", re.I)


def _list_negation(found: list, text: str, terms: list[int] = ()) -> None:
    """"he denied fever, chills, night sweats, chest pain, hemoptysis, back pain": a denied list goes on
    past the trigger's reach while only commas and 'and'/'or' separate its findings, and no terminator
    stands between them ("no fever, increased sputum production": ', increased' begins a finding of its own)."""
    conds = sorted((m for m in found if m.kind == "condition"), key=lambda m: m.start)
    for prev, m in zip(conds, conds[1:]):
        if any(prev.b <= t < m.a for t in terms):
            continue
        if prev.assertion.negated and not m.assertion.negated and _LIST_SEP.fullmatch(text, prev.end, m.start):
            m.assertion.negated = True
            m.triggers = m.triggers + [t for t in prev.triggers if t.category == "NEGATED"]


def _specimen_right_before(norms: list[str], lo: int, a: int) -> bool:
    """A specimen (results.json specimen_words, not a tissue; or serum, plasma, blood) written right before token a."""
    from .results import rules

    R = rules()
    if a - 1 >= lo and norms[a - 1] in R.specimen_default:
        return True
    return any(R.specimens.get(tuple(norms[a - n:a]), "tissue") != "tissue" for n in (3, 2, 1) if a - n >= lo)


def _caps_acronym(toks: list[Tok], a: int, lo: int, hi: int) -> bool:
    """Token a is a 3-4 letter word in capitals in a sentence that has small letters too ("PICA")."""
    w = toks[a].text
    return 3 <= len(w) <= 4 and w.isalpha() and w.isupper() and any(t.text.islower() for t in toks[lo:hi])


_INSTITUTION_WORDS = _words("institution_words")


def _in_institution_name(toks: list[Tok], a: int, b: int, hi: int) -> bool:
    """A capitalised finding word followed, through capitalised words only, by an institution's noun:
    "Shock Trauma Center", "Heart and Stroke Foundation" ("and"/"of" may join the capitalised words)."""
    if not toks[a].text[:1].isupper():
        return False
    for k in range(b, min(hi, b + 5)):
        w = toks[k].text
        if w.lower() in _INSTITUTION_WORDS and w[:1].isupper():
            return True
        if not (w[:1].isupper() or w in ("and", "of", "&")):
            return False
    return False


_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2010": "-", "\u2011": "-"})


def _written(toks: list[Tok], a: int, b: int) -> str:
    """The tokens as written, a minus sign or en dash read as the hyphen the vocabulary writes ("HCO3−", "Cl–")."""
    return "".join(t.text for t in toks[a:b]).translate(_MINUS_SIGNS)


def _spaced(toks: list[Tok], a: int, b: int) -> str:
    """The words of tokens a..b as written, one space where the text has any."""
    return "".join((" " if i > a and toks[i].start > toks[i - 1].end else "") + toks[i].text for i in range(a, b))


class Extractor:
    def __init__(self, options: ExtractOptions | None = None, terminology=None):
        from ..terminology import get_terminology

        self.options = options or ExtractOptions()
        self.T = terminology or get_terminology()
        self.trie: Trie = lexicon_trie(self.T)
        self.srules = section_rules()
        self.about_patient = [p.lower() for p in self.srules["about_patient"]]

    # ------------------------------------------------------------ public
    def extract(self, text: str, segments: list[Segment] | None = None, locate: Locate | None = None) -> Facts:

        try:
            return self._extract(text, segments, locate)
        finally:
            forget_scans()  # the text's remembered value scans are of no use to the next document

    def _extract(self, text: str, segments: list[Segment] | None, locate: Locate | None) -> Facts:
        segs = segments if segments is not None else split_sections(text)
        index = SectionIndex(segs, len(text))
        toks = tokenize(text)
        sents = sentences(toks, text)
        norms = [t.norm for t in toks]
        facts = Facts()
        matches: list[Match] = []
        sent_info = []
        for si, (lo, hi) in enumerate(sents):
            if lo >= hi:
                continue
            seg = index.at(toks[lo].start)
            s_start, s_end = toks[lo].start, toks[hi - 1].end
            literature = self._is_literature(seg, text[s_start:s_end])
            trigs, terms = ctx.find_triggers(norms, lo, hi)
            found = self._match_sentence(toks, norms, lo, hi, si, seg)
            # a trigger inside a finding's own name ("absence of appetite", "absent reflexes") denies nothing else
            free = [t for t in trigs if not any(m.kind == "condition" and m.a <= t.start and t.end <= m.b for m in found)]
            for m in found:
                m.assertion, m.triggers = ctx.assert_span(toks, lo, hi, m.a, m.b, free, terms)
                if m.assertion.family:
                    m.relatives = ctx.family_relations(m.triggers, norms)  # type: ignore[attr-defined]
                own = index.at(m.start)
                if own is not seg:  # "CASE: A 28-year-old man ...": the words after an inline heading
                    m.segment = own
                    m.literature = self._is_literature(own, text[s_start:s_end])
                else:
                    m.literature = literature
            _list_negation(found, text, terms)
            matches.extend(found)
            sent_info.append((si, lo, hi, s_start, s_end, seg, literature, trigs, terms))
        matches = self._defined_abbreviations(toks, text, matches, sent_info, index)
        matches = self._resolve_abbreviations(matches, text)
        matches = self._diagnosed_acronyms(toks, text, matches, sent_info, index)
        by_sent: dict[int, list[Match]] = {}
        for m in matches:
            by_sent.setdefault(m.sent, []).append(m)
        mk = self._mention_factory(text, locate)
        self._patient(text, toks, sents, index, facts, mk)
        for si, lo, hi, s_start, s_end, seg, literature, trigs, terms in sent_info:
            ms = by_sent.get(si, [])
            n_labs, n_meds, n_skipped, sigs = len(facts.labs), len(facts.medications), len(facts.skipped), []
            if ms:
                self._conditions(text, ms, s_start, s_end, facts, mk)
                self._labs(text, ms, s_start, s_end, facts, mk, toks, lo, hi)
                sigs = self._medications(text, toks, ms, lo, hi, facts, mk)
            if self.options.unnamed_results and not (literature and not self.options.keep_literature):
                taken = [(x.start, x.end) for f in facts.labs[n_labs:] + facts.medications[n_meds:] for x in f.mentions]
                taken += [(x.mention.start, x.mention.end) for x in facts.skipped[n_skipped:] if x.reason == _GIVEN_REASON]
                if facts.patient and facts.patient.age_mention:
                    taken.append((facts.patient.age_mention.start, facts.patient.age_mention.end))
                self._unnamed(text, toks, lo, hi, ms, taken + sigs, seg, trigs, terms, facts, mk, facts.labs[n_labs:])
        facts.conditions = _merge_conditions(facts.conditions)
        facts.family = _merge_conditions(facts.family)
        facts.labs = _merge_labs(facts.labs)
        facts.medications = _merge_meds(facts.medications)
        return facts

    # ------------------------------------------------------------ matching
    def _match_sentence(self, toks: list[Tok], norms: list[str], lo: int, hi: int, si: int, seg: Segment) -> list[Match]:
        out = []
        # "ST-segment elevation" and "ST segment elevation", "T wave inversion" and "T-wave inversion" are one
        # phrase: a hyphen glued between two words is skipped (the trie holds each phrase without it too)
        # (only a "-" or "'s" token can be one: the test spares the call for every other token)
        keep = [i for i in range(lo, hi) if norms[i] not in ("'s", "'") and toks[i].text != "-" or not _glued_hyphen(toks, i, lo, hi)]
        in_unit = {j for i in range(lo, hi) if norms[i] in _UNIT_PHRASE_FIRST
                   for n in range(min(_UNIT_PHRASE_MAX, hi - i), 1, -1)
                   if tuple(norms[i:i + n]) in _UNIT_PHRASES for j in range(i, i + n)}
        for a, b, payloads in self.trie.find_all([norms[i] for i in keep]):
            a, b = keep[a], keep[b - 1] + 1
            if any(p[3] for p in payloads):
                written = _written(toks, a, b)
                payloads = [p for p in payloads if p[3] is None or p[3].replace(" ", "") == written]
            if not payloads or any(i in in_unit for i in range(a, b)):
                continue
            kind, cid, ambiguous = self._choose(payloads, toks, norms, a, b, lo, hi)[:3]
            if kind == "condition" and " ".join(norms[a:b]) in _TREND_FINDINGS and self._trend_of_measure(norms, a, b, lo, hi):
                continue  # "the haemoglobin kept falling", "a fall in blood pressure": a measure's change, not a fall
            if kind == "condition" and self._used_as_specimen(norms, a, b, lo, hi):
                continue  # "ascitic fluid was sent for culture", "pleural fluid analysis": the specimen, not the finding
            if kind == "condition" and b - a == 1 and _caps_acronym(toks, a, lo, hi) and \
                    not any(p[3] for p in payloads if p[0] == "condition"):
                continue  # "left PICA" (posterior inferior cerebellar artery) is no pica: a word the vocabulary
                # holds in small letters, written in capitals in mixed-case text, is an acronym of something else
            if kind == "condition" and _in_institution_name(toks, a, b, hi):
                continue  # "R Adams Cowley Shock Trauma Center", "Cancer Research Institute": a name, not a finding
            if ambiguous and len(payloads) == 1 and payloads[0][3] and any(c.islower() for c in payloads[0][3]) \
                    and any(c.isupper() for c in payloads[0][3]):
                ambiguous = False  # "pH" written so is the lab; "PH" (pulmonary hypertension) needs its long form
            if kind == "lab" and b + 1 < hi and norms[b] == "-" and _NUM.match(norms[b + 1]) and \
                    toks[b].start == toks[b - 1].end and toks[b + 1].start == toks[b].end:
                continue  # "C3–4", "C4–5": spinal levels, not complement C3 and C4
            value_before = False
            if kind in ("lab", "vital") and a > lo and _NUM.match(norms[a - 1]):
                if not (kind == "lab" and norms[a] == "%" and toks[a].start == toks[a - 1].end):
                    continue  # "16 breaths per minute", "90 beats/min": the unit of a value, not a new measurement
                value_before = True  # "88% neutrophils": a percentage named after its value
            if kind == "condition" and b - a >= 2:
                inner = self._inner_lab(norms, a, b)
                if inner and all(w in _FINDING_WORDS for w in norms[a:inner[0]] + norms[inner[1]:b]):  # "increased creatine kinase", "antinuclear antibody positivity": a lab result
                    a, b, (kind, cid, ambiguous) = inner[0], inner[1], inner[2][:3]
            if kind == "condition" and b + 1 < hi and norms[b] in _SUBTYPE_WORDS and _SUBTYPE.match(norms[b + 1]):
                b += 2  # "autoimmune hepatitis type 1", "Ehlers-Danlos syndrome type IV": the subtype is part of the name
            nxt = norms[b] if b < hi else ""
            if nxt == "-" and b + 1 < hi:
                nxt = "-" + norms[b + 1]
            if kind == "condition" and nxt == "(" and b + 3 < hi and norms[b + 2] == ")" and \
                    (norms[b + 3] in _COND_BLOCK_NEXT or _MARKER_NUMBER.match(norms[b + 3])):
                continue  # "squamous cell carcinoma (SCC) antigen", "B-cell lymphoma (Bcl)-2": a marker named after the disease
            if kind == "condition" and nxt == ")" and a > lo and norms[a - 1] == "(" and b + 1 < hi and \
                    (norms[b + 1] in _COND_BLOCK_NEXT or _MARKER_NUMBER.match(norms[b + 1])):
                continue  # "(SCC) antigen": the bracketed short form of a blocked long form is blocked like it
            if kind == "condition" and nxt in _LIKENESS and toks[b].start == toks[b - 1].end:
                # "hemangiopericytoma-like pattern", "lupus-like syndrome": the disease is a likeness, not a finding;
                # a general word right after it is specific with it ("flu-like symptoms", "flu-like illness")
                continue
            if kind == "condition" and b + 1 < hi and norms[b + 1] in _ORGANISM_HEADS and norms[b].isalpha() and \
                    norms[b] not in _FUNCTION_WORDS:
                continue  # "varicella zoster virus IgG": the organism the disease is named after, not the disease
            if kind == "condition" and nxt in _COND_BLOCK_NEXT:
                continue  # "tumor cells", "Glasgow Coma Scale": the word names something else
            if kind == "condition" and any(" ".join(norms[k:b]) in _NOT_FINDING_PHRASES
                                           for k in range(max(lo, b - _NOT_FINDING_MAX), a + 1)):
                continue  # "the left malleus", "basal ganglion", "electric shocks": a body structure or a physical agent
            if kind == "condition" and a - lo >= 2 and norms[a - 1] == "-" and norms[a - 2] == "anti" and \
                    toks[a - 2].end == toks[a - 1].start and toks[a - 1].end == toks[a].start:
                continue  # "anti-epileptic treatment", "anti-inflammatory drugs": a drug class, not the disease
            if kind == "condition" and b - a == 1 and norms[a].endswith(_DESCRIPTOR_SUFFIXES) and \
                    (nxt in _DESCRIPTOR_HEADS or (b < hi and self.trie.longest_at(norms, b, hi))
                     or self._modifies_later_finding(toks, norms, b, hi)):
                continue  # "hypodense nodule", "necrotic tumour": the adjective describes the next finding
            if kind == "condition" and b - a == 1 and norms[a] in _COLOURS and b < hi:
                k = b + 1 if norms[b] == "-" and b + 1 < hi and toks[b].start == toks[b - 1].end else b
                if norms[k] in _COLOURS or norms[k] in _DESCRIPTOR_HEADS:
                    continue  # "pale tan nodular appearance", "pale-white mucosa": a colour described, not pallor
            if nxt == "(" and b + 3 < hi and norms[b + 2] == ")" and kind in ("drug", "drug_class"):
                nxt = norms[b + 3]  # "growth hormone (GH) deficiency": the word after a bracketed short form
            elif nxt == ")" and a > lo and norms[a - 1] == "(" and b + 1 < hi and kind in ("drug", "drug_class"):
                nxt = norms[b + 1]  # "valproic acid (VPA) levels": the short form is blocked like its long form
            if nxt in ("and", "or") and kind in ("drug", "drug_class") and (co := self.trie.longest_at(norms, b + 1, hi)) \
                    and co[0] < hi and any(p[0] in ("drug", "drug_class") for p in co[1]):
                nxt = norms[co[0]]  # "fluorescein and indocyanine green angiography": both agents of the test
            if kind in ("drug", "drug_class") and (nxt in _DRUG_BLOCK_NEXT or nxt.lstrip("-") in _DRUG_BLOCK_NEXT
                                                   or (b + 1 < hi and f"{norms[b]} {norms[b + 1]}" in _DRUG_BLOCK_NEXT)
                                                   or (a > lo and norms[a - 1] in _DRUG_BLOCK_PREV)
                                                   or (a > lo + 1 and norms[a - 1] == "-" and norms[a - 2] in _DRUG_BLOCK_PREV)):
                continue  # "calcium level", "serum zinc", "sensitive to ceftriaxone", "Congo red stain", "anti-phospholipid", "fluorescein in situ"
            if kind == "observable":
                b = _marker_number_end(toks, b, hi)  # "cytokeratin 7", "keratin 5/6": the number names the marker
            parts = self._split_coordination(norms, a, b) if kind == "condition" else None
            for pa, pb, pcid, pamb in parts or [(a, b, cid, ambiguous)]:
                m = Match(pa, pb, toks[pa].start, toks[pb - 1].end, kind, pcid, si, seg, value_before=value_before)
                m.ambiguous = pamb  # type: ignore[attr-defined]
                m.one_disease = sum(p[0] == "condition" for p in payloads) == 1  # type: ignore[attr-defined]
                out.append(m)
        for m in out:
            k = m.a - 2  # "flu-like symptoms", "aura-like symptoms": the likeness makes a general word specific
            if m.kind == "condition" and k - 1 >= lo and f"{norms[k]}{norms[k + 1]}" in _LIKENESS and \
                    toks[k - 1].end == toks[k].start and toks[k].end == toks[k + 1].start and toks[k - 1].text[-1:].isalpha() \
                    and _norm_text(" ".join(norms[m.a:m.b])) in _NON_SPECIFIC:
                m.a = k - 1
                m.start = toks[m.a].start
        out = self._elided_conditions(toks, norms, out, lo, hi, si, seg)
        return out + self._elided_heads(toks, norms, out, lo, si, seg)

    def _elided_conditions(self, toks: list[Tok], norms: list[str], found: list[Match], lo: int, hi: int, si: int,
                           seg: Segment) -> list[Match]:
        """"hepatitis B and C", "enterovirus and herpesvirus infection": a coordinated word names a disease of its
        own whose name is written once (nlp_rules.json elided_condition_*). The word is that disease's mention,
        read only when the vocabulary knows the whole name; before a word that makes the name another thing's
        ("hepatitis B and C serology") neither is a finding."""
        taken = {i for m in found for i in range(m.a, m.b)}
        short = lambda i: toks[i].text.isalnum() and len(toks[i].text) <= _ELIDED_MAX_CHARS  # noqa: E731
        word = lambda i: toks[i].text.isalpha() and norms[i] not in _FUNCTION_WORDS  # noqa: E731
        drop, extra = set(), []

        def add(a: int, b: int, name: str) -> None:
            c = self.T.lookup(name, "condition")
            if c is None or any(i in taken for i in range(a, b)):
                return
            e = Match(a, b, toks[a].start, toks[b - 1].end, "condition", c.id, si, seg)
            e.ambiguous, e.one_disease = False, True  # type: ignore[attr-defined]
            e.written_as = " ".join(name.split())  # type: ignore[attr-defined]
            extra.append(e)
            taken.update(range(a, b))

        for m in found:
            if m.kind != "condition":
                continue
            if m.b - m.a >= 2 and short(m.b - 1):  # the head first: "hepatitis B and C", "hepatitis A, B and C"
                stem, k, run = _spaced(toks, m.a, m.b - 1), m.b, []
                while k + 1 < hi and norms[k] in _ELIDED_JOINERS and short(k + 1) and k + 1 not in taken:
                    run.append(k + 1)
                    k += 2
                if run and k < hi and norms[k] in _COND_BLOCK_NEXT:
                    drop.add(id(m))  # "hepatitis B and C serology": the test's name
                    continue
                for j in run:
                    add(j, j + 1, f"{stem} {toks[j].text}")
            elif norms[m.b - 1] in _ELIDED_HEADS:  # the head last: "enterovirus and herpesvirus infection"
                c = m.b - 1
                while c > max(lo, m.b - 5) and (word(c - 1) or toks[c - 1].text == "-") and norms[c - 1] not in _ELIDED_JOINERS:
                    c -= 1
                if c == m.b - 1 or c - 2 < lo or norms[c - 1] not in _ELIDED_JOINERS or not word(c - 2) or \
                        norms[c - 2].endswith(_DESCRIPTOR_SUFFIXES):
                    continue
                add(c - 2, c - 1, f"{toks[c - 2].text} {toks[m.b - 1].text}")
        return [m for m in found if id(m) not in drop] + extra

    def _elided_heads(self, toks: list[Tok], norms: list[str], found: list[Match], lo: int, si: int,
                      seg: Segment) -> list[Match]:
        """"Total and direct bilirubin", "serum and urine amylase": a word coordinated before a lab's name
        names a test of its own whose head is written once ("total bilirubin", "serum amylase"). The word is
        that test's mention; only a test the vocabulary knows is read, a guess would pair a value wrongly."""
        R = result_rules()
        taken = {i for m in found for i in range(m.a, m.b)}
        spec = lambda i: (norms[i],) in R.specimens or norms[i] in R.specimen_default  # noqa: E731
        out = []
        for m in found:
            if m.kind != "lab":
                continue
            if m.b - m.a >= 2 and toks[m.a].text.isalpha():
                v, head = m.a, _spaced(toks, m.a + 1, m.b)  # "direct bilirubin": 'direct' is the varying word
            elif m.a - 1 >= lo and spec(m.a - 1):
                v, head = m.a - 1, _spaced(toks, m.a, m.b)  # "urine amylase": the specimen varies
            else:
                continue
            k = v - 1
            while k - 1 >= lo and norms[k] in ("and", "or", ",") and (w := k - 1) not in taken \
                    and toks[w].text.isalpha() and spec(v) == spec(w):
                c = self.T.lookup(f"{toks[w].text} {head}", "lab")
                if c is None or c.kind != "lab" or (c.id == m.concept_id and v == m.a) or \
                        (spec(w) and not _same_specimen(norms[w], c.attrs.get("specimen"))):
                    break
                e = Match(w, w + 1, toks[w].start, toks[w].end, "lab", c.id, si, seg)
                e.ambiguous, e.one_disease = False, False  # type: ignore[attr-defined]
                e.measure = f"{toks[w].text} {head}"  # type: ignore[attr-defined]
                out.append(e)
                taken.add(w)
                if not (w - 1 >= lo and norms[w - 1] == ","):
                    break
                k = w - 1  # "total, direct and indirect bilirubin"
        return out

    def _trend_of_measure(self, norms: list[str], a: int, b: int, lo: int, hi: int) -> bool:
        """A finding's word that is a change of a measure (nlp_rules.json trend_findings): right after a lab,
        vital sign or observable through gap words only, before a value word and a number, or before 'in' and
        a measure's name."""
        if b + 1 < hi and norms[b] in _TREND_VALUE and _NUM.match(norms[b + 1]):
            return True  # "falling to 1.3 mg/dL"
        if b < hi and norms[b] in _TREND_OF:
            k = b + 1
            while k < min(hi, b + 3) and norms[k] in _FUNCTION_WORDS:
                k += 1  # "a fall in her haemoglobin"
            if _names_measure(self.trie.longest_at(norms, k, hi)):
                return True
        g = a
        while g > lo and norms[g - 1] in _TREND_GAP:
            g -= 1  # "kept", "was", "continued to": back to the word before the verb
        return self._measure_ends_at(norms, lo, g, 6)  # a measure's name ends there ("creatinine" is also a drug's name)

    def _measure_ends_at(self, norms: list[str], lo: int, end: int, most: int) -> bool:
        """A lab, vital sign or observable name of at most ``most`` words (not before lo) ends right before token end."""
        for k in range(max(lo, end - most), end):
            hit = self.trie.longest_at(norms, k, end)
            if hit and hit[0] == end and _names_measure(hit):
                return True
        return False

    def _used_as_specimen(self, norms: list[str], a: int, b: int, lo: int, hi: int) -> bool:
        """A condition phrase that names a body-fluid specimen (results.json specimen_words) written as the
        specimen: tested, described by its look, or the fluid a lab is measured in (nlp_rules.json specimen_use_*)."""
        if tuple(norms[a:b]) not in result_rules().specimens:
            return False
        if any(tuple(norms[b:b + len(w)]) == w for w in _SPECIMEN_NEXT) or (b < hi and _names_measure(self.trie.longest_at(norms, b, hi))):
            return True  # "pleural fluid analysis", "ascitic fluid was sent for culture", "pleural fluid LDH"
        g = a
        while g > lo and g > a - 2 and norms[g - 1] in _FUNCTION_WORDS and norms[g - 1] not in _SPECIMEN_LAB_LINKS:
            g -= 1  # "cytology of the ascitic fluid": a determiner between
        if any(g - len(w) >= lo and tuple(norms[g - len(w):g]) == w for w in _SPECIMEN_BEFORE):
            return True
        if g - 1 > lo and norms[g - 1] in _SPECIMEN_LAB_LINKS and self._measure_ends_at(norms, lo, g - 1, 5):
            return True  # "protein in the pleural fluid": a lab's name ends right before
        if b < hi and norms[b] in _SPECIMEN_COPULAS:
            words = [w for w in norms[b + 1:min(hi, b + 8)] if w != "-" and w not in _FUNCTION_WORDS][:3]  # "was a lymphocyte-dominant exudate"
            return any(w in _SPECIMEN_STATES for w in words)  # "the pleural fluid was serous"
        return False

    def _modifies_later_finding(self, toks: list[Tok], norms: list[str], b: int, hi: int) -> bool:
        """"metastatic mucinous appendiceal adenocarcinoma", "invasive lobular breast carcinoma": an
        adjective before a few more modifiers and a finding's name describes that finding."""
        for k in range(b, min(hi, b + 5)):
            w = toks[k]
            if not (w.text.isalpha() or w.text == "-") or norms[k] in _FUNCTION_WORDS:
                return False
            if norms[k] in _PROCEDURE_HEADS:
                return True  # "minimally invasive surgery", "invasive mechanical ventilation": it describes a procedure
            hit = self.trie.longest_at(norms, k, hi)
            if hit and any(p[0] == "condition" for p in hit[1]):
                return True
        return False

    def _split_coordination(self, norms: list[str], a: int, b: int):
        """"nausea and vomiting": two findings when each side is a condition phrase by itself."""
        for k in range(a + 1, b - 1):
            if norms[k] in ("and", "or", "/"):
                left, right = self.trie.longest_at(norms, a, k), self.trie.longest_at(norms, k + 1, b)
                if left and right and left[0] == k and right[0] == b:
                    lp = next((p for p in left[1] if p[0] == "condition"), None)
                    rp = next((p for p in right[1] if p[0] == "condition"), None)
                    if lp and rp:
                        return [(a, k, lp[1], lp[2]), (k + 1, b, rp[1], rp[2])]
        return None

    def _inner_lab(self, norms: list[str], a: int, b: int):
        """The longest lab/vital phrase inside a condition phrase, as (start, end, payload)."""
        best = None
        for i in range(a, b):
            for j in range(b, i, -1):
                hit = self.trie.phrases.get(self.trie.SEP.join(norms[i:j]))
                p = next((p for p in hit or () if p[0] in ("lab", "vital")), None)
                if p and (best is None or j - i > best[1] - best[0]):
                    best = (i, j, p)
                    break
        return best

    def _choose(self, payloads: list, toks: list[Tok], norms: list[str], a: int, b: int, lo: int, hi: int):
        """One reading of a phrase several vocabularies know ("calcium", "hemoglobin", "insulin")."""
        kinds = {p[0] for p in payloads}
        pick = lambda *ks: next(p for p in payloads if p[0] in ks)  # noqa: E731
        if len(kinds) > 1:
            window = norms[b:min(hi, b + 8)]
            num = next((k for k, w in enumerate(window[:4]) if _NUM.match(w)), None)
            labby = kinds & {"lab", "vital"}
            druggy = kinds & {"drug", "drug_class"}
            if labby and druggy and _specimen_right_before(norms, lo, a):
                return pick("lab", "vital")  # "24-hour urine calcium was 6.9 mmol": a specimen's test, no dose
            if num is not None:
                after = window[num + 1:num + 5]
                conc = "%" in after or any(after[k] == "/" and after[k + 1] in _CONC_DENOM for k in range(len(after) - 1))
                if labby and (conc or not druggy):
                    return pick("lab", "vital")
                if druggy and any(w in _DOSE_UNITS for w in after[:2]):
                    return pick("drug", "drug_class")
            given = a - lo >= 2 and norms[a - 1] == "of" and norms[a - 2] in _TREATMENT_CUES  # "infusions of bicarbonate"
            if labby and b < hi and trend_at(result_rules(), toks, b, hi) is not None:
                return pick("lab", "vital")  # "creatinine continued to rise": its cue word is the measure's verb, not a dose's
            if labby and (any(w in _RESULT_WORDS for w in window[:3]) or
                          (not given and any(w in _RESULT_WORDS for w in norms[max(lo, a - 2):a]))):
                return pick("lab", "vital")
            if druggy and any(t.norm in _TREATMENT_CUES for t in toks[lo:hi]):
                return pick("drug", "drug_class")
            if labby:
                return pick("lab", "vital")
        for pref in ("drug", "drug_class", "condition", "lab", "vital", "observable"):
            for p in payloads:
                if p[0] == pref:
                    return p
        return payloads[0]

    def _defined_abbreviations(self, toks: list[Tok], text: str, matches: list[Match], sent_info, index) -> list[Match]:
        """"lupus pernio (LP)": the bracketed short form and its later uses name the same condition
        (see ``abbrev.py``); a lexicon reading of the same words gives way to the document's own."""
        from bisect import bisect_right

        matches = self._inner_definitions(toks, text, matches, sent_info, index)
        by_sent = {x[0]: x for x in sent_info}
        defs: dict[str, Match] = {}
        for m in matches:
            if m.kind != "condition" or m.sent not in by_sent:
                continue
            si, lo, hi = by_sent[m.sent][:3]
            br = bracketed_after(toks, m.b, hi)
            if br and br[2] not in defs and _norm_text(text[m.start:m.end]) not in _NOT_CONDITIONS | _NON_SPECIFIC:
                lf_start = toks[max(lo, m.b - len(br[2]) - 3)].start
                lf_at = abbreviates(br[2], text[lf_start:m.end])
                # the match must head the long form ('Criteria in Solid Tumors (RECIST)' names no tumor)
                # and the short form cover all of it ('elevated jugular venous pressure (JVP)' is a pressure)
                if lf_at is not None and lf_start + lf_at < toks[m.a].end and \
                        not _LF_LINKS.search(text, lf_start + lf_at, m.start):
                    defs[br[2]] = m
        if not defs:
            return matches
        starts = [x[1] for x in sent_info]
        at = {(m.a, m.b): m for m in matches}
        for sf, d in defs.items():
            for a, b in occurrences(toks, sf):
                old = at.get((a, b))
                if old is not None:
                    if getattr(old, "ambiguous", False) or old.kind != "condition":  # "PE" defined as pleural effusion
                        old.kind, old.concept_id, old.ambiguous = "condition", d.concept_id, False  # type: ignore[attr-defined]
                    continue
                if any(m.a < b and a < m.b for m in matches):
                    continue
                k = bisect_right(starts, a) - 1
                if k < 0 or a >= sent_info[k][2]:
                    continue
                m = self._condition_match(toks, text, a, b, d.concept_id, sent_info[k], index)
                matches.append(m)
                at[(a, b)] = m
        matches.sort(key=lambda m: (m.sent, m.a))
        return matches

    def _condition_match(self, toks: list[Tok], text: str, a: int, b: int, concept_id: str, info, index) -> Match:
        """A condition mention of tokens [a, b) found after the sentence pass: its assertion, section and
        literature status read as the sentence pass reads them."""
        si, lo, hi, s_start, s_end, seg, literature, trigs, terms = info
        m = Match(a, b, toks[a].start, toks[b - 1].end, "condition", concept_id, si, seg)
        m.ambiguous = False  # type: ignore[attr-defined]
        m.assertion, m.triggers = ctx.assert_span(toks, lo, hi, a, b, trigs, terms)
        own = index.at(m.start)
        m.segment = own
        m.literature = literature if own is seg else self._is_literature(own, text[s_start:s_end])
        return m

    def _inner_definitions(self, toks: list[Tok], text: str, matches: list[Match], sent_info, index) -> list[Match]:
        """"growth hormone (GH) deficiency": a short form defined inside a longer condition name is short for the
        words before the bracket (growth hormone, a drug or a test), not for the condition. The condition is one
        mention over the bracket; a later use of the short form the vocabulary holds as ambiguous ("treated with
        GH") is the drug or test the document defined it as."""
        short_for: dict[str, set[str]] = {}  # short form -> concept ids of its long form
        added: list[Match] = []
        for si, lo, hi, s_start, s_end, seg, literature, trigs, terms in sent_info:
            for b in range(lo + 1, hi):
                br = bracketed_after(toks, b, hi)
                if br is None or br[1] + 1 >= hi:
                    continue
                i, j, sf = br
                for a in range(max(lo, b - len(sf) - 3), b):
                    lf = text[toks[a].start:toks[b - 1].end]
                    if abbreviates(sf, lf) != 0:  # the short form's first letter starts the long form's first word
                        continue
                    words = [t.norm for t in toks[a:b]] + [t.norm for t in toks[j + 1:hi]]
                    hit = self.trie.longest_at(words, 0)
                    cond = next((p for p in hit[1] if p[0] == "condition"), None) if hit and hit[0] > b - a else None
                    named = {c.id for c in self.T.lookup_all(lf) if c.kind in ("drug", "lab", "vital")}
                    if cond is None or not named or all(w in _FINDING_WORDS for w in words[b - a:hit[0]]):
                        continue  # "C-reactive protein (CRP) elevation": a test's result, read with the tests
                    short_for.setdefault(sf, set()).update(named)
                    end = j + 1 + hit[0] - (b - a)
                    m = self._condition_match(toks, text, a, end, cond[1],
                                              (si, lo, hi, s_start, s_end, seg, literature, trigs, terms), index)
                    added.append(m)
                    break
        if not short_for:
            return matches
        for m in matches:
            sf = text[m.start:m.end]
            sf = sf if sf in short_for else sf[:-1] if sf.endswith("s") else sf  # "NSAIDs"
            if getattr(m, "ambiguous", False) and m.concept_id in short_for.get(sf, ()):
                m.ambiguous = False  # type: ignore[attr-defined]
        # the condition over the bracket replaces what was matched inside it
        kept = [m for m in matches if not any(x.start <= m.start and m.end <= x.end for x in added)]
        return sorted(kept + added, key=lambda m: (m.sent, m.a))

    def _resolve_abbreviations(self, matches: list[Match], text: str) -> list[Match]:
        """Ambiguous short forms count only when the document also names the concept in full, or when
        the text calls the one disease they may name a diagnosis ("the diagnosis of PV", "consistent with NEC");
        then each other use of that short form counts too ("a gallbladder NEC")."""
        full = {m.concept_id for m in matches if not getattr(m, "ambiguous", False)}

        def diagnosed(m: Match) -> bool:
            return m.kind == "condition" and getattr(m, "one_disease", False) and bool(
                _DIAGNOSIS_BEFORE.search(text, max(0, m.start - 60), m.start) or _DIAGNOSIS_AFTER.match(text, m.end))

        named = {(m.concept_id, text[m.start:m.end]) for m in matches if getattr(m, "ambiguous", False) and diagnosed(m)}
        return [m for m in matches if not getattr(m, "ambiguous", False) or m.concept_id in full
                or (m.kind == "condition" and (m.concept_id, text[m.start:m.end]) in named)
                or (m.kind in ("lab", "vital") and self._own_unit_follows(text, m))]

    def _own_unit_follows(self, text: str, m: Match) -> bool:
        """"HR 110 bpm", "BE -8 mmol/L", "PT 18 s": a short form of a test followed right away (after at most a
        linking word) by a value in that test's own unit (or one its curated range converts from) is that test."""
        c = self.T.concept(m.concept_id)
        table = c.attrs.get("unit")
        if not table:
            return False
        vals = find_values(text, m.end, min(len(text), m.end + 40))
        if not vals or vals[0].unit is None or vals[0].value is None:
            return False
        if _OWN_UNIT_GAP.fullmatch(text, m.end, vals[0].start) is None:
            return False
        return self._same_unit(vals[0].unit, table, c.display) or self._conversion(m.concept_id, vals[0].unit) is not None

    def _diagnosed_acronyms(self, toks: list[Tok], text: str, matches: list[Match], sent_info, index) -> list[Match]:
        """"a diagnosis of ECD", "consistent with ATM", "HO was diagnosed": a short form no vocabulary knows that
        the text names as the diagnosis is a condition, uncoded (its code text is the short form), and so is
        each other use of it in the document. Only a whole word of capitals (2-7 characters, not a Roman
        numeral) ending a noun phrase counts: "confirmed normal LV size", "PRL-producing" are no diagnosis."""
        from bisect import bisect_right

        covered = {i for m in matches for i in range(m.a, m.b)}

        def ends_phrase(j: int, hi: int) -> bool:
            if j >= hi:
                return True
            if toks[j].start == toks[j - 1].end and toks[j].text not in ".,;:()":
                return False  # "UGH-induced", "NMSCs"
            return toks[j].text in ".,;:()" or toks[j].norm in _ACRONYM_NEXT

        def acronym(i: int, hi: int) -> bool:
            w = toks[i].text
            return i not in covered and bool(_ACRONYM.match(w)) and not _ROMAN.match(w) and len(w) <= 7 and \
                not (i > 0 and toks[i - 1].end == toks[i].start and toks[i - 1].text[-1:].isalnum()) and ends_phrase(i + 1, hi)

        named: dict[str, None] = {}
        for si, lo, hi, s_start, s_end, seg, literature, trigs, terms in sent_info:
            for i in range(lo, hi):
                if not acronym(i, hi):
                    continue
                cue = _ACRONYM_CUE.search(text, max(s_start, toks[i].start - 60), toks[i].start)
                if cue and not any(w.lower() in _FUNCTION_WORDS for w in cue.group(1).split()) or \
                        _DIAGNOSIS_AFTER.match(text, toks[i].end):
                    named.setdefault(toks[i].text)
        if not named:
            return matches
        starts = [x[1] for x in sent_info]
        for sf in named:
            for a, b in occurrences(toks, sf):
                k = bisect_right(starts, a) - 1
                if b != a + 1 or k < 0 or a >= sent_info[k][2]:
                    continue
                if not acronym(a, sent_info[k][2]):
                    continue
                matches.append(self._condition_match(toks, text, a, b, "text:" + sf, sent_info[k], index))
                covered.add(a)
        matches.sort(key=lambda m: (m.sent, m.a))
        return matches

    def _is_literature(self, seg: Segment, sentence: str) -> bool:
        r = self.srules
        if seg.kind == "table" and self.options.include_tables:
            return False
        lit = seg.section in r["literature_sections"] or seg.kind in r["non_story_kinds"]
        if not lit or seg.kind in ("reference", "title", "header", "footer", "author", "affiliation"):
            return lit
        low = sentence.lower()
        return not any(p in low for p in self.about_patient)

    def _mention_factory(self, text: str, locate: Locate | None):
        def mk(start: int, end: int, seg: Segment | None = None) -> Mention:
            boxes = tuple(locate(start, end)) if locate else ()
            return Mention(start, end, text[start:end], seg.section if seg else "other", boxes)
        return mk

    # ------------------------------------------------------------ patient
    def _patient(self, text, toks, sents, index: SectionIndex, facts: Facts, mk) -> None:
        story = [(g.start, g.end) for g in index.segments
                 if g.section in self.srules["patient_sections"] and g.kind not in self.srules["non_story_kinds"]]
        if not story:
            story = [(0, len(text))]
        p = PatientFact()
        for s, e in story:
            age = find_age(text, s, e)
            if age:
                p.age_value, p.age_unit = float(age.value), age.unit
                p.age_mention = mk(age.start, age.end, index.at(age.start))
                break
        sex = find_sex(text, story)
        if sex:
            p.sex = str(sex.value)
            p.sex_mention = mk(sex.start, sex.end, index.at(sex.start))
        facts.patient = p

    # ------------------------------------------------------------ conditions
    def _skip(self, facts: Facts, kind: str, m: Match, text: str, reason: str, mk) -> None:
        facts.skipped.append(SkippedFact(kind, text[m.start:m.end], mk(m.start, m.end, m.segment), reason))

    def _conditions(self, text, ms: list[Match], s_start, s_end, facts: Facts, mk) -> None:
        onset = None
        for m in ms:
            if m.kind != "condition":
                continue
            if m.literature and not self.options.keep_literature:
                self._skip(facts, "Condition", m, text, f"literature ({m.segment.section}/{m.segment.kind})", mk)
                continue
            a = m.assertion
            if a.hypothetical:
                self._skip(facts, "Condition", m, text, "hypothetical", mk)
                continue
            if not a.negated and _norm_text(text[m.start:m.end]) in _NOT_CONDITIONS:
                # "embolization", "pregnancy": a procedure or a state; stated absent, it is still worth a refuted record
                self._skip(facts, "Condition", m, text, "a procedure or state, not a finding", mk)
                continue
            start = m.start
            if _norm_text(text[m.start:m.end]) in _NON_SPECIFIC:
                # "respiratory symptoms", "neurological deterioration": the system named makes it specific
                q = _SYSTEM_BEFORE.search(text, max(s_start, m.start - 30), m.start)
                if q and q.group(1).lower() not in _VAGUE_QUALIFIERS:
                    start = q.start(1)
                elif not a.negated:
                    # "symptoms", "complications", "worsened": nothing of its own unless stated absent
                    self._skip(facts, "Condition", m, text, "not a specific finding", mk)
                    continue
            if a.negated and self.options.drop_refuted:
                self._skip(facts, "Condition", m, text, "negated", mk)
                continue
            if onset is None:
                onset = find_onset(text, s_start, s_end) or False
            fact = ConditionFact(key=m.concept_id if start == m.start else f"{m.concept_id}:{_norm_text(text[start:m.end])}",
                                 text=getattr(m, "written_as", None) or text[start:m.end],
                                 concept_id=None if m.concept_id.startswith("text:") else m.concept_id,
                                 mentions=[mk(start, m.end, m.segment)], assertion=a)
            if onset and not a.family and not a.negated:
                fact.onset_age = float(onset.value) * {"a": 1, "mo": 1 / 12, "wk": 7 / 365.25, "d": 1 / 365.25}.get(onset.unit or "a", 1)
            if a.family:  # "her mother and sister had X": a FamilyMemberHistory for each
                rels = getattr(m, "relatives", None) or [ctx.family_relation(m.triggers) or "FAMMEMB"]
                for i, rel in enumerate(rels):
                    one = fact if i == 0 else copy.deepcopy(fact)
                    one.family_relation = rel
                    facts.family.append(one)
            else:
                facts.conditions.append(fact)

    # ------------------------------------------------------------ labs
    def _site_before(self, toks: list[Tok], lo: int, a: int, concept_id: str) -> int | None:
        """First token of the site words right before a blood-pressure name ("right-ventricular systolic
        pressure", "RV systolic pressure"), when the concept is one the site makes wrong."""
        c = self.T.concept(concept_id)
        if not any(x.code in _SITE_BOUND_CODES for x in c.codings):
            return None
        for n in (4, 3, 2, 1):
            if a - n >= lo and " ".join(t.norm for t in toks[a - n:a] if t.text != "-") in _SITE_WORDS:
                return a - n
        return None

    def _drug_before(self, toks: list[Tok], lo: int, a: int) -> str | None:
        """The drug named nearest before token a in the sentence, as written (a vocabulary drug phrase, read even
        where the drug rules block it: "sensitive to penicillin", "the ceftaroline Etest strip")."""
        norms = [t.norm for t in toks[lo:a]]
        for i in range(len(norms) - 1, -1, -1):
            hit = self.trie.longest_at(norms, i)
            if hit and any(p[0] in ("drug", "drug_class") for p in hit[1]):
                return " ".join(_spaced(toks, lo + i, lo + hit[0]).split())
        return None

    def _birth_name(self, text: str, s_start: int, m: Match, f: LabFact) -> str | None:
        """The birth measure's name (nlp_rules.json birth_names) when a birth cue is written just before the
        vital sign's name or right after its value."""
        c = self.T.concept(m.concept_id)
        name = next((_R["birth_names"][x.code] for x in c.codings if x.code in _R["birth_names"]), None)
        if name is None or not f.mentions:
            return None
        end = f.mentions[0].end
        if _BIRTH_BEFORE.search(text[max(s_start, m.start - 40):m.start]) or _BIRTH_AFTER.match(text, end):
            return name
        return None

    def _other_measure_before(self, toks: list[Tok], lo: int, a: int, concept_id: str) -> int | None:
        """First token of the words right before a vital sign's name that make it another measure ("normal birth
        weight", "ideal body weight"; nlp_rules.json other_measure_words)."""
        c = self.T.concept(concept_id)
        words = set().union(*(_OTHER_MEASURE.get(x.code, ()) for x in c.codings))
        for n in (3, 2, 1):
            if words and a - n >= lo and " ".join(t.norm for t in toks[a - n:a] if t.text != "-") in words:
                return a - n
        return None

    def _specimen_concept(self, specimen: str, written: str) -> str | None:
        """The vocabulary's test for this specimen, when it has one ("CSF" + "glucose" -> CSF glucose)."""
        c = self.T.lookup(f"{specimen} {written}", "lab")
        return c.id if c is not None and _same_specimen(specimen, c.attrs.get("specimen")) else None

    def _measured_findings(self, text: str, ms: list[Match]) -> list[Match]:
        """"fever of 38.9 °C", "tachycardia (125/min)": the finding names the vital sign measured."""
        out = []
        for m in ms:
            if m.kind != "condition" or m.assertion.negated:
                continue
            words = _norm_text(text[m.start:m.end]).replace("-", " ").split()
            # "low-grade fever (38.4 °C)", "high fever of 39 °C": the head word names the measure
            i = next((i for i in range(len(words)) if " ".join(words[i:]) in _FINDING_MEASURES), None)
            vital = _FINDING_MEASURES[" ".join(words[i:])] if i is not None else None
            if vital and _MEASURE_FOLLOWS.match(text, m.end):
                concept = self.T.lookup(vital)
                if concept is not None and i and any(" ".join(words[k:i]) in _SITE_WORDS for k in range(i)) \
                        and any(x.code in _SITE_BOUND_CODES for x in concept.codings):
                    continue  # "portal hypertension of 20 mmHg": the pressure of that site, not the blood pressure
                kind, cid = (concept.kind, concept.id) if concept is not None else \
                    next((("observable", c) for p, c in observable_phrases() if p == vital), (None, None))
                if cid is not None:
                    v = Match(m.a, m.b, m.start, m.end, kind, cid, m.sent, m.segment,
                              m.assertion, m.triggers, m.literature)
                    v.measure = vital  # type: ignore[attr-defined]  # code.text: what was measured, not the finding
                    out.append(v)
        return out

    def _labs(self, text, ms: list[Match], s_start, s_end, facts: Facts, mk, toks: list[Tok], lo: int, hi: int) -> None:
        labs = [m for m in ms if m.kind in ("lab", "vital", "observable")] + self._measured_findings(text, ms)
        labs.sort(key=lambda m: m.start)
        if not labs:
            return
        RR = result_rules()

        usable = []
        for m in labs:
            if m.literature and not self.options.keep_literature:
                self._skip(facts, "Observation", m, text, f"literature ({m.segment.section}/{m.segment.kind})", mk)
            elif m.assertion.hypothetical or m.assertion.family:
                self._skip(facts, "Observation", m, text, "hypothetical or family", mk)
            else:
                usable.append(m)
        made: list[LabFact] = []
        for m in [m for m in usable if m.value_before]:
            num = toks[m.a - 1]
            v = _pct_value(num, toks[m.a])
            if v is not None:
                f = LabFact(key=m.concept_id, name=text[m.start:m.end].lstrip("% "), concept_id=m.concept_id,
                            mentions=[mk(num.start, toks[m.a].end, m.segment)], value=v, value_text=num.text,
                            unit="%", assertion=m.assertion)
                f._match = m  # type: ignore[attr-defined]
                made.append(f)
        usable = [m for m in usable if not m.value_before]
        if not usable and not made:
            return
        # "a prolonged course of the thiopurine", "the response of the tumour to imatinib": the course of a drug
        # is a treatment given, not the patient's course
        usable = [m for m in usable if not (m.kind == "observable" and _of_drug(text, m, ms))]

        def denied(at: int) -> bool:  # "no increase in the serum creatinine": the change word at char `at` denied
            return denied_change(toks, lo, next((t.i for t in toks[lo:hi] if t.start >= at), hi)) is not None

        found = attach_values(text, s_start, s_end, [(m.start, m.end, m.concept_id) for m in usable], denied) if usable else {}
        claimed: set = set()
        spans = [(x.a, x.b, x.kind) for x in ms]
        for idx, values in sorted(found.items()):
            m = usable[idx]
            if values and values[0].interp_span is None and values[0].value is not None:
                _word_before(values[0], toks, lo, m, ms)
            for v in values:
                if v.value is not None and (not v.unit and _RELATIVE_SCORE.match(text, v.end)
                                            or m.kind == "vital" and v.unit and _RELATIVE_SCORE.fullmatch(v.unit)):
                    continue  # "weight was −3 SD below the mean": a score against a standard, not the weight
                if v.value is not None and v.unit and _EXCESS_OVER_LIMIT.match(text, v.end):
                    continue  # "serum calcium 1.0 mg/dL above the upper limit of normal": not the calcium level
                if getattr(m, "measure", None) and _duration(RR, text, v):
                    continue  # "fever of 3 days duration", "atrial fibrillation of 3 years": how long, not how much
                if v.qualitative == "positive" and _POSITIVE_FOR.match(text, v.end) and _norm_text(text[m.start:m.end]).split()[-1] in _POSITIVE_FOR_HEADS:
                    continue  # "sputum culture was positive for Pseudomonas aeruginosa", "urine dipstick was positive for
                    # nitrites": what was found is the result (read by the unnamed-result reader), not the panel's 'positive'
                if (v.value is not None or v.value_string) and _targeted(text, (m.start, m.end), v.start, s_start):
                    continue  # "the target INR was 2-3", "tacrolimus was targeted to 8-10 ng/mL": aimed at, not measured
                if m.kind == "lab" and v.value is not None and v.unit and self._given_strength(text, toks, lo, hi, m, v):
                    # "glucose 10% infusion", "albumin 20% 100 mL was given", "phosphate 10 mmol was replaced"
                    facts.skipped.append(SkippedFact("Observation", text[m.start:v.end], mk(m.start, v.end, m.segment),
                                                     _GIVEN_REASON))
                    continue
                if (v.value is not None or v.value_string) and (ch := RR.change_at(text, s_start, v.start)) is not None:
                    # "his body weight further decreased by 23 kg": the change, not the weight
                    c = self.T.concept(m.concept_id) if m.kind in ("lab", "vital") else None
                    name = next((RR.change_renamed[x.code].get(ch) for x in (c.codings if c else ())
                                 if x.code in RR.change_renamed), None)
                    category = RR.change_category
                    if not name:  # "the peak inspiratory pressure increased by 5 cm H2O": the test's increase
                        name = f"{getattr(m, 'measure', None) or text[m.start:m.end]} {_lab_rules()['change_names'][ch]}"
                        category = "vital-signs" if m.kind == "vital" else "exam" if m.kind == "observable" else "laboratory"
                    f = self._lab_fact(text, m, v, mk, claimed)
                    if v.interp_span and v.interp_span[1] <= v.start and RR.change_at(text, v.interp_span[0], v.start):
                        # "his body weight decreased by 23 kg": the verb, 'by' and the amount are one statement
                        f.mentions = [mk(v.interp_span[0], v.end, m.segment)]
                    f.name, f.concept_id, f.key, f.category = name, None, "text:" + _norm_text(name), category
                    f.ref_low = f.ref_high = None
                    f.interpretation = None
                    made.append(f)
                    f._match = replace(m, kind="change")  # type: ignore[attr-defined]
                    continue
                if m.kind == "observable" and not observables()[m.concept_id]["numeric"] and (
                        v.value is not None or any(c.isdigit() for c in v.value_string or "")
                        and (v.unit or "/" not in v.value_string)):
                    # "CT revealed a 7 cm mass", "during CT about 100–150 mL of air": not a result of the CT; a
                    # score written as a fraction may be ("she had 2/5 strength")
                    continue
                if v.start > m.end and graded_word(toks, lo, hi, v, spans) is not None:
                    continue  # "urinalysis showed 3+ protein": the grade of the word after it, not the panel's
                if not v.unit and graded_fraction_at(text, v.start):
                    continue  # "rate and rhythm, 2/6 systolic murmur": the murmur's grade, not the rhythm's
                if v.value is None and v.value_string is None and (v.interp_span or v.qualitative) \
                        and max(v.start, (v.interp_span or (0, 0))[0]) > m.end and phrase_object(toks, lo, m.a):
                    continue  # "the pain in her abdomen was decreased": the pain was, not the abdomen
                made.append(self._lab_fact(text, m, v, mk, claimed))
                if v.qualitative and (marker := _lab_rules()["marker_abbreviations"].get(text[m.start:m.end])) \
                        and _MARKER_CONTEXT.search(text, s_start, s_end):
                    # "positive for CK, CD34 and vimentin": cytokeratin, not creatine kinase
                    f = made[-1]
                    f.name, f.concept_id, f.key = marker, None, "text:" + _norm_text(marker)
                    f.ref_low = f.ref_high = None
                made[-1]._match = m  # type: ignore[attr-defined]
        for idx, m in enumerate(usable):  # "the postoperative course was uneventful", "an uneventful recovery"
            if idx not in found and m.kind == "observable" and not (m.assertion.negated and any(
                    t.category == "NEGATED" and t.end <= m.a for t in m.triggers or ())):
                # "he had not received regular follow-up": a state denied before its name is no result
                state = _STATE_AFTER.match(text, m.end, s_end) or _state_before(text, s_start, m.start)
                said = text[m.start:m.end].lower()
                if not state and said in _SELF_STATING and _SELF_STATING_BEFORE.search(text, max(s_start, m.start - 20), m.start):
                    # "ECG showed sinus rhythm": the finding a test showed is itself the result (the rhythm)
                    fact = LabFact(key=m.concept_id, name=_SELF_STATING[said], concept_id=None,
                                   mentions=[mk(m.start, m.end, m.segment)], value_string=text[m.start:m.end],
                                   interpretation="N", assertion=m.assertion,
                                   category=observables()[m.concept_id]["category"])
                    fact._match = m  # type: ignore[attr-defined]
                    made.append(fact)
                    continue
                if state:
                    word = state.group("w")
                    fact = LabFact(key=m.concept_id, name=text[m.start:m.end], concept_id=None,
                                   mentions=[mk(state.start("w"), state.end("w"), m.segment)], value_string=word,
                                   interpretation=_STATE_WORDS[word.lower()], assertion=m.assertion,
                                   category=observables()[m.concept_id]["category"])
                    fact._match = m  # type: ignore[attr-defined]
                    made.append(fact)
        names = _lab_tokens(ms)
        for f in made:
            m = f._match  # type: ignore[attr-defined]
            del f._match  # type: ignore[attr-defined]
            f.name_span = (m.start, m.end)
            if m.kind == "lab" and f.concept_id and (ab := antibody_before(toks, lo, m.a, m.b)) is not None:
                # "anti-cardiolipin IgG (116 GPL)": the antibody, not the total IgG the code names
                _uncoded(f, text, toks[ab].start, m.end, "laboratory")
            elif m.kind == "lab" and f.concept_id and (sp := specimen_before(toks, lo, m.a, names, m.b)) is not None:
                c = self.T.concept(f.concept_id)
                if not _same_specimen(sp[1], c.attrs.get("specimen")) and \
                        (alt := self._specimen_concept(sp[1], text[m.start:m.end])) is not None:
                    f.concept_id, f.key = alt, alt  # "CSF showed ... glucose 2.4 mmol/L": CSF glucose
                elif not _same_specimen(sp[1], c.attrs.get("specimen")):
                    # "urine calcium", "sweat chloride": the serum test's code would name another test
                    if sp[0] >= 0:
                        _uncoded(f, text, toks[sp[0]].start, m.end, "laboratory")
                    else:  # "CSF showed ... glucose 2.4 mmol/L": the sentence's specimen
                        f.name = f"{f.name} ({sp[1]})"
                        f.concept_id, f.key, f.category = None, "text:" + _norm_text(f.name), "laboratory"
            elif m.kind == "vital" and f.concept_id and (fn := _function_after(toks, m.b, hi)) is not None:
                # "left ventricular systolic function was normal", "normal systolic and diastolic function": the
                # heart's function, not the blood pressure the code names
                a = self._site_before(toks, lo, m.a, f.concept_id)
                _uncoded(f, text, toks[a].start if a is not None else m.start, m.end, "exam")
                f.name = f"{f.name} {toks[fn].text}"
                f.key = "text:" + _norm_text(f.name)
            elif m.kind == "vital" and f.concept_id and (birth := self._birth_name(text, s_start, m, f)) is not None:
                # "born at term weighing 4 kg", "weighing 1.19 kg at birth": the measure at birth, not the current one
                _uncoded(f, text, m.start, m.end, f.category or "vital-signs")
                f.name, f.key = birth, "text:" + _norm_text(birth)
            elif m.kind == "vital" and f.concept_id and (a := self._other_measure_before(toks, lo, m.a, f.concept_id)) is not None:
                # "normal birth weight", "a prepregnancy weight of 72 kg": not the weight the code names, now
                _uncoded(f, text, toks[a].start, m.end, f.category or "vital-signs")
            elif m.kind == "vital" and f.concept_id and (a := self._site_before(toks, lo, m.a, f.concept_id)) is not None:
                # "RV systolic pressure", "pulmonary artery pressure": not the systemic blood pressure the code names
                _uncoded(f, text, toks[a].start, m.end, "exam")
            if m.kind == "observable" and (a := name_start(toks, lo, hi, m.a, m.b)) is not None:
                # "the cardiolipin test was negative": the test is named by the words before 'test'
                f.name = " ".join(text[toks[a].start:m.end].split())
                f.name_span = (toks[a].start, m.end)
                f.key = f"{m.concept_id}:{_norm_text(f.name)}"
            if f.name_span == (m.start, m.end) and f.mentions \
                    and (cm := compound_measure(toks, lo, hi, m.a, m.b)) is not None:
                # "PaO2/FiO2 ratio was 150", "fractional excretion of sodium was 0.5%": the longer measure's result
                # (a name the steps above already widened is left as they made it)
                _uncoded(f, text, toks[cm[0]].start, toks[cm[1] - 1].end, "laboratory")
        for f in made:
            if f.name and f.name.lower() in _WRITTEN_NAMES:  # "haemodynamically stable": the haemodynamic status
                f.name = _WRITTEN_NAMES[f.name.lower()]
        self._interpret(made)
        facts.labs.extend(made)

    def _interpret(self, labs: list[LabFact]) -> None:
        """Interpretation a value's own words did not give: from the curated adult reference range
        when the unit matches (the range is then carried, marked as curated), else inherited from a
        listing cue earlier in the sentence ("increased CK (952 U/L), myoglobin (595 ng/mL), ...")."""
        cue = None
        for f in labs:
            if f.interpretation in ("H", "L") and f.value is not None:
                cue = f.interpretation
            elif f.interpretation == "N":
                cue = None
            if f.interpretation is None and f.value is not None and f.concept_id:
                rng = self._table_range(f.concept_id, f.unit)
                if rng is not None:
                    lo, hi = rng
                    f.ref_low, f.ref_high, f.ref_from_table = lo, hi, True
                    # "<200 mg/dL" with the range's top at 99: any value below 200, high or not
                    f.interpretation = range_interpretation(f.value, f.comparator, lo, hi)
                elif cue:
                    f.interpretation = cue

    def _given_strength(self, text: str, toks: list[Tok], lo: int, hi: int, m: Match, v) -> bool:
        """A substance the test measures, given: its solution's strength in % followed by a word of giving or an
        amount ("glucose 10% infusion", "albumin 20% 100 mL"), or an amount with no volume (mmol, mg) in a sentence
        about giving it ("phosphate 10 mmol was replaced"). Not when the unit is the test's own (HbA1c 9%)."""
        u = self.T.unit(v.unit)
        table = self.T.concept(m.concept_id).attrs.get("unit")
        if not u or not table or u[0] == table or self._table_range(m.concept_id, v.unit) is not None:
            return False
        nxt = [t for t in toks[lo:hi] if t.start >= v.end][:3]
        if u[0] == "%":
            return bool(nxt) and (nxt[0].norm in _TREATMENT_CUES or _NUM.match(nxt[0].norm) is not None
                                  and len(nxt) > 1 and nxt[1].norm in _DOSE_UNITS)
        return u[0] in _GIVEN_AMOUNTS and any(t.norm in _TREATMENT_CUES for t in toks[lo:hi])

    def _table_range(self, concept_id: str, unit: str | None) -> tuple[float | None, float | None] | None:
        """(low, high) of the concept's curated range when it has one and the value's unit is the table's."""
        c = self.T.concept(concept_id)
        lo, hi = c.attrs.get("ref_low"), c.attrs.get("ref_high")
        if (lo is None and hi is None) or not unit:
            return None
        if self._same_unit(unit, c.attrs.get("unit"), c.display):
            return lo, hi
        # "creatinine 245 µmol/L", "platelets 45 G/L", "albumin 24 g/L": the curated range in the written unit
        # (lab_values.json converted_units; a molar one only for the tests it lists)
        conv = self._conversion(concept_id, unit)
        if conv is None:
            return None
        factor, offset = conv
        return _in_written_unit(lo, factor, offset), _in_written_unit(hi, factor, offset)

    def _conversion(self, concept_id: str, unit: str) -> tuple[float, float] | None:
        """(factor, offset) taking a value in the written unit into the concept's table unit (lab_values.json
        converted_units: the first entry for the pair of units that holds for this test), or None."""
        u = self.T.unit(unit)
        if not u:
            return None
        loinc = concept_id.partition(":")[2]
        return next(((factor, offset) for factor, offset, codes in
                     _converted_units().get((u[0], self.T.concept(concept_id).attrs.get("unit")), ())
                     if not codes or loinc in codes), None)

    def _same_unit(self, written: str, ucum: str | None, display: str | None) -> bool:
        if not ucum:
            return False
        u = self.T.unit(written)
        if u and u[0] != ucum:  # "560 IU/L" read against U/L, "118 mEq/L" against mmol/L (lab_values.json equivalent_units)
            except_words = _equivalent_units().get((u[0], ucum))
            return except_words is not None and not any(w in (display or "").lower() for w in except_words)
        return bool(u) and u[0] == ucum

    def _lab_fact(self, text, m: Match, v, mk, claimed: set) -> LabFact:
        span = (v.start, v.end)
        if v.value is None and v.qualitative is None and v.value_string is None and v.interp_span:
            span = v.interp_span
        fact = _value_fact(v, m.concept_id, getattr(m, "measure", None) or text[m.start:m.end], m.concept_id,
                           mk(span[0], span[1], m.segment), m.assertion)
        if v.interp_span and span != v.interp_span and not (v.interp_span[0] < span[1] and span[0] < v.interp_span[1]) \
                and v.interp_span not in claimed:
            # "elevated CRP of 16 mg/L": the interpretation was read from its own words, which are evidence too
            # (a listing cue shared by the next tests, "increased CK (952 U/L), LDH (863 U/L)", is the first one's)
            fact.mentions.append(mk(v.interp_span[0], v.interp_span[1], m.segment))
            claimed.add(v.interp_span)
        if v.interp_span and v.value is not None and v.interp_span[1] <= v.start and m.kind in ("lab", "vital") \
                and _change_to().fullmatch(text, v.interp_span[0], v.start) and v.ref_low is None and v.ref_high is None:
            # "serum lactate decreased to 1.8 mmol/L": a change, not a flag; the curated range (when the unit is its
            # own) says whether the level reached is low or high ("creatinine rose to 3.4 mg/dL" stays High)
            if self._table_range(m.concept_id, v.unit) is not None:
                fact.interpretation = None
        if m.kind == "observable":
            fact.category = observables()[m.concept_id]["category"]
            fact.concept_id = None
        return fact

    def _unnamed(self, text, toks: list[Tok], lo: int, hi: int, ms: list[Match], taken, seg: Segment, trigs, terms,
                 facts: Facts, mk, known: list[LabFact]) -> None:
        """Results of tests and examinations no vocabulary names (see ``results.py``): text-only Observations;
        and later values of a series a known test started ("CK fell from 952 U/L to 310 U/L and 120 U/L")."""
        blocked = [(m.a, m.b, m.kind) for m in ms  # "renal function worsened": 'worsened' names no finding here
                   if not (m.kind == "condition" and _norm_text(text[m.start:m.end]) in _NON_SPECIFIC)]
        known = [f for f in known if f.mentions]
        tok_of = {t.start: t.i for t in toks[lo:hi]} if known else {}  # most sentences name no test
        anchors = []
        for f in known:
            a = tok_of.get(f.name_span[0]) if f.name_span else None
            b = next((t.i + 1 for t in toks[lo:hi] if t.end == f.name_span[1]), None) if a is not None else None
            anchors.append(Anchor(f.mentions[0].end, f.unit if f.value is not None else None,
                                  (a, b) if b is not None else None, numeric=f.value is not None))
        named = {f.name_span for f in known}
        lone = [m for m in ms if m.kind in ("lab", "vital") and not m.value_before and not m.literature
                and not m.assertion.hypothetical and not m.assertion.family and (m.start, m.end) not in named
                and not any(f.name_span and f.name_span[0] <= m.start < f.name_span[1] for f in known)]
        orphans = []
        for m in lone:
            c = self.T.concept(m.concept_id)
            attrs = c.attrs
            orphans.append(Anchor(m.end, None if attrs.get("qualitative") else (attrs.get("unit") or "{}"), (m.a, m.b)))
        lab_names = _lab_tokens(ms)  # a specimen word may govern a list of them
        for r in find_results(text, toks, lo, hi, blocked, taken, anchors, orphans):
            v = r.value
            if (v.value is not None or v.value_string) and r.name and _targeted(
                    text, (toks[r.name[0]].start, toks[r.name[1] - 1].end), v.start, toks[lo].start):
                continue  # "dosed to a trough of 15-20 µg/mL": a level aimed at, not measured
            if r.orphan is not None:
                m = lone[r.orphan]
                if orphans[r.orphan].unit is None:
                    continue
                facts.labs.append(_value_fact(v, m.concept_id, text[m.start:m.end], m.concept_id, mk(v.start, v.end, seg),
                                              m.assertion, name_span=(m.start, m.end)))
                if (cm := compound_measure(toks, lo, hi, m.a, m.b)) is not None:
                    # "serum protein electrophoresis revealed a monoclonal band of 3.2 g/dL": not the total protein
                    _uncoded(facts.labs[-1], text, toks[cm[0]].start, toks[cm[1] - 1].end, "laboratory")
                elif m.kind == "lab" and (ab := antibody_before(toks, lo, m.a, m.b)) is not None:
                    # "specific IgE to peanut was 45 kU/L": the antibody against it, not the total IgE
                    _uncoded(facts.labs[-1], text, toks[ab].start, m.end, "laboratory")
                continue
            if r.attach:  # "cortisol (49.1 μg/dL) levels were also elevated": the word is that test's
                k = known[r.series_of]
                if all((x.start, x.end) != (v.start, v.end) for x in k.mentions):
                    k.mentions.append(mk(v.start, v.end, seg))
                i = r.series_of
                while i >= 0:  # ... and of the tests listed with it: "LDH (468 IU/L), ACTH (354 pg/mL) and cortisol"
                    if known[i].interpretation is None and known[i].value is not None or i == r.series_of:
                        known[i].interpretation = known[i].interpretation or v.interpretation
                    if i == 0 or not _same_list(text, known[i - 1], known[i]):
                        break
                    i -= 1
                continue
            if r.series_of is not None:
                k = known[r.series_of]
                facts.labs.append(_value_fact(v, k.key, k.name, k.concept_id, mk(v.start, v.end, seg), k.assertion,
                                              category=k.category))
                if r.word:
                    facts.labs[-1].mentions.append(mk(r.word[0], r.word[1], seg))
                continue
            if v.value is not None and v.unit and _EXCESS_OVER_LIMIT.match(text, v.end):
                continue  # "serum calcium 1.0 mg/dL above the upper limit of normal": not the calcium level
            a = next(t.i for t in toks[lo:hi] if t.end > v.start)
            b = next((t.i for t in toks[a:hi] if t.start >= v.end), hi)
            # a hypothetical trigger inside the result's own name ("STS risk of mortality was 2.4%") says nothing
            # of the result; a relative's does ("maternal autoimmune screen was negative")
            own = [t for t in trigs if r.label or t.category != "HYPOTHETICAL"
                   or not (r.name[0] <= t.start and t.end <= r.name[1])]
            assertion, used_trigs = ctx.assert_span(toks, lo, hi, a, b, own, terms)
            if assertion.negated and r.name and not r.label and (neg := [t for t in used_trigs if t.category == "NEGATED"]) \
                    and own_clause(toks, lo, hi, r.name, a, max(t.end for t in neg)):
                assertion.negated = False  # "there was no distention, and bowel sounds were normoactive"
            if assertion.negated and r.name and not r.label and v.interpretation == "N" \
                    and (neg := [t for t in used_trigs if t.category == "NEGATED"]) \
                    and own_conjunct(toks, r.name, a, max(t.end for t in neg)):
                assertion.negated = False  # "no nystagmus and normal visual evoked potentials"
            if assertion.negated and v.qualitative == "positive" and r.name \
                    and (neg := [t for t in used_trigs if t.category == "NEGATED"]) \
                    and all(t.end <= toks[r.name[0]].start and t.direction == "forward"
                            and not set(t.phrase.lower().split()) & set(_lab_rules()["qualitative"]) for t in neg):
                # "he did not have a positive HIV test": a positive result denied is no positive result; not
                # "negative for ER, with rare cells positive for PR", where the trigger is a result of its own
                continue
            stated_absent = (v.value_string or "").lower().startswith(("no ", "nothing"))  # "no abnormalities": the result
            if assertion.hypothetical or assertion.family or (assertion.negated and v.qualitative is None and not stated_absent):
                continue
            assertion.negated = False  # "negative for X": the result is the negative, not a denial of it
            name = r.label or " ".join(text[toks[r.name[0]].start:toks[r.name[1] - 1].end].split())
            if not r.label and " ".join(t.norm for t in toks[r.name[0]:r.name[1]]) in result_rules().drug_measures \
                    and (drug := self._drug_before(toks, lo, r.name[0])) is not None:
                name = f"{drug} {name}"  # "sensitive to penicillin (MIC = 0.03)": the penicillin MIC
            # the name ends in a lab the vocabulary knows ("plasma lactate ... were 1.6 and 0.096 mmol/l,
            # respectively"): the result is that lab's, unless another specimen is written before it
            head = None if r.label else next((m for m in ms if m.kind in ("lab", "vital") and m.b == r.name[1]
                                               and m.a >= r.name[0]), None)
            if head is not None and antibody_before(toks, lo, head.a, head.b) is not None:
                head = None  # "anti-HAV IgM was positive": the antibody, not the total IgM
            if head is not None and head.kind == "vital" and self._other_measure_before(toks, lo, head.a, head.concept_id) is not None:
                head = None  # "normal birth weight": not the body weight the code names
            if head is not None and head.kind == "vital" and head.a > r.name[0] \
                    and self._site_before(toks, lo, head.a, head.concept_id) is not None:
                head = None  # "raised LV diastolic pressure": the ventricle's pressure, not the blood pressure
            if head is not None and head.a > r.name[0] and (
                    any(t.norm.startswith("anti") for t in toks[r.name[0]:head.a])
                    or toks[head.a - 1].norm == "of" and head.a - 2 >= r.name[0]
                    and toks[head.a - 2].norm not in result_rules().wb_fillers):
                head = None  # "negativity for anti CEA" (a stain), "tubular reabsorption of phosphate": another test
            if head is not None and head.kind == "vital" and v.unit and _RELATIVE_SCORE.fullmatch(v.unit):
                continue  # "height and weight was −3 SD below the mean": a score against a standard, not the weight
            if head is not None and (head.start, head.end) in named and v.value is not None and not r.word:
                # "growth hormone and cortisol were 30.9 mU/L and 447 nmol/L, respectively" with 'growth
                # hormone' unread: cortisol has its value; the other one is an unread name's, left unpaired
                continue
            if head is not None and (sp := specimen_before(toks, lo, head.a, lab_names, head.b)) is not None:
                c = self.T.concept(head.concept_id)
                if not _same_specimen(sp[1], c.attrs.get("specimen")):
                    alt = self._specimen_concept(sp[1], text[head.start:head.end])
                    head = replace(head, concept_id=alt) if alt else None
                    name = name if sp[0] >= 0 or alt else f"{name} ({sp[1]})"
            coded = head.concept_id if head else None
            if head is None and not r.label and r.series_of is None and r.name[1] - r.name[0] == 1 and "(" not in name \
                    and (v.value is not None and _is_concentration(v.unit) or GRADE_VALUE.fullmatch(v.value_string or "")) \
                    and (sp := specimen_before(toks, lo, r.name[0], lab_names, r.name[1])) is not None and sp[0] < 0:
                # "CSF showed ... protein of 2.1 g/L": the sentence's specimen's test (coded when the vocabulary has it;
                # not a grade, "urinalysis showed 3+ protein": a mass concentration's code would not say it)
                coded = self._specimen_concept(sp[1], name) if v.value is not None else None
                name = name if coded else f"{name} ({sp[1]})"
            fact = _value_fact(v, coded or "text:" + _norm_text(name), name,
                               coded, mk(v.start, v.end, seg), assertion,
                               category=None if coded else r.category,
                               name_span=(toks[r.name[0]].start, toks[r.name[1] - 1].end) if not r.label else None)
            if r.word:
                fact.mentions.append(mk(r.word[0], r.word[1], seg))
            if coded and head is None:
                self._interpret([fact])  # the curated range of the specimen's test
            facts.labs.append(fact)

    # ------------------------------------------------------------ medications
    def _combinations(self, text: str, drugs: list[Match]) -> list[Match]:
        """"trimethoprim-sulfamethoxazole", "tazobactam/piperacillin": two names joined by a hyphen or
        slash are one combination product when the vocabulary knows the pair (in either order)."""
        out: list[Match] = []
        for m in sorted(drugs, key=lambda x: x.start):
            prev = out[-1] if out else None
            if prev is not None and prev.kind == m.kind == "drug" and text[prev.end:m.start] in ("-", "/", "\u2013"):
                x, y = text[prev.start:prev.end], text[m.start:m.end]
                for name in (f"{x}/{y}", f"{y}/{x}", f"{x} and {y}", f"{y} and {x}"):
                    c = self.T.lookup(name)
                    if c is not None and c.kind == "drug":
                        out[-1] = replace(prev, b=m.b, end=m.end, concept_id=c.id)
                        break
                else:
                    out.append(m)
                continue
            out.append(m)
        return self._regimen_chains(text, out)

    def _regimen_chains(self, text: str, drugs: list[Match]) -> list[Match]:
        """"rituximab-hyperfractionated-cyclophosphamide-vincristine-doxorubicin-dexamethasone", "cisplatin-
        pemetrexed": drug names joined by hyphens or slashes (one qualifying word may stand between two of
        them) that the vocabulary does not know as one product name one regimen: one mention, its drugs as parts."""
        out: list[Match] = []
        run: list[Match] = []
        for m in drugs + [None]:
            if m is not None and m.kind == "drug" and run and _REGIMEN_JOIN.fullmatch(text, run[-1].end, m.start):
                run.append(m)
                continue
            if len(run) > 1 and m is not None and m.kind == "drug_class" and _BRACKET_OPEN.fullmatch(text, run[-1].end, m.start) \
                    and self.T.concept(m.concept_id).attrs.get("regimen"):
                # "rituximab-...-dexamethasone (R-Hyper-CVAD)": the regimen's name in brackets; one regimen, two mentions
                out.append(replace(m, a=run[0].a, b=run[-1].b, start=run[0].start, end=run[-1].end))
            elif len(run) > 1:
                parts = tuple(dict.fromkeys(p for r in run for p in (r.parts or (r.concept_id,))))
                name = _norm_text(text[run[0].start:run[-1].end])
                out.append(replace(run[0], b=run[-1].b, end=run[-1].end, concept_id=f"regimen:{name}", parts=parts))
            else:
                out.extend(run)
            run = [m] if m is not None and m.kind == "drug" else []
            if m is not None and m.kind != "drug":
                out.append(m)
        return sorted(out, key=lambda x: x.start)

    def _medications(self, text, toks: list[Tok], ms: list[Match], lo: int, hi: int, facts: Facts, mk) -> list[tuple[int, int]]:
        drugs = self._combinations(text, [m for m in ms if m.kind in ("drug", "drug_class")])
        spans: list[tuple[int, int]] = []
        if not drugs:
            return spans
        all_spans = sorted(ms, key=lambda x: x.start)
        s_start, s_end = toks[lo].start, toks[hi - 1].end
        cued = any(t.norm in _TREATMENT_CUES for t in toks[lo:hi])
        dosed, made = False, []
        allergy_end = None  # end of the last drug named as an allergy in this sentence
        for k, m in enumerate(drugs):
            a = m.assertion
            if m.literature and not self.options.keep_literature:
                self._skip(facts, "MedicationStatement", m, text, f"literature ({m.segment.section}/{m.segment.kind})", mk)
                continue
            if _norm_text(text[m.start:m.end]) in _NON_SPECIFIC_DRUGS:
                self._skip(facts, "MedicationStatement", m, text, "names no drug ('her medications')", mk)
                continue
            if k and m.concept_id in {d.concept_id for d in drugs[:k]} and (cite := _product_citation(text, drugs[k - 1].end, m)):
                # "capecitabine (Xeloda; Hoffmann-La Roche Inc., Nutley, NJ, USA)": the drug already named, cited
                # as its maker's product; no further mention (an ingredient named only there is kept)
                self._skip(facts, "MedicationStatement", m, text, f"brand in a product citation {cite!r}", mk)
                continue
            dx = _DIAGNOSTIC_USE.search(text, max(toks[lo].start, m.start - 90), m.start)
            if dx and not any(w.lower() in _TREATMENT_CUES for w in re.findall(r"[A-Za-z]+", dx.group("gap") or "")):
                # "bone scintigraphy using technetium-99m", "MRI with gadolinium", "BAL with 150 mL saline":
                # an agent of a diagnostic procedure, not a medication
                self._skip(facts, "MedicationStatement", m, text, "an agent of a diagnostic procedure", mk)
                continue
            if _ALLERGY_BEFORE.search(text, max(toks[lo].start, m.start - 60), m.start) or \
                    allergy_end is not None and _ALLERGY_LIST_GAP.fullmatch(text, allergy_end, m.start):
                # "reported allergy to diclofenac", "Allergies: codeine (nausea) and penicillin": an allergy
                # (AllergyIntolerance), not a drug taken
                self._skip(facts, "MedicationStatement", m, text, "an allergy or intolerance to the drug", mk)
                allergy_end = m.end
                continue
            status = None
            if a.hypothetical:
                if not self.options.intended_drugs:
                    self._skip(facts, "MedicationStatement", m, text, "hypothetical or recommended", mk)
                    continue
                status = "intended"
            if a.family:
                self._skip(facts, "MedicationStatement", m, text, "family member", mk)
                continue
            # a generic head noun right after the drug is part of its name: "antihelminthic drugs for 3 days"
            head = next((x for x in all_spans if x.start >= m.end and x.kind in ("drug", "drug_class")
                         and not text[m.end:x.start].strip() and _norm_text(text[x.start:x.end]) in _NON_SPECIFIC_DRUGS), None)
            sig_from = head.end if head else m.end
            nxt = [x.start for x in all_spans if x.start >= sig_from and x.kind in ("drug", "drug_class")
                   and not (x.concept_id == m.concept_id and text[m.end:x.start].strip() == "(")]  # "X (abbr.) was ..."
            prv = [x.end for x in all_spans if x.end <= m.start and x.kind in ("drug", "drug_class")]
            w_end = min(nxt[0] if nxt else s_end, s_end)
            clause = _CLAUSE_BREAK.search(text, m.end, w_end)
            if clause and _REFUSAL_AFTER_BUT.match(text, clause.start(), w_end):
                clause = None  # "X was proposed but refused": the refusal is about X
            if clause:  # "aspirin 81 mg per day, but was not on ...": the sig stops at the clause
                w_end = clause.start()
            w_before = (max(prv[-1] if prv else s_start, s_start), m.start)
            sig = parse_sig(text, sig_from, w_end, before=w_before)
            if sig is not None and (_is_concentration(sig.dose_unit) or _linked_percent(toks, lo, hi, m, sig)):
                # "decreased from 115 mmol/l before ivacaftor to 40 mmol/l": a measured level, free for the test
                self._skip(facts, "MedicationStatement", m, text, "a measured level, not a dose", mk)
                continue
            if sig is not None and sig.end > sig.start:
                spans.append((sig.start, sig.end))  # the sig's words are no result of a test
            has_dose = sig is not None and (sig.dose_value is not None or sig.route or sig.frequency)
            dosed = dosed or has_dose
            if a.negated and (not _negation_reaches_drug(toks, m, ms) or _EFFECT_HEAD.match(text, m.end)):
                # "did not regress, despite a course of X", "no signs of X toxicity": X was given
                a = replace(a, negated=False)
            if a.negated and sig is not None and sig.status == "stopped" and sig.status_span and all(
                    toks[tg.start].start < sig.status_span[1] and sig.status_span[0] < toks[tg.end - 1].end
                    for tg in m.triggers if tg.category == "NEGATED"):
                a = replace(a, negated=False)  # "X was ceased": the denial is the stop itself; X was taken, then stopped
            if a.negated and status is None:
                status = "not-taken"
            # a regimen named by its drugs ("cisplatin-pemetrexed") or by its name ("R-CHOP", drugs from drug_classes.tsv)
            parts = list(m.parts) or (list(self.T.concept(m.concept_id).attrs.get("regimen") or ())
                                      if m.kind == "drug_class" else [])
            fact = MedicationFact(key=m.concept_id, name=text[m.start:m.end], concept_id=None if m.parts else m.concept_id,
                                  mentions=[mk(m.start, m.end, m.segment)], assertion=a, components=parts)
            if sig is None or not sig.route:
                in_name = parse_sig(text, m.start, m.end)  # "intravenous immunoglobulin", "oral prednisone"
                if in_name is not None and in_name.route:
                    fact.route = in_name.route
            if sig:
                fact.sig_text = re.sub(r"\s+", " ", text[sig.start:sig.end]).strip() or None
                fact.dose_value, fact.dose_unit = sig.dose_value, sig.dose_unit
                fact.route = sig.route or fact.route
                fact.frequency, fact.period, fact.period_unit = sig.frequency, sig.period, sig.period_unit
                fact.duration_value, fact.duration_unit = sig.duration_value, sig.duration_unit
                fact.duration_comparator = sig.duration_comparator
                fact.cycles, fact.count, fact.as_needed = sig.cycles, sig.count, sig.as_needed
                fact.dose_low, fact.dose_high, fact.period_max, fact.when = sig.dose_low, sig.dose_high, sig.period_max, sig.when
                if fact.frequency is None and fact.dose_unit and re.search(r"/\s*(?:day|d)$", fact.dose_unit):
                    fact.frequency, fact.period, fact.period_unit = 1, 1, "d"  # "400 mg/kg/day": once a day
                if status is None and sig.status and not (sig.status == "not-taken" and sig.status_span[1] <= m.start
                                                          and not _words_between_ok(toks, lo, sig.status_span[1], m, ms)):
                    status = sig.status
                    fact.restarted = sig.restarted
                    if status in ("stopped", "completed"):  # "X was discontinued": this mention is the status's evidence
                        fact.status_mentions = list(fact.mentions)
            if fact.sig_text is None and fact.route:  # the route as written is the sig's text: "oral" of "oral corticosteroids"
                in_name = parse_sig(text, m.start, m.end)
                if in_name is not None and in_name.route and (in_name.start, in_name.end) != (m.start, m.end):
                    # (not when the route word is the whole name: "IVIG")
                    fact.sig_text = text[in_name.start:in_name.end].strip() or None
            if status is None:
                status = "completed" if a.historical else "active"
            fact.status = status
            made.append((fact, m, has_dose))
        for fact, m, has_dose in made:
            if not (has_dose or cued or dosed):
                # a dose given for another drug of the sentence makes it treatment context too
                # ("Broad-spectrum antibiotics with piperacillin 2 g and tazobactam 0.25 g i.v.")
                self._skip(facts, "MedicationStatement", m, text, "named without treatment context", mk)
                continue
            facts.medications.append(fact)
        return spans


def _names_measure(hit) -> bool:
    """A vocabulary hit (Trie.longest_at) that a lab, vital sign or observable reads."""
    return bool(hit) and any(p[0] in ("lab", "vital", "observable") for p in hit[1])


def _linked_percent(toks: list[Tok], lo: int, hi: int, m: Match, sig) -> bool:
    """"Antithrombin III was 60%", "factor VIII was 2%": a percentage said of the drug's name by a linking
    verb (results.json linking_verbs) is the activity or level measured, not a strength given."""
    if sig.dose_unit != "%" or sig.dose_span is None:
        return False
    words = tuple(t.norm for t in toks[m.b:hi] if t.end <= sig.dose_span[0])
    return bool(words) and words in result_rules().linking and not given_before(toks, lo, m.a)


def _product_citation(text: str, prev_end: int, m: Match) -> str | None:
    """The bracket right after a drug that holds m when it names a maker or trade mark
    ("(Xeloda; Hoffmann-La Roche Inc., Nutley, NJ, USA)", "(trade name: Xarelto™, Bayer)")."""
    gap = text[prev_end:m.start]
    if not gap.lstrip().startswith("(") or ")" in gap:
        return None
    c = _MAKER_RX.match(text, prev_end + len(gap) - len(gap.lstrip()))
    return c.group(0) if c and c.end() >= m.end else None


def _negation_reaches_drug(toks: list[Tok], m: Match, ms: list[Match]) -> bool:
    """A negation denies a drug only when nothing but function words, intake verbs ("did not
    receive", "was not on any") and the other items of a list ("no diabetes, drug use or history
    of chemotherapy"; after the drug only other drugs: "X and Y were not given") lie between them; otherwise it denies something else ("symptoms were not
    observed during X therapy", "without changing the dose of X")."""
    listed = {i for d in ms for i in range(d.a, d.b)}
    drugs = {i for d in ms if d.kind in ("drug", "drug_class") for i in range(d.a, d.b)}
    for tg in m.triggers:
        if tg.category != "NEGATED":
            continue
        forward = tg.end <= m.a
        gap = range(tg.end, m.a) if forward else range(m.b, tg.start)
        if all(i in (listed if forward else drugs) or toks[i].norm in _DRUG_NEG_GAP for i in gap):
            return True
    return False


def _words_between_ok(toks: list[Tok], lo: int, end: int, m: Match, ms: list[Match]) -> bool:
    """The same test for a sig's refusal word ("without", "no") that ends at char `end` before the drug."""
    listed = {i for d in ms for i in range(d.a, d.b)}
    return all(i in listed or toks[i].norm in _DRUG_NEG_GAP for i in range(lo, m.a) if toks[i].start >= end)


# ---------------------------------------------------------------- grouping
def _word_before(v, toks: list[Tok], lo: int, m: Match, ms: list[Match]) -> None:
    """"elevated level of acid phosphatase (47.8 IU/L)", "raised concentrations of alanine and glutamine (1567
    and 1369 μmol/l, respectively)": the interpretation word before the name is evidence of its first value
    (and its interpretation when the value's own words give none)."""
    w = word_before_name(toks, lo, m.a)
    if w is None or any(x.kind in ("condition", "drug", "drug_class") and x.start < w[1] and w[0] < x.end for x in ms):
        return
    v.interp_span = (w[0], w[1])
    if v.interpretation is None:
        v.interpretation = w[2]


_OF_THE = re.compile(r"\s+of\s+(?:(?:the|a|an|his|her|their|its)\s+)?$", re.I)


def _of_drug(text: str, m: Match, ms: list[Match]) -> bool:
    """A drug or drug class named right after the words and 'of' ("course of the thiopurine")."""
    return any(d.kind in ("drug", "drug_class") and d.start > m.end and _OF_THE.match(text[m.end:d.start]) for d in ms)


def _duration(R, text: str, v) -> bool:
    """A value that is a duration or an amount (results.json rejected units: "3 days", "3 years duration")."""
    from .values import ucum_code

    if v.unit:
        return ucum_code(v.unit) in R.rej_ucum or v.unit.lower().strip() in R.rej_words
    nxt = re.match(r"\s*([A-Za-z']+)", text[v.end:v.end + 20])
    return bool(nxt) and nxt.group(1).lower() in R.rej_words


def _function_after(toks: list[Tok], b: int, hi: int) -> int | None:
    """The token of 'function' (nlp_rules.json vital_blocking_next_words) right after a vital sign's word ending
    at b, or after one coordinated word ("systolic and diastolic function")."""
    if b < hi and toks[b].norm in _VITAL_BLOCK_NEXT:
        return b
    if b + 2 < hi and toks[b].norm in ("and", "or", "/") and toks[b + 1].text.isalpha() \
            and toks[b + 2].norm in _VITAL_BLOCK_NEXT:
        return b + 2
    return None


def _uncoded(f: LabFact, text: str, start: int, end: int, category: str) -> None:
    """The lab fact renamed by the words text[start:end] that make it another test than its code names:
    no code, keyed by its name."""
    f.name = " ".join(text[start:end].split())
    f.name_span = (start, end)
    f.concept_id, f.key, f.category = None, "text:" + _norm_text(f.name), category


def _value_fact(v, key: str, name: str, concept_id: str | None, mention: Mention, assertion: Assertion,
                **extra) -> LabFact:
    """A LabFact carrying a value's number or words, unit, range, interpretation and time, and the
    systolic/diastolic components when the value is a blood pressure ('2/5' stays a string)."""
    fact = LabFact(key=key, name=name, concept_id=concept_id, mentions=[mention], value=v.value,
                   value_text=v.value_text, unit=v.unit, comparator=v.comparator, qualitative=v.qualitative,
                   value_string=v.value_string, interpretation=v.interpretation, ref_low=v.ref_low,
                   ref_high=v.ref_high, ref_text=v.ref_text, effective_text=v.effective_text, assertion=assertion,
                   **extra)
    for c in (v.components if v.component_names else None) or []:
        fact.components.append(LabFact(key=key, name=name, concept_id=None, value=c.value, value_text=c.value_text,
                                       unit=c.unit, interpretation=c.interpretation))
    return fact


def _lab_tokens(ms: list[Match]) -> frozenset[int]:
    """The tokens of the lab names found: a list of them a specimen word may govern ("CSF lactate and pyruvate")."""
    return frozenset(i for m in ms if m.kind == "lab" for i in range(m.a, m.b))


def _same_specimen(written: str, coded: str | None) -> bool:
    return bool(coded) and written.lower() in coded.lower()


def _pct_value(num: Tok, pct: Tok) -> float | None:
    try:
        return parse_number(num.text)
    except ValueError:
        return None


_POSITIVE_FOR = re.compile(r"\s+for\s+\S", re.I)
_POSITIVE_FOR_HEADS = frozenset(_norm_text(w) for w in _R["positive_for_heads"])
_TARGET = re.compile(r"(?<![\w-])(?:" + _alt_words(_R["target_words"]) + r")(?![\w-])(?!\s+(?:range|ranges|level)\b)", re.I)


def _targeted(text: str, name: tuple[int, int], value_start: int, s_start: int) -> bool:
    """A level aimed at: a target word (nlp_rules.json target_words) in the few characters before the name or
    between the name and the value ("the target INR was 2-3", "dosed to a trough of 15-20 µg/mL"); not one inside
    the name ("apoptosis of target cell line")."""
    lo = max(s_start, name[0] - 12)
    return _TARGET.search(text[lo:name[0]]) is not None or _TARGET.match(text, name[0], name[1]) is not None or (
        value_start > name[1] and _TARGET.search(text, name[1], value_start) is not None)


_GIVEN_REASON = "a substance the test measures, given (a strength or an amount, not a level)"
_GIVEN_AMOUNTS = frozenset(_R["given_amount_ucum"])  # UCUM codes of an amount with no volume: mmol, mg, g ...
_OWN_UNIT_GAP = re.compile(r"[\s:=,]*(?:(?:was|were|is|of)\s+)?")
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_LIST_GAP = re.compile(r"[\s)\]]*(?:,|;|,?\s*and|,?\s*&|,?\s*as well as)?\s*(?:the|serum|plasma|urine|urinary|blood)?\s*", re.I)


def _same_list(text: str, a: LabFact, b: LabFact) -> bool:
    """True when test ``b`` follows test ``a`` in one listing: only separators and brackets between."""
    if not a.mentions or not b.name_span or a.mentions[0].end > b.name_span[0]:
        return False
    gap = text[a.mentions[0].end:b.name_span[0]]
    while True:
        g = _BRACKETS.sub("", gap)
        if g == gap:
            break
        gap = g
    return bool(_LIST_GAP.fullmatch(gap))


def _merge_conditions(items: list[ConditionFact]) -> list[ConditionFact]:
    """One fact per concept and polarity; mentions accumulate in text order."""
    out: dict[tuple, ConditionFact] = {}
    for f in items:
        k = (f.key, f.assertion.negated, f.family_relation)
        if k not in out:
            out[k] = f
            continue
        g = out[k]
        g.mentions.extend(f.mentions)
        # a certain, current mention outweighs uncertain/historical ones
        g.assertion.uncertain = g.assertion.uncertain and f.assertion.uncertain
        g.assertion.historical = g.assertion.historical and f.assertion.historical
        if g.onset_age is None:
            g.onset_age = f.onset_age
    return list(out.values())


def _merge_labs(items: list[LabFact]) -> list[LabFact]:
    out: dict[tuple, LabFact] = {}
    for f in items:
        k = (f.key, f.value_text, f.unit, f.qualitative, f.value_string, f.interpretation if f.value is None else None)
        if k in out and f.value is not None:
            out[k].mentions.extend(f.mentions)
        else:
            out[k if k not in out else k + (len(out),)] = f
    return list(out.values())


def _merge_meds(items: list[MedicationFact]) -> list[MedicationFact]:
    out: dict[tuple, MedicationFact] = {}
    for f in items:
        k = (f.key, f.status == "not-taken")
        if k not in out:
            out[k] = f
            continue
        g = out[k]
        g.mentions.extend(f.mentions)
        sig_attrs = ("sig_text", "dose_value", "dose_unit", "dose_low", "dose_high", "frequency", "period", "period_unit",
                     "period_max", "when", "duration_value", "duration_unit", "duration_comparator", "cycles", "count", "as_needed")
        said = [x.sig_text.lower() for x in [g] + g.more_dosages if x.sig_text]
        if not g.sig_text and f.sig_text:
            for attr in sig_attrs:   # the first mention said nothing of the sig: the later one's is the first dosage
                setattr(g, attr, getattr(f, attr))
            g.route = f.route or g.route
        elif f.sig_text and not any(f.sig_text.lower() in t for t in said) and \
                (f.dose_value is not None or f.dose_low is not None or f.frequency is not None or f.status == "stopped" and f.duration_value is None
                 or f.status not in ("stopped", "not-taken")):
            # (not a time said of a stop or a refusal: "after stopping X for 17 days")
            # "increased to 20 mg daily", "prescribed ... for three months", "oral methotrexate" after "methotrexate
            # 15 mg/m2 weekly": a further dosage statement, in text order
            g.more_dosages.append(f)
        g.route = g.route or f.route
        if f.status in ("stopped", "completed") and g.status == "active":
            g.status = f.status
            g.status_mentions = list(f.status_mentions)
        elif f.restarted and g.status in ("stopped", "completed"):
            g.status = "active"  # "warfarin was held ... warfarin was resumed on day 3"
            g.status_mentions = []  # the stop no longer says the status: its mentions are the resource's again
        elif f.status == g.status:
            g.status_mentions.extend(f.status_mentions)  # "X was tapered ... X was stopped": each says the stop
    return list(out.values())


_EXTRACTORS: dict = {}


def get_extractor(options: ExtractOptions | None = None) -> Extractor:
    key = repr(options or ExtractOptions())
    if key not in _EXTRACTORS:
        _EXTRACTORS[key] = Extractor(options)
    return _EXTRACTORS[key]
