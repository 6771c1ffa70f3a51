"""Memory per worker across many conversions: RSS of each worker process after 10, 100 and 1,000
conversions (the dev PDFs over and over), for `case2fhir convert --workers N`.

    python benchmarks/bench_memory.py                   # 1,000 conversions, 2 workers (~15 min on 2 cores)
    python benchmarks/bench_memory.py --conversions 200 --workers 1

Prints one line per checkpoint and worker, then whether RSS stayed flat (growth from the 100th to the
last checkpoint under --tolerance, default 10 %). Needs ../shared/pdfs/dev (or --pdfs DIR)."""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--conversions", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--pdfs", type=Path, default=Path(os.environ.get("CASE2FHIR_SHARED", REPO.parent / "shared")) / "pdfs" / "dev")
    ap.add_argument("--tolerance", type=float, default=0.10)
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    a = ap.parse_args()

    from converter.batch import run_batch

    pdfs = sorted(a.pdfs.glob("*.pdf"))
    if not pdfs:
        print(f"no PDFs in {a.pdfs}", file=sys.stderr)
        return 2
    checkpoints = [c for c in (10, 100, 1000, 10000) if c < a.conversions] + [a.conversions]
    with tempfile.TemporaryDirectory(prefix="c2f-mem-") as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        src.mkdir()
        for i in range(a.conversions):  # distinct names, the same few PDFs: links, not copies
            os.symlink(pdfs[i % len(pdfs)], src / f"{i:06d}_{pdfs[i % len(pdfs)].name}")
        done, last_rss, rows = [0], {}, []
        t0 = time.monotonic()

        def on_result(r) -> None:
            done[0] += 1
            if r.worker is not None and r.rss_kb:
                last_rss.setdefault(r.worker, {})[done[0]] = r.rss_kb
            if done[0] in checkpoints:
                for pid, seen in sorted(last_rss.items()):
                    n_own = len(seen)
                    rows.append({"conversions": done[0], "worker": pid, "worker_conversions": n_own,
                                 "rss_mb": round(seen[max(seen)] / 1024, 1), "seconds": round(time.monotonic() - t0, 1)})
                    print(f"after {done[0]:>6} conversions  worker {pid}: {n_own:>5} own  RSS {rows[-1]['rss_mb']:8.1f} MB"
                          f"  ({rows[-1]['seconds']} s)", flush=True)

        rep = run_batch([src], out, workers=a.workers, on_result=on_result)
    print(f"converted {rep.converted}, failed {rep.failed} in {rep.seconds:.0f} s "
          f"({rep.converted / max(rep.seconds, 1e-9):.2f} files/s)")
    verdict = True
    for pid in sorted({r["worker"] for r in rows}):
        mine = {r["conversions"]: r["rss_mb"] for r in rows if r["worker"] == pid}
        base = mine.get(100) or mine[min(mine)]
        end = mine[max(mine)]
        growth = (end - base) / base
        verdict &= growth <= a.tolerance
        print(f"worker {pid}: RSS " + " -> ".join(f"{mine[c]:.0f} MB @{c}" for c in sorted(mine))
              + f"; growth after 100: {growth * 100:+.1f} %")
    print("RSS per worker " + ("stays flat" if verdict else "GROWS") + f" (tolerance {a.tolerance * 100:.0f} %)")
    if a.json:
        a.json.write_text(json.dumps({"rows": rows, "flat": verdict, "seconds": rep.seconds}, indent=2) + "\n")
    return 0 if verdict and not rep.failed else 1


if __name__ == "__main__":
    sys.exit(main())
