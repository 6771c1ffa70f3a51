"""Sections of plain text (the PDF reader supplies its own): heading lines, or "HEADING:" at the
start of a line, open a section; the vocabulary is mappings/sections.json."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import MappingError
from ..resources import load_json


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    section: str
    kind: str = "paragraph"


@lru_cache(maxsize=1)
def rules() -> dict:
    data = load_json("sections.json")
    for key in ("headings", "patient_sections", "literature_sections", "non_story_kinds", "about_patient"):
        if key not in data:
            raise MappingError(f"mappings/sections.json: missing key {key!r}")
    table = {}
    for i, h in enumerate(data["headings"]):
        if not isinstance(h.get("section"), str) or not isinstance(h.get("phrases"), list):
            raise MappingError(f"mappings/sections.json: headings[{i}] needs 'section' and 'phrases'")
        for p in h["phrases"]:
            table[_norm(p)] = h["section"]
    return {**data, "table": table}


def _norm(s: str) -> str:
    s = re.sub(r"^\s*(?:[0-9]+(?:\.[0-9]+)*\.?|[IVX]+\.)\s+", "", s)
    return re.sub(r"[\s:.\-–—]+$", "", re.sub(r"\s+", " ", s.strip().lower()))


_LINE = re.compile(r"[^\n]*\n?")
_INLINE = re.compile(r"^\s*([A-Za-z][A-Za-z &/\-]{1,40}?)\s*:\s+\S")


def heading_section(line: str) -> str | None:
    """The section a heading line opens, or None when the line is not a heading."""
    table = rules()["table"]
    if len(line.strip()) > 60:  # before normalising: most lines are paragraphs
        return None
    n = _norm(line)
    return table[n] if n in table else None


def split_sections(text: str) -> list[Segment]:
    lines = []
    for m in _LINE.finditer(text):
        if m.start() == m.end():
            break
        lines.append((m.start(), m.end(), m.group(0)))
    marks: list[tuple[int, int, str, int]] = []  # (line index, heading end offset, section, heading start)
    for idx, (s, e, line) in enumerate(lines):
        sec = heading_section(line)
        if sec:
            marks.append((idx, e, sec, s))
            continue
        m = _INLINE.match(line)
        if m and (sec := heading_section(m.group(1))):
            marks.append((idx, s + m.end(1) + (m.end() - m.end(1) - 1), sec, s))
    segs: list[Segment] = []
    if not marks:
        return [Segment(0, len(text), "case")] if text else []
    first_idx = marks[0][0]
    # before the first heading: title block (short unpunctuated lines) or an unlabelled story
    for s, e, line in lines[:first_idx]:
        stripped = line.strip()
        if not stripped:
            continue
        kind = "title" if not stripped.endswith(".") and len(stripped.split()) <= 25 else "paragraph"
        segs.append(Segment(s, e, "title" if kind == "title" else "other", kind))
    for k, (idx, head_end, sec, head_start) in enumerate(marks):
        segs.append(Segment(head_start, head_end, sec, "heading"))
        body_end = lines[marks[k + 1][0]][0] if k + 1 < len(marks) else len(text)
        if head_end < body_end:
            segs.append(Segment(head_end, body_end, sec, "reference" if sec == "references" else "paragraph"))
    return segs


class SectionIndex:
    """Which segment a character offset falls in."""

    def __init__(self, segments: list[Segment], length: int):
        self.segments = sorted(segments, key=lambda g: g.start) or [Segment(0, length, "case")]
        self.starts = [g.start for g in self.segments]

    def at(self, offset: int) -> Segment:
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        seg = self.segments[i]
        if seg.start <= offset < seg.end:
            return seg
        return Segment(offset, offset + 1, "other", "other")
