"""Abbreviations a document defines for itself: "lupus pernio (LP)", "pulmonary arterial
hypertension (PAH)". The short form in brackets names the condition just matched before it, and so
does every later use of it in that document ("LP on her right ear", "severe PAH"). A short form defined
inside a longer condition name, "growth hormone (GH) deficiency", is short for the words before the bracket
(growth hormone, a drug or test), not for the condition: "treated with GH" is the drug.

The test that the short form abbreviates the words before it is Schwartz & Hearst's (2003): each
letter of the short form, right to left, is found in the long form in order, and its first letter
starts a word of the long form."""
from __future__ import annotations

import re

from .tokens import Tok

_SHORT = re.compile(r"^[A-Za-z][A-Za-z0-9\-]{1,9}$")


def looks_short(sf: str) -> bool:
    """"LCH", "PAH", "Ca", "DAH", "T2DM": a word with two or more capitals, no spaces."""
    return bool(_SHORT.match(sf)) and sum(c.isupper() for c in sf) >= 2 and sf[0].isalpha()


def abbreviates(sf: str, lf: str) -> int | None:
    """Schwartz & Hearst's best-long-form test: where in ``lf`` the long form of ``sf`` starts,
    or None when ``sf`` cannot be read off ``lf``."""
    s = [c for c in sf.lower() if c.isalnum()]
    low = lf.lower()
    if not s or not low:
        return None
    si, li = len(s) - 1, len(low) - 1
    while si >= 0:
        c = s[si]
        while li >= 0 and (low[li] != c or (si == 0 and li > 0 and low[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        si -= 1
        li -= 1
    return li + 1


def bracketed_after(toks: list[Tok], b: int, hi: int) -> tuple[int, int, str] | None:
    """Tokens [i, j) and their text when tokens b.. read "( SF )" with SF written without spaces."""
    if b >= hi or toks[b].text != "(":
        return None
    j = b + 1
    while j < hi and j < b + 5 and toks[j].text != ")":
        if j > b + 1 and toks[j].start != toks[j - 1].end:
            return None
        j += 1
    if j >= hi or toks[j].text != ")" or j == b + 1:
        return None
    sf = "".join(t.text for t in toks[b + 1:j])
    return (b + 1, j, sf) if looks_short(sf) else None


def occurrences(toks: list[Tok], sf: str) -> list[tuple[int, int]]:
    """Token ranges written exactly as ``sf`` (or its plural, "NMSCs"), as whole words."""
    out = []
    first = sf[:1]
    for i, t in enumerate(toks):
        if not t.text.startswith(first):
            continue
        j, got = i, ""
        while j < len(toks) and len(got) < len(sf) + 1 and (j == i or toks[j].start == toks[j - 1].end):
            got += toks[j].text
            j += 1
            if got in (sf, sf + "s"):
                nxt_glued = j < len(toks) and toks[j].start == toks[j - 1].end and toks[j].text[:1].isalnum()
                prev_glued = i > 0 and toks[i - 1].end == t.start and toks[i - 1].text[-1:].isalnum()
                if not nxt_glued and not prev_glued:
                    out.append((i, j))
                break
    return out
