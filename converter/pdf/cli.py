"""``case2fhir text`` / ``python -m converter.pdf``: the reading-order text of a PDF."""
from __future__ import annotations

import json
import sys

from ..errors import ConverterError
from .reader import ReadSettings, read_pdf

_SKIP_PLAIN = {"header", "footer"}


def cli_text(path, as_json: bool = False, settings: ReadSettings | None = None) -> str:
    """Text (or JSON) for the CLI. Raises ConverterError subclasses for bad inputs."""
    doc = read_pdf(path, settings)
    if as_json:
        return json.dumps(doc.to_json(), ensure_ascii=False)
    out = []
    section = None
    for b in doc.blocks:
        if b.kind in _SKIP_PLAIN:
            continue
        if b.kind == "heading":
            out.append(f"## {b.text}  [{b.section}]")
            section = b.section
            continue
        if b.section != section and b.kind in ("paragraph", "list"):
            out.append(f"## [{b.section}]")
            section = b.section
        if b.kind in ("paragraph", "list"):
            out.append(b.text)
        else:
            out.append(f"[{b.kind}] {b.text}")
    return "\n\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m converter.pdf", description="Reading-order text of a PDF.")
    ap.add_argument("--json", action="store_true", help="blocks as JSON")
    ap.add_argument("--password", default=None, help="user password of an encrypted PDF")
    ap.add_argument("--max-pages", type=int, default=None)
    ap.add_argument("--max-seconds", type=float, default=None)
    ap.add_argument("--max-chars-per-page", type=int, default=None)
    ap.add_argument("pdf")
    a = ap.parse_args(argv)
    s = ReadSettings(password=a.password)
    if a.max_pages is not None:
        s.max_pages = a.max_pages
    if a.max_seconds is not None:
        s.max_seconds = a.max_seconds
    if a.max_chars_per_page is not None:
        s.max_chars_per_page = a.max_chars_per_page
    try:
        text = cli_text(a.pdf, a.json, s)
    except ConverterError as err:
        if err.source is None:
            err.source = a.pdf
        print(err.one_line(), file=sys.stderr)
        return err.exit_code
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
