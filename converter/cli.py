"""The ``case2fhir`` command line: convert, text (and more as they land).

Errors never show a traceback unless --verbose: one line on stderr, ``CODE: message (hint)``,
and the error's exit code. A batch keeps going past bad files and reports them."""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import ConverterError, OutputError, UnsupportedInput

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Clinical case reports (PDF or text) to coded FHIR R4 Bundles.")

EXIT_PARTIAL = 8  # a batch in which some inputs failed (see errors.ndjson)
INPUT_SUFFIXES = {".pdf", ".txt"}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"case2fhir {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                          help="Print the version and exit.")] = None) -> None:
    """case2fhir: PDFs in, FHIR R4 Bundles out."""


def _fail(err: ConverterError, verbose: bool) -> None:
    typer.echo(err.one_line(), err=True)
    if verbose:
        import traceback
        traceback.print_exception(err, file=sys.stderr)
    raise typer.Exit(err.exit_code)


def expand_inputs(inputs: list[str]) -> list[Path]:
    """Files, folders (their .pdf/.txt files, recursively, sorted) and globs."""
    import glob

    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in INPUT_SUFFIXES)
        elif any(ch in item for ch in "*?[") and not p.exists():
            out += sorted(Path(g) for g in glob.glob(item, recursive=True) if Path(g).suffix.lower() in INPUT_SUFFIXES)
        else:
            out.append(p)
    return out


def write_atomic(path: Path, data: str) -> None:
    """Temp file + rename (see converter.batch.write_atomic): never a half-written output."""
    from .batch import write_atomic as _write

    _write(path, data)


def convert_one(conv, path: Path) -> dict:
    from .errors import FileNotFound

    if not path.exists():
        raise FileNotFound(f"no such file: {path}", source=str(path))
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return conv.text_to_dict(path.read_text(encoding="utf-8"), source_id=path.stem)
    if suffix == ".pdf" or path.read_bytes()[:5] == b"%PDF-":
        return conv.pdf_to_dict(path)
    raise UnsupportedInput(f"{path.name}: expected a .pdf or .txt file", source=str(path))


def render(bundle: dict, fmt: str, pretty: bool) -> str:
    from .fhir.build import to_json

    if fmt == "ndjson":
        return "".join(to_json(e["resource"]) + "\n" for e in bundle["entry"])
    return to_json(bundle, pretty) + "\n"


@app.command()
def convert(
    inputs: Annotated[list[str], typer.Argument(help="PDF or .txt files, folders or globs.")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Output file (one input) or folder (many).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="bundle (one JSON Bundle per input) or ndjson (one resource per line).")] = "bundle",
    pretty: Annotated[bool, typer.Option("--pretty", help="Indent the JSON.")] = False,
    bundle_type: Annotated[str, typer.Option("--bundle-type", help="collection or transaction.")] = "collection",
    recorded: Annotated[Optional[str], typer.Option("--recorded", help="Provenance.recorded instant (default: SOURCE_DATE_EPOCH or the epoch, for byte-identical output).")] = None,
    keep_literature: Annotated[bool, typer.Option("--keep-literature", help="Also turn background/discussion facts into patient resources.")] = False,
    drop_refuted: Annotated[bool, typer.Option("--drop-refuted", help="Drop negated findings instead of emitting refuted Conditions.")] = False,
    password: Annotated[Optional[str], typer.Option("--password", help="Password of an encrypted PDF.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Tracebacks and details on errors.")] = False,
    workers: Annotated[Optional[int], typer.Option("--workers", "-j", min=1, help="Batch: worker processes (default: CPU count).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Batch: skip inputs whose output exists for the same source sha256 and options.")] = False,
) -> None:
    """Convert case reports to FHIR R4: one input to stdout or -o FILE; many to -o FOLDER/<stem>.json
    (or, with --format ndjson, FOLDER/<ResourceType>.ndjson for a server's $import). A batch writes
    FOLDER/errors.ndjson for failed inputs and exits 8 when some failed, 130 when interrupted."""
    from .api import Converter, Options

    if fmt not in ("bundle", "ndjson"):
        raise typer.BadParameter("--format must be bundle or ndjson")
    if bundle_type not in ("collection", "transaction"):
        raise typer.BadParameter("--bundle-type must be collection or transaction")
    paths = expand_inputs(inputs)
    if not paths:
        typer.echo("INPUT_ERROR: no .pdf or .txt inputs found", err=True)
        raise typer.Exit(2)
    options = Options(bundle_type=bundle_type, recorded=recorded, keep_literature=keep_literature,
                      drop_refuted=drop_refuted, password=password)
    single = len(paths) == 1 and not (output and output.is_dir()) and not Path(inputs[0]).is_dir()
    if single:
        try:
            conv = Converter(options)
        except ConverterError as err:
            _fail(err, verbose)
        try:
            text = render(convert_one(conv, paths[0]), fmt, pretty)
            if output:
                write_atomic(output, text)
            else:
                sys.stdout.write(text)
        except ConverterError as err:
            if err.source is None:
                err.source = str(paths[0])
            _fail(err, verbose)
        return
    if output is None:
        typer.echo("INPUT_ERROR: several inputs need -o OUTPUT_FOLDER", err=True)
        raise typer.Exit(2)
    from .batch import expand

    try:
        report = run_batch(options, expand(inputs), output, fmt, pretty, quiet, verbose, workers=workers,
                           resume=resume)
    except ConverterError as err:
        _fail(err, verbose)
    raise typer.Exit(report.exit_code)


def run_batch(options, paths, outdir: Path, fmt: str, pretty: bool, quiet: bool, verbose: bool, *,
              workers: int | None = None, resume: bool = False):
    """The batch branch of ``convert``: converter.batch.run_batch with a progress bar on a terminal,
    failed inputs on stderr with --verbose, and the summary on stderr unless --quiet."""
    from .batch import run_batch as _run_batch

    def show(r) -> None:
        if verbose and not r.ok:
            typer.echo(f"{r.path}: {r.code}: {r.message}", err=True)

    report = _run_batch(paths, outdir, options, workers=workers, fmt=fmt, pretty=pretty, resume=resume,
                        show_progress=not quiet and sys.stderr.isatty(), on_result=show)
    if not quiet or report.interrupted:
        for line in report.summary_lines():
            typer.echo(line, err=True)
    return report


@app.command()
def text(
    file: Annotated[Path, typer.Argument(help="A PDF file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Blocks as JSON: kind, section, page, bbox, text.")] = False,
    password: Annotated[Optional[str], typer.Option("--password", help="Password of an encrypted PDF.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Print the reading-order text of a PDF with its section headings (or --json blocks)."""
    from .pdf import ReadSettings, read_pdf
    from .errors import FileNotFound

    try:
        if not file.is_file():
            raise FileNotFound(f"no such file: {file}", source=str(file))
        settings = ReadSettings(password=password) if password else None
        doc = read_pdf(file, settings)
    except ConverterError as err:
        if err.source is None:
            err.source = str(file)
        _fail(err, verbose)
    if as_json:
        sys.stdout.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_text(doc))


def render_text(doc) -> str:
    out, last = [], None
    for b in doc.blocks:
        if b.kind in ("header", "footer"):
            continue
        if b.section != last and b.kind != "heading":
            out.append(f"## [{b.section}]")
        last = b.section
        out.append(("# " if b.kind == "heading" else "") + b.text)
    return "\n\n".join(out) + "\n"


@app.command()
def review(
    file: Annotated[Path, typer.Argument(help="A PDF file.")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="The HTML file to write (default: <stem>.review.html here).")] = None,
    dpi: Annotated[int, typer.Option("--dpi", min=36, max=300, help="Resolution of the page images.")] = 100,
    keep_literature: Annotated[bool, typer.Option("--keep-literature", help="Also turn background/discussion facts into patient resources.")] = False,
    drop_refuted: Annotated[bool, typer.Option("--drop-refuted", help="Drop negated findings instead of emitting refuted Conditions.")] = False,
    password: Annotated[Optional[str], typer.Option("--password", help="Password of an encrypted PDF.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Tracebacks and details on errors.")] = False,
) -> None:
    """Convert one PDF and write a self-contained HTML review: each page with every extracted fact boxed
    where it was read, next to the FHIR resource it became."""
    import time

    from .api import Converter, Options
    from .errors import FileNotFound
    from .review import review as make_review

    out = output or Path(f"{file.stem}.review.html")
    try:
        if not file.is_file():
            raise FileNotFound(f"no such file: {file}", source=str(file))
        conv = Converter(Options(keep_literature=keep_literature, drop_refuted=drop_refuted, password=password))
        t0 = time.monotonic()
        bundle, facts, document = conv.convert_pdf_full(file)
        elapsed = time.monotonic() - t0
        page = make_review(bundle, file, facts=facts, document=document, elapsed=elapsed, dpi=dpi, password=password)
        write_atomic(out, page)
    except ConverterError as err:
        if err.source is None:
            err.source = str(file)
        _fail(err, verbose)
    if not quiet:
        counts: dict[str, int] = {}
        for e in bundle["entry"]:
            counts[e["resource"]["resourceType"]] = counts.get(e["resource"]["resourceType"], 0) + 1
        typer.echo(f"wrote {out} ({len(page.encode('utf-8')) / 1e6:.1f} MB, {document.pages} pages, "
                   f"{len(facts.skipped)} skipped facts; "
                   + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + ")", err=True)


@app.command()
def post(
    outdir: Annotated[list[Path], typer.Argument(help="Bundle files, or folders of them (the output of convert).")],
    server: Annotated[str, typer.Option("--server", help="FHIR R4 base URL, e.g. http://127.0.0.1:8080/fhir")],
    header: Annotated[Optional[list[str]], typer.Option("--header", "-H", help="Extra HTTP header 'Name: value' (repeatable), e.g. 'Authorization: Bearer TOKEN'.")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, help="Transactions in flight at once.")] = 2,
    retries: Annotated[int, typer.Option("--retries", min=0, help="Retries of a request answered 429/5xx or lost to a network error.")] = 5,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for one answer.")] = 120.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="One line per bundle.")] = False,
) -> None:
    """Upload bundles to a FHIR R4 server as transactions: conditional creates on the source document's
    sha256 identifier, so running it again adds nothing. Exits 8 when some bundles failed, 7 when the
    server cannot be reached."""
    from .upload import parse_headers, post_bundles

    def show(r) -> None:
        if r.status == "failed":
            typer.echo(f"{r.path}: {r.code}: {r.message}", err=True)
        elif verbose:
            typer.echo(f"{r.path}: {r.status}", err=True)

    try:
        report = post_bundles(outdir, server, parse_headers(header or []), concurrency=concurrency, retries=retries,
                              timeout=timeout, on_result=show)
    except ConverterError as err:
        _fail(err, verbose)
    if not quiet:
        for line in report.summary_lines():
            typer.echo(line, err=True)
    raise typer.Exit(report.exit_code)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
