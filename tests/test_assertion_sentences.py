"""Assertion behaviour on short sentences (issue 6): negation, uncertainty, history, family,
hypothetical and stopped drugs, literature sections, coordination, repeated mentions,
pseudo-negation, scope ends, age/sex and onset age, each with the FHIR fields it must produce
(README "Assertions and where they go").

Sentences are our own or adapted from the MACCROBAT dev texts (/work/shared/eval/maccrobat_dev.jsonl).
Cases the converter gets wrong at the time of writing are marked xfail(strict=True) with the reason: the expectation
is the one we want, not the current output.
"""
from __future__ import annotations

import pytest

from tests.conftest import resources

DERIVATION = "http://hl7.org/fhir/StructureDefinition/derivation-reference"


# ----------------------------------------------------------------------------- helpers
_CACHE: dict[str, dict] = {}


@pytest.fixture(scope="module")
def convert(converter):
    def run(text: str) -> dict:
        if text not in _CACHE:
            _CACHE[text] = converter.text_to_dict(text)
        return _CACHE[text]

    return run


def _code(cc: dict | None) -> str | None:
    if not cc:
        return None
    return (cc.get("coding") or [{}])[0].get("code")


def conditions(bundle: dict, term: str) -> list[dict]:
    t = term.lower()
    return [c for c in resources(bundle, "Condition") if t in (c.get("code", {}).get("text") or "").lower()]


def meds(bundle: dict, term: str) -> list[dict]:
    t = term.lower()
    return [m for m in resources(bundle, "MedicationStatement")
            if t in (m.get("medicationCodeableConcept", {}).get("text") or "").lower()]


def family(bundle: dict, term: str) -> list[dict]:
    t = term.lower()
    return [f for f in resources(bundle, "FamilyMemberHistory")
            if any(t in (c.get("code", {}).get("text") or "").lower() for c in f.get("condition", []))]


def one_condition(bundle: dict, term: str) -> dict:
    got = conditions(bundle, term)
    assert got, f"no Condition containing {term!r}; Conditions: {[c['code'].get('text') for c in resources(bundle, 'Condition')]}"
    assert len(got) == 1, f"{len(got)} Conditions containing {term!r}: {[(_code(c.get('verificationStatus')), c['code'].get('text')) for c in got]}"
    return got[0]


def assert_confirmed(bundle: dict, term: str) -> dict:
    c = one_condition(bundle, term)
    assert _code(c.get("verificationStatus")) == "confirmed", (term, c.get("verificationStatus"))
    assert _code(c.get("clinicalStatus")) == "active", (term, c.get("clinicalStatus"))
    return c


def assert_refuted(bundle: dict, term: str) -> dict:
    c = one_condition(bundle, term)
    assert _code(c.get("verificationStatus")) == "refuted", (term, c.get("verificationStatus"))
    assert "clinicalStatus" not in c, (term, c.get("clinicalStatus"))
    return c


def xf(*args, reason: str):
    return pytest.param(*args, marks=pytest.mark.xfail(strict=True, reason=reason))


# ----------------------------------------------------------------------------- negation
NEGATED = [
    ("The patient denied fever.", "fever"),
    ("There was no evidence of pneumonia.", "pneumonia"),
    ("A biopsy showed no evidence of malignancy.", "malignancy"),
    ("He presented without chest pain or dyspnea.", "chest pain"),
    ("He presented without chest pain or dyspnea.", "dyspnea"),
    ("No lymphadenopathy was found.", "lymphadenopathy"),
    ("Lymphadenopathy was absent.", "lymphadenopathy"),
    ("There were no signs of infection.", "infection"),
    ("He reported no nausea, vomiting, or diarrhea.", "nausea"),
    ("He reported no nausea, vomiting, or diarrhea.", "vomiting"),
    ("He reported no nausea, vomiting, or diarrhea.", "diarrhea"),
    ("Neither fever nor chills were reported.", "chills"),
    ("The patient did not have diabetes.", "diabetes"),
    ("Pulmonary tuberculosis was ruled out.", "tuberculosis"),
    ("Malignancy was ruled out.", "malignancy"),
    ("There was no palpable lymphadenopathy or visceromegaly.", "visceromegaly"),
    ("He had no clinical evidence of myocarditis or heart failure.", "myocarditis"),
    ("He had no clinical evidence of myocarditis or heart failure.", "heart failure"),
    ("Urine tests revealed no evidence of porphyria.", "porphyria"),
    ("There were no signs of finger clubbing or pulmonary hypertension.", "pulmonary hypertension"),
    ("However, no symptoms of nausea, vomiting, fever, or shaking chills were demonstrated.", "shaking chills"),
    ("On physical examination, he looked pale, not jaundiced or cyanosed.", "jaundice"),
    ("Tuberculosis was ruled out.", "tuberculosis"),
    pytest.param("She was negative for hepatitis B.", "hepatitis"),
    pytest.param("Peritoneal fluid was negative for malignancy.", "malignancy"),
    ("He has not demonstrated any cognitive impairment.", "cognitive impairment"),
    ("The endoscopy did not revealed an enlarged esophagus.", "enlarged"),
    ("Liver dysfunction did not appear.", "liver dysfunction"),
    ("Facial or dental abnormalities were not noted.", "dental abnormalities"),
    ("He was diagnosed with pulmonary veno-occlusive disease instead of pulmonary embolism.", "pulmonary embolism"),
    ("No obvious side effects were discovered during the treatment.", "side effects"),
    ("The patient was extubated without problems.", "problems"),
    ("There was no pericardial rub or murmur.", "pericardial rub"),
    ("She had never experienced signs of sexually transmitted diseases.", "sexually transmitted diseases"),
    ("Porphyria and diabetic ketoacidosis also had to be excluded.", "diabetic ketoacidosis"),
    ("The differential diagnosis included encephalitis and Guillain-Barré syndrome, which were excluded.",
     "Guillain-Barré syndrome"),
    # a finding stated to have gone away, like 'resolved'
    ("On hospital day 4, his fever had subsided and he felt better.", "fever"),
    ("The 1st convulsion ceased 1 min after the measures of resuscitation.", "convulsion"),
    ("Symptoms of fever, cough, and vomiting cleared with antibiotics.", "vomiting"),
    ("Her dyspnea ameliorated after the dose was increased.", "dyspnea"),
    ("The anemia and thrombopenia corrected by transfusion of packed red blood cells.", "thrombopenia"),
    ("The calcium, glucose and hypothermia were reversed.", "hypothermia"),
    ("Her dyspnea and leg edema were relieved by diuretics.", "edema"),
    ("Continued for 3 weeks after cessation of epistaxis by nasal tamponade.", "epistaxis"),
    ("Although the patient recovered from his zinc deficiency, he later passed away.", "zinc deficiency"),
    ("From that point, she remained free from any cardiac or infectious complications.", "infectious complications"),
]


@pytest.mark.parametrize("text,term", NEGATED)
def test_negated_condition_is_refuted(convert, text, term):
    assert_refuted(convert(text), term)


# ----------------------------------------------------------------------------- uncertainty
UNCERTAIN = [
    ("Suspected sarcoidosis was considered.", "sarcoidosis"),
    ("Possible pneumonia was noted on the radiograph.", "pneumonia"),
    ("The findings were suggestive of lymphoma.", "lymphoma"),
    ("Pulmonary embolism could not be excluded.", "pulmonary embolism"),
    ("Pneumonia was suspected.", "pneumonia"),
    ("She underwent coronary angiography to exclude obstructive coronary artery disease.", "coronary artery disease"),
    ("Echocardiography showed a mobile mass highly suspicious of a thrombus.", "thrombus"),
    ("Considering the possibility of hemophilia, his coagulation factors were examined.", "hemophilia"),
    ("A diagnosis of lymphoma was considered.", "lymphoma"),
    ("Differential diagnosis included sarcoidosis.", "sarcoidosis"),
    ("He was probably suffering from gout.", "gout"),
    ("Following the above-mentioned examinations, vasculitis was suspected.", "vasculitis"),
    pytest.param("Rule out meningitis.", "meningitis"),
]


@pytest.mark.parametrize("text,term", UNCERTAIN)
def test_uncertain_condition_is_provisional(convert, text, term):
    c = one_condition(convert(text), term)
    assert _code(c.get("verificationStatus")) == "provisional", c.get("verificationStatus")
    assert any(x.get("valueCode") == "uncertain" for x in c.get("extension", []) if x["url"].endswith("nlp-assertion"))


# ----------------------------------------------------------------------------- history
HISTORICAL = [
    ("She had a history of breast cancer.", "breast cancer"),
    ("He has a past history of myocardial infarction.", "myocardial infarction"),
    ("He had a history of hypertension and diabetes mellitus.", "hypertension"),
    ("He had a history of hypertension and diabetes mellitus.", "diabetes mellitus"),
    ("She had a history of pulmonary tuberculosis.", "tuberculosis"),
    ("She had a history of tuberculosis.", "tuberculosis"),
]


@pytest.mark.parametrize("text,term", HISTORICAL)
def test_historical_condition_is_resolved(convert, text, term):
    c = one_condition(convert(text), term)
    assert _code(c.get("clinicalStatus")) == "resolved", c.get("clinicalStatus")
    assert _code(c.get("verificationStatus")) == "confirmed", c.get("verificationStatus")


PRESENT_ILLNESS = [
    # a denied history ends where the story goes on: 'developed', 'presenting with'
    ("A 53-year-old woman without significant past medical history developed severe viral pneumonia.", "pneumonia"),
    ("A 60-year-old woman with no significant medical history developed exercise intolerance and fatigue.", "fatigue"),
    ("A 66-year-old woman with no significant past medical history presenting with chest pain.", "chest pain"),
    ("A 53-year-old man came to our hospital with signs of acute heart failure after a 2-week history of "
     "progressive breathlessness.", "breathlessness"),
    ("An 11-year-old boy presented with a history of headaches and vomiting that had been present for several months.",
     "headaches"),
]


@pytest.mark.parametrize("text,term", PRESENT_ILLNESS)
def test_history_of_present_illness_is_active(convert, text, term):
    assert_confirmed(convert(text), term)


# ----------------------------------------------------------------------------- family
FAMILY = [
    ("Her mother had lupus.", "MTH", "lupus"),
    ("His father died of myocardial infarction.", "FTH", "myocardial infarction"),
    ("Her sister has breast cancer.", "SIS", "breast cancer"),
    ("His brother had epilepsy.", "BRO", "epilepsy"),
    ("Her son has asthma.", "SON", "asthma"),
    ("There was a family history of colon cancer.", "FAMMEMB", "colon cancer"),
    ("Her mother and sister had hypothyroidism.", "MTH", "hypothyroidism"),
    ("Her mother and sister had hypothyroidism.", "SIS", "hypothyroidism"),
    ("His father, brother and sister had diabetes mellitus.", "BRO", "diabetes mellitus"),
    pytest.param("His grandfather had colon cancer.", "GRFTH", "colon cancer"),
    ("Her maternal aunt had ovarian cancer.", "MAUNT", "ovarian cancer"),
    ("His paternal grandfather had colon cancer.", "PGRFTH", "colon cancer"),
    ("She had family members with G6PD deficiency.", "FAMMEMB", "G6PD deficiency"),
    pytest.param("Her daughter was diagnosed with leukemia.", "DAU", "leukemia"),
    pytest.param("It was also revealed that his younger brother had been diagnosed with hemophilia B during adolescence.",
       "BRO", "hemophilia"),
    pytest.param("Family history was significant for diabetes mellitus in her father.", "FTH", "diabetes mellitus"),
]


@pytest.mark.parametrize("text,code,term", FAMILY)
def test_family_history(convert, text, code, term):
    b = convert(text)
    got = family(b, term)
    assert got, f"no FamilyMemberHistory with {term!r}: {[(f['relationship']['coding'][0]['code'], [c['code'].get('text') for c in f.get('condition', [])]) for f in resources(b, 'FamilyMemberHistory')]}"
    assert code in {f["relationship"]["coding"][0]["code"] for f in got}
    assert all(f["relationship"]["coding"][0]["system"] == "http://terminology.hl7.org/CodeSystem/v3-RoleCode" for f in got)
    assert not conditions(b, term), "a family member's condition must not be a patient Condition"


FAMILY_ABSENT = [
    ("There was no family history of malignancy.", "malignancy"),
    ("Her father had no history of diabetes.", "diabetes"),
]


@pytest.mark.parametrize("text,term", FAMILY_ABSENT)
def test_family_history_stated_absent(convert, text, term):
    b = convert(text)
    got = family(b, term)
    assert got
    notes = [n["text"] for f in got for c in f["condition"] for n in c.get("note", [])]
    assert any("absent" in n for n in notes), notes
    assert not conditions(b, term)


FAMILY_AND_PATIENT = [
    # (text, patient gender, family relationship, family term, patient term or None)
    ("Her mother had lupus; she had a rash.", "female", "MTH", "lupus", "rash"),
    pytest.param("His mother has hypertension, and he has asthma.", "male", "MTH", "hypertension", "asthma"),
    pytest.param("Her son has asthma.", "female", "SON", "asthma", None),
    xf("Family history was significant for diabetes mellitus in her father.", "female", "FAMMEMB", "diabetes mellitus", None,
       reason="the relative's sex ('father') sets Patient.gender male although the patient is 'her'"),
]


@pytest.mark.parametrize("text,gender,code,fterm,pterm", FAMILY_AND_PATIENT)
def test_family_does_not_leak_into_patient(convert, text, gender, code, fterm, pterm):
    b = convert(text)
    assert resources(b, "Patient")[0].get("gender") == gender
    assert code in {f["relationship"]["coding"][0]["code"] for f in family(b, fterm)}
    if pterm:
        assert_confirmed(b, pterm)
        assert not family(b, pterm)


# ----------------------------------------------------------------------------- drugs
# Each hypothetical sentence is followed by a control sentence so the test cannot pass on empty output.
HYPOTHETICAL = [
    ("Bisphosphonates may be used. She was treated with prednisone.", "bisphosphonate"),
    ("Methotrexate should be considered. She was treated with prednisone.", "methotrexate"),
    ("Aspirin was recommended. She was treated with prednisone.", "aspirin"),
    ("If symptoms recur, colchicine could be tried. She was treated with prednisone.", "colchicine"),
    pytest.param("We recommend starting metformin. She was treated with prednisone.", "metformin"),
]


@pytest.mark.parametrize("text,drug", HYPOTHETICAL)
def test_hypothetical_drug_has_no_statement(convert, text, drug):
    b = convert(text)
    control = meds(b, "prednisone")
    assert control and control[0]["status"] == "active"
    assert not meds(b, drug), [m["status"] for m in meds(b, drug)]


DRUG_STATUS = [
    ("Prednisone was discontinued.", "prednisone", "stopped"),
    ("Methotrexate was stopped because of hepatotoxicity.", "methotrexate", "stopped"),
    ("Warfarin was withdrawn.", "warfarin", "stopped"),
    ("Valproic acid was discontinued on postoperative day 7.", "valproic acid", "stopped"),
    ("The patient was started on amoxicillin, which was stopped after two days because of a rash.", "amoxicillin", "stopped"),
    ("She refused methotrexate.", "methotrexate", "not-taken"),
    ("She declined insulin.", "insulin", "not-taken"),
    ("He was treated with prednisone.", "prednisone", "active"),
    ("She was treated with methotrexate and prednisone.", "methotrexate", "active"),
    ("She was treated with methotrexate and prednisone.", "prednisone", "active"),
    ("A 69-year-old woman presented with fever. She was started on prednisone, which was later discontinued.", "prednisone", "stopped"),
    ("The patient was taking aspirin 81 mg per day, but was not on any anticoagulant agents.", "anticoagulant", "not-taken"),
    pytest.param("The patient was taking aspirin 81 mg per day, but was not on any anticoagulant agents.", "aspirin", "active"),
    xf("Prednisone was tapered and then discontinued; methotrexate was continued.", "prednisone", "stopped",
       reason="'tapered and then discontinued' is not seen as stopped: status active"),
    ("Prednisone was tapered and then discontinued; methotrexate was continued.", "methotrexate", "active"),
    xf("He refused chemotherapy with cisplatin.", "cisplatin", "not-taken",
       reason="refusal covers 'chemotherapy' only: cisplatin comes out active"),
    # a negation of something else in the sentence does not deny the drug
    ("The mass did not regress, despite a 4-week course of cabergoline.", "cabergoline", "active"),
    ("Proteinuria and hand-foot syndrome were not observed during apatinib therapy.", "apatinib", "active"),
    ("He gained weight without changing the dose of his levothyroxine.", "levothyroxine", "active"),
    ("After 5 months of therapy with carnitine, her total carnitine and free carnitine levels normalized.", "carnitine", "active"),
    ("He had not been prescribed anticoagulants or antiplatelet agents.", "antiplatelet", "not-taken"),
    ("She did not receive chemotherapy.", "chemotherapy", "not-taken"),
    # refusals and non-use said after the drug
    ("Cyclophosphamide-based immunosuppressive therapy was proposed but refused because of side effects.",
     "immunosuppressive", "not-taken"),
    ("Intravenous immunoglobulin (IVIG) therapy was suggested but denied by the parents.", "intravenous immunoglobulin", "not-taken"),
    ("N2O was not used for inhalation anaesthesia.", "n2o", "not-taken"),
    # the drug switched away from is stopped; a change of route or dose is not a stop
    ("After 3 days, captopril was changed to amlodipine because of cough.", "captopril", "stopped"),
    ("After 3 days, captopril was changed to amlodipine because of cough.", "amlodipine", "active"),
    ("Heparin was replaced by warfarin.", "heparin", "stopped"),
    ("Methylprednisolone was changed to oral form.", "methylprednisolone", "active"),
    ("Prednisone was changed to 10 mg daily.", "prednisone", "active"),
    # intake words that are treatment context
    ("Glucocorticoid, mannitol, and a vasodilator were used.", "mannitol", "active"),
    ("Her hypertension was properly controlled with amlodipine.", "amlodipine", "active"),
    ("Her symptoms did not improve with the addition of psyllium.", "psyllium", "active"),
    ("The patient underwent CT with contrast and was treated with ceftriaxone.", "ceftriaxone", "active"),
]


@pytest.mark.parametrize("text,drug,status", DRUG_STATUS)
def test_medication_status(convert, text, drug, status):
    got = meds(convert(text), drug)
    assert len(got) == 1, [(m["medicationCodeableConcept"].get("text"), m["status"]) for m in resources(convert(text), "MedicationStatement")]
    assert got[0]["status"] == status


COMBINATIONS = [
    ("He was switched to trimethoprim-sulfamethoxazole.", "trimethoprim-sulfamethoxazole"),
    ("Tazobactam/piperacillin (4.5 g q12h) was administered.", "tazobactam/piperacillin"),
    ("She received ampicillin-sulbactam in a drip for 2 weeks.", "ampicillin-sulbactam"),
]


def test_brand_in_product_citation_is_no_second_mention(convert):
    """"capecitabine (Xeloda; Hoffmann-La Roche Inc., ...)": the maker's citation of a drug already named adds no
    mention; an ingredient named only in such a bracket still gives its statement."""
    b = convert("She received eight cycles of adjuvant chemotherapy with capecitabine (Xeloda; Hoffmann-La Roche Inc., "
                "Nutley, NJ, USA).")
    got = meds(b, "capecitabine")
    assert len(got) == 1 and len([e for e in got[0].get("extension", []) if e["url"] == DERIVATION]) == 1, got
    b = convert("She was taking a combination oral contraceptive pill (drospirenone/ethinylestradiol, trade name; Yaz™, "
                "Bayer, Leverkusen, Germany).")
    assert meds(b, "drospirenone"), [m["medicationCodeableConcept"].get("text") for m in resources(b, "MedicationStatement")]


def test_dose_of_another_drug_is_treatment_context(convert):
    b = convert("Broad-spectrum antibiotics with piperacillin 2 g and tazobactam 0.25 gm i.v.\nq8h had been administered.")
    assert meds(b, "antibiotics"), [m["medicationCodeableConcept"].get("text") for m in resources(b, "MedicationStatement")]


@pytest.mark.parametrize("text,drug", COMBINATIONS)
def test_combination_product_is_one_statement(convert, text, drug):
    """Two names joined by a hyphen or slash that the vocabulary knows as a pair: one product, one statement."""
    got = resources(convert(text), "MedicationStatement")
    assert [m["medicationCodeableConcept"].get("text").lower() for m in got] == [drug]


REGIMENS = [
    # (sentence, regimen as written, its drugs)
    ("She underwent rituximab-hyperfractionated-cyclophosphamide-vincristine-doxorubicin-dexamethasone (R-Hyper-CVAD) "
     "chemotherapy.", "rituximab-hyperfractionated-cyclophosphamide-vincristine-doxorubicin-dexamethasone",
     ["rituximab", "cyclophosphamide", "vincristine", "doxorubicin", "dexamethasone", "methotrexate", "cytarabine"]),
    ("He was treated with cisplatin-pemetrexed for four cycles.", "cisplatin-pemetrexed", ["cisplatin", "pemetrexed"]),
    ("First-line carboplatin/paclitaxel was started.", "carboplatin/paclitaxel", ["carboplatin", "paclitaxel"]),
]


@pytest.mark.parametrize("text,name,drugs", REGIMENS)
def test_regimen_named_by_its_drugs_is_one_statement(convert, text, name, drugs):
    """Drug names joined by hyphens or slashes that make no known product: one statement for the regimen, its
    medication a contained Medication with each drug an ingredient."""
    # (a regimen's name in brackets after it, "(R-Hyper-CVAD)", is a second mention of the same statement,
    # whose drugs then come from the named regimen's row in drug_classes.tsv)
    got = [m for m in resources(convert(text), "MedicationStatement")
           if (m.get("medicationReference") or {}).get("display") == name]
    assert len(got) == 1, resources(convert(text), "MedicationStatement")
    st = got[0]
    assert st["medicationReference"] == {"reference": "#regimen", "display": name}
    (med,) = st["contained"]
    assert med["resourceType"] == "Medication" and med["id"] == "regimen" and med["code"]["text"] == name
    assert [i["itemCodeableConcept"]["text"].lower() for i in med["ingredient"]] == drugs
    for m in resources(convert(text), "MedicationStatement"):  # no drug of the regimen is a statement of its own
        assert (m.get("medicationCodeableConcept") or {}).get("text", "").lower() not in drugs


def test_regimen_name_in_brackets_is_a_second_mention(convert):
    text = ("She underwent rituximab-hyperfractionated-cyclophosphamide-vincristine-doxorubicin-dexamethasone "
            "(R-Hyper-CVAD) chemotherapy.")
    regimens = [m for m in resources(convert(text), "MedicationStatement") if m.get("medicationReference")]
    assert len(regimens) == 1
    spans = [(x["extension"][1]["valueInteger"], x["extension"][2]["valueInteger"]) for x in regimens[0]["extension"]
             if x["url"].endswith("derivation-reference")]
    assert [text[a:a + n] for a, n in spans] == [
        "rituximab-hyperfractionated-cyclophosphamide-vincristine-doxorubicin-dexamethasone", "R-Hyper-CVAD"]
    other = "She received cisplatin-pemetrexed (two cycles)."  # a bracket that names no regimen changes nothing
    assert [m["medicationReference"]["display"] for m in resources(convert(other), "MedicationStatement")] == [
        "cisplatin-pemetrexed"]


def test_drugs_not_joined_stay_apart(convert):
    got = resources(convert("He was treated with cisplatin and pemetrexed, and later with ondansetron."), "MedicationStatement")
    assert sorted(m["medicationCodeableConcept"]["text"].lower() for m in got) == ["cisplatin", "ondansetron", "pemetrexed"]


NAMED_REGIMENS = [
    # (sentence, regimen as written, its drugs as mappings/drug_classes.tsv lists them)
    ("He was referred for chemotherapy with rituximab, cyclophosphamide, doxorubicin, vincristine, and prednisone "
     "(R-CHOP regimen).", "R-CHOP regimen", ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"]),
    ("She received six cycles of ABVD.", "ABVD", ["doxorubicin", "bleomycin", "vinblastine", "dacarbazine"]),
    ("Adjuvant FOLFOX was administered every 2 weeks.", "FOLFOX", ["fluorouracil", "leucovorin", "oxaliplatin"]),
    ("He was then treated with XELOX.", "XELOX", ["capecitabine", "oxaliplatin"]),
]


@pytest.mark.parametrize("text,name,drugs", NAMED_REGIMENS)
def test_named_regimen_has_its_drugs_as_ingredients(convert, text, name, drugs):
    """A regimen named by its initials ("R-CHOP", "ABVD"): one statement whose medication is a contained Medication
    with the regimen's drugs as ingredients, like a regimen written as its drugs joined by hyphens."""
    got = [m for m in resources(convert(text), "MedicationStatement") if "medicationReference" in m]
    assert len(got) == 1, resources(convert(text), "MedicationStatement")
    st = got[0]
    assert "medicationCodeableConcept" not in st
    assert st["medicationReference"] == {"reference": "#regimen", "display": name}
    (med,) = st["contained"]
    assert med["resourceType"] == "Medication" and med["code"]["text"] == name
    assert [i["itemCodeableConcept"]["text"].lower() for i in med["ingredient"]] == drugs


@pytest.mark.parametrize("text,name", [("He was treated with ACE inhibitors.", "ACE inhibitors"),
                                       ("She was given platinum-based chemotherapy.", "platinum-based chemotherapy")])
def test_drug_class_is_no_regimen(convert, text, name):
    """A drug class ("ACE inhibitors") lists example members only: its statement keeps its concept, no ingredients."""
    got = resources(convert(text), "MedicationStatement")
    assert [m["medicationCodeableConcept"]["text"] for m in got] == [name]
    assert all("contained" not in m and "medicationReference" not in m for m in got)


DOSAGE_TEXT = [
    # (sentence, drug, words dosage[0].text must contain)
    ("Ocular involvement was controlled by oral corticosteroids.", "corticosteroids", "oral"),
    ("She received intravenous steroids.", "steroids", "intravenous"),
    ("Tegafur injection on day 2 to 4 (1000 mg per square meter) was given.", "tegafur", "injection on day 2 to 4"),
    ("He was treated with metoprolol succinate sustained-release tablets (23.75 mg daily, p.o.).", "metoprolol",
     "sustained-release tablets"),
]


@pytest.mark.parametrize("text,drug,words", DOSAGE_TEXT)
def test_dosage_text_keeps_route_and_form_words(convert, text, drug, words):
    got = meds(convert(text), drug)
    assert got and words in (got[0].get("dosage") or [{}])[0].get("text", ""), got and got[0].get("dosage")


def test_later_duration_is_a_second_dosage(convert):
    b = convert("She was started on prednisone 60 mg daily. She was prescribed this high-dose prednisone for three months.")
    got = meds(b, "prednisone")
    assert len(got) == 1 and len(got[0]["dosage"]) == 2, got
    assert got[0]["dosage"][1]["timing"]["repeat"]["boundsDuration"]["code"] == "mo"


def test_duration_after_stopping_is_no_dosage(convert):
    b = convert("She was started on febuxostat 40 mg daily. After stopping febuxostat for 17 days, her neutropenia improved.")
    got = meds(b, "febuxostat")
    assert len(got) == 1 and len(got[0]["dosage"]) == 1, got


NAMED_DRUGS = [
    # (sentence, words a MedicationStatement's text must contain): regimens, classes, spellings
    ("A regimen of 5-fluorouracil, leucovorin, and oxaliplatin (FOLFOX) was administered every 2 weeks.", "FOLFOX"),
    ("She was referred for rituximab, cyclophosphamide, doxorubicin, vincristine, and prednisone (R-CHOP regimen).", "R-CHOP"),
    ("After the first course of the R-Hyper-CVAD chemotherapy protocol, she underwent surgery.", "R-Hyper-CVAD"),
    ("Glucocorticoid, mannitol, and a vasodilator were used.", "vasodilator"),
    ("Her hemoptysis was alleviated by anti-tussive therapy.", "anti-tussive"),
    ("Symptomatic treatment with a hemostatic drug was prescribed.", "hemostatic drug"),
    ("She was treated with anti-epilepsy medications.", "anti-epilepsy medications"),
    ("The mass did not regress despite a course of the dopamine analog cabergoline.", "dopamine analog"),
    ("General anaesthesia was maintained with sevofluorane.", "sevofluorane"),
    ("He was placed on β-interferon-1a 44 μg subcutaneously 3 times a week.", "β-interferon-1a"),
    ("PEG-IFN-α-2a (180 μg) plus ribavirin was started.", "PEG-IFN-α-2a"),
    ("He commenced a high-fat diet and coenzyme Q with improvement in energy.", "coenzyme Q"),
    ("The administration of L-AMB (3 mg/kg/day) was continued.", "L-AMB"),
    ("A CT scan was performed after 6 courses of chemotherapy.", "chemotherapy"),
    ("On day 1 we prescribed an angiotensin-converting enzyme (ACE) inhibitor.", "ACE"),
    ("She was administered 1 cycle of chemotherapy with oxaliplatin and S-1.", "S-1"),
    ("An emulsion of oxaliplatin, pirarubicin and hydroxycamptothecin was administered.", "hydroxycamptothecin"),
    ("She was treated with pamidronate, calcitonin, and intravenous fluids.", "calcitonin"),
    ("Despite infusions of bicarbonate and THAM, her acidosis continued to worsen.", "bicarbonate"),
    ("Despite intravenous rehydration using saline and albumin, renal function worsened.", "albumin"),
    ("Treprostinil was not available, so we started parenteral prostanoids.", "prostanoids"),
    ("Furosemide and compound α-ketoacid tablets (2.52 g daily, p.o.) were given.", "α-ketoacid"),
    ("Steroids (prednisone 20 mg/day) and neutral phosphate (1.0 g/day for 5 months) were given.", "neutral phosphate"),
    ("After discharge she has only received traditional Chinese medicine.", "traditional Chinese medicine"),
    ("Iron sucrose 200 mg was given intravenously.", "iron sucrose"),
]


@pytest.mark.parametrize("text,words", NAMED_DRUGS)
def test_named_drug_gives_statement(convert, text, words):
    got = [m["medicationReference"]["display"] if "medicationReference" in m else m["medicationCodeableConcept"].get("text")
           for m in resources(convert(text), "MedicationStatement")]  # a regimen: its contained Medication's name
    assert any(words.lower() in (g or "").lower() for g in got), got


NOT_DRUGS = [
    # (sentence that also gives a treatment, words that must not become a MedicationStatement)
    ("A nodule lay in the left lower thyroid and she was treated with prednisone.", "thyroid"),
    ("Pseudomonas aeruginosa was identified from a sputum culture, and meropenem was administered.", "pseudomonas"),
    ("Warfarin was prescribed due to positive anti-phospholipid antibodies.", "phospholipid"),
    ("She was ventilated with a 0.45 fraction of inspired oxygen and treated with meropenem.", "oxygen"),
    ("After chemotherapy with cisplatin, Ivor-Lewis esophagectomy was performed.", "ivor"),
    ("Examination using hematoxylin and eosin staining was done after treatment with cisplatin.", "hematoxylin"),
    ("Clonality analysis of the immunoglobulin heavy chain gene was done after treatment with cisplatin.", "immunoglobulin"),
    ("She was treated with cisplatin and had electrolyte derangements.", "electrolyte"),
    ("Tests revealed elevated alkaline phosphatase, and she was treated with cisplatin.", "phosphatase"),
    ("There was no major bleeding after the hemostatic therapy with tranexamic acid.", "hemostatic"),
    ("She reported allergy to diclofenac and was treated with cisplatin.", "diclofenac"),
    ("Bone scintigraphy using technetium-99m methylenediphosphate was done after treatment with cisplatin.", "technetium"),
    ("Bronchoalveolar lavage (BAL) with 150 mL saline was done during treatment with cisplatin.", "saline"),
    ("The lesion was non-enhancing after gadolinium; she was treated with cisplatin.", "gadolinium"),
    ("Fluorescein in situ hybridization was negative after treatment with cisplatin.", "fluorescein"),
    ("He is allergic to penicillin and received vancomycin.", "penicillin"),
    ("A strongly positive reaction to immunoglobulin λ-chain was seen after treatment with cisplatin.", "immunoglobulin"),
    ("Serum calcitonin was elevated and she was treated with cisplatin.", "calcitonin"),
    ("She was treated with cisplatin; albumin was 2.1 g/dL.", "albumin"),
    ("Her S1 and S2 were normal and she was treated with cisplatin.", "s1"),
    ("Borderline growth hormone (GH) deficiency was found and she was treated with cisplatin.", "growth hormone"),
    ("Valproic acid (VPA) levels were high and she was treated with cisplatin.", "vpa"),
    ("Fluorescein and indocyanine green angiography showed leakage after treatment with cisplatin.", "fluorescein"),
    ("Fluorescein and indocyanine green angiography showed leakage after treatment with cisplatin.", "indocyanine"),
    ("Peak growth hormone to insulin-induced hypoglycaemia was low; she was treated with cisplatin.", "growth hormone"),
    ("The tacrolimus trough concentration was 6.3 ng/mL and she was treated with cisplatin.", "tacrolimus"),
    ("Branched-chain α-ketoacid dehydrogenase activity was low after treatment with cisplatin.", "ketoacid"),
    ("She drank a juice claimed to have anti-inflammatory properties and was treated with cisplatin.", "inflammatory"),
    ("Anti-Xa heparin activity was 0.5 IU/mL and she was treated with cisplatin.", "heparin"),
    ("Valproic acid (VPA) levels were high and she was treated with cisplatin.", "valpro"),
    ("She was advised to avoid foods high in disaccharides, such as sucrose and maltose, while on miglustat treatment.", "sucrose"),
    ("She was advised to avoid foods high in disaccharides, such as sucrose and maltose, while on miglustat treatment.", "maltose"),
    ("She kept a lactose-free diet and was treated with cisplatin.", "lactose"),
    ("She smoked one cigarette dipped in liquid phencyclidine (PCP) and was treated with lorazepam.", "phencyclidine"),
    ("She took drospirenone/ethinylestradiol betadex (Yaz) and was treated with rivaroxaban.", "betadex"),
]


@pytest.mark.parametrize("text,word", NOT_DRUGS)
def test_words_that_name_no_drug(convert, text, word):
    got = [m["medicationCodeableConcept"].get("text") for m in resources(convert(text), "MedicationStatement")]
    assert got and not [g for g in got if word in g.lower()], got


# ----------------------------------------------------------------------------- literature sections
LITERATURE = [
    # (text, literature term that must give no patient resource, case term that must be a confirmed Condition)
    ("BACKGROUND\nDermatomyositis is associated with malignancy.\n\nCASE REPORT\nA 60-year-old man had pain.",
     "dermatomyositis", "pain"),
    ("INTRODUCTION\nDermatomyositis is an idiopathic inflammatory myopathy.\n\nCASE PRESENTATION\n"
     "A 50-year-old woman presented with dysphagia.", "myopathy", "dysphagia"),
    ("CASE PRESENTATION\nA 50-year-old woman presented with rash.\n\nDISCUSSION\n"
     "Malignancy occurs in 20% of patients with dermatomyositis.", "malignancy", "rash"),
    ("CASE PRESENTATION\nA 50-year-old woman presented with rash.\n\nCONCLUSION\n"
     "Clinicians should consider sarcoidosis in such patients.", "sarcoidosis", "rash"),
]


@pytest.mark.parametrize("text,lit,case", LITERATURE)
def test_literature_gives_no_patient_resource(convert, text, lit, case):
    b = convert(text)
    assert_confirmed(b, case)
    assert not conditions(b, lit)
    assert not family(b, lit)


def test_literature_drug_gives_no_statement(convert):
    b = convert("BACKGROUND\nBisphosphonates may cause osteonecrosis of the jaw.\n\n"
                "CASE REPORT\nA 60-year-old man was treated with prednisone.")
    assert [m["status"] for m in meds(b, "prednisone")] == ["active"]
    assert not meds(b, "bisphosphonate")
    assert not conditions(b, "osteonecrosis")


def test_discussion_about_our_patient_is_kept(convert):
    b = convert("CASE PRESENTATION\nA 50-year-old woman presented with rash.\n\nDISCUSSION\n"
                "In our patient, hypothyroidism was also present.")
    assert_confirmed(b, "rash")
    assert_confirmed(b, "hypothyroidism")


# ----------------------------------------------------------------------------- coordination
COORDINATION = [
    ("She presented with myalgias, proximal muscle weakness, dysphagia.", ["myalgias", "proximal muscle weakness", "dysphagia"]),
    ("She had erythema of the face and upper trunk.", ["erythema"]),
    ("She had fever, cough and dyspnea.", ["fever", "cough", "dyspnea"]),
    ("He complained of headache, nausea, and photophobia.", ["headache", "nausea", "photophobia"]),
    ("He developed pain and swelling of the left knee.", ["pain", "swelling"]),
    ("Chest x-ray film confirmed right pleural effusion, and mild cardiomegaly.", ["pleural effusion", "cardiomegaly"]),
]


@pytest.mark.parametrize("text,terms", COORDINATION)
def test_coordinated_conditions(convert, text, terms):
    b = convert(text)
    for t in terms:
        assert_confirmed(b, t)
    assert len(resources(b, "Condition")) == len(terms), [c["code"].get("text") for c in resources(b, "Condition")]


# ----------------------------------------------------------------------------- repeated mentions
REPEATED = [
    ("The patient had fever. Fever persisted for two days. Despite antibiotics, fever continued.", "fever"),
    ("The patient had a rash. The rash spread to the arms. A biopsy of the rash was performed.", "rash"),
    xf("The patient had fever. The fever persisted for two days. On day three the fever resolved.", "fever",
       reason="'the fever resolved' is read as a negation: a second, refuted fever Condition"),
]


@pytest.mark.parametrize("text,term", REPEATED)
def test_three_mentions_one_condition(convert, text, term):
    c = assert_confirmed(convert(text), term)
    refs = [x for x in c.get("extension", []) if x["url"] == DERIVATION]
    assert len(refs) == 3
    offsets = sorted(next(e["valueInteger"] for e in r["extension"] if e["url"] == "offset") for r in refs)
    assert len(set(offsets)) == 3
    assert all(text[o: o + len(term)].lower() == term for o in offsets)


# ----------------------------------------------------------------------------- pseudo-negation
PSEUDO = [
    ("There was no change in the size of the mass.", ["mass"]),
    ("CT showed no change in the size of the mass.", ["mass"]),
    ("No change in the rash was observed after treatment.", ["rash"]),
    ("No significant change in the lesion was seen.", ["lesion"]),
    ("She had not only fever but also rash.", ["fever", "rash"]),
    ("Not only fever but also arthralgia was present.", ["fever", "arthralgia"]),
    ("The rash did not resolve.", ["rash"]),
    ("No improvement was observed and the rash worsened.", ["rash"]),
    ("He was admitted because of no relief of dyspnea.", ["dyspnea"]),
    ("Iron was supplemented without improvement in his anaemia.", ["anaemia"]),
    ("CT showed a mass with calcifications and localized free air.", ["calcifications"]),
    ("The hematoma did not appear to have spread the next day.", ["hematoma"]),
    ("This medication did not relieve his dyspnea.", ["dyspnea"]),
    ("His dyspnea was not relieved by the treatment.", ["dyspnea"]),
    ("The patient's dyspnea was relieved slightly after the use of these medications.", ["dyspnea"]),
    ("CT showed regression with disappearance of most of the lesions.", ["lesions"]),
    ("He was followed as an out-patient, without further exacerbation of heart failure.", ["heart failure"]),
    ("Biopsy showed no evident change in the grading of bone marrow fibrosis.", ["fibrosis"]),
    ("MRI showed no obvious change in the size of the cyst.", ["cyst"]),
    ("He developed many, but not fatal, episodes of pulmonary edema.", ["pulmonary edema"]),
]


@pytest.mark.parametrize("text,terms", PSEUDO)
def test_pseudo_negation_is_not_negation(convert, text, terms):
    b = convert(text)
    for t in terms:
        assert_confirmed(b, t)


# ----------------------------------------------------------------------------- scope ends
SCOPE = [
    # (text, refuted term, confirmed term)
    ("She had no fever but a rash.", "fever", "rash"),
    ("He had no fever; however, he had a cough.", "fever", "cough"),
    ("He denied any fever and his cough slowly worsened.", "fever", "cough"),
    ("He had no fever, however he had a cough.", "fever", "cough"),
    ("She had no fever, but she developed a cough.", "fever", "cough"),
    ("Chest x-ray film confirmed right pleural effusion, and mild cardiomegaly but no pulmonary congestion.",
     "pulmonary congestion", "cardiomegaly"),
    ("On physical examination, he looked pale, not jaundiced or cyanosed.", "cyanosed", "pale"),
    ("Neurological examination identified hyperreflexia in the lower limbs; however, cerebellar signs were negative.",
     "cerebellar signs", "hyperreflexia"),
]


SCOPE += [
    ("The abdomen was soft, non-tender, with diffuse, non-scarring alopecia of the scalp.", "tender", "alopecia"),
    ("Biopsies revealed non-necrotizing epithelioid granulomas and no malignancy.", "malignancy", "granulomas"),
    ("Studies ruled out any cardiac cause for the stroke.", None, "stroke"),
    ("There were no focal findings and only slight nuchal rigidity.", None, "nuchal rigidity"),
    ("CT angiogram showed absence of flow in the right subclavian artery, a tight stenosis of the left one.", None,
     "stenosis"),
    ("The tumor was negative for ER, and the margins were negative for malignancy.", "malignancy", "tumor"),
    ("He had weak to absent tendon reflexes in the lower extremities, and exercise intolerance.", None,
     "exercise intolerance"),
    ("He complained of abdominal pain, combined with absence of appetite and vomiting on a single occasion.", None,
     "vomiting"),
    ("The patient had carnitine deficiency evident by low free serum carnitine.", None, "carnitine deficiency"),
    ("The surgical margins were tumor-free.", "tumor", None),
    ("Serology: HIV negative, and syphilis negative.", "syphilis", None),
    ("In addition, no Epstein-Barr virus was observed in this lymphoma.", None, "lymphoma"),
    ("She denied any physical trauma other than falling from the bed.", None, "falling"),
    ("The cells were negative for cytokeratin 7, confirming that the ovarian tumors were metastases.", None,
     "ovarian tumors"),
    # a positive verb of its own ends the denial: "no X were heard ... and Y were heard"
    ("On auscultation, no inspiratory sounds were heard at lower zones and inspiratory crackles were heard at "
     "middle zones.", None, "crackles"),
    ("No murmur was heard and a pericardial rub was noted.", "murmur", None),
    ("The cells were negative for CD1a and S100, surrounded by fibrosis.", None, "fibrosis"),
    ("He had no evident fibrosis.", "fibrosis", None),
    ("There was no change in the rash and no fever.", "fever", "rash"),
    # a list item that begins with a result adjective, or a new noun phrase with its article, is no longer denied
    ("There was a murmur without radiation, no rubs, elevated jugular vein distention of 8 cm.", "rubs", "distention"),
    ("She had no fever, increased sputum production and cough.", "fever", "sputum"),
    ("Brain CT revealed the absence of intracranial hypertension and a brain abscess.", "intracranial hypertension",
     "brain abscess"),
    ("He denied fever, chills and night sweats.", "night sweats", None),
    ("There was no fever, elevation of liver enzymes or rash.", "rash", None),
]


@pytest.mark.parametrize("text,neg,pos", SCOPE)
def test_negation_scope_ends(convert, text, neg, pos):
    b = convert(text)
    if neg:
        assert_refuted(b, neg)
    if pos:
        assert_confirmed(b, pos)


# ----------------------------------------------------------------------------- age and sex
AGE_SEX = [
    ("A 69-year-old woman presented with pain.", "female", 69, "a"),
    ("A 3-month-old boy presented with vomiting.", "male", 3, "mo"),
    ("A male patient aged 45 presented with cough.", "male", 45, "a"),
    ("A 45-year-old man presented with cough.", "male", 45, "a"),
    ("A 7-year-old girl presented with fever.", "female", 7, "a"),
    ("A 2-day-old male neonate presented with jaundice.", "male", 2, "d"),
    ("A 32-year-old G3P2 woman presented with vaginal bleeding.", "female", 32, "a"),
    ("A 70-year-old female with hypertension presented with syncope.", "female", 70, "a"),
    ("The patient, a 55-year-old man, had chest pain.", "male", 55, "a"),
]


@pytest.mark.parametrize("text,gender,value,unit", AGE_SEX)
def test_age_and_sex(convert, text, gender, value, unit):
    b = convert(text)
    assert resources(b, "Patient")[0].get("gender") == gender
    ages = [o for o in resources(b, "Observation")
            if any(c.get("system") == "http://loinc.org" and c.get("code") == "30525-0" for c in o["code"].get("coding", []))]
    assert len(ages) == 1
    q = ages[0]["valueQuantity"]
    assert (q["value"], q["code"], q["system"]) == (value, unit, "http://unitsofmeasure.org")


def test_gravida_para_woman(convert):
    b = convert("A G2P1 woman presented with abdominal pain.")
    assert resources(b, "Patient")[0].get("gender") == "female"
    assert_confirmed(b, "abdominal pain")


# ----------------------------------------------------------------------------- onset age
ONSET = [
    ("He was diagnosed with hypertension at the age of 51.", "hypertension", 51),
    ("She was diagnosed with diabetes mellitus at the age of 30.", "diabetes mellitus", 30),
    ("He developed psoriasis at age 20.", "psoriasis", 20),
    ("She had rheumatoid arthritis since the age of 40.", "rheumatoid arthritis", 40),
]


@pytest.mark.parametrize("text,term,age", ONSET)
def test_onset_age(convert, text, term, age):
    c = assert_confirmed(convert(text), term)
    assert c["onsetAge"]["value"] == age
    assert c["onsetAge"]["code"] == "a"


# ----------------------------------------------------------------------------- abbreviations the text defines
ABBREVIATIONS = [
    # (text, condition text, how many mentions: the long form, the bracketed short form, its later uses)
    ("He had dilated cardiomyopathy (DCM). The DCM was treated medically.", "dilated cardiomyopathy", 3),
    ("A diagnosis of multicentric Castleman disease (MCD) was made. Remission of MCD is persistent.",
     "castleman disease", 3),
]


@pytest.mark.parametrize("text,term,n", ABBREVIATIONS)
def test_defined_abbreviation_is_the_same_condition(convert, text, term, n):
    c = assert_confirmed(convert(text), term)
    refs = [x for x in c.get("extension", []) if x["url"] == DERIVATION]
    assert len(refs) == n, [text[o["valueInteger"]:] for r in refs for o in r["extension"][:1]]


NOT_ABBREVIATIONS = [
    # the short form names something else than the condition before it
    ("He had an elevated jugular venous pressure (JVP). JVP was 12 cm.", "jugular venous pressure", 1),
    ("The response was assessed by the Response Evaluation Criteria in Solid Tumors (RECIST). RECIST was used.",
     "tumor", 1),  # (the words 'Solid Tumors' themselves are still read as a tumor)
]


@pytest.mark.parametrize("text,term,n", NOT_ABBREVIATIONS)
def test_short_form_of_something_else_is_not_the_condition(convert, text, term, n):
    b = convert(text)
    refs = [x for c in conditions(b, term) for x in c.get("extension", []) if x["url"] == DERIVATION]
    assert len(refs) == n


INNER_DEFINITIONS = [
    # (text, the condition as written, the drug statements): the short form in "X (ABBR) deficiency" is short for X
    ("Tests revealed growth hormone (GH) deficiency and he was therefore treated for a period with GH.",
     "growth hormone (GH) deficiency", ["GH"]),
    ("He had isolated growth hormone (GH) deficiency. He was treated with GH for 3 years.",
     "growth hormone (GH) deficiency", ["GH"]),
    ("There was no growth hormone (GH) deficiency. He was treated with GH.", None, ["GH"]),
]


@pytest.mark.parametrize("text,cond,drugs", INNER_DEFINITIONS)
def test_short_form_inside_a_condition_name_is_its_first_words(convert, text, cond, drugs):
    """"growth hormone (GH) deficiency": the condition is one mention over the bracket, and "GH" is growth
    hormone, so "treated with GH" is the drug, not the deficiency."""
    b = convert(text)
    if cond:
        assert_confirmed(b, cond)
    assert all((c["code"].get("text") or "") != "GH" for c in resources(b, "Condition"))
    got = resources(b, "MedicationStatement")
    assert [m["medicationCodeableConcept"]["text"] for m in got] == drugs


NOT_INNER_DEFINITIONS = [
    # "GH" defined nowhere (or not as growth hormone): the two-letter short form alone names no drug
    "She had growth hormone deficiency. She was treated with GH.",
    "He had growth hormone (XY) deficiency. He was treated with GH.",
]


@pytest.mark.parametrize("text", NOT_INNER_DEFINITIONS)
def test_undefined_short_form_is_no_drug(convert, text):
    assert resources(convert(text), "MedicationStatement") == []


# ----------------------------------------------------------------------------- findings stated as well-being
WELL = [
    ("On admission, she was afebrile.", "afebrile"),
    ("He remained asymptomatic for one year.", "asymptomatic"),
    ("She did not develop ototoxicity and was discharged home asymptomatic.", "asymptomatic"),
]


@pytest.mark.parametrize("text,term", WELL)
def test_stated_well_being_is_a_finding(convert, text, term):
    assert_confirmed(convert(text), term)


# ----------------------------------------------------------------------------- adjectives of a later finding
MODIFIERS = [
    # (text, the only Condition texts): 'metastatic', 'invasive' describe the finding named after them
    ("A 50-year-old man with a history of metastatic mucinous appendiceal adenocarcinoma presented with a rash.",
     ["adenocarcinoma", "rash"]),
    ("She was found to have screen detected invasive lobular breast carcinoma.", ["breast carcinoma"]),
    ("CT showed an enlarged left inguinal lymph node.", ["enlarged"]),
]


@pytest.mark.parametrize("text,terms", MODIFIERS)
def test_adjective_of_a_later_finding_is_not_its_own_condition(convert, text, terms):
    got = sorted(c["code"].get("text").lower() for c in resources(convert(text), "Condition"))
    assert got == sorted(terms)


# ----------------------------------------------------------------------------- general words made specific
QUALIFIED = [
    ("He suffered from mild respiratory symptoms.", "respiratory symptoms"),
    ("Anemia and gastrointestinal symptoms had improved.", "gastrointestinal symptoms"),
    ("Primary hyperparathyroidism is associated with bone disease.", "bone disease"),
    ("Her ocular disease remained active.", "ocular disease"),
    ("She was discovered to have laryngeal involvement.", "laryngeal involvement"),
    ("Ocular involvement was initially controlled by topical steroids.", "Ocular involvement"),
]


@pytest.mark.parametrize("text,term", QUALIFIED)
def test_general_word_with_a_body_system_is_a_finding(convert, text, term):
    c = assert_confirmed(convert(text), term)
    assert c["code"]["text"] == term


def test_general_word_alone_is_no_finding(convert):
    assert not conditions(convert("His symptoms improved after the clinical symptoms were treated."), "symptoms")
    assert not resources(convert("He had side effects and problems with the drug."), "Condition")
    assert not conditions(convert("The mass showed involvement of the duodenum."), "involvement")


# ----------------------------------------------------------------------------- short forms named as the diagnosis
DIAGNOSED_ACRONYMS = [
    # (text, short form, how many mentions): no vocabulary knows it; the text names it the diagnosis
    ("The detection of the BRAF mutation led to a diagnosis of ECD. Treatment of ECD was started.", "ECD", 2),
    ("Lumbar puncture demonstrated a pattern consistent with ATM.", "ATM", 1),
    ("Pathology of the resection specimen confirmed SFTL.", "SFTL", 1),
    ("Based on these findings, a diagnosis of advanced PMME was established.", "PMME", 1),
    ("The patient was diagnosed with HO secondary to a tumor.", "HO", 1),
]


@pytest.mark.parametrize("text,term,n", DIAGNOSED_ACRONYMS)
def test_short_form_named_as_diagnosis_is_an_uncoded_condition(convert, text, term, n):
    c = one_condition(convert(text), term)
    assert c["code"] == {"text": term}
    assert _code(c.get("verificationStatus")) != "refuted"
    assert len([x for x in c.get("extension", []) if x["url"] == DERIVATION]) == n


NOT_DIAGNOSED_ACRONYMS = [
    # a test, a modifier of a noun, a Roman numeral, a compound, or no diagnosis cue
    ("The deletion was confirmed by FISH.", "FISH"),
    ("Results of CMR confirmed normal LV size and function.", "LV"),
    ("A final diagnosis of PRL-producing pituitary adenoma was made.", "PRL"),
    ("The diagnosis was stage IV gastric adenocarcinoma.", "IV"),
    ("ECD was measured in the left arm.", "ECD"),
]


@pytest.mark.parametrize("text,term", NOT_DIAGNOSED_ACRONYMS)
def test_short_form_not_named_as_diagnosis_is_no_condition(convert, text, term):
    assert not [c for c in resources(convert(text), "Condition") if c["code"].get("text") == term]


# ----------------------------------------------------------------------------- general finding words
FINDING_WORDS = [
    # (text, Condition text): general findings, uncoded or HPO-only (no standard code in the bundle)
    ("Chest radiography showed mild lung congestion.", "lung congestion"),
    ("The intervening alveolar septae were congested.", "congested"),
    ("The skin revealed some pustules and crusts around the elbows.", "crusts"),
    ("Confabulation was observed in the patient.", "Confabulation"),
    ("CT showed a splenorenal collateral circulation.", "collateral circulation"),
    ("Laparoscopy confirmed a thick adhesion between liver and diaphragm.", "adhesion"),
    ("Laboratory abnormalities included hyperlactemia.", "hyperlactemia"),
    ("PAS staining showed endotheliosis in all glomeruli.", "endotheliosis"),
    ("He had visceral hyperalgesia and dysmotility.", "dysmotility"),
    ("CT showed localized free air.", "free air"),
]


@pytest.mark.parametrize("text,term", FINDING_WORDS)
def test_general_finding_word_is_a_condition(convert, text, term):
    c = assert_confirmed(convert(text), term)
    assert c["code"] == {"text": term}


def test_finding_word_stated_absent_is_refuted(convert):
    assert_refuted(convert("There was no free air."), "free air")
    assert_refuted(convert("Echocardiography did not detect left ventricular asynergy."), "asynergy")


# ----------------------------------------------------------------------------- a finding's word naming something else
NAMED_BY_NEXT_WORD = [
    # (text, word that gives no Condition there): a treatment, a test's analyte, a ratio or a measure of the word
    ("Symptomatic treatment with a hemostatic drug was given.", "symptomatic"),
    ("His sweat chloride level decreased from 115 to 40 mmol/L.", "sweat"),
    ("Effector to target cell ratio was set at 10:1.", "target cell"),
    ("FIBTEM maximum clot firmness was 0 mm.", "clot"),
    ("Dopamine was started for hypotension management.", "hypotension"),
]


@pytest.mark.parametrize("text,term", NAMED_BY_NEXT_WORD)
def test_word_naming_something_else_is_no_condition(convert, text, term):
    assert not conditions(convert(text), term), [c["code"].get("text") for c in resources(convert(text), "Condition")]


def test_finding_before_other_words_is_kept(convert):
    assert_confirmed(convert("He was symptomatic with dyspnea and was treated."), "dyspnea")
    assert_confirmed(convert("Hypotension was treated with dopamine."), "hypotension")
    assert_confirmed(convert("The patient had a clot in the left atrium."), "clot")


def test_ambiguous_short_form_diagnosed_once_counts_at_each_use(convert):
    text = ("Immunostaining was positive for CD56, which is consistent with NEC. "
            "The most likely diagnosis was a gallbladder NEC confined to the regional nodes.")
    c = one_condition(convert(text), "NEC")
    assert len([x for x in c.get("extension", []) if x["url"] == DERIVATION]) == 2


def test_ambiguous_short_form_never_diagnosed_is_no_condition(convert):
    assert not conditions(convert("The PAH level was measured in plasma. PAH was low."), "PAH")


ANATOMY = [
    # (text, body structure that a vocabulary also lists as a disease)
    ("The left malleus and incus were visible.", "malleus"),
    ("MRI showed a small lacunar infarct over the left basal ganglion.", "ganglion"),
]


@pytest.mark.parametrize("text,term", ANATOMY)
def test_body_structure_is_no_condition(convert, text, term):
    assert not conditions(convert(text), term)


def test_ganglion_cyst_is_still_a_condition(convert):
    b = convert("A 40-year-old woman presented with a ganglion on the dorsum of the wrist.")
    assert_confirmed(b, "ganglion")
    assert_confirmed(convert("MRI showed a small lacunar infarct over the left basal ganglion."), "infarct")


NOT_FINDINGS = [
    # (text, word of a finding that here names a physical agent, a cell's part, a set of measurements or a marker)
    ("The patient developed atrial flutter but was converted to sinus rhythm with two direct current electric shocks.",
     "shock"),
    ("The tumour cells showed a vacuolated and pale cytoplasm.", "pale"),
    ("Examination revealed reduced level of consciousness and weak vital signs; a blood pressure of 80/50 mmHg.",
     "weak"),
    ("Tumor cells were diffusely positive for CD20 and B-cell lymphoma (Bcl)-2 (Fig.3D).", "lymphoma"),
    ("The mitotic count was 24 per 10 high-power microscopic fields.", "mitotic"),
]


@pytest.mark.parametrize("text,term", NOT_FINDINGS)
def test_finding_word_naming_no_finding_is_no_condition(convert, text, term):
    assert not conditions(convert(text), term), [c["code"].get("text") for c in resources(convert(text), "Condition")]


def test_finding_words_that_are_findings_are_kept(convert):
    assert_confirmed(convert("She was in shock and looked pale."), "shock")
    assert_confirmed(convert("She was in shock and looked pale."), "pale")
    assert_confirmed(convert("He complained of weak legs for two weeks."), "weak")
    assert_confirmed(convert("He had diffuse large B-cell lymphoma (DLBCL) that was positive for CD10."), "lymphoma")
    assert_confirmed(convert("There were numerous mitotic figures in the tumour."), "mitotic figures")
    assert_confirmed(convert("The patient developed atrial flutter after the shocks."), "atrial flutter")


# ----------------------------------------------------------------------------- short form of a blocked long form
def test_bracketed_short_form_of_a_marker_is_no_condition(convert):
    b = convert("Serum squamous cell carcinoma (SCC) antigen was elevated.")
    assert not conditions(b, "SCC"), [c["code"].get("text") for c in resources(b, "Condition")]
    assert not conditions(b, "carcinoma")


def test_bracketed_short_form_of_a_disease_is_kept(convert):
    assert_confirmed(convert("He had squamous cell carcinoma (SCC) of the tongue."), "squamous cell carcinoma")


# ----------------------------------------------------------------------------- a colour described is no pallor
COLOUR_DESCRIPTIONS = [
    # (text): "pale" before another colour or a tissue noun describes a colour, not the sign pallor
    "The tumor had a pale tan nodular appearance.",
    "Endoscopy showed pale-white mucosa.",
    "The mucosa was pale pink.",
]


@pytest.mark.parametrize("text", COLOUR_DESCRIPTIONS)
def test_colour_before_colour_or_tissue_is_no_pallor(convert, text):
    assert not conditions(convert(text), "pale"), [c["code"].get("text") for c in resources(convert(text), "Condition")]


def test_pale_patient_is_still_pallor(convert):
    assert_confirmed(convert("She was pale."), "pale")
    assert_confirmed(convert("Examination showed pale conjunctivae."), "pale")
    assert_confirmed(convert("She was pale, sweaty and tachycardic."), "pale")
