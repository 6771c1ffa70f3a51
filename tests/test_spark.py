"""converter.spark in Spark local mode: its bundle_json equals the CLI's output byte for byte, and
bad files come back with their error code. Needs the ``spark`` extra (pyspark, pandas, pyarrow)
and Java 17+; skips with the reason otherwise."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.shared import REPO, shared_path

pytest.importorskip("pyspark", reason="pyspark is not installed: pip install -e '.[spark]' to run the Spark test")
pytest.importorskip("pandas", reason="pandas is not installed: pip install -e '.[spark]'")
pytest.importorskip("pyarrow", reason="pyarrow is not installed: pip install -e '.[spark]'")
if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime (Spark needs Java 17+)", allow_module_level=True)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ["PYTHONPATH"] = str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")
    s = (SparkSession.builder.master("local[2]").appName("case2fhir-test")
         .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
         .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
         .config("spark.pyspark.python", sys.executable).config("spark.pyspark.driver.python", sys.executable)
         .getOrCreate())
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def test_spark_output_equals_the_cli_byte_for_byte(spark, tmp_path, monkeypatch):
    from converter.spark import convert_binary_files
    from tests.test_batch import STUB, real_converter_works

    env = {}
    if not real_converter_works():
        env["CASE2FHIR_CONVERTER_FACTORY"] = STUB
        monkeypatch.setenv("CASE2FHIR_CONVERTER_FACTORY", STUB)
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(shared_path("pdfs", "dev").glob("*.pdf"))[:3]:
        shutil.copy(p, src / p.name)
    for name in ("empty.pdf", "not_a_pdf.pdf"):
        shutil.copy(shared_path("pdfs", "bad", name), src / name)
    out = tmp_path / "cli"
    res = subprocess.run([sys.executable, "-m", "converter.cli", "convert", str(src), "-o", str(out), "--workers", "1"],
                         capture_output=True, text=True, cwd=REPO, timeout=600,
                         env=dict(os.environ, **env, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")))
    assert res.returncode == 8, res.stderr

    rows = convert_binary_files(spark, str(src), partitions=2).collect()
    assert sorted(rows[0].asDict()) == ["bundle_json", "error", "path", "sha256"]
    by_name = {r.path.rsplit("/", 1)[-1]: r for r in rows}
    assert set(by_name) == {p.name for p in src.iterdir()}
    import hashlib

    for name, r in by_name.items():
        assert r.sha256 == hashlib.sha256((src / name).read_bytes()).hexdigest()
    assert by_name["empty.pdf"].error.startswith("EMPTY_FILE: ") and by_name["empty.pdf"].bundle_json is None
    assert by_name["not_a_pdf.pdf"].error.startswith("NOT_A_PDF: ")
    errors = {json.loads(line)["path"].rsplit("/", 1)[-1]: json.loads(line)["code"]
              for line in (out / "errors.ndjson").read_text().splitlines()}
    assert errors == {n: by_name[n].error.split(":")[0] for n in by_name if by_name[n].error}
    good = [n for n in by_name if not by_name[n].error]
    assert len(good) == 3
    for name in good:
        cli_bytes = (out / name.replace(".pdf", ".json")).read_bytes()
        assert (by_name[name].bundle_json + "\n").encode("utf-8") == cli_bytes, name
