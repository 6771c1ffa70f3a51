"""Table-driven tests of converter.nlp.sig: medication sigs with the fields expected."""
from __future__ import annotations

import time

import pytest

from converter.errors import MappingError
from converter.nlp import sig as S
from converter.nlp.sig import Sig, parse_sig, route_coding

THIN, HAIR, FOUR = "\u2009", "\u200a", "\u2005"


def _parse(text: str, drug: str) -> Sig | None:
    i = text.index(drug)
    return parse_sig(text, i + len(drug), len(text), before=(0, i))


# (sentence, drug, expected fields); "text" is text[start:end]; None = no sig at all
CASES = [
    ("prednisone 60mg daily", "prednisone", dict(dose_value=60.0, dose_unit="mg", frequency=1, period=1.0, period_unit="d", text="60mg daily")),
    ("IVIG 400 mg/kg/day for 5 days", "IVIG", dict(dose_value=400.0, dose_unit="mg/kg/day", duration_value=5.0, duration_unit="d")),
    ("ceftriaxone 2 g IV q8h", "ceftriaxone", dict(dose_value=2.0, dose_unit="g", route="intravenous", frequency=1, period=8.0, period_unit="h", text="2 g IV q8h")),
    ("infliximab 5 mg/kg every 4 weeks", "infliximab", dict(dose_value=5.0, dose_unit="mg/kg", frequency=1, period=4.0, period_unit="wk")),
    ("He was started on oral carnitine 1" + FOUR + "g twice daily.", "carnitine",
     dict(dose_value=1.0, dose_unit="g", route="oral", frequency=2, period=1.0, period_unit="d", status="active")),
    ("He was treated with 1 g of IV methylprednisolone daily for 5 days, with", "methylprednisolone",
     dict(dose_value=1.0, dose_unit="g", route="intravenous", frequency=1, period_unit="d", duration_value=5.0, duration_unit="d")),
    ("prednisone 60 mg daily for several months and eventually tapered to 10 mg daily.", "prednisone",
     dict(dose_value=60.0, frequency=1, taper="tapered to 10 mg daily")),
    ("furosemide (20" + HAIR + "mg daily, i.v.), and", "furosemide",
     dict(dose_value=20.0, dose_unit="mg", route="intravenous", frequency=1, text="20" + HAIR + "mg daily, i.v.")),
    ("sildenafil (20" + HAIR + "mg 3 times a day) and", "sildenafil", dict(dose_value=20.0, frequency=3, period=1.0, period_unit="d")),
    ("tazobactam/piperacillin (TAZ/PIPC) (4.5g q12h) was administered.", "tazobactam/piperacillin",
     dict(dose_value=4.5, dose_unit="g", frequency=1, period=12.0, period_unit="h", text="4.5g q12h")),
    ("oral ribavirin 400 mg q 12 h while maintaining antibiotics.", "ribavirin",
     dict(dose_value=400.0, route="oral", frequency=1, period=12.0, period_unit="h")),
    ("Ibuprofen (1,200 mg/d) and", "Ibuprofen", dict(dose_value=1200.0, dose_unit="mg/d", text="1,200 mg/d")),
    ("acetaminophen (as needed) were begun.", "acetaminophen", dict(as_needed=True, status="active")),
    ("R-CHOP (6 cycles)", "R-CHOP", dict(cycles=6, text="6 cycles")),
    ("methotrexate was discontinued", "methotrexate", dict(status="stopped", dose_value=None, text="")),
    ("Five hundred milligrams of VPA twice per day was initiated", "VPA", dict(dose_value=500.0, dose_unit="milligrams", frequency=2, status="active")),
    ("rituximab 375mg/m2/day for 1 day,", "rituximab", dict(dose_value=375.0, dose_unit="mg/m2/day", duration_value=1.0, duration_unit="d")),
    ("adefovir dipivoxil 10" + HAIR + "mg qd for 6 years.", "adefovir dipivoxil",
     dict(dose_value=10.0, frequency=1, period_unit="d", duration_value=6.0, duration_unit="a")),
    ("Azathioprine was planned.", "Azathioprine", dict(status="intended")),
    ("She refused chemotherapy.", "chemotherapy", dict(status="not-taken")),
    ("switched to adalimumab 40 mg SC every other week", "adalimumab",
     dict(dose_value=40.0, route="subcutaneous", frequency=1, period=2.0, period_unit="wk", status="active")),
    ("intralesional triamcinolone 10 mg/mL monthly", "triamcinolone", dict(route="intralesional", frequency=1, period=1.0, period_unit="mo")),
    ("topical clobetasol twice daily", "clobetasol", dict(route="topical", frequency=2, period_unit="d")),
    ("The patient had a rash.", "rash", None),
]


def _check(text, got: Sig, exp: dict):
    for key, want in exp.items():
        if key == "text":
            assert text[got.start:got.end] == want, (text[got.start:got.end], want)
        else:
            assert getattr(got, key) == want, (key, getattr(got, key), want)


@pytest.mark.parametrize("text,drug,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_sig(text, drug, expected):
    got = _parse(text, drug)
    if expected is None:
        assert got is None
        return
    assert got is not None
    _check(text, got, expected)


def test_route_codes():
    assert route_coding("oral") == {"system": "http://snomed.info/sct", "code": "26643006", "display": "Oral route"}
    assert route_coding("intravenous")["code"] == "47625008"
    assert route_coding("intralesional")["code"] == "372466002"
    assert route_coding("nowhere") is None


def test_mapping_validation():
    with pytest.raises(MappingError):
        S._check({"routes": {"oral": {"code": "x", "display": "Oral", "words": ["po"]}}})


def test_fast():
    text = "He was started on oral prednisone 60 mg daily for 4 weeks, then tapered to 10 mg daily."
    i = text.index("prednisone")
    parse_sig(text, i + 10, len(text), before=(0, i))
    t = time.perf_counter()
    for _ in range(300):
        parse_sig(text, i + 10, len(text), before=(0, i))
    assert (time.perf_counter() - t) / 300 < 0.005
