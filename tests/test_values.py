"""Table-driven tests of converter.nlp.values: lab / vital-sign phrases with the fields expected."""
from __future__ import annotations

import time

import pytest

from converter.errors import MappingError
from converter.nlp import values as V
from converter.nlp.values import LabValue, attach_values, find_values, parse_number, ucum_code

THIN, HAIR, FOUR = "\u2009", "\u200a", "\u2005"


def _mentions(text: str, names: list[str]) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for n in names:
        i = text.index(n, pos)
        out.append((i, i + len(n), n.lower()))
        pos = i + len(n)
    return out


def _run(text: str, names: list[str]) -> dict[str, list[LabValue]]:
    ms = _mentions(text, names)
    got = attach_values(text, 0, len(text), ms)
    return {names[i]: v for i, v in got.items()}


# (sentence, lab names in order, {name: [expected fields of each value]}); "span" is text[start:end];
# a name missing from the expectation must get no value.
CASES = [
    ("creatine kinase (952 U/L)", ["creatine kinase"], {"creatine kinase": [dict(value=952.0, unit="U/L", span="952 U/L")]}),
    ("CK 952 U/L", ["CK"], {"CK": [dict(value=952.0, value_text="952", unit="U/L")]}),
    ("CK of 952 U/L (normal < 170)", ["CK"], {"CK": [dict(value=952.0, ref_high=170.0, ref_low=None, interpretation="H", ref_text="normal < 170")]}),
    ("hemoglobin 8.2 g/dL (12-16)", ["hemoglobin"], {"hemoglobin": [dict(value=8.2, unit="g/dL", ref_low=12.0, ref_high=16.0, interpretation="L")]}),
    ("WBC 15.3 x 10^9/L", ["WBC"], {"WBC": [dict(value=15.3, unit="x 10^9/L")]}),
    ("platelets 45,000/µL", ["platelets"], {"platelets": [dict(value=45000.0, value_text="45,000", unit="/µL")]}),
    ("sodium 128 mmol/L", ["sodium"], {"sodium": [dict(value=128.0, unit="mmol/L")]}),
    ("HbA1c 9.1%", ["HbA1c"], {"HbA1c": [dict(value=9.1, unit="%")]}),
    ("ANA 1:640 speckled", ["ANA"], {"ANA": [dict(value=None, value_string="1:640 speckled", span="1:640 speckled")]}),
    ("anti-Jo1 negative", ["anti-Jo1"], {"anti-Jo1": [dict(qualitative="negative", interpretation="NEG", span="negative")]}),
    ("elevated ESR (80 mm/h)", ["ESR"], {"ESR": [dict(value=80.0, unit="mm/h", interpretation="H", interp_word="elevated")]}),
    ("AST/ALT 109/62 U/L", ["AST", "ALT"], {"AST": [dict(value=109.0, unit="U/L", span="109")], "ALT": [dict(value=62.0, unit="U/L", span="62")]}),
    ("AST and ALT were 109 and 62 U/L, respectively", ["AST", "ALT"],
     {"AST": [dict(value=109.0, unit="U/L")], "ALT": [dict(value=62.0, unit="U/L")]}),
    ("AST 109 U/L; ALT 62 U/L", ["AST", "ALT"], {"AST": [dict(value=109.0, unit="U/L")], "ALT": [dict(value=62.0, unit="U/L")]}),
    ("Anti-Jo1 was negative.", ["Anti-Jo1"], {"Anti-Jo1": [dict(qualitative="negative", interpretation="NEG")]}),
    ("She was positive for ANA.", ["ANA"], {"ANA": [dict(qualitative="positive", interpretation="POS", span="positive")]}),
    ("positive for ANA and anti-dsDNA", ["ANA", "anti-dsDNA"],
     {"ANA": [dict(qualitative="positive")], "anti-dsDNA": [dict(qualitative="positive")]}),
    ("ANA were positive", ["ANA"], {"ANA": [dict(qualitative="positive", interpretation="POS")]}),
    ("CRP, ESR and thyroid function were normal", ["CRP", "ESR", "thyroid function"],
     {"CRP": [dict(value=None, interpretation="N", span="normal")], "ESR": [dict(interpretation="N")], "thyroid function": [dict(interpretation="N")]}),
    ("Blood tests showed elevated liver enzymes.", ["liver enzymes"], {"liver enzymes": [dict(value=None, interpretation="H", span="elevated")]}),
    ("blood pressure 120/80 mmHg", ["blood pressure"],
     {"blood pressure": [dict(value=None, unit="mmHg", components=[120.0, 80.0], component_names=["systolic", "diastolic"])]}),
    ("On admission, CK was 952 U/L and increased to 3000 U/L on day 3.", ["CK"],
     {"CK": [dict(value=952.0, effective_text="On admission"), dict(value=3000.0, effective_text="on day 3", interpretation="H")]}),
    ("hemoglobin was 86" + HAIR + "g/L (Normal: 135–175" + HAIR + "g/L)", ["hemoglobin"],
     {"hemoglobin": [dict(value=86.0, unit="g/L", ref_low=135.0, ref_high=175.0, interpretation="L")]}),
    ("leukocytes 13" + THIN + "×" + THIN + "109/mL, platelets 97" + THIN + "×" + THIN + "103/mm3", ["leukocytes", "platelets"],
     {"leukocytes": [dict(value=13.0, unit="× 109/mL")], "platelets": [dict(value=97.0, unit="× 103/mm3")]}),
    ("a raised creatine kinase of 2700" + THIN + "U/l (normal 24–195)", ["creatine kinase"],
     {"creatine kinase": [dict(value=2700.0, unit="U/l", interpretation="H", interp_word="raised", ref_low=24.0, ref_high=195.0)]}),
    ("low iron (<10 ug/dl)", ["iron"], {"iron": [dict(value=10.0, comparator="<", unit="ug/dl", interpretation="L")]}),
    ("heart rate 88 beats/min, temperature 38.5" + THIN + "°C", ["heart rate", "temperature"],
     {"heart rate": [dict(value=88.0, unit="beats/min")], "temperature": [dict(value=38.5, unit="°C")]}),
    ("Fasting lactate was elevated at 3.8" + FOUR + "mmol/L.", ["lactate"],
     {"lactate": [dict(value=3.8, unit="mmol/L", interpretation="H", interp_word="elevated")]}),
]


def _check(text, got: LabValue, exp: dict):
    for key, want in exp.items():
        if key == "span":
            assert text[got.start:got.end] == want, (key, text[got.start:got.end])
        elif key == "interp_word":
            assert got.interp_span is not None and text[got.interp_span[0]:got.interp_span[1]] == want
        elif key == "components":
            assert got.components is not None and [c.value for c in got.components] == want
        else:
            assert getattr(got, key) == want, (key, getattr(got, key), want)


@pytest.mark.parametrize("text,names,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_lab_phrase(text, names, expected):
    got = _run(text, names)
    assert set(got) == set(expected), (set(got), set(expected))
    for name, exps in expected.items():
        assert len(got[name]) == len(exps), [text[v.start:v.end] for v in got[name]]
        for g, e in zip(got[name], exps):
            _check(text, g, e)


def test_parse_number_keeps_value():
    assert parse_number("45,000") == 45000.0
    assert parse_number("952") == 952.0
    assert parse_number("8.2") == 8.2
    assert parse_number("74,2") == 74.2
    assert parse_number("12" + THIN + "000") == 12000.0


def test_find_values_window_and_offsets():
    text = "Labs: CK 952 U/L (normal < 170), sodium 128 mmol/L."
    vals = find_values(text, 0, len(text))
    assert [text[v.start:v.end] for v in vals] == ["952 U/L", "128 mmol/L"]
    assert vals[0].ref_high == 170.0 and vals[0].interpretation == "H"


def test_ucum():
    assert ucum_code("mg/dl") == "mg/dL"
    assert ucum_code("x 10^9/L") == "10*9/L"
    assert ucum_code("°C") == "Cel"
    assert ucum_code("furlongs") is None


def test_mapping_validation(monkeypatch):
    bad = {"unit_atoms": []}
    with pytest.raises(MappingError):
        V._check(bad)


def test_fast():
    text = ("Laboratory tests revealed hemoglobin 12.3 g/dL, leukocytes 13 × 10^9/L, platelets 97 × 10^3/mm3, "
            "CK 952 U/L (normal < 170), AST/ALT 109/62 U/L and CRP 37.7 mg/L on admission.")
    names = ["hemoglobin", "leukocytes", "platelets", "CK", "AST", "ALT", "CRP"]
    ms = _mentions(text, names)
    attach_values(text, 0, len(text), ms)
    t = time.perf_counter()
    for _ in range(200):
        attach_values(text, 0, len(text), ms)
    assert (time.perf_counter() - t) / 200 < 0.01
