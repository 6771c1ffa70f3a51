"""Ruled tables through pdfplumber's table finder, run only on pages that have ruling lines.

A found table must look like one (at least 2 rows and 2 columns, most cells filled); its glyphs
are then taken out of the text flow and it becomes one ``table`` block with ``rows``. A table that
continues on the next page (same number of columns, at the top of that page, after a table at the
bottom of the previous one) is merged into one block, its repeated header row dropped."""
from __future__ import annotations

from dataclasses import dataclass

from .textbuild import norm_char


@dataclass
class TableRegion:
    bbox: tuple[float, float, float, float]
    rows: list[list[str]]


def _clean(cell) -> str:
    if cell is None:
        return ""
    return " ".join("".join(norm_char(c) for c in str(cell)).split())


def find_tables(page) -> list[TableRegion]:
    """Tables of a page (call it only when the page has ruling lines: it costs a full parse)."""
    out: list[TableRegion] = []
    try:
        found = page.find_tables()
    except Exception:  # noqa: BLE001 - a table finder failure must not stop reading
        return []
    for t in found:
        try:
            rows = [[_clean(c) for c in r] for r in t.extract()]
        except Exception:  # noqa: BLE001
            continue
        rows = [r for r in rows if any(r)]
        if len(rows) < 2 or max((len(r) for r in rows), default=0) < 2:
            continue
        cells = [c for r in rows for c in r]
        if sum(1 for c in cells if c) < 0.5 * len(cells):
            continue
        out.append(TableRegion(tuple(t.bbox), rows))
    return out


def inside_box(x0, top, x1, bottom, regions: list[TableRegion]) -> bool:
    cx, cy = (x0 + x1) / 2, (top + bottom) / 2
    for r in regions:
        x0, t, x1, b = r.bbox
        if x0 - 0.5 <= cx <= x1 + 0.5 and t - 0.5 <= cy <= b + 0.5:
            return True
    return False


def table_text(rows: list[list[str]]) -> str:
    return "\n".join(" | ".join(r) for r in rows)
