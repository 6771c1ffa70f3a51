"""A self-contained HTML review of a conversion: every PDF page as an image with a coloured,
labelled box over the words of each extracted fact, next to the FHIR resource it became.

    html = review(bundle, "case.pdf", skipped=facts.skipped, blocks=document.blocks,
                  patient=facts.patient, elapsed=1.2)

The boxes come only from the provenance the resources already carry (the ``source-location``
extension: page, x0, top, x1, bottom in PDF points, origin top-left); nothing is extracted
again. The Patient resource carries no location, so its boxes come from ``patient`` (the
PatientFact's sex and age mentions) when given. Skipped facts (literature, hypothetical,
references...) and the section shading of the blocks come from what the caller passes in.

The page is one HTML file: inline CSS and JS, page images embedded as base64 at 100 dpi (lossless
PNG for text pages, WebP for pages with photographs), ``loading="lazy"``; no network, no CDN."""
from __future__ import annotations

import base64
import html
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from . import __version__
from .fhir.build import derivation_spans

LOCATION_URL = "https://case2fhir.org/fhir/StructureDefinition/source-location"
ASSERTION_URL = "https://case2fhir.org/fhir/StructureDefinition/nlp-assertion"

# resource types reviewed, in panel order, with their colour
TYPES = ("Patient", "Condition", "Observation", "MedicationStatement", "FamilyMemberHistory")
COLOURS = {"Patient": "#7b3fbf", "Condition": "#d62728", "Observation": "#1f6fd1",
           "MedicationStatement": "#138a36", "FamilyMemberHistory": "#d97706", "Skipped": "#7f7f7f"}
LABELS = {"Patient": "Patient", "Condition": "Condition", "Observation": "Observation",
          "MedicationStatement": "Medication", "FamilyMemberHistory": "Family history", "Skipped": "Skipped"}
SECTION_COLOURS = {"title": "#6b7280", "abstract": "#0ea5e9", "background": "#a855f7", "case": "#22c55e",
                   "discussion": "#f59e0b", "conclusion": "#14b8a6", "references": "#ef4444",
                   "other": "#94a3b8"}
SYSTEMS = {"http://snomed.info/sct": "SCT", "http://hl7.org/fhir/sid/icd-10-cm": "ICD-10-CM",
           "http://loinc.org": "LOINC", "http://www.nlm.nih.gov/research/umls/rxnorm": "RxNorm",
           "http://www.orpha.net": "ORPHA", "http://purl.obolibrary.org/obo/hp.owl": "HPO"}

DEFAULT_DPI = 100
PAD = 1.0  # points added around a fact's words so the box does not cut the glyphs
PATIENT_PAD = 2.5  # Patient boxes sit just outside the Age box on the same words


@dataclass
class PageImage:
    number: int  # 1-based
    width: float  # points: the visible area (the crop box) the image shows
    height: float
    img_width: int  # pixels
    img_height: int
    data_uri: str
    ox: float = 0.0  # where the visible area starts, in the coordinates of the boxes (pdfplumber's)
    oy: float = 0.0


@dataclass
class Box:
    page: int
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Item:
    key: str  # DOM key shared by the row and its boxes
    rtype: str  # resource type, or "Skipped"
    rid: str | None  # resource id (None for skipped facts)
    code: str = ""
    code_title: str = ""
    display: str = ""
    value: str = ""
    status: str = ""
    style: str = ""  # "", "refuted", "uncertain", "skipped"
    quote: str = ""  # the words read, when known
    boxes: list[Box] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{LABELS[self.rtype]}: {self.display or self.code or '?'}"

    @property
    def tag(self) -> str:
        """The short text drawn on the box (the colour already says the type)."""
        if self.rtype == "Patient":
            return f"Patient {self.value}".strip()
        if self.rtype == "Skipped":
            return f"skipped: {self.status}"
        text = self.display or self.code or "?"
        return text.split(" [", 1)[0]  # LOINC long names: "Creatine kinase [Enzymatic ...]" -> "Creatine kinase"


# ---------------------------------------------------------------- bundle -> items
def _as_dict(bundle: Any) -> dict:
    if isinstance(bundle, dict):
        return bundle
    if hasattr(bundle, "model_dump_json"):
        return json.loads(bundle.model_dump_json(exclude_none=True))
    if isinstance(bundle, (str, bytes)):
        return json.loads(bundle)
    raise TypeError(f"review() needs a Bundle dict or model, not {type(bundle).__name__}")


def _num(v: Any) -> float:
    return float(v)


def location_boxes(resource: dict) -> list[tuple[int, int | None, int | None, Box]]:
    """(page, offset, length, Box) of every source-location extension of a resource."""
    out = []
    for ext in resource.get("extension") or ():
        if ext.get("url") != LOCATION_URL:
            continue
        sub: dict = {}
        for x in ext.get("extension") or ():
            val = next((v for k, v in x.items() if k.startswith("value")), None)
            sub[x.get("url")] = val
        try:
            page = int(sub["page"])
            box = Box(page, _num(sub["x0"]), _num(sub["top"]), _num(sub["x1"]), _num(sub["bottom"]))
        except (KeyError, TypeError, ValueError):
            continue
        out.append((page, sub.get("offset"), sub.get("length"), box))
    return out


def _assertions(resource: dict) -> list[str]:
    return [e.get("valueCode") for e in resource.get("extension") or () if e.get("url") == ASSERTION_URL
            and e.get("valueCode")]


def _source_text(resources: list[dict]) -> str | None:
    for r in resources:
        if r.get("resourceType") != "DocumentReference":
            continue
        for c in r.get("content") or ():
            att = c.get("attachment") or {}
            if att.get("data") and str(att.get("contentType", "")).startswith("text/plain"):
                try:
                    return base64.b64decode(att["data"]).decode("utf-8")
                except (ValueError, UnicodeDecodeError):
                    return None
    return None


def _coding_text(cc: dict | None) -> tuple[str, str, str]:
    """(short code, all codes for a tooltip, display) of a CodeableConcept."""
    if not cc:
        return "", "", ""
    codings = cc.get("coding") or []
    if not codings:
        return "uncoded", "", cc.get("text") or ""
    first = codings[0]
    short = f"{SYSTEMS.get(first.get('system'), _tail(first.get('system')))} {first.get('code', '')}".strip()
    every = "; ".join(f"{c.get('system', '')}|{c.get('code', '')} {c.get('display', '')}".strip() for c in codings)
    display = first.get("display") or cc.get("text") or ""
    return short, every, display


def _tail(system: str | None) -> str:
    if not system:
        return ""
    return system.rstrip("/").rsplit("/", 1)[-1]


def _fmt_num(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _qty(q: dict | None) -> str:
    if not q or q.get("value") is None:
        return ""
    unit = q.get("unit") or q.get("code") or ""
    return f"{q.get('comparator', '')}{_fmt_num(q['value'])} {unit}".strip()


def _code(cc: dict | None) -> str:
    if not cc:
        return ""
    codings = cc.get("coding") or []
    return (codings[0].get("code") or "") if codings else ""


def _describe(r: dict) -> tuple[str, str, str, str, str, str]:
    """(code, code_title, display, value, status, style) of a resource."""
    rt = r.get("resourceType")
    labels = _assertions(r)
    style = "uncertain" if ("uncertain" in labels or "hypothetical" in labels) else ""
    extra = [x for x in labels if x not in ("literature",)]
    if rt == "Patient":
        return "", "", "Patient", r.get("gender", "") or "", "", ""
    if rt == "Condition":
        code, every, display = _coding_text(r.get("code"))
        ver, clin = _code(r.get("verificationStatus")), _code(r.get("clinicalStatus"))
        if ver == "refuted":
            style = "refuted"
        elif ver in ("provisional", "differential", "unconfirmed"):
            style = "uncertain"
        value = ""
        if r.get("onsetAge"):
            value = f"onset {_qty(r['onsetAge'])}"
        status = ", ".join(x for x in [ver, clin] + extra if x)
        return code, every, display, value, status, style
    if rt == "Observation":
        code, every, display = _coding_text(r.get("code"))
        if r.get("component"):
            vals = [_qty(c.get("valueQuantity")) for c in r["component"]]
            value = " / ".join(v for v in vals if v)
        elif r.get("valueQuantity"):
            value = _qty(r["valueQuantity"])
        elif r.get("valueCodeableConcept"):
            vcc = r["valueCodeableConcept"]
            value = vcc.get("text") or _coding_text(vcc)[2]
        else:
            value = r.get("valueString") or ""
        interp = [_code(i) for i in r.get("interpretation") or ()]
        if any(interp):
            value = f"{value} ({', '.join(i for i in interp if i)})".strip()
        if "negated" in labels:
            style = "refuted"
        status = ", ".join(x for x in [r.get("status", "")] + extra if x)
        return code, every, display, value, status, style
    if rt == "MedicationStatement":
        code, every, display = _coding_text(r.get("medicationCodeableConcept")
                                            or {"text": (r.get("medicationReference") or {}).get("display")})
        parts = []
        for d in r.get("dosage") or ():
            if d.get("text"):
                parts.append(d["text"])
            else:
                dose = [_qty(x.get("doseQuantity")) for x in d.get("doseAndRate") or ()]
                rep = (d.get("timing") or {}).get("repeat") or {}
                freq = (f"{rep['frequency']}/{_fmt_num(rep.get('period', 1))}{rep.get('periodUnit', '')}"
                        if rep.get("frequency") else "")
                route = (d.get("route") or {}).get("text") or ""
                parts.append(" ".join(x for x in dose + [route, freq] if x))
        status = r.get("status", "")
        if status == "not-taken":
            style = "refuted"
        return code, every, display, "; ".join(p for p in parts if p), ", ".join(x for x in [status] + extra if x), style
    if rt == "FamilyMemberHistory":
        rel = (r.get("relationship") or {})
        rel_text = rel.get("text") or _coding_text(rel)[2]
        conds = r.get("condition") or [{}]
        code, every, display = _coding_text(conds[0].get("code"))
        notes = " ".join(n.get("text", "") for n in conds[0].get("note") or ())
        if conds[0].get("contributedToDeath") is False and "absent" in notes:
            style = "refuted"
        return code, every, display, rel_text, ", ".join(x for x in [r.get("status", "")] + extra if x), style
    return "", "", rt or "", "", "", style


def _mention_boxes(mention: Any, pad: float = 0.0) -> list[Box]:
    out = []
    for page, box in getattr(mention, "boxes", None) or ():
        x0, top, x1, bottom = box
        out.append(Box(int(page), x0 - pad, top - pad, x1 + pad, bottom + pad))
    return out


def _patient_mentions(patient: Any) -> list:
    if patient is None:
        return []
    if hasattr(patient, "sex_mention") or hasattr(patient, "age_mention"):
        return [m for m in (getattr(patient, "sex_mention", None), getattr(patient, "age_mention", None)) if m]
    return [m for m in patient if m]


def collect(bundle: Any, *, skipped: Iterable | None = None, patient: Any = None) -> list[Item]:
    """The rows of the review: one per reviewed resource (in bundle order within each type), then one
    per skipped fact. Boxes are padded by ``PAD`` points; they are not yet clipped to the page."""
    b = _as_dict(bundle)
    resources = [e.get("resource") or {} for e in b.get("entry") or ()]
    text = _source_text(resources)
    items: list[Item] = []
    for rtype in TYPES:
        for r in resources:
            if r.get("resourceType") != rtype:
                continue
            code, every, display, value, status, style = _describe(r)
            item = Item(key=f"{rtype}/{r.get('id', len(items))}", rtype=rtype, rid=r.get("id"), code=code,
                        code_title=every, display=display, value=value, status=status, style=style)
            if rtype == "Patient":
                for m in _patient_mentions(patient):
                    item.boxes += _mention_boxes(m, PATIENT_PAD)
                item.quote = " / ".join(getattr(m, "text", "") for m in _patient_mentions(patient))
            else:
                for _page, _off, _len, box in location_boxes(r):
                    item.boxes.append(Box(box.page, box.x0 - PAD, box.top - PAD, box.x1 + PAD, box.bottom + PAD))
                if text is not None:
                    quotes = list(dict.fromkeys(text[o:o + n] for o, n in derivation_spans(r)))
                    quotes += [f"status evidence ({r.get('status')}): {q}"  # the mention that stopped a drug
                               for q in dict.fromkeys(text[o:o + n] for o, n in derivation_spans(r, "status"))]
                    item.quote = " / ".join(quotes)
            items.append(item)
    for n, s in enumerate(skipped or ()):
        mention = getattr(s, "mention", None)
        section = getattr(mention, "section", "") or ""
        item = Item(key=f"skipped-{n + 1}", rtype="Skipped", rid=None, code=str(getattr(s, "kind", "")),
                    display=str(getattr(s, "text", "") or getattr(mention, "text", "")),
                    value=section, status=str(getattr(s, "reason", "")),
                    style="skipped", quote=getattr(mention, "text", "") or "")
        item.boxes = _mention_boxes(mention, PAD)
        items.append(item)
    return items


# ---------------------------------------------------------------- pages
def _open_pdf(pdf: Any, password: str | None):
    import pdfplumber

    from .errors import CorruptPdf, EncryptedPdf, FileNotFound, UnsupportedInput

    if isinstance(pdf, (str, os.PathLike)):
        if not Path(pdf).is_file():
            raise FileNotFound(f"no such file: {pdf}", source=str(pdf))
        src: Any = str(pdf)
    elif isinstance(pdf, (bytes, bytearray, memoryview)):
        src = io.BytesIO(bytes(pdf))
    elif hasattr(pdf, "read"):
        if hasattr(pdf, "seek"):
            pdf.seek(0)  # the converter may have read it already
        src = io.BytesIO(pdf.read())
    else:
        raise UnsupportedInput(f"cannot read a {type(pdf).__name__}; pass a path, bytes or a binary file")
    try:
        handle = pdfplumber.open(src, password=password or "")
        handle.pages  # noqa: B018 - parses the page tree now, so a broken file fails here
        return handle
    except Exception as exc:  # pdfminer raises many unrelated types
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise EncryptedPdf("the PDF is encrypted; pass its password") from exc
        raise CorruptPdf(f"cannot open the PDF for review: {name}: {exc}") from exc


def encode_page(img) -> tuple[str, bytes]:
    """(MIME type, bytes) of a rendered page: lossless PNG when the page has few colours (text pages:
    a palette of at most 256 colours, or grey levels), else WebP (JPEG when Pillow lacks WebP) for
    pages with photographs. Text stays sharp and a text page costs 20-40 KB at 100 dpi."""
    from PIL import ImageChops, features

    img = img.convert("RGB")
    buf = io.BytesIO()
    if img.getcolors(256) is not None:
        img.convert("P", palette=1, colors=256).save(buf, "PNG", compress_level=6)  # 1 = ADAPTIVE: exact here
        return "image/png", buf.getvalue()
    r, g, b = img.split()
    if ImageChops.difference(r, g).getbbox() is None and ImageChops.difference(g, b).getbbox() is None:
        r.save(buf, "PNG", compress_level=6)
        return "image/png", buf.getvalue()
    if features.check("webp"):
        img.save(buf, "WEBP", quality=75, method=2)
        return "image/webp", buf.getvalue()
    img.save(buf, "JPEG", quality=75, optimize=True)
    return "image/jpeg", buf.getvalue()


def _visible_area(page, img_w: int, img_h: int, dpi: int) -> tuple[float, float, float, float]:
    """(x0, top, width, height) of the area the rendered image shows, in pdfplumber's coordinates
    (those of the boxes): the crop box when the image has its size (a page whose CropBox is smaller
    than its MediaBox is rendered cropped, while pdfplumber measures from the MediaBox), else the
    page's bbox."""
    scale = dpi / 72.0
    for box in (getattr(page, "cropbox", None), page.bbox):
        if not box:
            continue
        x0, top, x1, bottom = (float(v) for v in box)
        if abs((x1 - x0) * scale - img_w) <= 2 and abs((bottom - top) * scale - img_h) <= 2:
            return x0, top, x1 - x0, bottom - top
    x0, top, x1, bottom = (float(v) for v in page.bbox)
    return x0, top, x1 - x0, bottom - top


def render_pages(pdf: Any, *, dpi: int = DEFAULT_DPI, password: str | None = None,
                 max_pages: int | None = None) -> list[PageImage]:
    """Every page as an embedded image (data URI) with its size in points, in pdfplumber's frame
    (the frame the reader's boxes are in)."""
    out = []
    with _open_pdf(pdf, password) as handle:
        for i, page in enumerate(handle.pages):
            if max_pages is not None and i >= max_pages:
                break
            img = page.to_image(resolution=dpi).original
            ox, oy, width, height = _visible_area(page, img.width, img.height, dpi)
            mime, data = encode_page(img)
            uri = f"data:{mime};base64," + base64.b64encode(data).decode("ascii")
            out.append(PageImage(i + 1, width, height, img.width, img.height, uri, ox, oy))
    return out


# ---------------------------------------------------------------- HTML
def _clip(box: Box, page: PageImage) -> Box | None:
    """The part of a box inside the visible page, or None (boxes stay in the PDF's coordinates)."""
    x0, top = max(page.ox, min(box.x0, box.x1)), max(page.oy, min(box.top, box.bottom))
    x1 = min(page.ox + page.width, max(box.x0, box.x1))
    bottom = min(page.oy + page.height, max(box.top, box.bottom))
    if x1 <= x0 or bottom <= top:
        return None
    return Box(box.page, round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))


def _pos(box: Box, page: PageImage) -> str:
    return (f"left:{(box.x0 - page.ox) / page.width * 100:.3f}%;top:{(box.top - page.oy) / page.height * 100:.3f}%;"
            f"width:{(box.x1 - box.x0) / page.width * 100:.3f}%;height:{(box.bottom - box.top) / page.height * 100:.3f}%")


def _e(s: Any) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _block_fields(b: Any) -> tuple[int, tuple, str, str] | None:
    if isinstance(b, dict):
        page, bbox, section, kind = b.get("page"), b.get("bbox"), b.get("section"), b.get("kind")
    else:
        page, bbox = getattr(b, "page", None), getattr(b, "bbox", None)
        section, kind = getattr(b, "section", None), getattr(b, "kind", None)
    if not page or not bbox or len(bbox) != 4:
        return None
    return int(page), tuple(float(v) for v in bbox), str(section or "other"), str(kind or "")


def review(bundle: Any, pdf: Any, *, skipped: Iterable | None = None, blocks: Iterable | None = None,
           elapsed: float | None = None, patient: Any = None, facts: Any = None, document: Any = None,
           dpi: int = DEFAULT_DPI, password: str | None = None, title: str | None = None) -> str:
    """The review page (HTML text) of ``bundle`` over ``pdf`` (path, bytes or binary file).

    skipped: SkippedFact-like objects (kind, text, mention, reason), drawn grey with their reason.
    blocks: the PDF Document's blocks (objects or their ``to_json`` dicts), shaded by section.
    patient: a PatientFact (or mentions) locating the Patient's sex and age words.
    facts / document: shortcuts; ``facts`` fills skipped and patient, ``document`` fills blocks.
    elapsed: conversion time in seconds, for the summary line."""
    if facts is not None:
        skipped = facts.skipped if skipped is None else skipped
        patient = facts.patient if patient is None else patient
    if document is not None and blocks is None:
        blocks = document.blocks
    skipped = list(skipped) if skipped is not None else None  # iterated twice: rows and inspector
    b = _as_dict(bundle)
    items = collect(b, skipped=skipped, patient=patient)
    pages = render_pages(pdf, dpi=dpi, password=password)
    by_page = {p.number: p for p in pages}

    # clip every box to its page; boxes on pages that do not exist are dropped (and counted)
    lost = 0
    for it in items:
        kept = []
        for box in it.boxes:
            page = by_page.get(box.page)
            clipped = _clip(box, page) if page else None
            if clipped is None:
                lost += 1
            else:
                kept.append(clipped)
        it.boxes = kept

    resources = [e.get("resource") or {} for e in b.get("entry") or ()]
    if title is None:
        doc = next((r for r in resources if r.get("resourceType") == "DocumentReference"), {})
        title = doc.get("description") or "case report"
    counts: dict[str, int] = {}
    for r in resources:
        counts[r.get("resourceType", "?")] = counts.get(r.get("resourceType", "?"), 0) + 1
    n_skipped = sum(1 for it in items if it.rtype == "Skipped")

    block_list = [f for f in (_block_fields(x) for x in (blocks or ())) if f]
    details = _details(resources, items, skipped)
    return _html(title, items, pages, block_list, counts, n_skipped, elapsed, lost, dpi, details)


def _details(resources: list[dict], items: list[Item], skipped: Iterable | None) -> dict:
    """What the inspector shows for each row: the FHIR resource as JSON, or the skipped fact."""
    out: dict = {}
    by_key = {f"{r.get('resourceType')}/{r.get('id')}": r for r in resources if r.get("resourceType") in TYPES}
    skipped_items = [it for it in items if it.rtype == "Skipped"]
    for it in items:
        if it.key in by_key:
            out[it.key] = by_key[it.key]
    for it, s in zip(skipped_items, list(skipped or ())):
        m = getattr(s, "mention", None)
        out[it.key] = {"skipped": getattr(s, "kind", None), "text": getattr(s, "text", None),
                       "reason": getattr(s, "reason", None), "section": getattr(m, "section", None),
                       "offset": getattr(m, "start", None), "length": (m.end - m.start) if m is not None else None,
                       "boxes": [{"page": p, "x0": b[0], "top": b[1], "x1": b[2], "bottom": b[3]}
                                 for p, b in (getattr(m, "boxes", None) or ())]}
    return out


def _packed(data: dict) -> str:
    """The inspector data as base64 of gzipped JSON (a tenth of the size; the page unpacks it with the
    browser's DecompressionStream). mtime 0: the same input gives the same bytes."""
    import gzip

    raw = _json_script(data).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


def unpack(text: str) -> dict:
    """The inspector data of a review page (for tests and tools)."""
    import gzip
    import re

    m = re.search(r'<script type="application/octet-stream" id="c2f-data"[^>]*>(.*?)</script>', text, re.S)
    if not m:
        return {}
    return json.loads(gzip.decompress(base64.b64decode(m.group(1))).decode("utf-8"))


def _json_script(data: dict) -> str:
    """JSON safe inside a <script> element: every '<' escaped, so no '</script>' or '<!--' can occur."""
    from decimal import Decimal

    def default(o):
        if isinstance(o, Decimal):
            return int(o) if o == o.to_integral_value() else float(o)
        return str(o)

    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=default) \
        .replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _summary(counts: dict, n_skipped: int, n_pages: int, elapsed: float | None) -> str:
    parts = [f"{LABELS.get(t, t)} {counts[t]}" for t in TYPES if counts.get(t)]
    rest = sorted(k for k in counts if k not in TYPES)
    parts += [f"{k} {counts[k]}" for k in rest]
    parts.append(f"skipped {n_skipped}")
    parts.append(f"{n_pages} page{'s' if n_pages != 1 else ''}")
    if elapsed is not None:
        parts.append(f"converted in {elapsed:.2f} s")
    parts.append(f"case2fhir {__version__}")
    return " · ".join(parts)


def _html(title: str, items: list[Item], pages: list[PageImage], blocks: list, counts: dict, n_skipped: int,
          elapsed: float | None, lost: int, dpi: int, details: dict | None = None) -> str:
    out: list[str] = []
    w = out.append
    summary = _summary(counts, n_skipped, len(pages), elapsed)
    w("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
    w("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
    w(f"<meta name=\"generator\" content=\"case2fhir {_e(__version__)}\">")
    w(f"<title>Review: {_e(title)}</title>\n<style>{_css()}</style></head>\n<body>")
    # ---- header
    w("<header id=\"top\"><div class=\"ttl\">")
    w(f"<b>case2fhir review</b> <span class=\"doc\">{_e(title)}</span></div>")
    w(f"<div id=\"summary\" class=\"summary\">{_e(summary)}</div>")
    w("<div class=\"legend\">")
    for t in TYPES + ("Skipped",):
        w(f"<label class=\"tg\"><input type=\"checkbox\" checked data-toggle=\"{t}\">"
          f"<i class=\"sw t-{t}\"></i>{_e(LABELS[t])}</label>")
    w("<span class=\"sep\"></span><span class=\"st\"><i class=\"sw refuted\"></i>refuted / negated</span>"
      "<span class=\"st\"><i class=\"sw uncertain\"></i>uncertain</span>")
    w("<span class=\"sep\"></span><label class=\"tg\"><input type=\"checkbox\" checked data-toggle=\"sections\">"
      "sections</label><label class=\"tg\"><input type=\"checkbox\" checked data-toggle=\"labels\">labels</label>")
    secs = sorted({blk[2] for blk in blocks}, key=lambda s: list(SECTION_COLOURS).index(s)
                  if s in SECTION_COLOURS else 99)
    for s in secs:
        w(f"<span class=\"st sec-key\"><i class=\"sw sec-{_e(_cls(s))}\"></i>{_e(s)}</span>")
    w("</div>")
    if lost:
        w(f"<div class=\"warn\">{lost} box(es) point outside the rendered pages and are not drawn.</div>")
    w("</header>\n<main>")
    # ---- pages
    w("<div id=\"pages\">")
    by_page: dict[int, list[tuple[Item, Box]]] = {}
    for it in items:
        for box in it.boxes:
            by_page.setdefault(box.page, []).append((it, box))
    for p in pages:
        w(f"<section class=\"page\" id=\"page-{p.number}\" data-page=\"{p.number}\" data-w=\"{p.width:.2f}\" "
          f"data-ox=\"{p.ox:.2f}\" data-oy=\"{p.oy:.2f}\" "
          f"data-h=\"{p.height:.2f}\" style=\"aspect-ratio:{p.width:.2f}/{p.height:.2f}\">")
        w(f"<img src=\"{p.data_uri}\" width=\"{p.img_width}\" height=\"{p.img_height}\" loading=\"lazy\" "
          f"decoding=\"async\" alt=\"page {p.number}\">")
        w("<div class=\"overlay\">")
        last_sec = None
        for page_no, bbox, section, kind in blocks:
            if page_no != p.number:
                continue
            blk = _clip(Box(page_no, *bbox), p)
            if blk is None:
                continue
            tag = f"<span class=\"sec-tag\">{_e(section)}</span>" if section != last_sec else ""
            last_sec = section
            w(f"<div class=\"blk sec-{_e(_cls(section))}\" data-section=\"{_e(section)}\" "
              f"title=\"{_e(section)} · {_e(kind)}\" style=\"{_pos(blk, p)}\">{tag}</div>")
        for it, box in by_page.get(p.number, ()):
            tip = f"{it.label}" + (f" — {it.value}" if it.value else "") + (f" — {it.status}" if it.status else "")
            if it.quote:
                tip += f" — “{it.quote}”"
            w(f"<div class=\"box t-{it.rtype} {it.style}\" data-key=\"{_e(it.key)}\" data-type=\"{it.rtype}\" "
              f"data-page=\"{box.page}\" data-x0=\"{box.x0}\" data-top=\"{box.top}\" data-x1=\"{box.x1}\" "
              f"data-bottom=\"{box.bottom}\" title=\"{_e(tip)}\" style=\"{_pos(box, p)}\">"
              f"<span class=\"lbl\">{_e(_short(it.tag))}</span></div>")
        w(f"</div><div class=\"pno\">page {p.number} of {len(pages)}</div></section>")
    w("</div>")
    # ---- side panel
    w("<aside id=\"panel\">")
    for t in TYPES + ("Skipped",):
        group = [it for it in items if it.rtype == t]
        if not group:
            continue
        w(f"<section class=\"grp\" data-group=\"{t}\"><h2><i class=\"sw t-{t}\"></i>{_e(LABELS[t])} "
          f"<span class=\"n\">{len(group)}</span></h2><table>")
        if t == "Skipped":
            w("<thead><tr><th>kind</th><th>text</th><th>section</th><th>reason</th><th>p.</th></tr></thead>")
        else:
            w("<thead><tr><th>code</th><th>display</th><th>value / dose</th><th>status</th><th>p.</th></tr></thead>")
        w("<tbody>")
        for it in group:
            pages_of = sorted({bx.page for bx in it.boxes})
            cls = f"row t-{t} {it.style}" + ("" if it.boxes else " nobox")
            tip = (f"“{it.quote}”" if it.quote else "") + ("" if it.boxes else " (no location on the page)")
            rid_attr = f" data-rid=\"{_e(it.rid)}\"" if it.rid else ""
            w(f"<tr class=\"{cls}\" tabindex=\"0\" data-key=\"{_e(it.key)}\" data-type=\"{t}\"{rid_attr} "
              f"data-boxes=\"{len(it.boxes)}\" title=\"{_e(tip.strip())}\">"
              f"<td class=\"code\" title=\"{_e(it.code_title)}\">{_e(it.code)}</td>"
              f"<td class=\"disp\">{_e(it.display)}</td><td class=\"val\">{_e(it.value)}</td><td>{_e(it.status)}</td>"
              f"<td class=\"pg\">{_e(','.join(map(str, pages_of))) or '–'}</td></tr>")
        w("</tbody></table></section>")
    w(f"<p class=\"foot\">Boxes come from each resource's source-location extension (page, x0, top, x1, "
      f"bottom in PDF points); pages rendered at {dpi} dpi. Click a row to find its words; click a box to "
      f"find its row.</p>")
    w("<div id=\"inspector\" hidden><div class=\"ih\"><b id=\"ititle\"></b>"
      "<button type=\"button\" id=\"iclose\" title=\"close\">×</button></div><pre id=\"ijson\"></pre></div>")
    w("</aside></main>")
    w(f"<script type=\"application/octet-stream\" id=\"c2f-data\" data-encoding=\"gzip+base64\">"
      f"{_packed(details or {})}</script>")
    w(f"<script>{_JS}</script></body></html>\n")
    return "".join(out)


def _short(label: str, n: int = 26) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def _cls(s: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in s)


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _css() -> str:
    rules = [_CSS]
    for t, c in COLOURS.items():
        rules.append(f".t-{t}{{--c:{c};--f:{_rgba(c, 0.13)}}}")
    for s, c in SECTION_COLOURS.items():
        rules.append(f".sec-{s}{{--s:{_rgba(c, 0.09)};--sb:{_rgba(c, 0.55)}}}")
    return "\n".join(rules)


_CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font:13px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2328;background:#e9ebef;
display:flex;flex-direction:column}
header{background:#fff;border-bottom:1px solid #d0d7de;padding:6px 12px;flex:none}
.ttl{font-size:14px}.ttl .doc{color:#57606a;margin-left:6px}
.summary{font-weight:600;margin:2px 0 4px}
.legend{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center;color:#444}
.legend label,.legend .st{display:inline-flex;align-items:center;gap:4px;cursor:pointer;white-space:nowrap}
.legend .sep{width:1px;height:16px;background:#d0d7de}
.sw{display:inline-block;width:14px;height:10px;border:2px solid var(--c,#555);background:var(--f,transparent)}
.sw.refuted{border-color:#555;background:linear-gradient(transparent 35%,#555 35%,#555 60%,transparent 60%)}
.sw.uncertain{border:2px dashed #555}
.sec-key .sw{border:1px solid var(--sb);background:var(--s)}
.warn{color:#9a3412;font-weight:600}
main{flex:1;display:flex;min-height:0}
#pages{flex:1;overflow:auto;padding:16px;min-width:0}
.page{position:relative;width:min(100%,900px);margin:0 auto 18px;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.25)}
.page img{position:absolute;inset:0;width:100%;height:100%;display:block;user-select:none}
.overlay{position:absolute;inset:0}
.pno{position:absolute;right:6px;bottom:-16px;font-size:11px;color:#57606a}
.blk{position:absolute;background:var(--s);border-left:3px solid var(--sb);pointer-events:auto}
.sec-tag{position:absolute;left:-3px;top:-11px;font:600 8px/10px system-ui,sans-serif;text-transform:uppercase;
color:#333;background:var(--sb);padding:0 3px;border-radius:2px;opacity:.85;pointer-events:none}
body.hide-sections .blk{display:none}
.box{position:absolute;border:2px solid var(--c);background:var(--f);cursor:pointer;border-radius:2px;z-index:2}
.box:hover{z-index:6;background:rgba(255,230,0,.25)}
.box.uncertain{border-style:dashed}
.box.refuted{background:linear-gradient(transparent calc(50% - 1px),var(--c) calc(50% - 1px),var(--c) calc(50% + 1px),
transparent calc(50% + 1px)),var(--f)}
.box.refuted .lbl{text-decoration:line-through}
.box.skipped{border-style:dotted;z-index:1;background:transparent}
.box .lbl{position:absolute;left:-2px;bottom:100%;margin-bottom:1px;font:600 8.5px/11px system-ui,sans-serif;
color:#fff;background:var(--c);padding:0 3px;border-radius:2px 2px 0 0;white-space:nowrap;opacity:.8;
pointer-events:none;display:none}
body.show-labels .box .lbl{display:block}
body.show-labels .box.skipped .lbl{display:none}
.box.selected .lbl,.box:hover .lbl{display:block!important;opacity:1;z-index:7}
.box.selected{outline:3px solid #ffb000;outline-offset:1px;z-index:8;background:rgba(255,200,0,.35)}
.box.flash{animation:flash .6s ease-in-out 3}
@keyframes flash{0%,100%{box-shadow:0 0 0 0 rgba(255,176,0,0)}50%{box-shadow:0 0 0 7px rgba(255,176,0,.85)}}
#panel{width:min(46%,560px);flex:none;overflow:auto;background:#fff;border-left:1px solid #d0d7de;padding:4px 10px 20px}
.grp h2{font-size:13px;margin:12px 0 4px;display:flex;align-items:center;gap:6px}
.grp h2 .n{color:#57606a;font-weight:400}
table{border-collapse:collapse;width:100%;table-layout:auto}
th{font-weight:600;text-align:left;color:#57606a;font-size:11px;border-bottom:1px solid #d0d7de;padding:2px 4px}
td{padding:3px 4px;border-bottom:1px solid #eef0f2;vertical-align:top}
td.code{white-space:nowrap;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11.5px}
td.pg{color:#57606a;white-space:nowrap}
td.val{min-width:7.5em}
tr.row{cursor:pointer}
tr.row>td:first-child{border-left:4px solid var(--c)}
tr.row:hover{background:#f3f6fa}
tr.row.refuted td.disp{text-decoration:line-through}
tr.row.uncertain td.disp{font-style:italic}
tr.row.skipped{color:#57606a}
tr.row.nobox{opacity:.75}
tr.row.selected{background:#fff3c4}
tr.row.flash{animation:rowflash .6s ease-in-out 2}
@keyframes rowflash{50%{background:#ffd66b}}
.foot{color:#57606a;font-size:11px;margin-top:16px}
#inspector{position:sticky;bottom:-20px;margin:10px -10px -20px;background:#f6f8fa;border-top:2px solid #d0d7de;
max-height:38vh;overflow:auto;padding:4px 10px 10px}
#inspector[hidden]{display:none}
#inspector .ih{display:flex;justify-content:space-between;align-items:center;position:sticky;top:-4px;background:#f6f8fa}
#inspector button{border:0;background:none;font-size:18px;cursor:pointer;color:#57606a}
#inspector pre{margin:0;font:11px/1.35 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-all}
body.hide-Patient .t-Patient.box,body.hide-Condition .t-Condition.box,body.hide-Observation .t-Observation.box,
body.hide-MedicationStatement .t-MedicationStatement.box,body.hide-FamilyMemberHistory .t-FamilyMemberHistory.box,
body.hide-Skipped .t-Skipped.box{display:none}
@media (max-width:900px){main{flex-direction:column}#panel{width:auto;max-height:45vh;border-left:0}}
"""

_JS = r"""
(function(){
  var body=document.body; body.classList.add('show-labels');
  function q(sel){return Array.prototype.slice.call(document.querySelectorAll(sel));}
  function esc(s){return window.CSS&&CSS.escape?CSS.escape(s):s.replace(/["\\]/g,'\\$&');}
  function flash(els){els.forEach(function(e){e.classList.remove('flash');void e.offsetWidth;e.classList.add('flash');});}
  var cycle={};
  function select(key,from){
    q('.selected').forEach(function(e){e.classList.remove('selected');});
    var boxes=q('.box[data-key="'+esc(key)+'"]'), row=document.querySelector('tr.row[data-key="'+esc(key)+'"]');
    boxes.forEach(function(b){b.classList.add('selected');});
    if(row) row.classList.add('selected');
    if(from==='row'||from==='hash'){
      if(from==='hash'&&row) row.scrollIntoView({block:'center'});
      if(boxes.length){
        var i=(cycle[key]||0)%boxes.length; cycle[key]=i+1;
        boxes[i].scrollIntoView({block:'center',inline:'nearest'}); flash(boxes);
      }
    } else if(row){ row.scrollIntoView({block:'nearest'}); flash([row]); }
    if(history.replaceState) history.replaceState(null,'','#'+encodeURIComponent(key));
    inspect(key);
  }
  var data=null, pending=null, insp=document.getElementById('inspector');
  function unpack(){
    var el=document.getElementById('c2f-data');
    if(!el||!window.DecompressionStream){data={};return;}
    try{
      var bin=atob(el.textContent.trim()), bytes=new Uint8Array(bin.length);
      for(var i=0;i<bin.length;i++) bytes[i]=bin.charCodeAt(i);
      new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text()
        .then(function(t){data=JSON.parse(t); if(pending) inspect(pending);})
        .catch(function(){data={};});
    }catch(e){data={};}
  }
  function inspect(key){
    if(!insp) return;
    if(data===null){pending=key;return;}
    if(!data[key]) return;
    document.getElementById('ititle').textContent=key.indexOf('skipped-')===0?'Skipped fact':key;
    document.getElementById('ijson').textContent=JSON.stringify(data[key],null,2);
    insp.hidden=false; insp.scrollTop=0;
  }
  var ic=document.getElementById('iclose'); if(ic) ic.addEventListener('click',function(){insp.hidden=true;});
  window.case2fhirSelect=select;
  unpack();
  q('tr.row').forEach(function(r){
    r.addEventListener('click',function(){select(r.dataset.key,'row');});
    r.addEventListener('keydown',function(ev){if(ev.key==='Enter'||ev.key===' '){ev.preventDefault();select(r.dataset.key,'row');}});
  });
  q('.box').forEach(function(b){b.addEventListener('click',function(ev){ev.stopPropagation();select(b.dataset.key,'box');});});
  q('input[data-toggle]').forEach(function(c){
    c.addEventListener('change',function(){
      var t=c.dataset.toggle;
      if(t==='labels') body.classList.toggle('show-labels',c.checked);
      else body.classList.toggle('hide-'+t,!c.checked);
    });
  });
  if(location.hash.length>1){var k=decodeURIComponent(location.hash.slice(1));
    if(document.querySelector('tr.row[data-key="'+esc(k)+'"]')) select(k,'hash');}
})();
"""
