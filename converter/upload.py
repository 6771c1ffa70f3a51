"""Upload converted bundles to a FHIR R4 server as transactions (stdlib only: urllib).

``post_bundles(paths, server)`` sends each bundle file as one transaction:

* **Idempotent.** Every bundle carries one DocumentReference identified by the source document's
  sha256 (``https://case2fhir.org/fhir/sid/sha256|<hex>``). Before posting, the uploader asks the
  server for it (``DocumentReference?identifier=...``) and skips the bundle when it is there; in the
  transaction itself the DocumentReference is a conditional create (``ifNoneExist`` on that
  identifier) and so is the shared Device (on its identifier). So a second run, or a run resumed
  after a crash, adds nothing. (Two uploaders racing on the same document at the same moment could
  still both pass the check: run one uploader per set of documents.)
* **Retries** on 429 and 5xx answers and on network errors, with exponential backoff (0.5 s, 1 s,
  2 s ... at most ``max_backoff``) and the server's ``Retry-After`` when it sends one; before a retry
  the check above runs again, so a transaction that did commit before its answer was lost is not
  sent twice.
* Collection bundles (the default output of ``convert``) are turned into transactions here:
  POST entries with their ``urn:uuid:`` fullUrls, as ``--bundle-type transaction`` builds them.

Exit codes (CLI ``post``): 0 all uploaded or already there, 8 some bundles failed, 7 the server
could not be reached at all (``UPLOAD_ERROR``).
"""
from __future__ import annotations

import json
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .errors import UploadError

SHA_SYSTEM = "https://case2fhir.org/fhir/sid/sha256"
DEVICE_SYSTEM = "https://case2fhir.org/fhir/sid/device"
FHIR_JSON = "application/fhir+json"
RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass
class UploadResult:
    path: str
    status: str  # "created", "present" (already on the server), "failed"
    sha256: str | None = None
    code: str | None = None
    message: str | None = None
    retries: int = 0  # requests sent again after a 429/5xx or a network error


@dataclass
class UploadReport:
    created: int = 0
    present: int = 0
    failed: int = 0
    retries: int = 0
    seconds: float = 0.0
    results: list = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 8 if self.failed else 0

    def summary_lines(self) -> list[str]:
        return [f"uploaded {self.created}, already on the server {self.present}, failed {self.failed}"
                f" ({self.retries} retries) in {self.seconds:.1f} s"]


class _Http:
    def __init__(self, base: str, headers: dict[str, str], timeout: float):
        self.base = base.rstrip("/")
        self.headers = {"Accept": FHIR_JSON, **headers}
        self.timeout = timeout

    def request(self, method: str, url: str, body: dict | None = None) -> tuple[int, dict, dict | None]:
        """(status, headers, JSON body or None); network errors raise OSError."""
        data = None
        headers = dict(self.headers)
        if body is not None:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            headers["Content-Type"] = f"{FHIR_JSON}; charset=utf-8"
        full = url if url.startswith(("http://", "https://")) else (f"{self.base}/{url.lstrip('/')}" if url else self.base)
        req = urllib.request.Request(full,
                                     data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                status, hdrs, raw = resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as exc:
            status, hdrs, raw = exc.code, dict(exc.headers or {}), exc.read() or b""
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = {"text": raw[:500].decode("utf-8", "replace")}
        return status, hdrs, parsed


def parse_headers(items: Iterable[str]) -> dict[str, str]:
    """``["Authorization: Bearer x", ...]`` -> dict; a bad item raises UploadError."""
    out = {}
    for item in items or []:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise UploadError(f"--header must look like 'Name: value' (got {item!r})")
        out[name.strip()] = value.strip()
    return out


def bundle_files(paths: Iterable[str | Path]) -> list[Path]:
    """Bundle files: the given .json files, and the .json files in given folders (recursively,
    sorted, skipping hidden folders and Bulk Data manifest.json)."""
    out: list[Path] = []
    for item in paths:
        p = Path(item)
        if p.is_dir():
            out += sorted(q for q in p.rglob("*.json") if q.is_file() and q.name != "manifest.json"
                          and not any(part.startswith(".") for part in q.relative_to(p).parts))
        else:
            out.append(p)
    return out


def source_sha256(bundle: dict) -> str | None:
    for e in bundle.get("entry", []):
        r = e.get("resource") or {}
        if r.get("resourceType") == "DocumentReference":
            for ident in r.get("identifier", []):
                if ident.get("system") == SHA_SYSTEM:
                    return ident.get("value")
    return None


def to_transaction(bundle: dict) -> dict:
    """The bundle as a transaction a FHIR server accepts: POST entries; the DocumentReference a
    conditional create on its source-hash identifier; the shared Device a conditional create on an
    identifier (added when the bundle has none: ``device-name``/``version`` are not search
    parameters every server has)."""
    if bundle.get("resourceType") != "Bundle":
        raise UploadError("not a FHIR Bundle")
    tx = {"resourceType": "Bundle", "type": "transaction", "entry": []}
    for e in bundle.get("entry", []):
        r = e.get("resource")
        if not r:
            continue
        req = dict(e.get("request") or {"method": "POST", "url": r["resourceType"]})
        if r["resourceType"] == "DocumentReference":
            sha = next((i["value"] for i in r.get("identifier", []) if i.get("system") == SHA_SYSTEM), None)
            if sha:
                req["ifNoneExist"] = f"identifier={SHA_SYSTEM}|{sha}"
        elif r["resourceType"] == "Device":
            idents = [i for i in r.get("identifier", []) if i.get("system") and i.get("value")]
            if not idents:
                name = next((d.get("name") for d in r.get("deviceName", []) if d.get("name")), "case2fhir")
                version = next((v.get("value") for v in r.get("version", []) if v.get("value")), "")
                r = dict(r, identifier=[{"system": DEVICE_SYSTEM, "value": f"{name}|{version}" if version else name}])
                idents = r["identifier"]
            req = {"method": "POST", "url": "Device",
                   "ifNoneExist": f"identifier={idents[0]['system']}|{idents[0]['value']}"}
        entry = {"resource": r, "request": req}
        if e.get("fullUrl"):
            entry["fullUrl"] = e["fullUrl"]
        tx["entry"].append(entry)
    return tx


class Uploader:
    """Posts bundles to one server; thread-safe (one urllib request per call)."""

    def __init__(self, server: str, headers: dict[str, str] | None = None, *, retries: int = 5,
                 backoff: float = 0.5, max_backoff: float = 30.0, timeout: float = 120.0,
                 sleep: Callable[[float], None] = time.sleep):
        if not server.startswith(("http://", "https://")):
            raise UploadError(f"--server must be an http(s) URL (got {server!r})")
        self.http = _Http(server, headers or {}, timeout)
        self.retries, self.backoff, self.max_backoff, self.sleep = retries, backoff, max_backoff, sleep

    # ------------------------------------------------------------ one request with retries
    def _call(self, method: str, url: str, body: dict | None, counter: list) -> tuple[int, dict, dict | None]:
        attempt = 0
        while True:
            attempt += 1
            try:
                status, hdrs, data = self.http.request(method, url, body)
                if status not in RETRY_STATUS or attempt > self.retries:
                    return status, hdrs, data
                wait = _retry_after(hdrs)
            except OSError as exc:  # connection refused/reset, timeout
                if attempt > self.retries:
                    raise UploadError(f"{method} {self.http.base}/{url}: {exc}") from exc
                wait = None
            counter[0] += 1
            self._pause(attempt, wait)

    def _pause(self, attempt: int, wait: float | None) -> None:
        if wait is None:  # exponential backoff with a little jitter
            wait = self.backoff * 2 ** (attempt - 1) * (1 + 0.1 * random.random())
        self.sleep(min(self.max_backoff, wait))

    def check(self) -> dict:
        """The server's CapabilityStatement; UploadError when the server cannot be reached."""
        try:
            status, _, data = self._call("GET", "metadata", None, [0])
        except UploadError as exc:
            raise UploadError(f"cannot reach the FHIR server at {self.http.base}: {exc.message}") from None
        if status != 200 or not isinstance(data, dict) or data.get("resourceType") != "CapabilityStatement":
            raise UploadError(f"{self.http.base}/metadata answered HTTP {status}, not a CapabilityStatement")
        return data

    def present(self, sha: str, counter: list) -> bool:
        q = urllib.parse.urlencode({"identifier": f"{SHA_SYSTEM}|{sha}", "_summary": "count"})
        status, _, data = self._call("GET", f"DocumentReference?{q}", None, counter)
        if status != 200 or not isinstance(data, dict):
            raise UploadError(f"search for DocumentReference {sha[:12]}... answered HTTP {status}: {_outcome(data)}")
        return bool(data.get("total") or data.get("entry"))

    # ------------------------------------------------------------ one bundle
    def post_file(self, path: str | Path) -> UploadResult:
        path = Path(path)
        res = UploadResult(str(path), "failed")
        counter = [0]
        try:
            try:
                bundle = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise UploadError(f"cannot read a JSON bundle: {exc}") from None
            tx = to_transaction(bundle)
            res.sha256 = sha = source_sha256(bundle)
            if sha and self.present(sha, counter):
                res.status = "present"
                return res
            attempt = 0
            while True:
                attempt += 1
                try:
                    status, hdrs, data = self.http.request("POST", "", tx)
                    wait = _retry_after(hdrs)
                except OSError as exc:  # connection refused/reset, timeout: it may have committed
                    status, data, wait = None, {"text": str(exc)}, None
                if status is not None and 200 <= status < 300 and isinstance(data, dict) \
                        and data.get("resourceType") == "Bundle":
                    res.status = "created"
                    return res
                if status is not None and status not in RETRY_STATUS:
                    raise UploadError(f"transaction answered HTTP {status}: {_outcome(data)}")
                if attempt > self.retries:
                    raise UploadError(f"transaction failed {attempt} times, last: "
                                      + (f"HTTP {status}: " if status else "") + _outcome(data))
                counter[0] += 1
                self._pause(attempt, wait)
                # the transaction may have committed before its answer was lost: look before resending
                if sha and self.present(sha, counter):
                    res.status = "present"
                    return res
        except UploadError as exc:
            res.code, res.message = exc.code, exc.message
            return res
        finally:
            res.retries = counter[0]


def _retry_after(hdrs: dict) -> float | None:
    for k, v in hdrs.items():
        if k.lower() == "retry-after":
            try:
                return max(0.0, float(v))
            except ValueError:
                return None
    return None


def _outcome(data) -> str:
    if isinstance(data, dict):
        issues = data.get("issue") or []
        msg = "; ".join(str(i.get("diagnostics") or i.get("details", {}).get("text") or i.get("code")) for i in issues)
        if msg:
            return msg[:300]
        if "text" in data:
            return str(data["text"])[:300]
    return "no details"


def post_bundles(paths: Iterable[str | Path], server: str, headers: dict[str, str] | None = None, *,
                 concurrency: int = 2, retries: int = 5, backoff: float = 0.5, max_backoff: float = 30.0,
                 timeout: float = 120.0, on_result: Callable[[UploadResult], None] | None = None) -> UploadReport:
    """Upload every bundle file (see ``bundle_files``); results in file order. Raises UploadError
    only when the server cannot be reached at all."""
    files = bundle_files(paths)
    if not files:
        raise UploadError("no bundle files (*.json) found; NDJSON output (--format ndjson) is loaded with the "
                          "server's $import operation instead")
    up = Uploader(server, headers, retries=retries, backoff=backoff, max_backoff=max_backoff, timeout=timeout)
    t0 = time.monotonic()
    up.check()
    report = UploadReport()
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for r in pool.map(up.post_file, files):
            report.results.append(r)
            if r.status == "created":
                report.created += 1
            elif r.status == "present":
                report.present += 1
            else:
                report.failed += 1
            report.retries += r.retries
            if on_result:
                on_result(r)
    report.seconds = round(time.monotonic() - t0, 3)
    return report
