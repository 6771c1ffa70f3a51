"""Every file of ../shared/pdfs/bad: a documented error code and one-line message, or a normal
conversion; plus the configurable limits."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest

from converter import errors
from converter.pdf import ReadSettings, read_pdf
from tests.shared import shared_path


def bad(name):
    return shared_path("pdfs", "bad", name)


@pytest.mark.parametrize("name, error, code", [
    ("empty.pdf", errors.EmptyFile, "EMPTY_FILE"),
    ("not_a_pdf.pdf", errors.NotAPdf, "NOT_A_PDF"),
    ("truncated.pdf", errors.CorruptPdf, "CORRUPT_PDF"),
    ("encrypted_user_password.pdf", errors.EncryptedPdf, "ENCRYPTED"),
    ("scanned_image_only.pdf", errors.NoTextLayer, "NO_TEXT_LAYER"),
    ("no_tounicode.pdf", errors.UndecodableText, "UNDECODABLE_TEXT"),
    ("blank_page.pdf", errors.NoText, "NO_TEXT"),
])
def test_bad_file_raises_documented_error(name, error, code):
    with pytest.raises(error) as info:
        read_pdf(bad(name))
    assert info.value.code == code
    line = info.value.one_line()
    assert "\n" not in line and code in line


def test_scanned_suggests_ocr_and_undecodable_says_why():
    with pytest.raises(errors.NoTextLayer) as info:
        read_pdf(bad("scanned_image_only.pdf"))
    assert "OCR" in info.value.one_line()
    with pytest.raises(errors.UndecodableText) as info:
        read_pdf(bad("no_tounicode.pdf"))
    assert "Unicode" in info.value.message and "OCR" in info.value.one_line()


def test_encrypted_opens_with_password_and_wrong_password_is_refused():
    doc = read_pdf(bad("encrypted_user_password.pdf"), ReadSettings(password="secret"))
    assert any(b.kind == "paragraph" for b in doc.blocks)
    with pytest.raises(errors.EncryptedPdf) as info:
        read_pdf(bad("encrypted_user_password.pdf"), ReadSettings(password="nope"))
    assert "wrong" in info.value.message


@pytest.mark.parametrize("name, pages", [("encrypted_owner_only.pdf", 3), ("corrupt_xref.pdf", 2), ("huge_page.pdf", 1)])
def test_readable_oddities_convert(name, pages):
    doc = read_pdf(bad(name))
    assert doc.pages == pages
    assert sum(len(b.text) for b in doc.blocks if b.kind == "paragraph") > 200


def test_huge_page_text_is_read_in_order():
    doc = read_pdf(bad("huge_page.pdf"))
    paras = [b for b in doc.blocks if b.kind == "paragraph"]
    assert len(paras) >= 1 and doc.title
    assert not any(b.kind in ("header", "footer") for b in doc.blocks if len(b.text) > 80)


def test_corrupt_xref_equals_intact_reading():
    # pdfminer recovers the objects; the text must not depend on the broken offsets
    doc = read_pdf(bad("corrupt_xref.pdf"))
    assert doc.text.count("\n\n") == len(doc.blocks) - 1
    assert any("cross-reference" in w for w in doc.warnings)
    assert any(b.kind == "table" for b in doc.blocks)


def test_long_file_limits():
    with pytest.raises(errors.LimitExceeded) as info:
        read_pdf(bad("long_120_pages.pdf"), ReadSettings(max_pages=50))
    assert "max_pages" in info.value.message and info.value.exit_code == 4


def test_chars_per_page_limit():
    with pytest.raises(errors.LimitExceeded) as info:
        read_pdf(bad("huge_page.pdf"), ReadSettings(max_chars_per_page=100))
    assert "max_chars_per_page" in info.value.message


def test_time_limit():
    with pytest.raises(errors.LimitExceeded) as info:
        read_pdf(bad("long_120_pages.pdf"), ReadSettings(max_seconds=0.05))
    assert "max_seconds" in info.value.message


def test_bytes_limit_and_sources():
    data = bad("huge_page.pdf").read_bytes()
    with pytest.raises(errors.LimitExceeded):
        read_pdf(data, ReadSettings(max_bytes=1000))
    a = read_pdf(data)
    b = read_pdf(io.BytesIO(data))
    c = read_pdf(str(bad("huge_page.pdf")))
    assert a.text == b.text == c.text and a.sha256 == c.sha256


def test_missing_file():
    with pytest.raises(errors.FileNotFound):
        read_pdf("/nonexistent/dir/file.pdf")


def test_whitespace_and_garbage_bytes():
    with pytest.raises(errors.EmptyFile):
        read_pdf(b"   \n")
    with pytest.raises(errors.NotAPdf):
        read_pdf(b"GIF89a....")
    with pytest.raises(errors.CorruptPdf):
        read_pdf(b"%PDF-1.7\n1 0 obj << /Type /Catalog")


@pytest.mark.parametrize("name, code, exit_code", [("empty.pdf", "EMPTY_FILE", 3), ("no_tounicode.pdf", "UNDECODABLE_TEXT", 3),
                                                   ("truncated.pdf", "CORRUPT_PDF", 3)])
def test_cli_prints_one_line_and_exit_code(name, code, exit_code):
    p = subprocess.run([sys.executable, "-m", "converter.pdf", str(bad(name))], capture_output=True, text=True)
    assert p.returncode == exit_code
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and code in lines[0] and "Traceback" not in p.stderr


def test_content_stream_limit():
    with pytest.raises(errors.LimitExceeded) as info:
        read_pdf(bad("huge_page.pdf"), ReadSettings(max_content_bytes=100))
    assert "max_content_bytes" in info.value.message
