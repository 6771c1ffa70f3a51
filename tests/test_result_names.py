"""Wrong extractions the Observation reader must not make, and names/codes that must say what was measured
(the measure a finding or a function names, not a look-alike vital sign)."""
import pytest

from tests.conftest import resources
from tests.test_results import obs, spans, value


def codes(o):
    return [c["code"] for c in o["code"].get("coding", [])]


@pytest.mark.parametrize("text, names", [
    ("Echocardiography showed normal systolic and diastolic function.", ["systolic function", "diastolic function"]),
    ("Left ventricular systolic function was normal.", ["Left ventricular systolic function"]),
    ("The diastolic function was normal.", ["diastolic function"]),
])
def test_systolic_function_is_no_blood_pressure(converter, text, names):
    got = obs(converter, text)
    assert [o["code"]["text"] for o in got] == names
    assert all(codes(o) == [] and o["category"][0]["coding"][0]["code"] == "exam" for o in got)


def test_bare_systolic_value_is_still_the_blood_pressure(converter):
    got = obs(converter, "The systolic was 150 mmHg.")
    assert [(o["code"]["text"], codes(o)) for o in got] == [("systolic", ["8480-6"])]


@pytest.mark.parametrize("text", [
    "Severe pulmonary hypertension of 75 mm Hg.",
    "Echocardiography showed pulmonary arterial hypertension (75 mm Hg).",
])
def test_pulmonary_hypertension_value_is_the_pulmonary_artery_pressure(converter, text):
    got = obs(converter, text)
    assert [(o["code"]["text"], codes(o), value(o)) for o in got] == [("pulmonary artery pressure", [], (75.0, "mm Hg" if "mm Hg" in text else "mmHg"))]


@pytest.mark.parametrize("text", [
    "He had portal hypertension of 20 mmHg.",  # a site word before 'hypertension' (site_words)
    "She had intracranial hypertension of 30 mmHg.",  # the same
    "She had ocular hypertension of 25 mmHg.",  # no site word: finding_measures lists it with null
])
def test_a_site_hypertension_value_is_no_blood_pressure(converter, text):
    got = obs(converter, text)
    assert got and all("85354-9" not in codes(o) and o["code"]["text"] != "blood pressure" for o in got)


def test_systemic_hypertension_value_is_still_the_blood_pressure(converter):
    got = obs(converter, "She had arterial hypertension (180/100 mmHg).")
    assert [(o["code"]["text"], codes(o)) for o in got] == [("blood pressure", ["85354-9"])]


@pytest.mark.parametrize("text", [
    "At age 16 years, height and weight was −3 SD below the mean.",
    "Her height was -2.5 SDS.",
])
def test_standard_deviation_score_is_no_weight_or_height(converter, text):
    assert obs(converter, text) == []


def test_unitless_weight_without_score_word_is_kept(converter):
    got = obs(converter, "His weight was 45.")
    assert [(o["code"]["text"], value(o)) for o in got] == [("weight", (45.0, None))]


@pytest.mark.parametrize("text", [
    "Social history was negative for smoking, alcohol or illicit drugs.",  # a history, not a test
    "Her past medical history was positive for hypertension.",
    "Prothrombin complex concentrate (Beriplex P/N 500UI) was administered.",  # a dose in IU
    "These began with the initiation of a prolonged course of the thiopurine 6-mercaptopurine.",  # a treatment course
    "He had not received regular follow-up or medication therapy.",  # a state denied
])
def test_no_result_of_a_non_test(converter, text):
    assert obs(converter, text) == [], [o["code"].get("text") for o in obs(converter, text)]


@pytest.mark.parametrize("text, name, word", [
    ("The patient was positive for HIV.", "HIV", "positive"),
    ("The postoperative course was uneventful, and both pleural effusion and ascites rapidly resolved.",
     "postoperative course", "uneventful"),
    ("She was discharged in stable condition.", "condition", "stable"),
])
def test_results_near_those_non_tests_are_kept(converter, text, name, word):
    got = obs(converter, text)
    assert [(o["code"]["text"], spans(text, o)) for o in got] == [(name, [word])]


@pytest.mark.parametrize("text", [
    "He was diagnosed with a total of 84 NMSC: 72 NMSC at our clinic, 12 from other clinics.",  # a count
    "During CT about 100–150 mL of air was inadvertently injected through the right antecubital vein.",  # an amount
    "The tumor consisted of atypical cells with vacuolated clear cytoplasm.",  # a cell's look, not a normal result
])
def test_no_result_of_counts_amounts_or_cell_morphology(converter, text):
    assert obs(converter, text) == [], [o["code"].get("text") for o in obs(converter, text)]


@pytest.mark.parametrize("text, name, val", [
    ("The patient had an Eastern Cooperative Oncology Group performance status 2–3.",
     "Eastern Cooperative Oncology Group performance status", "2–3"),
    ("He had NYHA class II-III dyspnea.", "NYHA class", "II-III"),
    ("On cardiac auscultation, a 2/6 systolic murmur was audible.", "systolic murmur grade", "2/6"),
])
def test_scores_and_grade_ranges_keep_their_whole_value(converter, text, name, val):
    got = obs(converter, text)
    assert [(o["code"]["text"], value(o)) for o in got] == [(name, val)]


@pytest.mark.parametrize("text, name", [
    ("He was born at term with normal birth weight.", "birth weight"),
    ("She had a prepregnancy weight of 72 kg.", "prepregnancy weight"),
    ("His ideal body weight is 70 kg.", "ideal body weight"),
])
def test_other_weights_are_not_the_current_body_weight(converter, text, name):
    got = obs(converter, text)
    assert [(o["code"]["text"], codes(o)) for o in got] == [(name, [])]


def test_current_body_weight_keeps_its_code(converter):
    got = obs(converter, "His body weight was 47 kg.")
    assert [(o["code"]["text"], codes(o)) for o in got] == [("body weight", ["29463-7"])]


@pytest.mark.parametrize("text", [
    "Electrocardiogram showed P wave elevation in the V1-V2 leads.",
    "ECG showed Q wave elevation in leads II, III and aVF.",
])
def test_ecg_leads_are_where_not_what(converter, text):
    assert obs(converter, text) == [], [o["code"].get("text") for o in obs(converter, text)]


def test_increase_in_a_test_is_still_read(converter):
    got = obs(converter, "He had an increase in CRP.")
    assert [(o["code"]["text"], spans("He had an increase in CRP.", o)) for o in got] == [("CRP", ["increase in"])]


@pytest.mark.parametrize("text", [
    "Gastroscopy showed irregular hemorrhagic ulcerative lesions extending from the gastric body.",
    "MRI showed irregular margins.",
])
def test_word_describing_the_next_noun_is_no_result_of_the_test(converter, text):
    assert obs(converter, text) == [], [o["code"].get("text") for o in obs(converter, text)]


@pytest.mark.parametrize("text, name, word", [
    ("Chest X-ray showed unremarkable findings.", "Chest X-ray", "unremarkable"),
    ("CT revealed no abnormalities in the lungs.", "CT", "no abnormalities"),
    ("The ECG was irregular.", "ECG", "irregular"),
])
def test_reported_result_of_the_test_is_kept(converter, text, name, word):
    got = obs(converter, text)
    assert [(o["code"]["text"], spans(text, o)) for o in got] == [(name, [word])]


@pytest.mark.parametrize("text", [
    "A boy born after an uneventful gestation of normal duration.",  # how long, not a measure
    "These data suggested the elevation of the patient's serum levels of ACTH and cortisol.",  # names no test
])
def test_generic_names_name_no_result(converter, text):
    assert obs(converter, text) == [], [o["code"].get("text") for o in obs(converter, text)]


def test_specific_duration_and_levels_keep_their_results(converter):
    got = obs(converter, "The QRS duration was normal.")
    assert [o["code"]["text"] for o in got] == ["QRS duration"]
    got = obs(converter, "Serum levels of ACTH were elevated.")
    assert [o["code"]["text"] for o in got] == ["ACTH"]


@pytest.mark.parametrize("text, name", [
    ("Susceptibility testing showed that the isolate was sensitive to penicillin (MIC = 0.03), ceftriaxone, "
     "and vancomycin.", "penicillin MIC"),
    ("We used the ceftaroline Etest strip, yielding an MIC of >32 mg/liter.", "ceftaroline MIC"),
    ("The MIC was 2 mg/L.", "MIC"),  # no drug written: the name stays
])
def test_mic_is_named_with_its_drug(converter, text, name):
    assert [o["code"]["text"] for o in obs(converter, text)] == [name]


@pytest.mark.parametrize("text", [
    "A lumbar puncture was not performed due to concerns about raised intracranial pressure from suspected trauma.",
    "There were no other complications that might have caused increased abdominal pressure and tumour rupture.",
])
def test_feared_or_supposed_result_is_no_result(converter, text):
    assert obs(converter, text) == [], [o["code"].get("text") for o in obs(converter, text)]


def test_worry_reaches_only_the_next_few_words(converter):
    text = ("We performed surgery because of concerns about complications developing from mechanical obstruction "
            "of the hepatic hilum by the enlarged lymph node.")
    conds = [c["code"].get("text") for c in resources(converter.text_to_dict(text), "Condition")]
    assert "obstruction" in conds, conds


def test_object_of_a_place_phrase_with_describing_words_takes_no_result(converter):
    text = "Multiple recurrences in the para-aortic lymph nodes were detected."
    assert obs(converter, text) == [], [o["code"].get("text") for o in obs(converter, text)]


@pytest.mark.parametrize("text, name", [
    ("Blood pressure during the follow-up was normal.", "Blood pressure"),
    ("The lymph nodes were negative.", "lymph nodes"),
])
def test_name_before_a_place_phrase_keeps_its_result(converter, text, name):
    assert [o["code"]["text"] for o in obs(converter, text)] == [name]


@pytest.mark.parametrize("text, name, val", [
    ("His symptoms did not improve and his body weight further decreased by 23 kg.", "weight loss", (23.0, "kg")),
    ("The gait disturbance disappeared, and his body weight increased by 3 kg.", "weight gain", (3.0, "kg")),
])
def test_weight_changed_by_an_amount_is_a_weight_change(converter, text, name, val):
    got = obs(converter, text)
    assert [(o["code"]["text"], codes(o), value(o)) for o in got] == [(name, [], val)]


def test_a_change_by_an_amount_is_no_level(converter):
    # the 50 % is the size of the fall, not a CEA level: named as the change, uncoded, no High/Low flag
    got = obs(converter, "CEA decreased by 50% after surgery.")
    assert [(o["code"]["text"], "coding" in o["code"], value(o)) for o in got] == [("CEA decrease", False, (50.0, "%"))]
    assert [o.get("interpretation") for o in got] == [None]


@pytest.mark.parametrize("text, name", [
    ("He was born at term weighing 4 kg to non-consanguineous parents.", "birth weight"),
    ("She was small for her gestation, weighing 1.19 kg at birth.", "birth weight"),
])
def test_weight_at_birth_is_the_birth_weight(converter, text, name):
    got = obs(converter, text)
    assert [(o["code"]["text"], codes(o)) for o in got] == [(name, [])]


def test_birth_place_does_not_make_a_birth_weight(converter):
    got = obs(converter, "He was born in Spain and his weight was 70 kg.")
    assert [(o["code"]["text"], codes(o)) for o in got] == [("weight", ["29463-7"])]


@pytest.mark.parametrize("text, name", [
    ("She remained haemodynamically stable.", "haemodynamic status"),
    ("He was weighing 70 kg on admission.", "weight"),
])
def test_adverb_and_verb_forms_name_the_measure(converter, text, name):
    assert [o["code"]["text"] for o in obs(converter, text)] == [name]


@pytest.mark.parametrize("text, name", [
    ("Immunohistochemistry showed negativity for anti CEA and anti CK20.", "anti CEA"),  # a stain's antibody
    ("There was hypophosphataemia with low maximal tubular reabsorption of phosphate.",
     "maximal tubular reabsorption of phosphate"),  # another test than serum phosphate
    ("The PASP was 70 mmHg with features of raised LV diastolic pressure.", "LV diastolic pressure"),  # no BP
])
def test_a_lab_word_inside_another_tests_name_gives_no_code(converter, text, name):
    got = [o for o in obs(converter, text) if o["code"]["text"] == name]
    assert got and codes(got[0]) == []


@pytest.mark.parametrize("text, code", [
    ("The level of phosphate was low.", "2777-1"),
    ("Serum concentration of ACTH was high.", "2141-0"),
])
def test_level_of_a_lab_keeps_its_code(converter, text, code):
    assert [codes(o) for o in obs(converter, text)] == [[code]]


def test_mm_of_hg_is_millimetres_of_mercury(converter):
    got = obs(converter, "The PASP was 70 mm of Hg.")
    assert [o["valueQuantity"]["code"] for o in got] == ["mm[Hg]"]


def test_fever_with_a_bracketed_range_is_the_body_temperature(converter):
    text = "He had a 1-month history of recurrent fever (between 38 and 40 °C) and cough."
    got = obs(converter, text)
    assert [(o["code"]["text"], codes(o), spans(text, o)) for o in got] == [
        ("body temperature", ["8310-5"], ["between 38 and 40 °C"])]


def test_name_joined_by_an_en_dash_is_whole(converter):
    got = obs(converter, "Her cranial nerves II–XII were grossly intact.")
    assert [o["code"]["text"] for o in got] == ["cranial nerves II–XII"]


def category(o):
    return [c["code"] for cc in o.get("category", []) for c in cc["coding"]]


@pytest.mark.parametrize("text, name, cat", [
    ("Her abbreviated mini-mental test score was 6/10.", "abbreviated mini-mental test score", "exam"),
    ("Free T4 and f-T3 were in the reference range.", "f-T3", "laboratory"),
])
def test_scores_are_exams_and_thyroid_hormones_laboratory(converter, text, name, cat):
    got = [o for o in obs(converter, text) if o["code"]["text"] == name]
    assert got and category(got[0]) == [cat]


def interp_codes(o):
    return [c["code"] for i in o.get("interpretation", []) for c in i["coding"]]


@pytest.mark.parametrize("text, expected", [
    ("Her blood glucose was <200 mg/dL.", []),  # below 200: high or normal, no reading
    ("Creatinine was >0.3 mg/dL.", []),  # above 0.3: low or normal
    ("Her blood glucose was >300 mg/dL.", ["H"]),
    ("Creatinine was <0.5 mg/dL.", ["L"]),
])
def test_a_bound_across_the_range_gives_no_interpretation(converter, text, expected):
    assert [interp_codes(o) for o in obs(converter, text)] == [expected]


def test_up_to_a_peak_above_the_range_is_high(converter):
    got = obs(converter, "She had fever (up to 39.5 °C).")
    assert [interp_codes(o) for o in got] == [["H"]]


@pytest.mark.parametrize("text", [
    "Her children had a measured QTc of 500 ms.",
    "His children remain in stable condition.",
])
def test_results_of_the_patients_children_are_not_the_patients(converter, text):
    assert obs(converter, text) == [], [o["code"].get("text") for o in obs(converter, text)]


@pytest.mark.parametrize("text, code", [
    ("Arterial blood gases showed PaO2 61 mm/Hg.", "mm[Hg]"),
    ("RHC showed high pulmonary vascular resistance (1,547 dyne・sec・cm-5).", "dyn.s.cm-5"),
    ("PVR was 480 dyn·s·cm−5.", "dyn.s.cm-5"),
])
def test_pressure_and_resistance_units_are_whole(converter, text, code):
    got = [o for o in obs(converter, text) if "valueQuantity" in o]
    assert [o["valueQuantity"].get("code") for o in got] == [code]


@pytest.mark.parametrize("text, code", [
    ("The LVEF was 40 percent.", "%"),
    ("The serum creatine kinase activity was increased to 5.4 μkat/l.", "ukat/L"),
])
def test_percent_and_katal_units_are_read(converter, text, code):
    got = [o for o in obs(converter, text) if "valueQuantity" in o]
    assert [o["valueQuantity"].get("code") for o in got] == [code]


def test_a_describing_word_in_a_list_of_results_is_passed_over(converter):
    text = "Pupils were equal, round, and reactive to light."
    got = obs(converter, text)
    assert [(o["code"]["text"], spans(text, o)) for o in got] == [("Pupils", ["equal"]), ("Pupils", ["reactive to light"])]


def test_a_finding_in_a_list_of_results_still_ends_it(converter):
    got = obs(converter, "The abdomen was soft, large and tender.")
    assert [value(o) for o in got] == ["soft"]


def test_lead_the_metal_is_no_ecg_lead(converter):
    got = obs(converter, "There was an increase in blood lead levels.")
    assert [o["code"]["text"] for o in got] == ["blood lead levels"]


def test_a_singular_ecg_lead_with_its_label_is_where(converter):
    assert obs(converter, "ECG showed Q wave elevation in lead III.") == []


def test_a_drug_level_keeps_its_drug_in_the_name(converter):
    got = obs(converter, "She had an elevated trough level of vancomycin.")
    assert [o["code"]["text"] for o in got] == ["trough level of vancomycin"]


def test_a_normal_word_before_a_noun_is_still_the_tests_result(converter):
    got = obs(converter, "CT showed unremarkable brain parenchyma.")
    assert [(o["code"]["text"], value(o)) for o in got] == [("CT", "unremarkable")]


def test_a_look_of_the_fluid_is_no_result_of_the_procedure(converter):
    got = obs(converter, "Lumbar puncture demonstrated clear cerebrospinal fluid.")
    assert [o["code"]["text"] for o in got if o["code"]["text"] == "Lumbar puncture"] == []


@pytest.mark.parametrize("text", ["They were focally positive for CD1a.", "CD1a was positive."])
def test_a_marker_name_ending_in_a_letter_after_its_number_is_whole(converter, text):
    assert [o["code"]["text"] for o in obs(converter, text)] == ["CD1a"]


def test_a_minus_sign_joins_a_name(converter):
    got = obs(converter, "Arterial blood gases showed H−CO3 29 mEq/L.")
    assert [o["code"]["text"] for o in got] == ["H−CO3"]


@pytest.mark.parametrize("text, val", [
    ("EKG: atrial fibrillation of 80/min, right bundle branch block.", (80.0, "/min")),
    ("Physical examination revealed an irregular pulse of 148 beats/min.", (148.0, "beats/min")),
])
def test_a_rhythm_with_its_rate_is_the_heart_rate(converter, text, val):
    # the rate is the heart rate; "irregular pulse" may also be read as the pulse's examination result
    got = [o for o in obs(converter, text) if o["code"]["text"] != "pulse"]
    assert [(o["code"]["text"], codes(o), value(o)) for o in got] == [("heart rate", ["8867-4"], val)]


@pytest.mark.parametrize("text", ["She had fever of 3 days duration.", "He had atrial fibrillation of 3 years duration."])
def test_how_long_a_finding_lasted_is_no_measure(converter, text):
    assert obs(converter, text) == [], [(o["code"].get("text"), value(o)) for o in obs(converter, text)]


def test_percentage_of_cells_that_were_a_kind_is_that_kind(converter):
    got = obs(converter, "The effusion was exudative, and 81% of the white blood cells were lymphocytes.")
    assert [(o["code"]["text"], value(o)) for o in got] == [("lymphocytes", (81.0, "%"))]


def test_a_percentage_of_cells_written_after_the_value_names_it(converter):
    text = "Bronchoalveolar lavage showed an elevated percentage (65%) of hemosiderin-laden macrophages."
    got = obs(converter, text)
    assert [(o["code"]["text"], spans(text, o)) for o in got] == [("hemosiderin-laden macrophages", ["65%", "elevated"])]
