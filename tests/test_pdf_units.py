"""Unit tests of the PDF layer's rules: hyphen joining, Unicode normalisation, gutters."""
from __future__ import annotations

import pytest

from converter.pdf import classify
from converter.pdf.layout import Ch, Frag, Word, find_gutters, font_info, make_words
from converter.pdf.textbuild import HyphenRules, norm_char


def rules(vocab=(), hyph=()):
    cfg = classify.config()
    return HyphenRules(set(vocab), set(hyph), cfg.keep_prefixes, cfg.keep_suffixes)


@pytest.mark.parametrize("left, right, glue", [
    ("pre-", "sented", ""), ("labo-", "ratory", ""), ("regur-", "gitation", ""), ("contin-", "ues", ""),
    ("anti-", "Jo1", "-"), ("IL-", "6", "-"), ("low-", "amplitude", "-"), ("short-", "duration", "-"),
    ("intra-", "arterially", "-"), ("anti-", "inflammatory", "-"), ("right-to-", "left", "-"),
    ("CD4-", "positive", "-"), ("dose-", "dependent", "-"), ("Wolff–", "Parkinson", " "), ("and", "then", " "),
    ("(pre-", "sented", ""), ("ex-", "ception", ""),
])
def test_hyphen_rules(left, right, glue):
    assert rules().join(left, right) == glue


def test_hyphen_rules_use_the_document_vocabulary():
    r = rules(vocab={"postoperative"}, hyph={"follow-up"})
    assert r.join("postop-", "erative") == ""
    assert r.join("post-", "operative") == ""
    assert r.join("follow-", "up") == "-"


def test_norm_char():
    assert norm_char("\ufb01") == "fi" and norm_char("\ufb02") == "fl" and norm_char("\ufb03") == "ffi"
    assert norm_char("\u00a0") == " " and norm_char("\u200b") == "" and norm_char("(cid:12)") == ""
    assert norm_char("µ") == "µ" and norm_char("×") == "×" and norm_char("–") == "–"


def test_font_info():
    assert font_info("ABCDEF+DejaVuSerif-Bold") == ("DejaVuSerif", True, False)
    assert font_info("Times-Italic")[2] and not font_info("Times-Roman")[1]


def _ch(t, x, top, size=10.0, font="Times-Roman"):
    return Ch(t, x, top, x + size * 0.5, top + size, size, font)


def test_words_split_at_superscripts_and_gaps():
    chars = [_ch("a", 0, 0), _ch("b", 5, 0), _ch("1", 10, -2, size=6), _ch(",", 13, 0), _ch(" ", 18, 0),
             _ch("c", 23, 0)]
    assert [w.text for w in make_words(chars)] == ["ab", "1", ",", "c"]


def _frag(x0, x1, top, size=10.0):
    w = Word([Ch("x", x0, top, x1, top + size, size, "Times-Roman")])
    return Frag(w)


def test_gutter_found_between_columns_under_a_full_width_block():
    frags = [_frag(50, 550, 50), _frag(50, 550, 64)]  # full-width title / abstract
    for i in range(20):
        frags.append(_frag(50, 290, 100 + i * 12))
        frags.append(_frag(310, 550, 104 + i * 12))  # baselines not aligned with the left column
    zones = find_gutters(frags, 10.0)
    assert len(zones) == 1
    z = zones[0]
    assert 290 <= z.xc <= 310 and z.y0 >= 70


def test_no_gutter_in_one_column_text():
    frags = [_frag(50, 550 - (i % 3) * 40, 100 + i * 12) for i in range(30)]
    assert find_gutters(frags, 10.0) == []


def test_three_columns():
    frags = []
    for i in range(15):
        for x0 in (40, 220, 400):
            frags.append(_frag(x0, x0 + 165, 100 + i * 12 + x0 / 100))
    zones = find_gutters(frags, 10.0)
    xs = sorted({round(z.xc) for z in zones})
    assert len(xs) == 2 and 205 <= xs[0] <= 220 and 385 <= xs[1] <= 400


def test_section_names():
    cfg = classify.config()
    assert classify.section_of("CASE REPORT", cfg) == "case"
    assert classify.section_of("2. Case presentation", cfg) == "case"
    assert classify.section_of("Discussion and conclusions", cfg) == "discussion"
    assert classify.section_of("REFERENCES", cfg) == "references"
    assert classify.section_of("1. Introduction", cfg) == "background"
    assert classify.section_of("Conclusion:", cfg) == "conclusion"
    assert classify.section_of("Pathophysiology of the thing", cfg) is None


def test_run_in_headings_start_sections():
    from converter.pdf.classify import _RUN_IN, heading_name

    cfg = classify.config()

    def sec(t):
        m = _RUN_IN.match(t)
        return m and cfg.sections.get(heading_name(m.group(1), cfg))

    assert sec("Case presentation: A 45-year-old man") == "case"
    assert sec("DISCUSSION. The lesion is rare") == "discussion"
    assert sec("The patient. He was well") is None


def _line(cells, top, size=9.0):
    from converter.pdf.layout import _line_from

    frags = []
    for x0, text in cells:
        ws = []
        x = x0
        for t in text.split():
            ws.append(Word([Ch(c, x + i * 5, top, x + i * 5 + 5, top + size, size, "Helvetica") for i, c in enumerate(t)]))
            x += 5 * len(t) + 3
        f = Frag(ws[0])
        for w in ws[1:]:
            f.add(w)
        frags.append(f)
    return _line_from(frags)


def test_text_table_from_aligned_short_fragments():
    from converter.pdf.layout import find_text_tables

    rows = [("Test", "Value", "Range"), ("Sodium", "131 mmol/L", "135-145"), ("Potassium", "5.3 mmol/L", "3.5-5.1"),
            ("Urea", "68 mg/dL", "15-45")]
    lines = [_line([(72, a), (220, b), (340, c)], 100 + 14 * i) for i, (a, b, c) in enumerate(rows)]
    out = find_text_tables(lines)
    assert len(out) == 1 and out[0].table is not None
    assert out[0].table.rows == [list(r) for r in rows]


def test_justified_text_is_not_a_table():
    from converter.pdf.layout import find_text_tables

    lines = [_line([(72, "The next day, a"), (170, "two-dimensional")], 100),
             _line([(72, "echocardiography (2D"), (185, "Echo) was per-")], 112),
             _line([(72, "formed, which showed"), (180, "left ventricular")], 124)]
    assert all(l.table is None for l in find_text_tables(lines))


def test_garbage_text_layer_is_recognised():
    import codecs

    from converter.pdf.reader import _looks_like_garbage

    prose = ("The patient was admitted with a fever of three days and a cough. On examination the chest was "
             "clear and the abdomen was soft. Laboratory tests showed a raised white cell count. ") * 12
    assert not _looks_like_garbage(prose)
    assert _looks_like_garbage(codecs.encode(prose, "rot13"))
    assert not _looks_like_garbage("xq zz")  # too short to judge
