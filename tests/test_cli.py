"""The command line through typer's CliRunner: exit codes, one-line errors, outputs."""
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from converter import __version__
from converter.cli import app
from tests.conftest import REPO, SEED_PDF
from tests.shared import shared_path

runner = CliRunner()


def test_version():
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout.strip() == f"case2fhir {__version__}"


def test_missing_file_is_one_line_on_stderr(tmp_path):
    r = runner.invoke(app, ["convert", str(tmp_path / "nope.pdf")])
    assert r.exit_code == 2
    assert "FILE_NOT_FOUND" in r.stderr and "nope.pdf" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_not_a_pdf_has_its_code():
    bad = shared_path("pdfs", "bad", "not_a_pdf.pdf")
    r = runner.invoke(app, ["convert", str(bad)])
    assert r.exit_code == 3 and r.stderr.startswith(f"{bad}: NOT_A_PDF")


def test_convert_pdf_to_file(tmp_path):
    out = tmp_path / "seed.json"
    r = runner.invoke(app, ["convert", str(SEED_PDF), "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    bundle = json.loads(out.read_text())
    types = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "Condition", "Observation", "MedicationStatement", "DocumentReference", "Provenance"} <= types


def test_convert_text_and_ndjson(tmp_path):
    txt = tmp_path / "case.txt"
    txt.write_text("A 45-year-old man presented with fever and cough. He was treated with amoxicillin 500 mg three times daily.")
    r = runner.invoke(app, ["convert", str(txt), "--format", "ndjson"])
    assert r.exit_code == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert {x["resourceType"] for x in lines} >= {"Patient", "Condition", "MedicationStatement"}
    assert next(x for x in lines if x["resourceType"] == "Patient")["gender"] == "male"


def test_unsupported_input(tmp_path):
    f = tmp_path / "case.docx"
    f.write_bytes(b"PK\x03\x04 not a pdf")
    r = runner.invoke(app, ["convert", str(f)])
    assert r.exit_code == 2 and "UNSUPPORTED_INPUT" in r.stderr


def test_text_json_blocks():
    r = runner.invoke(app, ["text", "--json", str(SEED_PDF)])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["pages"] == 2
    kinds = {b["kind"] for b in data["blocks"]}
    assert "paragraph" in kinds and "heading" in kinds
    assert any(b["section"] == "case" for b in data["blocks"])


@pytest.mark.parametrize("bundle_type", ["collection", "transaction"])
def test_validator_accepts_the_output(tmp_path, bundle_type):
    validator = shared_path("eval", "validate_bundle.py")
    out = tmp_path / "seed.json"
    r = runner.invoke(app, ["convert", str(SEED_PDF), "-o", str(out), "--bundle-type", bundle_type])
    assert r.exit_code == 0, r.stderr
    p = subprocess.run([sys.executable, str(validator), str(out)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout
    assert p.stdout.strip().splitlines()[-1] == "validated 1 bundles: 1 valid, 0 invalid"
