"""The HTML review (issue 9): every reviewed resource appears, every box lies inside its page, the
page is self-contained, and the boxes come from the bundle's source-location extensions.

Most tests build a small two-page PDF with reportlab and a bundle by hand (facts whose mentions
carry the words' boxes as pdfplumber reads them, through the real BundleBuilder with a stub
terminology), so they say what ``review`` does whatever the NLP and vocabularies hold. One test
runs the whole pipeline on the reference case report."""
from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser

import pytest

from converter.facts import (Assertion, ConditionFact, Facts, LabFact, MedicationFact, Mention, PatientFact,
                             SkippedFact)
from converter.fhir.build import BundleBuilder, BundleOptions, SourceDocument
from converter.review import LOCATION_URL, collect, location_boxes, review
from converter.terminology import Coding, Concept

from tests.stub_terminology import ICD, LOINC, RX, SCT, StubT  # noqa: F401

PAGE1 = ["Case report",
         "A 69-year-old woman had calcinosis cutis and no fever.",
         "Dermatomyositis was suspected. CK was 952 U/L.",
         "She was given prednisolone 60 mg daily."]
PAGE2 = ["Discussion",
         "Calcinosis is reported in systemic sclerosis [1].",
         "References",
         "1. Smith J. Calcinosis in scleroderma. J Rheum 2020."]


def draw_pdf(path):
    """A two-page A4 PDF of PAGE1 and PAGE2 (reportlab, from the test extra)."""
    pytest.importorskip("reportlab", reason="reportlab (the test extra) draws the test PDF")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for lines in (PAGE1, PAGE2):
        y = 780
        for line in lines:
            c.setFont("Helvetica-Bold" if len(line.split()) <= 2 else "Helvetica", 11)
            c.drawString(72, y, line)
            y -= 22
        c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory):
    return draw_pdf(tmp_path_factory.mktemp("review") / "case.pdf")


class Words:
    """The PDF's words joined by spaces into one text, with each word's page and box."""

    def __init__(self, path):
        import pdfplumber

        self.spans = []  # (start, end, page, (x0, top, x1, bottom))
        parts, pos = [], 0
        with pdfplumber.open(path) as pdf:
            self.sizes = [(p.width, p.height) for p in pdf.pages]
            for n, page in enumerate(pdf.pages, 1):
                for w in page.extract_words():
                    self.spans.append((pos, pos + len(w["text"]), n, (w["x0"], w["top"], w["x1"], w["bottom"])))
                    parts.append(w["text"])
                    pos += len(w["text"]) + 1
        self.text = " ".join(parts)

    def mention(self, phrase, section="case", nth=0):
        start = -1
        for _ in range(nth + 1):
            start = self.text.index(phrase, start + 1)
        end = start + len(phrase)
        touched = [s for s in self.spans if s[0] < end and s[1] > start]
        x0 = min(s[3][0] for s in touched)
        top = min(s[3][1] for s in touched)
        x1 = max(s[3][2] for s in touched)
        bottom = max(s[3][3] for s in touched)
        return Mention(start, end, phrase, section, ((touched[0][2], (x0, top, x1, bottom)),))


def hand_made(path):
    w = Words(path)
    f = Facts(patient=PatientFact("female", w.mention("woman"), 69.0, "a", w.mention("69-year-old")))
    f.conditions.append(ConditionFact("cond:cc", "calcinosis cutis", "cond:cc", [w.mention("calcinosis cutis")]))
    f.conditions.append(ConditionFact("text:fever", "fever", None, [w.mention("fever")], Assertion(negated=True)))
    f.conditions.append(ConditionFact("cond:dm", "Dermatomyositis", "cond:dm", [w.mention("Dermatomyositis")],
                                      Assertion(uncertain=True)))
    f.labs.append(LabFact("lab:ck", "CK", "lab:ck", [w.mention("952 U/L")], value=952.0, value_text="952",
                          unit="U/L"))
    f.medications.append(MedicationFact("drug:p", "prednisolone", "drug:p", [w.mention("prednisolone")],
                                        sig_text="60 mg daily", dose_value=60, dose_unit="mg", frequency=1, period=1,
                                        period_unit="d"))
    f.skipped.append(SkippedFact("condition", "systemic sclerosis", w.mention("systemic sclerosis", "discussion"),
                                 "literature: discussion section, not about the patient"))
    f.skipped.append(SkippedFact("condition", "scleroderma", w.mention("scleroderma", "references"), "references"))
    doc = SourceDocument(sha256="cd" * 32, text=w.text, title="Hand-made case", pages=2)
    bundle = BundleBuilder(StubT()).build(f, doc, BundleOptions())
    blocks = [{"kind": "heading", "section": "case", "page": 1, "bbox": [72, 50, 160, 64]},
              {"kind": "paragraph", "section": "case", "page": 1, "bbox": [70, 70, 400, 130]},
              {"kind": "heading", "section": "discussion", "page": 2, "bbox": [72, 50, 160, 64]},
              {"kind": "paragraph", "section": "discussion", "page": 2, "bbox": [70, 70, 400, 86]},
              {"kind": "reference", "section": "references", "page": 2, "bbox": [70, 110, 400, 130]}]
    return bundle, f, blocks, w


class Parsed(HTMLParser):
    """Pages, boxes, rows and every tag/attribute of the review page."""

    def __init__(self, text):
        super().__init__()
        self.pages, self.boxes, self.rows, self.imgs, self.scripts, self.links = {}, [], [], [], [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "section" and "page" in cls:
            ox, oy = float(a.get("data-ox", 0)), float(a.get("data-oy", 0))  # the visible area, in PDF points
            self.pages[int(a["data-page"])] = (ox, oy, ox + float(a["data-w"]), oy + float(a["data-h"]))
        elif tag == "div" and "box" in cls:
            self.boxes.append(a)
        elif tag == "tr" and "row" in cls:
            self.rows.append(a)
        elif tag == "img":
            self.imgs.append(a)
        elif tag == "script":
            self.scripts.append(a)
        elif tag == "link":
            self.links.append(a)


@pytest.fixture(scope="module")
def made(pdf_path):
    bundle, facts, blocks, words = hand_made(pdf_path)
    text = review(bundle, pdf_path, skipped=facts.skipped, blocks=blocks, patient=facts.patient, elapsed=1.5)
    return bundle, facts, text, Parsed(text), words


def resources(bundle, *types):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] in types]


def test_every_reviewed_resource_id_appears_as_a_row(made):
    bundle, _facts, text, doc, _w = made
    reviewed = resources(bundle, "Patient", "Condition", "Observation", "MedicationStatement")
    assert len(reviewed) == 7  # patient, age, 3 conditions, CK, prednisolone
    row_rids = {r.get("data-rid") for r in doc.rows}
    for r in reviewed:
        assert r["id"] in text
        assert r["id"] in row_rids, r["resourceType"]


def test_every_box_lies_inside_its_page(made):
    _b, _f, _t, doc, _w = made
    assert set(doc.pages) == {1, 2}
    assert doc.boxes
    for box in doc.boxes:
        left, upper, right, lower = doc.pages[int(box["data-page"])]
        x0, top, x1, bottom = (float(box[k]) for k in ("data-x0", "data-top", "data-x1", "data-bottom"))
        assert left <= x0 < x1 <= right and upper <= top < bottom <= lower, box
        style = dict(kv.split(":") for kv in box["style"].split(";"))
        for k in ("left", "top", "width", "height"):
            assert 0 <= float(style[k].rstrip("%")) <= 100
        assert float(style["left"].rstrip("%")) + float(style["width"].rstrip("%")) <= 100.001
        assert float(style["top"].rstrip("%")) + float(style["height"].rstrip("%")) <= 100.001


def test_boxes_come_from_the_source_location_extensions(made):
    bundle, _f, _t, doc, words = made
    for r in resources(bundle, "Condition", "Observation", "MedicationStatement"):
        locs = location_boxes(r)
        assert locs, r["id"]
        drawn = [b for b in doc.boxes if b["data-key"] == f"{r['resourceType']}/{r['id']}"]
        assert len(drawn) == len(locs)
        for (page, _off, _len, loc), b in zip(locs, drawn):
            assert int(b["data-page"]) == page
            # drawn box = the recorded box, padded by a point, never elsewhere on the page
            assert abs(float(b["data-x0"]) - (loc.x0 - 1)) < 0.02 and abs(float(b["data-bottom"]) - (loc.bottom + 1)) < 0.02
    # the MedicationStatement box covers the word "prednisolone" as pdfplumber reads it
    med = resources(bundle, "MedicationStatement")[0]
    box = next(b for b in doc.boxes if b["data-key"] == f"MedicationStatement/{med['id']}")
    start, end, page, (x0, top, x1, bottom) = next(s for s in words.spans if words.text[s[0]:s[1]] == "prednisolone")
    assert int(box["data-page"]) == page == 1
    assert float(box["data-x0"]) <= x0 and float(box["data-x1"]) >= x1
    assert float(box["data-top"]) <= top and float(box["data-bottom"]) >= bottom


def test_styles_refuted_uncertain_and_skipped(made):
    bundle, _f, _t, doc, _w = made
    by_display = {}
    for b in doc.boxes:
        by_display.setdefault(b["data-key"], b)
    conds = {r["code"].get("text"): r for r in resources(bundle, "Condition")}
    fever = by_display[f"Condition/{conds['fever']['id']}"]
    assert "refuted" in fever["class"].split()
    dm = by_display[f"Condition/{conds['Dermatomyositis']['id']}"]
    assert "uncertain" in dm["class"].split()
    cc = by_display[f"Condition/{conds['calcinosis cutis']['id']}"]
    assert not {"refuted", "uncertain"} & set(cc["class"].split())
    skipped = [b for b in doc.boxes if b["data-type"] == "Skipped"]
    assert len(skipped) == 2 and all(int(b["data-page"]) == 2 and "skipped" in b["class"] for b in skipped)
    assert any("literature" in b["title"] for b in skipped)
    skipped_rows = [r for r in doc.rows if r["data-type"] == "Skipped"]
    assert len(skipped_rows) == 2


def test_patient_boxed_from_its_mentions(made):
    _b, _f, _t, doc, _w = made
    patient = [b for b in doc.boxes if b["data-type"] == "Patient"]
    assert len(patient) == 2 and {int(b["data-page"]) for b in patient} == {1}


def test_panel_rows_show_code_display_value_and_status(made):
    _b, _f, text, _doc, _w = made
    assert "ICD-10-CM L94.2" in text and "Calcinosis cutis" in text
    assert "RxNorm 8638" in text and "60 mg daily" in text
    assert "LOINC 2157-6" in text and "952 U/L" in text
    assert "refuted" in text and "provisional" in text


def test_summary_line(made):
    _b, _f, text, _doc, _w = made
    m = re.search(r'<div id="summary" class="summary">(.*?)</div>', text)
    summary = html.unescape(m.group(1))
    assert "Patient 1" in summary and "Condition 3" in summary and "Observation 2" in summary
    assert "Medication 1" in summary and "skipped 2" in summary and "2 pages" in summary
    assert "converted in 1.50 s" in summary
    from converter import __version__
    assert f"case2fhir {__version__}" in summary


def test_sections_are_shaded(made):
    _b, _f, text, _doc, _w = made
    for s in ("case", "discussion", "references"):
        assert f'class="blk sec-{s}"' in text
    assert text.count('class="sec-tag"') == 3


def test_self_contained_no_network(made):
    _b, _f, text, doc, _w = made
    assert len(doc.imgs) == 2
    for img in doc.imgs:
        assert img["src"].startswith("data:image/") and img.get("loading") == "lazy"
    assert not doc.links and all("src" not in s for s in doc.scripts)
    # no URL is fetched: the only http(s) strings are code-system / extension names in tooltips
    for url in re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', text):
        assert url.startswith("data:") or url.startswith("#"), url
    assert "@import" not in text and "url(http" not in text


def test_bundle_model_and_bytes_give_the_same_page(pdf_path):
    bundle, facts, blocks, _w = hand_made(pdf_path)
    from converter.api import to_model

    a = review(bundle, pdf_path, skipped=facts.skipped, blocks=blocks, patient=facts.patient)
    b = review(to_model(bundle), pdf_path.read_bytes(), facts=facts, blocks=blocks)
    assert Parsed(a).boxes == Parsed(b).boxes
    assert a == review(bundle, pdf_path, skipped=facts.skipped, blocks=blocks, patient=facts.patient)  # deterministic


def test_boxes_off_the_page_are_clipped_or_dropped(pdf_path):
    bundle, facts, blocks, _w = hand_made(pdf_path)
    cond = resources(bundle, "Condition")[0]
    cond["extension"].append({"url": LOCATION_URL, "extension": [
        {"url": "offset", "valueInteger": 0}, {"url": "length", "valueInteger": 1},
        {"url": "page", "valueInteger": 9}, {"url": "x0", "valueDecimal": 1}, {"url": "top", "valueDecimal": 1},
        {"url": "x1", "valueDecimal": 2}, {"url": "bottom", "valueDecimal": 2}]})
    cond["extension"].append({"url": LOCATION_URL, "extension": [
        {"url": "offset", "valueInteger": 0}, {"url": "length", "valueInteger": 1},
        {"url": "page", "valueInteger": 1}, {"url": "x0", "valueDecimal": 500}, {"url": "top", "valueDecimal": 800},
        {"url": "x1", "valueDecimal": 900}, {"url": "bottom", "valueDecimal": 1200}]})
    text = review(bundle, pdf_path)
    doc = Parsed(text)
    assert "1 box(es) point outside the rendered pages" in text
    for box in doc.boxes:
        _l, _u, right, lower = doc.pages[int(box["data-page"])]
        assert float(box["data-x1"]) <= right and float(box["data-bottom"]) <= lower


def test_resource_without_location_is_listed_without_a_box(pdf_path):
    bundle, _f, _b, _w = hand_made(pdf_path)
    text = review(bundle, pdf_path)  # no patient mentions given: the Patient has no box
    doc = Parsed(text)
    patient_row = next(r for r in doc.rows if r["data-type"] == "Patient")
    assert "nobox" in patient_row["class"] and patient_row["data-boxes"] == "0"
    assert not [b for b in doc.boxes if b["data-type"] == "Patient"]


def test_collect_quotes_the_words_read(pdf_path):
    bundle, _f, _b, _w = hand_made(pdf_path)
    items = {it.key.split("/")[0] + ":" + it.display: it for it in collect(bundle)}
    assert items["MedicationStatement:prednisolone"].quote == "prednisolone"
    assert items["Observation:Creatine kinase"].value == "952 U/L"


def test_errors_are_converter_errors(tmp_path, pdf_path):
    from converter.errors import ConverterError, FileNotFound

    bundle, _f, _b, _w = hand_made(pdf_path)
    with pytest.raises(FileNotFound):
        review(bundle, tmp_path / "missing.pdf")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    with pytest.raises(ConverterError):
        review(bundle, bad)


def _ink_under(text, key):
    """Share of dark pixels of the page image under the first box of ``key`` (mapped as the browser does)."""
    import base64
    import io

    from PIL import Image

    doc = Parsed(text)
    box = next(b for b in doc.boxes if b["data-key"] == key)
    page = int(box["data-page"])
    img_attr = doc.imgs[page - 1]
    img = Image.open(io.BytesIO(base64.b64decode(img_attr["src"].split(",", 1)[1]))).convert("L")
    left, upper, right, lower = doc.pages[page]
    sx, sy = img.width / (right - left), img.height / (lower - upper)
    crop = img.crop((round((float(box["data-x0"]) - left) * sx), round((float(box["data-top"]) - upper) * sy),
                     round((float(box["data-x1"]) - left) * sx), round((float(box["data-bottom"]) - upper) * sy)))
    pixels = list(crop.tobytes())
    return sum(1 for v in pixels if v < 128) / max(1, len(pixels))


def test_boxes_sit_on_the_words_in_the_image_also_with_a_crop_box(pdf_path, tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    bundle, facts, blocks, _w = hand_made(pdf_path)
    med = resources(bundle, "MedicationStatement")[0]
    key = f"MedicationStatement/{med['id']}"
    plain = _ink_under(review(bundle, pdf_path, facts=facts), key)
    assert plain > 0.08  # the word's glyphs are under the box
    cropped_pdf = tmp_path / "cropped.pdf"
    d = pdfium.PdfDocument(str(pdf_path))
    for page in d:
        page.set_cropbox(50, 100, 500, 800)  # PDF units, origin bottom-left
    d.save(str(cropped_pdf))
    d.close()
    text = review(bundle, cropped_pdf, facts=facts)
    left, upper, right, lower = Parsed(text).pages[1]
    assert (round(left), round(upper), round(right), round(lower)) == (50, 42, 500, 742)
    assert abs(_ink_under(text, key) - plain) < 0.03  # the same words under the box, not shifted


def test_page_images_png_for_text_webp_or_jpeg_for_photos():
    from PIL import Image

    from converter.review import encode_page

    text_page = Image.new("RGB", (200, 280), "white")
    for x in range(20, 180, 7):
        text_page.putpixel((x, 40), (0, 0, 0))
        text_page.putpixel((x, 41), (90, 90, 200))
    assert encode_page(text_page)[0] == "image/png"
    grey = Image.linear_gradient("L").convert("RGB")  # 256 grey levels
    assert encode_page(grey)[0] == "image/png"
    import random

    rnd = random.Random(9)
    photo = Image.new("RGB", (120, 120))
    photo.putdata([(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)) for _ in range(120 * 120)])
    assert encode_page(photo)[0] in ("image/webp", "image/jpeg")


# ---------------------------------------------------------------- the reference case report
@functools.lru_cache(maxsize=1)
def reference():
    """(pdf path, bundle, facts, document, seconds) of the reference case report, converted once per run."""
    import time

    from converter.api import Converter
    from tests.shared import shared_path

    pdf = shared_path("pdfs", "seed", "calcinosis_cutis.pdf")
    conv = Converter()
    t0 = time.monotonic()
    bundle, facts, document = conv.convert_pdf_full(pdf)
    return pdf, bundle, facts, document, time.monotonic() - t0


def test_review_of_the_reference_case_report():
    pdf, bundle, facts, document, elapsed = reference()
    text = review(bundle, pdf, facts=facts, document=document, elapsed=elapsed)
    doc = Parsed(text)
    reviewed = resources(bundle, "Patient", "Condition", "Observation", "MedicationStatement")
    rids = {r.get("data-rid") for r in doc.rows}
    assert all(r["id"] in rids for r in reviewed)
    assert set(doc.pages) == set(range(1, document.pages + 1))
    for box in doc.boxes:
        left, upper, right, lower = doc.pages[int(box["data-page"])]
        assert left <= float(box["data-x0"]) < float(box["data-x1"]) <= right
        assert upper <= float(box["data-top"]) < float(box["data-bottom"]) <= lower
    # every located Condition/Observation/MedicationStatement has at least one box drawn
    for r in resources(bundle, "Condition", "Observation", "MedicationStatement"):
        if location_boxes(r):
            assert any(b["data-key"] == f"{r['resourceType']}/{r['id']}" for b in doc.boxes), r["id"]
    # the skipped facts are listed, and the sections of the blocks are shaded
    assert sum(1 for r in doc.rows if r["data-type"] == "Skipped") == len(facts.skipped)
    assert {b.section for b in document.blocks} <= set(re.findall(r'class="blk sec-([\w-]+)"', text))
    assert len(text) < 1_500_000


def test_cli_review_writes_the_page(tmp_path):
    from typer.testing import CliRunner

    from converter.cli import app

    pdf = reference()[0]
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["review", str(pdf), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "case2fhir review" in page
    assert 'data-type="MedicationStatement"' in page


def test_cli_review_missing_file(tmp_path):
    from typer.testing import CliRunner

    from converter.cli import app

    result = CliRunner().invoke(app, ["review", str(tmp_path / "nope.pdf"), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "FILE_NOT_FOUND" in result.output
    assert not (tmp_path / "r.html").exists()


def test_twenty_pages_stay_small(tmp_path):
    """A 20-page PDF (the first 20 pages of the shared 120-page file): lossless PNG page images of a
    few tens of KB each, every one lazy, the whole page well under 2 MB."""
    pdfium = pytest.importorskip("pypdfium2")
    from tests.shared import shared_path

    src = pdfium.PdfDocument(str(shared_path("pdfs", "bad", "long_120_pages.pdf")))
    dst = pdfium.PdfDocument.new()
    dst.import_pages(src, list(range(20)))
    pdf = tmp_path / "twenty.pdf"
    dst.save(str(pdf))
    dst.close()
    src.close()
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": {"resourceType": "Patient", "id": "p"}}]}
    text = review(bundle, pdf)
    doc = Parsed(text)
    assert len(doc.imgs) == 20 and all(i.get("loading") == "lazy" for i in doc.imgs)
    assert len(text.encode("utf-8")) < 2_000_000


def _data(text):
    from converter.review import unpack

    data = unpack(text)
    assert data
    return data


def test_inspector_data_holds_each_resource_and_skipped_fact(made):
    bundle, facts, text, doc, _w = made
    data = _data(text)
    for r in resources(bundle, "Patient", "Condition", "Observation", "MedicationStatement"):
        key = f"{r['resourceType']}/{r['id']}"
        assert data[key]["id"] == r["id"]
    assert {k for k in data if k.startswith("skipped-")} == {"skipped-1", "skipped-2"}
    assert data["skipped-1"]["reason"] == facts.skipped[0].reason and data["skipped-1"]["boxes"][0]["page"] == 2
    assert {r["data-key"] for r in doc.rows} == set(data)


def test_text_from_the_pdf_cannot_break_out_of_the_page(pdf_path):
    bundle, facts, blocks, _w = hand_made(pdf_path)
    evil = '</script><script>alert(1)</script><img src=x onerror=alert(2)>"\u2028'
    resources(bundle, "Condition")[0]["code"]["coding"][0]["display"] = evil
    facts.skipped[0].reason = evil
    text = review(bundle, pdf_path, facts=facts, blocks=blocks)
    assert "<script>alert" not in text and "<img src=x" not in text
    assert text.count("<script") == 2  # the data block and the page's own script
    data = _data(text)
    assert any(v.get("code", {}).get("coding", [{}])[0].get("display") == evil for v in data.values())
    assert data["skipped-1"]["reason"] == evil


def test_file_object_and_generator_inputs(pdf_path):
    bundle, facts, blocks, _w = hand_made(pdf_path)
    with open(pdf_path, "rb") as fh:
        fh.read()  # as if the converter had read it
        text = review(bundle, fh, skipped=(s for s in facts.skipped), blocks=iter(blocks), patient=facts.patient)
    assert len(Parsed(text).imgs) == 2
    assert {"skipped-1", "skipped-2"} <= set(_data(text))


def test_collect_labels_the_status_evidence_of_a_stopped_drug():
    text = "Prednisolone 60 mg daily was started. Prednisolone was discontinued."
    first, stop = (Mention(s, s + 12, text[s:s + 12], "case") for s in (0, text.index("Prednisolone was")))
    f = Facts()
    f.medications.append(MedicationFact("drug:p", "prednisolone", "drug:p", [first, stop], status="stopped",
                                        status_mentions=[stop]))
    bundle = BundleBuilder(StubT()).build(f, SourceDocument(sha256="ef" * 32, text=text, title="T", pages=1),
                                          BundleOptions())
    item = next(it for it in collect(bundle) if it.rtype == "MedicationStatement")
    assert item.quote == "Prednisolone / status evidence (stopped): Prednisolone"
    assert "stopped" in item.status
