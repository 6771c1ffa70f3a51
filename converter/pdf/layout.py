"""Geometry: glyphs -> words -> line fragments -> columns -> lines -> raw blocks, per page.

Nothing here knows about journals: every threshold is relative to the font size of the text it
looks at, so the same rules hold for any page size, font or number of columns.

Pipeline for one page:

1. ``make_words``: glyphs in content-stream order, cut at spaces, at horizontal gaps, at baseline
   jumps and at size jumps (so a superscript citation mark is a word of its own).
2. ``make_fragments``: words sorted left to right join the fragment on their left when they overlap
   it vertically and the gap is smaller than ~0.8 em. A gap wider than that (a column gutter, a table
   cell gap, the space between a left and a right running header) starts a new fragment.
3. ``find_gutters``: a horizontal projection of the fragments; a gutter is an x-run whose coverage is
   a local minimum (at most half the coverage on both sides) and at least ~0.8 em wide. Each gutter
   is then checked vertically: the fragments (in top order) that do not cross it form zones; a zone
   is columnar when it has text on both sides, side by side, with an aligned left edge on the right.
   Full-width material (title, abstract, a wide figure caption) crosses the gutter and splits zones,
   so full-width blocks above, between or below columns keep their place.
4. ``order_fragments``: consecutive fragments with the same set of active column zones form a band;
   bands are read top to bottom, a band column by column.
5. ``make_lines`` / ``make_blocks``: fragments of one column on one baseline become a line; lines
   become blocks at vertical gaps, style changes (size, weight, family), first-line indents, and
   caption starts.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from functools import lru_cache

_BOLD = re.compile(r"bold|black|heavy|semibold|demi|\bsb\b|-b$|,b$", re.I)
_ITALIC = re.compile(r"italic|oblique|-it$|,it$|\bit\b", re.I)


@lru_cache(maxsize=4096)
def font_info(fontname: str) -> tuple[str, bool, bool]:
    """(family, bold, italic) from a PDF font name such as 'ABCDEF+DejaVuSerif-BoldItalic'."""
    name = fontname.split("+", 1)[-1]
    bold = bool(_BOLD.search(name))
    italic = bool(_ITALIC.search(name))
    family = re.split(r"[-,]", name, maxsplit=1)[0]
    family = re.sub(r"(?i)(bold|italic|oblique|regular|roman|medium|light|mt|ps)+$", "", family) or name
    return family, bold, italic


class Ch:
    """One glyph."""

    __slots__ = ("t", "x0", "top", "x1", "bottom", "size", "family", "bold", "italic", "ob")

    def __init__(self, t, x0, top, x1, bottom, size, fontname, ob=None):
        self.t = t
        self.x0, self.top, self.x1, self.bottom = x0, top, x1, bottom
        self.size = size
        self.family, self.bold, self.italic = font_info(fontname)
        self.ob = ob  # the box on the page when the layout runs in rotated coordinates

    def box(self):
        return self.ob or (self.x0, self.top, self.x1, self.bottom)


class Word:
    __slots__ = ("chars", "x0", "top", "x1", "bottom", "size", "sup", "text")

    def __init__(self, chars: list[Ch]):
        self.chars = chars
        self.x0 = min(c.x0 for c in chars)
        self.x1 = max(c.x1 for c in chars)
        self.top = min(c.top for c in chars)
        self.bottom = max(c.bottom for c in chars)
        self.size = max(c.size for c in chars)
        self.sup = False
        self.text = "".join(c.t for c in chars)


class Frag:
    """Words on one baseline, horizontally close: a line of one column, a table cell, a header part."""

    __slots__ = ("words", "x0", "top", "x1", "bottom", "size", "base", "table", "col")

    def __init__(self, w: Word | None = None):
        self.words: list[Word] = []
        self.table = None
        self.col = 0
        if w is not None:
            self.words.append(w)
            self.x0, self.top, self.x1, self.bottom = w.x0, w.top, w.x1, w.bottom
            self.size, self.base = w.size, w.bottom

    def add(self, w: Word):
        self.words.append(w)
        self.x1 = max(self.x1, w.x1)
        self.top = min(self.top, w.top)
        self.bottom = max(self.bottom, w.bottom)
        if w.size > self.size * 1.05:
            self.size, self.base = w.size, w.bottom

    @property
    def cy(self):
        return (self.top + self.bottom) / 2


@dataclass
class Line:
    frags: list[Frag]
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # dominant glyph size (by char count)
    family: str
    bold: bool
    italic: bool
    nchars: int
    table: object = None
    col: int = 0

    @property
    def words(self) -> list[Word]:
        return [w for f in self.frags for w in f.words]

    def text(self, sup: bool = False) -> str:
        return " ".join(w.text for w in self.words if sup or not w.sup)


@dataclass
class RawBlock:
    page: int
    lines: list[Line]
    col: int = 0
    table: object = None
    kind: str = ""
    section: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def bbox(self):
        return (min(l.x0 for l in self.lines), min(l.top for l in self.lines),
                max(l.x1 for l in self.lines), max(l.bottom for l in self.lines))

    @property
    def size(self) -> float:
        return _dominant([(l.size, l.nchars) for l in self.lines]) if self.lines else 0.0

    @property
    def bold(self) -> bool:
        n = sum(l.nchars for l in self.lines if l.bold)
        return n * 2 > sum(l.nchars for l in self.lines)

    @property
    def italic(self) -> bool:
        n = sum(l.nchars for l in self.lines if l.italic)
        return n * 2 > sum(l.nchars for l in self.lines)

    @property
    def family(self) -> str:
        return _dominant([(l.family, l.nchars) for l in self.lines]) if self.lines else ""

    def text(self) -> str:
        return " ".join(l.text() for l in self.lines).strip()


def _dominant(pairs):
    acc: dict = {}
    for k, n in pairs:
        acc[k] = acc.get(k, 0) + n
    return max(acc.items(), key=lambda kv: kv[1])[0] if acc else None


# ----------------------------------------------------------------------------- words
def make_words(chars: list[Ch]) -> list[Word]:
    words: list[Word] = []
    cur: list[Ch] = []
    p = None
    for c in chars:
        if c.t.isspace() or not c.t:
            if cur:
                words.append(Word(cur))
                cur = []
            p = None
            continue
        if p is not None:
            big = max(c.size, p.size)
            if (c.x0 - p.x1 > 0.2 * big or c.x0 < p.x0 - 0.3 * big
                    or abs(c.bottom - p.bottom) > 0.25 * big or abs(c.size - p.size) > 0.15 * big):
                words.append(Word(cur))
                cur = []
        cur.append(c)
        p = c
    if cur:
        words.append(Word(cur))
    return words


# ----------------------------------------------------------------------------- fragments
BUCKET = 4.0


def make_fragments(words: list[Word], gap_em: float = 0.8) -> list[Frag]:
    words = sorted(words, key=lambda w: (w.x0, w.top))
    buckets: dict[int, list[Frag]] = {}
    frags: list[Frag] = []
    for w in words:
        best, best_score = None, None
        seen = set()
        for b in range(int(w.top // BUCKET), int(w.bottom // BUCKET) + 1):
            for f in buckets.get(b, ()):
                if id(f) in seen:
                    continue
                seen.add(id(f))
                lw = f.words[-1]
                big = max(f.size, w.size)
                gap = w.x0 - lw.x1
                if gap < -0.3 * min(lw.size, w.size) or gap > gap_em * big:
                    continue
                ov = min(w.bottom, f.bottom) - max(w.top, f.top)
                if ov < 0.4 * min(w.bottom - w.top, f.bottom - f.top, lw.bottom - lw.top) or ov <= 0:
                    continue
                score = abs(w.bottom - f.base) / big + max(gap, 0) / big
                if best_score is None or score < best_score:
                    best, best_score = f, score
        if best is None:
            best = Frag(w)
            frags.append(best)
        else:
            best.add(w)
        for b in range(int(w.top // BUCKET), int(w.bottom // BUCKET) + 1):
            lst = buckets.setdefault(b, [])
            if not lst or lst[-1] is not best:
                lst.append(best)
    for f in frags:
        mark_superscripts(f)
    return frags


def mark_superscripts(f: Frag):
    if len(f.words) < 2:
        return
    main = _dominant([(round(w.size, 1), len(w.chars)) for w in f.words])
    bases = [w.bottom for w in f.words if abs(w.size - main) < 0.05 * main]
    base = statistics.median(bases) if bases else f.base
    f.size, f.base = main, base
    for w in f.words:
        if w.size <= 0.82 * main and w.bottom < base - 0.12 * main:
            w.sup = True


# ----------------------------------------------------------------------------- columns
@dataclass
class Zone:
    gutter: int
    xc: float
    y0: float
    y1: float
    zid: int


def _crosses(f: Frag, xc: float) -> bool:
    return f.x0 < xc - 0.5 and f.x1 > xc + 0.5


def find_gutters(frags: list[Frag], em: float) -> list[Zone]:
    """Columnar zones of a page (see module doc)."""
    if len(frags) < 6:
        return []
    lo = int(min(f.x0 for f in frags))
    hi = int(max(f.x1 for f in frags)) + 2
    n = hi - lo + 1
    if n < 4 * em:
        return []
    diff = [0] * (n + 1)
    for f in frags:
        a, b = int(f.x0) - lo, int(f.x1 + 0.999) - lo
        diff[a] += 1
        diff[b] -= 1
    cov, run = [0] * n, 0
    for i in range(n):
        run += diff[i]
        cov[i] = run
    lmax, rmax = [0] * n, [0] * n
    m = 0
    for i in range(n):
        m = max(m, cov[i])
        lmax[i] = m
    m = 0
    for i in range(n - 1, -1, -1):
        m = max(m, cov[i])
        rmax[i] = m
    runs, start = [], None
    for i in range(n):
        side = min(lmax[i], rmax[i])
        ok = side >= 3 and cov[i] * 2 <= side and cov[i] < side
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            runs.append((start, i - 1))
            start = None
    min_w = max(0.6 * em, 3.0)
    zones: list[Zone] = []
    by_top = sorted(frags, key=lambda f: (f.top, f.x0))
    zid = 0
    for g, (a, b) in enumerate(r for r in runs if r[1] - r[0] + 1 >= min_w):
        sub = cov[a:b + 1]
        lowest = min(sub)
        idx = [i for i, v in enumerate(sub) if v == lowest]
        xc = lo + a + (idx[0] + idx[-1]) / 2 + 0.5
        group: list[Frag] = []
        last_cross = None
        for f in by_top + [None]:
            if f is None or _crosses(f, xc):
                if group:
                    z = _zone_if_columnar(_trim_tail(group, xc, last_cross, em), xc, em, lo + a, lo + b + 1)
                    if z:
                        zones.append(Zone(g, xc, z[0], z[1], zid))
                        zid += 1
                group = []
                last_cross = f
            else:
                group.append(f)
    return zones


def _trim_tail(group: list[Frag], xc: float, last_cross: Frag | None, em: float) -> list[Frag]:
    """Drop from the top of a zone the last line(s) of a full-width paragraph above it: short
    lines on the left, right below the full-width text and above anything on the right."""
    if last_cross is None:
        return group
    right_top = min((f.top for f in group if f.x0 >= xc - 0.5), default=None)
    if right_top is None:
        return group
    n = 0
    prev_bottom = last_cross.bottom
    for f in group[:3]:
        if f.x1 <= xc + 0.5 and f.bottom <= right_top and f.top - prev_bottom < 0.8 * max(f.size, em):
            n += 1
            prev_bottom = f.bottom
        else:
            break
    return group[n:] if n <= 2 else group


def _zone_if_columnar(group: list[Frag], xc: float, em: float, ga: float, gb: float):
    """(y0, y1) when the fragments of a zone sit in columns on both sides of the gutter [ga, gb]:
    text on each side, side by side, and most fragments next to the gutter on its right starting
    at one aligned edge (a column's left margin, not word gaps that happen to line up)."""
    left = [f for f in group if f.x1 <= xc + 0.5]
    right = [f for f in group if f.x0 >= xc - 0.5]
    if len(left) < 2 or len(right) < 2:
        return None
    near = [f for f in right if f.x0 < gb + 2 * em]
    if not near:
        return None
    rx0 = min(f.x0 for f in near)
    aligned = sum(1 for f in near if f.x0 - rx0 < 0.5 * em)
    # three or more lines on each side, the right ones on one left margin (word gaps of stretched
    # justified lines that happen to line up for a line or two are not a gutter)
    if aligned < 3 or aligned < 0.5 * len(near):
        return None
    if sum(1 for f in left if f.x1 > ga - 3 * em) < 3:
        return None
    l0, l1 = min(f.top for f in left), max(f.bottom for f in left)
    r0, r1 = min(f.top for f in right), max(f.bottom for f in right)
    ov = min(l1, r1) - max(l0, r0)
    if ov < 0.3 * min(l1 - l0, r1 - r0) or ov < em:
        return None
    rx = min(f.x0 for f in right)
    if sum(1 for f in right if f.x0 - rx < 0.3 * em) < 2:
        return None
    return (min(l0, r0), max(l1, r1))


def _xcut(frags: list[Frag], depth: int = 0) -> list[list[Frag]]:
    """Split a column at a vertical white channel that no fragment crosses at all (a column too
    short to be found as a gutter, e.g. the last lines of a reference list at the top of a third
    column); left part first."""
    if len(frags) < 2 or depth > 3:
        return [frags]
    em = statistics.median(f.size for f in frags) or 10.0
    spans = sorted((f.x0, f.x1) for f in frags)
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= max(1.0 * em, 6.0):
            cut = (reach + x0) / 2
            left = [f for f in frags if f.x1 <= cut]
            right = [f for f in frags if f.x0 >= cut]
            return _xcut(left, depth + 1) + _xcut(right, depth + 1)
        reach = max(reach, x1)
    return [frags]


def order_fragments(frags: list[Frag], zones: list[Zone]) -> list[list[Frag]]:
    """Reading-order columns: a list of column runs (each a list of fragments, top to bottom)."""
    by_top = sorted(frags, key=lambda f: (f.top, f.x0))
    out: list[list[Frag]] = []
    band_key, band = None, []

    def flush():
        if not band:
            return
        cols: dict[int, list[Frag]] = {}
        for f in band:
            cols.setdefault(f.col, []).append(f)
        for c in sorted(cols):
            for part in _xcut(cols[c]):
                out.append(sorted(part, key=lambda f: (f.top, f.x0)))

    for f in by_top:
        cy = f.cy
        active = [z for z in zones if z.y0 <= cy <= z.y1 and not _crosses(f, z.xc)]
        key = tuple(sorted(z.zid for z in active))
        f.col = sum(1 for z in active if z.xc < (f.x0 + f.x1) / 2)
        if key != band_key:
            flush()
            band, band_key = [], key
        band.append(f)
    flush()
    return out


# ----------------------------------------------------------------------------- lines
def _line_from(frags: list[Frag]) -> Line:
    frags.sort(key=lambda f: f.x0)
    sizes: dict = {}
    fams: dict = {}
    nb = ni = n = 0
    for f in frags:
        for w in f.words:
            if w.sup:
                continue
            for c in w.chars:
                n += 1
                k = round(c.size, 1)
                sizes[k] = sizes.get(k, 0) + 1
                fams[c.family] = fams.get(c.family, 0) + 1
                nb += c.bold
                ni += c.italic
    if not n:  # only superscripts
        for f in frags:
            for w in f.words:
                for c in w.chars:
                    n += 1
                    k = round(c.size, 1)
                    sizes[k] = sizes.get(k, 0) + 1
                    fams[c.family] = fams.get(c.family, 0) + 1
    size = max(sizes.items(), key=lambda kv: kv[1])[0] if sizes else 0
    fam = max(fams.items(), key=lambda kv: kv[1])[0] if fams else ""
    return Line(frags, min(f.x0 for f in frags), min(f.top for f in frags), max(f.x1 for f in frags),
                max(f.bottom for f in frags), size, fam, nb * 2 > n, ni * 2 > n, n,
                frags[0].table, frags[0].col)


def make_lines(column: list[Frag]) -> list[Line]:
    lines: list[Line] = []
    cur: list[Frag] = []
    for f in column:
        if f.table is not None:
            if cur:
                lines.append(_line_from(cur))
                cur = []
            lines.append(_line_from([f]))
            continue
        if cur:
            ref = max(cur, key=lambda g: g.size)
            ov = min(ref.bottom, f.bottom) - max(ref.top, f.top)
            same = (abs(f.base - ref.base) < 0.35 * max(f.size, ref.size)
                    and ov > 0.3 * min(f.bottom - f.top, ref.bottom - ref.top))
            if not same:
                lines.append(_line_from(cur))
                cur = []
        cur.append(f)
    if cur:
        lines.append(_line_from(cur))
    return lines


# ----------------------------------------------------------------------------- text tables
class TextTable:
    """A table found from the alignment of short text fragments (no rulings needed)."""

    def __init__(self, bbox, rows):
        self.bbox = bbox
        self.rows = rows


_FUNCTION_WORDS = {"the", "and", "of", "to", "in", "with", "was", "were", "a", "an", "for", "on", "by", "at",
                   "from", "that", "which", "as", "or", "is", "are", "had", "has", "his", "her", "he", "she"}


def _frag_text(f: Frag) -> str:
    return " ".join(w.text for w in f.words)


def _cell_like(line: Line) -> bool:
    if len(line.frags) < 2 or line.table is not None:
        return False
    for f in line.frags:
        t = _frag_text(f)
        if len(t) > 45 or len(f.words) > 6:
            return False
    return True


def find_text_tables(lines: list[Line]) -> list[Line]:
    """Replace runs of three or more lines made of short, column-aligned fragments by one table
    line (rows = lines, cells = fragments placed in the run's columns)."""
    out: list[Line] = []
    i = 0
    n = len(lines)
    while i < n:
        if not _cell_like(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        j = i + 1
        while j < n and _cell_like(lines[j]) and lines[j].top - lines[j - 1].bottom < 2.0 * max(lines[j].size, 1):
            j += 1
        run = lines[i:j]
        table = _table_from(run) if len(run) >= 3 else None
        if table is None:
            out.extend(run)
        else:
            f = Frag()
            f.x0, f.top, f.x1, f.bottom = table.bbox
            f.size, f.base, f.table, f.col = run[0].size, table.bbox[3], table, run[0].col
            out.append(_line_from([f]))
        i = j
    return out


def _table_from(run: list[Line]):
    spans = sorted((f.x0, f.x1) for l in run for f in l.frags)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1] + 1.0:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    if len(cols) < 2:
        return None
    em = statistics.median(l.size for l in run) or 10.0
    gaps = [b.x0 - a.x1 for l in run for a, b in zip(l.frags, l.frags[1:])]
    if statistics.median(gaps) < 1.5 * em:
        return None  # word gaps of stretched justified lines, not table columns
    if min(b[0] - a[1] for a, b in zip(cols, cols[1:])) < 0.8 * em:
        return None
    if sum(1 for l in run if l.text().endswith("-")) >= 1:
        return None  # a word hyphenated at a line end: running text
    cells = [_frag_text(f) for l in run for f in l.frags]
    if sum(1 for c in cells if c.split()[0].lower() in _FUNCTION_WORDS) >= max(2, 0.25 * len(cells)):
        return None  # "the forward | primer": stretched prose, not cells
    rows = []
    for l in run:
        cells = [""] * len(cols)
        used = set()
        for f in l.frags:
            k = next(k for k, (a, b) in enumerate(cols) if a - 1.0 <= f.x0 <= b)
            if k in used:
                cells[k] += " "
            used.add(k)
            cells[k] += _frag_text(f)
        if len(used) < 2:
            return None
        rows.append(cells)
    bbox = (min(l.x0 for l in run), min(l.top for l in run), max(l.x1 for l in run), max(l.bottom for l in run))
    return TextTable(bbox, rows)


# ----------------------------------------------------------------------------- blocks
_END = re.compile(r"[.!?:;\"”’)\]]$")


def make_blocks(page_no: int, columns: list[list[Line]], caption_re: re.Pattern,
                line_gap: float, is_heading_text=None) -> list[RawBlock]:
    """Cut each column's lines into blocks. ``line_gap``: the page's usual gap between the lines
    of a paragraph, in units of font size."""
    blocks: list[RawBlock] = []
    for cid, lines in enumerate(columns):
        if not lines:
            continue
        first_new = len(blocks)
        text_lines = [l for l in lines if l.table is None]
        left = min((l.x0 for l in text_lines), default=0)
        right = max((l.x1 for l in text_lines), default=0)
        cur: list[Line] = []
        for l in lines:
            if l.table is not None:
                if cur:
                    blocks.append(RawBlock(page_no, cur, l.col))
                    cur = []
                blocks.append(RawBlock(page_no, [l], l.col, table=l.table))
                continue
            if cur:
                p = cur[-1]
                if _breaks(p, l, cur, left, right, caption_re, line_gap, is_heading_text):
                    blocks.append(RawBlock(page_no, cur, p.col))
                    cur = []
            cur.append(l)
        if cur:
            blocks.append(RawBlock(page_no, cur, cur[0].col))
        for b in blocks[first_new:]:
            b.meta["cid"] = cid
    return blocks


def _head_like(line: Line, text: str, right: float, is_heading_text) -> bool:
    """A line of its own that reads as a heading even in the body font: all capitals, not
    reaching the right edge."""
    if line.x1 > right - 2 * line.size or len(text) > 60:
        return False
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters) and not text.endswith((",", ";"))


def _breaks(p: Line, l: Line, cur: list[Line], left: float, right: float, caption_re, line_gap,
            is_heading_text=None) -> bool:
    size = max(p.size, l.size) or 1.0
    gap = l.top - p.bottom
    if gap > max(0.5, line_gap + 0.3) * size or gap < -0.5 * size:
        return True
    if abs(p.size - l.size) > 0.1 * size or p.bold != l.bold or p.family != l.family:
        # a wrapped line whose only words differ in weight (e.g. an inline bold run) stays joined
        if not (abs(p.size - l.size) <= 0.1 * size and p.family == l.family and min(p.nchars, l.nchars) < 4):
            return True
    ptxt = p.text()
    ltxt = l.text()
    if caption_re.match(ltxt):
        return True
    lw = l.words
    if lw and lw[0].sup and len(lw) > 1:
        return True  # "¹Department of ...": a numbered affiliation or footnote starts here
    ph, lh = _head_like(p, ptxt, right, is_heading_text), _head_like(l, ltxt, right, is_heading_text)
    if ph != lh:
        return True
    indent = l.x0 - p.x0
    if indent > 0.5 * size and l.x0 - left > 0.5 * size and (_END.search(ptxt) or p.x1 < right - 2 * size):
        return True  # first-line indent after a finished line
    if _END.search(ptxt) and p.x1 < right - 2.5 * size and (ltxt[:1].isupper() or ltxt[:1].isdigit()):
        return True  # short last line ending a sentence, next line starts one
    return False
