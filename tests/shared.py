"""The one way tests reach ../shared (the project's read-only evaluation data).

Tests that need it call ``shared_path(...)``; when the folder is missing (a clone without it),
they skip with a message that says what to do instead of failing."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CASE2FHIR_SHARED", REPO.parent / "shared"))


def shared_path(*parts: str, required: bool = False) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = (f"{path} is missing: these tests need the shared evaluation data next to the repo "
                   f"(../shared) or CASE2FHIR_SHARED pointing at it")
        if required:
            pytest.fail(message)
        pytest.skip(message)
    return path
