"""Lexicon recall on MACCROBAT gold spans: does the terminology recognise what annotators marked?

    python benchmarks/lexicon_recall.py [--gold ../shared/eval/maccrobat_dev.jsonl] [--misses 30] [--json]

For each gold span of Disease_disorder, Sign_symptom, Medication, Lab_value and
Diagnostic_procedure, a span counts as *recognised* when the terminology's matcher (T.match over
the document text, kinds below) finds a phrase overlapping it, or when T.lookup of the span text
itself succeeds. Per category it prints recall and the share of recognised spans whose concept
carries a standard coding (SNOMED CT, ICD-10-CM, LOINC or RxNorm). Lab_value spans are numbers
("8.2 g/dL"): they count as recognised when the unit in them parses (T.unit) or a lab phrase
overlaps them; Diagnostic_procedure spans only when a lab/vital phrase overlaps them, reported
separately because most are imaging or procedures, not tests.
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = {
    "Disease_disorder": ("condition",),
    "Sign_symptom": ("condition",),
    "Medication": ("drug", "drug_class"),
    "Lab_value": ("lab", "vital"),
    "Diagnostic_procedure": ("lab", "vital"),
}
_UNIT = re.compile(r"[\d.,]+\s*(.+)$")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(ROOT.parent / "shared" / "eval" / "maccrobat_dev.jsonl"))
    ap.add_argument("--misses", type=int, default=0, help="print the N most common missed texts per category")
    ap.add_argument("--uncoded", type=int, default=0, help="print the N most common recognised-but-uncoded texts")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from converter.terminology import get_terminology
    T = get_terminology()
    load_s = time.perf_counter() - t0

    docs = [json.loads(l) for l in open(args.gold, encoding="utf-8")]
    total = collections.Counter()
    hit = collections.Counter()
    coded = collections.Counter()
    misses = collections.defaultdict(collections.Counter)
    uncoded = collections.defaultdict(collections.Counter)
    t1 = time.perf_counter()
    for d in docs:
        text = d["text"]
        matches = T.match(text, ("condition", "drug", "drug_class", "lab", "vital"))
        by_kind = collections.defaultdict(list)
        for m in matches:
            for cat, kinds in KINDS.items():
                if m.kind in kinds:
                    by_kind[cat].append(m)
        for sp in d["spans"]:
            cat = sp["label"]
            if cat not in KINDS:
                continue
            total[cat] += 1
            s, e = sp["start"], sp["end"]
            found = [m for m in by_kind[cat] if m.start < e and m.end > s]
            concept = None
            if found:
                concept = T.concept(found[0].concept_id)
            else:
                for k in KINDS[cat]:
                    concept = T.lookup(sp["text"], k)
                    if concept:
                        break
            ok = concept is not None
            if not ok and cat == "Lab_value":
                mu = _UNIT.match(sp["text"].strip())
                ok = bool(mu and T.unit(mu.group(1)))
            if ok:
                hit[cat] += 1
                if concept is not None and concept.is_coded:
                    coded[cat] += 1
                elif concept is not None:
                    uncoded[cat][sp["text"].lower()] += 1
            else:
                misses[cat][sp["text"].lower()] += 1
    match_s = time.perf_counter() - t1

    report = {"documents": len(docs), "load_seconds": round(load_s, 3), "match_seconds": round(match_s, 3),
              "categories": {}}
    for cat in KINDS:
        n = total[cat]
        report["categories"][cat] = {
            "gold": n, "recognised": hit[cat], "recall": round(hit[cat] / n, 3) if n else None,
            "with_concept": None, "coded_share": None}
        with_concept = coded[cat] + sum(uncoded[cat].values())
        report["categories"][cat]["with_concept"] = with_concept
        report["categories"][cat]["coded_share"] = round(coded[cat] / with_concept, 3) if with_concept else None
    ds = total["Disease_disorder"] + total["Sign_symptom"]
    report["Disease_disorder+Sign_symptom_recall"] = round((hit["Disease_disorder"] + hit["Sign_symptom"]) / ds, 3) if ds else None
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print(f"{len(docs)} documents; terminology ready in {load_s:.2f} s; matching {match_s:.2f} s")
        print(f"{'category':22} {'gold':>6} {'recognised':>10} {'recall':>7} {'coded share':>12}")
        for cat, r in report["categories"].items():
            print(f"{cat:22} {r['gold']:6} {r['recognised']:10} {r['recall'] or 0:7.3f} {r['coded_share'] or 0:12.3f}")
        print(f"Disease_disorder+Sign_symptom recall = {report['Disease_disorder+Sign_symptom_recall']}")
    if args.misses:
        for cat in KINDS:
            print(f"\n## {cat}: most common misses")
            for t, c in misses[cat].most_common(args.misses):
                print(f"{c:4}  {t}")
    if args.uncoded:
        for cat in KINDS:
            print(f"\n## {cat}: most common recognised but uncoded")
            for t, c in uncoded[cat].most_common(args.uncoded):
                print(f"{c:4}  {t}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
