import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED_PDF = REPO / "fixtures" / "calcinosis_cutis.pdf"


@pytest.fixture(scope="session")
def converter():
    from converter import Converter

    return Converter()


@pytest.fixture(scope="session")
def seed_bundle(converter):
    """The reference case report, converted once for the session (a plain dict)."""
    return converter.pdf_to_dict(SEED_PDF)


def resources(bundle, rtype):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == rtype]
