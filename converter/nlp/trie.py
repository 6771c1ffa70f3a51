"""A token trie: FlashText-style longest-match phrase lookup over normalised tokens.

spaCy's PhraseMatcher needs a Doc per pattern; with ~100k lexicon phrases that costs seconds at
start-up. Phrases are tokenised once with the same tokenizer as the text, the trie is pickled in a
cache keyed by the data's hash, and lookup is a dict walk per token."""
from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2010": "-", "\u2011": "-",
                         "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00b5": "\u03bc"})


_ACHES = frozenset({"", "head", "back", "tooth", "ear", "stomach", "belly", "heart", "tummy"})


_NORMS: dict[str, str] = {}  # str -> str only: the collector does not track it, however large it grows


def norm_token(text: str) -> str:
    """Case-, quote-, dash- and plural-insensitive form of one token (same on both sides); memoised,
    since the same few thousand words make up most of any text."""
    t = _NORMS.get(text)
    if t is None:
        if len(_NORMS) >= 1 << 18:
            _NORMS.clear()
        t = _NORMS[text] = _norm_token(text)
    return t


def _norm_token(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    if t.startswith("leuc") and t.isalpha():  # leucopenia, leucocytosis, leucaemia: leuk-
        t = "leuk" + t[4:]
    if len(t) >= 6 and t.isalpha():  # British spellings: oedema, anaemia, dyspnoea, tumour
        t = t.replace("ae", "e").replace("oe", "e")
        if t.endswith("our"):
            t = t[:-3] + "or"
    if len(t) > 4 and t.isalpha():
        if t.endswith("ies"):
            t = t[:-3] + "y"
        elif t.endswith("aches") and t[:-5] in _ACHES:  # headaches, backaches: the word is "-ache"
            t = t[:-1]
        elif t.endswith(("sses", "ches", "shes", "xes")):  # masses, rashes, reflexes
            t = t[:-2]
        elif t.endswith("s") and not t.endswith(("ss", "us", "is")):
            t = t[:-1]
    return t


class Trie:
    """Phrases as keys of one flat dict (tokens joined by \x01) plus the set of their proper
    prefixes: the same longest-match walk as a nested trie, but two flat containers load from a
    pickle in half the time of ~300,000 nested dicts."""

    SEP = "\x01"

    def __init__(self) -> None:
        self.phrases: dict[str, tuple] = {}
        self.prefixes: set[str] = set()
        self.size = 0

    def add(self, tokens: tuple[str, ...], payload) -> None:
        if not tokens:
            return
        for k in range(1, len(tokens)):
            self.prefixes.add(self.SEP.join(tokens[:k]))
        key = self.SEP.join(tokens)
        bucket = self.phrases.get(key, ())
        if payload not in bucket:
            # tuples of tuples of strings and flags: after one pass the collector stops tracking them,
            # where ~130,000 lists would be scanned by every full collection of the host process
            self.phrases[key] = (*bucket, payload)
            self.size += 1

    def longest_at(self, tokens: list[str], i: int, stop: int | None = None) -> tuple[int, list] | None:
        """(end index exclusive, payloads) of the longest phrase starting at tokens[i] and
        ending at or before ``stop``."""
        stop = len(tokens) if stop is None else min(stop, len(tokens))
        if i >= stop:
            return None
        best, key, j = None, tokens[i], i + 1
        while True:
            hit = self.phrases.get(key)
            if hit is not None:
                best = (j, hit)
            if j >= stop or key not in self.prefixes:
                return best
            key = key + self.SEP + tokens[j]
            j += 1

    def find_all(self, tokens: list[str]) -> list[tuple[int, int, list]]:
        """Leftmost-longest, non-overlapping matches: [(start, end, payloads)]."""
        out, i, n = [], 0, len(tokens)
        while i < n:
            hit = self._longest(tokens, i, n)
            if hit:
                out.append((i, hit[0], hit[1]))
                i = hit[0]
            else:
                i += 1
        return out

    def find_overlapping(self, tokens: list[str]) -> list[tuple[int, int, list]]:
        """The longest match starting at every position (matches may overlap)."""
        out, n = [], len(tokens)
        for i in range(n):
            hit = self._longest(tokens, i, n)
            if hit:
                out.append((i, hit[0], hit[1]))
        return out

    def _longest(self, tokens: list[str], i: int, stop: int):
        """longest_at without its argument checks; most tokens start no phrase, so that case returns
        after two dict lookups."""
        key = tokens[i]
        phrases, prefixes = self.phrases, self.prefixes
        hit = phrases.get(key)
        if key not in prefixes:
            return (i + 1, hit) if hit is not None else None
        best = (i + 1, hit) if hit is not None else None
        j, sep = i + 1, self.SEP
        while j < stop:
            key = key + sep + tokens[j]
            j += 1
            hit = phrases.get(key)
            if hit is not None:
                best = (j, hit)
            if key not in prefixes:
                break
        return best
