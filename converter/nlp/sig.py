"""Medication sigs in case-report text: pure functions over strings (no spaCy).

``parse_sig`` reads dose, route, frequency/period, duration, cycles, as-needed, tapering and the
narrative status ("was started on", "discontinued", "was planned") around one drug mention.

All vocabulary (route words with SNOMED CT codes, frequency words, status verbs ...) lives in
``mappings/sig.json``; this module only holds the regex scaffolding, compiled once. Numbers are
never changed ("1,200 mg" -> 1200.0; "0.3" -> 0.3) and units are kept as written (spaces normalised).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import MappingError
from ..resources import load_json
from .values import LB, NUM, SP, _SPACE_RX, _alt, word_table
from .values import parse_number as _parse_number

__all__ = ["Sig", "parse_sig", "route_coding", "ROUTE_SYSTEM"]

MAPPING = "sig.json"
ROUTE_SYSTEM = "http://snomed.info/sct"

DASH = r"(?:-|–|—|‒|−|to)"
STATUSES = ("active", "completed", "stopped", "not-taken", "intended")
UNITS_OF_TIME = ("s", "min", "h", "d", "wk", "mo", "a")
_BOUNDARY = re.compile(r"[.;](?=[\s\u200b]|$)|;")


@dataclass
class Sig:
    start: int
    end: int
    dose_value: float | None
    dose_unit: str | None
    dose_low: float | None = None
    dose_high: float | None = None
    route: str | None = None
    route_span: tuple[int, int] | None = None
    frequency: int | None = None
    period: float | None = None
    period_unit: str | None = None
    when: str | None = None
    duration_value: float | None = None
    duration_unit: str | None = None
    duration_comparator: str | None = None     # "for more than 1 year": ">"
    cycles: int | None = None
    as_needed: bool = False
    taper: str | None = None
    status: str | None = None
    status_span: tuple[int, int] | None = None
    restarted: bool = False     # the status word takes the drug up again ("resumed", "restarted")
    # extras (all optional): upper end of "every 4-6 hours", total count ("single dose"), spans
    period_max: float | None = None
    count: int | None = None
    dose_span: tuple[int, int] | None = None
    taper_span: tuple[int, int] | None = None
    schedule_days: tuple[int, ...] | None = None     # days of a cycle that carry a dose: "on days 1, 8, 15" -> (1, 8, 15)

    @property
    def text_span(self) -> tuple[int, int]:
        return (self.start, self.end)


def _norm(s: str) -> str:
    return _SPACE_RX.sub(" ", s).strip()


def _check(data) -> dict:
    where = f"mappings/{MAPPING}"
    if not isinstance(data, dict):
        raise MappingError(f"{where}: expected an object")
    routes = data.get("routes")
    if not isinstance(routes, dict) or not routes:
        raise MappingError(f"{where}: 'routes' must be a non-empty object")
    for key, r in routes.items():
        if key.startswith("_"):
            continue
        if not isinstance(r, dict) or not re.fullmatch(r"\d{6,18}", str(r.get("code", ""))) \
                or not isinstance(r.get("display"), str) or not isinstance(r.get("words"), list) or not r["words"] \
                or not isinstance(r.get("source"), str) or not r["source"].strip():
            raise MappingError(f"{where}: route '{key}' needs a SNOMED 'code', a 'display', a 'source' and 'words'")
    for key in ["dose_units", "dose_per", "duration_lead", "cycle_words", "as_needed", "taper_words", "taper_targets",
                "glue", "route_lowercase_ambiguous", "regimen_descriptors", "period_lead", "duration_not_after",
                "dose_unit_suffixes", "dose_targets"]:
        v = data.get(key)
        if not isinstance(v, list) or not v or not all(isinstance(x, str) and x.strip() for x in v):
            raise MappingError(f"{where}: '{key}' must be a non-empty list of strings")
    freqs = data.get("frequencies")
    if not isinstance(freqs, list) or not freqs:
        raise MappingError(f"{where}: 'frequencies' must be a non-empty list")
    for f in freqs:
        if not isinstance(f, dict) or not isinstance(f.get("words"), list) or not f["words"]:
            raise MappingError(f"{where}: each frequency needs 'words'")
        if f.get("period_unit") not in (None,) + UNITS_OF_TIME:
            raise MappingError(f"{where}: frequency period_unit {f.get('period_unit')!r} is not a FHIR UnitsOfTime code")
    pu = data.get("period_units")
    if not isinstance(pu, dict) or set(pu) - set(UNITS_OF_TIME):
        raise MappingError(f"{where}: 'period_units' keys must be FHIR UnitsOfTime codes {UNITS_OF_TIME}")
    st = data.get("status")
    if not isinstance(st, dict) or set(st) - set(STATUSES):
        raise MappingError(f"{where}: 'status' keys must be among {STATUSES}")
    pr = data.get("status_priority")
    if not isinstance(pr, list) or set(pr) != set(st):
        raise MappingError(f"{where}: 'status_priority' must list every status once")
    rw = data.get("restart_words")
    if not isinstance(rw, list) or not rw or not all(isinstance(w, str) and w in st.get("active", []) for w in rw):
        raise MappingError(f"{where}: 'restart_words' must be a non-empty list of 'active' status words")
    if not isinstance(data.get("when", {}), dict):
        raise MappingError(f"{where}: 'when' must be an object")
    dc = data.get("duration_comparators")
    if not isinstance(dc, dict) or not dc or not set(dc.values()) <= {"<", "<=", ">=", ">"}:
        raise MappingError(f"{where}: 'duration_comparators' maps words to a FHIR Quantity comparator (<, <=, >=, >)")
    nw = data.get("number_words")
    if not isinstance(nw, dict) or not all(v is None or isinstance(v, (int, float)) for v in nw.values()):
        raise MappingError(f"{where}: 'number_words' maps words to numbers (or null)")
    return data


class _Rx:
    def __init__(self, data: dict):
        I = re.IGNORECASE
        self.data = data
        self.numwords = {k.lower(): v for k, v in data["number_words"].items()}
        nw = _alt([k for k in data["number_words"] if k.lower() not in ("once", "twice", "thrice", "single")])
        self.count_rx = r"(?:" + LB + NUM + r"|" + nw + r"(?:" + SP + r"+hundred)?)"
        cnt = self.count_rx
        # period units
        self.unit_code = {}
        for code, words in data["period_units"].items():
            for w in words:
                self.unit_code[w.lower()] = code
        punit = "(?:" + _alt(list(self.unit_code), bound=False) + r"(?![A-Za-z]))"
        # dose
        per = r"(?:" + SP + r"*/" + SP + r"*|" + SP + r"+per" + SP + r"+)"
        dunit = (r"(?:" + _alt(data["dose_units"], bound=False) + r"(?![A-Za-z])(?:" + per + _alt(data["dose_per"], bound=False)
                 + r"(?![A-Za-z]))*(?:" + SP + r"+" + _alt(data["dose_unit_suffixes"]) + r"(?![A-Za-z]))?)")
        # no "a"/"an" as a dose number: "at a dose of 5 mg/kg"
        dnw = _alt([k for k in data["number_words"] if k.lower() not in ("once", "twice", "thrice", "single", "a", "an")
                    and data["number_words"][k] is not None])
        dcnt = r"(?:" + LB + NUM + r"|" + dnw + r"(?:" + SP + r"+hundred)?)"
        self.dose = re.compile(
            r"(?:(?P<times>\d{1,2})" + SP + r"*[x×]" + SP + r"*)?(?P<v1>" + dcnt + r")(?:" + SP + r"*" + DASH + SP + r"*(?P<v2>" + NUM + r"))?" + SP + r"*-?" + SP + r"*(?P<unit>" + dunit + r")",
            I)
        # routes
        self.route_of = {}
        words = []
        amb = {w.lower() for w in data["route_lowercase_ambiguous"]}
        self.ambiguous = amb
        for key, r in data["routes"].items():
            if key.startswith("_"):
                continue
            for w in r["words"]:
                self.route_of[_norm(w).lower()] = key
                words.append(w)
        self.route = re.compile(r"(?:\(" + SP + r"*)?(?P<w>" + _alt(words) + r")(?:" + SP + r"*\))?", I)
        self.routes = {k: v for k, v in data["routes"].items() if not k.startswith("_")}
        # frequencies
        self.freq_of = {}
        fw = []
        for f in data["frequencies"]:
            for w in f["words"]:
                self.freq_of[_norm(w).lower()] = f
                fw.append(w)
        self.when_of = {_norm(k).lower(): v for k, v in data.get("when", {}).items()}
        self.freq_words = re.compile(_alt(fw), I)
        self.freq_q = re.compile(
            r"(?<![\w])q" + SP + r"*\.?" + SP + r"*(?P<n>\d+(?:\.\d+)?)(?:" + SP + r"*" + DASH + SP + r"*(?P<n2>\d+))?" + SP + r"*(?P<u>"
            + punit + r")?(?![\w])", I)
        self.freq_every = re.compile(
            r"(?<![\w])(?:" + _alt(data["period_lead"]) + r")" + SP + r"+(?P<n>" + cnt + r"|other)(?:" + SP + r"*" + DASH + SP + r"*(?P<n2>" + cnt + r"))?" + SP
            + r"*-?(?P<u>" + punit + r")", I)
        self.freq_times = re.compile(
            r"(?P<n>" + cnt + r"|once|twice|thrice)" + SP + r"*(?:times|time|x|×)" + SP + r"*(?:a|per|each|every|/|in" + SP + r"+a)?" + SP
            + r"*(?P<u>" + punit + r")", I)
        # duration
        self.duration = re.compile(
            r"(?:(?P<lead>" + _alt(data["duration_lead"]) + r")" + SP + r"*(?:a" + SP + r"+total" + SP + r"+of" + SP + r"+|the" + SP
            + r"+(?:next|following|first|last|past)" + SP + r"+|another" + SP + r"+)?"
            r"(?:(?P<cmp>" + _alt(list(data["duration_comparators"])) + r")" + SP + r"+)?"
            r"(?P<n>" + cnt + r"|several|a" + SP + r"+few|few|many)(?:" + SP + r"*" + DASH + SP + r"*(?P<n2>" + NUM + r"))?" + SP
            + r"*-?" + SP + r"*(?P<u>" + punit + r")(?![\w])"
            r"|\(" + SP + r"*(?P<pn>" + cnt + r")(?:" + SP + r"*" + DASH + SP + r"*(?P<pn2>" + NUM + r"))?" + SP + r"*-?(?P<pu>" + punit
            + r")" + SP + r"*\)"
            r"|(?P<cn>" + cnt + r")" + SP + r"*-" + SP + r"*(?P<cu>" + punit + r")" + SP + r"+(?:course|period|regimen|trial)(?:" + SP
            + r"+of)?"
            r"|(?P<on>" + cnt + r")" + SP + r"*(?P<ou>" + punit + r")(?=" + SP + r"+of(?:" + SP + r"+\w+){0,3}" + SP + r"*$))", I)
        self.duration_cmp = {_norm(k).lower(): v for k, v in data["duration_comparators"].items()}
        self.not_duration_before = re.compile(r"(?<![\w])(?:" + _alt(data["duration_not_after"]) + r")" + SP + r"+(?:an?" + SP
                                              + r"+|the" + SP + r"+)?$", I)
        # cycles
        self.cycles = re.compile(
            r"\(?" + SP + r"*(?:for" + SP + r"+(?:a" + SP + r"+total" + SP + r"+of" + SP + r"+)?)?(?P<n>" + cnt + r")" + SP + r"+(?:more" + SP + r"+|further" + SP + r"+|additional" + SP + r"+)?(?:\d+" + SP + r"*-" + SP + r"*" + punit + SP
            + r"+)?(?:" + _alt(data["cycle_words"]) + r")\)?", I)
        # a combination product's strengths "875/125 mg": kept in the sig text, no single dose value
        self.combo = re.compile(LB + NUM + r"(?:" + SP + r"*/" + SP + r"*" + NUM + r")+" + SP + r"*" + dunit, I)
        cwords = _alt(data.get("count_words", ["doses"]))
        # "x 4 doses", "x3"; or a number (not "a"/"an") before a count word: "three infusions", "2 doses"
        self.count = re.compile(r"(?<![\w])[x×]" + SP + r"*(?P<n>\d{1,3})(?:" + SP + r"*(?:" + cwords + r"))?(?![\w.])"
                                r"|(?P<wn>" + dcnt + r")" + SP + r"+(?:" + cwords + r")(?![\w])", I)
        self.dosedesc = re.compile(_alt(data.get("dose_descriptors", ["high-dose"]) + data.get("regimen_descriptors", [])), I)
        # between a sig part and the drug after it: "of", "course of the", "cycles of adjuvant conventional chemotherapy"
        # (up to two more lower-case words after the linking word; no conjunction or preposition among them)
        filler = (r"(?:" + SP + r"+(?!(?:and|or|but|with|without|after|before|despite|for|to|in|on|at|by|from|than|plus|then|as)"
                  r"(?![\w-]))(?-i:[a-z][a-z-]*)){0,2}")
        one = r"(?:" + _alt(data.get("pre_adjacent", ["of"])) + r")"
        link = r"(?:" + one + r"(?:" + SP + r"+" + one + r")?(?:" + SP + r"+(?:the|an?))?|(?:the|an?))"
        self.pre_adjacent = re.compile(SP + r"*(?:" + link + filler + r")?" + SP + r"*-?" + SP + r"*$", I)
        # after a route or descriptor (adjectives): "oral antiresorptive drug alendronate", "systemic steroids"
        self.pre_adjacent_adj = re.compile(SP + r"*(?:" + link + r")?" + filler + SP + r"*-?" + SP + r"*$", I)
        self.taper_generic = {_norm(w).lower() for w in data.get("taper_generic", [])}
        self.prn = re.compile(r"\(?" + _alt(data["as_needed"]) + r"\)?", I)
        # taper: "tapered to 10 mg daily", "tapered off", "gradually tapered over 6 weeks"
        self.taper = re.compile(
            r"(?:(?:was|were|being|then|gradually|slowly|progressively|subsequently|eventually|later)" + SP + r"+)*"
            r"(?P<w>" + _alt(data["taper_words"]) + r")"
            r"(?:" + SP + r"+(?:gradually|slowly|progressively))?"
            r"(?P<tail>(?:" + SP + r"+(?:" + _alt(data["taper_targets"]) + r")" + SP + r"+(?:a" + SP + r"+(?:maintenance" + SP
            + r"+)?dose" + SP + r"+of" + SP + r"+)?(?:[^.;]|\.(?=\d)){0,60}?(?=\.(?!\d)|[;,)]|" + SP + r"+(?:and|with|after|but|which|until|when|because)(?![\w])|$))?)",
            I)
        self.taper_aux = re.compile(r"(?:(?:was|were|being|is|been)" + SP + r"+)+", I)
        self.trailing_link = re.compile(SP + r"+of$", I)
        # status
        self.status_of, sw = word_table(data["status"])
        self.status = re.compile(_alt(sw), I)
        self.priority = {s: i for i, s in enumerate(data["status_priority"])}
        self.restart = frozenset(_norm(w).lower() for w in data["restart_words"])
        self.glue = re.compile(
            r"(?:\((?![^()]*\d)[^()]{1,25}\)|" + _MAKER + r"|[\s\u200b,():\[\]/=+&-]|\.(?=[A-Za-z])|" + _alt(data["glue"]) + r"|" + _alt(data.get("sig_drug_forms", ["tablets"]))
            + r"|d\d+(?:" + SP + r"*[-–]" + SP + r"*\d+)?|days?" + SP + r"*\d+(?:" + SP + r"*[-–]" + SP + r"*\d+)?)", I)
        # dose-form words between the drug name and its sig ("tegafur injection on day 2 to 4 (1000 mg ..."): part of the sig text
        self.forms_gap = re.compile(r"(?:" + SP + r"*(?:" + _alt(data.get("dose_forms_in_text", ["tablets"])) + r"))+" + SP + r"*", I)
        self.schedule = re.compile(r"(?<![\w])(?:d|days?|on" + SP + r"+days?)" + SP + r"*\d+(?:" + SP + r"*(?:[-–,]|to|and|through)" + SP
                                   + r"*\d+)*(?![\w])", I)
        # a cycle's length, said in the text only ("on a 28-day cycle", "in 21-day cycles"): how many days of it carry a
        # dose is said elsewhere ("days 1, 8, 15")
        self.cyclelen = re.compile(r"(?<![\w])(?:(?:on|in|of)" + SP + r"+)?(?:an?" + SP + r"+)?\d+" + SP + r"*-?" + SP + r"*(?:" + punit
                                   + r")" + SP + r"+(?:" + _alt(data["cycle_words"]) + r")(?![\w])", I)
        # a target exposure instead of a dose: "area under the curve of 5", "AUC 6" (text only)
        self.dosetarget = re.compile(r"(?<![\w])(?:" + _alt(data["dose_targets"]) + r")" + SP + r"*[=:]?" + SP + r"*" + NUM, I)
        # the component patterns in reading order, each with a hint: a cheap pattern matching a part that every
        # match of it contains (a digit, a dose number, a period unit, a taper or cycle word), so a window where
        # the hint finds nothing cannot hold a match and the slow pattern is not run there (most sig windows
        # hold no digit)
        digit = re.compile(r"\d")
        dose_number = re.compile(r"\d|" + dnw, I)
        period = re.compile(punit, I)
        taper_word = re.compile(_alt(data["taper_words"]), I)
        cycle_word = re.compile(_alt(data["cycle_words"]), I)
        self.components = (
            ("taper", self.taper, taper_word), ("dose", self.dose, dose_number), ("duration", self.duration, period),
            ("cycles", self.cycles, cycle_word), ("freq", self.freq_words, None), ("freq", self.freq_q, digit),
            ("freq", self.freq_every, period), ("freq", self.freq_times, period), ("prn", self.prn, None),
            ("route", self.route, None), ("schedule", self.schedule, digit), ("dosedesc", self.dosedesc, None),
            ("dosedesc", self.cyclelen, cycle_word), ("dosedesc", self.dosetarget, digit),
            ("combo", self.combo, digit), ("count", self.count, dose_number))


@lru_cache(maxsize=1)
def _rx() -> _Rx:
    return _Rx(_check(load_json(MAPPING)))


def route_coding(route: str | None) -> dict | None:
    """{"system": SNOMED, "code": ..., "display": ...} for a normalised route key, None if unknown."""
    if not route:
        return None
    r = _rx().routes.get(route)
    if not r:
        return None
    return {"system": ROUTE_SYSTEM, "code": r["code"], "display": r["display"]}


# ----------------------------------------------------------------------------------------------

def _count(rx: _Rx, s: str | None) -> float | None:
    if s is None:
        return None
    t = _norm(s).lower()
    if re.match(r"[\d.,·]", t):
        return _parse_number(t)
    if t.endswith(" hundred"):
        base = rx.numwords.get(t[: -len(" hundred")].strip())
        return float(base * 100) if base is not None else None
    v = rx.numwords.get(t)
    return float(v) if v is not None else None


class _C:
    __slots__ = ("s", "e", "kind", "m", "prio")

    def __init__(self, s, e, kind, m, prio):
        self.s, self.e, self.kind, self.m, self.prio = s, e, kind, m, prio


_PRIO = {"taper": 0, "combo": 1, "dose": 1, "duration": 2, "cycles": 3, "freq": 4, "prn": 5, "route": 6, "schedule": 7, "dosedesc": 8,
         "count": 9}


def _components(rx: _Rx, text: str, s: int, e: int) -> list[_C]:
    found: list[_C] = []
    seen: dict = {}  # hint -> found in the window
    for kind, pat, hint in rx.components:
        if hint is not None:
            if hint not in seen:
                seen[hint] = hint.search(text, s, e) is not None
            if not seen[hint]:
                continue
        for m in pat.finditer(text, s, e):
            if m.end() <= m.start():
                continue
            if kind == "route":
                w = m.group("w")
                if w.lower() in rx.ambiguous and (w.islower() or len(w) > 3 and not w.isupper()):
                    continue
                if w.lower() in rx.ambiguous and len(w) <= 3 and not w.isupper():
                    continue
            if kind == "duration" and not m.group("lead") and not m.group("pn") and rx.not_duration_before.search(text, max(0, m.start() - 20), m.start()):
                continue      # "resolved within one week of X": a time to an effect, not how long X was given
            if kind == "taper" and _norm(m.group("w")).lower() in rx.taper_generic and not rx.dose.search(m.group("tail") or ""):
                continue      # "decreased to 72 mmHg" is not a taper; "reduced to 10 mg daily" is
            found.append(_C(m.start(), m.end(), kind, m, _PRIO[kind]))
    # resolve overlaps: longer first, then kind priority
    found.sort(key=lambda c: (-(c.e - c.s), c.prio, c.s))
    kept: list[_C] = []
    for c in found:
        if any(c.s < k.e and k.s < c.e for k in kept):
            continue
        kept.append(c)
    kept.sort(key=lambda c: c.s)
    return kept


# a brand/manufacturer parenthesis between a drug and its dose: "(Xeloda; Hoffmann-La Roche Inc., Nutley, NJ, USA)"
_MAKER = (r"\([^()]{0,100}?(?:®|™|\b(?:Inc|Ltd|Co|GmbH|AG|Corp|Corporation|Pharma|Pharmaceuticals?|Laboratories)\b)"
          r"[^()]{0,100}\)")
_MAKER_RX = re.compile(_MAKER)


def _is_glue(rx: _Rx, text: str, s: int, e: int, max_words: int = 4, status_ok: bool | tuple = False) -> bool:
    """text[s:e] holds only glue words (and status words when status_ok; only those statuses when it is a tuple)."""
    pos, words = s, 0
    while pos < e:
        m = rx.glue.match(text, pos)      # no endpos: lookaheads may see past e
        if m and m.end() > e:
            m = rx.glue.match(text, pos, e)
        if status_ok and (not m or m.end() == pos):
            m = rx.status.match(text, pos, e)
            if m and isinstance(status_ok, tuple) and rx.status_of.get(_norm(m.group(0)).lower()) not in status_ok:
                m = None
        if not m or m.end() == pos:
            return False
        if re.search(r"[A-Za-z]", m.group(0)):
            words += 1
            if words > max_words:
                return False
        pos = m.end()
    return True


def _apply(rx: _Rx, sig: Sig, c: _C, text: str, far: bool = False) -> None:
    """Set the sig fields component c says; far: a taper said later in the window (its dose is not read)."""
    m = c.m
    if c.kind == "dose" and sig.dose_value is None and sig.dose_low is None:
        v1 = _count(rx, m.group("v1"))
        if m.group("v2"):
            sig.dose_low, sig.dose_high = v1, _parse_number(m.group("v2"))
        else:
            sig.dose_value = v1
        sig.dose_unit = _norm(m.group("unit"))
        sig.dose_span = (c.s, c.e)
        if m.group("times") and sig.frequency is None and re.search(r"/(?:day|d|24" + SP + r"*h)$", sig.dose_unit):
            sig.frequency, sig.period, sig.period_unit = int(m.group("times")), 1.0, "d"   # "3 x 250 mg/day"
    elif c.kind == "route" and sig.route is None:
        sig.route = rx.route_of.get(_norm(m.group("w")).lower())
        sig.route_span = (m.start("w"), m.end("w"))
    elif c.kind == "freq" and sig.frequency is None and sig.period is None:
        g = m.re.groupindex
        if "n" not in g:      # a frequency word from the data
            f = rx.freq_of.get(_norm(m.group(0)).lower())
            if f:
                sig.frequency, sig.period, sig.period_unit = f.get("frequency"), f.get("period"), f.get("period_unit")
                if f.get("count"):
                    sig.count = f["count"]
                w = rx.when_of.get(_norm(m.group(0)).lower())
                if w:
                    sig.when = w
        elif m.re is rx.freq_q:
            n = float(m.group("n"))
            u = m.group("u")
            unit = rx.unit_code.get(u.lower()) if u else ("d" if n >= 7 else "h")
            sig.frequency, sig.period, sig.period_unit = 1, n, unit
            if m.group("n2"):
                sig.period_max = float(m.group("n2"))
        elif m.re is rx.freq_every:
            n = 2.0 if m.group("n").lower() == "other" else _count(rx, m.group("n"))
            sig.frequency, sig.period, sig.period_unit = 1, n, rx.unit_code.get(m.group("u").lower())
            if m.group("n2"):
                sig.period_max = _count(rx, m.group("n2"))
        elif m.re is rx.freq_times:
            t = m.group("n").lower()
            n = {"once": 1, "twice": 2, "thrice": 3}.get(t) or _count(rx, t)
            sig.frequency, sig.period, sig.period_unit = int(n) if n else None, 1, rx.unit_code.get(m.group("u").lower())
        if sig.period is not None and float(sig.period).is_integer():
            sig.period = float(sig.period)
    elif c.kind == "duration" and sig.duration_unit is None:
        n = m.group("n") or m.group("pn") or m.group("cn") or m.group("on")
        u = m.group("u") or m.group("pu") or m.group("cu") or m.group("ou")
        sig.duration_value = _count(rx, n)
        sig.duration_unit = rx.unit_code.get(_norm(u).lower())
        if m.group("cmp"):
            sig.duration_comparator = rx.duration_cmp.get(_norm(m.group("cmp")).lower())
    elif c.kind == "cycles" and sig.cycles is None:
        n = _count(rx, m.group("n"))
        sig.cycles = int(n) if n is not None else None
    elif c.kind == "schedule" and sig.schedule_days is None:
        days: list[int] = []
        nums = [(int(x.group(1)), x.group(2)) for x in re.finditer(r"(\d+)(\s*(?:[-–]|to|through)\s*(?=\d))?", m.group(0))]
        k = 0
        while k < len(nums):
            v, rng = nums[k]
            if rng and k + 1 < len(nums) and nums[k + 1][0] >= v:
                days.extend(range(v, nums[k + 1][0] + 1))
                k += 2
            else:
                days.append(v)
                k += 1
        if days and len(days) <= 31:
            sig.schedule_days = tuple(sorted(set(days)))
    elif c.kind == "prn":
        sig.as_needed = True
    elif c.kind == "count" and sig.count is None:
        n = int(m.group("n")) if m.group("n") else _count(rx, m.group("wn"))
        sig.count = int(n) if n else None
        last = _norm(m.group(0)).lower().split(" ")[-1]
        if sig.route is None and rx.route_of.get(last):      # "three infusions": intravenous
            sig.route = rx.route_of[last]
            sig.route_span = (c.e - len(last), c.e)
    elif c.kind == "taper" and sig.taper is None:
        s = m.start("w")
        sig.taper = _norm(text[s:m.end()]).rstrip(" ,")
        sig.taper_span = (s, s + len(text[s:m.end()].rstrip(" ,\u2009")))
        if sig.dose_value is None and sig.dose_low is None and m.group("tail") and not far:
            # no dose said before the change: the dose it reached is the dose ("was increased to 60 mg daily",
            # "tapered from 60 mg daily to 5 mg daily"; "increased from 250 mg/day": where it started)
            doses = list(rx.dose.finditer(text, m.start("tail"), m.end("tail")))
            if doses:
                for k in _components(rx, text, doses[-1].start(), m.end("tail")):
                    if k.kind in ("dose", "freq", "route", "prn"):
                        _apply(rx, sig, k, text)


_SWITCH_TO = re.compile(r"(?:was |were )?(?:changed|switched|converted|transitioned) to|(?:was |were )?replaced (?:with|by)", re.I)
# "... was changed to oral form / to intravenous administration / to 500 mg": the same drug goes on
_SAME_DRUG_AFTER = re.compile(SP + r"*(?:an?" + SP + r"+|the" + SP + r"+)?(?:\d|oral|intravenous|iv|i\.v\.|subcutaneous|"
                              r"intramuscular|enteral|parenteral|topical|inhaled|a" + SP + r"+(?:lower|higher|reduced|maintenance)|"
                              r"(?:lower|higher|reduced|maintenance|half))", re.I)


# a new predicate right after the drug: "X and started", "X, then began using"
_NEXT_VERB = re.compile(r"\s*,?\s*(?:and|then)(?:\s+then)?\s+", re.I)


def _find_status(rx: _Rx, text: str, before, s: int, e: int, chain_end: int):
    """Status phrase closest to the drug: at the end of `before`, or right after the sig."""
    cands = []      # (priority, distance, status, span)
    if before:
        bs, be = before
        for m in rx.status.finditer(text, bs, be):
            tail = text[m.end():be]
            # only sig words, determiners and at most a few other words between the verb and the drug
            if len(re.findall(r"[A-Za-z]+", tail)) <= 5 and not _BOUNDARY.search(tail) and not re.search(
                    r"(?<![\w])(?:and|but|which|who|after|before|because)(?![\w])", tail, re.I):
                st = rx.status_of[_norm(m.group(0)).lower()]
                if _norm(m.group(0)).lower().endswith(" from") and re.search(r"(?<![\w])(?:to|with|by)(?![\w])", tail):
                    st = "active"      # "switched from X to Y": Y is the new drug
                cands.append((rx.priority[st], be - m.end(), st, (m.start(), m.end())))
    for m in rx.status.finditer(text, s, e):
        if _norm(m.group(0)).lower() in ("on", "under", "no", "without", "given", "received", "added", "maintenance",
                                          "increased", "reduced", "tapered", "continues", "taking", "takes", "stop"):
            # too ambiguous after the drug name ("on day 3", "received ... for"), except as "was/were X"
            if not re.search(r"(?:was|were|is|been)" + SP + r"+$", text[max(s, m.start() - 12):m.start()], re.I):
                continue
        gap = text[s:m.start()]
        if _BOUNDARY.search(gap):
            continue
        if _NEXT_VERB.fullmatch(gap) and len(re.findall(r"[A-Za-z]+", text[m.end():e])) <= 2 and text[e:e + 1].isalpha():
            # "he stopped X and started Y": the verb after 'and' is the next drug's; "started on X and then
            # switched to Y": X is the drug left
            if _SWITCH_TO.fullmatch(_norm(m.group(0))) and not _SAME_DRUG_AFTER.match(text, m.end(), e):
                cands.append((rx.priority["stopped"], m.start() - s, "stopped", (m.start(), m.end())))
            continue
        if _norm(m.group(0)).lower().endswith(" of"):
            continue      # "X ..., after cessation of Y": about Y
        if m.start() >= chain_end:
            between = text[chain_end:m.start()]
            if len(re.findall(r"[A-Za-z]+", between)) > 6:
                continue
        st = rx.status_of[_norm(m.group(0)).lower()]
        if st == "active" and _SWITCH_TO.fullmatch(_norm(m.group(0))) and \
                (re.match(r"(?:was|were)\b", m.group(0), re.I) or
                 re.search(r"(?:was|were|is|been)" + SP + r"+$", text[max(s, m.start() - 12):m.start()], re.I)) and \
                not _SAME_DRUG_AFTER.match(text, m.end(), e):
            st = "stopped"  # "captopril was changed to amlodipine": the drug before the switch is stopped
        cands.append((rx.priority[st], m.start() - s, st, (m.start(), m.end())))
    if not cands:
        return None, None
    after = [c for c in cands if c[3][0] >= s]
    inside = [c for c in after if c[3][1] <= chain_end]
    near = inside or [c for c in after if c[3][0] - max(s, chain_end) <= 30]
    if near:
        # "X ... was discontinued": what is said right after the drug (or its sig) is the most specific;
        # "was started, but discontinued", "was proposed but refused": the final word counts
        best = min(near, key=lambda c: (c[0], c[3][0]))
        if best[2] == "stopped":
            # "X was stopped and restarted a week later": a later restart is the final word
            again = [c for c in near if c[3][0] > best[3][0] and _norm(text[c[3][0]:c[3][1]]).lower() in rx.restart]
            best = again[-1] if again else best
    else:
        best = min(cands, key=lambda c: (c[0] if c[3][0] < s else c[0] + 10, c[1]))
    return best[2], best[3]


AFTER_MAX = 300     # a sig sits near its drug: look no further than this after it
BEFORE_MAX = 120    # ... or before it


def parse_sig(text: str, start: int, end: int, *, before: tuple[int, int] | None = None) -> Sig | None:
    """Parse the sig in text[start:end] (the window right after a drug name); `before` is an optional
    window before the drug name. Returns None when nothing sig-like is there. When only a status is
    found (e.g. "was discontinued") the Sig has start == end (no dosage text)."""
    rx = _rx()
    if start > end or start < 0:
        raise ValueError(f"parse_sig: bad window {start}..{end}")
    end = min(end, start + AFTER_MAX)
    if before:
        before = (max(before[0], before[1] - BEFORE_MAX), before[1])
    comps = _components(rx, text, start, end)
    # the chain after the drug: first component close to the drug, then components joined by glue
    chain: list[_C] = []
    pos = start
    name_end = start
    # "the doses of X and Y received were 1800 mg/m2 and 50 mg/m2, respectively": values listed for several drugs are
    # not read across a verb
    first_status = ("active",) if not re.search(r"(?<![\w])respectively(?![\w])", text[start:end], re.I) else False
    for c in comps:
        if c.s < pos:
            continue
        if not chain and c.kind == "route" and c.m.group(0).startswith("(") and c.m.group(0).endswith(")") \
                and not text[pos:c.s].strip():
            name_end = pos = c.e      # "immunoglobulin (IVIG) ...": the abbreviation is part of the name
            continue
        # before the first part only words saying the drug is given: "X was continued for 3 months"
        if not _is_glue(rx, text, pos, c.s, max_words=5 if not chain else 4, status_ok=True if chain else first_status):
            break
        if c.kind in ("dose", "count", "cycles", "duration", "dosedesc") and end < len(text) and text[end].isalpha() and \
                re.search(r"[A-Za-z]", text[c.e:end]) and rx.pre_adjacent.fullmatch(text, c.e, end):
            break      # "..., initiation of 60 mg/day of sildenafil": a part written before the next drug is that drug's
        gap = _MAKER_RX.sub(" ", text[pos:c.s])
        if re.search(r"(?<![\w])(?:and|or|but)(?![\w])|;", gap) and (
                not chain or c.kind in {k.kind for k in chain} or c.kind in ("route", "dosedesc")):
            break      # "X, and 2 g/kg of Y", "topical X ointment, and intravenous Y": the next drug's
        if re.search(r"[.;]" + SP, gap + " ") and not re.fullmatch(r"[\s\w().,]*", gap):
            break
        chain.append(c)
        pos = c.e
    # before the drug: components that end at the drug, walking backwards ("1 g of IV methylprednisolone")
    pre: list[_C] = []
    if before:
        bs, be = before
        bcomps = [c for c in _components(rx, text, bs, be) if c.kind != "taper"]
        cur = be
        for c in reversed(bcomps):
            if c.e > cur:
                continue
            if not pre:
                # the first one must touch the drug name ("oral X", "1 g of IV X", "intravenous infusion of X")
                adj = rx.pre_adjacent_adj if c.kind in ("route", "dosedesc") else rx.pre_adjacent
                if not adj.fullmatch(text, c.e, cur):
                    break
            elif not _is_glue(rx, text, c.e, cur, max_words=2) or re.search(r"(?<![\w])and(?![\w])|[;)]", text[c.e:cur]):
                break
            pre.insert(0, c)
            cur = c.s
    # a taper later in the window ("... and eventually tapered to 10 mg daily")
    taper_c = None
    if not any(c.kind == "taper" for c in chain):
        for c in comps:
            if c.kind == "taper" and c.s >= pos and not re.search(r"[.;]" + SP, text[pos:c.s]):
                if _norm(c.m.group("w")).lower() in rx.taper_generic and not _is_glue(rx, text, pos, c.s, status_ok=True):
                    break      # "X supplements, her total carnitine levels had increased to 86 μmol/L": not X's dose
                taper_c = c
                break
    status, status_span = _find_status(rx, text, before, start, end, pos)
    if not chain and not pre and taper_c is None and status is None:
        return None
    sig = Sig(start=0, end=0, dose_value=None, dose_unit=None)
    for c in chain + pre:
        _apply(rx, sig, c, text)
    if taper_c:
        _apply(rx, sig, taper_c, text, far=True)
    if sig.route is None and before and (chain or pre or status):
        # a route inside the drug's own name: "intravenous immunoglobulin", "IVIG"
        for c in _components(rx, text, before[1], name_end):
            if c.kind == "route":
                _apply(rx, sig, c, text)
                break
    parts = chain + pre
    if parts:
        sig.start = min(c.s for c in parts)
        sig.end = max(c.e for c in parts)
        # keep the span tight: no spaces or unmatched brackets at either side
        while sig.start < sig.end and (text[sig.start].isspace() or text[sig.start] in "(,"):
            sig.start += 1
        while sig.end > sig.start and (text[sig.end - 1].isspace() or text[sig.end - 1] in ",;"):
            sig.end -= 1
        if sig.start > start and chain and rx.forms_gap.fullmatch(text, start, sig.start):
            sig.start = start + len(text[start:sig.start]) - len(text[start:sig.start].lstrip())
        if text[sig.end - 1] == ")" and text.count("(", sig.start, sig.end) < text.count(")", sig.start, sig.end):
            sig.end -= 1
        if text.count("(", sig.start, sig.end) < text.count(")", sig.start, sig.end):
            k = len(text[:sig.start].rstrip())
            if k and text[k - 1] == "(":
                sig.start = k - 1      # "(8.4%, 10 flacon/day) infusion for 24 hours": the bracket is opened in the text
        elif text.count("(", sig.start, sig.end) > text.count(")", sig.start, sig.end) and text[sig.end:sig.end + 1] == ")":
            sig.end += 1
        if any(c.kind == "taper" and c.s == sig.start for c in parts):
            # "was tapered to 10 mg daily": the sig begins at the change, not at its auxiliary verb
            aux = rx.taper_aux.match(text, sig.start, sig.end)
            if aux:
                sig.start = aux.end()
        tail = rx.trailing_link.search(text, sig.start, sig.end)
        if tail and tail.start() > sig.start:
            sig.end = tail.start()      # "a 4-week course of": the sig ends before the linking word
    elif taper_c:
        sig.start, sig.end = sig.taper_span
    else:
        sig.start = sig.end = status_span[0] if status_span else start
    if sig.schedule_days and sig.frequency == 1 and sig.period and sig.period_unit in ("d", "wk") and \
            max(sig.schedule_days) <= sig.period * (7 if sig.period_unit == "wk" else 1):
        # "on days 1 through 3 repeated every 21 days": three doses in each 21 days
        sig.frequency = len(sig.schedule_days)
    sig.status, sig.status_span = status, status_span
    sig.restarted = status == "active" and _norm(text[status_span[0]:status_span[1]]).lower() in rx.restart
    if sig.taper and re.search(r"(?<![\w])off(?![\w])", sig.taper, re.I) and sig.status in (None, "active"):
        sig.status = "stopped"
    return sig
