#!/usr/bin/env python3
"""Regenerate the golden bundle of the reference case report (fixtures/calcinosis_cutis.expected.json).

Run it when a change is meant to change the output, then review `git diff fixtures/` before
committing: the diff is the behaviour change."""
from pathlib import Path

from converter import Converter
from converter.fhir.build import to_json

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    bundle = Converter().pdf_to_dict(REPO / "fixtures" / "calcinosis_cutis.pdf")
    (REPO / "fixtures" / "calcinosis_cutis.expected.json").write_text(to_json(bundle, pretty=True) + "\n", encoding="utf-8")
    print("wrote fixtures/calcinosis_cutis.expected.json")


if __name__ == "__main__":
    main()
