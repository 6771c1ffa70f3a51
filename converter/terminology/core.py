"""The Terminology: every concept of mappings/ (conditions, labs, vitals, drugs, drug classes),
their surface phrases, a normalised lookup index and a unit parser, built once per data version
and cached on disk (one mapped file of hash tables, see store.py) keyed by the data's sha256."""
from __future__ import annotations

import os
import json
import mmap
import struct
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import MappingError
from ..resources import fingerprint as _fingerprint
from ..resources import load_text
from . import store, tables
from .model import (HPO, ICD10CM, KINDS, LOINC, MESH, RXNORM, SNOMED, UMLS, DRUGBANK, Coding,
                    Concept)
from .normalize import key as norm_key
from .normalize import tokens_with_offsets
from .store import HashTable
from .units import UnitParser, unit_key

DATA_FILES = ("conditions.tsv", "labs.tsv", "drugs.tsv", "drug_classes.tsv", "units.tsv")
CACHE_VERSION = "3"  # 3: regimens carry their drugs' ids
#: drug classes whose id starts so are named chemotherapy regimens: their members are their drugs
REGIMEN_PREFIX = "class:regimen_"
_MAGIC = b"C2FT"

# flags on an index entry
AMBIGUOUS = 1      # needs context (short abbreviation with several readings)
CASED = 2          # must be written in the same case (abbreviations: "MS" but not "ms")

COND_COLS = ("id", "display", "snomed", "icd10cm", "icd10cm_display", "hpo", "umls", "synonyms", "source")
LAB_COLS = ("id", "kind", "display", "loinc", "unit", "ref_low", "ref_high", "qualitative",
            "specimen", "synonyms", "source")
DRUG_COLS = ("id", "display", "rxnorm", "drugbank", "mesh", "brands", "synonyms", "source")
CLASS_COLS = ("id", "display", "members", "synonyms", "source")
UNIT_COLS = ("written", "ucum", "display", "role", "source")


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str
    concept_id: str
    kind: str
    ambiguous: bool = False


def _surface_flags(surface: str, kind: str) -> tuple[str, int]:
    """Strip the table markers of a synonym: ``~`` needs context, ``=`` is case-sensitive, ``!``
    unambiguous. Short all-capital abbreviations are case-sensitive by default, and those of
    two or three letters in the generated condition/drug vocabularies need context unless curated."""
    flags = 0
    explicit = surface[:1] in ("~", "=", "!")
    if surface[:1] == "!":  # curated: unambiguous as written
        surface = surface[1:]
    while surface[:1] in ("~", "="):
        flags |= AMBIGUOUS if surface[0] == "~" else CASED
        surface = surface[1:]
    letters = [c for c in surface if c.isalpha()]
    if letters and len(surface) <= 6 and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1):
        flags |= CASED
        # generated vocabularies' two/three-letter abbreviations ("MS", "PE", "RA") have several readings
        if kind in ("condition", "drug") and len(letters) <= 3 and not explicit:
            flags |= AMBIGUOUS
    return surface, flags


_RS, _US, _GS = "\x1e", "\x1f", "\x1d"   # record / unit / group separators of the compact cache


def _pack_concept(kind: str, display: str, codings, attrs: dict) -> str:
    cod = _GS.join(_US.join(c) for c in codings)
    return _RS.join((kind, display, cod, json.dumps(attrs, separators=(",", ":"))))


def _unpack_entries(value: str) -> list[tuple[str, str, int, str]]:
    out = []
    for e in value.split(_GS):
        cid, kind, flags, cased = e.split(_US)
        out.append((cid, kind, int(flags), cased))
    return out


def _all_segments(seg: dict):
    for name, v in seg.items():
        if name == "phrases":
            yield from v.values()
        else:
            yield v


class Terminology:
    """Read-only, process-wide vocabulary. Build with :func:`get_terminology`."""

    def __init__(self, *, use_cache: bool = True, extra_files: tuple[str, ...] = ()):
        self.extra_files = tuple(str(p) for p in extra_files)
        self.fingerprint = self._compute_fingerprint()
        blob = self._load_cached() if use_cache else None
        if blob is None:
            blob = self._build()
            if use_cache:
                self._store_cache(blob)
        self._open(blob)
        self._phrases: dict[str, list[tuple[str, str]]] = {}
        self._entries: dict[str, list[tuple[str, str, int, str]]] = {}
        self._concepts: dict[str, Concept] = {}

    def _open(self, blob) -> None:
        try:
            magic, hlen = struct.unpack_from("<4sI", blob, 0)
            head = json.loads(bytes(blob[8: 8 + hlen]).decode("utf-8")) if magic == _MAGIC else {}
        except (struct.error, ValueError) as exc:
            raise MappingError(f"terminology cache: unreadable ({exc})") from None
        if magic != _MAGIC or not isinstance(head, dict) or "segments" not in head:
            raise MappingError("terminology cache: bad header")
        if head.get("fingerprint") != self.fingerprint:
            raise MappingError("terminology cache: stale")
        base = 8 + hlen
        seg = head["segments"]
        self._blob = blob
        self._raw = HashTable(blob, base + seg["concepts"][0], seg["concepts"][1])
        self._index = HashTable(blob, base + seg["index"][0], seg["index"][1])
        self._first = HashTable(blob, base + seg["first"][0], seg["first"][1])
        self._phrase_seg = {k: (base + o, n) for k, (o, n) in seg["phrases"].items()}
        self._ambiguous = frozenset(head["ambiguous"])
        self._counts = head["counts"]
        self._unit = UnitParser({k: tuple(v) for k, v in head["units"].items()},
                                {k: tuple(v) for k, v in head["atoms"].items()})

    # ------------------------------------------------------------------ public API
    def concept(self, concept_id: str) -> Concept:
        c = self._concepts.get(concept_id)
        if c is None:
            packed = self._raw.get(concept_id)
            if packed is None:
                raise KeyError(f"unknown concept {concept_id!r}")
            kind, display, cod, attrs = packed.split(_RS)
            codings = tuple(Coding(*x.split(_US)) for x in cod.split(_GS)) if cod else ()
            c = Concept(concept_id, kind, display, codings, json.loads(attrs))
            self._concepts[concept_id] = c
        return c

    def __contains__(self, concept_id: str) -> bool:
        return self._raw.get(concept_id) is not None

    def concept_ids(self, kind: str | None = None) -> list[str]:
        prefix = (kind + _RS) if kind else ""
        return [cid for cid, v in self._raw.items() if v.startswith(prefix)]

    def phrases(self, kind: str) -> list[tuple[str, str]]:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        got = self._phrases.get(kind)
        if got is None:
            off, n = self._phrase_seg.get(kind, (0, 0))
            packed = bytes(self._blob[off: off + n]).decode("utf-8") if n else ""
            got = [tuple(line.split("\t")) for line in packed.split("\n")] if packed else []
            self._phrases[kind] = got
        return list(got)

    def _lookup_entries(self, k: str) -> list[tuple[str, str, int, str]]:
        got = self._entries.get(k)
        if got is None:
            packed = self._index.get(k)
            got = _unpack_entries(packed) if packed else []
            if len(self._entries) < 200_000:
                self._entries[k] = got
        return got

    def lookup(self, text: str, kind: str | None = None) -> Concept | None:
        for cid, k, _flags, _cased in self._lookup_entries(norm_key(text)):
            if kind is None or k == kind:
                return self.concept(cid)
        return None

    def lookup_all(self, text: str, kind: str | None = None) -> list[Concept]:
        return [self.concept(cid) for cid, k, _f, _c in self._lookup_entries(norm_key(text))
                if kind is None or k == kind]

    def unit(self, text: str) -> tuple[str, str] | None:
        return self._unit(text)

    def is_ambiguous(self, phrase: str) -> bool:
        return phrase.strip().lower() in self._ambiguous

    def is_case_sensitive(self, phrase: str) -> bool:
        """True when ``phrase`` is an abbreviation that matches only as written ("CK", "HCC"):
        for a PhraseMatcher(attr="LOWER") built from :meth:`phrases`, check the matched text."""
        alnum = "".join(ch for ch in phrase if ch.isalnum())
        return any(cased and alnum in cased.split("|")
                   for _cid, _k, _f, cased in self._lookup_entries(norm_key(phrase)))

    def spans(self, doc, kinds=None, *, include_ambiguous: bool = False):
        """:meth:`match` on a spaCy ``Doc``: a list of ``Span`` objects (label = kind,
        kb_id = concept id), aligned outward to token boundaries; overlapping ones are dropped.
        spaCy is not imported here: any object with ``.text`` and ``.char_span`` works."""
        out, last_end = [], -1
        for m in self.match(doc.text, kinds, include_ambiguous=include_ambiguous):
            span = doc.char_span(m.start, m.end, label=m.kind, kb_id=m.concept_id, alignment_mode="expand")
            if span is None or span.start < last_end:
                continue
            out.append(span)
            last_end = span.end
        return out

    def match(self, text: str, kinds: tuple[str, ...] | list[str] | str | None = None, *,
              include_ambiguous: bool = False) -> list[Match]:
        """Longest, leftmost, non-overlapping matches of every phrase of ``kinds`` in ``text``.

        Same normalisation as :meth:`lookup`; offsets are indices into ``text``. Case-sensitive
        abbreviations must be written as in the table; ambiguous ones are left out unless
        ``include_ambiguous``."""
        if isinstance(kinds, str):
            kinds = (kinds,)
        wanted = set(kinds) if kinds else None
        toks = tokens_with_offsets(text)
        norm = [t[0] for t in toks]
        out: list[Match] = []
        i, n = 0, len(toks)
        index_get, first_get, entries_of = self._index.get, self._first.get, self._lookup_entries
        while i < n:
            maxlen = int(first_get(norm[i]) or 0)
            found = None
            for length in range(min(maxlen, n - i), 0, -1):
                k = " ".join(norm[i:i + length])
                entries = entries_of(k)
                if not entries:
                    continue
                s, e = toks[i][1], toks[i + length - 1][2]
                # whole words only: "CD" must not match inside "CD20", nor "Ca" inside "Ca2"
                if (s > 0 and text[s - 1].isalnum()) or (e < len(text) and text[e].isalnum()):
                    continue
                span = text[s:e]
                for cid, kind, flags, cased in entries:
                    if wanted is not None and kind not in wanted:
                        continue
                    if flags & AMBIGUOUS and not include_ambiguous:
                        continue
                    if cased and "".join(ch for ch in span if ch.isalnum()) not in cased.split("|"):
                        continue
                    found = Match(s, e, span, cid, kind, bool(flags & AMBIGUOUS))
                    break
                if found:
                    out.append(found)
                    i += length
                    break
            else:
                i += 1
        return out

    def stats(self) -> dict:
        """Counts of concepts, coded concepts and phrases per kind (computed at build time)."""
        return json.loads(json.dumps(self._counts))

    # ------------------------------------------------------------------ cache
    def _compute_fingerprint(self) -> str:
        import hashlib
        h = hashlib.sha256(_fingerprint(*DATA_FILES).encode())
        h.update(CACHE_VERSION.encode())
        for p in self.extra_files:
            st = os.stat(p)
            h.update(f"{os.path.abspath(p)}:{st.st_size}:{st.st_mtime_ns}".encode())
        return h.hexdigest()

    def _cache_path(self) -> Path | None:
        base = os.environ.get("CASE2FHIR_CACHE_DIR")
        if base:
            root = Path(base)
        else:
            xdg = os.environ.get("XDG_CACHE_HOME")
            root = Path(xdg) if xdg else Path.home() / ".cache"
            root = root / "case2fhir"
        return root / self.fingerprint[:24] / "terminology.bin"

    def _load_cached(self):
        path = self._cache_path()
        try:
            with open(path, "rb") as fh:
                try:
                    blob = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
                except (OSError, ValueError):
                    blob = fh.read()
            magic, hlen = struct.unpack_from("<4sI", blob, 0)
            head = json.loads(bytes(blob[8: 8 + hlen]).decode("utf-8"))
            if (magic == _MAGIC and head.get("fingerprint") == self.fingerprint
                    and len(blob) >= 8 + hlen + max(o + n for o, n in _all_segments(head["segments"]))):
                return blob
        except Exception:  # missing, unreadable, truncated or stale cache: rebuild
            return None
        return None

    def _store_cache(self, blob) -> None:
        path = self._cache_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, path)
        except OSError:
            return  # read-only home, full disk...: run without a cache
        self._prune_cache(path.parent, keep=3)

    @staticmethod
    def _prune_cache(current: Path, keep: int) -> None:
        """Remove compiled caches of old data versions (siblings holding only terminology.bin)."""
        try:
            olds = []
            for d in current.parent.iterdir():
                if d == current or not d.is_dir():
                    continue
                files = list(d.iterdir())
                if len(files) == 1 and files[0].name == "terminology.bin":
                    olds.append((files[0].stat().st_mtime, d, files[0]))
            for _mtime, d, f in sorted(olds, reverse=True)[keep - 1:]:
                f.unlink()
                d.rmdir()
        except OSError:
            pass

    # ------------------------------------------------------------------ build
    def _build(self) -> dict:
        b = _Builder()
        b.load_units(load_text("units.tsv"))
        b.load_labs(load_text("labs.tsv"))
        b.load_drug_classes(load_text("drug_classes.tsv"))
        b.load_drugs(load_text("drugs.tsv"))
        b.resolve_regimens()
        b.load_conditions(load_text("conditions.tsv"))
        from . import external
        for path in self.extra_files:
            external.load_into(b, path)
        return b.finish(self.fingerprint)


class _Builder:
    """Collects concepts and phrases from the tables (and user-supplied release files)."""

    def __init__(self):
        self.concepts: dict[str, tuple] = {}
        self.phrases: dict[str, list[tuple[str, str]]] = {k: [] for k in KINDS}
        self.index: dict[str, list[tuple[str, str, int, str]]] = {}
        self.ambiguous: set[str] = set()
        self.units: dict[str, tuple[str, str]] = {}
        self.atoms: dict[str, tuple[str, str]] = {}
        self.code_to_id: dict[tuple[str, str], str] = {}

    def add_concept(self, cid: str, kind: str, display: str, codings: list[tuple[str, str, str]],
                    attrs: dict) -> None:
        self.concepts[cid] = (kind, display, tuple(codings), attrs)
        for system, code, _ in codings:
            self.code_to_id.setdefault((system, code), cid)

    def add_phrase(self, surface: str, cid: str, kind: str) -> None:
        surface, flags = _surface_flags(surface.strip(), kind)
        if not surface:
            return
        k = norm_key(surface)
        if not k or (len(k) < 2 and not flags & CASED):
            return
        if flags & AMBIGUOUS:
            self.ambiguous.add(surface.lower())
        cased = "".join(ch for ch in surface if ch.isalnum()) if flags & CASED else ""
        entries = self.index.setdefault(k, [])
        for j, e in enumerate(entries):
            if e[0] == cid:
                if e[3] and not cased:  # an uncased surface lifts the case constraint
                    entries[j] = (cid, kind, flags & ~CASED, "")
                elif e[3] and cased and cased != e[3]:
                    entries[j] = (cid, kind, e[2], e[3] + "|" + cased)
                self.phrases[kind].append((surface, cid))
                return
        entries.append((cid, kind, flags, cased))
        self.phrases[kind].append((surface, cid))

    # -- tables
    def load_units(self, text: str) -> None:
        def check(row, where):
            if row["role"] not in ("unit", "atom"):
                raise MappingError(f"{where}: role must be unit or atom")
        for _, row in tables.read_tsv("units.tsv", text, UNIT_COLS, required=("written", "ucum", "display", "role", "source"),
                                      codes={"ucum": "ucum"}, extra_check=check):
            target = self.units if row["role"] == "unit" else self.atoms
            target.setdefault(unit_key(row["written"]), (row["ucum"], row["display"]))

    def load_labs(self, text: str) -> None:
        def check(row, where):
            if row["kind"] not in ("lab", "vital"):
                raise MappingError(f"{where}: kind must be lab or vital")
            if row["qualitative"] not in ("", "0", "1"):
                raise MappingError(f"{where}: qualitative must be 0 or 1")
            if row["id"] != f"{row['kind']}:{row['loinc']}":
                raise MappingError(f"{where}: id must be {row['kind']}:<loinc>")
        for lineno, row in tables.read_tsv("labs.tsv", text, LAB_COLS,
                                           required=("id", "kind", "display", "loinc", "source"),
                                           codes={"loinc": "loinc"}, extra_check=check):
            where = f"mappings/labs.tsv:{lineno}"
            attrs = {"unit": row["unit"] or None,
                     "ref_low": tables.parse_float(row["ref_low"], where),
                     "ref_high": tables.parse_float(row["ref_high"], where),
                     "qualitative": row["qualitative"] == "1",
                     "category": "vital-signs" if row["kind"] == "vital" else "laboratory",
                     "specimen": row["specimen"] or None,
                     "source": row["source"]}
            self.add_concept(row["id"], row["kind"], row["display"],
                             [(LOINC, row["loinc"], row["display"])], attrs)
            self.add_phrase(row["display"], row["id"], row["kind"])
            for s in tables.split_list(row["synonyms"]):
                self.add_phrase(s, row["id"], row["kind"])

    def load_drug_classes(self, text: str) -> None:
        for _, row in tables.read_tsv("drug_classes.tsv", text, CLASS_COLS,
                                      required=("id", "display", "source")):
            if not row["id"].startswith("class:"):
                raise MappingError(f"mappings/drug_classes.tsv: id {row['id']!r} must start with class:")
            self.add_concept(row["id"], "drug_class", row["display"], [],
                             {"members": tables.split_list(row["members"]), "source": row["source"]})
            self.add_phrase(row["display"], row["id"], "drug_class")
            for s in tables.split_list(row["synonyms"]):
                self.add_phrase(s, row["id"], "drug_class")

    def resolve_regimens(self) -> None:
        """A named chemotherapy regimen (id ``class:regimen_*``) lists its drugs as members: the full definition,
        not examples. Each must name a drug of drugs.tsv; their drug ids are kept as the attribute ``regimen``."""
        for cid, (kind, _display, _codings, attrs) in self.concepts.items():
            if not cid.startswith(REGIMEN_PREFIX):
                continue
            drugs = []
            for name in attrs["members"]:
                hit = next((e[0] for e in self.index.get(norm_key(name), ()) if e[1] == "drug"), None)
                if hit is None:
                    raise MappingError(f"mappings/drug_classes.tsv: regimen {cid}: member {name!r} names no drug of drugs.tsv")
                drugs.append(hit)
            if len(drugs) < 2:
                raise MappingError(f"mappings/drug_classes.tsv: regimen {cid} must list its drugs (two or more)")
            attrs["regimen"] = drugs

    def load_drugs(self, text: str) -> None:
        for _, row in tables.read_tsv("drugs.tsv", text, DRUG_COLS, required=("id", "display", "source"),
                                      codes={"rxnorm": "rxnorm", "drugbank": "drugbank", "mesh": "mesh"}):
            if not row["id"].startswith("drug:"):
                raise MappingError(f"mappings/drugs.tsv: id {row['id']!r} must start with drug:")
            codings = [(RXNORM, c, row["display"]) for c in tables.split_list(row["rxnorm"])]
            brands = tables.split_list(row["brands"])
            self.add_concept(row["id"], "drug", row["display"], codings,
                             {"brands": brands, "drugbank": row["drugbank"] or None,
                              "mesh": row["mesh"] or None, "source": row["source"]})
            self.add_phrase(row["display"], row["id"], "drug")
            for s in tables.split_list(row["synonyms"]) + brands:
                self.add_phrase(s, row["id"], "drug")

    def load_conditions(self, text: str) -> None:
        def check(row, where):
            if len(tables.split_list(row["icd10cm"])) != len(tables.split_list(row["icd10cm_display"])):
                raise MappingError(f"{where}: icd10cm and icd10cm_display differ in length")
        for _, row in tables.read_tsv("conditions.tsv", text, COND_COLS, required=("id", "display", "source"),
                                      codes={"snomed": "snomed", "icd10cm": "icd10cm", "hpo": "hpo", "umls": "umls"},
                                      extra_check=check):
            if not row["id"].startswith("cond:"):
                raise MappingError(f"mappings/conditions.tsv: id {row['id']!r} must start with cond:")
            disp = row["display"]
            codings = [(SNOMED, c, disp) for c in tables.split_list(row["snomed"])]
            codings += [(ICD10CM, c, d) for c, d in zip(tables.split_list(row["icd10cm"]),
                                                        tables.split_list(row["icd10cm_display"]))]
            codings += [(HPO, c, disp) for c in tables.split_list(row["hpo"])]
            codings += [(UMLS, c, disp) for c in tables.split_list(row["umls"])]
            attrs = {"source": row["source"]}
            if row["source"].startswith("curated: general finding"):
                attrs["generic"] = True  # a general finding word ("lesion", "enlarged"): extend to its phrase
            self.add_concept(row["id"], "condition", disp, codings, attrs)
            self.add_phrase(disp, row["id"], "condition")
            for s in tables.split_list(row["synonyms"]):
                self.add_phrase(s, row["id"], "condition")

    def finish(self, fingerprint: str) -> bytes:
        """Serialise everything into one buffer: JSON header + hash tables + phrase lists."""
        first: dict[str, int] = {}
        for k in self.index:
            toks = k.split(" ")
            if first.get(toks[0], 0) < len(toks):
                first[toks[0]] = len(toks)
        counts = {"concepts": {}, "coded": {}, "phrases": {k: len(v) for k, v in self.phrases.items()}}
        std = (SNOMED, ICD10CM, LOINC, RXNORM)
        for kind, _d, codings, _a in self.concepts.values():
            counts["concepts"][kind] = counts["concepts"].get(kind, 0) + 1
            if any(c[0] in std for c in codings):
                counts["coded"][kind] = counts["coded"].get(kind, 0) + 1
        parts = {
            "concepts": store.build({cid: _pack_concept(*v) for cid, v in self.concepts.items()}),
            "index": store.build({k: _GS.join(_US.join((cid, kind, str(flags), cased))
                                               for cid, kind, flags, cased in v)
                                  for k, v in self.index.items()}),
            "first": store.build({k: str(v) for k, v in first.items()}),
        }
        phrase_parts = {kind: "\n".join(f"{s}\t{c}" for s, c in v).encode("utf-8")
                        for kind, v in self.phrases.items()}
        segments: dict = {"phrases": {}}
        body: list[bytes] = []
        pos = 0
        for name, data in parts.items():
            segments[name] = (pos, len(data))
            body.append(data)
            pos += len(data)
            pad = (-pos) % 8
            body.append(b"\0" * pad)
            pos += pad
        for kind, data in phrase_parts.items():
            segments["phrases"][kind] = (pos, len(data))
            body.append(data)
            pos += len(data)
        head = json.dumps({"fingerprint": fingerprint, "segments": segments, "counts": counts,
                           "ambiguous": sorted(self.ambiguous), "units": self.units,
                           "atoms": self.atoms}).encode("utf-8")
        head += b" " * ((-(8 + len(head))) % 8)
        return _MAGIC + struct.pack("<I", len(head)) + head + b"".join(body)


_LOCK = threading.Lock()
_INSTANCE: Terminology | None = None


def get_terminology() -> Terminology:
    """The process-wide Terminology (built or loaded from the disk cache on first use).

    User-supplied release files extend the packaged tables when named in the environment:
    ``CASE2FHIR_RXNCONSO`` (RxNorm RXNCONSO.RRF) and ``CASE2FHIR_LOINC_CSV`` (LOINC Loinc.csv)."""
    global _INSTANCE
    if _INSTANCE is None:
        with _LOCK:
            if _INSTANCE is None:
                extra = tuple(p for p in (os.environ.get("CASE2FHIR_RXNCONSO"),
                                          os.environ.get("CASE2FHIR_LOINC_CSV")) if p)
                _INSTANCE = Terminology(extra_files=extra)
    return _INSTANCE


def reset_terminology() -> None:
    """Forget the process-wide instance (tests, or after changing the environment)."""
    global _INSTANCE
    with _LOCK:
        _INSTANCE = None
