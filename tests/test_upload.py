"""``case2fhir post`` against a real FHIR R4 server on 127.0.0.1 (not a mock).

The server is SEKMET (PyPI ``sekmet-fhir``, a FHIR R4 server with transactions, conditional creates
and search, on FastAPI/SQLite). It is installed once into its own virtualenv (it pins its own web
stack; the project's venv is left alone) under ``$CASE2FHIR_TEST_CACHE`` (default
``~/.cache/case2fhir-tests``) and started by this module on a free port. When it cannot be installed
(no registry), the tests skip and say so. ``CASE2FHIR_FHIR_SERVER=http://host:port/fhir`` uses a
server you started yourself instead (e.g. HAPI FHIR: ``docker run -p 8080:8080 hapiproject/hapi``).
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import venv
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from converter import batch, upload
from converter.errors import UploadError
from tests.shared import REPO, shared_path

SEKMET = "sekmet-fhir==0.1.1"
CACHE = Path(os.environ.get("CASE2FHIR_TEST_CACHE", Path.home() / ".cache" / "case2fhir-tests"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/fhir+json"}), timeout=10) as r:
        return json.loads(r.read())


def _install_sekmet() -> Path:
    env_dir = CACHE / "sekmet-venv"
    exe = env_dir / "bin" / "sekmet"
    if exe.exists():
        return exe
    shutil.rmtree(env_dir, ignore_errors=True)
    venv.EnvBuilder(with_pip=True).create(env_dir)
    res = subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", SEKMET],
                         capture_output=True, text=True, timeout=600)
    if res.returncode != 0 or not exe.exists():
        shutil.rmtree(env_dir, ignore_errors=True)
        pytest.skip(f"cannot install the test FHIR server ({SEKMET} from PyPI): "
                    f"{(res.stderr or res.stdout).strip().splitlines()[-1:] or ['no output']}; "
                    "set CASE2FHIR_FHIR_SERVER to a running FHIR R4 server to run these tests")
    return exe


@pytest.fixture(scope="module")
def fhir_server(tmp_path_factory):
    if os.environ.get("CASE2FHIR_FHIR_SERVER"):
        yield os.environ["CASE2FHIR_FHIR_SERVER"].rstrip("/")
        return
    exe = _install_sekmet()
    port = _free_port()
    base = f"http://127.0.0.1:{port}/fhir"
    work = tmp_path_factory.mktemp("sekmet")
    env = dict(os.environ, SEKMET_DB=str(work / "fhir.db"), SEKMET_BASE_URL=base, SEKMET_PORT=str(port))
    env.pop("PYTHONPATH", None)
    log = open(work / "server.log", "w")
    proc = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)], cwd=work, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if _get(f"{base}/metadata")["resourceType"] == "CapabilityStatement":
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"the test FHIR server did not start: {(work / 'server.log').read_text()[-500:]}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _count(base: str, rtype: str, query: str = "") -> int:
    return _get(f"{base}/{rtype}?_summary=count{'&' + query if query else ''}")["total"]


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    """Two dev PDFs converted: one as a collection (the default), one as a transaction."""
    dev = sorted(shared_path("pdfs", "dev").glob("*.pdf"))
    out = tmp_path_factory.mktemp("bundles")
    if not os.environ.get("CASE2FHIR_CONVERTER_FACTORY"):
        from tests.test_batch import STUB, real_converter_works

        if not real_converter_works():
            os.environ["CASE2FHIR_CONVERTER_FACTORY"] = STUB
    r1 = batch.run_batch([dev[4]], out, workers=1)
    r2 = batch.run_batch([dev[5]], out, {"bundle_type": "transaction"}, workers=1)
    assert r1.converted == r2.converted == 1
    return out


def _server_counts(base: str, types) -> dict:
    return {t: _count(base, t) for t in types}


def test_post_twice_adds_nothing_the_second_time(fhir_server, bundles):
    files = upload.bundle_files([bundles])
    assert [f.name for f in files] == sorted(f.name for f in files) and len(files) == 2
    expected: dict[str, int] = {}
    shas = []
    for f in files:
        b = json.loads(f.read_text())
        shas.append(upload.source_sha256(b))
        for e in b["entry"]:
            expected[e["resource"]["resourceType"]] = expected.get(e["resource"]["resourceType"], 0) + 1
    expected["Device"] = 1  # shared by every bundle: one on the server
    before = _server_counts(fhir_server, expected)
    res = subprocess.run([sys.executable, "-m", "converter.cli", "post", str(bundles), "--server", fhir_server, "-v"],
                         capture_output=True, text=True, cwd=REPO, timeout=300,
                         env=dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")))
    assert res.returncode == 0, res.stderr
    after = _server_counts(fhir_server, expected)
    added = {t: after[t] - before[t] for t in expected}
    if before["Device"]:
        expected["Device"] = 0
    assert added == expected
    for sha in shas:
        assert _count(fhir_server, "DocumentReference", f"identifier={upload.SHA_SYSTEM}|{sha}") == 1
    again = upload.post_bundles([bundles], fhir_server)
    assert (again.created, again.present, again.failed) == (0, 2, 0)
    assert _server_counts(fhir_server, expected) == after
    # even without the client-side check, the conditional creates keep the document and device single
    up = upload.Uploader(fhir_server)
    tx = upload.to_transaction(json.loads(files[0].read_text()))
    status, _, body = up.http.request("POST", "", tx)
    assert status == 200, body
    assert _count(fhir_server, "DocumentReference", f"identifier={upload.SHA_SYSTEM}|{shas[0]}") == 1
    assert _count(fhir_server, "Device") == after["Device"]


class _Flaky(BaseHTTPRequestHandler):
    """A proxy to the real server that answers 503, then 429 (Retry-After: 0) to the first
    transaction POSTs, and records the headers it saw."""

    upstream = ""
    script: list = []
    seen: list = []

    def _forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) if self.command == "POST" else None
        type(self).seen.append((self.command, self.path, dict(self.headers)))
        if self.command == "POST" and type(self).script:
            status = type(self).script.pop(0)
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "0")
            self.send_header("Content-Type", "application/fhir+json")
            payload = json.dumps({"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "transient"}]}).encode()
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        path = self.path[len("/fhir"):] if self.path.startswith("/fhir") else self.path
        req = urllib.request.Request(type(self).upstream + path, data=body, method=self.command,
                                     headers={k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                status, data, ctype = r.status, r.read(), r.headers.get("Content-Type", "application/fhir+json")
        except urllib.error.HTTPError as e:
            status, data, ctype = e.code, e.read(), e.headers.get("Content-Type", "application/fhir+json")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _forward

    def log_message(self, *a):
        pass


def test_retries_on_429_and_5xx_and_sends_headers(fhir_server, bundles, tmp_path):
    import urllib.error  # noqa: F401 - used by the proxy

    one = tmp_path / "one"
    one.mkdir()
    b = json.loads(sorted(upload.bundle_files([bundles]))[0].read_text())
    # a new document for this server: change the source hash (and so the identifier)
    for e in b["entry"]:
        for ident in e["resource"].get("identifier", []):
            if ident.get("system") == upload.SHA_SYSTEM:
                ident["value"] = "f" * 64
    (one / "x.json").write_text(json.dumps(b))
    _Flaky.upstream, _Flaky.script, _Flaky.seen = fhir_server, [503, 429], []
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{proxy.server_address[1]}/fhir"
        report = upload.post_bundles([one], base, upload.parse_headers(["Authorization: Bearer t0ken", "X-Trace: 7"]),
                                     backoff=0.01)
    finally:
        proxy.shutdown()
    assert (report.created, report.failed, report.retries) == (1, 0, 2), report.results
    posts = [h for m, _, h in _Flaky.seen if m == "POST"]
    assert len(posts) == 3 and all(h.get("Authorization") == "Bearer t0ken" and h.get("X-Trace") == "7" for h in posts)
    assert _count(fhir_server, "DocumentReference", f"identifier={upload.SHA_SYSTEM}|{'f' * 64}") == 1


def test_failures_are_reported_and_unreachable_server_exits_7(fhir_server, tmp_path):
    (tmp_path / "bad.json").write_text('{"resourceType": "Patient"}')
    (tmp_path / "broken.json").write_text("{not json")
    report = upload.post_bundles([tmp_path], fhir_server)
    assert report.failed == 2 and report.exit_code == 8
    assert {r.code for r in report.results} == {"UPLOAD_ERROR"}
    with pytest.raises(UploadError):
        upload.post_bundles([tmp_path], f"http://127.0.0.1:{_free_port()}/fhir", retries=0)
    res = subprocess.run([sys.executable, "-m", "converter.cli", "post", str(tmp_path), "--server",
                          f"http://127.0.0.1:{_free_port()}/fhir", "--retries", "0"],
                         capture_output=True, text=True, cwd=REPO, timeout=120,
                         env=dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")))
    assert res.returncode == 7 and "UPLOAD_ERROR" in res.stderr and "Traceback" not in res.stderr
    with pytest.raises(UploadError):
        upload.parse_headers(["no-colon"])
