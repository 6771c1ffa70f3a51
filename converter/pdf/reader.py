"""``read_pdf``: open a PDF safely, run the layout analysis page by page, and assemble a Document.

Bad inputs stop with one of the errors of ``converter.errors`` (never a traceback); limits on
bytes, pages, characters per page and wall time keep a hostile file from exhausting the machine."""
from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import statistics
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Union

from .. import errors
from . import classify, layout
from .document import Block, Document
from .layout import Ch, RawBlock
from .tables import find_tables, inside_box

Source = Union[str, os.PathLike, bytes, bytearray, BinaryIO]


@dataclass
class ReadSettings:
    """Limits and options of ``read_pdf``. The defaults read any ordinary article (a 120-page file
    takes well under the time limit); raise them for trusted, unusual files."""

    max_bytes: int = 256 * 1024 * 1024
    max_pages: int = 1000
    max_chars_per_page: int = 200_000
    max_seconds: float = 180.0
    max_content_bytes: int = 32 * 1024 * 1024  # decoded content stream of one page, checked before parsing it
    password: str | None = None
    tables: bool = True  # run the ruled-table finder on pages with ruling lines
    drop_superscript_citations: bool = True
    undecodable_ratio: float = 0.05  # share of (cid:N) / unmapped glyphs that makes a text layer unusable


@dataclass
class PageData:
    number: int
    width: float
    height: float
    blocks: list[RawBlock]
    nchars: int


def _load(source: Source, settings: ReadSettings) -> tuple[bytes, str | None]:
    name = None
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = str(path)
        if not path.is_file():
            raise errors.FileNotFound(f"no such file: {path}", source=name)
        size = path.stat().st_size
        if size > settings.max_bytes:
            raise errors.LimitExceeded(f"file is {size} bytes, over the limit of {settings.max_bytes} (max_bytes)",
                                       source=name)
        data = path.read_bytes()
    elif hasattr(source, "read"):
        name = getattr(source, "name", None)
        name = str(name) if isinstance(name, (str, os.PathLike)) else None
        data = source.read(settings.max_bytes + 1)
        if not isinstance(data, (bytes, bytearray)):
            raise errors.UnsupportedInput("the file object must be opened in binary mode", source=name)
        data = bytes(data)
    else:
        raise errors.UnsupportedInput(f"cannot read a PDF from {type(source).__name__}")
    if len(data) > settings.max_bytes:
        raise errors.LimitExceeded(f"file is over the limit of {settings.max_bytes} bytes (max_bytes)", source=name)
    if not data.strip():
        raise errors.EmptyFile("the file is empty (0 bytes)" if not data else "the file holds only whitespace",
                               source=name)
    if b"%PDF-" not in data[:1024]:
        raise errors.NotAPdf("not a PDF: the file has no %PDF- header", source=name)
    return data, name


def _open(data: bytes, name: str | None, settings: ReadSettings):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data), password=settings.password or "")
        pages = pdf.pages  # forces the page tree: errors surface here
        return pdf, pages
    except PdfminerException as exc:
        inner = exc.args[0] if exc.args else exc
        if isinstance(inner, PDFPasswordIncorrect):
            if settings.password:
                raise errors.EncryptedPdf("the PDF is encrypted and the password given is wrong", source=name) from None
            raise errors.EncryptedPdf("the PDF is encrypted with a user password", source=name) from None
        if isinstance(inner, PDFEncryptionError):
            raise errors.EncryptedPdf(f"the PDF uses an encryption that cannot be opened ({inner})",
                                      source=name) from None
        raise errors.CorruptPdf(f"truncated or corrupt PDF ({type(inner).__name__}: {inner})".replace("\n", " "),
                                source=name) from None
    except (PDFPasswordIncorrect,) as exc:  # pragma: no cover - older pdfplumber
        raise errors.EncryptedPdf("the PDF is encrypted with a user password", source=name) from exc
    except Exception as exc:  # noqa: BLE001 - any parser failure is a corrupt file to the user
        raise errors.CorruptPdf(f"truncated or corrupt PDF ({type(exc).__name__}: {exc})".replace("\n", " "),
                                source=name) from None


def _page_glyphs(page):
    """Glyphs of a page as (text, x0, top, x1, bottom, size, fontname, upright), in content-stream
    order and in pdfplumber's page coordinates (the same numbers as ``page.chars``), read straight
    from pdfplumber's ``page.layout`` without building a dict per glyph; plus the number of images
    and of ruling objects (lines, rects, curves)."""
    from pdfminer.layout import LTChar, LTContainer, LTImage, LTLine, LTRect

    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    out = []
    counts = [0, 0, 0]  # images, horizontal rulings, vertical rulings

    def walk(objs):
        for o in objs:
            if isinstance(o, LTChar):
                font = o.fontname
                if isinstance(font, bytes):
                    font = font.decode("latin-1", "replace")
                a, b = o.matrix[0], o.matrix[1]
                if abs(b) <= 1e-6 * abs(a) and a > 0 and o.upright:
                    direction = 0
                else:  # reading direction on the page (y down), to the nearest quarter turn
                    dx, dt = a, -b
                    if abs(dx) >= abs(dt) * 5.7:  # within 10 degrees of horizontal
                        direction = 0 if dx > 0 else 2
                    elif abs(dt) >= abs(dx) * 5.7:
                        direction = 1 if dt > 0 else 3
                    else:
                        direction = -1  # skewed text: not read
                out.append((o.get_text(), o.x0 + mb_x0, height - o.y1 + mb_top, o.x1 + mb_x0,
                            height - o.y0 + mb_top, o.size, font or "", direction))
            elif isinstance(o, LTContainer):
                walk(o._objs)
            elif isinstance(o, LTImage):
                counts[0] += 1
            elif isinstance(o, (LTLine, LTRect)):
                w, h = o.x1 - o.x0, o.y1 - o.y0
                if w > 2 and h > 2:  # a box: two edges of each kind
                    counts[1] += 2
                    counts[2] += 2
                elif w >= h:
                    counts[1] += 1
                else:
                    counts[2] += 1

    walk(page.layout._objs)
    # a grid needs horizontal and vertical rulings: only then is the table finder worth its cost
    grid = counts[1] >= 2 and counts[2] >= 2
    return out, counts[0], 3 if grid else 0


def _content_size(page) -> int:
    """Decoded size of a page's content streams (pdfminer keeps the decoded data for the parse)."""
    from pdfminer.pdftypes import resolve1

    total = 0
    contents = page.page_obj.contents or []
    for s in contents if isinstance(contents, list) else [contents]:
        s = resolve1(s)
        if hasattr(s, "get_data"):
            total += len(s.get_data())
    return total


class _Timeout(BaseException):
    pass


@contextmanager
def _deadline(when: float, name, page_no: int):
    """Interrupt a single page that takes past the time limit (Unix, main thread); elsewhere the
    limit is checked between pages only."""
    left = when - time.monotonic()
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))
    try:
        yield
    except _Timeout:
        raise errors.LimitExceeded(f"reading took over the time limit (max_seconds), stopped at page {page_no}",
                                   source=name) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


_TOKENS = re.compile(r"[^\W\d_]+")
# the commonest short words of English and the other languages case reports are written in
_FUNCTION = frozenset("the and of was with in to is a an for on by de la le el en y et der die und da e il "
                      "los las des que o os du al".split())


def _looks_like_garbage(text: str) -> bool:
    """A text layer whose fonts map glyphs to the wrong letters (a cipher of the real text):
    real prose is full of short function words (a fifth of English tokens); garbage has almost
    none. Needs 300 words to judge."""
    words = _TOKENS.findall(text[:200_000].lower())
    if len(words) < 300:
        return False
    return sum(1 for w in words if w in _FUNCTION) < 0.02 * len(words)


def _is_undecodable(t: str) -> bool:
    if t.startswith("(cid:"):
        return True
    if len(t) == 1:
        o = ord(t)
        return o < 32 or 0xE000 <= o <= 0xF8FF or o == 0xFFFD
    return False


class _ParserNotes(logging.Handler):
    """Collects pdfminer's warnings (a repaired xref, a bad font descriptor) for Document.warnings
    instead of letting them reach stderr."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.notes: list[str] = []

    def emit(self, record):
        msg = record.getMessage().replace("\n", " ")[:200]
        if msg not in self.notes and len(self.notes) < 20:
            self.notes.append(msg)


@contextmanager
def _capture_parser_warnings():
    log = logging.getLogger("pdfminer")
    h = _ParserNotes()
    old = log.propagate
    log.addHandler(h)
    log.propagate = False
    try:
        yield h.notes
    finally:
        log.removeHandler(h)
        log.propagate = old


def read_pdf(source: Source, settings: ReadSettings | None = None) -> Document:
    """Read a PDF (path, bytes or binary file object) into a Document: blocks in reading order with
    kinds and sections, and a char-level map back to page and box.

    Raises (``converter.errors``): FileNotFound, EmptyFile (EMPTY_FILE), NotAPdf (NOT_A_PDF),
    CorruptPdf (CORRUPT_PDF: truncated, unparseable), EncryptedPdf (ENCRYPTED: a user password is
    needed or the one given is wrong), NoTextLayer (NO_TEXT_LAYER: only images, run OCR),
    UndecodableText (UNDECODABLE_TEXT: fonts without a Unicode map), NoText (NO_TEXT),
    LimitExceeded (LIMIT_EXCEEDED: max_bytes, max_pages, max_chars_per_page, max_seconds)."""
    settings = settings or ReadSettings()
    with _capture_parser_warnings() as notes:
        doc = _read(source, settings)
    for n in notes:
        doc.warnings.append(f"PDF parser: {n}")
    return doc


def _read(source: Source, settings: ReadSettings) -> Document:
    t0 = time.monotonic()
    data, name = _load(source, settings)
    sha = hashlib.sha256(data).hexdigest()
    pdf, pages = _open(data, name, settings)
    warnings: list[str] = []
    try:
        n = len(pages)
        if n > settings.max_pages:
            raise errors.LimitExceeded(f"{n} pages, over the limit of {settings.max_pages} (max_pages)", source=name)
        if n == 0:
            raise errors.NoText("the PDF has no pages", source=name)
        cfg = classify.config()
        page_data: list[PageData] = []
        total = bad = images = rotated = 0
        for i, page in enumerate(pages, start=1):
            if time.monotonic() - t0 > settings.max_seconds:
                raise errors.LimitExceeded(f"reading took over {settings.max_seconds:g} s (max_seconds), stopped at page {i}",
                                           source=name)
            try:
                with _deadline(t0 + settings.max_seconds, name, i):
                    size = _content_size(page)
                    if size > settings.max_content_bytes:
                        raise errors.LimitExceeded(
                            f"page {i} has a content stream of {size} bytes, over the limit of "
                            f"{settings.max_content_bytes} (max_content_bytes)", source=name)
                    raw, nimg, nedges = _page_glyphs(page)
                    if len(raw) > settings.max_chars_per_page:
                        raise errors.LimitExceeded(
                            f"page {i} has {len(raw)} characters, over the limit of {settings.max_chars_per_page} "
                            f"(max_chars_per_page)", source=name)
                    regions = find_tables(page) if settings.tables and raw and nedges >= 3 else []
                groups: dict[int, list[Ch]] = {}
                for t, x0, top, x1, bottom, size, font, direction in raw:
                    total += 1
                    if _is_undecodable(t):
                        bad += 1
                        continue
                    if direction < 0:
                        rotated += 1
                        continue
                    if regions and inside_box(x0, top, x1, bottom, regions):
                        continue
                    groups.setdefault(direction, []).append(Ch(t, x0, top, x1, bottom, size, font))
                width, height = float(page.width), float(page.height)
                if int(page.rotation or 0) % 180 == 90 and width < height and raw and \
                        max(r[3] for r in raw) > width + 1:
                    width, height = height, width  # pdfminer turned the content, the page box did not
            except errors.ConverterError:
                raise
            except Exception as exc:  # noqa: BLE001 - a page that pdfminer cannot parse
                raise errors.CorruptPdf(f"page {i} cannot be parsed ({type(exc).__name__}: {exc})".replace("\n", " "),
                                        source=name) from None
            finally:
                page.close()
            images += nimg
            if not groups:
                groups = {0: []}
            main = max(groups, key=lambda k: (len(groups[k]), k == 0))
            for direction in sorted(groups, key=lambda k: (k != main, k)):
                chars = groups[direction]
                if direction == 0:
                    page_data.append(_layout_page(i, width, height, chars, regions, cfg))
                elif len(chars) >= 10 or direction == main:
                    w, h = _rotate(chars, direction, width, height)
                    page_data.append(_layout_page(i, w, h, chars, [] if direction != main else [], cfg))
                    if direction == main and regions:
                        page_data.append(_layout_page(i, width, height, [], regions, cfg))
                else:
                    rotated += len(chars)
        if total == 0:
            if images:
                raise errors.NoTextLayer("the PDF has no text layer: its pages are images (a scan)", source=name)
            raise errors.NoText("the PDF contains no text", source=name)
        if bad > settings.undecodable_ratio * total:
            raise errors.UndecodableText(
                f"the text layer cannot be decoded: {bad} of {total} glyphs have no Unicode mapping "
                f"(fonts without /ToUnicode)", source=name)
        if bad:
            warnings.append(f"{bad} glyphs without a Unicode mapping were dropped")
        if rotated:
            warnings.append(f"{rotated} glyphs of skewed or stray rotated text were left out")
        if not any(p.blocks for p in page_data):
            if images:
                raise errors.NoTextLayer("the PDF has no usable text layer", source=name)
            raise errors.NoText("the PDF contains no text", source=name)
        doc = classify.assemble(page_data, cfg, settings, sha, warnings)
        if not doc.text.strip():
            raise errors.NoText("the PDF contains no readable text", source=name)
        if _looks_like_garbage(doc.text):
            raise errors.UndecodableText(
                "the text layer does not decode to words (glyphs mapped to the wrong characters)", source=name)
        try:
            from pdfminer.pdfdocument import PDFXRefFallback

            if any(isinstance(x, PDFXRefFallback) for x in pdf.doc.xrefs):
                doc.warnings.append("the cross-reference table is damaged; objects were recovered by scanning the file")
        except Exception:  # noqa: BLE001 - only a warning
            pass
        return doc
    finally:
        try:
            pdf.close()
        except Exception:  # noqa: BLE001
            pass


def _rotate(chars: list[Ch], direction: int, width: float, height: float) -> tuple[float, float]:
    """Turn the coordinates of glyphs whose reading direction is a quarter (1: downwards, 3:
    upwards) or half turn (2) from horizontal so that their lines run left to right; their page
    boxes are kept for provenance. Returns the turned frame's width and height."""
    dx, dt = {1: (0.0, 1.0), 2: (-1.0, 0.0), 3: (0.0, -1.0)}[direction]

    def tr(x, t):
        return x * dx + t * dt, -x * dt + t * dx

    corners = [tr(x, t) for x in (0.0, width) for t in (0.0, height)]
    ox, ot = min(c[0] for c in corners), min(c[1] for c in corners)
    fw, fh = max(c[0] for c in corners) - ox, max(c[1] for c in corners) - ot
    for c in chars:
        p1, p2 = tr(c.x0, c.top), tr(c.x1, c.bottom)
        c.ob = (c.x0, c.top, c.x1, c.bottom)
        c.x0, c.x1 = min(p1[0], p2[0]) - ox, max(p1[0], p2[0]) - ox
        c.top, c.bottom = min(p1[1], p2[1]) - ot, max(p1[1], p2[1]) - ot
        c.size = c.bottom - c.top
    return fw, fh


def _layout_page(number: int, width: float, height: float, chars: list[Ch], regions, cfg) -> PageData:
    words = layout.make_words(chars)
    if not words and not regions:
        return PageData(number, width, height, [], len(chars))
    frags = layout.make_fragments(words)
    sizes = [f.size for f in frags for _ in range(len(f.words))]
    em = statistics.median(sizes) if sizes else 10.0
    for r in regions:
        f = layout.Frag()
        f.x0, f.top, f.x1, f.bottom = r.bbox
        f.size, f.base, f.table = em, r.bbox[3], r
        frags.append(f)
    zones = layout.find_gutters(frags, em)
    columns = layout.order_fragments(frags, zones)
    col_lines = [layout.find_text_tables(layout.make_lines(c)) for c in columns]
    gaps = []
    for lines in col_lines:
        for p, l in zip(lines, lines[1:]):
            if p.table is None and l.table is None and abs(p.size - l.size) < 0.05 * max(p.size, l.size, 1):
                g = (l.top - p.bottom) / max(p.size, 1)
                if -0.2 < g < 1.0:
                    gaps.append(g)
    line_gap = statistics.median(gaps) if gaps else 0.3
    blocks = layout.make_blocks(number, col_lines, cfg.caption_re, line_gap, cfg.is_heading_text)
    for b in blocks:
        b.meta["page_height"] = height
    return PageData(number, width, height, blocks, len(chars))
