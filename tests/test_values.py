"""Table-driven tests of converter.nlp.values: lab / vital-sign phrases with the fields expected."""
from __future__ import annotations

import time

import pytest

from converter.errors import MappingError
from converter.nlp import values as V
from converter.nlp.values import LabValue, attach_values, find_values, parse_number, ucum_code

THIN, HAIR, FOUR, NBSP = "\u2009", "\u200a", "\u2005", "\u00a0"


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

CASES += [
    # --- numeric with unit, many spellings
    ("Serum creatinine was 1.7 mg/dl.", ["creatinine"], {"creatinine": [dict(value=1.7, unit="mg/dl", span="1.7 mg/dl")]}),
    ("plasma creatinine is 86" + HAIR + "μmol/L, with no proteinuria", ["creatinine"], {"creatinine": [dict(value=86.0, unit="μmol/L")]}),
    ("Troponin I level of 6.41 ng/ml", ["Troponin I"], {"Troponin I": [dict(value=6.41, unit="ng/ml")]}),
    ("fibrinogen 98mg/dL, total bilirubin 14.2mg/dL", ["fibrinogen", "total bilirubin"],
     {"fibrinogen": [dict(value=98.0, unit="mg/dL", span="98mg/dL")], "total bilirubin": [dict(value=14.2, unit="mg/dL")]}),
    ("C-reactive protein 37.7 mg/L and erythrocyte sedimentation rate 80 mm/h", ["C-reactive protein", "erythrocyte sedimentation rate"],
     {"C-reactive protein": [dict(value=37.7, unit="mg/L")], "erythrocyte sedimentation rate": [dict(value=80.0, unit="mm/h")]}),
    ("potassium 3.1 mEq/L", ["potassium"], {"potassium": [dict(value=3.1, unit="mEq/L")]}),
    ("TSH 0.01 mIU/L", ["TSH"], {"TSH": [dict(value=0.01, unit="mIU/L")]}),
    ("vitamin B12 level was 150 pg/mL", ["vitamin B12"], {"vitamin B12": [dict(value=150.0, unit="pg/mL")]}),
    ("ferritin of 2,350 ng/mL", ["ferritin"], {"ferritin": [dict(value=2350.0, value_text="2,350", unit="ng/mL")]}),
    ("IgE (12 000 IU/mL)", ["IgE"], {"IgE": [dict(value=12000.0, unit="IU/mL")]}),
    ("platelet count of 149,000/μL", ["platelet count"], {"platelet count": [dict(value=149000.0, unit="/μL")]}),
    ("white cell count was 8150/mm3", ["white cell count"], {"white cell count": [dict(value=8150.0, unit="/mm3")]}),
    ("WBC 15.3 × 10(9)/L", ["WBC"], {"WBC": [dict(value=15.3, unit="× 10(9)/L")]}),
    ("WBC 11.2×10^9/L", ["WBC"], {"WBC": [dict(value=11.2, unit="×10^9/L")]}),
    ("eosinophil count of 1.62×108/L", ["eosinophil count"], {"eosinophil count": [dict(value=1.62, unit="×108/L")]}),
    ("HCV RNA 2.1" + HAIR + "×" + HAIR + "106" + HAIR + "IU/mL", ["HCV RNA"], {"HCV RNA": [dict(value=2.1, unit="× 106 IU/mL")]}),
    ("lactate 22" + THIN + "mmol/l", ["lactate"], {"lactate": [dict(value=22.0, unit="mmol/l")]}),
    ("glucose 2.4 mmol/L [normal range, 2.2–4.7 mmol/L]", ["glucose"],
     {"glucose": [dict(value=2.4, ref_low=2.2, ref_high=4.7, interpretation="N")]}),
    # 'up to' after a verb of motion is the verb's particle, not an upper limit
    ("creatinine went up to 3.2 mg/dL", ["creatinine"], {"creatinine": [dict(value=3.2, unit="mg/dL", comparator=None)]}),
    ("creatinine up to 3.2 mg/dL", ["creatinine"], {"creatinine": [dict(value=3.2, unit="mg/dL", comparator="<=")]}),
    # a value written without a unit takes the unit of the range right after it; one with a unit keeps its own
    ("ferritin 1,763 (normal range: 598–1,329 ng/mL)", ["ferritin"],
     {"ferritin": [dict(value=1763.0, unit="ng/mL", ref_low=598.0, ref_high=1329.0, interpretation="H")]}),
    ("ferritin 1.7 mg/L (normal range: 598–1,329 ng/mL)", ["ferritin"], {"ferritin": [dict(value=1.7, unit="mg/L")]}),
    ("protein 61 mg/dL [normal range, 15–45 mg/dL]", ["protein"], {"protein": [dict(value=61.0, ref_low=15.0, ref_high=45.0, interpretation="H")]}),
    ("acid phosphatase (47.8 IU/L [normal range 5–7 IU/L])", ["acid phosphatase"],
     {"acid phosphatase": [dict(value=47.8, unit="IU/L", ref_low=5.0, ref_high=7.0, interpretation="H")]}),
    ("vitamin B1 level, 8 ng/mL (reference value: 24-66 ng/mL)", ["vitamin B1"],
     {"vitamin B1": [dict(value=8.0, ref_low=24.0, ref_high=66.0, interpretation="L", ref_text="reference value: 24-66 ng/mL")]}),
    ("collagen/ADP closure time was 76 seconds (normal <120 seconds)", ["collagen/ADP closure time"],
     {"collagen/ADP closure time": [dict(value=76.0, unit="seconds", ref_high=120.0, interpretation="N")]}),
    ("APTT was prolonged to 53.5 seconds (normal range, 25.1-40.7 seconds)", ["APTT"],
     {"APTT": [dict(value=53.5, ref_low=25.1, ref_high=40.7, interpretation="H", interp_word="prolonged")]}),
    ("creatinine 1.9 mg/dL (reference range 0.5-1.2 mg/dL)", ["creatinine"],
     {"creatinine": [dict(value=1.9, ref_low=0.5, ref_high=1.2, interpretation="H", ref_text="reference range 0.5-1.2 mg/dL")]}),
    ("albumin 2.1 g/dL (ref. 3.5–5.0)", ["albumin"], {"albumin": [dict(value=2.1, ref_low=3.5, ref_high=5.0, interpretation="L")]}),
    ("growth hormone 30.9" + FOUR + "mU/L (normal >20)", ["growth hormone"],
     {"growth hormone": [dict(value=30.9, ref_low=20.0, ref_high=None, interpretation="N")]}),
    ("ACTH <5.00" + HAIR + "pg/mL", ["ACTH"], {"ACTH": [dict(value=5.0, value_text="5.00", comparator="<", unit="pg/mL")]}),
    ("procalcitonin > 100 ng/mL", ["procalcitonin"], {"procalcitonin": [dict(value=100.0, comparator=">", unit="ng/mL")]}),
    ("D-dimer ≥ 20 μg/mL", ["D-dimer"], {"D-dimer": [dict(value=20.0, comparator=">=", unit="μg/mL")]}),
    ("INR 6.9", ["INR"], {"INR": [dict(value=6.9, unit=None)]}),
    ("the INR was 1.01", ["INR"], {"INR": [dict(value=1.01)]}),
    ("hemoglobin" + HAIR + "=" + HAIR + "12.5" + HAIR + "g/dL, platelets" + HAIR + "=" + HAIR + "301,000/mL", ["hemoglobin", "platelets"],
     {"hemoglobin": [dict(value=12.5, unit="g/dL")], "platelets": [dict(value=301000.0, unit="/mL")]}),
    ("CK: 952 U/L", ["CK"], {"CK": [dict(value=952.0, unit="U/L")]}),
    ("CK increased to 952 U/L", ["CK"], {"CK": [dict(value=952.0, interpretation="H", interp_word="increased")]}),
    ("The hemoglobin declined acutely to 9.3" + HAIR + "g/dL.", ["hemoglobin"], {"hemoglobin": [dict(value=9.3, interpretation="L", interp_word="declined")]}),
    ("Glycated haemoglobin was elevated to 62" + FOUR + "mmol/mol", ["Glycated haemoglobin"],
     {"Glycated haemoglobin": [dict(value=62.0, unit="mmol/mol", interpretation="H")]}),
    ("increased creatine kinase (952 U/L)", ["creatine kinase"], {"creatine kinase": [dict(value=952.0, interpretation="H", interp_word="increased")]}),
    ("low hemoglobin level (5.1 g/dl)", ["hemoglobin"], {"hemoglobin": [dict(value=5.1, unit="g/dl", interpretation="L")]}),
    ("markedly elevated ferritin (15,000 ng/mL)", ["ferritin"], {"ferritin": [dict(value=15000.0, interpretation="H", interp_word="markedly elevated")]}),
    ("CK 952 U/L (elevated)", ["CK"], {"CK": [dict(value=952.0, interpretation="H", interp_word="elevated")]}),
    # --- lists and coordination
    ("AST/ALT/ALP 109/62/300 U/L", ["AST", "ALT", "ALP"],
     {"AST": [dict(value=109.0, unit="U/L")], "ALT": [dict(value=62.0, unit="U/L")], "ALP": [dict(value=300.0, unit="U/L")]}),
    ("AST, ALT and GGT were 109, 62 and 45 U/L, respectively.", ["AST", "ALT", "GGT"],
     {"AST": [dict(value=109.0, unit="U/L")], "ALT": [dict(value=62.0, unit="U/L")], "GGT": [dict(value=45.0, unit="U/L")]}),
    ("the levels of carcinoembryonic antigen, alpha fetoprotein, and CA 19-9 indicated 3.6" + HAIR + "ng/mL, 26.7" + HAIR + "ng/mL, and 8.1" + HAIR + "U/mL, respectively.",
     ["carcinoembryonic antigen", "alpha fetoprotein", "CA 19-9"],
     {"carcinoembryonic antigen": [dict(value=3.6, unit="ng/mL")], "alpha fetoprotein": [dict(value=26.7, unit="ng/mL")], "CA 19-9": [dict(value=8.1, unit="U/mL")]}),
    ("Peak growth hormone and cortisol were 30.9" + FOUR + "mU/L (normal >20) and 447" + FOUR + "nmol/L (normal >500), respectively",
     ["growth hormone", "cortisol"],
     {"growth hormone": [dict(value=30.9, ref_low=20.0, interpretation="N")], "cortisol": [dict(value=447.0, ref_low=500.0, interpretation="L")]}),
    ("sodium 128 mmol/L, potassium 5.9 mmol/L, chloride 95 mmol/L", ["sodium", "potassium", "chloride"],
     {"sodium": [dict(value=128.0)], "potassium": [dict(value=5.9)], "chloride": [dict(value=95.0)]}),
    ("hemoglobin 12.3g/dL, leukocytes 13" + THIN + "×" + THIN + "109/mL, platelets 97" + THIN + "×" + THIN + "103/mm3, INR 6.9",
     ["hemoglobin", "leukocytes", "platelets", "INR"],
     {"hemoglobin": [dict(value=12.3, unit="g/dL")], "leukocytes": [dict(value=13.0)], "platelets": [dict(value=97.0)], "INR": [dict(value=6.9)]}),
    ("The albumin was 36" + HAIR + "g/L, the total bilirubin (TBil) was 12.2" + HAIR + "μmol/L, and the direct bilirubin (DBil) was 4.1" + HAIR + "μmol/L.",
     ["albumin", "total bilirubin", "TBil", "direct bilirubin", "DBil"],
     {"albumin": [dict(value=36.0, unit="g/L")], "total bilirubin": [dict(value=12.2, unit="μmol/L")], "direct bilirubin": [dict(value=4.1, unit="μmol/L")]}),
    ("creatine kinase (CK) 189 IU/L, C-reactive protein (CRP) 8.5 mg/L", ["creatine kinase", "CK", "C-reactive protein", "CRP"],
     {"creatine kinase": [dict(value=189.0, unit="IU/L")], "C-reactive protein": [dict(value=8.5, unit="mg/L")]}),
    ("a white blood cell count (WBC) of 700/μL, with 2% neutrophils, 94% lymphocytes and 2% monocytes",
     ["white blood cell count", "neutrophils", "lymphocytes", "monocytes"],
     {"white blood cell count": [dict(value=700.0, unit="/μL")], "neutrophils": [dict(value=2.0, unit="%")], "lymphocytes": [dict(value=94.0, unit="%")],
      "monocytes": [dict(value=2.0, unit="%")]}),
    ("He had a leukocyte count of 21,000/mm3, including 16,400/mm3 neutrophils.", ["leukocyte count", "neutrophils"],
     {"leukocyte count": [dict(value=21000.0)], "neutrophils": [dict(value=16400.0, unit="/mm3")]}),
    # --- qualitative and titres
    ("ANA was positive at a titer of 1:320 with a homogeneous pattern", ["ANA"],
     {"ANA": [dict(qualitative="positive", interpretation="POS"), dict(value_string="1:320 with a homogeneous pattern")]}),
    ("anti-dsDNA antibodies were negative", ["anti-dsDNA antibodies"], {"anti-dsDNA antibodies": [dict(qualitative="negative")]}),
    ("HIV test was nonreactive", ["HIV test"], {"HIV test": [dict(qualitative="negative", interpretation="NEG")]}),
    ("Blood cultures were negative.", ["Blood cultures"], {"Blood cultures": [dict(qualitative="negative")]}),
    ("anti-Jo1 antibody was strongly positive", ["anti-Jo1 antibody"], {"anti-Jo1 antibody": [dict(qualitative="positive", span="strongly positive")]}),
    ("HBsAg (−)", ["HBsAg"], {"HBsAg": [dict(qualitative="negative")]}),
    ("p53 (+)", ["p53"], {"p53": [dict(qualitative="positive")]}),
    ("Immunohistochemistry was positive for Melan-A, HMB45 and S100.", ["Immunohistochemistry", "Melan-A", "HMB45", "S100"],
     {"Melan-A": [dict(qualitative="positive")], "HMB45": [dict(qualitative="positive")], "S100": [dict(qualitative="positive")]}),
    ("Tumor cells were negative for cytokeratin.", ["cytokeratin"], {"cytokeratin": [dict(qualitative="negative", interpretation="NEG")]}),
    ("ANA 1:1280 (homogeneous)", ["ANA"], {"ANA": [dict(value_string="1:1280 (homogeneous)")]}),
    # a titre before a comma or a full stop is still a titre, not the value 1 ("1:40, respectively")
    ("ANA and anti-dsDNA titers were 1:160 and 1:40, respectively.", ["ANA", "anti-dsDNA"],
     {"ANA": [dict(value=None, value_string="1:160", span="1:160")],
      "anti-dsDNA": [dict(value=None, value_string="1:40", span="1:40")]}),
    ("The anti-dsDNA titer was 1:40.", ["anti-dsDNA"], {"anti-dsDNA": [dict(value=None, value_string="1:40", span="1:40")]}),
    ("ANA was positive at 1:160, speckled pattern", ["ANA"],
     {"ANA": [dict(qualitative="positive"), dict(value_string="1:160, speckled pattern")]}),
    ("Oligoclonal bands were absent.", ["Oligoclonal bands"], {"Oligoclonal bands": [dict(qualitative="negative")]}),
    ("Serum thyroglobulin was undetectable.", ["thyroglobulin"], {"thyroglobulin": [dict(qualitative="negative")]}),
    # --- interpretation only
    ("Liver function tests were within normal limits.", ["Liver function tests"], {"Liver function tests": [dict(interpretation="N", span="within normal limits")]}),
    ("Routine biochemistry was unremarkable.", ["biochemistry"], {"biochemistry": [dict(interpretation="N")]}),
    ("thyroid-stimulating hormone, f-T3 and f-T4 were in the reference range.", ["thyroid-stimulating hormone", "f-T3", "f-T4"],
     {"thyroid-stimulating hormone": [dict(interpretation="N")], "f-T3": [dict(interpretation="N")], "f-T4": [dict(interpretation="N")]}),
    ("Her lactate dehydrogenase level was high and the mass was large.", ["lactate dehydrogenase"], {"lactate dehydrogenase": [dict(interpretation="H", span="high")]}),
    ("elevated inflammatory markers", ["inflammatory markers"], {"inflammatory markers": [dict(interpretation="H")]}),
    ("decreased serum albumin", ["albumin"], {"albumin": [dict(interpretation="L", span="decreased")]}),
    ("She had normal serum B12 and folate levels.", ["B12", "folate"], {"B12": [dict(interpretation="N")], "folate": [dict(interpretation="N")]}),
    ("reduced power in her lower limbs", ["power"], {"power": [dict(interpretation="L", span="reduced")]}),
    # --- vitals
    ("blood pressure of 183/100 mm Hg", ["blood pressure"], {"blood pressure": [dict(unit="mm Hg", components=[183.0, 100.0], component_names=["systolic", "diastolic"])]}),
    ("BP 56/36 mmHg", ["BP"], {"BP": [dict(components=[56.0, 36.0])]}),
    ("her blood pressure was 60/40 and oxygen saturation 70%", ["blood pressure", "oxygen saturation"],
     {"blood pressure": [dict(components=[60.0, 40.0], component_names=["systolic", "diastolic"])], "oxygen saturation": [dict(value=70.0, unit="%")]}),
    ("pulse rate, 109 beats/min, pulse oximetry, 97% in room air", ["pulse rate", "pulse oximetry"],
     {"pulse rate": [dict(value=109.0, unit="beats/min")], "pulse oximetry": [dict(value=97.0, unit="%")]}),
    ("body temperature of 37" + HAIR + "°C", ["body temperature"], {"body temperature": [dict(value=37.0, unit="°C")]}),
    ("temperature 38.9 ℃", ["temperature"], {"temperature": [dict(value=38.9, unit="℃")]}),
    ("respiration rate of 18 times/min", ["respiration rate"], {"respiration rate": [dict(value=18.0, unit="times/min")]}),
    ("SpO2 92% on room air", ["SpO2"], {"SpO2": [dict(value=92.0, unit="%")]}),
    ("His oxygen saturation on room air at rest was 94%", ["oxygen saturation"], {"oxygen saturation": [dict(value=94.0)]}),
    ("weight 70 kg, BMI 30.2 kg/m2", ["weight", "BMI"], {"weight": [dict(value=70.0, unit="kg")], "BMI": [dict(value=30.2, unit="kg/m2")]}),
    ("heart rate ranged between 50 and 60 beats per min", ["heart rate"], {"heart rate": [dict(value=None, value_string="between 50 and 60 beats per min")]}),
    # a verb of change before "from X to Y": two values of a series; "ranged from X to Y" stays one range
    ("CK fell from 952 to 310 U/L", ["CK"], {"CK": [dict(value=952.0, unit="U/L", span="952"), dict(value=310.0, unit="U/L", span="310 U/L")]}),
    ("creatinine increased markedly from 1.2 to 3.4 mg/dL", ["creatinine"],
     {"creatinine": [dict(value=1.2, unit="mg/dL"), dict(value=3.4, unit="mg/dL")]}),
    ("heart rate ranged from 50 to 60 beats per min", ["heart rate"], {"heart rate": [dict(value=None, value_string="50 to 60 beats per min")]}),
    ("glucose from 400 to 500 mg/dL at home", ["glucose"], {"glucose": [dict(value=None, value_string="400 to 500 mg/dL")]}),
    ("intraocular pressure was 12 mm Hg", ["intraocular pressure"], {"intraocular pressure": [dict(value=12.0, unit="mm Hg")]}),
    ("LVEF of 37%", ["LVEF"], {"LVEF": [dict(value=37.0, unit="%")]}),
    ("eGFR 45 mL/min/1.73 m2", ["eGFR"], {"eGFR": [dict(value=45.0, unit="mL/min/1.73 m2")]}),
    # --- effective time
    ("CK was 952 U/L on day 3", ["CK"], {"CK": [dict(value=952.0, effective_text="on day 3")]}),
    ("At admission, hemoglobin was 8.2 g/dL.", ["hemoglobin"], {"hemoglobin": [dict(value=8.2, effective_text="At admission")]}),
    ("Two weeks later, CRP fell to 5 mg/L.", ["CRP"], {"CRP": [dict(value=5.0, effective_text="Two weeks later", interpretation="L")]}),
    ("In March 2015, her HbA1c was 9.1%.", ["HbA1c"], {"HbA1c": [dict(value=9.1, effective_text="In March 2015")]}),
    ("The initial lactic acid concentration was 22" + THIN + "mmol/l and subsequently increased to 30" + THIN + "mmol/l", ["lactic acid"],
     {"lactic acid": [dict(value=22.0), dict(value=30.0, interpretation="H")]}),
    # --- tables
    ("Hemoglobin | 8.2 g/dL | 12.0–16.0", ["Hemoglobin"], {"Hemoglobin": [dict(value=8.2, unit="g/dL", ref_low=12.0, ref_high=16.0, interpretation="L")]}),
    ("Sodium\t128 mmol/L\t135-145", ["Sodium"], {"Sodium": [dict(value=128.0, ref_low=135.0, ref_high=145.0, interpretation="L")]}),
    # --- non-values
    ("Visceral arteriogram showed a 5.3" + HAIR + "×" + HAIR + "2.2-cm-wide aneurysm (Fig.5A).", ["arteriogram"], {}),
    ("Bronchoscopy showed a 1-cm lesion.", ["Bronchoscopy"], {}),
    ("CD4 count was 350 cells/μL", ["CD4 count"], {"CD4 count": [dict(value=350.0, unit="cells/μL")]}),
    ("HbA1c of 7·5%", ["HbA1c"], {"HbA1c": [dict(value=7.5, value_text="7·5", unit="%")]}),
    ("dilated right atrium of 74,2 mm", ["right atrium"], {"right atrium": [dict(value=74.2, value_text="74,2", unit="mm")]}),
]

CASES += [
    ("On hospital day 5, CRP was 120 mg/L.", ["CRP"], {"CRP": [dict(value=120.0, effective_text="On hospital day 5")]}),
    ("CRP was 120 mg/L on postoperative day 2.", ["CRP"], {"CRP": [dict(value=120.0, effective_text="on postoperative day 2")]}),
    ("Three days after admission, her platelet count dropped to 45,000/µL.", ["platelet count"],
     {"platelet count": [dict(value=45000.0, effective_text="Three days after admission", interpretation="L")]}),
    ("CK peaked at 25,000 U/L 48 hours after admission.", ["CK"], {"CK": [dict(value=25000.0, effective_text="48 hours after admission")]}),
    ("On 12 March 2015, sodium was 128 mmol/L.", ["sodium"], {"sodium": [dict(value=128.0, effective_text="On 12 March 2015")]}),
    ("Creatinine was 1.2 mg/dL at baseline and 3.4 mg/dL on day 7.", ["Creatinine"],
     {"Creatinine": [dict(value=1.2, effective_text="at baseline"), dict(value=3.4, effective_text="on day 7")]}),
    ("At 6-month follow-up, HbA1c was 6.8%.", ["HbA1c"], {"HbA1c": [dict(value=6.8, effective_text="At 6-month follow-up")]}),
    ("Her weight was 45 kg at the age of 12 years.", ["weight"], {"weight": [dict(value=45.0, unit="kg", effective_text="at the age of 12 years")]}),
    ("the troponin was 0.5 ng/mL at presentation and 12 ng/mL 6 hours later", ["troponin"],
     {"troponin": [dict(value=0.5, effective_text="at presentation"), dict(value=12.0, effective_text="6 hours later")]}),
    ("CSF analysis showed 30 leukocytes (79% lymphocytes, 4% monocytes)", ["CSF analysis", "leukocytes", "lymphocytes", "monocytes"],
     {"leukocytes": [dict(value=30.0, unit=None)], "lymphocytes": [dict(value=79.0, unit="%")], "monocytes": [dict(value=4.0, unit="%")]}),
    ("discharged with a stable platelet count (780,000/mm3), Hb 10.9 g/dL, and a WBC count of 16,500/mm3.", ["platelet count", "Hb", "WBC count"],
     {"platelet count": [dict(value=780000.0)], "Hb": [dict(value=10.9)], "WBC count": [dict(value=16500.0)]}),
    ("low hemoglobin (Hg 4.7 g/dl)", ["hemoglobin"], {"hemoglobin": [dict(value=4.7, unit="g/dl", interpretation="L")]}),
    ("The diagnosis was confirmed following the Swansea criteria [9].", ["Swansea criteria"], {}),
    ("upper and lower gastrointestinal endoscopy", ["gastrointestinal endoscopy"], {}),
]

SEED = ("Laboratory tests revealed increased creatine kinase (952 U/L), myoglobin (595 ng/mL), aldolase (10.7 U/L) lactate dehydrogenase "
        "(863 U/L), and mildly elevated liver enzymes (aspartate transaminase 109 U/L; alanine transaminase 62 U/L).")
CASES += [
    (SEED, ["creatine kinase", "myoglobin", "aldolase", "lactate dehydrogenase", "aspartate transaminase", "alanine transaminase"],
     {"creatine kinase": [dict(value=952.0, unit="U/L", interpretation="H", interp_word="increased")],
      "myoglobin": [dict(value=595.0, unit="ng/mL", interpretation="H", interp_word="increased")],
      "aldolase": [dict(value=10.7, unit="U/L", interpretation="H")],
      "lactate dehydrogenase": [dict(value=863.0, unit="U/L", interpretation="H")],
      "aspartate transaminase": [dict(value=109.0, unit="U/L", interpretation="H", interp_word="elevated")],
      "alanine transaminase": [dict(value=62.0, unit="U/L", interpretation="H", interp_word="elevated")]}),
    (SEED, ["creatine kinase", "myoglobin", "aldolase", "lactate dehydrogenase", "liver enzymes", "aspartate transaminase", "alanine transaminase"],
     {"creatine kinase": [dict(value=952.0, interpretation="H")], "myoglobin": [dict(value=595.0, interpretation="H")],
      "aldolase": [dict(value=10.7, interpretation="H")], "lactate dehydrogenase": [dict(value=863.0, interpretation="H")],
      "liver enzymes": [dict(value=None, interpretation="H", span="elevated")],
      "aspartate transaminase": [dict(value=109.0, interpretation="H")], "alanine transaminase": [dict(value=62.0, interpretation="H")]}),
    ("Antinuclear antibodies were positive, with specificity for anti-SSA52.", ["Antinuclear antibodies", "anti-SSA52"],
     {"Antinuclear antibodies": [dict(qualitative="positive", interpretation="POS")], "anti-SSA52": [dict(qualitative="positive", interpretation="POS")]}),
    ("The remaining laboratory findings, including C-reactive protein, erythrocyte sedimentation rate, and thyroid function, were normal.",
     ["laboratory findings", "C-reactive protein", "erythrocyte sedimentation rate", "thyroid function"],
     {"C-reactive protein": [dict(interpretation="N", span="normal")], "erythrocyte sedimentation rate": [dict(interpretation="N")],
      "thyroid function": [dict(interpretation="N")]}),
]

CASES += [
    ("low platelet count (44 000 platelet/mL). Other", ["platelet count"],
     {"platelet count": [dict(value=44000.0, unit="platelet/mL", interpretation="L")]}),
    ("carbohydrate antigen (CA) 125 (219 U/mL [normal, <45 U/mL])", ["carbohydrate antigen"],
     {"carbohydrate antigen": [dict(value=219.0, unit="U/mL", ref_high=45.0, interpretation="H")]}),
    ("ursodeoxycholic acid 150 mg 3 times a day", ["mg"], {}),
    ("pulse 60 beats/min, RR 18 breaths per minute", ["pulse", "RR"],
     {"pulse": [dict(value=60.0, unit="beats/min", ref_text=None)], "RR": [dict(value=18.0, unit="breaths per minute")]}),
    ("4.0g of fibrinogen concentrate", ["fibrinogen"], {}),
    ("a resting tachycardia of 125/minute", ["tachycardia"], {"tachycardia": [dict(value=125.0, unit="/minute")]}),
    ("a fever of 38.9°C", ["fever"], {"fever": [dict(value=38.9, unit="°C")]}),
    # a unit written as a word, a count per fields of view
    ("ejection fraction of 15 to 20 percent", ["ejection fraction"],
     {"ejection fraction": [dict(value=None, value_string="15 to 20 percent", unit="percent")]}),
    ("an LVEF of 40 percent", ["LVEF"], {"LVEF": [dict(value=40.0, unit="percent")]}),
    ("a mitotic rate of up to 9 per 10 high-power fields", ["mitotic rate"],
     {"mitotic rate": [dict(value=9.0, comparator="<=", unit="per 10 high-power fields")]}),
    # a value in a unit of measure joined to the name after it by 'of'; an amount is no result
    ("diagnosed with 74 mmHg of mean pulmonary arterial pressure (mPAP)", ["mean pulmonary arterial pressure"],
     {"mean pulmonary arterial pressure": [dict(value=74.0, unit="mmHg", span="74 mmHg")]}),
    ("she received 20 g of albumin", ["albumin"], {}),
    ("and 81% of the white blood cells were lymphocytes", ["white blood cells"], {}),  # a share, not the count
    # a bracket closes the pattern words only when one opened them
    ("antinuclear antibodies (1:640, speckled pattern).", ["antinuclear antibodies"],
     {"antinuclear antibodies": [dict(value_string="1:640, speckled pattern", span="1:640, speckled pattern")]}),
    ("ANA 1:320 (speckled) and", ["ANA"], {"ANA": [dict(value_string="1:320 (speckled)")]}),
    # ratios written with a colon, with a comparator; katal units
    ("marrow κ/λ ratio (<1:2, normal: 2:1)", ["marrow κ/λ ratio"], {"marrow κ/λ ratio": [dict(value=None, value_string="<1:2")]}),
    ("lactate:pyruvate ratio 30:1.", ["lactate:pyruvate ratio"], {"lactate:pyruvate ratio": [dict(value_string="30:1")]}),
    ("creatine kinase was increased to 5.4 μkat/l", ["creatine kinase"], {"creatine kinase": [dict(value=5.4, unit="μkat/l")]}),
    ("at 10:30 am the sodium", ["sodium"], {}),
    # a count of other cells after a cell type's name is not that cell type's value
    ("with 50% lymphocytes, 6 red blood cells/µL, glucose 3.4 mmol/L", ["lymphocytes", "glucose"],
     {"lymphocytes": [dict(value=50.0, unit="%")], "glucose": [dict(value=3.4)]}),
    # a semi-quantitative grade is no number
    ("urine protein was 3+.", ["urine protein"], {"urine protein": [dict(value=None, value_string="3+", span="3+")]}),
    # standard deviations from the mean: a unit, though no UCUM one
    ("height and weight was −3 SD below the mean", ["weight"], {"weight": [dict(value=-3.0, unit="SD")]}),
    # how it was measured, between the name and the value
    ("the ejection fraction (EF) on MPI was 35%", ["ejection fraction"], {"ejection fraction": [dict(value=35.0, unit="%")]}),
    ("LVEF by TTE of 40%", ["LVEF"], {"LVEF": [dict(value=40.0, unit="%")]}),
    ("LVEF in TTE of 40%", ["LVEF"], {}),
    ("mitotic index was over 50 mitoses per 50 HPF", ["mitotic index"],
     {"mitotic index": [dict(value=50.0, comparator=">", unit="mitoses per 50 HPF")]}),
]

CASES += [
    ("Hemoglobin | 8.2 | g/dL | 12.0-16.0", ["Hemoglobin"],
     {"Hemoglobin": [dict(value=8.2, unit="g/dL", ref_low=12.0, ref_high=16.0, interpretation="L", span="8.2 | g/dL")]}),
    ("Creatine kinase\t952\tU/L\t<170", ["Creatine kinase"],
     {"Creatine kinase": [dict(value=952.0, unit="U/L", ref_high=170.0, interpretation="H")]}),
]

IHC = ("Melanocytic markers (HMB45 and Melan A), neuroendocrine markers (chromogranin A, synaptophysin and CD56), smooth muscle actin, "
       "desmin, CD34, CD117, cytokeratin and LCA were all negative in the neoplastic cells.")
IHC_NAMES = ["Melanocytic markers", "HMB45", "Melan A", "neuroendocrine markers", "chromogranin A", "synaptophysin", "CD56",
             "smooth muscle actin", "desmin", "CD34", "CD117", "cytokeratin", "LCA"]
CASES += [
    (IHC, IHC_NAMES, {n: [dict(qualitative="negative", interpretation="NEG", span="negative")] for n in IHC_NAMES}),
    ("Other investigations included the renal function tests, the inflammatory markers, the thyroid hormones were normal.",
     ["renal function tests", "inflammatory markers", "thyroid hormones"],
     {"renal function tests": [dict(interpretation="N")], "inflammatory markers": [dict(interpretation="N")],
      "thyroid hormones": [dict(interpretation="N")]}),
]

CASES += [
    ("Immunohistochemistry was positive for Melan-A, HMB45, vimentin, S-100 protein and negative for cytokeratin, all consistent with melanoma.",
     ["Immunohistochemistry", "Melan-A", "HMB45", "vimentin", "S-100 protein", "cytokeratin"],
     {"Melan-A": [dict(qualitative="positive")], "HMB45": [dict(qualitative="positive")], "vimentin": [dict(qualitative="positive")],
      "S-100 protein": [dict(qualitative="positive")], "cytokeratin": [dict(qualitative="negative", interpretation="NEG")]}),
    ("Laboratory tests revealed elevated levels of C reactive protein, lactate dehydrogenase (LDH), and soluble interleukin-2 receptor (sIL-2R) (Table 1).",
     ["Laboratory tests", "C reactive protein", "lactate dehydrogenase", "LDH", "soluble interleukin-2 receptor", "sIL-2R"],
     {"C reactive protein": [dict(interpretation="H", span="elevated")], "lactate dehydrogenase": [dict(interpretation="H")],
      "soluble interleukin-2 receptor": [dict(interpretation="H")]}),
    ("CK was elevated, ALT 62 U/L", ["CK", "ALT"], {"CK": [dict(interpretation="H", value=None)], "ALT": [dict(value=62.0, interpretation=None)]}),
    ("Coronary angiography findings were normal.", ["Coronary angiography"], {"Coronary angiography": [dict(interpretation="N")]}),
    ("The ammonia levels in her blood decreased dramatically and returned to normal within 4 days.", ["ammonia levels"],
     {"ammonia levels": [dict(interpretation="N", span="returned to normal")]}),
    ("Pancreatic autoantibodies were negative (glutamic acid decarboxylase, anti-insulin and islet cell antibodies).",
     ["Pancreatic autoantibodies", "glutamic acid decarboxylase", "anti-insulin", "islet cell antibodies"],
     {"Pancreatic autoantibodies": [dict(qualitative="negative")]}),
]

CASES += [
    ("base excess −5.2 mmol/L", ["base excess"], {"base excess": [dict(value=-5.2, value_text="−5.2", unit="mmol/L")]}),
    ("T-score: -3.1", ["T-score"], {"T-score": [dict(value=-3.1)]}),
    ("sodium 128-135 mmol/L", ["sodium"], {"sodium": [dict(value=None, value_string="128-135 mmol/L")]}),
]

CASES += [
    ("Decreased renal function was identified at 15 years of age, with increased serum creatinine to 145\u2009μmol/l (reference interval "
     "30–90\u2009μmol/l), proteinuria with urine albumine at 244–538\u2009mg/l (reference interval<20\u2009mg/l).",
     ["serum creatinine", "urine albumine"],
     {"serum creatinine": [dict(value=145.0, ref_low=30.0, ref_high=90.0, interpretation="H", effective_text="at 15 years of age")],
      "urine albumine": [dict(value=None, value_string="244–538 mg/l", ref_high=20.0, interpretation="H")]}),
    ("BP at one point was measured at 170/80 mmHg through the arterial line", ["BP"], {"BP": [dict(components=[170.0, 80.0])]}),
    ("ECG on admission revealed normal sinus rhythm with 2–3\u2005mm ST segment elevations", ["sinus rhythm"],
     {"sinus rhythm": [dict(value=None, interpretation="N", span="normal")]}),
]

CASES += [
    ("The Apgar scores were 4 at 1\u2009min, 7 at 5\u2009min and 9 at 10\u2009min.", ["Apgar scores"],
     {"Apgar scores": [dict(value=4.0, unit=None, effective_text="at 1 min"), dict(value=7.0, effective_text="at 5 min"),
                       dict(value=9.0, effective_text="at 10 min")]}),
    ("her QTc remained prolonged (600 msec at the age of 37, 780 msec at 44)", ["QTc"],
     {"QTc": [dict(value=600.0, unit="msec", effective_text="at the age of 37"), dict(value=780.0, unit="msec")]}),
    ("proteinuria 3.5 g/24 h", ["proteinuria"], {"proteinuria": [dict(value=3.5, unit="g/24 h")]}),
    ("white blood cell count of 3–5/high power field", ["white blood cell count"],
     {"white blood cell count": [dict(value=None, value_string="3–5/high power field", unit="/high power field")]}),
]


CASES += [
    # --- "respectively" lists: a bracketed value in other units right after a list value restates it
    ("Total and direct bilirubin levels were 6.84 mg/dL (116.96 μmol/L) and 9.18 mg/dL (156.98 μmol/L), respectively.",
     ["Total", "direct bilirubin"],
     {"Total": [dict(value=6.84, unit="mg/dL"), dict(value=116.96, unit="μmol/L")],
      "direct bilirubin": [dict(value=9.18, unit="mg/dL"), dict(value=156.98, unit="μmol/L")]}),
    ("Sodium and potassium were 128 mmol/L (128 mEq/L) and 5.9 mmol/L, respectively.", ["Sodium", "potassium"],
     {"Sodium": [dict(value=128.0, unit="mmol/L"), dict(value=128.0, unit="mEq/L")], "potassium": [dict(value=5.9, unit="mmol/L")]}),
    ("Serum and urine amylase were 386 and 928 U/L, respectively.", ["Serum", "amylase"],
     {"Serum": [dict(value=386.0, unit="U/L", span="386")], "amylase": [dict(value=928.0, unit="U/L")]}),
    # one name of the list read: the last name gets the last value, any other leaves the values unpaired
    ("Her plasma BNP and high-sense troponin T levels were 97.2 pg/mL and 0.0061 ng/mL, respectively.", ["troponin T"],
     {"troponin T": [dict(value=0.0061, unit="ng/mL")]}),
    ("Her troponin T and NT-proBNP levels were 0.0061 ng/mL and 97.2 pg/mL, respectively.", ["troponin T"], {}),
    ("Total and direct bilirubin levels were 6.84 mg/dL (116.96 μmol/L) and 9.18 mg/dL (156.98 μmol/L), respectively.",
     ["direct bilirubin"], {"direct bilirubin": [dict(value=9.18, unit="mg/dL"), dict(value=156.98, unit="μmol/L")]}),
    # a series of one name stays the name's
    ("Creatinine was 1.2 mg/dL (106 μmol/L).", ["Creatinine"],
     {"Creatinine": [dict(value=1.2, unit="mg/dL"), dict(value=106.0, unit="μmol/L")]}),
    ("her total carnitine and free carnitine levels had dropped to 18 μmol/L and 17 μmol/L, respectively.",
     ["total carnitine", "free carnitine"],
     {"total carnitine": [dict(value=18.0, unit="μmol/L")], "free carnitine": [dict(value=17.0, unit="μmol/L")]}),
]

# (sentence, [(name, value, unit), ...]): every lab the extractor reads from the sentence, in any order
PAIRS = [
    ("Total and direct bilirubin levels were 6.84 mg/dL (116.96 μmol/L) and 9.18 mg/dL (156.98 μmol/L), respectively.",
     [("Total bilirubin", 6.84, "mg/dL"), ("Total bilirubin", 116.96, "μmol/L"), ("direct bilirubin", 9.18, "mg/dL"),
      ("direct bilirubin", 156.98, "μmol/L")]),
    ("Total, direct and indirect bilirubin were 5, 3 and 2 mg/dL, respectively.",
     [("Total bilirubin", 5.0, "mg/dL"), ("direct bilirubin", 3.0, "mg/dL"), ("indirect bilirubin", 2.0, "mg/dL")]),
    ("Serum and urine amylase were 386 and 928 U/L, respectively.",
     [("Serum amylase", 386.0, "U/L"), ("urine amylase", 928.0, "U/L")]),
    ("Serum and urinary osmolality were 280 and 450 mOsm/kg, respectively.",
     [("Serum osmolality", 280.0, "mOsm/kg"), ("urinary osmolality", 450.0, "mOsm/kg")]),
    ("Her plasma brain natriuretic peptide and high-sense troponin T concentration levels were 97.2 pg/mL and "
     "0.0061 ng/mL, respectively.", [("brain natriuretic peptide", 97.2, "pg/mL"), ("troponin T", 0.0061, "ng/mL")]),
    ("Peak growth hormone and cortisol were 30.9 mU/L (normal >20) and 447 nmol/L (normal >500), respectively.",
     [("Peak growth hormone", 30.9, "mU/L"), ("cortisol", 447.0, "nmol/L")]),
    # must stay as they are
    ("Laboratory tests revealed alanine transaminase and aspartate transaminase levels of 250 and 172 IU/L, respectively.",
     [("alanine transaminase", 250.0, "IU/L"), ("aspartate transaminase", 172.0, "IU/L")]),
    ("Blood levels of lactate and pyruvate were 1.6 and 0.096 mmol/l, respectively.",
     [("lactate", 1.6, "mmol/l"), ("pyruvate", 0.096, "mmol/l")]),
    ("The patient's blood glucose and hemoglobin A1c levels were 299 mg/dL and 8.2%, respectively.",
     [("blood glucose", 299.0, "mg/dL"), ("hemoglobin A1c", 8.2, "%")]),
    ("His blood pressure, pulse rate, and respiratory rate were 174/127 mm Hg, 88/min, and 22/min, respectively.",
     [("blood pressure", None, "mm Hg"), ("pulse rate", 88.0, "/min"), ("respiratory rate", 22.0, "/min")]),
    ("Serum creatinine was 1.2 mg/dL (106 μmol/L).", [("Serum creatinine", 1.2, "mg/dL"), ("Serum creatinine", 106.0, "μmol/L")]),
]


@pytest.mark.parametrize("text,want", PAIRS, ids=[c[0][:40] for c in PAIRS])
def test_respectively_pairs(text, want):
    from converter.nlp.pipeline import get_extractor

    got = [(f.name, f.value, f.unit) for f in get_extractor().extract(text).labs]
    assert sorted(got, key=str) == sorted(want, key=str)


def test_elided_head_codes():
    """"Serum and urine amylase": the serum one has the serum test's code, the urine one never has it."""
    from converter.nlp.pipeline import get_extractor

    labs = {f.name: f.concept_id for f in get_extractor().extract("Serum and urine amylase were 386 and 928 U/L, respectively.").labs}
    assert labs == {"Serum amylase": "lab:1798-8", "urine amylase": None}
    labs = {f.name: f.concept_id for f in get_extractor().extract("Total and direct bilirubin were 6.84 and 9.18 mg/dL, respectively.").labs}
    assert labs == {"Total bilirubin": "lab:1975-2", "direct bilirubin": "lab:1968-7"}


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


def test_en_dash_is_a_minus_only_after_a_bracket():
    assert parse_number("–70") == -70.0
    got = find_values("hearing loss (–70 dB) and 10–20 mg/L", 0, 36)
    assert [(g.value, g.value_string) for g in got] == [(-70.0, None), (None, "10–20 mg/L")]


def test_parse_number_keeps_value():
    assert parse_number("45,000") == 45000.0
    assert parse_number("952") == 952.0
    assert parse_number("8.2") == 8.2
    assert parse_number("74,2") == 74.2
    assert parse_number("12" + THIN + "000") == 12000.0
    assert parse_number("−3.4") == -3.4


def test_find_values_window_and_offsets():
    text = "Labs: CK 952 U/L (normal < 170), sodium 128 mmol/L."
    vals = find_values(text, 0, len(text))
    assert [text[v.start:v.end] for v in vals] == ["952 U/L", "128 mmol/L"]
    assert vals[0].ref_high == 170.0 and vals[0].interpretation == "H"


UCUM = [("mg/dl", "mg/dL"), ("x 10^9/L", "10*9/L"), ("× 10(9)/L", "10*9/L"), ("×109/L", "10*9/L"), ("10⁹/L", "10*9/L"),
        ("× 103 cells/μL", "10*3/uL"), ("°C", "Cel"), ("mm Hg", "mm[Hg]"), ("beats per minute", "/min"), ("breaths/min", "/min"),
        ("ng per milliliter", "ng/mL"), ("milligrams/deciliter", "mg/dL"), ("µmol/L", "umol/L"), ("IU/L", "[IU]/L"), ("%", "%"),
        ("mL/min/1.73 m2", "mL/min/{1.73_m2}"), ("mg/m2", "mg/m2"), ("kg/m2", "kg/m2"), ("mm/h", "mm/h"), ("Wood units", "[wood'U]"),
        ("UI/L", "[IU]/L"), ("GPL", "[GPL'U]"), ("MPL/mL", "[MPL'U]/mL"), ("L/min/m2", "L/min/m2")]


def test_units_written_in_other_languages_and_without_ucum():
    """'UI/L' (French/Spanish IU/L) and 'GPL' are units with UCUM codes; 'HU' (Hounsfield units) is a unit
    with no UCUM code: the value keeps it as written and the Quantity gets no code."""
    text = "LDH was 281 UI/L, anti-cardiolipin IgG (30.5GPL), CT showed isodense (35 HU) thickening."
    got = [(text[v.start:v.end], v.unit, ucum_code(v.unit)) for v in find_values(text, 0, len(text))]
    assert got == [("281 UI/L", "UI/L", "[IU]/L"), ("30.5GPL", "GPL", "[GPL'U]"), ("35 HU", "HU", None)]
    text = "He scored 3 HUNDRED points."  # an atom is no prefix of a word
    assert [v.unit for v in find_values(text, 0, len(text))] == [None]


@pytest.mark.parametrize("written,code", UCUM)
def test_ucum_codes(written, code):
    assert ucum_code(written) == code


def test_ucum_codes_are_valid_ucum():
    ucumvert = pytest.importorskip("ucumvert")
    parser = ucumvert.get_ucum_parser()
    for _, code in UCUM:
        parser.parse(code)


def test_ucum():
    assert ucum_code("x 100 mg") is None
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


def test_at_least_80_lab_phrases():
    assert len(CASES) >= 80


def test_value_never_given_to_two_mentions():
    text = "CK 952 U/L and LDH 300 U/L and ALT 62 U/L"
    got = _run(text, ["CK", "LDH", "ALT"])
    spans = [(v.start, v.end) for vs in got.values() for v in vs]
    assert len(spans) == len(set(spans)) == 3


def test_offsets_are_absolute():
    prefix = "Intro sentence. "
    text = prefix + "CK 952 U/L."
    i = text.index("CK")
    got = attach_values(text, len(prefix), len(text), [(i, i + 2, "ck")])
    v = got[0][0]
    assert text[v.start:v.end] == "952 U/L" and v.start > len(prefix)


def test_mapping_shape_errors():
    import copy
    from converter.resources import load_json
    good = load_json("lab_values.json")
    V._check(copy.deepcopy(good))
    for breaker in (lambda d: d.pop("linkers"),
                    lambda d: d.__setitem__("comparators", {"<": "less"}),
                    lambda d: d["qualitative"].__setitem__("maybe", "unclear"),
                    lambda d: d["interpretation"].pop("N"),
                    lambda d: d["effective"].pop("anchors"),
                    lambda d: d.__setitem__("unit_atoms", ["mg", 3]),
                    lambda d: d.__setitem__("trend_from_verbs", []),
                    lambda d: d.pop("relative_score_words"), lambda d: d.pop("marker_abbreviations"),
                    lambda d: d.pop("place_after_words"), lambda d: d.__setitem__("marker_context_words", [""]),
                    lambda d: d.pop("grade_words"), lambda d: d.__setitem__("grade_words", [" "]),
                    lambda d: d.pop("value_notations"), lambda d: d.__setitem__("value_notations", ["E(1)V"]),
                    lambda d: d.__setitem__("value_notations", ["E[1-4"]),
                    lambda d: d.pop("series_arrows"), lambda d: d.__setitem__("series_arrows", ["to"]),
                    lambda d: d.pop("converted_units"), lambda d: d["converted_units"][0].__setitem__("factor", 0),
                    lambda d: d["converted_units"][0].__setitem__("loinc", "2160-0"),
                    lambda d: d["converted_units"][0].__setitem__("table", d["converted_units"][0]["written"])):
        d = copy.deepcopy(good)
        breaker(d)
        with pytest.raises(MappingError):
            V._check(d)


def test_edge_inputs():
    assert attach_values("", 0, 0, []) == {}
    assert attach_values("CK", 0, 2, [(0, 2, "ck")]) == {}
    assert find_values("no numbers here", 0, 15) == []


def test_dev_texts_invariants():
    """Every dev sentence: no exception; every value inside its sentence; value_text parses to value;
    no numeric value span given to two mentions."""
    import json
    import re
    from tests.shared import shared_path
    path = shared_path("eval", "maccrobat_dev.jsonl")
    for line in path.open(encoding="utf-8"):
        doc = json.loads(line)
        text = doc["text"]
        names = sorted((s for s in doc["spans"] if s["label"] == "Diagnostic_procedure"), key=lambda s: s["start"])
        pos = 0
        for sent in text.split("\n"):
            s0, s1 = pos, pos + len(sent)
            pos = s1 + 1
            ms, last = [], -1
            for s in names:
                if s0 <= s["start"] and s["end"] <= s1 and s["start"] >= last:
                    ms.append((s["start"], s["end"], s["id"]))
                    last = s["end"]
            got = attach_values(text, s0, s1, ms)
            numeric = []
            for i, vals in got.items():
                assert 0 <= i < len(ms)
                for v in vals:
                    assert s0 <= v.start <= v.end <= s1
                    if v.value is not None:
                        assert v.value == parse_number(v.value_text)
                        assert v.value_text in text[v.start:v.end]
                        numeric.append((v.start, v.end))
            assert len(numeric) == len(set(numeric))


@pytest.mark.parametrize("text", [
    "negative for cytokeratin 7 and Cytokeratin 20",  # a lower-case name_number prefix in any case
    "scansions (Figs.2, 3)", "(Tables 1 and 2)",      # the figures listed after a figure's number
    "Our patient (ID 73387)",
])
def test_numbers_that_are_part_of_a_name_or_reference_are_no_values(text):
    assert [v.value_text for v in find_values(text, 0, len(text)) if v.value is not None] == []


def test_a_number_restated_with_the_short_form_is_part_of_the_name():
    text = "the Nutrition Risk Screening 2002 (NRS 2002)"
    assert all(v.start < text.index("(") for v in find_values(text, 0, len(text)))


def test_in_excess_of_is_a_comparator():
    (v,) = find_values("error rates in excess of 30%", 0, 28)
    assert v.value == 30 and v.comparator == ">"


@pytest.mark.parametrize("text,code,low,high", [
    ("Creatinine was 245 µmol/l.", "H", 53.0, 106.0),      # 0.6-1.2 mg/dL, 88.4 µmol/L per mg/dL
    ("Glucose was 2,1 mmol/l.", "L", 3.89, 5.5),           # 70-99 mg/dL, 18.016 mg/dL per mmol/L
    ("Serum calcium 3,1 mmol/l.", "H", 2.15, 2.57),
    ("Albumin 24 g/l.", "L", 35.0, 50.0),                  # g/L against g/dL: any test
    ("Haemoglobin 98 g/l.", "L", 120.0, 175.0),
    ("Platelets 45 G/L.", "L", 150.0, 400.0),              # G/L = 10^9/L = 10^3/µL
    ("Leucocytes 11.2/nl.", "H", 4.0, 11.0),
    ("Platelet count was 98,000/mm3.", "L", 150000.0, 400000.0),
    ("Free T4 was 45 pmol/l.", "H", 10.3, 23.2),
    ("HbA1c was 64 mmol/mol.", "H", 20.2, 37.7),           # NGSP % = 0.09148 x IFCC + 2.152
    ("Temperature was 102.4 °F.", "H", 97.0, 99.0),
    ("PaO2 was 8.2 kPa.", "L", 10.0, 13.3),
    ("Bilirubin 45 µmol/l.", "H", 1.71, 20.5),
])
def test_curated_range_converted_into_the_written_unit(converter, text, code, low, high):
    from tests.conftest import resources

    [o] = [o for o in resources(converter.text_to_dict(text), "Observation")]
    rr = o["referenceRange"][0]
    assert [c["code"] for i in o["interpretation"] for c in i["coding"]] == [code]
    assert (float(rr["low"]["value"]), float(rr["high"]["value"])) == (low, high)
    assert rr["low"]["unit"] == o["valueQuantity"]["unit"]


@pytest.mark.parametrize("text", [
    "Sodium was 128 µmol/L.",        # a molar conversion holds only for the tests it lists
    "Serum ferritin was 30 pmol/L.",
])
def test_no_range_without_a_conversion_for_the_test(converter, text):
    from tests.conftest import resources

    [o] = resources(converter.text_to_dict(text), "Observation")
    assert "referenceRange" not in o and "interpretation" not in o
