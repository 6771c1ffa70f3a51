"""Text of blocks with a per-character provenance map: ligatures and odd Unicode normalised,
superscript citation marks dropped, line-end hyphens joined (or kept when the hyphen is the word's
own), every output character tied to the glyph it came from."""
from __future__ import annotations

import re
import unicodedata

from .layout import Ch, Line, Word

# glyph text -> output text (ligatures, spaces, invisible characters, odd forms)
_CHAR_MAP = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
    "\ufb06": "st", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200a": " ",
    "\u202f": " ", "\u2007": " ", "\u2008": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
    "\u2010": "-", "\u2011": "-", "\u0131\u0307": "i", "\ufffd": "",
}
_SUPERSCRIPT = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_CITE = re.compile(r"^[\d,\-–—;*†‡§¶#a-f\[\]()]+$")
HYPHENS = "-\u00ad\u2010\u2011"


def norm_char(t: str) -> str:
    if len(t) == 1:
        o = ord(t)
        if o < 128:
            return t if o >= 32 else ""
        m = _CHAR_MAP.get(t)
        if m is not None:
            return m
        cat = unicodedata.category(t)
        if cat in ("Cc", "Cf", "Co", "Cs"):
            return ""
        if "\ufb00" <= t <= "\ufb4f" or "\uff01" <= t <= "\uff5e":
            return unicodedata.normalize("NFKC", t)
        return t
    if t.startswith("(cid:"):
        return ""
    return "".join(norm_char(c) for c in t)


class Builder:
    """Accumulates text with one (page, box) per character."""

    def __init__(self):
        self.chars: list[str] = []
        self.pages: list[int] = []
        self.boxes: list = []
        self.soft = False

    def __len__(self):
        return len(self.chars)

    def add_glyph(self, c: Ch, page: int):
        if c.t == "\u00ad":
            self.soft = True
            return
        self.soft = False
        out = norm_char(c.t)
        if not out:
            return
        box = c.box()
        for o in out:
            self.chars.append(o)
            self.pages.append(page)
            self.boxes.append(box)

    def add_sep(self, s: str):
        for o in s:
            self.chars.append(o)
            self.pages.append(0)
            self.boxes.append(None)

    def add_text(self, s: str, page: int, box):
        for o in s:
            self.chars.append(o)
            self.pages.append(page)
            self.boxes.append(box)

    def text(self) -> str:
        return "".join(self.chars)

    def last_char(self) -> str:
        return self.chars[-1] if self.chars else ""

    def pop(self):
        self.chars.pop()
        self.pages.pop()
        self.boxes.pop()


def word_tokens(line: Line, drop_sup: bool, with_gaps: bool = False):
    """Words of a line, superscript citation marks removed (kept after a digit: 10⁹). With
    ``with_gaps``: (word, space_before) pairs, where a word touching the previous glyph run (a
    size or baseline change inside a word, or punctuation after a dropped citation mark) gets no
    space."""
    out: list = []
    prev_w = None
    for w in line.words:
        touching = prev_w is not None and w.x0 - prev_w.x1 < 0.1 * max(w.size, prev_w.size)
        if w.sup and drop_sup:
            prev = out[-1][0].text if out else ""
            if prev and prev[-1:].isdigit() and w.text.isdigit():
                w.text = w.text.translate(_SUPERSCRIPT)
                out.append((w, not touching))
                prev_w = w
                continue
            if _CITE.match(w.text) or not prev:
                prev_w = w
                continue
        out.append((w, bool(out) and not touching))
        prev_w = w
    return out if with_gaps else [w for w, _ in out]


class HyphenRules:
    def __init__(self, vocab: set[str], hyphenated: set[str], keep_prefixes, keep_suffixes):
        self.vocab = vocab
        self.hyphenated = hyphenated
        self.keep_prefixes = set(keep_prefixes)
        self.keep_suffixes = set(keep_suffixes)

    def join(self, left: str, right: str) -> str:
        """How to glue ``left`` (a word ending in a hyphen at the end of a line) to ``right``:
        "" (drop the hyphen: soft hyphenation), "-" (keep it, no space) or " " (not a word break)."""
        if not left or left[-1] not in HYPHENS:
            return " "
        if left[-1] == "\u00ad":
            return ""
        stem = re.sub(r"^\W+", "", left[:-1])
        tail = re.match(r"[\w']+", right)
        if not stem or not stem[-1].isalnum() or not tail:
            return " " if not stem else "-"
        nxt = tail.group(0)
        if not nxt[0].islower():
            return "-"  # anti-|Jo1, IL-|6, Wolff-|Parkinson
        last = re.split(r"[-/–]", stem)[-1]
        if "-" in stem or "/" in stem or not last.isalpha() or any(ch.isupper() for ch in last[1:]):
            return "-"  # right-to-|left, CD4-|positive, IgG-|mediated
        joined = (last + nxt).lower()
        pair = f"{last.lower()}-{nxt.lower()}"
        if pair in self.hyphenated:
            return "-"
        if joined in self.vocab:
            return ""
        lo, no = last.lower(), nxt.lower()
        if _hyphenator() is not None and lo.isalpha() and no.isalpha() and \
                len(lo) not in _hyphenator().positions(lo + no):
            return "-"  # not a place where the word could be hyphenated: the hyphen is its own
        if lo in self.keep_prefixes and len(no) >= 4:
            return "-"
        if no in self.keep_suffixes and len(lo) >= 5:
            return "-"
        if lo[-1] in "aeiou" and no[0] == lo[-1] and len(lo) >= 2:
            return "-"  # intra-|arterially, anti-|inflammatory, re-|examined
        if lo.endswith("ly") and len(lo) >= 5 and len(no) >= 4 and no in self.vocab:
            return "-"  # maternally-|inherited
        return ""


_HYPHENATOR: list = []


def _hyphenator():
    """Liang's en_US hyphenation patterns (TeX's, through pyphen) when pyphen is installed: a
    soft line-end hyphen can only stand at a legal hyphenation point of the joined word."""
    if not _HYPHENATOR:
        try:
            import pyphen

            _HYPHENATOR.append(pyphen.Pyphen(lang="en_US"))
        except Exception:  # noqa: BLE001 - optional: the word rules decide alone
            _HYPHENATOR.append(None)
    return _HYPHENATOR[0]


_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")


def collect_vocab(lines_iter) -> tuple[set[str], set[str]]:
    """Words printed inside lines (not at a line end with a hyphen): joined forms and hyphenated
    compounds, to decide line-end hyphens by what the same document prints elsewhere."""
    vocab: set[str] = set()
    hyph: set[str] = set()
    for line in lines_iter:
        words = line.words
        for i, w in enumerate(words):
            t = w.text
            if i == len(words) - 1 and t[-1:] in HYPHENS:
                continue
            for tok in _TOKEN.findall(norm_char(t)):
                tok = tok.lower()
                if "-" in tok:
                    parts = tok.split("-")
                    for a, b in zip(parts, parts[1:]):
                        if a and b:
                            hyph.add(f"{a}-{b}")
                    vocab.update(p for p in parts if p)
                else:
                    vocab.add(tok)
    return vocab, hyph


def build_lines(b: Builder, lines: list[Line], page: int, rules: HyphenRules, drop_sup: bool = True,
                pending: str | None = None):
    """Append the text of ``lines`` to ``b``. ``pending`` is the glue decision left by a previous
    part of the same paragraph (None when starting a block). Returns nothing; glue between lines is
    decided here."""
    first = True
    for line in lines:
        toks = word_tokens(line, drop_sup, with_gaps=True)
        if not toks:
            continue
        if not first or pending is not None:
            _glue(b, rules, toks[0][0].text)
        for j, (w, space) in enumerate(toks):
            if j and space:
                b.add_sep(" ")
            for c in w.chars:
                if w.sup and w.text and w.text[0] in "⁰¹²³⁴⁵⁶⁷⁸⁹":
                    b.add_text(c.t.translate(_SUPERSCRIPT), page, c.box())
                else:
                    b.add_glyph(c, page)
        first = False


def _glue(b: Builder, rules: HyphenRules, next_text: str):
    """Join the text so far with the next line starting with ``next_text``."""
    if not b.chars:
        return
    if b.soft:  # the line ended with a soft hyphen (U+00AD): a break inside a word
        b.soft = False
        return
    i = len(b.chars) - 1
    while i >= 0 and b.chars[i] not in " \n":
        i -= 1
    last = "".join(b.chars[i + 1:])
    g = rules.join(last, next_text) if last[-1:] == "-" else " "
    if g == "":
        b.pop()
    elif g == " ":
        b.add_sep(" ")
