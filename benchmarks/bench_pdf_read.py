#!/usr/bin/env python3
"""Cost of converter.pdf.read_pdf against a bare pdfplumber read of the same file.

bare  = pdfplumber.open(f) + page.extract_text() over all pages
ours  = converter.pdf.read_pdf(f)  (layout analysis, tables, kinds, sections, char map)
conv  = the whole conversion, Converter().pdf_to_dict(f) (read + NLP + FHIR bundle), with the
        Converter loaded once beforehand (its one-off load time is printed apart)

Runs both side by side (alternating, best of --repeat), prints per-file times and the ratio
ours/bare, the total ratio, and the peak RSS of each reader on the largest file, each measured in
a fresh subprocess. Prints numbers only: wall-clock targets are not asserted anywhere.

  python benchmarks/bench_pdf_read.py                       # dev PDFs + long_120_pages.pdf
  python benchmarks/bench_pdf_read.py --repeat 3 FILE.pdf ...
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {repo!r})
which, path = sys.argv[1], sys.argv[2]
t = time.perf_counter()
if which == "bare":
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        n = sum(len(p.extract_text() or "") for p in pdf.pages)
else:
    from converter.pdf import read_pdf
    n = len(read_pdf(path).text)
dt = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:  # VmHWM: this process's own high-water mark (ru_maxrss can carry the parent's over fork)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1])
except OSError:
    pass
print(json.dumps({{"seconds": dt, "chars": n, "peak_rss_kb": peak}}))
"""


def bare(path: Path) -> float:
    import pdfplumber

    t = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for p in pdf.pages:
            p.extract_text()
    return time.perf_counter() - t


def ours(path: Path) -> float:
    from converter.pdf import read_pdf

    t = time.perf_counter()
    read_pdf(path)
    return time.perf_counter() - t


_CONVERTER = None


def conv(path: Path) -> float:
    global _CONVERTER
    if _CONVERTER is None:
        from converter import Converter

        t = time.perf_counter()
        _CONVERTER = Converter()
        print(f"(Converter load, once per process: {time.perf_counter() - t:.2f} s)")
    t = time.perf_counter()
    _CONVERTER.pdf_to_dict(path)
    return time.perf_counter() - t


def child(which: str, path: Path) -> dict:
    code = _CHILD.format(repo=str(REPO))
    out = subprocess.run([sys.executable, "-c", code, which, str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> int:
    sys.path.insert(0, str(REPO))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each reader per file (best is kept)")
    ap.add_argument("--no-rss", action="store_true", help="skip the subprocess peak-RSS measurement")
    a = ap.parse_args()
    pdfs = a.pdfs or sorted((SHARED / "pdfs" / "dev").glob("*.pdf")) + [SHARED / "pdfs" / "bad" / "long_120_pages.pdf"]
    pdfs = [p for p in pdfs if p.exists()]
    if not pdfs:
        print("no PDFs found (pass files, or put the shared data at ../shared)")
        return 2
    ours(pdfs[0])  # warm imports and caches
    bare(pdfs[0])
    conv(pdfs[0])
    tb = to = tc = 0.0
    print(f"{'file':40s} {'bare s':>8s} {'ours s':>8s} {'ratio':>6s} {'conv s':>8s} {'ratio':>6s}")
    for p in pdfs:
        b = o = c = float("inf")
        for _ in range(a.repeat):
            b = min(b, bare(p))
            o = min(o, ours(p))
            c = min(c, conv(p))
        tb += b
        to += o
        tc += c
        print(f"{p.name:40s} {b:8.3f} {o:8.3f} {o / b:6.2f} {c:8.3f} {c / b:6.2f}")
    dev = [p for p in pdfs if p.parent.name == "dev"]
    print(f"total: bare {tb:.2f} s, ours {to:.2f} s, ratio {to / tb:.2f}; whole conversion {tc:.2f} s, "
          f"ratio {tc / tb:.2f} over {len(pdfs)} PDFs" + (f" ({len(dev)} dev)" if dev else ""))
    if not a.no_rss:
        big = max(pdfs, key=lambda p: p.stat().st_size)
        rb, ro = child("bare", big), child("ours", big)
        print(f"peak RSS on {big.name}: bare {rb['peak_rss_kb'] / 1024:.0f} MB ({rb['seconds']:.1f} s), "
              f"ours {ro['peak_rss_kb'] / 1024:.0f} MB ({ro['seconds']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
