"""Tokens and sentences: spaCy's rule-based English tokenizer (no model), plus a sentence and
clause splitter tuned to case reports (one sentence per line is common; decimals and "Fig." are not
sentence ends)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .trie import norm_token

SENT_END = {".", "!", "?"}
CLAUSE_END = {";", ":"}


# not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, four times the
# cost of a plain one, and a document makes thousands of tokens; nothing assigns to a Tok, and
# unsafe_hash keeps the hash and equality a frozen one has
@dataclass(unsafe_hash=True)
class Tok:
    i: int  # index in the token list (whitespace tokens removed)
    start: int
    end: int
    text: str
    norm: str
    nl_before: bool  # a line break precedes this token


class _TokenizerOnly:
    """What the matcher needs of a spaCy pipeline: ``make_doc`` and ``tokenizer``."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.make_doc = tokenizer


@lru_cache(maxsize=1)
def tokenizer_nlp():
    """spaCy's English tokenizer rules (prefixes, suffixes, infixes, URL and token matches) without
    its ~2,700 conversational special cases ("don't", "o'clock"), which case reports do not need
    and which cost most of spacy.blank("en")'s start-up; plus infixes that split slashes and
    brackets inside tokens ("AST/ALT", "(952", "IL-6)") so lexicon phrases match.

    The vocabulary computes only ``is_space`` for each new word: nothing here reads the other lexical
    attributes (shape, like_num, stop words ...), whose computation was half the tokenizer's time on
    words it had not seen before. Token boundaries do not depend on them."""
    from spacy.attrs import IS_SPACE
    from spacy.lang.en import English
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
    from spacy.vocab import Vocab

    d = English.Defaults
    infixes = list(d.infixes) + [r"[/\(\)\[\]]", r"(?<=[0-9])(?=[A-Za-zµμ%])", r"(?<=[A-Za-z])(?=[0-9]+[,;])",
                                 r"(?<=[A-Za-z0-9])=(?=[0-9<>.])"]  # "pressure=29/8 mmHg", "EF=55%"
    tok = Tokenizer(Vocab(lex_attr_getters={IS_SPACE: str.isspace}), rules={}, prefix_search=compile_prefix_regex(d.prefixes).search,
                    suffix_search=compile_suffix_regex(d.suffixes).search,
                    infix_finditer=compile_infix_regex(infixes).finditer,
                    token_match=d.token_match, url_match=d.url_match)
    return _TokenizerOnly(tok)


# "8.2 g/dL." and "130 mmol/L.": spaCy splits a final period after a lower-case letter or two capitals
# only, so a unit ending in one capital keeps it ("dl.") and neither the unit nor the lab matches
_UNIT_DOT = re.compile(r"^[a-zµμ]+[A-Z]\.$")


def _split_unit_dot(text: str, prev: str) -> bool:
    if not text.endswith("."):
        return False
    if _UNIT_DOT.match(text) or (prev == "/" and text[:-1].isalpha()):
        return True
    # "hepatitis C.", "vitamin D.": a capital after a lower-case word ends the sentence; after a
    # capitalised name it stays an initial ("John F. Kennedy")
    return len(text) == 2 and text[0].isupper() and len(prev) >= 3 and prev.isalpha() and prev.islower()


# "Friedreich's ataxia.1 2", "metastases.3", "wall,14": a reference number glued to the word and its
# punctuation; "atelectasis.(Fig.2)", "lesions.[3]": a sentence-ending period glued to a bracket
_GLUED_CITATION = re.compile(r"^([A-Za-z][A-Za-z'-]*[a-z])([.,;:])([0-9]{1,3})$")
_GLUED_DOT = re.compile(r"^([A-Za-z][A-Za-z'-]*[a-z])\.$")


def _glued_pieces(text: str, nxt: str) -> list[tuple[int, int]] | None:
    """(start, end) offsets, within ``text``, of the pieces a glued reference or period splits into."""
    m = _GLUED_CITATION.match(text)
    if m and len(m.group(1)) >= 3 and m.group(1).lower() not in _no_break():
        w = len(m.group(1))
        return [(0, w), (w, w + 1), (w + 1, len(text))]
    m = _GLUED_DOT.match(text)
    if m and nxt in ("(", "[") and len(m.group(1)) >= 3 and m.group(1).lower() not in _no_break():
        return [(0, len(text) - 1), (len(text) - 1, len(text))]
    return None


_SAME_LENGTH = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                              "\u2212": "-", "\u2019": "'", "\u2018": "'"})


def tokenize(text: str) -> list[Tok]:
    # dashes and quotes made ASCII one for one, so "Ehlers–Danlos" splits like "Ehlers-Danlos"
    # and every offset still indexes the original text
    doc = tokenizer_nlp().make_doc(text.translate(_SAME_LENGTH))
    out: list[Tok] = []
    nl = True
    for t in doc:
        tt, idx = t.text, t.idx
        if t.is_space:
            nl = nl or "\n" in tt
            continue
        end = idx + len(tt)
        last = tt[-1]
        pieces = _glued_pieces(tt, text[end:end + 1]) if len(tt) > 3 and (last == "." or last.isdigit()) \
            and tt[0].isalpha() else None
        if pieces:
            for k, (a, b) in enumerate(pieces):
                out.append(Tok(len(out), idx + a, idx + b, text[idx + a:idx + b], norm_token(tt[a:b]), nl and k == 0))
        elif last == "." and len(tt) > 1 and _split_unit_dot(tt, out[-1].text if out else ""):
            out.append(Tok(len(out), idx, end - 1, text[idx:end - 1], norm_token(tt[:-1]), nl))
            out.append(Tok(len(out), end - 1, end, ".", ".", False))
        else:
            out.append(Tok(len(out), idx, end, text[idx:end], norm_token(tt), nl))
        ws = t.whitespace_
        nl = bool(ws) and "\n" in text[end:end + len(ws)]
    return out


def tokenize_phrase(text: str) -> tuple[str, ...]:
    return tuple(t.norm for t in tokenize(text))


def sentences(toks: list[Tok], text: str) -> list[tuple[int, int]]:
    """[(first token index, end token index)] per sentence."""
    spans, start = [], 0
    for k, t in enumerate(toks):
        if k > start and t.nl_before:
            spans.append((start, k))
            start = k
            continue
        dotted = len(t.text) > 1 and t.text.endswith(".") and t.norm.rstrip(".") not in _no_break()
        if dotted and len(t.text) == 2 and t.text[0].isupper() and k > 0 and toks[k - 1].text[:1].isupper():
            dotted = False  # "John F. Kennedy": an initial after a name
        if (t.text in SENT_END or dotted) and k + 1 < len(toks):
            if t.text in SENT_END and k > 0 and toks[k - 1].end == t.start and toks[k - 1].norm in _no_break():
                continue
            nxt = toks[k + 1]
            if nxt.text[:1].isupper() or nxt.text[:1].isdigit() or nxt.nl_before or nxt.text[:1] in "([\"'":
                spans.append((start, k + 1))
                start = k + 1
    if start < len(toks):
        spans.append((start, len(toks)))
    return spans


@lru_cache(maxsize=1)
def _no_break() -> frozenset[str]:
    from ..resources import load_json

    return frozenset(load_json("text_rules.json")["no_sentence_break_after"])
