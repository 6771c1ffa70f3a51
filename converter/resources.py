"""Find and load the data files of ``mappings/`` (shipped in the wheel as ``converter.mappings``).

Data is found through the import system (importlib.resources), never through path tricks, so the
same code works from a checkout (editable install) and from an installed wheel."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import Any

from .errors import MappingError

PACKAGE = "converter.mappings"


def mapping_file(name: str):
    """A Traversable for mappings/<name>."""
    try:
        root = resources.files(PACKAGE)
    except ModuleNotFoundError as exc:  # pragma: no cover - broken install
        raise MappingError(f"the mappings data is not installed ({exc})") from exc
    path = root.joinpath(name)
    if not path.is_file():
        raise MappingError(f"mappings/{name} is missing from the installation")
    return path


@lru_cache(maxsize=None)
def load_text(name: str) -> str:
    return mapping_file(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def load_json(name: str) -> Any:
    try:
        return json.loads(load_text(name))
    except json.JSONDecodeError as exc:
        raise MappingError(f"mappings/{name}: not valid JSON ({exc})") from exc


def check_no_repeats(data: Any, name: str, path: str = "") -> None:
    """A MappingError when a list anywhere in a mapping holds the same entry twice (a repeat can only be a slip:
    the readers turn the lists into sets and lookups, so a second copy never acts)."""
    if isinstance(data, dict):
        for k, v in data.items():
            check_no_repeats(v, name, f"{path}.{k}" if path else k)
    elif isinstance(data, list):
        seen = set()
        for x in data:
            key = json.dumps(x, sort_keys=True)
            if key in seen:
                raise MappingError(f"mappings/{name}: {path or 'the list'} holds {x!r} twice")
            seen.add(key)
            check_no_repeats(x, name, path)


def fingerprint(*names: str) -> str:
    """sha256 over the named data files: a cache key that changes whenever the data does."""
    h = hashlib.sha256()
    for name in sorted(names):
        h.update(name.encode())
        h.update(mapping_file(name).read_bytes())
    return h.hexdigest()
