"""Loaders for vocabulary releases a user holds a licence for and supplies as files.

The packaged tables carry what can be shipped; these extend them at load time:

* **RxNorm** ``RXNCONSO.RRF`` (from the RxNorm full or prescribable release, pipe-delimited,
  18 columns: RXCUI|LAT|TS|LUI|STT|SUI|ISPREF|RXAUI|SAUI|SCUI|SDUI|SAB|TTY|CODE|STR|SRL|SUPPRESS|CVF|).
  Rows with SAB=RXNORM, LAT=ENG, not suppressed, TTY IN/PIN/MIN/BN are read. An ingredient whose
  name is already in the drug lexicon gains its RXCUI (the packaged code wins if there is one);
  a new ingredient or brand becomes a new ``drug:`` concept.
* **LOINC** ``Loinc.csv`` (the LOINC table, comma-separated with a quoted header: LOINC_NUM,
  COMPONENT, ..., STATUS, ..., CLASSTYPE, ..., LONG_COMMON_NAME, ...). ACTIVE lab (CLASSTYPE 1) and
  clinical (2) terms are read; each becomes ``lab:<LOINC_NUM>`` unless already packaged; its
  LONG_COMMON_NAME becomes a phrase, and its COMPONENT too when no packaged concept uses it.

Use them through the environment (``CASE2FHIR_RXNCONSO=/path/RXNCONSO.RRF``,
``CASE2FHIR_LOINC_CSV=/path/Loinc.csv``) or ``Terminology(extra_files=(path, ...))``. The file kind
is recognised from its name (``*.RRF`` -> RxNorm, ``*.csv`` -> LOINC). The result is cached like
the packaged data, keyed by the files' path, size and modification time."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import MappingError
from . import tables
from .model import LOINC, RXNORM
from .normalize import key as norm_key
from .normalize import slug

RRF_COLUMNS = 18
_RX_TTYS = {"IN", "PIN", "MIN", "BN"}


def load_into(builder, path: str) -> None:
    name = Path(path).name.lower()
    if name.endswith(".rrf"):
        load_rxnconso(builder, path)
    elif name.endswith(".csv"):
        load_loinc_csv(builder, path)
    else:
        raise MappingError(f"{path}: unknown release file (expected RXNCONSO.RRF or Loinc.csv)")


def _drug_by_key(builder) -> dict[str, str]:
    out = {}
    for k, entries in builder.index.items():
        for cid, kind, *_ in entries:
            if kind == "drug":
                out.setdefault(k, cid)
    return out


def load_rxnconso(builder, path: str) -> int:
    """Read RXNCONSO.RRF into ``builder``; returns the number of RxNorm atoms used."""
    known = _drug_by_key(builder)
    used = 0
    with open(path, encoding="utf-8", newline="") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            f = line.split("|")
            if f and f[-1] == "":
                f = f[:-1]
            if len(f) != RRF_COLUMNS:
                raise MappingError(f"{path}:{lineno}: {len(f)} fields, RXNCONSO.RRF has {RRF_COLUMNS}")
            rxcui, lat, sab, tty, text, suppress = f[0], f[1], f[11], f[12], f[14], f[16]
            if lat != "ENG" or sab != "RXNORM" or tty not in _RX_TTYS or suppress in ("O", "Y", "E"):
                continue
            tables.check_code("rxnorm", rxcui, f"{path}:{lineno}")
            k = norm_key(text)
            cid = known.get(k)
            if cid is not None:
                kind, display, codings, attrs = builder.concepts[cid]
                if not any(c[0] == RXNORM for c in codings):
                    builder.concepts[cid] = (kind, display, ((RXNORM, rxcui, text),) + tuple(codings),
                                             {**attrs, "rxnorm_source": "RXNCONSO.RRF"})
                    builder.code_to_id.setdefault((RXNORM, rxcui), cid)
                used += 1
                continue
            cid = builder.code_to_id.get((RXNORM, rxcui))
            if cid is None:
                cid = f"drug:{slug(text)}"
                if cid in builder.concepts:
                    cid = f"drug:rxcui_{rxcui}"
                builder.add_concept(cid, "drug", text, [(RXNORM, rxcui, text)],
                                    {"brands": [], "source": "RXNCONSO.RRF", "tty": tty})
            builder.add_phrase(text, cid, "drug")
            known[k] = cid
            used += 1
    return used


def load_loinc_csv(builder, path: str) -> int:
    """Read Loinc.csv into ``builder``; returns the number of terms added."""
    added = 0
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        need = {"LOINC_NUM", "COMPONENT", "STATUS", "CLASSTYPE", "LONG_COMMON_NAME"}
        missing = need - set(reader.fieldnames or ())
        if missing:
            raise MappingError(f"{path}: not a LOINC table, missing columns {sorted(missing)}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            code = row["LOINC_NUM"].strip()
            tables.check_code("loinc", code, where)
            if row["STATUS"].strip() != "ACTIVE" or row["CLASSTYPE"].strip() not in ("1", "2"):
                continue
            cid = f"lab:{code}"
            if cid in builder.concepts or f"vital:{code}" in builder.concepts:
                continue
            name = row["LONG_COMMON_NAME"].strip() or row["COMPONENT"].strip()
            unit = (row.get("EXAMPLE_UCUM_UNITS") or "").strip().split(";")[0].strip() or None
            scale = (row.get("SCALE_TYP") or "").strip()
            builder.add_concept(cid, "lab", name, [(LOINC, code, name)],
                                {"unit": unit, "ref_low": None, "ref_high": None,
                                 "qualitative": scale in ("Ord", "Nom", "Nar"), "category": "laboratory",
                                 "specimen": (row.get("SYSTEM") or "").strip() or None,
                                 "source": "Loinc.csv"})
            builder.add_phrase(name, cid, "lab")
            comp = row["COMPONENT"].strip()
            if comp and norm_key(comp) not in builder.index:
                builder.add_phrase(comp, cid, "lab")
            added += 1
    return added
