"""Derive scripts/data/doid_diseases.tsv from a Human Disease Ontology checkout (dev-time only).

    python scripts/doid_extract.py /path/to/HumanDiseaseOntology/DOreports <commit>

Reads DOreports/HumanDO.tsv (DOID id and label), DOreports/allXREFinDO.tsv (ICD10CM and SNOMEDCT_US
xrefs). The Disease Ontology is CC0 (its LICENSE); only ids, labels and those two xref kinds are kept.
scripts/build_conditions.py reads the result as its last, lowest-precedence source."""
from __future__ import annotations

import csv
import sys
from pathlib import Path


def _rows(path: Path):
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            yield {k: (v or "").strip().strip('"') for k, v in r.items()}


def main(reports: str, commit: str) -> None:
    rep = Path(reports)
    labels = {r["id"]: r["label"] for r in _rows(rep / "HumanDO.tsv") if r["id"].startswith("DOID:")}
    icd: dict[str, set[str]] = {}
    sct: dict[str, set[str]] = {}
    for r in _rows(rep / "allXREFinDO.tsv"):
        x = r["xref"]
        if x.startswith("ICD10CM:"):
            icd.setdefault(r["id"], set()).add(x.split(":", 1)[1])
        elif x.startswith("SNOMEDCT_US") and ":" in x:
            sct.setdefault(r["id"], set()).add(x.split(":", 1)[1])
    out = Path(__file__).resolve().parent / "data" / "doid_diseases.tsv"
    with out.open("w", encoding="utf-8") as fh:
        fh.write(f"# Human Disease Ontology (CC0), github.com/DiseaseOntology/HumanDiseaseOntology commit {commit}, "
                 "DOreports/HumanDO.tsv + allXREFinDO.tsv; made by scripts/doid_extract.py\n")
        fh.write("doid\tlabel\ticd10cm\tsnomed\n")
        for d in sorted(labels, key=lambda s: int(s.split(":")[1])):
            fh.write("\t".join([d, labels[d], "|".join(sorted(icd.get(d, ()))), "|".join(sorted(sct.get(d, ())))]) + "\n")
    print(f"{len(labels)} DOID diseases -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
