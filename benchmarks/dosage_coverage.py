#!/usr/bin/env python3
"""Dosage coverage on the dev set: for gold Medication spans matched by a MedicationStatement, the
share of the gold Dosage/Frequency/Duration/Administration spans attached to them that the
statement's dosage reflects (issue 7).

    python benchmarks/dosage_coverage.py                      # ../shared next to the repo
    python benchmarks/dosage_coverage.py --errors 20 --label Administration
    python benchmarks/dosage_coverage.py --modify-only        # only sig spans linked by MODIFY

Rules
  attached   a sig span (Dosage/Frequency/Duration/Administration) is attached to a Medication
             when a gold relation of any type links them, in either direction, or links it to a
             sig span that is itself directly attached (e.g. Duration MODIFY Dosage MODIFY
             Medication). --modify-only keeps MODIFY relations only.
  matched    a gold Medication is matched when one of a MedicationStatement's
             derivation-reference spans (offset/length) overlaps it. A sig span counts once, when
             at least one of its medications is matched.
  in text    the sig span's text, whitespace-collapsed and lower-cased, is a substring of
             (whitespace-collapsed, lower-cased) dosage[i].text of a matched statement.
  field      a matched statement's dosage has the structured field the label asks for:
             Dosage -> doseAndRate[].doseQuantity or doseRange, Frequency -> timing.repeat.frequency,
             period or when, Duration -> timing.repeat.boundsDuration, Administration -> route.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SIG_LABELS = ("Dosage", "Frequency", "Duration", "Administration")


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s or "").strip().lower()


def mentions(resource: dict) -> list[tuple[int, int]]:
    """The statement's mentions: its own derivation-reference spans and those of its status (``_status``: the
    mention that stopped the drug)."""
    from converter.fhir.build import derivation_spans

    return [(o, o + n) for o, n in derivation_spans(resource) + derivation_spans(resource, "status")]


def has_field(dosage: dict, label: str) -> bool:
    rep = (dosage.get("timing") or {}).get("repeat") or {}
    if label == "Dosage":
        return any("doseQuantity" in dr or "doseRange" in dr for dr in dosage.get("doseAndRate", []))
    if label == "Frequency":
        return "frequency" in rep or "period" in rep or "when" in rep
    if label == "Duration":
        return "boundsDuration" in rep
    if label == "Administration":
        return "route" in dosage
    raise ValueError(label)


def attached_sigs(doc: dict, modify_only: bool) -> dict[str, set[str]]:
    """sig span id -> ids of the Medication spans it is attached to."""
    spans = {s["id"]: s for s in doc["spans"]}
    links = defaultdict(set)
    for rel in doc.get("relations", []):
        if modify_only and rel["type"] != "MODIFY":
            continue
        a, b = rel["arg1"], rel["arg2"]
        if a in spans and b in spans:
            links[a].add(b)
            links[b].add(a)
    meds_of = defaultdict(set)
    for sid, s in spans.items():
        if s["label"] != "Medication":
            continue
        for o in links[sid]:
            if spans[o]["label"] in SIG_LABELS:
                meds_of[o].add(sid)
    direct = {k: set(v) for k, v in meds_of.items()}
    for sid, meds in direct.items():  # one hop through a directly attached sig span
        for o in links[sid]:
            if spans[o]["label"] in SIG_LABELS and o not in direct:
                meds_of[o] |= meds
    return {k: v for k, v in meds_of.items() if v}


def context(text: str, start: int, end: int, width: int = 70) -> str:
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return f"...{left}[[{text[start:end]}]]{right}..."


def family(text: str, sig: dict, meds: list[dict], hit: list[dict]) -> str:
    """A coarse family of a miss: where the sig span lies against its nearest medication span and what
    the statement's dosage holds (no dosage / a dosage from another part of the text)."""
    near = min(meds, key=lambda m: min(abs(sig["start"] - m["end"]), abs(m["start"] - sig["end"])))
    if sig["end"] <= near["start"]:
        gap, where = text[sig["end"]:near["start"]], "before the drug"
    elif sig["start"] >= near["end"]:
        gap, where = text[near["end"]:sig["start"]], "after the drug"
    else:
        gap, where = "", "inside the drug name"
    if gap and re.search(r"[.;]\s", gap):
        where += ", another sentence/clause"
    elif len(gap) > 40:
        where += ", far (>40 chars)"
    elif "(" in gap or ")" in gap:
        where += ", across a bracket"
    has = any(r.get("dosage") for r in hit)
    return f"{where}; {'statement has another dosage' if has else 'statement has no dosage'}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument("--errors", "--misses", dest="errors", type=int, default=0,
                    help="print N misses (not in dosage.text) with context, after a count of their families")
    ap.add_argument("--label", choices=SIG_LABELS, help="restrict --errors to one label")
    ap.add_argument("--modify-only", action="store_true", help="attach sig spans through MODIFY relations only")
    ap.add_argument("--limit", type=int, default=0, help="first N documents only")
    a = ap.parse_args(argv)
    gold = Path(a.shared) / "eval" / "maccrobat_dev.jsonl"
    docs = [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]
    if a.limit:
        docs = docs[:a.limit]
    from converter import Converter

    t0 = time.perf_counter()
    conv = Converter()
    t1 = time.perf_counter()

    gold_meds = matched_meds = 0
    total = Counter()       # label -> sig spans attached to a matched medication
    in_text = Counter()
    field = Counter()
    either = Counter()
    unmatched = Counter()   # label -> sig spans whose medications were all missed
    no_dosage = Counter()   # label -> matched, but no statement carries a dosage at all
    misses = []
    for doc in docs:
        bundle = conv.text_to_dict(doc["text"], source_id=doc["id"])
        stmts = [e["resource"] for e in bundle.get("entry", [])
                 if e["resource"].get("resourceType") == "MedicationStatement"]
        spans = {s["id"]: s for s in doc["spans"]}
        stmts_of = {}
        for sid, s in spans.items():
            if s["label"] != "Medication":
                continue
            gold_meds += 1
            hit = [r for r in stmts if any(st < s["end"] and s["start"] < en for st, en in mentions(r))]
            if hit:
                matched_meds += 1
                stmts_of[sid] = hit
        for sig_id, meds in sorted(attached_sigs(doc, a.modify_only).items()):
            sig = spans[sig_id]
            label = sig["label"]
            hit = [r for m in sorted(meds) for r in stmts_of.get(m, [])]
            if not hit:
                unmatched[label] += 1
                continue
            total[label] += 1
            dosages = [d for r in hit for d in r.get("dosage", [])]
            if not dosages:
                no_dosage[label] += 1
            want = norm(sig["text"])
            ok_text = any(want and want in norm(d.get("text", "")) for d in dosages)
            ok_field = any(has_field(d, label) for d in dosages)
            in_text[label] += ok_text
            field[label] += ok_field
            either[label] += ok_text or ok_field
            if not ok_text and (a.label is None or a.label == label):
                misses.append((doc, sig, [spans[m] for m in sorted(meds)], hit, ok_field))
    t2 = time.perf_counter()

    def pct(n, d):
        return f"{100 * n / d:5.1f}%" if d else "    -"

    print(f"converted {len(docs)} texts in {t2 - t1:.1f}s (load {t1 - t0:.1f}s)"
          f"{'  [MODIFY relations only]' if a.modify_only else ''}")
    print(f"gold Medication spans {gold_meds}, matched by a MedicationStatement {matched_meds} "
          f"({pct(matched_meds, gold_meds).strip()})")
    print(f"{'label':<15}{'gold':>6}{'in text':>10}{'field':>9}{'either':>9}{'no dosage':>11}{'med missed':>12}")
    for label in SIG_LABELS + ("overall",):
        keys = SIG_LABELS if label == "overall" else (label,)
        n = sum(total[k] for k in keys)
        print(f"{label:<15}{n:>6}{pct(sum(in_text[k] for k in keys), n):>10}{pct(sum(field[k] for k in keys), n):>9}"
              f"{pct(sum(either[k] for k in keys), n):>9}{sum(no_dosage[k] for k in keys):>11}"
              f"{sum(unmatched[k] for k in keys):>12}")
    print("gold = sig spans attached to a matched medication; in text = span text inside dosage.text; "
          "field = structured field present;\nno dosage = matched statements carry no dosage; "
          "med missed = sig spans (not in gold column) whose medication no statement matched")
    if a.errors:
        fams = defaultdict(Counter)
        for doc, sig, meds, hit, _ in misses:
            fams[family(doc["text"], sig, meds, hit)][sig["label"]] += 1
        print(f"\nmisses by family ({len(misses)}):")
        for fam, by in sorted(fams.items(), key=lambda kv: -sum(kv[1].values())):
            print(f"  {sum(by.values()):4d}  {fam}  ({', '.join(f'{k} {n}' for k, n in by.most_common())})")
    for doc, sig, meds, hit, ok_field in misses[:a.errors]:
        print(f"\n[{doc['id']}] {sig['label']} '{sig['text']}' of {', '.join(repr(m['text']) for m in meds)}"
              f"  (field {'yes' if ok_field else 'no'})")
        print("   ", context(doc["text"], sig["start"], sig["end"]))
        for r in hit:
            texts = [d.get("text") for d in r.get("dosage", [])] or ["<no dosage>"]
            print(f"    stmt {r.get('medicationCodeableConcept', {}).get('text')!r}: dosage.text {texts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
