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

from .tokens import _SAME_LENGTH, tokenize_phrase, tokenizer_nlp
from .trie import Trie, norm_token

MATCHER_VERSION = "21"
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
        texts = [p.translate(_SAME_LENGTH) for p, _ in phrases]
        for (phrase, cid), doc in zip(phrases, nlp.tokenizer.pipe(texts, batch_size=2000)):
            words = [t for t in doc if not t.is_space]
            toks = tuple(norm_token(t.text) for t in words)
            if toks:
                # short abbreviations written with capitals ("Mg", "ALT", "CO") match only as written
                caps = sum(c.isupper() for c in phrase)
                sensitive = getattr(terminology, "is_case_sensitive", None)
                case = phrase if ((len(phrase) <= 4 and caps >= 2) or (len(phrase) <= 2 and caps)
                                  or (sensitive is not None and sensitive(phrase))) else None
                payload = (kind, cid, bool(terminology.is_ambiguous(phrase)), case)
                trie.add(toks, payload)
                # the same phrase without hyphens glued between words: the text is matched that way
                bare = tuple(norm_token(t.text) for k, t in enumerate(words) if not _glued_hyphen(words, k))
                if bare != toks:
                    trie.add(bare, payload)
    for phrase, cid in observable_phrases():
        words = [t for t in nlp.make_doc(phrase.translate(_SAME_LENGTH)) if not t.is_space]
        toks = tuple(norm_token(t.text) for t in words)
        if toks:
            trie.add(toks, ("observable", cid, False, None))
            bare = tuple(norm_token(t.text) for k, t in enumerate(words) if not _glued_hyphen(words, k))
            if bare != toks:
                trie.add(bare, ("observable", cid, False, None))
    return trie


def _glued_hyphen(words, k: int) -> bool:
    """spaCy tokens: a hyphen between two words with no spaces ("T-wave"), or a possessive 's glued to its
    word ("Friedreich's ataxia" is "Friedreich ataxia"), or a plural possessive's apostrophe ("Graves' disease"
    is "Graves disease"), as pipeline._glued_hyphen."""
    if 0 < k and words[k].text in ("'s", "\u2019s") and not words[k - 1].whitespace_ and words[k - 1].text[-1:].isalpha():
        return True
    if 0 < k and words[k].text in ("'", "\u2019") and not words[k - 1].whitespace_ and words[k - 1].text[-1:] in ("s", "S"):
        return True
    return 0 < k < len(words) - 1 and words[k].text == "-" and not words[k - 1].whitespace_ and \
        not words[k].whitespace_ and words[k - 1].text[-1:].isalpha() and words[k + 1].text[:1].isalpha()


@lru_cache(maxsize=1)
def observables() -> dict[str, dict]:
    """mappings/observables.tsv: examinations, measures, markers and course words a result is stated for."""
    from ..errors import MappingError
    from ..resources import load_text

    out: dict[str, dict] = {}
    header = None
    for n, line in enumerate(load_text("observables.tsv").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if header is None:
            header = cols
            if header != ["id", "category", "phrases", "numeric"]:
                raise MappingError(f"mappings/observables.tsv:{n}: header must be id, category, phrases, numeric")
            continue
        if len(cols) != 4 or not cols[0] or not cols[2] or cols[3] not in ("yes", "no"):
            raise MappingError(f"mappings/observables.tsv:{n}: expected id, category, phrases, numeric (yes/no)")
        if cols[1] not in ("exam", "vital-signs", "laboratory", "imaging", "procedure", "other"):
            raise MappingError(f"mappings/observables.tsv:{n}: unknown category {cols[1]!r}")
        out["obs:" + cols[0]] = {"category": cols[1], "numeric": cols[3] == "yes",
                                 "phrases": [p.strip() for p in cols[2].split("|") if p.strip()]}
    return out


def observable_phrases() -> list[tuple[str, str]]:
    return [(p, cid) for cid, row in observables().items() for p in row["phrases"]]


@lru_cache(maxsize=4)
def lexicon_trie(terminology) -> Trie:
    from ..resources import fingerprint

    key = hashlib.sha256(f"{MATCHER_VERSION}:{terminology.fingerprint}:{fingerprint('observables.tsv')}:{tokenize_phrase('anti-Jo1 (x)/y')}".encode()).hexdigest()[:24]
    folder = cache_dir()
    path = folder / f"lexicon-{key}.pickle" if folder else None
    if path and path.is_file():
        import gc

        enabled = gc.isenabled()
        gc.disable()  # hundreds of thousands of small dicts: the collector would triple the load time
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except Exception:  # a broken cache is rebuilt, never fatal
            pass
        finally:
            if enabled:
                gc.enable()
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
