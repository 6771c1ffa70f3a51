"""Batch numbers for issue 8, on the dev PDFs (../shared/pdfs/dev):

1. throughput with 1 and 2 workers (files/s in steady state, after the converters are built, and
   wall time with start-up), and their ratio (target: 2 workers >= 1.8 x one worker);
2. byte identity of the outputs of 2 workers, 1 worker, the library (converter.batch.iter_bundles)
   and Spark (converter.spark, local mode; skipped when pyspark is not installed or --no-spark);
3. a batch of every file of ../shared/pdfs/bad plus the dev PDFs: every good file converted, every
   bad one in errors.ndjson with its code, nothing else written for it.

    python benchmarks/bench_batch.py              # ~5 min on an idle 2-core machine
    python benchmarks/bench_batch.py --limit 6 --no-spark --no-bad

The ratio needs the cores to itself: other CPU-heavy processes on the machine lower it (the
script prints the load average before and after). Exit status 0 when every check passes."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("CASE2FHIR_SHARED", REPO.parent / "shared"))
BAD_CODES = {"empty.pdf": "EMPTY_FILE", "not_a_pdf.pdf": "NOT_A_PDF", "truncated.pdf": "CORRUPT_PDF",
             "encrypted_user_password.pdf": "ENCRYPTED", "scanned_image_only.pdf": "NO_TEXT_LAYER",
             "blank_page.pdf": "NO_TEXT", "no_tounicode.pdf": "UNDECODABLE_TEXT"}


def files(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*"))
            if p.is_file() and not p.relative_to(d).as_posix().startswith(".case2fhir")}


def timed_batch(paths, out: Path, workers: int):
    from converter.batch import run_batch

    stamps = []
    rep = run_batch(paths, out, workers=workers, on_result=lambda r: stamps.append(time.monotonic()))
    n = len(stamps)
    steady = (n - workers) / (stamps[-1] - stamps[workers - 1]) if n > workers and stamps[-1] > stamps[workers - 1] else float("nan")
    return rep, steady


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="only the first N dev PDFs")
    ap.add_argument("--repeat", type=int, default=1, help="throughput: each dev PDF N times (links with other names), for a longer, steadier measurement")
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--no-bad", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    a = ap.parse_args()
    dev = sorted((SHARED / "pdfs" / "dev").glob("*.pdf"))
    if a.limit:
        dev = dev[: a.limit]
    if not dev:
        print(f"no dev PDFs under {SHARED}", file=sys.stderr)
        return 2
    ok, numbers = True, {"load_before": os.getloadavg(), "pdfs": len(dev)}
    print(f"{len(dev)} dev PDFs; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
    with tempfile.TemporaryDirectory(prefix="c2f-bench-") as tmp:
        tmp = Path(tmp)
        runs = dev
        if a.repeat > 1:
            (tmp / "rep").mkdir()
            runs = []
            for n in range(a.repeat):
                for p in dev:
                    os.symlink(p, tmp / "rep" / f"{n}_{p.name}")
                    runs.append(tmp / "rep" / f"{n}_{p.name}")
        r1, s1 = timed_batch(runs, tmp / "w1", 1)
        print(f"1 worker : {r1.converted} converted in {r1.seconds:6.1f} s wall; steady {s1:.3f} files/s", flush=True)
        r2, s2 = timed_batch(runs, tmp / "w2", 2)
        print(f"2 workers: {r2.converted} converted in {r2.seconds:6.1f} s wall; steady {s2:.3f} files/s", flush=True)
        ratio, wall_ratio = s2 / s1, r1.seconds / r2.seconds
        print(f"2 workers / 1 worker: {ratio:.2f}x steady-state throughput ({wall_ratio:.2f}x wall time with start-up)"
              f" -> {'PASS' if ratio >= 1.8 else 'FAIL'} (>= 1.8x)", flush=True)
        ok &= ratio >= 1.8 and r1.failed == r2.failed == 0
        numbers.update(w1_seconds=r1.seconds, w2_seconds=r2.seconds, w1_steady=s1, w2_steady=s2, ratio=ratio,
                       wall_ratio=wall_ratio)

        from converter.batch import iter_bundles, render_bundle

        f1, f2 = files(tmp / "w1"), files(tmp / "w2")
        lib = {Path(p).stem + ".json": render_bundle(b).encode() for p, b, e in iter_bundles(runs, workers=1) if b}
        same = {"2 workers == 1 worker": f1 == f2, "library == 1 worker": lib == f1}
        if not a.no_spark:
            try:
                import pyspark  # noqa: F401
            except ImportError:
                print("spark: pyspark not installed (pip install -e '.[spark]'): skipped")
            else:
                from pyspark.sql import SparkSession

                from converter.spark import convert_binary_files

                spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
                         .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                         .config("spark.pyspark.python", sys.executable).getOrCreate())
                spark.sparkContext.setLogLevel("ERROR")
                src = tmp / "spark-in"
                src.mkdir()
                for p in dev:
                    os.symlink(p, src / p.name)
                t = time.monotonic()
                rows = convert_binary_files(spark, str(src), partitions=2).collect()
                numbers["spark_seconds"] = round(time.monotonic() - t, 1)
                spark.stop()
                sp = {r.path.rsplit("/", 1)[-1][:-4] + ".json": (r.bundle_json + "\n").encode() for r in rows if r.bundle_json}
                ref = f1 if a.repeat == 1 else {k[2:]: v for k, v in f1.items() if k.startswith("0_")}
                same["spark == 1 worker"] = sp == ref
        for k, v in same.items():
            print(f"byte-identical, {k}: {'yes' if v else 'NO'}")
            ok &= v
        numbers["identical"] = same

        if not a.no_bad:
            src = tmp / "bad-in"
            src.mkdir()
            bad = sorted((SHARED / "pdfs" / "bad").glob("*.pdf"))
            for p in bad + dev:
                shutil.copy(p, src / p.name)
            from converter.batch import run_batch

            rep = run_batch([src], tmp / "bad-out", workers=2)
            out = tmp / "bad-out"
            errs = {Path(e["path"]).name: e["code"] for e in map(json.loads, (out / "errors.ndjson").read_text().splitlines())}
            expected_good = {p.stem + ".json" for p in bad + dev if p.name not in BAD_CODES}
            checks = {
                "every bad file in errors.ndjson with its code": errs == BAD_CODES,
                "every good file converted": rep.converted == len(expected_good),
                "nothing else written": set(files(out)) == expected_good | {"errors.ndjson"},
            }
            print(f"bad+dev batch ({len(bad) + len(dev)} files, 2 workers): {rep.converted} converted, {rep.failed} failed "
                  f"{rep.failed_by_code} in {rep.seconds:.1f} s")
            for k, v in checks.items():
                print(f"  {k}: {'yes' if v else 'NO'}")
                ok &= v
            numbers.update(bad_batch_seconds=rep.seconds, bad_checks=checks)
    numbers["load_after"] = os.getloadavg()
    print(f"load average now {os.getloadavg()[0]:.2f}; {'ALL CHECKS PASS' if ok else 'SOME CHECKS FAIL'}")
    if a.json:
        a.json.write_text(json.dumps(numbers, indent=2, default=str) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
