"""Batch conversion at scale: a process pool, atomic outputs, resume, NDJSON, an error report.

``run_batch(inputs, outdir, options, workers=N)`` converts many files with N worker processes, each
building one ``Converter`` (vocabularies loaded once per process) in the pool's initializer. Each
worker converts one input and writes its output atomically (temp file + rename); the parent keeps
the order, the journal and the report. So:

* **Deterministic**: an input's output depends only on the input and the options, never on the
  number of workers or the order in which they finish; ``errors.ndjson`` and NDJSON files are
  written in input order.
* **One bad file never stops a batch**: converter errors are recorded with their stable code; any
  unexpected exception becomes ``CONVERTER_ERROR``; a worker that dies (segfault, out of memory) is
  replaced, the inputs it had are retried once, then recorded as ``WORKER_CRASHED``.
* **Resume**: after each output is renamed into place the parent appends a line (output, source
  sha256, options fingerprint, resource counts) to ``OUTDIR/.case2fhir/journal.ndjson``.
  ``resume=True`` skips an input whose output exists and whose journal line has the same source
  hash and fingerprint. A crash or Ctrl-C leaves only whole outputs (and at worst an output without
  its journal line, which is then converted again), so re-running with resume is always safe.
* **Formats**: ``bundle`` writes ``OUTDIR/<name>.json`` per input (the same bytes as the single-file
  CLI); ``ndjson`` writes Bulk Data style ``OUTDIR/<ResourceType>.ndjson`` (one resource per line,
  ``urn:uuid:`` references rewritten to ``Type/id``, shared resources such as the Device once) and
  ``OUTDIR/manifest.json`` listing them, ready for a server's ``$import``. Per-input NDJSON parts
  live in ``OUTDIR/.case2fhir/parts/`` so that resume works the same way.

Exit status (CLI): 0 when every input converted, ``EXIT_PARTIAL`` (8) when some failed, 130 when
interrupted.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from .errors import ConverterError, OutputError

EXIT_PARTIAL = 8
EXIT_INTERRUPTED = 130
INPUT_SUFFIXES = {".pdf", ".txt"}
STATE_DIR = ".case2fhir"
JOURNAL = "journal.ndjson"
ERRORS_FILE = "errors.ndjson"
SHARED_TYPES = {"Device"}  # resources shared by every document (same id): written once in NDJSON
CRASHED = "WORKER_CRASHED"


# ---------------------------------------------------------------- inputs
@dataclass(frozen=True)
class Input:
    """One input file and the name of its output (relative to OUTDIR, without extension)."""

    path: Path
    key: str


def expand(inputs: Iterable[str | os.PathLike]) -> list[Input]:
    """Files, folders (their .pdf/.txt files, recursively, sorted) and globs, each with an output
    key: a folder's files keep their path below the folder (``sub/a``), other files their stem.
    Keys that collide get ``~2``, ``~3``... in input order, so no output overwrites another."""
    import glob

    found: list[tuple[Path, str]] = []
    for item in inputs:
        item = os.fspath(item)
        p = Path(item)
        if p.is_dir():
            for q in sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in INPUT_SUFFIXES):
                found.append((q, q.relative_to(p).with_suffix("").as_posix()))
        elif any(ch in item for ch in "*?[") and not p.exists():
            for g in sorted(glob.glob(item, recursive=True)):
                q = Path(g)
                if q.is_file() and q.suffix.lower() in INPUT_SUFFIXES:
                    found.append((q, q.stem))
        else:
            found.append((p, p.stem))
    out, used = [], set()
    for path, key in found:
        k, n = key, 1
        while k.lower() in used:
            n += 1
            k = f"{key}~{n}"
        used.add(k.lower())
        out.append(Input(path, k))
    return out


def _as_inputs(inputs: Sequence[Input | str | os.PathLike]) -> list[Input]:
    if all(isinstance(i, Input) for i in inputs):
        return list(inputs)  # type: ignore[arg-type]
    return expand([os.fspath(i) if not isinstance(i, Input) else os.fspath(i.path) for i in inputs])


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------- conversion of one input
def convert_path(conv, path: Path) -> dict:
    """The bundle dict of one input file, exactly as the single-file CLI makes it."""
    from .cli import convert_one

    return convert_one(conv, Path(path))


def render_bundle(bundle: dict, pretty: bool = False) -> str:
    """The bytes of a bundle output file (sorted keys, trailing newline), as the CLI writes them."""
    from .fhir.build import to_json

    return to_json(bundle, pretty) + "\n"


def resolve_references(bundle: dict) -> list[dict]:
    """The bundle's resources with ``urn:uuid:`` references rewritten to ``Type/id`` (Bulk Data
    NDJSON has no fullUrls to resolve them against)."""
    full = {}
    for e in bundle.get("entry", []):
        r = e.get("resource") or {}
        if e.get("fullUrl") and r.get("id"):
            full[e["fullUrl"]] = f"{r['resourceType']}/{r['id']}"

    def walk(o):
        if isinstance(o, dict):
            out = {}
            for k, v in o.items():
                if k == "reference" and isinstance(v, str) and v in full:
                    out[k] = full[v]
                else:
                    out[k] = walk(v)
            return out
        if isinstance(o, list):
            return [walk(v) for v in o]
        return o

    return [walk(e["resource"]) for e in bundle.get("entry", []) if e.get("resource")]


def render_ndjson_part(bundle: dict) -> str:
    from .fhir.build import to_json

    return "".join(to_json(r) + "\n" for r in resolve_references(bundle))


_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Temp file in the same folder, then rename: never a half-written output."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; outputs get the usual permissions
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}", source=str(path)) from exc
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def rebuild_error(d: dict, source: str | None = None) -> ConverterError:
    """A ConverterError of the class that has this code (for its exit code) from a worker's dict."""
    from .errors import all_errors

    cls = next((c for c in all_errors() if c.code == d.get("code")), ConverterError)
    err = cls(d.get("message") or "", source=source)
    err.code = d.get("code") or err.code
    return err


def _error_dict(err: BaseException) -> dict:
    if isinstance(err, ConverterError):
        return {"code": err.code, "message": err.message}
    return {"code": ConverterError.code, "message": f"unexpected {type(err).__name__}: {err}".replace("\n", " ")}


# ---------------------------------------------------------------- worker side
_WORKER: dict[str, Any] = {}


def _init_worker(options: dict, factory: str | None, ignore_sigint: bool, env: dict | None = None) -> None:
    """Pool initializer: one Converter per process, built once (and kept for later batches with the
    same options in this process). Pool workers ignore SIGINT: the parent decides what happens on
    Ctrl-C (workers are then terminated)."""
    if ignore_sigint:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if env is not None and env != dict(os.environ):  # the parent's environment now, not the fork server's
        os.environ.clear()
        os.environ.update(env)
    _WORKER.clear()
    try:
        _WORKER["conv"] = cached_converter(options, factory)
    except BaseException as exc:  # reported per input, so the batch says why
        _WORKER["init_error"] = _error_dict(exc)


_CACHE: dict[str, Any] = {}


def cached_converter(options: dict, factory: str | None = None):
    """One converter per process and set of options (loading the vocabularies takes seconds)."""
    key = json.dumps([options, factory or os.environ.get("CASE2FHIR_CONVERTER_FACTORY")], sort_keys=True, default=str)
    if key not in _CACHE:
        _CACHE.clear()  # at most one: a long-running process does not pile up vocabularies
        _CACHE[key] = _make_converter(options, factory)
    return _CACHE[key]


def _make_converter(options: dict, factory: str | None = None):
    """The Converter, or what ``factory`` ("module:function" called with the options dict; default
    $CASE2FHIR_CONVERTER_FACTORY) builds instead: a hook for tests, not for production use."""
    factory = factory or os.environ.get("CASE2FHIR_CONVERTER_FACTORY")
    if factory:
        import importlib

        mod, _, fn = factory.partition(":")
        return getattr(importlib.import_module(mod), fn)(options)
    from .api import Converter, Options

    return Converter(Options(**options))


def _work(task: tuple) -> dict:
    """Convert one input and write its output; returns what the parent records."""
    index, path, out_path, fmt, pretty = task
    res: dict[str, Any] = {"index": index, "sha256": None, "error": None, "counts": {}, "pid": os.getpid()}
    try:
        return _convert_task(res, path, out_path, fmt, pretty)
    finally:
        res["rss_kb"] = _rss_kb()


def _rss_kb() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _convert_task(res: dict, path: str, out_path: str, fmt: str, pretty: bool) -> dict:
    try:
        p = Path(path)
        if p.is_file():
            res["sha256"] = sha256_file(p)
        if "init_error" in _WORKER:
            res["error"], res["fatal"] = _WORKER["init_error"], True
            return res
        bundle = convert_path(_WORKER["conv"], p)
        text = render_ndjson_part(bundle) if fmt == "ndjson" else render_bundle(bundle, pretty)
        write_atomic(Path(out_path), text)
        res["counts"] = dict(Counter(e["resource"]["resourceType"] for e in bundle.get("entry", [])))
    except Exception as exc:  # noqa: BLE001 - one bad file never stops a batch
        res["error"] = _error_dict(exc)
    return res


# ---------------------------------------------------------------- journal
def options_fingerprint(options: dict, fmt: str, pretty: bool) -> str:
    from . import __version__

    blob = json.dumps({"o": options, "f": fmt, "p": pretty, "v": __version__}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def read_journal(outdir: Path) -> dict[str, dict]:
    """key -> last journal line for it (a torn last line after a crash is ignored)."""
    out: dict[str, dict] = {}
    p = Path(outdir) / STATE_DIR / JOURNAL
    if not p.is_file():
        return out
    with open(p, encoding="utf-8") as f:
        for line in f:
            try:
                rec = json.loads(line)
                out[rec["key"]] = rec
            except (ValueError, KeyError, TypeError):
                continue
    return out


# ---------------------------------------------------------------- the report
@dataclass
class ItemResult:
    index: int
    path: str
    key: str
    output: str | None = None  # relative to OUTDIR (bundle file or NDJSON part)
    sha256: str | None = None
    code: str | None = None
    message: str | None = None
    skipped: bool = False  # resumed: output already there for this source hash
    counts: dict = field(default_factory=dict)
    worker: int | None = None  # pid of the process that converted it
    rss_kb: int | None = None  # that process's resident memory just after (Linux), for monitoring

    @property
    def ok(self) -> bool:
        return self.code is None


@dataclass
class BatchReport:
    total: int = 0
    converted: int = 0
    skipped: int = 0
    failed: int = 0
    interrupted: bool = False
    seconds: float = 0.0
    failed_by_code: dict = field(default_factory=dict)
    resources: dict = field(default_factory=dict)
    outputs: list = field(default_factory=list)  # files written for the batch (relative), sorted
    errors_path: str | None = None

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_PARTIAL if self.failed else 0

    def to_dict(self) -> dict:
        return asdict(self)

    def summary_lines(self) -> list[str]:
        lines = [f"converted {self.converted + self.skipped} of {self.total}"
                 + (f" ({self.skipped} already done, resumed)" if self.skipped else "")
                 + f"; failed {self.failed}"
                 + (f" ({', '.join(f'{c} {k}' for k, c in sorted(self.failed_by_code.items()))}; see {self.errors_path})"
                    if self.failed else "")
                 + f" in {self.seconds:.1f} s"]
        if self.resources:
            lines.append("resources: " + ", ".join(f"{k} {v}" for k, v in sorted(self.resources.items())))
        if self.interrupted:
            lines.append("interrupted: finished outputs are kept; run again with --resume to go on")
        return lines


class _Progress:
    """A rich progress bar (files/s, ETA) on a terminal; nothing otherwise."""

    def __init__(self, total: int, show: bool):
        self.p = None
        if not show:
            return
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        self.p = Progress(TextColumn("converting"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("{task.fields[rate]} files/s"), TextColumn("{task.fields[failed]} failed"),
                          TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                          console=Console(stderr=True), transient=True)
        self.task = self.p.add_task("convert", total=total, rate="-", failed=0)
        self.t0, self.n, self.failed = time.monotonic(), 0, 0
        self.p.start()

    def advance(self, ok: bool, counted: bool = True) -> None:
        if not self.p:
            return
        if counted:
            self.n += 1
        self.failed += 0 if ok else 1
        rate = self.n / max(time.monotonic() - self.t0, 1e-6)
        self.p.update(self.task, advance=1, rate=f"{rate:.2f}", failed=self.failed)

    def stop(self) -> None:
        if self.p:
            self.p.stop()


# ---------------------------------------------------------------- the batch
def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _options_dict(options) -> dict:
    if options is None:
        from .api import Options

        options = Options()
    if isinstance(options, dict):
        return dict(options)
    from dataclasses import fields

    return {f.name: getattr(options, f.name) for f in fields(options)}


def _cleanup_temps(outdir: Path) -> None:
    """Temp files left by a run that was killed mid-write (ours only: ``.<name>.<random>.tmp``)."""
    for pattern in (".*.json.*.tmp", ".*.ndjson.*.tmp"):
        for t in outdir.rglob(pattern):
            try:
                t.unlink()
            except OSError:
                pass


def run_batch(inputs: Sequence[Input | str | os.PathLike], outdir: str | os.PathLike, options=None, *,
              workers: int | None = None, fmt: str = "bundle", pretty: bool = False, resume: bool = False,
              show_progress: bool = False, on_result: Callable[[ItemResult], None] | None = None,
              converter_factory: str | None = None) -> BatchReport:
    """Convert many inputs into OUTDIR; see the module docstring. ``workers=1`` converts in this
    process (no pool); more start a process pool. ``converter_factory`` ("module:function" taking
    the options dict) replaces the Converter, for tests. Ctrl-C stops the batch (finished outputs
    are kept, the journal is consistent) and the report says ``interrupted``."""
    if fmt not in ("bundle", "ndjson"):
        raise ValueError("fmt must be bundle or ndjson")
    items = _as_inputs(inputs)
    outdir = Path(outdir)
    opts = _options_dict(options)
    converter_factory = converter_factory or os.environ.get("CASE2FHIR_CONVERTER_FACTORY")
    workers = workers or default_workers()
    fp = options_fingerprint(opts, fmt, pretty)
    state = outdir / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    _cleanup_temps(outdir)
    journal = read_journal(outdir) if resume else {}

    def out_rel(it: Input) -> str:
        return f"{STATE_DIR}/parts/{it.key}.ndjson" if fmt == "ndjson" else f"{it.key}.json"

    report = BatchReport(total=len(items))
    results: list[ItemResult | None] = [None] * len(items)
    t0 = time.monotonic()
    progress = _Progress(len(items), show_progress)
    todo: list[int] = []
    for i, it in enumerate(items):
        rec = journal.get(it.key)
        rel = out_rel(it)
        if rec and rec.get("fingerprint") == fp and rec.get("output") == rel and (outdir / rel).is_file() \
                and it.path.is_file() and rec.get("sha256") == sha256_file(it.path):
            results[i] = ItemResult(i, str(it.path), it.key, rel, rec["sha256"], skipped=True,
                                    counts=rec.get("counts", {}))
            progress.advance(True, counted=False)
        else:
            todo.append(i)

    jf = open(state / JOURNAL, "a", encoding="utf-8")

    def record(i: int, res: dict) -> None:
        if res.get("fatal"):  # the converter itself cannot be built: no input can convert
            raise rebuild_error(res["error"])
        it = items[i]
        r = ItemResult(i, str(it.path), it.key, sha256=res.get("sha256"), counts=res.get("counts") or {},
                       worker=res.get("pid"), rss_kb=res.get("rss_kb"))
        if res.get("error"):
            r.code, r.message = res["error"]["code"], res["error"]["message"]
            stale = outdir / out_rel(it)  # an earlier run's output for this name: not this input's any more
            if stale.is_file():
                stale.unlink()
        else:
            r.output = out_rel(it)
            jf.write(json.dumps({"key": it.key, "output": r.output, "path": str(it.path), "sha256": r.sha256,
                                 "fingerprint": fp, "counts": r.counts}, sort_keys=True) + "\n")
            jf.flush()
        results[i] = r
        progress.advance(r.ok)
        if on_result:
            on_result(r)

    def task(i: int) -> tuple:
        it = items[i]
        return (i, str(it.path), str(outdir / out_rel(it)), fmt, pretty)

    try:
        if workers <= 1 or len(todo) <= 1:
            _init_worker(opts, converter_factory, ignore_sigint=False)
            if "init_error" in _WORKER:
                raise rebuild_error(_WORKER["init_error"])
            for i in todo:
                record(i, _work(task(i)))
        else:
            _run_pool(todo, task, record, opts, converter_factory, min(workers, len(todo)))
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        progress.stop()
        jf.close()
    report.seconds = round(time.monotonic() - t0, 3)
    _finish(report, items, results, outdir, fmt, fp)
    return report


def _run_pool(todo: list[int], task, record, opts: dict, factory: str | None, workers: int) -> None:
    """Feed the pool a bounded window of inputs (memory stays flat for any batch size). When a
    worker dies, the inputs the pool had are retried one at a time ("suspects", nothing else
    running), so the input that kills a worker is found and recorded as WORKER_CRASHED while the
    innocent ones convert."""
    ctx = _mp_context(opts, factory)
    pending = list(reversed(todo))  # pop() from the end keeps input order
    suspects: list[int] = []
    window = workers * 2

    def new_pool():
        return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                   initargs=(opts, factory, True, dict(os.environ)))

    def crashed(i: int) -> dict:
        p = Path(task(i)[1])
        return {"error": {"code": CRASHED, "message": "the worker process died converting this input"},
                "sha256": sha256_file(p) if p.is_file() else None}

    pool = new_pool()
    running: dict = {}
    try:
        while pending or running or suspects:
            if suspects:
                if not running:
                    i = suspects.pop(0)
                    running[pool.submit(_work, task(i))] = ("suspect", i)
            else:
                while pending and len(running) < window:
                    i = pending.pop()
                    running[pool.submit(_work, task(i))] = ("normal", i)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                kind, i = running.pop(fut)
                try:
                    res = fut.result()
                except BrokenProcessPool:
                    broken = True
                    if kind == "suspect":
                        record(i, crashed(i))
                    else:
                        suspects.append(i)
                    continue
                record(i, res)
            if broken:
                for fut, (kind, i) in list(running.items()):  # every input the dead pool had
                    suspects.append(i)
                running.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
                suspects.sort()
    except BaseException:
        # Ctrl-C: keep what finished (its outputs are in place), then stop the workers
        for fut, (kind, i) in list(running.items()):
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                try:
                    record(i, fut.result())
                except BaseException:  # noqa: BLE001
                    pass
        _kill_pool(pool)
        raise
    pool.shutdown(wait=True)


def _mp_context(opts: dict | None = None, factory: str | None = None):
    """forkserver on Linux: workers start from a clean process (never forked from one running the
    progress thread). The fork server is started once per process, with this module preloaded and
    the converter for ``opts`` built in it, so every worker forked from it starts with the
    vocabularies already loaded (once, shared copy-on-write) instead of loading them itself;
    workers for other options build their own. spawn elsewhere."""
    import multiprocessing as mp

    if not sys.platform.startswith("linux"):
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    if opts is not None and not _PRELOAD["started"]:
        from multiprocessing import forkserver

        _PRELOAD["started"] = True
        ctx.set_forkserver_preload([__name__])
        os.environ[_PRELOAD_ENV] = json.dumps([opts, factory or os.environ.get("CASE2FHIR_CONVERTER_FACTORY")],
                                              default=str)
        try:
            forkserver.ensure_running()
        finally:
            os.environ.pop(_PRELOAD_ENV, None)
    return ctx


_PRELOAD_ENV = "_CASE2FHIR_FORKSERVER_PRELOAD"
_PRELOAD = {"started": False}


def _preload_in_forkserver() -> None:
    """Runs when the fork server imports this module: build the converter its workers will use."""
    spec = os.environ.pop(_PRELOAD_ENV, None)
    if not spec:
        return
    try:
        opts, factory = json.loads(spec)
        cached_converter(opts, factory)
    except BaseException:  # noqa: BLE001 - the workers build (and report) it themselves
        _CACHE.clear()


def _kill_pool(pool: ProcessPoolExecutor) -> None:
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            p.terminate()
        except Exception:  # noqa: BLE001
            pass
    for p in procs:
        try:
            p.join(5)
        except Exception:  # noqa: BLE001
            pass


def _finish(report: BatchReport, items: list[Input], results: list, outdir: Path, fmt: str, fp: str) -> None:
    codes, counts = Counter(), Counter()
    errors = []
    for r in results:
        if r is None:
            continue
        if r.ok:
            report.skipped += r.skipped
            report.converted += not r.skipped
            counts.update(r.counts)
        else:
            report.failed += 1
            codes[r.code] += 1
            errors.append({"path": r.path, "sha256": r.sha256, "code": r.code, "message": r.message})
    report.failed_by_code, report.resources = dict(codes), dict(counts)
    err_path = outdir / ERRORS_FILE
    if errors:
        write_atomic(err_path, "".join(json.dumps(e, sort_keys=True, ensure_ascii=False) + "\n" for e in errors))
        report.errors_path = str(err_path)
    elif err_path.exists() and not report.interrupted:
        err_path.unlink()
    outputs = [r.output for r in results if r is not None and r.ok]
    if fmt == "ndjson" and not report.interrupted:
        outputs = _assemble_ndjson(outdir, [r for r in results if r is not None and r.ok])
    report.outputs = sorted(outputs)
    if not report.interrupted:
        _compact_journal(outdir, {r.key for r in results if r is not None and r.ok})


def _assemble_ndjson(outdir: Path, ok: list[ItemResult]) -> list[str]:
    """OUTDIR/<Type>.ndjson from the per-input parts, in input order; a document whose source hash
    was already written (a duplicate file) and repeated shared resources (Device) are written once."""
    seen_docs, seen_shared = set(), set()
    tmp: dict[str, Any] = {}
    counts: Counter = Counter()
    try:
        for r in sorted(ok, key=lambda r: r.index):
            if r.sha256 in seen_docs:
                continue
            seen_docs.add(r.sha256)
            with open(outdir / r.output, encoding="utf-8") as f:
                for line in f:
                    if not line.strip():
                        continue
                    head = json.loads(line)
                    rtype = head["resourceType"]
                    if rtype in SHARED_TYPES:
                        if (rtype, head.get("id")) in seen_shared:
                            continue
                        seen_shared.add((rtype, head.get("id")))
                    if rtype not in tmp:
                        fd, name = tempfile.mkstemp(dir=outdir, prefix=f".{rtype}.ndjson.", suffix=".tmp")
                        tmp[rtype] = (os.fdopen(fd, "w", encoding="utf-8"), name)
                    tmp[rtype][0].write(line if line.endswith("\n") else line + "\n")
                    counts[rtype] += 1
        for rtype, (f, name) in tmp.items():
            f.close()
            os.replace(name, outdir / f"{rtype}.ndjson")
        tmp.clear()
    finally:
        for f, name in tmp.values():
            f.close()
            os.unlink(name)
    # types written by an earlier run over other inputs and absent now
    old = outdir / "manifest.json"
    if old.is_file():
        try:
            for o in json.loads(old.read_text(encoding="utf-8")).get("output", []):
                if o.get("type") not in counts and (outdir / o.get("url", "")).is_file():
                    (outdir / o["url"]).unlink()
        except (ValueError, OSError, AttributeError):
            pass
    manifest = {"output": [{"type": t, "url": f"{t}.ndjson", "count": counts[t]} for t in sorted(counts)],
                "error": [{"type": "OperationOutcome", "url": ERRORS_FILE}] if (outdir / ERRORS_FILE).exists() else [],
                "requiresAccessToken": False}
    write_atomic(outdir / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return [f"{t}.ndjson" for t in sorted(counts)] + ["manifest.json"]


def _compact_journal(outdir: Path, keep: set[str]) -> None:
    recs = read_journal(outdir)
    lines = [json.dumps(recs[k], sort_keys=True) + "\n" for k in sorted(recs) if k in keep or
             (outdir / recs[k].get("output", "")).is_file()]
    write_atomic(outdir / STATE_DIR / JOURNAL, "".join(lines))


# ---------------------------------------------------------------- library iterator
def iter_bundles(inputs: Iterable[str | os.PathLike | Input], options=None, *, workers: int = 1,
                 converter_factory: str | None = None) -> Iterator[tuple[str, dict | None, ConverterError | None]]:
    """(path, bundle dict or None, error or None) for each input, in input order, converted by
    ``workers`` processes (1: in this process). Nothing is written; memory holds at most a few
    bundles per worker. Errors are ``ConverterError`` instances (unexpected exceptions become the
    base class, code ``CONVERTER_ERROR``)."""
    opts = _options_dict(options)
    converter_factory = converter_factory or os.environ.get("CASE2FHIR_CONVERTER_FACTORY")
    paths = [i.path if isinstance(i, Input) else Path(i) for i in inputs]
    if workers <= 1:
        conv = cached_converter(opts, converter_factory)
        for p in paths:
            try:
                yield str(p), convert_path(conv, p), None
            except Exception as exc:  # noqa: BLE001
                yield str(p), None, _as_error(exc, p)
        return
    import multiprocessing as mp

    ctx = _mp_context(opts, converter_factory)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(opts, converter_factory, False, dict(os.environ))) as pool:
        window: list = []
        it = iter(paths)
        for p in it:
            window.append((p, pool.submit(_bundle_work, str(p))))
            if len(window) >= workers * 2:
                yield _unpack(*window.pop(0))
        while window:
            yield _unpack(*window.pop(0))


def _bundle_work(path: str):
    if "init_error" in _WORKER:
        return None, _WORKER["init_error"]
    try:
        return convert_path(_WORKER["conv"], Path(path)), None
    except Exception as exc:  # noqa: BLE001
        return None, _error_dict(exc)


def _unpack(p: Path, fut) -> tuple[str, dict | None, ConverterError | None]:
    bundle, err = fut.result()
    if err:
        return str(p), None, rebuild_error(err, str(p))
    return str(p), bundle, None


def _as_error(exc: Exception, p: Path) -> ConverterError:
    if isinstance(exc, ConverterError):
        if exc.source is None:
            exc.source = str(p)
        return exc
    e = ConverterError(f"unexpected {type(exc).__name__}: {exc}", source=str(p))
    return e


_preload_in_forkserver()
