"""Patient sex and age from the words case reports use ("A 69-year-old woman", "a 3-month-old boy",
"a male patient aged 45", "G2P1 woman"), and onset ages ("at the age of 51")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import MappingError
from ..resources import load_json


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    value: object
    unit: str | None = None


@lru_cache(maxsize=1)
def _rules():
    d = load_json("demographics.json")
    try:
        nums = d["number_words"]
        num = r"(\d+(?:\.\d+)?|(?:%s)(?:[\s-](?:%s))?)" % ("|".join(sorted(nums, key=len, reverse=True)),
                                                          "|".join(k for k in nums if nums[k] < 10))
        units = "|".join(sorted(map(re.escape, d["age_units"]), key=len, reverse=True))
        age_old = re.compile(rf"\b{num}[\s\-\u2010-\u2015]*({units})\.?[\s\-\u2010-\u2015]*old\b", re.I)
        aged = re.compile(rf"\b(?:aged|age)\s+{num}(?:\s*({units})\b)?", re.I)
        of_age = re.compile(rf"\b{num}\s*({units})\s+of\s+age\b", re.I)
        # words every of_age match contains: a cheap scan that spares the slow one in texts without them
        of_age_hint = re.compile(r"of\s+age", re.I)
        cues = "|".join(map(re.escape, sorted(d["onset_cues"], key=len, reverse=True)))
        onset = re.compile(rf"\b(?:{cues})\s+{num}(?:\s*({units})\b)?", re.I)
        fw = "|".join(map(re.escape, sorted(d["female_words"], key=len, reverse=True)))
        mw = "|".join(map(re.escape, sorted(d["male_words"], key=len, reverse=True)))
        sex_word = re.compile(rf"\b(?:(?P<f>{fw})|(?P<m>{mw}))\b", re.I)
        fpat = [re.compile(p) for p in d["female_patterns"]]
        return {"nums": nums, "units": d["age_units"], "age_old": age_old, "aged": aged, "of_age": of_age,
                "of_age_hint": of_age_hint,
                "onset": onset, "sex_word": sex_word, "fpat": fpat,
                "fpro": set(d["female_pronouns"]), "mpro": set(d["male_pronouns"])}
    except (KeyError, re.error, TypeError) as exc:
        raise MappingError(f"mappings/demographics.json: {exc!r}") from exc


def _number(s: str) -> float | None:
    s = s.strip().lower()
    try:
        return float(s)
    except ValueError:
        pass
    nums = _rules()["nums"]
    parts = re.split(r"[\s-]+", s)
    if all(p in nums for p in parts):
        return float(sum(nums[p] for p in parts))
    return None


def find_age(text: str, start: int = 0, end: int | None = None) -> Found | None:
    """The patient's current age: the first "N-year-old" / "aged N" / "N years of age" that is not an onset age."""
    r = _rules()
    end = len(text) if end is None else end
    best = None
    for pat, hint in ((r["age_old"], None), (r["aged"], None), (r["of_age"], r["of_age_hint"])):
        if hint is not None and not hint.search(text, start, end):
            continue
        for m in pat.finditer(text, start, end):
            before = text[max(0, m.start() - 16):m.start()].lower()
            if re.search(r"(?:at the|since the|from the|of the)\s*$", before) or re.search(r"\bat\s*$", before):
                continue
            value = _number(m.group(1))
            if value is None or value > 125:
                continue
            unit = r["units"].get((m.group(2) or "years").lower().rstrip("."), "a")
            if best is None or m.start() < best.start:
                best = Found(m.start(), m.end(), value, unit)
            break
    return best


def find_sex(text: str, ranges: list[tuple[int, int]]) -> Found | None:
    """First sex word in the patient's text, else the majority of pronouns."""
    r = _rules()
    for s, e in ranges:
        m = r["sex_word"].search(text, s, e)
        if m:
            return Found(m.start(), m.end(), "female" if m.group("f") else "male")
        for p in r["fpat"]:
            m = p.search(text, s, e)
            if m:
                return Found(m.start(), m.end(), "female")
    f = m_ = 0
    first = {}
    for s, e in ranges:
        for m in re.finditer(r"[A-Za-z]+", text[s:e]):
            w = m.group(0).lower()
            if w in r["fpro"]:
                f += 1
                first.setdefault("female", (s + m.start(), s + m.end()))
            elif w in r["mpro"]:
                m_ += 1
                first.setdefault("male", (s + m.start(), s + m.end()))
    if f or m_:
        sex = "female" if f > m_ else "male" if m_ > f else None
        if sex:
            return Found(*first[sex], sex)
    return None


def find_onset(text: str, start: int, end: int) -> Found | None:
    """An onset age stated in text[start:end] ("at the age of 51")."""
    r = _rules()
    m = r["onset"].search(text, start, end)
    if not m:
        return None
    value = _number(m.group(1))
    if value is None:
        return None
    return Found(m.start(), m.end(), value, r["units"].get((m.group(2) or "years").lower(), "a"))
