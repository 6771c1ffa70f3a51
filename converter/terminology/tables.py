"""Schema-checked readers for the TSV tables of mappings/.

Every table is UTF-8 TSV: optional ``#`` comment lines, one header line, then rows. A row that does
not fit its schema raises :class:`converter.errors.MappingError` naming the file and line."""
from __future__ import annotations

import re
from typing import Callable, Iterator

from ..errors import MappingError

CODE_PATTERNS: dict[str, re.Pattern] = {
    "snomed": re.compile(r"^[1-9]\d{5,17}$"),
    "icd10cm": re.compile(r"^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$"),
    "loinc": re.compile(r"^\d{1,7}-\d$"),
    "rxnorm": re.compile(r"^[1-9]\d{0,8}$"),
    "hpo": re.compile(r"^HP:\d{7}$"),
    "umls": re.compile(r"^C\d{7}$"),
    "drugbank": re.compile(r"^DB\d{5}$"),
    "mesh": re.compile(r"^[CD]\d{6,9}$"),
    "ucum": re.compile(r"^[^\s]+$"),
}


def loinc_check_digit_ok(code: str) -> bool:
    """LOINC codes end in a mod-10 (Luhn) check digit: catches most typed-in typos."""
    num, _, check = code.partition("-")
    if not num.isdigit() or not check.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(num)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return (10 - total % 10) % 10 == int(check)


def split_list(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()] if value else []


def check_code(system: str, code: str, where: str) -> None:
    pat = CODE_PATTERNS[system]
    if not pat.match(code):
        raise MappingError(f"{where}: {code!r} is not a valid {system} code")
    if system == "loinc" and not loinc_check_digit_ok(code):
        raise MappingError(f"{where}: LOINC {code!r} fails its check digit")


def read_tsv(name: str, text: str, columns: tuple[str, ...], *, required: tuple[str, ...] = (),
             codes: dict[str, str] | None = None,
             extra_check: Callable[[dict, str], None] | None = None) -> Iterator[tuple[int, dict]]:
    """Yield (line number, row dict) for each data row of a table, checked against its schema.

    ``columns`` is the exact header; ``required`` columns must be non-empty; ``codes`` maps a column
    to a code system whose format every ``|``-separated value must match."""
    header_seen = False
    seen_ids: set[str] = set()
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            if tuple(c.strip() for c in cells) != columns:
                raise MappingError(f"mappings/{name}:{lineno}: header {cells!r} != expected {list(columns)!r}")
            header_seen = True
            continue
        where = f"mappings/{name}:{lineno}"
        if len(cells) != len(columns):
            raise MappingError(f"{where}: {len(cells)} columns, expected {len(columns)}")
        row = dict(zip(columns, (c.strip() for c in cells)))
        for col in required:
            if not row[col]:
                raise MappingError(f"{where}: column {col!r} is empty")
        for col, system in (codes or {}).items():
            for code in split_list(row[col]):
                check_code(system, code, f"{where} ({col})")
        if "id" in row:
            if row["id"] in seen_ids:
                raise MappingError(f"{where}: duplicate id {row['id']!r}")
            seen_ids.add(row["id"])
        if extra_check:
            extra_check(row, where)
        yield lineno, row
    if not header_seen:
        raise MappingError(f"mappings/{name}: no header line")


def parse_float(value: str, where: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise MappingError(f"{where}: {value!r} is not a number") from None
