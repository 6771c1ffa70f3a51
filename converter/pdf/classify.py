"""Block kinds and sections from typography (size, weight, family relative to the document's body
text), position (page margins, repetition across pages, order around the title) and words (the
lists in mappings/pdf_layout.json); then continuation merging and the final text with its map."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .document import Block, Document
from .layout import RawBlock
from .tables import _clean as clean_cell, table_text
from .textbuild import Builder, HyphenRules, build_lines, collect_vocab, word_tokens

BODY_KINDS = ("paragraph", "list")
_NUMBERS_ONLY = re.compile(r"^[\d\s.,]+$")
_BULLET = re.compile(r"^(?:[•●▪◦‣∙·\-–—*]|\(?[a-z]\)|\(?\d{1,2}[.)])\s")


@dataclass
class Config:
    sections: dict[str, str]  # normalised heading -> section
    phrases: list[tuple[str, str]]  # longest first
    labels: list[str]
    heading_strip: re.Pattern
    header_res: list[re.Pattern]
    footnote_res: list[re.Pattern]
    affiliation_words: list[str]
    affiliation_re: re.Pattern
    caption_re: re.Pattern
    keep_prefixes: list[str]
    keep_suffixes: list[str]

    def is_heading_text(self, text: str) -> bool:
        """Exactly a known section name (after numbering and trailing punctuation)."""
        return heading_name(text, self) in self.sections


def _load_layout_json() -> dict:
    try:
        from ..resources import load_json
        return load_json("pdf_layout.json")
    except Exception:  # noqa: BLE001 - running from a checkout without the package data wired up
        import json
        from pathlib import Path
        return json.loads((Path(__file__).resolve().parents[2] / "mappings" / "pdf_layout.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def config() -> Config:
    d = _load_layout_json()
    sections = {}
    for sec, names in d["sections"].items():
        for n in names:
            sections[n.lower()] = sec
    phrases = sorted(sections.items(), key=lambda kv: -len(kv[0]))
    return Config(
        sections=sections, phrases=phrases, labels=[x.lower() for x in d.get("label_words", [])],
        heading_strip=re.compile(d["heading_strip"]),
        header_res=[re.compile(p, re.I) for p in d["header_footer_patterns"]],
        footnote_res=[re.compile(p, re.I) for p in d["footnote_patterns"]],
        affiliation_words=[w.lower() for w in d["affiliation_words"]],
        affiliation_re=re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in d["affiliation_words"]) + r")\w*", re.I),
        caption_re=re.compile(d["caption_pattern"]),
        keep_prefixes=d["hyphen"]["keep_prefixes"], keep_suffixes=d["hyphen"]["keep_suffixes"])


def heading_name(text: str, cfg: Config) -> str:
    t = cfg.heading_strip.sub("", text.strip())
    t = re.sub(r"[\s:.\-–—]+$", "", t)
    return " ".join(t.lower().split())


def section_of(text: str, cfg: Config) -> str | None:
    name = heading_name(text, cfg)
    if not name:
        return None
    if name in cfg.sections:
        return cfg.sections[name]
    for phrase, sec in cfg.phrases:
        if len(phrase) > 3 and (name.startswith(phrase + " ") or name.startswith(phrase + ":")):
            return sec
    for key, sec in (("discussion", "discussion"), ("conclusion", "conclusion"), ("references", "references"),
                     ("introduction", "background"), ("background", "background"), ("case report", "case"),
                     ("case presentation", "case"), ("abstract", "abstract")):
        if key in name.split() or key in name:
            return sec
    return None


# ----------------------------------------------------------------------------- statistics
@dataclass
class Stats:
    body_size: float
    body_family: str
    body_bold: bool
    pages: int


def doc_stats(pages) -> Stats:
    sizes: Counter = Counter()
    fams: Counter = Counter()
    bold = 0
    n = 0
    for p in pages:
        for b in p.blocks:
            if b.table is not None:
                continue
            for l in b.lines:
                sizes[round(l.size * 2) / 2] += l.nchars
                fams[l.family] += l.nchars
                bold += l.nchars if l.bold else 0
                n += l.nchars
    size = sizes.most_common(1)[0][0] if sizes else 10.0
    fam = fams.most_common(1)[0][0] if fams else ""
    return Stats(size, fam, bold * 2 > n, len(pages))


def _norm_rep(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text.lower()).split())


# ----------------------------------------------------------------------------- kinds
def mark_headers_footers(pages, cfg: Config, st: Stats):
    reps: Counter = Counter()
    cand = []
    for p in pages:
        seen = set()
        for b in p.blocks:
            if b.table is not None:
                continue
            x0, top, x1, bottom = b.bbox
            if bottom <= 0.2 * p.height or top >= 0.8 * p.height:
                k = _norm_rep(b.text())
                if k and k not in seen:
                    seen.add(k)
                    reps[k] += 1
                    cand.append((p, b, k))
    npages = len(pages)
    for p in pages:
        margin = min(0.1 * p.height, 80.0)
        edge = min(0.12 * p.height, 100.0)
        for b in p.blocks:
            if b.table is not None or len(b.lines) > 3:
                continue
            x0, top, x1, bottom = b.bbox
            txt = b.text()
            if cfg.caption_re.match(txt):
                continue
            at_top = bottom <= margin
            at_bottom = top >= p.height - margin
            near_top = bottom <= edge
            near_bottom = top >= p.height - edge
            kind = None
            pattern = any(r.search(txt) for r in cfg.header_res)
            if (at_top or at_bottom) and (pattern or _isolated(b, p.blocks, at_top)):
                # text in the body's own style at the page edge is body (a column's last line)
                # unless a pattern or repetition says otherwise
                unlike_body = (b.size < 0.95 * st.body_size or b.italic or b.family != st.body_family
                               or (b.bold and not st.body_bold))
                if pattern or (unlike_body and b.size <= st.body_size * 1.05):
                    kind = "header" if at_top else "footer"
                elif b.size <= st.body_size * 1.05 and len(b.lines) == 1 and len(txt.split()) <= 12 \
                        and not txt.endswith((".", ":", ",", ";")) and not cfg.is_heading_text(txt) \
                        and (x1 - x0) < 0.6 * _column_width(b, p.blocks):
                    kind = "header" if at_top else "footer"  # a short line set apart at the page edge
            if kind is None and (near_top or near_bottom) and len(b.lines) <= 2 and \
                    any(r.search(txt) for r in cfg.header_res[:2]):
                kind = "header" if near_top else "footer"
            if kind is None and npages >= 2 and (bottom <= 0.2 * p.height or top >= 0.8 * p.height):
                if reps[_norm_rep(txt)] >= max(2, 0.4 * npages):
                    kind = "header" if bottom <= 0.2 * p.height else "footer"
            if kind:
                b.kind = kind


def _column_width(b: RawBlock, blocks: list[RawBlock]) -> float:
    """Width of the widest line in the column run of ``b`` (the page's text width when ``b`` is
    alone in it)."""
    w = 0.0
    alone = True
    for o in blocks:
        if o is not b and o.meta.get("cid") == b.meta.get("cid") and o.table is None:
            alone = False
            for l in o.lines:
                w = max(w, l.x1 - l.x0)
    if alone:
        xs = [o.bbox for o in blocks if o.table is None]
        return (max(x[2] for x in xs) - min(x[0] for x in xs)) if xs else 1.0
    return max(w, b.bbox[2] - b.bbox[0]) or 1.0


def _isolated(b: RawBlock, blocks: list[RawBlock], top: bool) -> bool:
    """A running header (footer) stands apart: the nearest text below (above) it, in its
    horizontal range, is further than a normal line gap away."""
    x0, t, x1, bt = b.bbox
    size = b.size or 10.0
    gap = None
    for o in blocks:
        if o is b:
            continue
        ox0, ot, ox1, ob = o.bbox
        if ox1 < x0 or ox0 > x1:
            continue
        if top and ot >= bt - 1:
            d = ot - bt
        elif not top and ob <= t + 1:
            d = t - ob
        else:
            continue
        gap = d if gap is None else min(gap, d)
    return gap is None or gap >= 0.8 * size


def _has_aff_word(text: str, cfg: Config) -> bool:
    return bool(cfg.affiliation_re.search(text))


def _starts_with_sup(b: RawBlock) -> bool:
    ws = b.lines[0].words if b.lines else []
    return bool(ws) and ws[0].sup


def _is_heading(b: RawBlock, txt: str, cfg: Config, st: Stats) -> bool:
    nl = len(b.lines)
    words = txt.split()
    if nl > 3 or not words or len(words) > 14 or len(txt) > 160:
        return False
    if txt.endswith((",", ";")) or cfg.caption_re.match(txt):
        return False
    known = heading_name(txt, cfg) in cfg.sections and len(words) <= 6
    letters = [c for c in txt if c.isalpha()]
    caps = len(letters) >= 4 and all(c.isupper() for c in letters)
    styled = (b.bold and not st.body_bold) or b.size >= 1.1 * st.body_size or caps
    if b.size < 0.8 * st.body_size:
        return False
    if known and (styled or nl == 1):
        return True
    if styled and nl <= 2 and not txt.endswith(".") and len(words) <= 12:
        return True
    if styled and nl == 1 and len(words) <= 5 and section_of(txt, cfg) is not None:
        return True  # run-in style "Case presentation." on a line of its own
    return False


def _is_small(b: RawBlock, st: Stats) -> bool:
    return b.size < 0.86 * st.body_size


def classify_pages(pages, cfg: Config, st: Stats):
    mark_headers_footers(pages, cfg, st)
    # ---- title and front matter on the first page with text
    first = next((p for p in pages if any(not b.kind for b in p.blocks)), None)
    title_block = None
    if first is not None:
        cands = [b for b in first.blocks if not b.kind and b.table is None and len(b.lines) <= 5
                 and b.bbox[1] < 0.6 * first.height and b.size >= 1.15 * st.body_size
                 and not cfg.caption_re.match(b.text())]
        if cands:
            best = max(b.size for b in cands)
            title_block = next(b for b in first.blocks if b in cands and b.size >= best - 0.01)
            title_block.kind = "title"
            idx = first.blocks.index(title_block)
            for b in first.blocks[:idx]:
                if not b.kind:
                    b.kind = "other"  # journal banner, article-type label
                    b.meta["label"] = True
            _front_matter(first.blocks[idx + 1:], cfg, st)
    # ---- everything else
    for p in pages:
        prev = None
        for b in p.blocks:
            if b.kind:
                prev = b
                continue
            if b.table is not None:
                b.kind = "table"
                prev = b
                continue
            txt = b.text()
            if _NUMBERS_ONLY.match(txt):
                b.kind = "other"  # line numbers of a manuscript, a stray page number
            elif cfg.caption_re.match(txt):
                b.kind = "caption"
            elif prev is not None and prev.kind == "caption" and prev.col == b.col and \
                    abs(prev.size - b.size) < 0.05 * b.size and prev.family == b.family and \
                    b.bbox[1] - prev.bbox[3] < 1.5 * b.size and not _is_heading(b, txt, cfg, st) and \
                    (b.family != st.body_family or abs(b.size - st.body_size) > 0.05 * st.body_size):
                b.kind = "caption"
            elif any(r.search(txt) for r in cfg.footnote_res) and (_is_small(b, st) or len(b.lines) <= 3):
                b.kind = "footnote"
                b.meta["pattern"] = True
            elif _is_small(b, st):
                if _has_aff_word(txt, cfg) and (_starts_with_sup(b) or txt[:1].isdigit() or
                                                (prev is not None and prev.kind == "affiliation")):
                    b.kind = "affiliation"
                elif b.bbox[1] > 0.45 * p.height or (prev is not None and prev.kind in ("footnote", "affiliation")):
                    b.kind = "footnote"
                else:
                    b.kind = "small"  # decided by section: references, else other
            elif _is_heading(b, txt, cfg, st):
                b.kind = "heading"
            elif _BULLET.match(txt):
                b.kind = "list"
            else:
                b.kind = "paragraph"
            prev = b


def _front_matter(blocks: list[RawBlock], cfg: Config, st: Stats):
    """Blocks after the title, before the first section heading or body text: subtitle, authors
    (or an article-type label between title and authors), affiliations, dates, correspondence."""
    n_author = 0
    seen_aff = False
    first = True
    for b in blocks:
        if b.kind:
            continue
        if b.table is not None:
            return
        txt = b.text()
        if first and len(b.lines) == 1 and heading_name(txt, cfg) in cfg.labels:
            first = False
            b.kind = "other"  # article-type label between the title and the authors
            b.meta["label"] = True
            continue
        if cfg.caption_re.match(txt) or _is_heading(b, txt, cfg, st) and section_of(txt, cfg):
            return
        if any(r.search(txt) for r in cfg.footnote_res):
            b.kind = "footnote"
            continue
        aff = _has_aff_word(txt, cfg)
        long = len(b.lines) >= 4 or len(txt) >= 250
        was_first, first = first, False
        if was_first and not aff and len(b.lines) <= 3 and b.size >= 1.1 * st.body_size and not txt.endswith("."):
            b.kind = "title"  # subtitle
            b.meta["subtitle"] = True
            continue
        limit_lines, limit_words = (4, 80) if n_author == 0 else (2, 25)
        if n_author < 3 and not seen_aff and not aff and len(b.lines) <= limit_lines and \
                len(txt.split()) <= limit_words and not txt.endswith(".") and \
                (txt.count(",") >= 1 or " and " in txt or any(w.sup for l in b.lines for w in l.words) or len(txt.split()) <= 8):
            b.kind = "author"
            n_author += 1
            continue
        n_author = 3
        seen_aff = seen_aff or aff
        unlike_body = _is_small(b, st) or b.italic or b.family != st.body_family or \
            abs(b.size - st.body_size) > 0.08 * st.body_size
        if aff and (_starts_with_sup(b) or txt[:1].isdigit() or (unlike_body and not long)):
            b.kind = "affiliation"
            continue
        if _is_heading(b, txt, cfg, st):
            return
        if long or (abs(b.size - st.body_size) <= 0.08 * st.body_size and b.family == st.body_family):
            return
        b.kind = "other"


# ----------------------------------------------------------------------------- sections
def assign_sections(blocks: list[RawBlock], cfg: Config):
    cur = "other"
    seen_title = any(b.kind == "title" for b in blocks)
    in_front = seen_title
    for b in blocks:
        if b.kind == "title" or b.meta.get("label"):
            b.section = "title"
            continue
        if in_front and b.kind in ("author", "affiliation", "other", "footnote"):
            b.section = "title"
            continue
        if b.kind in ("header", "footer"):
            b.section = cur if not in_front else "title"
            continue
        in_front = False
        if b.kind == "heading":
            sec = section_of(b.text(), cfg)
            if sec is None:
                sec = cur if cur in ("case", "discussion", "background", "conclusion", "abstract") else "other"
            cur = sec
            b.section = cur
            continue
        if b.kind in BODY_KINDS:
            sec = _run_in_section(b, cfg)
            if sec:
                cur = sec
        if b.kind == "small":
            b.kind = "reference" if cur == "references" else "other"
        elif cur == "references" and b.kind in ("footnote", "affiliation") and not b.meta.get("pattern") \
                and b.bbox[3] < b.meta.get("page_height", 1e9) * 0.9:
            b.kind = "reference"
        elif cur == "references" and b.kind in ("paragraph", "list"):
            b.kind = "reference"
        b.section = cur


_RUN_IN = re.compile(r"^\s*((?:\d+(?:\.\d+)*\.?\s+)?[A-Za-z][A-Za-z /&\-]{2,40}?)\s*[:.\u2014\u2013]\s+\S")


def _run_in_section(b: RawBlock, cfg: Config) -> str | None:
    """A paragraph opening with a run-in heading ("Case presentation: A 45-year-old ...",
    "DISCUSSION. The ...") starts that section."""
    if not b.lines:
        return None
    m = _RUN_IN.match(b.lines[0].text())
    if not m:
        return None
    name = heading_name(m.group(1), cfg)
    return cfg.sections.get(name)


# ----------------------------------------------------------------------------- merging
_TERMINAL = re.compile(r"[.!?:]['\"”’)\]]*$")
_INTERRUPTERS = {"caption", "footnote", "header", "footer", "table", "affiliation", "other"}


def _first_word(b: RawBlock) -> str:
    for l in b.lines:
        toks = word_tokens(l, True)
        if toks:
            return toks[0].text
    return ""


def _last_word(b: RawBlock) -> str:
    for l in reversed(b.meta.get("parts", [(b.page, b.lines)])[-1][1]):
        toks = word_tokens(l, True)
        if toks:
            return toks[-1].text
    return ""


def merge_continuations(blocks: list[RawBlock]) -> list[RawBlock]:
    """A paragraph cut by a column or page break, a figure, a footnote block or a running header
    goes on where the next body block starts in lower case: join the parts. A table continued at
    the top of the next page (same columns) joins the table before it, its repeated header dropped."""
    out: list[RawBlock] = []
    last_body = None
    last_table = None
    for b in blocks:
        if b.kind == "table":
            prev = last_table
            if prev is not None and b.page == prev.meta.get("last_page", prev.page) + 1 and prev.table and b.table and \
                    len(prev.table.rows[0]) == len(b.table.rows[0]):
                rows = b.table.rows
                if rows and rows[0] == prev.table.rows[0]:
                    rows = rows[1:]
                prev.table.rows = prev.table.rows + rows
                prev.meta["last_page"] = b.page
                continue
            last_table = b
        elif b.kind not in ("header", "footer", "footnote"):
            last_table = None
        if b.kind in BODY_KINDS:
            if last_body is not None and last_body.section == b.section:
                lw, fw = _last_word(last_body), _first_word(b)
                if fw and (fw[0].islower() or lw.endswith("-") and fw[0].isalnum()) and not _TERMINAL.search(lw):
                    last_body.meta.setdefault("parts", [(last_body.page, last_body.lines)]).append((b.page, b.lines))
                    continue
            out.append(b)
            last_body = b
            continue
        if b.kind not in _INTERRUPTERS:
            last_body = None
        out.append(b)
    return out


# ----------------------------------------------------------------------------- assembly
def _page_bbox(b: RawBlock):
    """The block's box on its (first) page; for text laid out in turned coordinates, the union of
    its glyphs' page boxes."""
    first = b.lines[0].words[0].chars[0] if b.lines and b.lines[0].words else None
    if first is None or first.ob is None:
        return b.bbox
    boxes = [c.ob for l in b.lines for w in l.words for c in w.chars if c.ob]
    return (min(x[0] for x in boxes), min(x[1] for x in boxes), max(x[2] for x in boxes), max(x[3] for x in boxes))


def assemble(pages, cfg: Config, settings, sha: str, warnings: list[str]) -> Document:
    st = doc_stats(pages)
    classify_pages(pages, cfg, st)
    blocks = [b for p in pages for b in p.blocks]
    assign_sections(blocks, cfg)
    blocks = merge_continuations(blocks)
    vocab, hyph = collect_vocab(l for b in blocks if b.table is None for l in b.lines)
    rules = HyphenRules(vocab, hyph, cfg.keep_prefixes, cfg.keep_suffixes)
    bld = Builder()
    out: list[Block] = []
    title = None
    for b in blocks:
        sep_at = len(bld)
        if out:
            bld.add_sep("\n\n")
        start = len(bld)
        rows = None
        if b.table is not None:
            rows = [[clean_cell(c) for c in r] for r in b.table.rows]
            bld.add_text(table_text(rows), b.page, tuple(b.table.bbox))
        else:
            for i, (page, lines) in enumerate(b.meta.get("parts", [(b.page, b.lines)])):
                build_lines(bld, lines, page, rules, settings.drop_superscript_citations,
                            pending=None if i == 0 else "cont")
        while len(bld) > start and bld.chars[-1] == " ":
            bld.pop()
        if len(bld) == start:
            while len(bld) > sep_at:
                bld.pop()
            continue
        text = "".join(bld.chars[start:])
        bbox = _page_bbox(b) if b.table is None else tuple(b.table.bbox)
        kind = b.kind if b.kind != "small" else "other"
        out.append(Block(kind, b.section or "other", b.page, tuple(float(v) for v in bbox), start, len(bld), text, rows))
        if kind == "title" and title is None:
            title = " ".join(text.split())
    return Document(text=bld.text(), blocks=out, pages=len(pages), sha256=sha, title=title,
                    char_pages=bld.pages, char_boxes=bld.boxes, warnings=warnings)
