"""Layouts the shared corpus does not cover, from tests/pdf_fixtures/make_fixtures.py (reportlab):
three columns under a full-width abstract, rotated pages, a table split across pages, a full-width
caption between two column zones."""
from __future__ import annotations

import difflib
import json
import re
import unicodedata
from pathlib import Path

import pytest

from converter.pdf import read_pdf

FIX = Path(__file__).resolve().parent / "pdf_fixtures"
BODY = ("paragraph", "list")


def words(text):
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower())


def load(name):
    return read_pdf(FIX / f"{name}.pdf"), json.loads((FIX / f"{name}.expected.json").read_text(encoding="utf-8"))


def body(doc):
    return " ".join(b.text for b in doc.blocks if b.kind in BODY)


def in_order(a, b):
    return sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


@pytest.mark.parametrize("name", ["three_columns", "rotated_pages", "table_split", "twocol_wide", "booktabs_table"])
def test_body_words_in_order(name):
    doc, exp = load(name)
    got, want = words(body(doc)), words(" ".join(exp["body"]))
    assert got == want


@pytest.mark.parametrize("name", ["three_columns", "table_split", "twocol_wide"])
def test_headings_and_extras(name):
    doc, exp = load(name)
    assert [b.text for b in doc.blocks if b.kind == "heading"] == exp["headings"]
    text = body(doc)
    for extra in exp["not_body"]:
        assert extra not in text, extra


def test_three_columns_sections_and_superscripts():
    doc, exp = load("three_columns")
    for prefix, section in exp["sections"].items():
        blk = next(b for b in doc.blocks if b.kind in BODY and b.text.startswith(prefix))
        assert blk.section == section, prefix
    text = body(doc)
    assert "infection that carries" in text and "on suspicion." in text and "risk factors for" in text
    assert "broad-spectrum" in text and "negative-pressure" in text and "low-attenuation" in text
    assert "immediate" in text  # words drawn glyph by glyph, without space characters
    assert [b.kind for b in doc.blocks if "Received 3 March" in b.text] == ["footnote"]
    assert sum(1 for b in doc.blocks if b.kind == "reference") >= 4


def test_three_columns_reading_order_across_columns():
    doc, exp = load("three_columns")
    paras = [b for b in doc.blocks if b.kind in BODY]
    # the three columns of page 1 are read left to right
    page1 = [b for b in paras if b.page == 1]
    xs = [b.bbox[0] for b in page1]
    assert xs == sorted(xs)


def test_rotated_pages_provenance_on_the_page():
    doc, exp = load("rotated_pages")
    paras = [b for b in doc.blocks if b.kind in BODY]
    assert [b.page for b in paras] == [1, 2, 3]
    # page 2 is shown sideways: its text runs down the page, boxes are tall and narrow
    i = doc.text.index("On examination")
    spans = doc.locate(i, i + len("On examination"))
    assert {p for p, _ in spans} == {2}
    box = (min(b[0] for _, b in spans), min(b[1] for _, b in spans), max(b[2] for _, b in spans),
           max(b[3] for _, b in spans))
    assert box[3] - box[1] > 5 * (box[2] - box[0])
    assert box[0] > 595  # x along the turned page's long side, as pdfplumber reports it
    # page 3 is a landscape page whose content is turned back: it reads normally
    i = doc.text.index("Computed tomography")
    (page, box), *_ = doc.locate(i, i + len("Computed tomography"))
    assert page == 3 and box[2] - box[0] > 5 * (box[3] - box[1])
    assert not doc.warnings or "skewed" not in " ".join(doc.warnings)


def test_table_split_across_pages_is_one_table():
    doc, exp = load("table_split")
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 1
    assert tables[0].rows == exp["tables"][0]
    cap = [b.text for b in doc.blocks if b.kind == "caption"]
    assert cap == ["Table 1. Laboratory results on admission."]


def test_wide_caption_between_column_zones_and_ligatures():
    doc, exp = load("twocol_wide")
    kinds = [(b.kind, b.text[:20]) for b in doc.blocks]
    cap = next(i for i, (k, _) in enumerate(kinds) if k == "caption")
    before = [t for k, t in kinds[:cap] if k == "paragraph"]
    after = [t for k, t in kinds[cap + 1:] if k == "paragraph"]
    assert before[-1].startswith("He underwent") and after[0].startswith("Tissue cultures")
    assert "fluid collections" in body(doc) and "twenty-first" in body(doc)
    assert not re.search("[\ufb00-\ufb06]", doc.text)
    i = doc.text.index("fluid collections")
    assert doc.char_boxes[i] == doc.char_boxes[i + 1]  # "fl" from one ligature glyph


def test_fixtures_are_reproducible(tmp_path):
    pytest.importorskip("reportlab")
    import subprocess
    import sys

    subprocess.run([sys.executable, str(FIX / "make_fixtures.py"), str(tmp_path)], check=True, capture_output=True)
    for pdf in FIX.glob("*.pdf"):
        assert (tmp_path / pdf.name).read_bytes() == pdf.read_bytes(), pdf.name


def test_table_with_horizontal_rules_only():
    doc, exp = load("booktabs_table")
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert [t.rows for t in tables] == exp["tables"]
    text = body(doc)
    for extra in exp["not_body"]:
        assert extra not in text, extra
