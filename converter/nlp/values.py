"""Lab and vital-sign values in case-report text: pure functions over strings (no spaCy).

``find_values`` finds value expressions ("952 U/L", "<0.5 mg/dL", "120/80 mmHg", "1:640 speckled",
"negative") in a window; ``attach_values`` gives each lab/vital mention of a sentence the values that
belong to it, with reference ranges, interpretation (H/L/N/POS/NEG) and effective time when written.

All vocabulary (units, interpretation words, reference-range words, time words) lives in
``mappings/lab_values.json``; this module only holds the regex scaffolding, compiled once.
Numbers are never changed: "45,000" -> 45000.0, "8.2" -> 8.2, and ``value_text`` keeps the digits
as written; units are kept as written (spaces normalised to one ASCII space).
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import MappingError
from ..resources import load_json

__all__ = ["LabValue", "attach_values", "find_values", "parse_number", "ucum_code", "effective_spans"]

MAPPING = "lab_values.json"


@dataclass
class LabValue:
    start: int
    end: int
    value: float | None
    value_text: str | None
    unit: str | None
    comparator: str | None
    qualitative: str | None
    value_string: str | None
    interpretation: str | None
    interp_span: tuple[int, int] | None
    ref_low: float | None
    ref_high: float | None
    ref_text: str | None
    effective_text: str | None
    components: list["LabValue"] | None = None
    # where the reference range / effective expression are (absolute offsets), for provenance
    ref_span: tuple[int, int] | None = field(default=None, compare=False)
    effective_span: tuple[int, int] | None = field(default=None, compare=False)
    component_names: list[str] | None = field(default=None, compare=False)


# ----------------------------------------------------------------------------------------------
# scaffolding

SP = r"[\s\u200b\u2060\ufeff]"          # any Unicode space (\s covers U+2009, U+200A, U+2005, U+00A0, U+202F ...)
_SPACE_RX = re.compile(SP + "+")
DASH = r"(?:-|–|—|‒|−|~|to)"
SUPS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"
NUM = r"(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+(?:[.,·]\d+)?(?![\d])|[.·]\d+)"
NUM_SPACED = r"(?:\d{1,3}(?:[ \u2009\u200a\u202f\u00a0\u2005\u2006]\d{3})+(?!\d))"
LB = r"(?<![\w.,/])(?<![A-Za-z]-)"     # a number may not start inside a word ("HbA1c", "IL-6")


def _phrase(word: str) -> str:
    """A vocabulary entry as a regex: escaped, any run of spaces matches any Unicode space run."""
    parts = [re.escape(p) for p in word.strip().split()]
    return (SP + "+").join(parts)


def _alt(words, *, bound: bool = True) -> str:
    """One regex for a vocabulary list, built as a character trie (fast: no long alternations to try
    one by one). Entries match case-insensitively (compile with re.I), any run of Unicode spaces
    matches a space, and entries are word-bounded where they start/end with a word character.
    At one start position the longest entry wins."""
    trie: dict = {}
    for w in set(words):
        w = " ".join(w.strip().split()).lower()
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = w
    if not trie:
        return "(?!x)x"

    def end_assert(w: str) -> str:
        if not bound:
            return ""
        if w[-1].isalnum() or w[-1] == "_":
            return r"(?![\w])"
        if w[-1] == ".":
            return r"(?![A-Za-z])"
        return ""

    def build(node: dict) -> str:
        alts = []
        for ch in sorted(k for k in node if k):
            sub = build(node[ch])
            piece = (SP + "+") if ch == " " else re.escape(ch)
            alts.append(piece + sub)
        if "" in node:
            alts.append(end_assert(node[""]))
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    body = build(trie)
    if bound:
        alnum_start = [k for k in trie if k and (k.isalnum() or k == "_")]
        other_start = [k for k in trie if k and not (k.isalnum() or k == "_")]
        if alnum_start and not other_start:
            return r"(?<![\w])" + body
        if alnum_start:
            return r"(?:(?<![\w])|(?=\W))" + body
    return body


def norm_space(s: str) -> str:
    return _SPACE_RX.sub(" ", s).strip()


def word_table(groups: dict[str, list[str]]) -> tuple[dict[str, str], list[str]]:
    """{label: [words]} from a mappings file -> ({normalised word: label}, every word), for one
    compiled alternation whose matches are looked up again by their normalised text."""
    table: dict[str, str] = {}
    words: list[str] = []
    for label, lst in groups.items():
        for w in lst:
            table[norm_space(w).lower()] = label
            words.append(w)
    return table, words


def parse_number(s: str) -> float:
    """The number exactly as written: "45,000" -> 45000.0; "74,2" -> 74.2 (decimal comma);
    "12 000" -> 12000.0; "7·5" -> 7.5; "−3.4" -> -3.4; "–70" (an en dash as minus) -> -70.0."""
    t = _SPACE_RX.sub("", s).replace("·", ".")
    sign = 1.0
    if t[:1] in "−-–":
        sign, t = -1.0, t[1:]
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", t):
        t = t.replace(",", "")
    elif "," in t:
        t = t.replace(",", ".")
    if t.startswith("."):
        t = "0" + t
    return sign * float(t)


def _check(data) -> dict:
    if not isinstance(data, dict):
        raise MappingError(f"mappings/{MAPPING}: expected an object")
    lists = ["unit_atoms", "titre_patterns", "modifiers", "determiners", "linkers", "bp_names",
             "bp_components", "reference_words", "non_value_prefixes", "trend_from_verbs"]
    for key in lists:
        v = data.get(key)
        if not isinstance(v, list) or not v or not all(isinstance(x, str) and x.strip() for x in v):
            raise MappingError(f"mappings/{MAPPING}: '{key}' must be a non-empty list of strings")
    for key in ["comparators", "qualitative", "qualitative_signs", "ucum"]:
        v = data.get(key)
        if not isinstance(v, dict) or not v or not all(isinstance(k, str) and k and isinstance(x, str) for k, x in v.items()):
            raise MappingError(f"mappings/{MAPPING}: '{key}' must be a non-empty object of strings")
    na = data.get("comparators_not_after", {})
    if not isinstance(na, dict) or not all(k.startswith("_") or (k in data["comparators"] and isinstance(v, list) and v and all(
            isinstance(x, str) and x.strip() for x in v)) for k, v in na.items()):
        raise MappingError(f"mappings/{MAPPING}: 'comparators_not_after' maps comparators to lists of words")
    if set(data["comparators"].values()) - {"<", "<=", ">", ">="}:
        raise MappingError(f"mappings/{MAPPING}: comparators map to <, <=, > or >=")
    if (set(data["qualitative"].values()) | set(data["qualitative_signs"].values())) - {"positive", "negative"}:
        raise MappingError(f"mappings/{MAPPING}: qualitative values are 'positive' or 'negative'")
    interp = data.get("interpretation")
    if not isinstance(interp, dict) or set(interp) != {"H", "L", "N"} or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in interp.values()):
        raise MappingError(f"mappings/{MAPPING}: 'interpretation' must map H, L, N to lists of strings")
    flags = data.get("interp_flags", {})
    if not isinstance(flags, dict) or set(flags) - {"H", "L", "N"}:
        raise MappingError(f"mappings/{MAPPING}: 'interp_flags' keys are H, L, N")
    for key in ["place_after_words", "reference_list_prefixes", "name_number_prefixes", "relative_score_words",
                "method_prepositions", "duration_ucum", "excess_over_limit_words", "marker_context_words",
                "grade_words"]:
        v = data.get(key)
        if not isinstance(v, list) or not v or not all(isinstance(x, str) and x.strip() for x in v):
            raise MappingError(f"mappings/{MAPPING}: '{key}' must be a non-empty list of strings")
    ma = data.get("marker_abbreviations")
    if not isinstance(ma, dict) or not ma or not all(isinstance(k, str) and isinstance(x, str) and x.strip() for k, x in ma.items()):
        raise MappingError(f"mappings/{MAPPING}: 'marker_abbreviations' must map abbreviations to marker names")
    eq = data.get("equivalent_units")
    if not isinstance(eq, list) or not eq or not all(
            isinstance(e, dict) and isinstance(e.get("written"), str) and e["written"].strip()
            and isinstance(e.get("table"), str) and e["table"].strip() and isinstance(e.get("except_words"), list)
            and all(isinstance(w, str) and w.strip() for w in e["except_words"]) for e in eq):
        raise MappingError(f"mappings/{MAPPING}: 'equivalent_units' must be a list of objects with written, table "
                           "(UCUM codes) and except_words (list of words)")
    cv = data.get("converted_units")
    if not isinstance(cv, list) or not cv or not all(
            isinstance(e, dict) and isinstance(e.get("written"), str) and e["written"].strip()
            and isinstance(e.get("table"), str) and e["table"].strip() and e["written"] != e["table"]
            and isinstance(e.get("factor"), (int, float)) and not isinstance(e.get("factor"), bool) and e["factor"] > 0
            and isinstance(e.get("offset", 0), (int, float))
            and isinstance(e.get("loinc", []), list) and all(isinstance(c, str) and c.strip() for c in e.get("loinc", []))
            and set(e) <= {"written", "table", "factor", "offset", "loinc"} for e in cv):
        raise MappingError(f"mappings/{MAPPING}: 'converted_units' must be a list of objects with written, table "
                           "(UCUM codes), factor (> 0) and optional offset and loinc (list of LOINC numbers)")
    eff = data.get("effective")
    need = ["prepositions", "anchors", "day_words", "relative_units", "relative_after", "month_names", "clock_suffixes"]
    if not isinstance(eff, dict) or not all(isinstance(eff.get(k), list) and eff.get(k) for k in need):
        raise MappingError(f"mappings/{MAPPING}: 'effective' needs lists {need}")
    vn = data.get("value_notations")
    if not isinstance(vn, list) or not vn or not all(isinstance(x, str) and x.strip() for x in vn):
        raise MappingError(f"mappings/{MAPPING}: 'value_notations' must be a non-empty list of regular expressions")
    for x in vn:
        try:
            if re.compile(x).groups:
                raise MappingError(f"mappings/{MAPPING}: 'value_notations' patterns may not have groups: {x!r}")
        except re.error as exc:
            raise MappingError(f"mappings/{MAPPING}: bad 'value_notations' pattern {x!r}") from exc
    sa = data.get("series_arrows")
    if not isinstance(sa, list) or not sa or not all(isinstance(x, str) and x.strip() and not x.strip()[0].isalnum() for x in sa):
        raise MappingError(f"mappings/{MAPPING}: 'series_arrows' must be a non-empty list of arrow signs")
    cn = data.get("change_names")
    if not isinstance(cn, dict) or set(cn) != {"H", "L"} or not all(isinstance(v, str) and v.strip() for v in cn.values()):
        raise MappingError(f"mappings/{MAPPING}: 'change_names' maps H and L to words")
    nw = data.get("number_words", {})
    if not isinstance(nw, dict) or not all(isinstance(v, (int, float)) for v in nw.values()):
        raise MappingError(f"mappings/{MAPPING}: 'number_words' maps words to numbers")
    return data


class _Rx:
    """Everything compiled once from the mapping file."""

    def __init__(self, data: dict):
        self.data = data
        I = re.IGNORECASE
        atoms = _alt(data["unit_atoms"], bound=False)
        nouns = _alt(data.get("count_nouns", ["cells"]), bound=False)
        atom = ("(?:" + atoms + r"(?:\^?-?\d|[²³¹⁻]+)?(?![A-Za-z])|" + nouns + r"(?![A-Za-z])(?=" + SP + r"*(?:/|per" + SP
                + r")))")
        mult = (r"(?:[x×X*∙·⋅]" + SP + r"*10(?:\^|\*\*?|E)?\(?(?:-?\d{1,2}|[" + SUPS + r"]+)\)?"
                r"|10(?:\^|\*\*?)\(?-?\d{1,2}\)?|10[" + SUPS + r"]+)")
        # a product of atoms joined by a middle dot: "dyne・sec・cm-5", "dyn·s·cm-5"
        atom = atom + r"(?:[·・⋅]" + atom + r")*"
        per = r"(?:" + SP + r"*/" + SP + r"*|" + SP + r"+per" + SP + r"+)"
        per_part = per + r"(?:\d+(?:[.,]\d+)?" + SP + r"*)?" + atom   # "mL/min/1.73 m2", "ml/min/1,73 m²"
        unit = (r"(?:(?:" + mult + SP + r"*)?(?:" + atom + r"(?:" + per_part + r")*|(?:" + per_part + r")+)"
                r"|" + mult + r"(?!" + SP + r"*\d))")
        self.unit_src = unit
        comp = _alt(data["comparators"])
        self.arrows = frozenset(data["series_arrows"])
        arrows = "|".join(re.escape(a) for a in sorted(self.arrows, key=len, reverse=True))
        self.arrow = re.compile(arrows)
        notations = "|".join("(?:" + x + ")" for x in data["value_notations"])
        self.notation = re.compile(notations, I)
        self.comparators = {norm_space(k).lower(): v for k, v in data["comparators"].items()}
        self.cmp_not_after = {norm_space(k).lower(): {w.lower() for w in v}
                              for k, v in data.get("comparators_not_after", {}).items() if not k.startswith("_")}
        quals = dict(data["qualitative"])
        self.qual_map = {norm_space(k).lower(): v for k, v in quals.items()}
        self.sign_map = {k: v for k, v in data["qualitative_signs"].items()}
        qual = _alt(quals)
        signs = "(?:" + "|".join(re.escape(s) for s in sorted(data["qualitative_signs"], key=len, reverse=True)) + ")"
        patterns = _alt(data["titre_patterns"])
        # a minus sign only where it cannot be a range dash or a hyphen: "base excess −5.2", "T-score: -3.4"
        # an en dash is a minus only right after an opening bracket: "hearing loss (–70 dB)"
        num = r"(?P<num>(?:(?:(?<=[\s(:=\[])|(?<=^))[−-](?=\d)|(?<=[(\[])–(?=\d))?" + LB + NUM + ")"
        self.value = re.compile(
            r"(?<![\w])(?:"
            # titre 1:640 (+ pattern words); a comma or full stop after it ends it ("1:40, respectively", "1:40.")
            r"(?P<titre>(?:" + comp + SP + r"*)?" + LB + r"(?:1" + SP + r"*[:/]" + SP + r"*\d{1,6}|\d{1,4}(?:\.\d+)?:1)"
            r"(?![\d/]|[.,]\d)(?:" + SP + r"*(?:,|(?P<topen>\()|with(?:" + SP + r"+an?)?)?" + SP + r"*"
            + patterns + r"(?:" + SP + r"+" + patterns + r")*(?(topen)\)))?)"
            # a score written in its own notation: "E2V2M4" (lab_values.json value_notations)
            r"|(?P<notation>" + notations + r")(?![\w])"
            # a semi-quantitative grade written as a word: "trace" (lab_values.json grade_words)
            r"|(?P<gradeword>" + _alt(data["grade_words"]) + r")(?![\w-])"
            # ratio 120/80 mmHg, 109/62 U/L
            r"|(?P<ratio>(?P<rcmp>" + comp + SP + r"*)?" + LB + NUM + r"(?:" + SP + r"*/" + SP + r"*" + NUM + r")+(?![\d/])"
            r"(?:" + SP + r"*(?P<runit>" + unit + r"))?)"
            # spaced thousands, only before a unit: 12 000 IU/mL
            r"|(?P<spaced>(?P<scmp>" + comp + SP + r"*)?" + LB + r"(?P<snum>" + NUM_SPACED + r")" + SP + r"*(?P<sunit>" + unit + r"))"
            # plain value (+ range) (+ unit)
            r"|(?P<plain>(?P<cmp>" + comp + SP + r"*)?(?P<btw>between" + SP + r"+)?" + num + r"(?:" + SP + r"*(?P<dash>" + arrows
            + r"|-|–|—|to|(?(btw)and|(?!x)x))" + SP + r"*(?P<num2>" + NUM
            + r"))?(?:" + SP + r"*(?P<unit>" + unit + r"))?)"
            # qualitative results
            r"|(?P<qual>" + qual + r"|" + signs + r"))",
            I)
        ref_words = _alt(data["reference_words"])
        self.ref_low_words = {norm_space(w).lower() for w in data.get("reference_low_words", [])}
        rng = (r"(?:(?P<rcmp>" + comp + r")" + SP + r"*(?P<ra>" + NUM + r")|(?P<lo>-?" + NUM + r")" + SP + r"*" + DASH + SP
               + r"*(?P<hi>-?" + NUM + r")|(?P<single>" + NUM + r"))")
        tail = r"(?:" + SP + r"*(?P<refunit>" + unit + r"))?"
        self.ref_paren = re.compile(
            SP + r"*(?P<open>[(\[])" + SP + r"*(?:(?P<w>" + ref_words + r")" + SP + r"*[:=,]?" + SP + r"*)?" + rng + tail
            + SP + r"*(?:[;,][^)\]]{0,40})?(?P<close>[)\]])", I)
        ref_words_bare = _alt([w for w in data["reference_words"] if len(w.replace(".", "")) > 2])
        self.ref_bare = re.compile(
            SP + r"*[,;]?" + SP + r"*(?P<w>" + ref_words_bare + r")" + SP + r"*[:=,]?" + SP + r"*" + rng + tail, I)
        self.ref_tail = re.compile(r"(?<![\w-])(?:" + ref_words + r")" + SP + r"*[:=,]?" + SP + r"*$", I)
        self.ref_table = re.compile(SP + r"*[|\t]+" + SP + r"*" + rng + tail, I)
        # interpretation words
        self.interp_map, words = word_table(data["interpretation"])
        self.interp = re.compile(_alt(words), I)
        fl = []
        self.flag_map = {}
        for code, lst in data.get("interp_flags", {}).items():
            for w in lst:
                self.flag_map[w.lower()] = code
                fl.append(re.escape(w))
        self.post_interp = re.compile(
            SP + r"*(?:(?P<open>\()" + SP + r"*|," + SP + r"*(?:(?:which|that)" + SP + r"+(?:was|were|is|are)" + SP + r"+)?)?"
            r"(?:" + _alt(data["modifiers"]) + SP + r"+)?"
            r"(?P<w>" + _alt(words) + (("|" + "|".join(sorted(fl, key=len, reverse=True))) if fl else "") + r")", I)
        mods = _alt(list(data["modifiers"]) + list(data["determiners"]))
        self.pre_interp = re.compile(
            r"(?P<w>" + _alt(words) + r")(?:" + SP + r"+" + mods + r")*" + SP + r"*$", I)
        self.pre_interp_paren = re.compile(
            r"(?P<w>" + _alt(words) + r")(?:" + SP + r"+[\w\-]+){1,3}" + SP + r"*[(\[]" + SP + r"*$", I)
        self.carry_sep = re.compile(r"[\s,;()\[\]]*(?:(?:and|&)" + SP + r"+)?$", I)
        self.qual_carry = re.compile(
            r"[\s,;(]*(?:" + _alt(data.get("qual_carry", ["including"])) + r")[\s:]*$", I)
        self.pre_qual = re.compile(
            r"(?P<w>" + qual + r")(?:" + SP + r"+(?P<prep>for|to|in))?(?:" + SP + r"+" + mods + r")*" + SP + r"*$", I)
        # "thickening was present in the lung bases": after these words 'in' names a place, not a test
        self.place_after = {norm_space(w).lower() for w in data["place_after_words"]}
        self.linker = re.compile(_alt(data["linkers"]) + r"|" + _alt(data["titre_words"]), I)
        self.skip_paren = re.compile(r"\((?![^()]*\d)[^()]{1,30}\)|\([A-Za-z][^()\s]{0,14}\)(?=" + SP + r"*[^\s\d(])")
        self.interp_follow = re.compile(
            SP + r"*(?:$|[.,;:)\]]|(?:" + _alt(data.get("interp_followers", ["and"])) + r"))", I)
        self.hand_off = re.compile(SP + r"+(?:for|to|in|against)" + SP + r"+(?:(?:the|a|an|serum|anti|antibodies|antibody)" + SP + r"+)*$", I)
        self.punct = re.compile(r"[:=,()\[\]~≈≃|\t\-–—]|" + SP + r"+")
        det = r"(?:(?:the|a|an|serum|plasma|blood|urine|urinary|total)" + SP + r"+)?"
        sep = r"(?:,?" + SP + r"*(?:and|or|&|as well as|plus)|,|/|;)"
        self.coord = re.compile(
            # "CD34 (+) and CK (−)": a bracketed sign is the first name's own result, no alias of it
            r"^" + SP + r"*(?:(?!" + signs + r")(?:\((?![^()]*\d)[^()]{1,30}\)|\([A-Za-z][^()\s]{0,14}\))" + SP + r"*)?[)\]]?" + SP + r"*"
            r"(?:" + sep + SP + r"*" + det + r"(?:(?:[\w\-]+(?:" + SP + r"+[\w\-]+)?" + SP + r"*)?[(\[])?|[(\[])?" + SP + r"*$", I)
        self.durations = set(data["duration_ucum"])
        self.count_nouns = sorted({norm_space(w).lower() for w in data.get("count_nouns", [])}, key=len, reverse=True)
        self.count_unit = re.compile(r"\s*" + _alt(data.get("count_nouns", [])) + SP + r"*(?:/|per(?!\w))" + SP + r"*", I)
        self.method_prep = re.compile(_alt(data["method_prepositions"]), I)
        self.method_abbrev = re.compile(SP + r"+[A-Z][A-Z0-9]{1,5}(?![\w(-])")
        self.alias_open = re.compile(r"^" + SP + r"*[(\[]" + SP + r"*$")
        self.alias_close = re.compile(SP + r"*[)\]]")
        self.alias_open_at = re.compile(SP + r"*[(\[]" + SP + r"*")
        self.list_sep = re.compile(SP + r"*(?:,?" + SP + r"*(?:and|&)|,|;)" + SP + r"*", I)
        self.respectively = re.compile(SP + r"*,?" + SP + r"*respectively", I)
        self.respectively_after = re.compile(SP + r"*[)\]]?" + SP + r"*,?" + SP + r"*respectively", I)
        # a name closing a list of names: "... and [high-sensitivity] troponin T"
        self.last_name = re.compile(r"(?<![\w-])(?:and|&)" + SP + r"+(?:[\w\-]+" + SP + r"+){0,2}$", I)
        self.bp_names = {norm_space(w).lower() for w in data["bp_names"]}
        self.bp_components = list(data["bp_components"])
        # "(Figs. 2, 3)", "Tables 1 and 2": the numbers listed after a figure's number are figures too
        item = r"\d+[A-Za-z]?"
        sep = r"(?:" + SP + r"*(?:,|&|[-–]|and)" + SP + r"*)"
        self.reference_list = re.compile(
            r"(?<![\w])(?:" + _alt(data["reference_list_prefixes"]) + r")\.?" + SP + r"*" + item
            + r"(?:" + sep + item + r")*" + sep + r"$", I)
        self.non_value_prefix = re.compile(r"(?:" + _alt(data["non_value_prefixes"]) + r")" + SP + r"*[#.:]?" + SP + r"*$", I)
        # effective time
        eff = data["effective"]
        months = _alt(eff["month_names"])
        nwords = _alt(list(data.get("number_words", {}))) if data.get("number_words") else r"(?!x)x"
        cnt = r"(?:\d+(?:\.\d+)?|" + nwords + r"|a|an|several|few|a few)"
        prep = _alt(eff["prepositions"])
        year = r"(?:19|20)\d{2}(?!\d)"
        date = (r"(?:" + months + r"\.?" + SP + r"+(?:\d{1,2}(?:st|nd|rd|th)?,?" + SP + r"+)?" + year
                + r"|\d{1,2}(?:st|nd|rd|th)?" + SP + r"+" + months + r"\.?,?" + SP + r"+" + year
                + r"|" + year + r"-\d{2}-\d{2}|\d{1,2}/\d{1,2}/" + year + r")")
        units = _alt(eff["relative_units"])
        anchors = _alt(eff["anchors"])
        postop = _alt([a for a in eff["anchors"] if a.lower().startswith(("postop", "postpartum"))])
        alts = [
            prep + SP + r"+(?:the" + SP + r"+)?(?:" + _alt(eff["day_words"]) + r")" + SP + r"*#?\d+(?:" + SP
            + r"+(?:of|after|post)" + SP + r"+\w+)?",
            prep + SP + r"+(?:" + anchors + r")",
            r"(?:" + prep + SP + r"+)?" + date,
            r"(?:in|during)" + SP + r"+" + year,
            # "at 5 minutes", "at 1 and 5 minutes", "at 1, 5 and 10 min": times listed before one unit
            prep + SP + r"+" + cnt + r"(?:(?:" + SP + r"*," + SP + r"*(?:and" + SP + r"+)?|" + SP + r"+and" + SP + r"+)" + cnt
            + r")*" + SP + r"*-?" + units + r"(?:(?:" + SP + r"+|-)(?:" + _alt(eff.get("relative_suffix", ["later"])) + r"))?",
            prep + SP + r"+(?:" + _alt(eff.get("age_words", ["age"])) + r")" + SP + r"+\d+(?:\.\d+)?(?:" + SP + r"*-?" + units + r"(?:" + SP + r"+old)?)?",
            cnt + SP + r"*-?" + units + SP + r"+" + _alt(eff["relative_after"]) + r"(?:" + SP + r"+(?:the" + SP + r"+)?"
            + anchors + r")?",
            r"(?<!\w)" + postop,
            # "at 8 am", "8:30 p.m.", "at 23:00 h": a clock time; an hour alone only before am/pm ("8 h" may be a duration)
            r"(?:" + prep + SP + r"+)?(?:(?:[01]?\d|2[0-3])" + SP + r"*(?:" + _alt([w for w in eff["clock_suffixes"] if "m" in w.lower()], bound=False)
            + r")|(?:[01]?\d|2[0-3]):[0-5]\d" + SP + r"*(?:" + _alt(eff["clock_suffixes"], bound=False) + r"))(?!\w)",
        ]
        self.effective = re.compile(r"(?<![\w])(?:" + "|".join(alts) + ")", I)
        self.num_in = re.compile(NUM)
        self.pre_interp_exclude = {norm_space(w).lower() for w in data.get("pre_interp_exclude", [])}
        months = eff["month_names"]
        self.trend_from = re.compile(r"(?<![\w-])(?:" + _alt(data["trend_from_verbs"]) + r")" + SP + r"+(?:[\w-]+"
                                     + SP + r"+){0,2}?from" + SP + r"+$", I)
        # a name a number is part of ("CA 125", "CD 20", "cytokeratin 7"): a lower-case prefix in any case,
        # an upper-case one ("CA", "CD") only as written
        prefixes = sorted(data["name_number_prefixes"], key=len, reverse=True)
        self.name_number_words = frozenset(prefixes)
        self.name_number = re.compile(
            r"(?<![\w])(?:" + "|".join("(?i:" + re.escape(w) + ")" if w.islower() else re.escape(w) for w in prefixes)
            + r")(?:" + SP + r"*\))?" + SP + r"*[-‐]?" + SP + r"*$") if prefixes else None
        self.name_number_reach = max((len(w) for w in prefixes), default=0) + 6
        self.year_prev = re.compile(r"(?:" + _alt(list(data.get("year_prefixes", ["in"])) + list(months)) + r")[.,]?" + SP + r"*$", I)
        self.name_digits = re.compile(r"\d{1,4}(?:-\d{1,2})?(?![\d.,/:%])(?=" + SP + r"*[(\[])")
        self.paren_abbrev = re.compile(r"[A-Za-z][A-Za-z0-9\-]{0,7}(?=" + SP + r"*[:=]?" + SP + r"*\d)")
        self.ucum = {k: v for k, v in data["ucum"].items() if not k.startswith("_")}
        self.ucum_atoms = {k: v for k, v in data.get("ucum_atoms", {}).items() if not k.startswith("_")}
        self.unit_full = re.compile(r"^(?:" + unit + r")$", I)
        self.unit_column = re.compile(r"[ \t]*[|\t][ \t]*(?P<u>" + unit + r")(?=[ \t]*(?:[|\t]|$|\n))", I | re.M)


@lru_cache(maxsize=1)
def lab_rules() -> dict:
    """mappings/lab_values.json, checked: what other readers take from it (unit atoms, signs) comes from here."""
    return _check(load_json(MAPPING))


@lru_cache(maxsize=1)
def _rx() -> _Rx:
    return _Rx(lab_rules())


# ----------------------------------------------------------------------------------------------
# value expressions

def _cmp(rx: _Rx, s: str | None) -> str | None:
    if not s:
        return None
    return rx.comparators.get(norm_space(s).lower())


def _cmp_at(rx: _Rx, text: str, m: re.Match, group: str) -> str | None:
    """The comparator written in ``group``, unless the word before it makes it a verb's particle ("went up to
    3.2 mg/dL": the value rose to 3.2, it is no upper limit; lab_values.json comparators_not_after)."""
    c = m.group(group)
    words = rx.cmp_not_after.get(norm_space(c).lower()) if c else None
    if words:
        prev = re.search(r"([A-Za-z]+)\W*$", text[max(0, m.start(group) - 30):m.start(group)])
        if prev and prev.group(1).lower() in words:
            return None
    return _cmp(rx, c)


def _blank(start: int, end: int) -> LabValue:
    return LabValue(start, end, None, None, None, None, None, None, None, None, None, None, None, None)


def _make(rx: _Rx, text: str, m: re.Match) -> LabValue | None:
    s, e = m.start(), m.end()
    lv = _blank(s, e)
    if m.group("titre"):
        lv.value_string = norm_space(m.group("titre"))
        return lv
    if m.group("gradeword"):
        lv.value_string = norm_space(m.group("gradeword")).lower()
        return lv
    if m.group("notation"):
        lv.value_string = norm_space(m.group("notation"))
        return lv
    if m.group("ratio"):
        body = m.group("ratio")
        c = m.group("rcmp")
        unit = m.group("runit")
        nums_part = body[len(c) if c else 0:]
        if unit:
            nums_part = nums_part[: nums_part.rfind(unit)] if unit in nums_part else nums_part
        nums = [x for x in re.split(SP + r"*/" + SP + r"*", norm_space(nums_part).strip()) if x]
        lv.value_string = norm_space(body)
        lv.unit = norm_space(unit) if unit else None
        lv.comparator = _cmp(rx, c)
        comps = []
        pos = s + (len(c) if c else 0)
        for n in nums:
            i = text.find(n, pos, e)
            if i < 0:
                i = pos
            cv = _blank(i, i + len(n))
            cv.value = parse_number(n)
            cv.value_text = n
            cv.unit = lv.unit
            comps.append(cv)
            pos = i + len(n)
        lv.components = comps
        return lv
    if m.group("spaced"):
        lv.value_text = m.group("snum")
        lv.value = parse_number(lv.value_text)
        lv.unit = norm_space(m.group("sunit"))
        lv.comparator = _cmp_at(rx, text, m, "scmp")
        return lv
    if m.group("plain"):
        n = m.group("num")
        if m.group("num2"):
            # a range as the value ("400 to 500 mg/dL"): no single number; keep it as written
            lv.value_string = norm_space(m.group("plain"))
            lv.unit = norm_space(m.group("unit")) if m.group("unit") else None
            return lv
        if not m.group("unit") and not m.group("cmp") and _PLUS_GRADE.match(text, e):
            # "proteinuria score of 2+", "urine protein 3+": a semi-quantitative grade, not the number 2 or 3
            lv.end = e + 1
            lv.value_string = n + "+"
            return lv
        lv.value_text = n
        lv.value = parse_number(n)
        lv.unit = norm_space(m.group("unit")) if m.group("unit") else None
        lv.comparator = _cmp_at(rx, text, m, "cmp")
        return lv
    if m.group("qual"):
        w = m.group("qual")
        q = rx.sign_map.get(w) or rx.qual_map.get(norm_space(w).lower())
        if not q:
            return None
        lv.qualitative = q
        lv.interpretation = "POS" if q == "positive" else "NEG"
        lv.interp_span = (s, e)
        return lv
    return None


_PLUS_GRADE = re.compile(r"\+(?![\w/+.,]\w|[\w/+])")


def effective_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Time expressions ("on day 3", "at admission", "2 weeks later", "in March 2015") in a window."""
    return list(_scan(text, start, end)[0])


def _overlaps(a: tuple[int, int], spans) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


_MEMO = threading.local()


def _scan(text: str, start: int, end: int) -> tuple[tuple, tuple]:
    """(time expressions, value matches that are no time, size, year or citation) of a window,
    remembered for the text being converted: the lab and the results readers both read each sentence."""
    memo = getattr(_MEMO, "d", None)
    if memo is None or memo[0] is not text:
        memo = _MEMO.d = (text, {})
    key = (start, end)
    hit = memo[1].get(key)
    if hit is None:
        rx = _rx()
        eff = tuple((m.start(), m.end()) for m in rx.effective.finditer(text, start, end))
        hit = memo[1][key] = (eff, tuple(_value_matches(rx, text, start, end, eff)))
    return hit


def lowered(text: str) -> str | None:
    """``text.lower()`` when it keeps every offset (one character for one; not so for "İ"), else None;
    made once for the text being converted (dropped with the scans)."""
    m = getattr(_MEMO, "low", None)
    if m is None or m[0] is not text:
        low = text.lower()
        m = _MEMO.low = (text, low if len(low) == len(text) else None)
    return m[1]


def forget_scans() -> None:
    """Drop this thread's remembered scans and lower-cased text (called when a document is done)."""
    _MEMO.d = None
    _MEMO.low = None


def _value_matches(rx: _Rx, text: str, start: int, end: int, eff) -> Iterator[re.Match]:
    for m in rx.value.finditer(text, start, end):
        if m.start() == m.end():
            continue
        if _overlaps((m.start(), m.end()), eff):
            continue
        if not m.group("qual"):
            # numbers after "Figure", "grade", "day", "CD", "IL-" ... are not values
            if rx.non_value_prefix.search(text, max(start, m.start() - 25), m.start()):
                continue
            # "28-year-old", "3-day" are not values
            if _AGE_UNIT.match(text, m.end(), m.end() + 6):
                continue
            if m.group("plain") and not m.group("unit"):
                nxt = text[m.end():m.end() + 8]
                if m.start() > 0 and text[m.start() - 1] == "[" and nxt[:1] == "]":
                    continue      # a citation "[9]"
                if rx.name_number is not None and rx.name_number.search(text, max(start, m.start() - rx.name_number_reach), m.start()):
                    continue      # "CA 125", "(CA) 125", "CD 20": part of a name
                if rx.reference_list.search(text, max(start, m.start() - 40), m.start()):
                    continue      # "(Figs. 2, 3)": the second figure
                again = _RESTATED.search(text, max(start, m.start() - 30), m.start())
                if again and again.group("n") == m.group("num"):
                    continue      # "Nutrition Risk Screening 2002 (NRS 2002)": the number is part of the name
                if _YEAR.fullmatch(m.group("num") or "") and not m.group("cmp") and (
                        rx.year_prev.search(text, max(start, m.start() - 15), m.start()) or _CAPITAL_NEXT.match(nxt)):
                    continue      # a year
                # "1-cm lesion", "4q35", "11 × 7 mm", "3 times a day": sizes, loci and counts, not values
                if _SIZE_LOCUS_COUNT.match(nxt):
                    continue
        yield m


_RESTATED = re.compile(r"(?<![\d.,])(?P<n>\d+)" + SP + r"*\(" + SP + r"*[A-Z][A-Za-z\-]*" + SP + r"*$")
_AGE_UNIT = re.compile(r"-(?:year|month|week|day|hour)", re.I)
_YEAR = re.compile(r"(?:19|20)\d{2}")
_CAPITAL_NEXT = re.compile(SP + r"+[A-Z]")
_SIZE_LOCUS_COUNT = re.compile(r"(?:-?[A-Za-z]|" + SP + r"*[x×]" + SP + r"*\d|" + SP + r"+times?(?![\w]))")


def name_number_prefix(word: str) -> bool:
    """A word a number written after it is part of a name with ("CD" 20, "cytokeratin" 7; name_number_prefixes)."""
    ws = _rx().name_number_words
    return word in ws or word.lower() in ws


def _raw_values(text: str, start: int, end: int) -> list[LabValue]:
    rx = _rx()
    out = []
    for m in _scan(text, start, end)[1]:
        if m.group("plain") and m.group("num2") and (m.group("dash") in rx.arrows or m.group("dash") == "to" and not m.group("btw")
                                                     and rx.trend_from.search(text, max(start, m.start() - 60), m.start())):
            out.extend(_series_of_two(m))  # "decreased from 14.5 to 8.3": two values, not a range
            continue
        lv = _make(rx, text, m)
        if lv is not None:
            if lv.value is not None and lv.unit is None:
                # a table row with the unit in its own column: "Hemoglobin | 8.2 | g/dL | 12-16"
                col = rx.unit_column.match(text, lv.end, end)
                if col:
                    lv.unit = norm_space(col.group("u"))
                    lv.end = col.end("u")
            out.append(lv)
    return out


def _series_of_two(m: re.Match) -> list[LabValue]:
    """"fell from 952 to 310 U/L": the first and the second value, each with the unit written after the second."""
    unit = norm_space(m.group("unit")) if m.group("unit") else None
    out = []
    for g in ("num", "num2"):
        lv = _blank(m.start(g), m.end(g) if g == "num" or not unit else m.end("unit"))
        lv.value_text = m.group(g)
        lv.value = parse_number(lv.value_text)
        lv.unit = unit
        out.append(lv)
    out[0].comparator = _cmp(_rx(), m.group("cmp"))
    return out


def _attach_ref(rx: _Rx, text: str, lv: LabValue, limit: int) -> int:
    """Read a reference range right after the value; returns the new end of what was consumed."""
    pos = lv.end
    for pat in (rx.ref_paren, rx.ref_bare, rx.ref_table):
        m = pat.match(text, pos, limit)
        if not m:
            continue
        has_words = "w" in m.groupdict() and m.group("w")
        if not has_words and not (m.group("lo") or m.group("rcmp")):
            continue           # "(7.8%)" is a second value, not a range
        words = norm_space(m.group("w")).lower() if has_words else ""
        if m.group("lo"):
            lv.ref_low = parse_number(m.group("lo").lstrip("-")) * (-1 if m.group("lo").startswith("-") else 1)
            lv.ref_high = parse_number(m.group("hi").lstrip("-")) * (-1 if m.group("hi").startswith("-") else 1)
        elif m.group("rcmp"):
            c = _cmp(rx, m.group("rcmp"))
            v = parse_number(m.group("ra"))
            if c in ("<", "<="):
                lv.ref_high = v
            else:
                lv.ref_low = v
        elif m.group("single"):
            v = parse_number(m.group("single"))
            if words in rx.ref_low_words:
                lv.ref_low = v
            else:
                lv.ref_high = v
        s = m.start()
        while s < m.end() and (text[s].isspace() or text[s] in ",;|\t"):
            s += 1
        e = m.end()
        ref = text[s:e]
        if ref[:1] in "([" and ref[-1:] in ")]":
            ref = ref[1:-1]
        lv.ref_text = norm_space(ref)
        lv.ref_span = (s, e)
        if lv.unit is None and lv.value is not None and lv.qualitative is None and m.group("refunit"):
            lv.unit = norm_space(m.group("refunit"))  # "1,763 (normal range: 598–1,329 mg/dL)": the range's unit
        return m.end()
    return pos


def _ref_from(rx: _Rx, text: str, lv: LabValue, m: re.Match) -> None:
    """A reference range read elsewhere (before the value)."""
    if m.group("lo"):
        lv.ref_low, lv.ref_high = parse_number(m.group("lo").lstrip("-")), parse_number(m.group("hi").lstrip("-"))
    elif m.group("rcmp"):
        c, v = _cmp(rx, m.group("rcmp")), parse_number(m.group("ra"))
        if c in ("<", "<="):
            lv.ref_high = v
        else:
            lv.ref_low = v
    else:
        return
    s, e = m.start("open"), m.end()
    lv.ref_text = norm_space(text[s + 1:e - 1])
    lv.ref_span = (s, e)


def _post_interp(rx: _Rx, text: str, lv: LabValue, pos: int, limit: int) -> int:
    m = rx.post_interp.match(text, pos, limit)
    if not m:
        return pos
    w = m.group("w")
    code = rx.flag_map.get(w.lower()) or rx.interp_map.get(norm_space(w).lower())
    if not code:
        return pos
    if m.group("open"):
        close = text.find(")", m.end(), min(limit, m.end() + 3))
        if close < 0:
            return pos
        end = close + 1
    elif not rx.interp_follow.match(text, m.end(), limit) and limit > m.end():
        # "ejection fraction of 60%, elevated right-ventricular systolic pressure": the word begins the next
        # item of the list and is said of what follows it
        return pos
    else:
        end = m.end()
    if lv.interpretation not in ("H", "L", "N") or lv.qualitative:
        lv.interpretation = code
        lv.interp_span = (m.start("w"), m.end("w"))
    return end


_RANGE_VALUE = re.compile(r"(?:between" + SP + r"+)?(" + NUM + r")" + SP + r"*(?:-|–|—|to|and)" + SP + r"*(" + NUM + r")")


def _compare(lv: LabValue) -> None:
    if lv.interpretation:
        return
    if lv.value is None and lv.value_string and not lv.components and (lv.ref_low is not None or lv.ref_high is not None):
        # a range as the value ("244–538 mg/l (reference interval <20 mg/l)"): high when all of it is above
        m = _RANGE_VALUE.match(lv.value_string)
        if m:
            lo, hi = parse_number(m.group(1)), parse_number(m.group(2))
            if lv.ref_high is not None and lo > lv.ref_high:
                lv.interpretation = "H"
            elif lv.ref_low is not None and hi < lv.ref_low:
                lv.interpretation = "L"
            elif (lv.ref_low is None or lo >= lv.ref_low) and (lv.ref_high is None or hi <= lv.ref_high):
                lv.interpretation = "N"
        return
    if lv.value is None:
        return
    if lv.ref_low is None and lv.ref_high is None:
        return
    v, c = lv.value, lv.comparator
    if lv.ref_high is not None and v > lv.ref_high and c not in ("<", "<="):
        lv.interpretation = "H"
    elif lv.ref_low is not None and v < lv.ref_low and c not in (">", ">="):
        lv.interpretation = "L"
    elif c is None or (c in ("<", "<=") and lv.ref_high is not None) or (c in (">", ">=") and lv.ref_low is not None):
        if (lv.ref_high is None or v <= lv.ref_high) and (lv.ref_low is None or v >= lv.ref_low):
            lv.interpretation = "N"


def find_values(text: str, start: int, end: int) -> list[LabValue]:
    """All value expressions in text[start:end], each with the reference range and interpretation
    written right after it ("952 U/L (normal < 170)" -> ref_high 170, H)."""
    return _find_values(text, start, end)


def _find_values(text: str, start: int, end: int) -> list[LabValue]:
    rx = _rx()
    vals = _raw_values(text, start, end)
    for i, lv in enumerate(vals):
        if lv.qualitative is None:
            p = _attach_ref(rx, text, lv, end)
            _post_interp(rx, text, lv, p, end)
            _compare(lv)
    # values swallowed by a reference range are not values
    spans = [lv.ref_span for lv in vals if lv.ref_span]
    return [lv for lv in vals if not any(s <= lv.start and lv.end <= e for s, e in spans)]


# ----------------------------------------------------------------------------------------------
# attaching values to mentions

def _copy(lv: LabValue) -> LabValue:
    out = LabValue(**{k: getattr(lv, k) for k in lv.__dataclass_fields__})
    if lv.components:
        out.components = [_copy(c) for c in lv.components]
    return out


def _is_bp(text: str, mention: tuple[int, int, str]) -> bool:
    name = norm_space(text[mention[0]:mention[1]]).lower()
    rx = _rx()
    return name in rx.bp_names or any(name.endswith(" " + b) or name.startswith(b + " ") for b in rx.bp_names)


class _Gap:
    """Walks the words between a mention and its value: linkers, punctuation, abbreviations in
    parentheses, interpretation words and time expressions may stand there; anything else stops."""

    def __init__(self, text: str, limit: int, vals_at: dict[int, int], eff: list[tuple[int, int]]):
        self.text, self.limit, self.vals_at, self.eff = text, limit, vals_at, eff
        self.eff_at = {s: e for s, e in eff}
        self.ref = None

    def walk(self, pos: int, max_len: int = 90):
        """Returns (index of value found or None, pos, interp (code, span) or None, effective span or None, words)."""
        rx = _rx()
        text, limit = self.text, self.limit
        interp = None
        effective = None
        words = 0
        start = pos
        while pos < limit and pos - start <= max_len:
            if pos in self.vals_at:
                if interp and rx.trend_from.match(text, interp[1][0], pos):
                    # "decreased from 115 mmol/l to 40": the word tells the change that starts at this value (it
                    # stays evidence), not whether this value is high or low
                    interp = (None, interp[1])
                return self.vals_at[pos], pos, interp, effective, words
            if words == 0 and pos > start:
                m = rx.name_digits.match(text, pos, limit)
                if m and text[pos - 1].isspace():
                    pos = m.end()      # "carbohydrate antigen (CA) 125 (219 U/mL)": the number is the name's
                    continue
            if pos in self.eff_at:
                effective = (pos, self.eff_at[pos])
                pos = self.eff_at[pos]
                words += 1
                continue
            if text[pos] in "([":
                r = rx.ref_paren.match(text, pos, limit)
                if r and r.group("w"):
                    # "LCI (normal < 8) was 14.5": a range written before the value
                    self.ref = r
                    pos = r.end()
                    continue
            m = rx.arrow.match(text, pos, limit)
            if m:
                pos = m.end()   # "CRP 120 mg/L → 45 mg/L": the next value of the series, as after 'to'
                words += 1
                continue
            m = rx.punct.match(text, pos, limit)
            if m and m.end() > pos:
                if text[pos] == "(":
                    m2 = rx.skip_paren.match(text, pos, limit)
                    if m2 and not rx.value.match(text, pos + 1, limit):
                        pos = m2.end()
                        continue
                pos = m.end()
                continue
            if pos > 0 and text[pos - 1] == "(":
                m = rx.paren_abbrev.match(text, pos, limit)
                if m and any(c.isupper() for c in m.group(0)):
                    pos = m.end()       # "low hemoglobin (Hg 4.7 g/dl)"
                    continue
            m = rx.interp.match(text, pos, limit)
            if m:
                code = rx.interp_map.get(norm_space(m.group(0)).lower())
                if code:
                    interp = (code, (m.start(), m.end()))
                pos = m.end()
                words += 1
                continue
            m = rx.linker.match(text, pos, limit)
            if m and m.end() > pos:
                pos = m.end()
                words += 1
                m = rx.method_abbrev.match(text, pos, limit) if rx.method_prep.fullmatch(m.group(0)) else None
                if m:
                    pos = m.end()   # "the ejection fraction (EF) on MPI was 17 to 20 percent": how it was measured
                continue
            break
        return None, pos, interp, effective, words


def _reaches_next(rx: _Rx, text: str, span: tuple[int, int], nxt: int) -> bool:
    """True when an interpretation word qualifies the next name ("tests revealed elevated levels of CRP")."""
    m = rx.pre_interp.search(text, span[0], nxt)
    return bool(m) and m.start("w") == span[0]


def _pre_value(vals, vals_at, used, text, lo: int, name_start: int, of: bool = False) -> int | None:
    """A value written right before the name ("94% lymphocytes", "16,400/mm3 neutrophils"); with ``of``, also
    one in a unit of measure (no amount, size or time) joined to it by 'of' ("74 mmHg of mean pulmonary arterial
    pressure")."""
    for k in range(len(vals) - 1, -1, -1):
        v = vals[k]
        if v.end > name_start:
            continue
        if v.start < lo or k in used or v.qualitative or v.value is None:
            return None
        between = text[v.end:name_start]
        if between.strip(" \u2009\u200a\u2005\u00a0") == "" and (v.unit or "").strip() or (
                not between.strip() and v.value_text and v.value_text.isdigit()):
            return k
        if of and v.unit and _OF_BETWEEN.fullmatch(between) and ucum_code(v.unit) != "%":  # "81% of the white cells"
            from .results import measure_unit  # results reads values: imported here, not at the top

            if measure_unit(v.unit):
                return k
        return None
    return None


_OF_BETWEEN = re.compile(SP + r"+of" + SP + r"+(?:the" + SP + r"+)?", re.I)


def _restated(rx: _Rx, text: str, vals: list[LabValue], vals_at: dict[int, int], k: int, limit: int,
               restated: dict[int, int]) -> int:
    """Where list value k ends: past its reference range and past the same result restated in other units
    in brackets right after it ("6.84 mg/dL (116.96 μmol/L) and 9.18 mg/dL ..."), recorded in ``restated``."""
    v = vals[k]
    p = max(v.end, v.ref_span[1] if v.ref_span else v.end)
    m = rx.alias_open_at.match(text, p, limit)
    if v.value is not None and v.unit and m and m.end() in vals_at:
        j = vals_at[m.end()]
        r = vals[j]
        close = rx.alias_close.match(text, max(r.end, r.ref_span[1] if r.ref_span else r.end), limit)
        if r.value is not None and r.unit and norm_space(r.unit).lower() != norm_space(v.unit).lower() and close:
            restated[k] = j
            return close.end()
    return p


def _other_cells(rx: _Rx, text: str, mention: tuple[int, int, str], v: LabValue) -> bool:
    """A name that is cells ("lymphocytes") and a value whose unit counts other cells ("red blood cells/µL")."""
    if not v.unit:
        return False
    name = norm_space(text[mention[0]:mention[1]]).lower()
    unit = norm_space(v.unit).lower()
    nouns = [n for n in rx.count_nouns if re.search(r"(?<![\w-])" + re.escape(n) + r"(?![\w-])", unit)]
    return bool(nouns) and any(name.endswith(n) for n in rx.count_nouns) and not any(name.endswith(n) for n in nouns)


def _last_item(text: str, lst: list[LabValue]) -> list[LabValue]:
    """The last item of a list of values, with its restatement in brackets ("9.18 mg/dL (156.98 μmol/L)")."""
    k = len(lst) - 1
    while k > 0 and text[lst[k - 1].end:lst[k].start].strip(" \u2009\u200a\u2005\u00a0") in ("(", "["):
        k -= 1
    return lst[k:]


def attach_values(text: str, sent_start: int, sent_end: int, mentions: list[tuple[int, int, str]],
                  denied: Callable[[int], bool] | None = None) -> dict[int, list[LabValue]]:
    """mentions: (start, end, concept_id) of lab/vital names found in text[sent_start:sent_end], in order.
    Returns {index into mentions: [LabValue, ...]} for the mentions that have a value in this sentence.
    ``denied(at)``: whether the change word written before a name at character ``at`` is denied ("no increase in
    the serum creatinine": no high result); the caller holds the sentence's tokens (results.denied_change)."""
    rx = _rx()
    if not mentions:
        return {}
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i][0], mentions[i][1]))
    eff = effective_spans(text, sent_start, sent_end)
    vals = _find_values(text, sent_start, sent_end)
    # values inside a mention ("HbA1c", "anti-Jo1", "CD4") are part of the name
    ms = [(mentions[i][0], mentions[i][1]) for i in order]
    vals = [v for v in vals if not _overlaps((v.start, v.end), ms)]
    vals_at = {v.start: k for k, v in enumerate(vals)}
    used: set[int] = set()
    out: dict[int, list[LabValue]] = {}

    # 1. groups: coordinated mentions ("AST/ALT", "CRP, ESR and ferritin"); aliases "(CK)" fold in
    groups: list[list[int]] = []
    ends: dict[int, int] = {}
    k = 0
    while k < len(order):
        i = order[k]
        g = [i]
        end = mentions[i][1]
        k += 1
        while k < len(order):
            j = order[k]
            between = text[end:mentions[j][0]]
            if rx.alias_open.match(between):
                # "(CK AE1/AE3)": the short form may be two names side by side
                last = k
                while last + 1 < len(order) and not text[mentions[order[last]][1]:mentions[order[last + 1]][0]].strip() \
                        and mentions[order[last + 1]][0] >= mentions[order[last]][1]:
                    last += 1
                close = rx.alias_close.match(text, mentions[order[last]][1], sent_end)
                if close:
                    end = close.end()
                    k = last + 1
                    continue
            if not between.strip() and mentions[j][0] >= end:
                # "cortisol responses", "systolic pulmonary artery pressure", "..., cytokeratin AE1/AE3": one name,
                # not two items of a list; the last is the test
                g[-1] = j
                end = mentions[j][1]
                k += 1
                continue
            if rx.coord.match(between) and mentions[j][0] >= end and between.strip():
                if re.search(r"[(\[]" + SP + r"*$", between):
                    # "markers (HMB45 and Melan A)": a label and its list, only when the list goes on
                    if k + 1 >= len(order) or not rx.coord.match(text[mentions[j][1]:mentions[order[k + 1]][0]]):
                        break
                g.append(j)
                end = mentions[j][1]
                k += 1
                continue
            break
        groups.append(g)
        ends[len(groups) - 1] = end

    prev_end = sent_start
    carry_interp = None     # (code, span) of "increased" in "increased CK (952 U/L), myoglobin (595 ng/mL) ..."
    carry_qual = None       # the result of "ANA were positive, with specificity for anti-SSA52"
    for gi, g in enumerate(groups):
        g_start = mentions[g[0]][0]
        g_end = ends[gi]
        nxt = mentions[groups[gi + 1][0]][0] if gi + 1 < len(groups) else sent_end
        gap = _Gap(text, nxt, vals_at, eff)
        found, pos, interp, eff_span, _ = gap.walk(g_end)
        # words before the name: "elevated ESR", "positive for ANA"
        lo = max(prev_end, g_start - 80)
        before = text[lo:g_start]
        pre_i = rx.pre_interp.search(before)
        pre_interp = None
        if pre_i and norm_space(pre_i.group("w")).lower() in rx.pre_interp_exclude:
            pre_i = None      # "upper and lower gastrointestinal endoscopy"
        if pre_i is None:
            # "mildly elevated liver enzymes (aspartate transaminase 109 U/L; ...)"
            pre_i = rx.pre_interp_paren.search(before)
            if pre_i and norm_space(pre_i.group("w")).lower() in rx.pre_interp_exclude:
                pre_i = None
        own_before = text[prev_end:g_start]
        if pre_i is None and carry_interp and rx.carry_sep.fullmatch(own_before):
            pre_i_carry = carry_interp
        else:
            pre_i_carry = None
        if pre_i:
            code = rx.interp_map.get(norm_space(pre_i.group("w")).lower())
            if code in ("H", "L") and denied is not None and denied(lo + pre_i.start("w")):
                code = None  # "no increase in the serum creatinine": no high result
            if code:
                pre_interp = (code, (lo + pre_i.start("w"), lo + pre_i.end("w")))
        elif pre_i_carry:
            pre_interp = pre_i_carry
        pre_q = rx.pre_qual.search(before)
        assigned: dict[int, list[LabValue]] = {}
        consumed = g_end
        if found is not None and nxt < sent_end and not text[vals[found].end:nxt].strip() and (
                _pre_value(vals, vals_at, used, text, prev_end, g_start) is not None
                or re.search(r"[A-Za-z]{3,}", text[g_end:vals[found].start])):
            # "with 2% neutrophils, 94% lymphocytes", "CSF showed 30 leukocytes": the value is the next name's
            found = None
        if found is not None and _other_cells(rx, text, mentions[g[-1]], vals[found]):
            found = None  # "50% lymphocytes, 6 red blood cells/µL": the count of other cells than the name's
        if found is not None and vals[found].qualitative and gi + 1 < len(groups) \
                and rx.hand_off.match(text, vals[found].end, nxt):
            # "immunohistochemistry was positive for CD56": the result belongs to the names after it
            found = None
        if found is not None and found not in used:
            lv0 = vals[found]
            if lv0.qualitative and len(g) > 1:
                for mi in g:
                    c = _copy(lv0)
                    assigned[mi] = [c]
                used.add(found)
                consumed = lv0.end
            elif len(g) > 1:
                seq = [found]
                if lv0.components and len(lv0.components) == len(g) and not _is_bp(text, mentions[g[-1]]):
                    # "AST/ALT 109/62 U/L"
                    for mi, comp in zip(g, lv0.components):
                        c = _copy(comp)
                        c.unit = lv0.unit
                        assigned[mi] = [c]
                    used.add(found)
                    consumed = lv0.end
                else:
                    # "AST and ALT were 109 and 62 U/L, respectively"
                    restated: dict[int, int] = {}
                    p = _restated(rx, text, vals, vals_at, found, nxt, restated)
                    while len(seq) < len(g):
                        m = rx.list_sep.match(text, p, nxt)
                        if not m or m.end() not in vals_at:
                            break
                        seq.append(vals_at[m.end()])
                        p = _restated(rx, text, vals, vals_at, seq[-1], nxt, restated)
                    more = rx.list_sep.match(text, p, nxt) if len(seq) == len(g) else None
                    if more and more.end() in vals_at and more.end() not in used:
                        # more values than names ("pH, PaCO2 ... were 7.50, 34 mmHg, 67 mmHg, 26.5 mmol/L and
                        # 95%" when 'pH' was not read): which is whose cannot be told, so none is taken
                        seq = []
                        consumed = p
                    elif len(seq) == len(g):
                        units = [vals[s].unit for s in seq]
                        shared = units[-1] if units[-1] and not any(units[:-1]) else None
                        for mi, s in zip(g, seq):
                            c = _copy(vals[s])
                            if shared and not c.unit:
                                c.unit = shared
                            assigned[mi] = [c]
                            used.add(s)
                            if s in restated:  # "6.84 mg/dL (116.96 μmol/L)": the same result again
                                assigned[mi].append(_copy(vals[restated[s]]))
                                used.add(restated[s])
                        consumed = p
                        r = rx.respectively.match(text, consumed, nxt)
                        if r:
                            consumed = r.end()
                    elif len(seq) == 1:
                        # one value after a list: it belongs to the last name only
                        assigned[g[-1]] = [_copy(lv0)]
                        used.add(found)
                        consumed = lv0.end
            else:
                mi = g[0]
                lst = [_copy(lv0)]
                if lv0.components and len(lv0.components) == 2 and (
                        _is_bp(text, mentions[mi]) or (lv0.unit or "").replace(" ", "").lower() == "mmhg"):
                    lst[0].component_names = list(rx.bp_components)
                used.add(found)
                consumed = max(lv0.end, lv0.ref_span[1] if lv0.ref_span else lv0.end)
                if interp and not lst[0].qualitative and lst[0].interp_span is None:
                    lst[0].interpretation, lst[0].interp_span = interp
                if gap.ref is not None and lst[0].ref_text is None:
                    _ref_from(rx, text, lst[0], gap.ref)
                if eff_span:
                    lst[0].effective_text, lst[0].effective_span = norm_space(text[eff_span[0]:eff_span[1]]), eff_span
                # later values of the same name: "952 U/L on admission and 3000 U/L on day 3"
                while True:
                    gap2 = _Gap(text, nxt, vals_at, eff)
                    f2, p2, i2, e2, words = gap2.walk(consumed, max_len=60)
                    if f2 is None or f2 in used or (words == 0 and text[consumed:p2].strip(" \u2009\u200a,") != "("):
                        if f2 is None and e2 and not lst[-1].effective_text:
                            lst[-1].effective_text, lst[-1].effective_span = norm_space(text[e2[0]:e2[1]]), e2
                        break
                    if vals[f2].qualitative or (lst[0].qualitative and vals[f2].value_string is None):
                        break
                    if lst[0].value is not None and vals[f2].value_string and rx.notation.fullmatch(vals[f2].value_string):
                        break      # "GCS was 7 (E1VTM5)": the parts of the score written after it, not a second value
                    if rx.ref_tail.search(text, consumed, vals[f2].start):
                        break      # "(normal < 30 mmol/l)": a reference range, not a later value
                    if not lst[0].qualitative and (lst[0].unit is None) != (vals[f2].unit is None):
                        break      # "4 at 1 min", "780 msec at 44": not a second value of the same thing
                    if lst[0].unit and vals[f2].unit and ((ucum_code(vals[f2].unit) in rx.durations)
                                                           != (ucum_code(lst[0].unit) in rx.durations)
                                                           or (ucum_code(vals[f2].unit) == "%") != (ucum_code(lst[0].unit) == "%")
                                                           and text[consumed:vals[f2].start].strip(" \u2009\u200a") != "("):
                        # "the power of 5 W in 5 to 6 minutes": how long, not a second power; "a hematocrit of
                        # 34.9%, and 281×103 platelets per microliter": a count, not a second hematocrit
                        break
                    if nxt < sent_end and not text[vals[f2].end:nxt].strip():
                        break      # "... with 94% lymphocytes": the value right before a name is that name's
                    if e2 and text[consumed:e2[0]].strip(" ,\u2009\u200a\u2005\u00a0") == "":
                        # "952 U/L on admission and ..." : the time belongs to the value before
                        if not lst[-1].effective_text or lst[-1].effective_span is None or lst[-1].effective_span[0] < lst[-1].start:
                            lst[-1].effective_text, lst[-1].effective_span = norm_space(text[e2[0]:e2[1]]), e2
                        e2 = None
                    c = _copy(vals[f2])
                    if i2 and c.interp_span is None:
                        # "22 mmol/l and subsequently increased to 63 mmol/l (normal range, 0.7–2.1)": the words are
                        # evidence even when the range gives the interpretation
                        c.interpretation, c.interp_span = c.interpretation or i2[0], i2[1]
                    if e2:
                        c.effective_text, c.effective_span = norm_space(text[e2[0]:e2[1]]), e2
                    lst.append(c)
                    used.add(f2)
                    v = vals[f2]
                    consumed = max(v.end, v.ref_span[1] if v.ref_span else v.end)
                if len(lst) > 1 and rx.respectively_after.match(text, consumed, nxt):
                    # "plasma BNP and troponin T were 97.2 pg/mL and 0.0061 ng/mL, respectively" with one name
                    # read: the values are several names'; the last one is its, when it closes the names' list
                    lst = _last_item(text, lst) if rx.last_name.search(text, prev_end, g_start) else []
                assigned[mi] = lst
            for mi in g:
                for lv in assigned.get(mi, []):
                    if not lv.qualitative and not lv.interpretation:
                        src = interp if len(g) > 1 else None
                        if src:
                            lv.interpretation, lv.interp_span = src
                    if not lv.qualitative and pre_interp and lv.interp_span is None:
                        # a word before the name wins over a comparison with the range
                        lv.interpretation, lv.interp_span = pre_interp
                    _compare(lv)
        elif interp is not None and rx.interp_follow.match(text, interp[1][1], sent_end) and not (
                nxt < sent_end and _reaches_next(rx, text, interp[1], nxt)):
            # "CRP, ESR and thyroid function were normal", "CK was elevated"
            for mi in g:
                lv = _blank(*interp[1])
                lv.interpretation, lv.interp_span = interp
                assigned[mi] = [lv]
            consumed = interp[1][1]
        elif (pv := _pre_value(vals, vals_at, used, text, prev_end, g_start, of=True)) is not None:
            lv = _copy(vals[pv])
            used.add(pv)
            assigned[g[0]] = [lv]
        elif carry_qual is not None and (found is None or found in used) and rx.qual_carry.fullmatch(own_before):
            for mi in g:
                assigned[mi] = [_copy(carry_qual)]
        elif pre_q and (found is None or found in used) and not (
                pre_q.group("prep") and pre_q.group("prep").lower() == "in"
                and norm_space(pre_q.group("w")).lower() in rx.place_after):
            w = pre_q.group("w")
            q = rx.sign_map.get(w) or rx.qual_map.get(norm_space(w).lower())
            s = lo + pre_q.start("w")
            for mi in g:
                lv = _blank(s, s + len(w))
                lv.qualitative = q
                lv.interpretation = "POS" if q == "positive" else "NEG"
                lv.interp_span = (lv.start, lv.end)
                assigned[mi] = [lv]
        elif pre_interp is not None:
            # "elevated liver enzymes"
            for mi in g:
                lv = _blank(*pre_interp[1])
                lv.interpretation, lv.interp_span = pre_interp
                assigned[mi] = [lv]
        # a sentence-opening time ("On admission, CK was 952 U/L") applies to values without one
        for mi, lst in assigned.items():
            for lv in lst:
                if lv.effective_text is None:
                    cand = [sp for sp in eff if sp[1] <= g_start and not _overlaps(sp, [(v.start, v.end) for v in vals])]
                    after = [sp for sp in eff if sp[0] >= lv.end and sp[0] - lv.end <= 3 + len(text[lv.end:sp[0]]) - len(text[lv.end:sp[0]].lstrip(" ,\u2009\u200a"))]
                    if after and after[0][0] < nxt:
                        sp = after[0]
                    elif cand:
                        sp = cand[-1]
                    else:
                        sp = None
                    if sp:
                        lv.effective_text, lv.effective_span = norm_space(text[sp[0]:sp[1]]), sp
            if lst:
                out[mi] = lst
        prev_end = max(consumed, g_end)
        carry_interp = pre_interp if assigned else None
        quals = [lv for lst in assigned.values() for lv in lst if lv.qualitative]
        carry_qual = quals[-1] if quals else None
    return out


@lru_cache(maxsize=4096)
def ucum_code(unit: str | None) -> str | None:
    """UCUM code for a unit as written ("mg/dl" -> "mg/dL", "x 10^9/L" -> "10*9/L", "beats per minute"
    -> "/min"), None when a part is unknown. Superscripts lost in PDF text ("× 109/L") read as 10*9.
    Remembered per string: a document writes a few units many times."""
    if not unit:
        return None
    code = _ucum_code(unit)
    if code is None and (m := _rx().count_unit.match(unit)) is not None:
        # "lymphocytes/mm3", "neutrophils per µL": a count per volume; the thing counted is the result's name
        per = _ucum_code("/" + unit[m.end():].strip())
        code = per if per and _PER_SPACE.fullmatch(per) else None
    return code


_PER_SPACE = re.compile(r"/(?:(?:[munpf]|10\*\d+\.)?L|dL|mm3|\[HPF\]|\[LPF\])")


def _ucum_code(unit: str) -> str | None:
    from ..terminology.units import si_count

    cased = si_count(unit)  # "11.2 G/L": giga per litre, not grams
    if cased:
        return cased[0]
    rx = _rx()
    key = _SPACE_RX.sub("", unit).lower().replace("µ", "u").replace("μ", "u").replace("×", "x").replace("*", "x")
    hit = rx.ucum.get(key)
    if hit:
        return hit
    # build it from parts: multiplier, then atoms joined by "/" or "per"
    t = norm_space(unit).lower().replace("µ", "u").replace("μ", "u").replace("×", "x")
    t = re.sub(r"\s*\bper\b\s*", "/", t)
    t = re.sub(r"\s*/\s*", "/", t)
    mult = ""
    m = re.match(r"^(?:x\s*)?10\s*(?:\^|\*\*?|e)?\(?(-?[1-9]\d?|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)\)?(?=\s|/|\(|$|[a-z%])\s*", t)
    if m and (t.startswith("x") or t.startswith("10")):
        exp = m.group(1).translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-"))
        mult = "10*" + exp
        t = t[m.end():]
    elif re.match(r"^x\s*\d", t):
        return None
    parts = t.split("/") if t else [""]
    out = []
    for i, p in enumerate(parts):
        p = p.strip()
        if not p:
            if i == 0:
                out.append("")
                continue
            return None
        num = re.match(r"^(\d+(?:\.\d+)?)\s*", p)
        prefix = ""
        if num and i > 0:
            prefix = "{" + num.group(1) + "}"
            p = p[num.end():]
            if not p:
                out.append(prefix[1:-1])
                continue
        p = p.replace(" ", "")
        atom = rx.ucum_atoms.get(p)
        if atom is None:
            return None
        out.append(prefix + atom)
    code = "/".join(out)
    if mult:
        code = mult + (code if code.startswith("/") else ("." + code if code else ""))
    code = re.sub(r"^/+", "/", code).strip(".")
    if not code or code in ("/",):
        return None
    return code
