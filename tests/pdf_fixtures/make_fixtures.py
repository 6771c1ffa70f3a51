#!/usr/bin/env python3
"""Generate the PDF fixtures of tests/test_pdf_*.py with reportlab (a test dependency).

Layouts the shared corpus does not cover, each with the body text it must read back
(``<name>.expected.json``: {"body": [paragraph, ...], "tables": [[row, ...], ...], "headings": [...]}):

- three_columns.pdf: A4, full-width title, authors, affiliations and abstract, then three justified
  columns in Times; words placed one by one (no space glyphs, like TeX output), line-end
  hyphenation (soft, and one hard compound), superscript citations, running header and footer
  with page numbers, a footnote block at the bottom of the first column of page 1, numbered
  headings, a references list.
- rotated_pages.pdf: three pages: an upright one, one with /Rotate 90 whose content is drawn
  normally (so it reads top to bottom on screen), and a landscape page (/Rotate 90 with the content
  drawn turned back so it reads normally).
- table_split.pdf: one column, Helvetica, a ruled lab table that starts near the bottom of page 1
  and continues on page 2 with its header row repeated; body text before and after it.
- booktabs_table.pdf: two columns, a table with only three horizontal rules in the left column.
- twocol_wide.pdf: Letter, two ragged-right columns with a full-width figure caption in the middle
  of page 1 (columns above and below it), a correspondence footnote, ligature glyphs.

Deterministic: running it again gives the same files (reportlab invariant mode).
Usage: python tests/pdf_fixtures/make_fixtures.py [OUTDIR]
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from reportlab import rl_config

rl_config.invariant = 1

from reportlab.lib.pagesizes import A4, letter  # noqa: E402
from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
import reportlab  # noqa: E402

pdfmetrics.registerFont(TTFont("Vera", str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")))

HERE = Path(__file__).resolve().parent

INTRO = [
    "Necrotizing fasciitis is a rare but rapidly progressive soft tissue infection^1 that carries a high mortality when treatment is delayed.",
    "Early surgical debridement remains the cornerstone of management, and broad-spectrum antibiotics are started on suspicion^2,3.",
]
CASE = [
    "A 58-year-old man presented to the emergency department with a three-day history of fever, swelling and severe pain of the left thigh.",
    "He had a history of poorly controlled type 2 diabetes mellitus and chronic kidney disease, and he had received an intramuscular injection at the same site one week earlier.",
    "On examination he was febrile at 39.2 degrees, tachycardic at 124 beats per minute and hypotensive, with tense erythematous skin, crepitus and bullae over the anterolateral thigh.",
    "Laboratory investigations showed a leukocytosis of 23,400 per microliter, a C-reactive protein of 312 mg/L, a serum creatinine of 2.1 mg/dL and a lactate of 4.2 mmol/L.",
    "Computed tomography demonstrated extensive gas tracking along the fascial planes of the quadriceps compartment with low-attenuation fluid collections.",
    "He underwent emergency surgical exploration with radical debridement of necrotic fascia and subcutaneous tissue, and intravenous meropenem, vancomycin and clindamycin were started.",
    "Tissue cultures grew Streptococcus pyogenes and Bacteroides fragilis, and the antibiotic regimen was narrowed according to the susceptibility results.",
    "Two further debridements were needed over the following week, after which negative-pressure wound therapy was applied and the wound granulated well.",
    "He was discharged on the twenty-first hospital day and a split-thickness skin graft was performed six weeks later with complete take.",
]
DISCUSSION = [
    "Diabetes, renal failure and injection at the site are well recognized risk factors^4 for this infection.",
    "Clinical suspicion should prompt immediate surgical consultation, because imaging findings may be subtle in the early phase and delay increases mortality considerably.",
]
REFS = [
    "1. Stevens DL, Bryant AE. Necrotizing soft-tissue infections. N Engl J Med. 2017;377(23):2253-65.",
    "2. Wong CH, Chang HC, Pasupathy S, et al. Necrotizing fasciitis: clinical presentation, microbiology, and determinants of mortality. J Bone Joint Surg Am. 2003;85(8):1454-60.",
    "3. Anaya DA, Dellinger EP. Necrotizing soft-tissue infection: diagnosis and management. Clin Infect Dis. 2007;44(5):705-10.",
    "4. Goh T, Goh LG, Ang CH, Wong CH. Early diagnosis of necrotizing fasciitis. Br J Surg. 2014;101(1):e119-25.",
]
ABSTRACT = ("We describe a man with diabetes who developed necrotizing fasciitis of the thigh after an "
            "intramuscular injection and recovered after repeated debridement, targeted antibiotics and skin grafting.")


def plain(text: str) -> str:
    """Expected reading of a source string: citation marks removed."""
    return re.sub(r"\^[\d,\-]+", "", text)


SUFFIXES = ("tion", "sion", "ment", "ness", "ity")


def split_word(word: str) -> tuple[str, str] | None:
    """A line-end break for a long word: at its own hyphen (hard), else before a common suffix
    (soft; always a legal hyphenation point, as a typesetter's would be)."""
    core = word.rstrip(".,;:)")
    if "-" in core[1:-1]:
        i = core.index("-", 1)
        return word[:i + 1], word[i + 1:]
    if len(core) < 8 or not core.isalpha():
        return None
    for suf in SUFFIXES:
        if core.endswith(suf) and len(core) - len(suf) >= 4:
            i = len(core) - len(suf)
            if suf in ("tion", "sion") and core[i - 1] not in "cp":
                continue
            return word[:i] + "-", word[i:]
    return None


class Flow:
    """A tiny typesetter: paragraphs flow through column frames, page after page."""

    def __init__(self, path: Path, pagesize, frames, *, font="Times-Roman", size=9.0, leading=11.0,
                 justify=True, spaces=True, hyphenate=True, header=None, footer=None, indent=10.0):
        self.c = canvas.Canvas(str(path), pagesize=pagesize)
        self.w, self.h = pagesize
        self.frames_first, self.frames = frames
        self.font, self.size, self.leading = font, size, leading
        self.justify, self.spaces, self.hyphenate, self.indent = justify, spaces, hyphenate, indent
        self.header, self.footer = header, footer
        self.page = 1
        self.fi = 0
        self.y = None
        self._start_page()

    def cur_frames(self):
        return self.frames_first if self.page == 1 else self.frames

    def _start_page(self):
        if self.header:
            self.c.setFont("Helvetica-Oblique", 7.5)
            self.c.drawString(self.frames[0][0], self.h - 30, self.header)
        if self.footer:
            self.c.setFont("Helvetica", 7.5)
            self.c.drawRightString(self.w - self.frames[0][0], 28, self.footer.format(page=self.page))
        self.fi = 0
        self.y = self.cur_frames()[0][1]

    def new_page(self):
        self.c.showPage()
        self.page += 1
        self._start_page()

    def frame(self):
        return self.cur_frames()[self.fi]

    def need(self, height):
        x, top, width, bottom = self.frame()
        if self.y - height < bottom:
            self.fi += 1
            if self.fi >= len(self.cur_frames()):
                self.new_page()
            else:
                self.y = self.frame()[1]

    def space(self, h):
        self.y -= h

    def _draw_line(self, words, x, width, last, font, size):
        c = self.c
        pieces = []
        for w in words:
            m = re.match(r"^(.*?)\^([\d,\-]+)(\W*)$", w)
            if m:
                pieces.append([(m.group(1), False), (m.group(2), True), (m.group(3), False)])
            else:
                pieces.append([(w, False)])

        def wwidth(p):
            return sum(stringWidth(t, font, size * (0.6 if sup else 1)) for t, sup in p)

        total = sum(wwidth(p) for p in pieces)
        sp = stringWidth(" ", font, size)
        gap = sp
        if self.justify and not last and len(pieces) > 1:
            gap = (width - total) / (len(pieces) - 1)
        cx = x
        for k, p in enumerate(pieces):
            for t, sup in p:
                if not t:
                    continue
                if sup:
                    c.setFont(font, size * 0.6)
                    c.drawString(cx, self.y + size * 0.35, t)
                    cx += stringWidth(t, font, size * 0.6)
                else:
                    c.setFont(font, size)
                    if self.spaces and k < len(pieces) - 1 and (t, sup) == p[-1]:
                        c.drawString(cx, self.y, t + " ")
                    else:
                        c.drawString(cx, self.y, t)
                    cx += stringWidth(t, font, size)
            cx += gap

    def para(self, text, *, font=None, size=None, leading=None, indent=None, justify=None):
        font, size = font or self.font, size or self.size
        leading = leading or self.leading
        indent = self.indent if indent is None else indent
        old_j = self.justify
        if justify is not None:
            self.justify = justify
        words = text.split()
        first = True
        while words:
            self.need(leading)
            x, top, width, bottom = self.frame()
            lx = x + (indent if first else 0)
            lw = width - (indent if first else 0)
            line, used = [], 0.0
            sp = stringWidth(" ", font, size)
            while words:
                w = words[0]
                ww = stringWidth(re.sub(r"\^[\d,\-]+", "", w), font, size)
                need = ww + (sp if line else 0)
                if used + need <= lw:
                    line.append(w)
                    used += need
                    words.pop(0)
                    continue
                if self.hyphenate and len(line) >= 2:
                    parts = split_word(w)
                    if parts and used + sp + stringWidth(parts[0], font, size) <= lw:
                        line.append(parts[0])
                        words[0] = parts[1]
                break
            if not line:  # a word longer than the line
                line.append(words.pop(0))
            self.y -= leading
            self._draw_line(line, lx, lw, not words, font, size)
            first = False
        self.justify = old_j

    def heading(self, text, font="Helvetica-Bold", size=None):
        size = size or self.size + 0.5
        self.space(self.leading * 0.6)
        self.need(self.leading * 3)
        x = self.frame()[0]
        self.y -= self.leading
        self.c.setFont(font, size)
        self.c.drawString(x, self.y, text)
        self.space(self.leading * 0.3)

    def save(self):
        self.c.showPage()
        self.c.save()


def full_width(c, x, y, width, text, font, size, leading):
    """Draw a left-aligned full-width paragraph from baseline y; returns the y below it."""
    words, line = text.split(), ""
    for w in words:
        t = (line + " " + w).strip()
        if stringWidth(t, font, size) > width and line:
            c.setFont(font, size)
            c.drawString(x, y, line)
            y -= leading
            line = w
        else:
            line = t
    if line:
        c.setFont(font, size)
        c.drawString(x, y, line)
        y -= leading
    return y


# ----------------------------------------------------------------------------- layouts
def three_columns(out: Path) -> dict:
    w, h = A4
    m, g = 40.0, 12.0
    cw = (w - 2 * m - 2 * g) / 3
    top_first = h - 250
    frames_first = [(m + i * (cw + g), top_first, cw, 120 if i == 0 else 60) for i in range(3)]
    frames = [(m + i * (cw + g), h - 60, cw, 60) for i in range(3)]
    f = Flow(out / "three_columns.pdf", A4, (frames_first, frames), font="Times-Roman", size=8.5, leading=10.5,
             spaces=False, header="Journal of Reproducible Case Reports  |  2025; 3: e41", footer="Page {page}")
    c = f.c
    c.setFont("Helvetica-Bold", 15)
    c.drawString(m, h - 70, "Necrotizing fasciitis after an intramuscular injection in a")
    c.drawString(m, h - 88, "patient with diabetes")
    c.setFont("Helvetica", 9)
    c.drawString(m, h - 106, "A. Moreau, B. Lindqvist, C. Okafor")
    c.setFont("Helvetica-Oblique", 7)
    c.drawString(m, h - 118, "Department of Surgery, Lakeside General Hospital, Northport, Ireland")
    c.setFont("Helvetica-Bold", 9)
    c.drawString(m, h - 140, "Abstract")
    y = full_width(c, m, h - 153, w - 2 * m, ABSTRACT, "Times-Italic", 9, 11)
    # footnote block at the bottom of column 1, page 1
    c.setLineWidth(0.4)
    c.line(m, 112, m + 60, 112)
    c.setFont("Helvetica", 6.5)
    c.drawString(m, 102, "Received 3 March 2025; accepted 2 May 2025")
    c.drawString(m, 94, "Correspondence: A. Moreau,")
    c.drawString(m, 86, "amoreau@lakeside.example.org")
    c.drawString(m, 78, "© 2025 The Authors. CC BY 4.0")
    f.heading("1. INTRODUCTION")
    for p in INTRO:
        f.para(p)
    f.heading("2. CASE REPORT")
    for p in CASE:
        f.para(p)
    f.heading("3. DISCUSSION")
    for p in DISCUSSION:
        f.para(p)
    f.heading("REFERENCES")
    for r in REFS:
        f.para(r, size=7, leading=8.5, indent=0, justify=False)
    f.save()
    return {"body": [ABSTRACT] + [plain(p) for p in INTRO + CASE + DISCUSSION],
            "headings": ["Abstract", "1. INTRODUCTION", "2. CASE REPORT", "3. DISCUSSION", "REFERENCES"],
            "sections": {"Necrotizing fasciitis is a rare": "background", "A 58-year-old man": "case",
                         "Diabetes, renal failure": "discussion", ABSTRACT[:30]: "abstract"},
            "not_body": ["Received 3 March", "Correspondence", "Journal of Reproducible", "Page 1",
                         "Stevens DL", "Lakeside General Hospital", "Moreau"]}


def rotated_pages(out: Path) -> dict:
    w, h = A4
    c = canvas.Canvas(str(out / "rotated_pages.pdf"), pagesize=A4)
    texts = [CASE[0] + " " + CASE[1], CASE[2] + " " + CASE[3], CASE[4] + " " + CASE[5]]
    # page 1: upright
    full_width(c, 72, h - 100, w - 144, texts[0], "Helvetica", 10, 13)
    c.showPage()
    # page 2: /Rotate 90, content drawn as usual -> shown sideways
    c.setPageRotation(90)
    full_width(c, 72, h - 100, w - 144, texts[1], "Helvetica", 10, 13)
    c.showPage()
    # page 3: landscape page, /Rotate 90 with the content turned back: reads normally on screen
    c.setPageRotation(90)
    c.saveState()
    c.translate(w, 0)
    c.rotate(90)
    full_width(c, 72, w - 100, h - 144, texts[2], "Helvetica", 10, 13)
    c.restoreState()
    c.showPage()
    c.save()
    return {"body": texts, "headings": [], "not_body": []}


TABLE_HEAD = ["Test", "Result", "Reference range"]
TABLE_ROWS = [["Hemoglobin", "10.2 g/dL", "13.5-17.5 g/dL"], ["White blood cells", "23.4 x10^9/L", "4.0-11.0 x10^9/L"],
              ["Platelets", "412 x10^9/L", "150-400 x10^9/L"], ["Sodium", "131 mmol/L", "135-145 mmol/L"],
              ["Potassium", "5.3 mmol/L", "3.5-5.1 mmol/L"], ["Creatinine", "2.1 mg/dL", "0.7-1.3 mg/dL"],
              ["Urea", "68 mg/dL", "15-45 mg/dL"], ["Glucose", "287 mg/dL", "70-100 mg/dL"],
              ["C-reactive protein", "312 mg/L", "< 5 mg/L"], ["Procalcitonin", "18.6 ng/mL", "< 0.5 ng/mL"],
              ["Lactate", "4.2 mmol/L", "0.5-2.2 mmol/L"], ["Albumin", "2.6 g/dL", "3.5-5.0 g/dL"]]


def _ruled_table(c, x, y, widths, rows, font="Helvetica", size=8.5, rh=15.0):
    """Draw rows with full rulings from top y; returns y below."""
    total = sum(widths)
    c.setLineWidth(0.5)
    c.line(x, y, x + total, y)
    for r, row in enumerate(rows):
        c.setFont("Helvetica-Bold" if row is TABLE_HEAD else font, size)
        cx = x
        for cell, cw in zip(row, widths):
            c.drawString(cx + 4, y - rh + 4.5, cell)
            cx += cw
        y -= rh
        c.line(x, y, x + total, y)
    top = y + rh * len(rows)
    cx = x
    for cw in widths + [0]:
        c.line(cx, top, cx, y)
        cx += cw
    return y


def table_split(out: Path) -> dict:
    w, h = letter
    c = canvas.Canvas(str(out / "table_split.pdf"), pagesize=letter)
    body = [CASE[0], CASE[1], CASE[2], CASE[3] + " " + CASE[4] + " " + CASE[5] + " " + CASE[6] + " " + CASE[7],
            CASE[8]]
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, h - 80, "A split laboratory table")
    c.setFont("Helvetica-Bold", 11)
    c.drawString(72, h - 115, "Case presentation")
    y = h - 135
    for p in body[:4]:
        y = full_width(c, 72, y, w - 144, p, "Helvetica", 10, 13) - 6
    c.setFont("Helvetica-Bold", 9)
    c.drawString(72, y - 4, "Table 1. Laboratory results on admission.")
    y -= 12
    widths = [170.0, 120.0, 150.0]
    first = [TABLE_HEAD] + TABLE_ROWS[:5]
    y = _ruled_table(c, 72, y, widths, first)
    c.setFont("Helvetica", 8)
    c.drawRightString(w - 72, 40, "Page 1 of 2")
    c.showPage()
    c.setFont("Helvetica", 8)
    c.drawRightString(w - 72, 40, "Page 2 of 2")
    y = _ruled_table(c, 72, h - 72, widths, [TABLE_HEAD] + TABLE_ROWS[5:])
    c.setFont("Helvetica-Bold", 11)
    c.drawString(72, y - 30, "Outcome and follow-up")
    full_width(c, 72, y - 50, w - 144, body[4], "Helvetica", 10, 13)
    c.showPage()
    c.save()
    return {"body": body, "tables": [[TABLE_HEAD] + TABLE_ROWS], "headings": ["Case presentation", "Outcome and follow-up"],
            "not_body": ["Laboratory results on admission", "Hemoglobin", "Page 1 of 2"]}


def twocol_wide(out: Path) -> dict:
    w, h = letter
    m, g = 54.0, 22.0
    cw = (w - 2 * m - g) / 2
    # page 1: columns above the wide caption (top 430 .. 470 from bottom), then columns below
    frames_first = [(m, h - 150, cw, 470), (m + cw + g, h - 150, cw, 470),
                    (m, 400, cw, 130), (m + cw + g, 400, cw, 72)]
    frames = [(m, h - 72, cw, 72), (m + cw + g, h - 72, cw, 72)]
    f = Flow(out / "twocol_wide.pdf", letter, (frames_first, frames), font="Vera", size=9.5, leading=12,
             justify=False, spaces=True, hyphenate=False, header=None, footer="{page}", indent=0)
    c = f.c
    c.setFont("Times-Bold", 18)
    c.drawString(m, h - 90, "Sepsis from a thigh wound: a case report")
    c.setFont("Times-Roman", 10)
    c.drawString(m, h - 110, "D. Ferreira and E. Novak")
    c.setFillGray(0.8)
    c.rect(m, 430, w - 2 * m, 36, fill=1, stroke=0)
    c.setFillGray(0)
    c.setFont("Helvetica-Bold", 8)
    c.drawString(m, 418, "Figure 1. Computed tomography of the thigh showing gas along the fascial planes (arrows) and")
    c.drawString(m, 408, "fluid collections in the quadriceps compartment.")
    c.setFont("Helvetica", 7)
    c.drawString(m, 110, "Correspondence: D. Ferreira,")
    c.drawString(m, 101, "dferreira@hospital.example.org")
    lig = [p.replace("fi", "\ufb01").replace("fl", "\ufb02") for p in CASE]
    f.heading("Case presentation")
    for p in lig:
        f.para(p)
        f.space(4)
    f.heading("Discussion")
    for p in DISCUSSION:
        f.para(plain(p))
        f.space(4)
    f.save()
    return {"body": [plain(p) for p in CASE + DISCUSSION], "headings": ["Case presentation", "Discussion"],
            "not_body": ["Figure 1", "fluid collections in the quadriceps", "Correspondence", "D. Ferreira and E. Novak"]}


def booktabs_table(out: Path) -> dict:
    """A two-column page with a table ruled only by three horizontal rules (no vertical lines,
    so no grid for a line-based table finder) inside the left column."""
    w, h = A4
    m, g = 50.0, 20.0
    cw = (w - 2 * m - g) / 2
    c = canvas.Canvas(str(out / "booktabs_table.pdf"), pagesize=A4)
    c.setFont("Helvetica-Bold", 15)
    c.drawString(m, h - 70, "A table without vertical rules")
    body = [CASE[0], CASE[1], CASE[2], CASE[3], CASE[4], CASE[5], CASE[6], CASE[7], CASE[8]]
    y = h - 110
    x = m
    rows = [["Test", "Result", "Range"], ["Sodium", "131 mmol/L", "135-145"], ["Potassium", "5.3 mmol/L", "3.5-5.1"],
            ["Creatinine", "2.1 mg/dL", "0.7-1.3"], ["Lactate", "4.2 mmol/L", "0.5-2.2"]]
    for k, p in enumerate(body):
        if k == 2:
            c.setFont("Helvetica-Bold", 8)
            c.drawString(x, y - 8, "Table 1. Admission laboratory values.")
            y -= 14
            c.setLineWidth(0.8)
            c.line(x, y, x + cw, y)
            for r, row in enumerate(rows):
                c.setFont("Helvetica-Bold" if r == 0 else "Helvetica", 8)
                for cell, cx in zip(row, (x + 2, x + 85, x + 170)):
                    c.drawString(cx, y - 11, cell)
                y -= 14
                if r == 0:
                    c.setLineWidth(0.4)
                    c.line(x, y, x + cw, y)
            c.setLineWidth(0.8)
            c.line(x, y, x + cw, y)
            y -= 10
        if k == 5:
            x, y = m + cw + g, h - 110
        y = full_width(c, x, y, cw, p, "Times-Roman", 9.5, 11.5) - 5
    c.setFont("Helvetica", 7)
    c.drawRightString(w - m, 30, "1")
    c.showPage()
    c.save()
    return {"body": body, "tables": [rows], "headings": [], "not_body": ["Admission laboratory", "131 mmol/L", "Creatinine"]}


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else HERE
    out.mkdir(parents=True, exist_ok=True)
    for fn in (three_columns, rotated_pages, table_split, twocol_wide, booktabs_table):
        exp = fn(out)
        name = fn.__name__
        (out / f"{name}.expected.json").write_text(json.dumps(exp, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(out / f"{name}.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
