"""Text normalisation shared by lookup and matching.

A phrase and a span of text match when their *keys* are equal. The key is built from word tokens:
Unicode-normalised, lower-cased, Greek letters spelled out, letters split from digits
("anti-Jo1" == "anti Jo-1" == "anti-jo 1"), possessive 's dropped ("Crohn's" == "Crohn"),
punctuation and hyphens ignored, British spellings folded ("haematoma" == "hematoma", "oedema" ==
"edema"), and each token longer than three letters singularised by a few suffix rules
("myalgias" == "myalgia", "antibodies" == "antibody")."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa", "λ": "lambda",
          "μ": "micro", "µ": "micro", "ε": "epsilon", "ω": "omega", "τ": "tau"}
_WORD = re.compile(r"[^\W_]+")
_SPLIT = re.compile(r"[0-9]+|[^\W\d_]+")
_APOS = "'’`´"


_GREEK_RE = re.compile("[" + "".join(_GREEK) + "]")


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    if _GREEK_RE.search(s):
        s = "".join((" " + _GREEK[ch] + " ") if ch in _GREEK else ch for ch in s)
    return s


_AE = re.compile(r"(?<=[a-z])ae(?=[a-z])|^ae(?=t)")
_OE = re.compile(r"(?<=[a-z])oe(?=[a-z])|^oe(?=[dsn])")
_BRIT = {"tumour": "tumor", "tumours": "tumors", "leuco": "leuko", "sulph": "sulf", "fibre": "fiber",
         "centre": "center", "colour": "color", "behaviour": "behavior", "haemo": "hemo"}
_LEUCO = re.compile(r"^leuco|^sulph")


def spelling(tok: str) -> str:
    """British -> American spelling of medical words: haematoma, oedema, diarrhoea, leucocyte, tumour."""
    if len(tok) < 5:
        return tok
    if "ae" in tok:
        tok = _AE.sub("e", tok)
    if "oe" in tok:
        tok = _OE.sub("e", tok)
    if tok.startswith(("leuco", "sulph")):
        tok = _LEUCO.sub(lambda m: _BRIT[m.group()], tok)
    if tok.endswith(("our", "ours")) and tok.startswith("tumo"):
        tok = _BRIT.get(tok, tok)
    return tok


_KEEP_S = frozenset({"hers", "his", "its", "this", "thus", "was", "has", "does", "yes", "less", "lens", "news",
                     "ours", "yours", "theirs", "whereas", "always", "perhaps", "sometimes"})


def singular(tok: str) -> str:
    if len(tok) <= 3 or not tok.endswith("s") or tok.isdigit() or tok in _KEEP_S:
        return tok
    if tok.endswith("ies") and len(tok) > 4:
        return tok[:-3] + "y"
    if tok.endswith("sses"):
        return tok[:-2]
    if tok.endswith(("ss", "us", "is", "ys", "as")):
        return tok
    return tok[:-1]


@lru_cache(maxsize=262144)
def _word_pieces(word: str) -> tuple[tuple[str, int, int], ...]:
    """(normalised piece, start, end) relative to ``word``, for one run of letters/digits."""
    if word.isascii():
        return tuple((singular(spelling(p.group().lower())), p.start(), p.end())
                     for p in _SPLIT.finditer(word))
    folded = _fold(word)
    if folded == word:
        return tuple((singular(spelling(p.group().lower())), p.start(), p.end())
                     for p in _SPLIT.finditer(word))
    # folding changed lengths: every piece keeps the whole word's offsets
    return tuple((singular(spelling(p.group().lower())), 0, len(word)) for p in _SPLIT.finditer(folded))


def tokens_with_offsets(text: str) -> list[tuple[str, int, int, str]]:
    """(normalised token, start, end, original text) for every word token of ``text``.

    Offsets are Python string indices into ``text`` itself (not into a normalised copy)."""
    out: list[tuple[str, int, int, str]] = []
    for m in _WORD.finditer(text):
        word = m.group()
        start = m.start()
        # possessive: Crohn's -> Crohn (drop the lone "s" after an apostrophe)
        if start > 0 and (word == "s" or word == "S") and text[start - 1] in _APOS:
            continue
        for norm, s, e in _word_pieces(word):
            out.append((norm, start + s, start + e, text[start + s: start + e]))
    return out


def key(text: str) -> str:
    """The lookup key of a phrase: normalised tokens joined by one space."""
    return " ".join(t[0] for t in tokens_with_offsets(text))


def slug(text: str) -> str:
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")[:80] or "x"
