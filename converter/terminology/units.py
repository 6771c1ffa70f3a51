"""Units as papers write them -> UCUM codes.

Whole units come from the ``unit`` rows of mappings/units.tsv ("bpm", "°C", "mmHg", "%"); anything
else is composed from its ``atom`` rows split on "/" ("mg/kg/day" -> "mg/kg/d") and from
powers of ten ("x10^9/L", "×10⁹/L", "x109/L" from a PDF that lost the superscript -> "10*9/L")."""
from __future__ import annotations

import re
import unicodedata

_POW = re.compile(r"^(?:x|\*)?10(?:\^|\*|e|\*\*)?(\d{1,2})(?:cells?)?(?:/|per)(.+)$")
_POW_UNIT = re.compile(r"^(?:x|\*)10(?:\^|\*|e|\*\*)?(\d{1,2})([a-z\[].*)$")
_POW_ONLY = re.compile(r"^(?:x|\*)10(?:\^|\*|e|\*\*)?(\d{1,2})$")
# "WBC 11.2 G/L": a capital G or T before "/L" is the SI prefix giga or tera (cells per litre), not grams
# or tesla; the only case where the letter case of a written unit changes its meaning in case reports
_SI_COUNT = re.compile(r"^([GT])/[lL]$")
_SI_EXP = {"G": "9", "T": "12"}


def si_count(text: str) -> tuple[str, str] | None:
    m = _SI_COUNT.match(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "").strip().rstrip(".,;:")))
    if not m:
        return None
    e = _SI_EXP[m.group(1)]
    return f"10*{e}/L", f"10^{e}/L"


def unit_key(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).strip().rstrip(".,;:")
    s = s.replace("μ", "u").replace("µ", "u").replace("×", "x").replace("⋅", ".").replace("·", ".").replace("・", ".")
    s = re.sub(r"\s+per\s+", "/", s, flags=re.I)
    s = re.sub(r"^per\s+", "/", s, flags=re.I)
    s = re.sub(r"\s+", "", s)
    return s.lower()


_MEMO_MAX = 4096  # distinct unit strings remembered by a parser


class UnitParser:
    def __init__(self, units: dict[str, tuple[str, str]], atoms: dict[str, tuple[str, str]]):
        self.units = units  # key -> (ucum, display)
        self.atoms = atoms
        self._memo: dict = {}

    def __call__(self, text: str) -> tuple[str, str] | None:
        """(UCUM code, display) of a unit as written, or None; remembered per string (a document
        writes a few units many times)."""
        memo = self._memo
        if text in memo:
            return memo[text]
        hit = self._parse(text)
        if len(memo) < _MEMO_MAX:
            memo[text] = hit
        return hit

    def _parse(self, text: str) -> tuple[str, str] | None:
        if not text or len(text) > 40:
            return None
        cased = si_count(text)
        if cased:
            return cased
        k = unit_key(text)
        if not k:
            return None
        hit = self.units.get(k) or self.atoms.get(k)
        if hit:
            return hit
        m = _POW.match(k)
        if m:
            rest = self._compose(m.group(2))
            if rest is None:
                return None
            return f"10*{m.group(1)}/{rest[0]}", f"10^{m.group(1)}/{rest[1]}"
        m = _POW_ONLY.match(k)
        if m:
            return f"10*{m.group(1)}", f"10^{m.group(1)}"
        m = _POW_UNIT.match(k)  # "x10^6 IU/mL" -> 10*6.[IU]/mL
        if m:
            rest = self._compose(m.group(2))
            if rest and not rest[0].startswith("/"):
                return f"10*{m.group(1)}.{rest[0]}", f"10^{m.group(1)} {rest[1]}"
            return None
        if k.startswith("%") and k[1:2].isalpha():  # "% neutrophils", "% of normal"
            return "%", "%"
        return self._compose(k)

    def _compose(self, k: str) -> tuple[str, str] | None:
        if k.startswith("/"):
            parts = [""] + k[1:].split("/")
        else:
            parts = k.split("/")
        if len(parts) > 4 or any(p == "" for p in parts[1:]):
            return None
        codes, displays = [], []
        for i, p in enumerate(parts):
            if p == "" and i == 0:
                codes.append("")
                displays.append("")
                continue
            hit = self.atoms.get(p)
            if hit is None:
                return None
            codes.append(hit[0])
            displays.append(hit[1])
        if len(parts) == 1:
            return codes[0], displays[0]
        return "/".join(codes), "/".join(displays)
