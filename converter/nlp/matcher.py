"""The lexicon matcher: every phrase of the terminology, tokenised like the text, in one token trie.

Built once per process, pickled in a cache folder keyed by the data's fingerprint (and this
module's version), so a fresh process loads it in milliseconds."""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

from .tokens import tokenize_phrase, tokenizer_nlp
from .trie import Trie, norm_token

MATCHER_VERSION = "5"
KINDS = ("condition", "lab", "vital", "drug", "drug_class")


def cache_dir() -> Path | None:
    root = os.environ.get("CASE2FHIR_CACHE_DIR")
    if root:
        return Path(root)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "case2fhir"


def _build(terminology) -> Trie:
    trie = Trie()
    nlp = tokenizer_nlp()
    for kind in KINDS:
        phrases = terminology.phrases(kind)
        texts = [p for p, _ in phrases]
        for (phrase, cid), doc in zip(phrases, nlp.tokenizer.pipe(texts, batch_size=2000)):
            toks = tuple(norm_token(t.text) for t in doc if not t.is_space)
            if toks:
                # short abbreviations written with capitals ("Mg", "ALT", "CO") match only as written
                caps = sum(c.isupper() for c in phrase)
                case = phrase if (len(phrase) <= 4 and caps >= 2) or (len(phrase) <= 2 and caps) else None
                trie.add(toks, (kind, cid, bool(terminology.is_ambiguous(phrase)), case))
    return trie


@lru_cache(maxsize=4)
def lexicon_trie(terminology) -> Trie:
    key = hashlib.sha256(f"{MATCHER_VERSION}:{terminology.fingerprint}:{tokenize_phrase('anti-Jo1 (x)/y')}".encode()).hexdigest()[:24]
    folder = cache_dir()
    path = folder / f"lexicon-{key}.pickle" if folder else None
    if path and path.is_file():
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except Exception:  # a broken cache is rebuilt, never fatal
            pass
    trie = _build(terminology)
    if path:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(trie, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # read-only home: work without a cache
    return trie
