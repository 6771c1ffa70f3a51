#!/usr/bin/env python3
"""Accuracy on the dev set: convert every text of maccrobat_dev.jsonl through convert_text, write
<id>.json bundles, then run the shared score.py and validate_bundle.py on them.

    python benchmarks/accuracy_dev.py                 # ../shared next to the repo
    python benchmarks/accuracy_dev.py --out /tmp/dev --errors 20 --category Condition
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument("--out", default=str(REPO / "out" / "dev"))
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--category")
    ap.add_argument("--no-validate", action="store_true")
    a = ap.parse_args(argv)
    shared = Path(a.shared)
    gold = shared / "eval" / "maccrobat_dev.jsonl"
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    from converter import Converter
    from converter.fhir.build import to_json

    t0 = time.perf_counter()
    conv = Converter()
    t1 = time.perf_counter()
    docs = [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]
    for d in docs:
        (out / f"{d['id']}.json").write_text(to_json(conv.text_to_dict(d["text"], source_id=d["id"])), encoding="utf-8")
    t2 = time.perf_counter()
    print(f"converted {len(docs)} texts in {t2 - t1:.1f}s ({len(docs) / (t2 - t1):.1f} docs/s; load {t1 - t0:.1f}s)")
    cmd = [sys.executable, str(shared / "eval" / "score.py"), "--gold", str(gold), "--pred", str(out)]
    if a.errors:
        cmd += ["--errors", str(a.errors)] + (["--category", a.category] if a.category else [])
    subprocess.run(cmd, check=False)
    if not a.no_validate:
        p = subprocess.run([sys.executable, str(shared / "eval" / "validate_bundle.py"), str(out)],
                           capture_output=True, text=True)
        lines = p.stdout.strip().splitlines()
        print("\n".join(lines[:5] + lines[-1:]) if len(lines) > 6 else p.stdout.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
