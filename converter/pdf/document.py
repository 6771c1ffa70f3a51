"""What the PDF layer hands on: text in reading order, blocks with kinds and sections, and a map
from any character of that text back to its page and box. Knows nothing of NLP or FHIR."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

BLOCK_KINDS = ("title", "author", "heading", "paragraph", "list", "caption", "footnote", "header",
               "footer", "table", "reference", "affiliation", "other")
SECTIONS = ("title", "abstract", "background", "case", "discussion", "conclusion", "references", "other")

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, origin top-left of the page


@dataclass
class Block:
    kind: str
    section: str
    page: int  # 1-based
    bbox: Box
    start: int  # char range in Document.text
    end: int
    text: str
    rows: list[list[str]] | None = None  # tables only

    def to_json(self) -> dict:
        d = {"kind": self.kind, "section": self.section, "page": self.page,
             "bbox": [round(v, 2) for v in self.bbox], "text": self.text, "start": self.start, "end": self.end}
        if self.rows is not None:
            d["rows"] = self.rows
        return d


@dataclass
class Document:
    """text: every block's text, in reading order, blocks separated by blank lines.

    char_pages / char_boxes: one entry per character of ``text`` (page 0 and an empty box for the
    separators the reader inserted), so offsets found by NLP can be traced to the page."""

    text: str
    blocks: list[Block]
    pages: int
    sha256: str
    title: str | None = None
    char_pages: list[int] = field(default_factory=list, repr=False)
    char_boxes: list[Box | None] = field(default_factory=list, repr=False)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"pages": self.pages, "sha256": self.sha256, "title": self.title,
                "blocks": [b.to_json() for b in self.blocks], "warnings": self.warnings}

    def block_at(self, offset: int) -> Block | None:
        starts = [b.start for b in self.blocks]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and self.blocks[i].start <= offset < self.blocks[i].end:
            return self.blocks[i]
        return None

    def locate(self, start: int, end: int) -> list[tuple[int, Box]]:
        """[(page, box)] covering text[start:end]: one box per page and line touched (a mention
        that wraps over a line or page gets several)."""
        out: list[tuple[int, list[float]]] = []
        for i in range(max(0, start), min(end, len(self.char_boxes))):
            box, page = self.char_boxes[i], self.char_pages[i]
            if not box or not page:
                continue
            if out and out[-1][0] == page and abs(out[-1][1][3] - box[3]) < max(2.0, (box[3] - box[1]) * 0.5) \
                    and box[0] >= out[-1][1][0] - 1:
                cur = out[-1][1]
                cur[0], cur[1], cur[2], cur[3] = min(cur[0], box[0]), min(cur[1], box[1]), max(cur[2], box[2]), max(cur[3], box[3])
            else:
                out.append((page, list(box)))
        return [(p, tuple(round(v, 2) for v in b)) for p, b in out]
