"""PySpark: convert case-report PDFs stored anywhere Spark reads (HDFS, S3, ADLS, local) in parallel.

    from converter.spark import convert_binary_files
    df = convert_binary_files(spark, "s3a://bucket/case-reports/")
    df.write.parquet("s3a://bucket/bundles/")                      # path, sha256, bundle_json, error

Install ``case2fhir[spark]`` on the driver and on every executor (the same version: the output
depends on the vocabularies shipped in the wheel). Files are read with Spark's ``binaryFile``
source and converted with ``mapInPandas``: each Python worker process builds one ``Converter``
the first time it gets a batch and keeps it for every later batch (Spark reuses Python workers,
``spark.python.worker.reuse`` is on by default), so the vocabularies load once per executor
process, not once per file. ``bundle_json`` is byte-for-byte the file ``case2fhir convert`` writes,
without its trailing newline; ``error`` is ``"CODE: message"`` for a file that could not be
converted (then ``bundle_json`` is null). A PDF's bytes travel in Arrow batches: keep
``spark.sql.execution.arrow.maxRecordsPerBatch`` small (``convert_binary_files`` sets 16 unless
you set it) so a batch of large PDFs fits in a worker's memory.
"""
from __future__ import annotations

import hashlib
from pathlib import PurePosixPath
from urllib.parse import unquote, urlparse

SCHEMA = "path string, sha256 string, bundle_json string, error string"
COLUMNS = ["path", "sha256", "bundle_json", "error"]


def convert_bytes(conv, data: bytes, name: str) -> dict:
    """The bundle of one file's bytes, as ``case2fhir convert`` makes it for a file of that name."""
    from .errors import UnsupportedInput

    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".txt":
        return conv.text_to_dict(data.decode("utf-8"), source_id=PurePosixPath(name).stem)
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        return conv.pdf_to_dict(data, name=name)
    raise UnsupportedInput(f"{name}: expected a .pdf or .txt file")


def _file_name(path: str) -> str:
    return PurePosixPath(unquote(urlparse(path).path) or path).name


def convert_rows(rows, options: dict):
    """(path, content) pairs -> row dicts with the four columns; one converter per process."""
    from .batch import _error_dict, cached_converter
    from .fhir.build import to_json

    conv = None
    for path, content in rows:
        data = bytes(content) if content is not None else b""
        out = {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "bundle_json": None, "error": None}
        try:
            if conv is None:
                conv = cached_converter(options)
            out["bundle_json"] = to_json(convert_bytes(conv, data, _file_name(path)))
        except Exception as exc:  # noqa: BLE001 - one bad file never stops a job
            err = _error_dict(exc)
            out["error"] = f"{err['code']}: {err['message']}"
        yield out


def convert_binary_files(spark, path: str | list[str], options=None, *, glob: str = "*.pdf",
                         recursive: bool = True, partitions: int | None = None):
    """DataFrame(path, sha256, bundle_json, error) of every file under ``path`` matching ``glob``.

    ``options``: a ``converter.Options`` or a dict of its fields. ``partitions``: repartition the
    files first (default: as Spark lists them; use about 2-4 x the executor cores for even work)."""
    from .batch import _options_dict

    opts = _options_dict(options)
    conf = spark.conf
    if conf.get("spark.sql.execution.arrow.maxRecordsPerBatch", None) in (None, "10000"):
        conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "16")
    reader = spark.read.format("binaryFile").option("pathGlobFilter", glob)
    if recursive:
        reader = reader.option("recursiveFileLookup", "true")
    df = reader.load(path).select("path", "content")
    if partitions:
        df = df.repartition(partitions)

    def convert(batches):
        import pandas as pd

        for pdf in batches:
            rows = list(convert_rows(zip(pdf["path"], pdf["content"]), opts))
            yield pd.DataFrame(rows, columns=COLUMNS)

    out = df.mapInPandas(convert, SCHEMA)
    empty = _empty_files(spark, path, glob, recursive)
    if empty:  # Spark's file sources skip 0-byte files: report them, as the CLI does
        from .errors import EmptyFile

        msg = f"{EmptyFile.code}: {EmptyFile('the file is empty (0 bytes)').message}"
        sha = hashlib.sha256(b"").hexdigest()
        out = out.unionByName(spark.createDataFrame([(p, sha, None, msg) for p in empty], SCHEMA))
    return out


def _empty_files(spark, path: str | list[str], glob: str, recursive: bool) -> list[str]:
    """0-byte files under ``path`` matching ``glob``, listed through Hadoop's FileSystem (any
    scheme Spark reads), paths spelled as the binaryFile source spells them."""
    import fnmatch

    jvm, jsc = spark._jvm, spark._jsc  # noqa: SLF001 - the only way to Hadoop's listing from Python
    conf = jsc.hadoopConfiguration()
    out = []
    for p in [path] if isinstance(path, str) else list(path):
        hp = jvm.org.apache.hadoop.fs.Path(p)
        fs = hp.getFileSystem(conf)
        for st in fs.globStatus(hp) or []:
            if st.isFile():
                files = [st]
            else:
                it, files = fs.listFiles(st.getPath(), recursive), []
                while it.hasNext():
                    files.append(it.next())
            for f in files:
                name = f.getPath().getName()
                if f.getLen() == 0 and fnmatch.fnmatchcase(name, glob) and not name.startswith((".", "_")):
                    out.append(f.getPath().toString())
    return sorted(out)
