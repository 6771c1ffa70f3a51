"""ConText-style assertions (negated, uncertain, historical, hypothetical, family) for target spans.

medspaCy's ConText is the reference design: trigger phrases with a direction open a scope that runs
to a terminator, a clause boundary or the end of the sentence, and pseudo-triggers ("no change")
block the shorter triggers inside them. This is the same algorithm over our token trie, a few
times faster than medspaCy's (which builds spaCy Span objects per modifier); rules are data in
mappings/context.json."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..errors import MappingError
from ..facts import Assertion
from ..resources import load_json
from .tokens import CLAUSE_END, Tok, tokenize_phrase
from .trie import Trie

CATEGORIES = {"NEGATED": "negated", "UNCERTAIN": "uncertain", "HISTORICAL": "historical",
              "HYPOTHETICAL": "hypothetical", "FAMILY": "family"}
DIRECTIONS = {"forward", "backward", "bidirectional", "pseudo"}


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    category: str
    direction: str
    phrase: str
    scope: int | None = None  # tokens the trigger reaches, when its rule limits it ("non-": the word it is glued to)


@dataclass
class ContextRules:
    triggers: Trie
    terminators: Trie
    max_scope: int
    relations: dict[str, str]
    relation_display: dict[str, str]
    fillers: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def rules() -> ContextRules:
    data = load_json("context.json")
    trig, term = Trie(), Trie()
    try:
        for i, r in enumerate(data["rules"]):
            cat, direction = r["category"], r["direction"]
            if cat not in CATEGORIES and cat != "PSEUDO":
                raise MappingError(f"mappings/context.json: rules[{i}]: unknown category {cat!r}")
            if direction not in DIRECTIONS:
                raise MappingError(f"mappings/context.json: rules[{i}]: unknown direction {direction!r}")
            scope = r.get("max_scope_tokens")
            if scope is not None and (not isinstance(scope, int) or scope < 1):
                raise MappingError(f"mappings/context.json: rules[{i}]: max_scope_tokens must be a positive integer")
            for p in r["phrases"]:
                trig.add(tokenize_phrase(p), (cat, direction, p, scope))
        for p in data["terminators"]:
            term.add(tokenize_phrase(p), p)
        fillers = data["trigger_fillers"]["words"]
        if not isinstance(fillers, list) or not all(isinstance(w, str) and w and " " not in w for w in fillers):
            raise MappingError("mappings/context.json: trigger_fillers.words must be a list of single words")
        return ContextRules(trig, term, int(data["max_scope_tokens"]), dict(data["family_relations"]),
                            dict(data["family_relation_display"]), frozenset(w.lower() for w in fillers))
    except (KeyError, TypeError) as exc:
        raise MappingError(f"mappings/context.json: {exc!r}") from exc


def find_triggers(norms: list[str], lo: int, hi: int) -> tuple[list[Trigger], list[int]]:
    """Triggers and terminator positions in tokens [lo, hi). Pseudo-triggers win over shorter ones
    inside them and are then dropped."""
    r = rules()
    sub = norms[lo:hi]
    hits = r.triggers.find_overlapping(sub)  # "were negative for X": both "were negative" and "negative for"
    if r.fillers and any(w in r.fillers for w in sub):
        hits += _hits_across_fillers(r, sub)
    pseudo = [(s, e) for s, e, payloads in hits if any(p[0] == "PSEUDO" for p in payloads)]
    trigs = []
    for s, e, payloads in hits:
        if any(ps <= s and e <= pe for ps, pe in pseudo):
            continue  # a pseudo-trigger ("no change", "gram negative") covers it
        for cat, direction, phrase, scope in payloads:
            trigs.append(Trigger(lo + s, lo + e, cat, direction, phrase, scope))
    terms = [lo + s for s, _, _ in r.terminators.find_all(sub)]
    return trigs, terms


def _hits_across_fillers(r: ContextRules, sub: list[str]) -> list[tuple[int, int, list]]:
    """Trigger phrases with a filler word inside ("were all negative", "was also negative", "were both
    excluded"): matched with the fillers left out, kept only when one stood inside the phrase (a hit
    without one is found on the full tokens already)."""
    keep = [i for i, w in enumerate(sub) if w not in r.fillers]
    out = []
    for s, e, payloads in r.triggers.find_overlapping([sub[i] for i in keep]):
        a, b = keep[s], keep[e - 1] + 1
        if b - a > e - s:
            out.append((a, b, payloads))
    return out


def assert_span(toks: list[Tok], lo: int, hi: int, a: int, b: int, trigs: list[Trigger],
                terms: list[int]) -> tuple[Assertion, list[Trigger]]:
    """Assertion of target tokens [a, b) in sentence tokens [lo, hi)."""
    r = rules()
    bounds = sorted(set(terms) | {t.i for t in toks[lo:hi] if t.text in CLAUSE_END})
    out, used = Assertion(), []
    for tg in trigs:
        if tg.start < b and tg.end > a:  # the trigger overlaps the target: not a modifier of it
            continue
        hit = False
        reach = tg.scope or r.max_scope
        if tg.direction in ("forward", "bidirectional") and tg.end <= a:
            # a relative is the subject of the verb right after it: "her mother was treated with X" (a
            # terminator there ends no family scope; a clause end does)
            skip = tg.end if tg.category == "FAMILY" and tg.end in terms else None
            stop = min([x for x in bounds if x >= tg.end and x != skip] + [hi, tg.end + reach])
            hit = a < stop
        if not hit and tg.direction in ("backward", "bidirectional") and tg.start >= b:
            stop = max([x + 1 for x in bounds if x < tg.start] + [lo, tg.start - reach])
            hit = b > stop and a >= stop
        if hit:
            setattr(out, CATEGORIES[tg.category], True)
            used.append(tg)
    return out, used


def family_relation(triggers: list[Trigger]) -> str | None:
    """The most specific relative named by the family triggers: a kin noun ("grandfather", "aunt")
    over a side ("maternal") over a generic "family history"."""
    r = rules()
    best = None
    for tg in triggers:
        if tg.category != "FAMILY":
            continue
        words = set(tg.phrase.lower().split())
        for word, code in r.relations.items():
            if word in words or word == tg.phrase.lower():
                rank = (code != "FAMMEMB", word not in ("maternal", "paternal"), len(word))
                if best is None or rank > best[0]:
                    best = (rank, code)
    return best[1] if best else None


_KIN_JOINERS = frozenset({"and", "or", ",", "her", "his", "their", "both", "the"})


def family_relations(triggers: list[Trigger], norms: list[str]) -> list[str]:
    """Relatives named together before a condition ("her mother and sister had hypothyroidism"): one
    code each; otherwise the single most specific one (``family_relation``)."""
    best = family_relation(triggers)
    fam = sorted((t for t in triggers if t.category == "FAMILY"), key=lambda t: (t.start, -t.end))
    kin: list[tuple[Trigger, str]] = []
    for tg in fam:
        code = family_relation([tg])
        if code in (None, "FAMMEMB") or tg.phrase.lower() in ("maternal", "paternal"):
            continue
        if any(o.start <= tg.start and tg.end <= o.end for o, _ in kin):
            continue  # "sister" inside "her sister", "aunt" inside "maternal aunt"
        kin.append((tg, code))
    run: list[tuple[Trigger, str]] = []
    for tg, code in kin:
        if run and all(w in _KIN_JOINERS for w in norms[run[-1][0].end:tg.start]):
            run.append((tg, code))
        else:
            run = [(tg, code)]
    codes = list(dict.fromkeys(code for _, code in run))
    if len(codes) > 1:
        return codes
    return [best] if best else []
