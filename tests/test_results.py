"""Results of tests and examinations no vocabulary names (converter/nlp/results.py, mappings/results.json):
text-only Observations with the value, the interpretation and the words they were read from."""
import pytest

from converter import Converter, Options
from tests.conftest import resources


def obs(converter, text):
    return [o for o in resources(converter.text_to_dict(text), "Observation")
            if o["code"].get("text", "").lower() != "age"]


def spans(text, o):
    out = []
    for e in o.get("extension", []):
        if e["url"].endswith("derivation-reference"):
            d = {x["url"]: x.get("valueInteger") for x in e["extension"]}
            out.append(text[d["offset"]:d["offset"] + d["length"]])
    return out


def interp(o):
    return [c["code"] for i in o.get("interpretation", []) for c in i["coding"]]


def value(o):
    if "valueQuantity" in o:
        q = o["valueQuantity"]
        return (float(q["value"]), q.get("unit"))
    if "valueCodeableConcept" in o:
        return o["valueCodeableConcept"]["text"]
    return o.get("valueString")


# (sentence, name, value, interpretation, evidence words)
CASES = [
    ("The alternative complement pathway was normal.", "alternative complement pathway", "normal", "N", ["normal"]),
    ("The ammonia concentration was normal.", "ammonia concentration", "normal", "N", ["normal"]),
    ("FDG uptake was higher in the left supraclavicular lymph node.", "FDG uptake", "higher", "H", ["higher"]),
    ("Radiotracer uptake was low in both kidneys.", "Radiotracer uptake", "low", "L", ["low"]),
    ("Electrocardiography showed sinus rhythm with right bundle branch block.", "heart rhythm", "sinus rhythm", "N",
     ["sinus rhythm"]),
    ("TTE showed normal right ventricular function.", "right ventricular function", "normal", "N", ["normal"]),
    ("She was discharged home in stable condition.", "condition", "stable", None, ["stable"]),
    ("Testing indicated an intact rectoanal inhibitory reflex.", "rectoanal inhibitory reflex", "intact", "N", ["intact"]),
    ("He had a negative Romberg sign.", "Romberg sign", "negative", "NEG", ["negative"]),
    ("The baseline data revealed a high viral load.", "viral load", "high", "H", ["high"]),
    ("The left ventricular motion was normal.", "left ventricular motion", "normal", "N", ["normal"]),
    ("The electrocardiographic and chest radiographic results were normal.", "chest radiographic results", "normal", "N",
     ["normal"]),
    ("The histological findings were normal.", "histological findings", "normal", "N", ["normal"]),
    ("A cytomegalovirus pp65 antigenemia test also yielded a negative result.", "cytomegalovirus pp65 antigenemia test",
     "negative", "NEG", ["negative"]),
    ("Follow-up nuclear scans continue to be negative.", "nuclear scans", "negative", "NEG", ["negative"]),
    ("His neurodevelopment seems to be normal.", "neurodevelopment", "normal", "N", ["normal"]),
    ("NK cell count remained below normal limit.", "NK cell count", "below normal limit", "L", ["below normal limit"]),
    ("The interferon-gamma release assay was indeterminate.", "interferon-gamma release assay", "indeterminate", None,
     ["indeterminate"]),
    ("Physical examination showed no palpable findings.", "Physical examination", "no palpable findings", "N",
     ["no palpable findings"]),
    ("The follow-up PET scan showed complete metabolic response.", "PET scan", "complete metabolic response",
     None, ["complete metabolic response"]),
    ("Antiextractable nuclear antigen (anti-ENA) was negative.", "Antiextractable nuclear antigen", "negative", "NEG",
     ["negative"]),
    ("Serum vascular endothelial growth factor (VEGF) was highly elevated.", "Serum vascular endothelial growth factor",
     "highly elevated", "H", ["highly elevated"]),
    ("Further workup revealed an elevated PTHrP of 301 pg/mL.", "PTHrP", (301.0, "pg/mL"), "H",
     ["301 pg/mL", "elevated"]),
    ("The patient's Ca125 was markedly elevated at 1624 U/mL.", "Ca125", (1624.0, "U/mL"), "H",
     ["1624 U/mL", "markedly elevated"]),
    ("Spirometry: FEV1/FVC 62.06%.", "FEV1/FVC", (62.06, "%"), None, ["62.06%"]),
    ("The femoral vein pressure increased to 52 mmH2O.", "femoral vein pressure", (52.0, "mmH2O"), None,
     ["52 mmH2O", "increased"]),
    ("Plasma renin activity was elevated to 15 ng/mL/h.", "Plasma renin activity", (15.0, "ng/mL/h"), None,
     ["15 ng/mL/h", "elevated"]),
    ("Laboratory results: chlorine level, 116 mEq/L.", "chlorine level", (116.0, "mEq/L"), None, ["116 mEq/L"]),
    ("He tested positive for human immunodeficiency virus.", "human immunodeficiency virus", "positive", "POS",
     ["positive"]),
    ("The organism was catalase-negative.", "catalase", "negative", "NEG", ["negative"]),
    ("The cardiolipin test was negative.", "cardiolipin test", "negative", "NEG", ["negative"]),
    ("Her anti-Xa assay was negative.", "anti-Xa assay", "negative", "NEG", ["negative"]),
    # a drug in the name of a test ('vasodilator', 'hormones') does not stop it being a test
    ("Acute vasodilator testing was negative.", "vasodilator testing", "negative", "NEG", ["negative"]),
    ("The other pituitary hormones were within normal limits.", "pituitary hormones", "within normal limits", "N",
     ["within normal limits"]),
    ("Her respiratory status immediately stabilized.", "respiratory status", "stabilized", None, ["stabilized"]),
    ("Despite rehydration, renal function worsened.", "renal function", "worsened", "A", ["worsened"]),
    ("Visual acuity continued to improve over the treatment cycles.", "Visual acuity", "continued to improve", None,
     ["continued to improve"]),
    ("His renal function did not improve and he remained on dialysis.", "renal function", "did not improve", "A",
     ["did not improve"]),
    ("Biochemical testing revealed reduced beta-glucosidase activity.", "beta-glucosidase activity", "reduced", "L",
     ["reduced"]),
    ("Her SUVmax was 7.8 in the gallbladder.", "SUVmax", "7.8", None, ["7.8"]),
    ("She had 2/5 strength in her right arm.", "strength", "2/5", None, ["2/5"]),
    ("The lactate:pyruvate ratio was elevated.", "lactate:pyruvate ratio", "elevated", "H", ["elevated"]),
    ("He was admitted for worsening heart failure (NYHA class IV).", "NYHA class", "IV", None, ["NYHA class IV"]),
    # an enzyme named after a drug (glutathione) is a marker, not the drug
    ("Staining showed glutathione S-transferase π (GST-π) (+++).", "glutathione S-transferase π", "positive", "POS",
     ["(+++)"]),
    # Roman numerals typed as their own Unicode characters; a scale's abbreviation spelt out in brackets
    ("The pathological analysis revealed a grade Ⅱ astrocytoma.", "astrocytoma grade", "Ⅱ", None, ["grade Ⅱ"]),
    ("He had cardiac failure NYHA (New York Heart Association) class III.", "NYHA class", "III", None,
     ["NYHA (New York Heart Association) class III"]),
    ("Auscultation revealed a grade 3 holosystolic murmur.", "holosystolic murmur grade", "3", None, ["grade 3"]),
    ("She had a history of stage 1 sarcoidosis.", "sarcoidosis stage", "1", None, ["stage 1"]),
    ("He had a short systolic murmur grade 2/6 at the left sternal border.", "systolic murmur grade", "2/6", None,
     ["grade 2/6"]),
    ("The tumour was staged as pT3N0M1.", "TNM stage", "pT3N0M1", None, ["pT3N0M1"]),
    ("The mitotic count was 24 per 10 high-power microscopic fields.", "mitotic count", 24.0, None,
     ["24 per 10 high-power microscopic fields"]),
    # a grade written after its value, a tumour grade as letter and number, an ordinal degree in digits
    ("There was a murmur of tricuspid regurgitation of 3/6 grade, and leg swelling.", "tricuspid regurgitation grade",
     "3/6", None, ["3/6 grade"]),
    ("The biopsy demonstrated poorly differentiated (G3) squamous cell carcinoma.", "squamous cell carcinoma grade",
     "G3", None, ["G3"]),
    ("Echocardiography showed 4th degree mitral insufficiency.", "mitral insufficiency degree", "4", None,
     ["4th degree"]),
    ("He had a 2/6 systolic murmur.", "systolic murmur grade", "2/6", None, ["2/6"]),
    ("Her performance status (PS) was 3 because of her back pain.", "performance status", "3", None,
     ["performance status (PS) was 3"]),
    # values listed 'respectively' where the vocabulary already read one of them: the others by their place
    ("Growth hormone and cortisol were 30.9 mU/L and 447 nmol/L, respectively.", "Growth hormone", (30.9, "mU/L"),
     None, ["30.9 mU/L"]),
    # a length a test records: thromboelastometry clot firmness, ECG voltage
    ("FIBTEM maximum clot firmness (MCF) (8 mm; Table 1) was low.", "FIBTEM maximum clot firmness", (8.0, "mm"),
     None, ["8 mm"]),
    ("ECG showed low voltage (<5 mm) in the extremity leads.", "voltage", (5.0, "mm"), "L", ["<5 mm", "low"]),
    # 'gone' links a name to its value like 'went'
    ("The closure time had gone down to 141 seconds.", "closure time", (141.0, "seconds"), None, ["141 seconds"]),
    # the short form in brackets inside a name, before the letter or number that closes it
    ("Total immunoglobulin (Ig) G was 1880 mg/dL (normal <640 mg/dL).", "Total immunoglobulin (Ig) G",
     (1880.0, "mg/dL"), "H", ["1880 mg/dL"]),
    ("Serum carbohydrate antigen (CA) 125 was 219 U/mL.", "Serum carbohydrate antigen (CA) 125", (219.0, "U/mL"),
     None, ["219 U/mL"]),
    # a time a test measures, named before an abbreviation in brackets; 'early' is no adverb
    ("EXTEM clotting time (CT) (228s; Table 1) was prolonged.", "EXTEM clotting time", 228.0, None, ["228s"]),
    ("Doppler showed an early filling wave deceleration time of 160 ms.", "early filling wave deceleration time", 160.0,
     None, ["160 ms"]),
    # the value of the thing measured, not of the method it was measured by; mm of Hg
    ("One year later the PAP tested by the echocardiography was around 95 mmHg.", "PAP", 95.0, None, ["95 mmHg"]),
    ("The pulmonary artery systolic pressure (PASP) was 70 mm of Hg.", "pulmonary artery systolic pressure", 70.0, None,
     ["70 mm of Hg"]),
    # an en dash as a minus after a bracket; a stop word glued to the next word by a hyphen begins a name
    ("Audiometry revealed sensorineural high-frequency hearing loss (–70 dB).",
     "sensorineural high-frequency hearing loss", -70.0, None, ["–70 dB"]),
    ("The high-sensitivity troponin was 45 ng/L.", "high-sensitivity troponin", 45.0, None, ["45 ng/L"]),
    ("The settings were: PEEP 11 cm H2O, Edi trigger 0.5 µV.", "Edi trigger", 0.5, None, ["0.5 µV"]),
    ("HCV RNA was 2.1 × 106 IU/mL with genotype 1b.", "genotype", "1b", None, ["1b"]),
    ("HCV genotype 3a was found.", "HCV genotype", "3a", None, ["3a"]),
    ("She presented with 8/10, substernal chest pain.", "chest pain", "8/10", None, ["8/10"]),
    ("CSF analysis showed 30 leukocytes (79% lymphocytes).", "leukocytes", 30.0, None, ["30"]),
    # indexed to body surface area: a measurement, not a dose; the value in brackets after an abbreviation
    ("Echocardiography showed enlargement of the left ventricle (LV) (58 mm/m2) with spherical shape.",
     "left ventricle", 58.0, None, ["58 mm/m2"]),
    ("The pulmonary vascular resistance was 1,547 dyne・sec・cm-5.", "pulmonary vascular resistance", 1547.0, None,
     ["1,547 dyne・sec・cm-5"]),
    ("The transthoracic echocardiogram revealed no abnormalities.", "transthoracic echocardiogram", "no abnormalities",
     "N", ["no abnormalities"]),
    # result words said after a linking verb (and degree words: 'quite', 'mainly')
    ("The postoperative course was quite uneventful.", "postoperative course", "uneventful", "N", ["uneventful"]),
    ("The viral load was undetectable at week 24.", "viral load", "undetectable", None, ["undetectable"]),
    ("Bowel sounds were normoactive.", "Bowel sounds", "normoactive", "N", ["normoactive"]),
    ("Epithelial markers were not expressed.", "Epithelial markers", "negative", "NEG", ["not expressed"]),
    ("The surgical margins were clear.", "surgical margins", "clear", "N", ["clear"]),
    ("All tumour markers were within their respective reference intervals.", "tumour markers",
     "within their respective reference intervals", "N", ["within their respective reference intervals"]),
    ("His Eastern Cooperative Oncology Group (ECOG) performance status was 2.",
     "Eastern Cooperative Oncology Group performance status", "2", None,
     ["Eastern Cooperative Oncology Group (ECOG) performance status was 2"]),
    ("He complained of a drastic weight loss of 8 kg in the past 2 months.", "weight loss", (8.0, "kg"), None, ["8 kg"]),
    ("He reported a 20 lb weight loss over six months.", "weight loss", (20.0, "lb"), None, ["20 lb"]),
    ("He lost 5 kg of his body weight during the last 5 months.", "weight loss", (5.0, "kg"), None, ["5 kg"]),
    ("She gained 13 kg during pregnancy.", "weight gain", (13.0, "kg"), None, ["13 kg"]),
    ("After the operation she scored 15 on the Glasgow coma scale.", "Glasgow coma scale", (15.0, None), None, ["15"]),
    ("Her hypermobility (9/9 on the Beighton hypermobility scale) was marked.", "Beighton hypermobility scale", "9/9",
     None, ["9/9"]),
    ("Left coronary angiogram showed 90% stenosis of the left main artery.", "stenosis", (90.0, "%"), None, ["90%"]),
    ("The collagen/epinephrine closure time was 195 seconds (normal <174 seconds).",
     "collagen/epinephrine closure time", (195.0, "seconds"), "H", ["195 seconds"]),
    # the name before a bracketed abbreviation; a capital A closing a name is no article
    ("Analysis showed serum amyloid A (SAA) of 7.0 μg/mL (RV: 0–8.0).", "serum amyloid A", (7.0, "μg/mL"), None,
     ["7.0 μg/mL"]),
    ("PET revealed a standardized uptake value (SUV) of 3.8.", "standardized uptake value", (3.8, None), None, ["3.8"]),
    # 'risk' in the result's own name makes it no hypothesis
    ("STS risk of mortality was 2.4%.", "STS risk of mortality", (2.4, "%"), None, ["2.4%"]),
    # a heart chamber or great vein measured; the volume of a fluid collection; a flow per body surface area
    ("Echocardiography revealed a dilated right atrium of 74,2 mm (Figure 1).", "dilated right atrium", (74.2, "mm"),
     None, ["74,2 mm"]),
    ("Both atria were dilated, as well as the inferior vena cava (30 mm, without respiratory variations).",
     "inferior vena cava", (30.0, "mm"), None, ["30 mm"]),
    ("His right heart was enlarged (the right ventricle diameter: 57 mm).", "right ventricle diameter", (57.0, "mm"),
     None, ["57 mm"]),
    ("Hydrothorax (900 mL) was present.", "Hydrothorax", (900.0, "mL"), None, ["900 mL"]),
    ("The estimated pulmonary artery pressure=29/8 mmHg in cardiac ultrasound.", "pulmonary artery pressure", None,
     None, ["29/8 mmHg"]),
    ("The study showed a cardiac ejection index 2.36 L/min/m2.", "cardiac ejection index", (2.36, "L/min/m2"), None,
     ["2.36 L/min/m2"]),
    # a condition the vocabulary names by the result word and the measure states the measure's result too
    ("His ECG showed a prolonged PR interval.", "PR interval", "prolonged", "H", ["prolonged"]),
    ("He presented with a decreased level of consciousness.", "level of consciousness", "decreased", "L", ["decreased"]),
    ("Neurological evaluation showed dysarthria and ataxic gait.", "gait", "ataxic", "A", ["ataxic"]),
    ("He had four to five loose bowel movements per day.", "bowel movements", "loose", "A", ["loose"]),
    ("Examination showed decreased breath sounds on the right.", "breath sounds", "decreased", "L", ["decreased"]),
    ("Physical examination revealed an irregular pulse.", "pulse", "irregular", "A", ["irregular"]),
    # a describing word before an examined finding; 'absent' only after it
    ("There were strong peripheral pulses and no oedema.", "peripheral pulses", "strong", None, ["strong"]),
    ("He passed soft stools once daily.", "stools", "soft", None, ["soft"]),
    ("She walked at 22 months, with poor balance and frequent falls.", "balance", "poor", "A", ["poor"]),
    ("Angiography revealed a slowed blood flow in the hepatic artery.", "blood flow", "slowed", "L", ["slowed"]),
    ("The CSF cell count was 850, and oligoclonal bands were absent.", "oligoclonal bands", "absent", None, ["absent"]),
    # immunohistochemistry stated as staining, reactivity or expression for the marker
    ("There was no staining for CK7.", "CK7", "negative", "NEG", ["no staining"]),
    ("Diffuse staining for vimentin was seen.", "vimentin", "positive", "POS", ["Diffuse staining"]),
    ("Overexpression of p53 protein was observed.", "p53 protein", "positive", "POS", ["Overexpression"]),
    ("Tumour cells showed immunohistochemical expression for desmin.", "desmin", "positive", "POS",
     ["immunohistochemical expression"]),
    ("The tumor demonstrated negative reactivity for S100 protein.", "S100 protein", "negative", "NEG",
     ["negative reactivity"]),
    ("A strongly positive immunohistochemical reaction to immunoglobulin λ-chain was seen.", "immunoglobulin λ-chain",
     "positive", "POS", ["strongly positive immunohistochemical reaction"]),
    ("Bone marrow biopsy revealed normocellular marrow.", "marrow", "normocellular", "N", ["normocellular"]),
    ("Large cells showed immunohistochemical positivity for several cytokeratins.", "cytokeratins", "positive", "POS",
     ["immunohistochemical positivity"]),
    ("Strong expression of CD117 was seen.", "CD117", "positive", "POS", ["Strong expression"]),
    ("There was loss of expression of MLH1.", "MLH1", "negative", "NEG", ["loss of expression"]),
    # 'right-' joined to the name word begins the name
    ("Echocardiography showed an elevated right-ventricular systolic pressure of 36 mm Hg.",
     "right-ventricular systolic pressure", (36.0, "mm Hg"), "H", ["36 mm Hg", "elevated"]),
    # a trend verb after something measured, a lab named by its specimen or a test the vocabulary knows
    ("VV-ECMO was initiated and the oxygenation improved.", "oxygenation", "improved", None, ["improved"]),
    ("The serum ammonia normalised within 4 days.", "serum ammonia", "normalised", "N", ["normalised"]),
    # a result said of a relative pronoun is the test's named before the comma
    ("She had an autoimmunity workup including ANA and HLA-B27, all of which returned within normal limits.", "HLA-B27",
     "within normal limits", "N", ["within normal limits"]),
    ("We performed the rapid urease test and a histopathological evaluation, all of which were negative.",
     "histopathological evaluation", "negative", "NEG", ["negative"]),
    ("A chest CT scan, which was normal, was obtained.", "CT scan", None, "N", ["normal"]),
    # a name read after the result word goes on to the head its parts share; a compound's locant begins it
    ("In view of the raised valproate and ammonia levels, a diagnosis was made.", "valproate and ammonia levels",
     "raised", "H", ["raised"]),
    ("The x-ray showed normal esophageal and gastric transit.", "esophageal and gastric transit", "normal", "N",
     ["normal"]),
    ("Urine organic acids revealed elevated 3-methylglutaconate.", "3-methylglutaconate", "elevated", "H",
     ["elevated"]),
    # nouns of change before what was measured; no staining for a marker
    ("The tumor cells were positive for CK20. There was no staining for CK7.", "CK7", "negative", "NEG", ["no staining"]),
    ("There was a rapid decline of the ankle-brachial index.", "ankle-brachial index", "decline", "L", ["decline"]),
    # a verb after the test named after the result word ends the name
    ("The negative cardiolipin test excluded tabetic crises.", "cardiolipin test", "negative", "NEG", ["negative"]),
    # a sign after what was tested, a preposition after it
    ("The endoscopy was found to be Helicobacter pylori positive at that time.", "Helicobacter pylori", "positive",
     "POS", ["positive"]),
    # a degree word hyphenated to the name begins it; a result below the assay's detection limit
    ("Very-long-chain fatty acids were normal.", "Very-long-chain fatty acids", "normal", "N", ["normal"]),
    ("Adrenal androgens were below the lower limit of assay detection.", "Adrenal androgens",
     "below the lower limit of assay detection", None, ["below the lower limit of assay detection"]),
    # a figure reference between the test and what is said of it
    ("Visual acuity (Fig.2B) continued to improve over the 3 treatment cycles.", "Visual acuity", "continued to improve",
     None, ["continued to improve"]),
    ("The pleural fluid yielded a negative microbiologic examination.", "microbiologic examination", "negative", "NEG",
     ["negative"]),
    # staining and overexpression of a marker
    ("Diffuse staining for vimentin was seen.", "vimentin", "positive", "POS", ["Diffuse staining"]),
    # recovery and adequacy of something measured
    ("Full recovery of lingual and laryngeal functions was obtained.", "lingual and laryngeal functions", "Full recovery",
     None, ["Full recovery"]),
    ("Echocardiography revealed optimal function of the mitral valve.", "function", "optimal", None, ["optimal"]),
    ("CSF analysis showed 30 leukocytes, and oligoclonal bands were absent.", "oligoclonal bands", "absent", None,
     ["absent"]),
    ("At follow-up he showed an improvement in functional class.", "functional class", "improvement", None,
     ["improvement"]),
    ("Porphobilinogen and porphyrin in 24-h urine was negative.", "porphyrin", "negative", "NEG", ["negative"]),
    # a linking phrase of report; an adjective in -ly begins a name
    ("Her early development was referred to as normal.", "early development", "normal", "N", ["normal"]),
    # a clause with no subject of its own after 'but'/'and' shares the one before
    ("The viral load was measured in May but was undetectable in June.", "viral load", "undetectable", None,
     ["undetectable"]),
    ("The PIP pressures were much higher on the left.", "PIP pressures", "higher", "H", ["higher"]),
    ("The blood cortisol value was observed to decline slowly.", "blood cortisol value", "decline", "L", ["decline"]),
    ("Angiography revealed a slowed blood flow in the hepatic artery.", "blood flow", "slowed", "L", ["slowed"]),
    # a test reporting that something looked for is not there
    ("Urinalysis revealed no Bence-Jones protein.", "Bence-Jones protein", "negative", "NEG", ["no"]),
    ("Cytodiagnosis of the ascitic fluid revealed no tumor cells.", "tumor cells", "negative", "NEG", ["no"]),
    # a comma closing the subject before the linking verb
    ("All laboratory variables, including plasma proteins, were within their respective reference intervals.",
     "plasma proteins", "within their respective reference intervals", "N", ["within their respective reference intervals"]),
    ("Tumor markers, SPan-1, and neuron-specific enolase (NSE), were all within normal ranges.", "neuron-specific enolase",
     "within normal ranges", "N", ["within normal ranges"]),
    # 'returned to' a normal value, level or range: the measure is normal again
    ("The pressure returned to a normal value when we opened the bypass.", "pressure", "returned to a normal value", "N",
     ["returned to a normal value"]),
    ("Her ammonia levels returned to the normal range within 4 days.", "ammonia levels", "returned to the normal range", "N",
     ["returned to the normal range"]),
    # a measurable head ending like an adjective ('smear': -ar) is no cut-short name when 'for' follows
    ("TB was ruled out by three negative sputum smears for acid fast bacilli.", "sputum smears", "negative", "NEG",
     ["negative"]),
    # an outcome verb after a procedure's name is its result
    ("The procedure went well and the patient was stable.", "procedure", "went well", "N", ["went well"]),
    ("The cesarean section succeeded with no major bleeding.", "cesarean section", "succeeded", "N", ["succeeded"]),
    ("Revascularization was successfully completed.", "Revascularization", "was successfully completed", "N",
     ["was successfully completed"]),
    # 'inflammatory' before a measured head is no inflammation, and a folded plural head ('parameters') is measured
    ("Treatment was continued because of increasing inflammatory parameters.", "inflammatory parameters", "increasing",
     "H", ["increasing"]),
    # a result word with no interpretation before 'result(s)' names the reporting test too
    ("The final angiographic imaging showed optimal results.", "angiographic imaging", "optimal", None, ["optimal"]),
    # a variability and a classification are measured ('an increase in X' needs something measured)
    ("Muscle biopsy showed a mild increase in fiber size variability.", "fiber size variability", "increase", "H",
     ["increase"]),
    ("He has maintained his improvement in functional classification.", "functional classification", "improvement",
     None, ["improvement"]),
]


def test_normal_conjunct_after_negation(converter):
    """'no X and normal Y': the negation denies X; the normal word opens its own conjunct and is a result."""
    text = "Ocular evaluations revealed no evidence of saccadic velocity reduction and normal visual evoked potentials."
    got = [(o["code"]["text"], value(o), interp(o), spans(text, o)) for o in obs(converter, text)]
    assert got == [("visual evoked potentials", "normal", ["N"], ["normal"])]
    text = "There was no fever, no hypoxemia, or abnormal chest sounds."
    assert obs(converter, text) == []  # not a normal word: the negation runs through the list


def test_trend_after_trend(converter):
    """'decreased dramatically and returned to normal': two changes of one measure, each its own result."""
    text = "The ammonia levels in her blood decreased dramatically and returned to normal within 4 days."
    got = sorted((o["code"]["text"], value(o), interp(o), spans(text, o)) for o in obs(converter, text))
    assert got == [("ammonia levels", "decreased", ["L"], ["decreased"]),
                   ("ammonia levels", "returned to normal", ["N"], ["returned to normal"])]
    text = "Her renal function improved and she was discharged home."
    assert [spans(text, o) for o in obs(converter, text)] == [["improved"]]


@pytest.mark.parametrize("text,name,val,code,words", CASES, ids=[c[1] for c in CASES])
def test_unnamed_result(converter, text, name, val, code, words):
    got = [o for o in obs(converter, text) if o["code"]["text"] == name]
    assert len(got) == 1, [(o["code"]["text"], value(o)) for o in obs(converter, text)]
    o = got[0]
    assert "coding" not in o["code"]  # nothing was recognised, so nothing is coded
    v = value(o)
    assert (v == val) or (isinstance(v, tuple) and str(val) == str(v[0])), v
    assert interp(o) == ([code] if code else [])
    assert spans(text, o) == words


@pytest.mark.parametrize("text", [
    "She received prednisone 60 mg daily for 5 days.",  # a dose
    "She then received cisplatin (75 mg/m2) on day 1.",  # a dose per body surface area
    "The genotype of the family was studied in 3 laboratories.",  # a count, not a genotype
    "He received 5 platelets transfusions.",  # the cells name the product given, not a count
    "He scored 8/10 on the memory test and then denied any pain.",  # the pain named far after the fraction
    "The operation time (OT) was 290 minutes.",  # a duration, also after an abbreviation
    "Then 1500 UI of prothrombin complex concentrate (Beriplex P/N 500UI, CSL Behring) were given.",  # doses in IU
    "During CT about 100–150 mL of air was inadvertently injected.",  # an amount during an examination
    "The mass measured 3 cm.",  # a size
    "Normal values are below 5 mg/L.",  # a reference, not a result
    "The CSF gram stain showed gram-positive cocci.",  # 'positive' describes the next word
    "She was placed on non-invasive positive pressure ventilation.",  # a therapy
    "He was admitted to the high dependency unit.",
    "The patient improved and her symptoms worsened.",  # no test named
    "MRI showed disc protrusions at C3–4, C4–5 and C5–6.",  # spinal levels, not values
    "Electromyography revealed abnormal myopathic low-amplitude potentials.",  # name cut short
    "The production was increased.",
    "Her mood went well.",  # an outcome verb needs a procedure
    "The valve repair was performed successfully.",  # done, no outcome stated
    "Fig 3 shows grade 2 changes.",  # a grade of nothing named
    "She had a low-grade fever.",
    "The CT showed no evidence of metastasis.",  # a refuted finding, not a test result
    "He lost 2 L of blood during the operation.",  # a weight change is a mass
    "She gained access to 5 g of the powder.",  # no weight change named
    "The operation time was 290 minutes.",  # a duration
    "She scored 3 on the scale.",  # no scale named
    "He has lived at number 15 on the same street for 30% of his life.",
    "At that time 30 seconds passed.",  # no test named
    "The cause of the bleeding was not clear.",  # denied, and no test
    "It was clear that the tumour had recurred.",
    "She continued to improve after surgery.",  # a trend of nothing measured
    "The dose of prednisone was reduced.",  # a drug, not a test
    "The pain was worse on the right.",  # 'right' begins no name here
    "The tumour was covered with intact mucosa.",  # 'intact' before something not measured
    "The fracture was treated with a stable fixation.",
    "The findings were normal.",  # nothing named
    "The patient (a smoker) was stable.",  # no abbreviation in the brackets
    "The patient gave a positive result.",  # no test named
    "She achieved complete remission after chemotherapy.",  # no test reported it
    "She seems to be normal.",  # no test named
    "Her face was reactive.",  # 'reactive' is no result word
    "The upper limit of normal (ULN) is 40 U/L.",  # a reference, named by its abbreviation
    "The tumour (T1) was 3 cm.",  # a size after an abbreviation
    "Liposomal amphotericin B (L-AMB) (3 mg/kg/day) was given.",  # a dose after an abbreviation
    "The patient (case A) was 30 years old (group B).",
    "Maternal autoimmune screen was negative.",  # a relative's test, though the word is in its name
    "If her risk score were 5, surgery would be considered.",  # hypothetical outside the name
    "A mass in the right atrium measuring 3 cm was seen.",  # the size of something in the chamber
    "There was a mobile round mass in the left atrium, of 18 mm in size.",
    "Pleurocentesis was performed, draining 1400 mL of serosanguineous fluid.",  # a volume drained
    "1400 mL of pleural effusion was drained.",
    "2 L of saline were infused into the peritoneal cavity.",  # a volume given
    "The ventricle was punctured and 20 mL of fluid removed.",
    "The right ventricle received 3 cm of the catheter.",
    "He received a dose of 2 mg/m2 per day.",
    "The bone scan showed increased uptake in the shoulder.",  # an imaging descriptor the vocabulary names
    "The patient had poor urine output.",  # an amount, no condition_measures head
    "The nodule was embedded in loose connective tissue.",  # 'loose' before nothing measured
    "The lesion had a soft consistency.",
    "He was a strong swimmer with a weak handshake.",
    "Features of VACTERL association: absent C1 vertebra, fused ribs.",  # 'absent' before a structure: anatomy
    "The serum improved.",  # a specimen alone names no lab
    "He was given aspirin, which was well tolerated.",  # a relative pronoun for no test
    "She had a cough, which was stable.",  # a finding, not a test
    "The cells showed a 2-fold increase.",  # a fold change, no compound
    "She had a fall at home.",  # a change of nothing measured
    "The new drug gave rise to a rash.",
    "In the end, all were normal.",  # a comma after no test
    "The smear showed no cells.",  # nothing named that was looked for
    "The chest x-ray showed no pleural effusion.",  # a refuted finding the vocabulary names
    "Overexpression of anger was common in the family.",  # nothing measured
    "She received adequate analgesia and optimal medical therapy.",  # treatments, not results
    "Fever and chills were absent.",  # refuted findings, not results
    "The scar in the left arm was stable.",  # no specimen after the bridge
    "The patient was admitted and was stable.",  # the shared subject is nothing measured
])
def test_not_a_result(converter, text):
    assert obs(converter, text) == []


def test_hypothetical_and_literature_give_nothing(converter):
    assert obs(converter, "If the ferritin ratio were elevated, a biopsy would be considered.") == []
    doc = "Case presentation\nA 40-year-old man.\n\nDiscussion\nIn other series the plasma renin activity was elevated."
    assert obs(converter, doc) == []


def test_setting_turns_unnamed_results_off():
    text = "The alternative complement pathway was normal."
    assert obs(Converter(Options(unnamed_results=False)), text) == []


def test_vocabulary_result_keeps_its_code(converter):
    o = obs(converter, "Her hemoglobin was 8.2 g/dL.")
    assert len(o) == 1 and o[0]["code"]["coding"][0]["code"] == "718-7"


def test_unit_period_at_sentence_end_is_split(converter):
    """'8.2 g/dL.': spaCy keeps the period on a unit ending in one capital; the lab must still match."""
    o = obs(converter, "A 50-year-old man was admitted. Hemoglobin was 8.2 g/dL.")
    assert [x["code"]["coding"][0]["code"] for x in o] == ["718-7"]
    assert o[0]["valueQuantity"]["code"] == "g/dL"


def test_unit_words_are_not_a_second_vital(converter):
    """'respiratory rate 16 breaths per minute': 'breaths per minute' names the unit, not another rate."""
    text = "On examination, heart rate 90 beats per minute, respiratory rate 16 breaths per minute."
    got = {o["code"]["coding"][0]["code"]: value(o) for o in obs(converter, text)}
    assert got == {"8867-4": (90.0, "beats per minute"), "9279-1": (16.0, "breaths per minute")}


def test_shared_listing_cue_is_evidence_of_the_first_test_only(converter):
    text = "Laboratory tests revealed increased creatine kinase (952 U/L), myoglobin (595 ng/mL) and aldolase (10.7 U/L)."
    got = {o["code"]["text"]: spans(text, o) for o in obs(converter, text)}
    assert got["creatine kinase"] == ["952 U/L", "increased"]
    assert got["myoglobin"] == ["595 ng/mL"] and got["aldolase"] == ["10.7 U/L"]


def test_ratio_that_is_not_a_blood_pressure_has_no_bp_components(converter):
    for o in obs(converter, "She had 2/5 strength in her right arm. Her GCS was 14/15."):
        assert "component" not in o and "/" in o["valueString"]
    bp = obs(converter, "Blood pressure was 120/80 mmHg.")
    assert [c["code"]["coding"][0]["code"] for c in bp[0]["component"]] == ["8480-6", "8462-4"]


def test_later_values_of_a_series_keep_the_test(converter):
    text = "Her creatine kinase fell from 952 U/L to 310 U/L and 120 U/L."
    got = [(o["code"]["coding"][0]["code"], o["valueQuantity"]["value"]) for o in obs(converter, text)]
    assert sorted(got) == [("2157-6", 120), ("2157-6", 310), ("2157-6", 952)]


def test_giga_per_litre_is_not_grams(converter):
    """'WBC 11.2 G/L' (European usage) is 11.2 x 10^9 cells per litre; g/L would be grams."""
    o = [x for x in obs(converter, "Her WBC count was 11.2 G/L.") if "valueQuantity" in x]
    assert o and o[0]["valueQuantity"]["code"] == "10*9/L" and o[0]["valueQuantity"]["unit"] == "G/L"


def test_result_word_after_listed_values_interprets_the_list(converter):
    text = "The lactate dehydrogenase (468 IU/L), ACTH (354.1 pg/mL), and cortisol (49.1 μg/dL) levels were also elevated."
    got = {o["code"]["text"]: (interp(o), spans(text, o)) for o in obs(converter, text)}
    assert got["cortisol"] == (["H"], ["49.1 μg/dL", "elevated"])
    assert got["ACTH"] == (["H"], ["354.1 pg/mL"]) and got["lactate dehydrogenase"][0] == ["H"]
    # a value stated in its own clause is not part of the list
    text = "Sodium was 150 mmol/L and cortisol (49.1 μg/dL) levels were elevated."
    got = {o["code"]["text"]: spans(text, o) for o in obs(converter, text)}
    assert got["Sodium"] == ["150 mmol/L"] and got["cortisol"] == ["49.1 μg/dL", "elevated"]


def test_result_word_before_a_known_test_is_its_evidence(converter):
    text = "Laboratory tests showed elevated pro-NT brain natriuretic peptide of 2210 pg/mL."
    o = [x for x in obs(converter, text) if x["code"].get("coding")]
    assert len(o) == 1 and interp(o[0]) == ["H"] and spans(text, o[0]) == ["2210 pg/mL", "elevated"]


def test_percentage_written_before_the_cell_type(converter):
    text = "The white blood cell count was 12,000/µL with 88% neutrophils and 12% lymphocytes."
    got = {o["code"]["coding"][0]["code"]: (value(o), spans(text, o)) for o in obs(converter, text) if o["code"].get("coding")}
    assert got["770-8"] == ((88.0, "%"), ["88%"]) and got["736-9"] == ((12.0, "%"), ["12%"])


def test_specimen_before_a_serum_test_name_drops_the_serum_code(converter):
    text = "24-hour urine calcium was 6.9 mmol/L, serum calcium 2.34 mmol/L and CSF glucose 2.4 mmol/L."
    got = {o["code"]["text"]: [c["code"] for c in o["code"].get("coding", [])] for o in obs(converter, text)}
    assert got["urine calcium"] == []  # no packaged code for urine calcium; the serum one would be wrong
    assert got["serum calcium"] == ["17861-6"] and got["CSF glucose"] == ["2342-4"]


def test_respectively_list_pairs_names_and_values_in_order(converter):
    text = ("Arterial blood gas showed pH, PaCO2, PaO2, HCO3 and oxygen saturation levels were 7.50, 34 mmHg, "
            "67 mmHg, 26.5 mmol/L, and 95%, respectively.")
    got = {o["code"]["coding"][0]["code"]: value(o) for o in obs(converter, text) if o["code"].get("coding")}
    assert got == {"2744-1": (7.5, None), "2019-8": (34.0, "mmHg"), "2703-7": (67.0, "mmHg"),
                   "1963-8": (26.5, "mmol/L"), "59408-5": (95.0, "%")}


def test_more_values_than_names_pairs_none(converter):
    """One name fewer than values: pairing in order would shift every value onto the wrong test."""
    text = "Blood gas analysis: PaCO2, PaO2 and HCO3 were 7.50, 34 mmHg, 67 mmHg and 26.5 mmol/L, respectively."
    assert [value(o) for o in obs(converter, text) if o["code"].get("coding")] == []


def test_respectively_pairs_names_no_vocabulary_knows(converter):
    text = "Her total carnitine and free carnitine levels had dropped to 18 μmol/L and 17 μmol/L, respectively."
    got = {o["code"]["text"]: value(o)[0] for o in obs(converter, text)}
    assert got == {"total carnitine": 18.0, "free carnitine levels": 17.0}
    text = "Blood levels of lactate and pyruvate were 1.6 and 0.096 mmol/l, respectively."
    got = {o["code"]["text"]: (value(o), [c["code"] for c in o["code"].get("coding", [])]) for o in obs(converter, text)}
    assert got == {"lactate": ((1.6, "mmol/l"), ["2524-7"]), "pyruvate": ((0.096, "mmol/l"), [])}


def test_a_volume_a_test_measures_is_a_result_and_goes_on_as_a_series(converter):
    text = "His FEV1 increased from 1.25 L to 1.65 L after 41 weeks of therapy."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [("FEV1", (1.25, "L")), ("FEV1", (1.65, "L"))]
    text = "Urine calcium was normal with a 24-hour urine volume of 2.8 L."
    assert ("urine volume", (2.8, "L")) in [(o["code"]["text"], value(o)) for o in obs(converter, text)]
    # fluid drained or given is an amount, not a measured volume
    assert obs(converter, "Pleurocentesis was performed, draining 1400 ml of serous fluid, and then 200 ml.") == []


def test_every_strength_grade_of_a_sentence_is_a_result(converter):
    text = "She had 2/5 strength in her right leg, 3/5 in her left leg, and 4+/5 bilaterally in her arms."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == \
        [("strength", "2/5"), ("strength", "3/5"), ("strength", "4+/5")]
    text = "Four hours later her strength had deteriorated to 1/5 in all extremities."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [("strength", "1/5")]
    # a fraction of five with no strength named is no grade of strength
    assert obs(converter, "She answered 4/5 questions correctly.") == []


def test_a_bare_fraction_before_a_murmur_is_the_murmurs_grade(converter):
    # Levine grade with no 'grade' word: the murmur's, not the rhythm's or the auscultation's
    text = "Her skin was warm, regular rate and rhythm, 2/6 systolic murmur of the apex without radiation."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)
            if "/" in (value(o) or "")] == [("systolic murmur grade", "2/6")]
    text = "On cardiac auscultation, a 3/6 holosystolic murmur was audible."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [("holosystolic murmur grade", "3/6")]
    # other fractions keep their own names
    assert [(o["code"]["text"], value(o)) for o in obs(converter, "She had 4/5 strength in her right arm.")] == \
        [("strength", "4/5")]


def test_a_denied_positive_result_is_no_positive_result(converter):
    assert [value(o) for o in obs(converter, "He did not have a positive HIV test.")] == []
    # a negation trigger that is a result of its own denies nothing after it
    text = "The tumor was negative for ER, with rare cells positive for PR."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [("ER", "negative"), ("PR", "positive")]


def test_an_amount_above_a_reference_limit_is_no_level(converter):
    text = "Surgery is advised for serum calcium 1.0 mg/dL above the upper limit of normal."
    assert [value(o) for o in obs(converter, text) if o["code"]["text"] == "serum calcium"] == []
    assert [(o["code"]["text"], float(o["valueQuantity"]["value"])) for o in obs(converter, "Serum calcium was 11.2 mg/dL.")] \
        == [("Serum calcium", 11.2)]


def test_ck_among_tissue_markers_is_cytokeratin(converter):
    text = "Immunohistochemistry showed the tumor cells were positive for CK, CD34 and vimentin."
    got = [o for o in obs(converter, text) if o["code"]["text"] in ("CK", "cytokeratin")]
    assert [(o["code"]["text"], o["code"].get("coding"), value(o)) for o in got] == [("cytokeratin", None, "positive")]
    # a serum CK keeps its creatine kinase code
    got = obs(converter, "Serum CK was 450 U/L.")
    assert [c["code"] for o in got for c in o["code"].get("coding", [])] == ["2157-6"]


def test_letter_grades_glued_to_other_letters_are_no_grades(converter):
    """"G3P2" (gravida), "G6PD": no tumour grade, though a finding is next to them."""
    assert obs(converter, "She was G3P2 with G6PD deficiency and a G2-weighted carcinoma.") == []


def test_every_snellen_acuity_of_a_sentence_is_a_result(converter):
    text = "Best corrected visual acuity was 20/70 in the right eye and 20/100 in the left eye."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == \
        [("Best corrected visual acuity", "20/70"), ("Best corrected visual acuity", "20/100")]
    assert obs(converter, "Her vision became blurred on 6/20/2015.") == []  # a date, not an acuity


def test_percentage_of_the_cells_named_after_it(converter):
    text = "An iron stain revealed that approximately 50% of erythroblasts were ringed sideroblasts."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [("erythroblasts", (50.0, "%"))]
    got = obs(converter, "The fluid was exudative, and 81% of the white blood cells were lymphocytes.")
    # the words name a count the vocabulary codes; a percentage of them is not that count, it is the lymphocytes'
    assert [(o["code"]["text"], "coding" in o["code"], value(o)) for o in got] == [("lymphocytes", False, (81.0, "%"))]
    assert obs(converter, "About 30% of patients develop the disease.") == []


def test_each_respectively_pairs_its_own_list(converter):
    text = ("Blood levels of lactate and pyruvate were 1.6 and 0.096 mmol/l, respectively, while CSF levels of "
            "alanine and pyruvate were 3.6 and 0.137 mmol/l, respectively.")
    got = sorted((o["code"]["text"], value(o)[0]) for o in obs(converter, text))
    # the CSF alanine is named so (the vocabulary has no CSF alanine)
    assert got == [("alanine (CSF)", 3.6), ("lactate", 1.6), ("pyruvate", 0.096), ("pyruvate", 0.137)]


def test_specimen_governing_a_list_applies_to_each_listed_lab(converter):
    """'cerebrospinal fluid (CSF) levels of lactate and pyruvate': the CSF result must not carry the serum
    lactate code (2524-7); the blood list of the same sentence keeps it."""
    text = ("Blood levels of lactate and pyruvate were 1.6 and 0.096 mmol/l, respectively, while cerebrospinal fluid "
            "(CSF) levels of lactate and pyruvate were 3.6 and 0.137 mmol/l, respectively.")
    got = {value(o)[0]: (o["code"]["text"], [c["code"] for c in o["code"].get("coding", [])])
           for o in obs(converter, text)}
    assert got[1.6] == ("lactate", ["2524-7"]) and got[3.6] == ("lactate (CSF)", [])
    text = "Laboratory tests showed CSF protein and glucose of 40 and 60 mg/dL, respectively."
    got = {o["code"]["text"]: [c["code"] for c in o["code"].get("coding", [])] for o in obs(converter, text)}
    assert got == {"CSF protein": ["2880-3"], "glucose": ["2342-4"]}  # CSF glucose, not the serum test


def test_a_lab_naming_its_own_specimen_keeps_its_code(converter):
    """The specimen of the sentence or of an earlier list does not reach a lab whose own name or list says its
    specimen ('serum lactate', 'CSF protein'), nor past a value or another word."""
    text = "CSF protein was 50 mg/dL and serum lactate and glucose were 1.1 and 5.0 mmol/L, respectively."
    got = {value(o)[0]: [c["code"] for c in o["code"].get("coding", [])] for o in obs(converter, text)}
    assert got == {50.0: ["2880-3"], 1.1: ["2524-7"], 5.0: ["2345-7"]}
    text = "Urine sodium and potassium were normal, and CSF protein and glucose were 40 and 60 mg/dL, respectively."
    got = {value(o)[0]: (o["code"]["text"], [c["code"] for c in o["code"].get("coding", [])])
           for o in obs(converter, text) if "valueQuantity" in o}
    assert got == {40.0: ("CSF protein", ["2880-3"]), 60.0: ("glucose", ["2342-4"])}
    text = "Her protein was 300 mg/dL in the urine and creatinine 1.2 mg/dL; liver enzymes and lactate were 1.1 mmol/L."
    got = {value(o)[0]: [c["code"] for c in o["code"].get("coding", [])] for o in obs(converter, text) if "valueQuantity" in o}
    assert got[1.2] == ["2161-8"] and got[1.1] == ["2524-7"]  # 'liver' names no specimen of a blood test
    text = "The CSF albumin was 258 mg/l and he had an increased CSF/plasma albumin ratio of 7.4."
    got = {value(o)[0]: (o["code"]["text"], [c["code"] for c in o["code"].get("coding", [])])
           for o in obs(converter, text) if value(o) and value(o)[0] == 7.4}
    assert got[7.4][1] == []  # a ratio of two specimens is no plasma albumin


def test_a_unitless_series_after_a_verb_of_change_goes_on(converter):
    text = "The LCI decreased from 14.5 to 8.3 after 6 weeks and 7.8 after 41 weeks of ivacaftor treatment."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [
        ("LCI", (14.5, None)), ("LCI", (8.3, None)), ("LCI", (7.8, None))]
    # 'and' alone after a unitless value is no series, nor is a range
    text = "The APACHE II score was 12 and 3 lesions were seen."
    assert [value(o) for o in obs(converter, text)] == ["12"]
    text = "The LCI ranged from 14.5 to 8.3 and 7.8 after 41 weeks."
    assert len(obs(converter, text)) <= 1


def test_an_immunoglobulin_class_after_anti_x_is_that_antibody(converter):
    """'anti-cardiolipin IgG' is no total IgG (2465-3): the words from 'anti' on and no code; a plain IgG keeps it."""
    text = ("She had positive anti-cardiolipin IgG (116 GPL, normal range <20 GPL) and anti-β2 glycoprotein I IgM "
            "(40 U/mL), serum IgG was 1880 mg/dL and anti-HAV IgM was positive.")
    got = {o["code"]["text"]: [c["code"] for c in o["code"].get("coding", [])] for o in obs(converter, text)}
    assert got["anti-cardiolipin IgG"] == [] and got["anti-β2 glycoprotein I IgM"] == [] and got["anti-HAV IgM"] == []
    assert got["serum IgG"] == ["2465-3"]
    text = "After antibiotics, IgG was 1200 mg/dL."
    assert [[c["code"] for c in o["code"]["coding"]] for o in obs(converter, text)] == [["2465-3"]]


def test_respectively_pairs_drug_names_with_concentrations_not_doses(converter):
    text = "Plasma amino acids showed raised concentrations of alanine and glutamine (1567 and 1369 μmol/l, respectively)."
    got = {o["code"]["text"]: value(o)[0] for o in obs(converter, text)}
    assert got == {"alanine": 1567.0, "glutamine": 1369.0}
    assert obs(converter, "Tacrolimus and cyclosporine were given at 5 and 100 mg, respectively.") == []


def test_value_after_intervening_words_goes_to_the_test_named_before(converter):
    text = "The oxygen saturation by pulse oximeter in room air and was 97% and his respiratory rate was 20/min."
    got = {o["code"]["coding"][0]["code"]: value(o) for o in obs(converter, text)}
    assert got == {"59408-5": (97.0, "%"), "9279-1": (20.0, "/min")}  # not the pulse (heart rate): another unit
    text = "The international normalized ratio (INR) for coagulation values was 1.02."
    assert [(o["code"]["coding"][0]["code"], value(o)) for o in obs(converter, text)] == [("6301-6", "1.02")] or \
        [(o["code"]["coding"][0]["code"], float(o["valueQuantity"]["value"])) for o in obs(converter, text)] == [("6301-6", 1.02)]
    # a finding built on the test's name is not the test
    assert not [o for o in obs(converter, "He reported a body weight loss at the same time (up to 20 kg).")
                if o["code"].get("coding", [{}])[0].get("code") == "29463-7"]


def test_further_result_words_after_a_linking_verb(converter):
    text = "Her verbal response was oriented and appropriate. Mitosis was rare, and the margins were clean."
    got = {(o["code"]["text"], o["valueString"]) for o in obs(converter, text)}
    assert ("verbal response", "oriented") in got and ("Mitosis", "rare") in got and ("margins", "clean") in got
    got = [(o["code"]["text"], o["valueString"]) for o in obs(converter, "The abdomen was soft and nondistended.")]
    assert got == [("abdomen", "soft"), ("abdomen", "nondistended")]


def test_interpretation_word_before_a_known_test_with_a_range(converter):
    text = "There was severe coagulopathy with an extended prothrombin time of 47.7 s (normal 12.3-14.5 s)."
    o = [x for x in obs(converter, text) if x["code"].get("coding")]
    assert len(o) == 1 and spans(text, o[0]) == ["47.7 s", "extended"] and interp(o[0]) == ["H"]


def test_concentrations_per_decilitre_are_no_daily_doses(converter):
    """'mg/dL' once failed the dose-unit check because it contains '/d' (as in 'mg/d')."""
    text = "Her plasma homocysteine concentration was 45 mg/dL."
    o = [x for x in obs(converter, text)]
    assert [value(x) for x in o] == [(45.0, "mg/dL")]
    assert obs(converter, "She took ferrous sulfate 325 mg/d.") == []


def test_respectively_takes_the_last_names_after_a_comma(converter):
    text = "CSF showed 18% lymphocytes, and glucose and protein levels <20 mg/dL and <167 mg/dL, respectively."
    got = {o["code"]["text"]: (o["valueQuantity"].get("comparator"), float(o["valueQuantity"]["value"]))
           for o in obs(converter, text)}
    assert got["glucose"] == ("<", 20.0) and got["protein levels"] == ("<", 167.0)


def test_specimen_of_the_sentence_chooses_the_test(converter):
    """'CSF analysis: glucose ...' is CSF glucose (2342-4), not the serum test; with no packaged test for
    that specimen the result keeps its words and names the specimen."""
    got = {o["code"]["text"]: [c["code"] for c in o["code"].get("coding", [])]
           for o in obs(converter, "CSF analysis: glucose 2.4 mmol/L, 30 leukocytes/µL.")}
    assert got["glucose"] == ["2342-4"]
    got = {o["code"]["text"]: [c["code"] for c in o["code"].get("coding", [])]
           for o in obs(converter, "Urinalysis showed glucose 50 mg/dL.")}
    assert got == {"glucose (urine)": []}


def test_a_drug_earlier_in_the_sentence_does_not_hide_a_result(converter):
    text = "Despite intravenous rehydration using saline and albumin, renal function worsened and she required dialysis."
    assert [(o["code"]["text"], o["valueString"]) for o in obs(converter, text)] == [("renal function", "worsened")]


def test_a_finding_stated_with_its_count_gives_the_lab(converter):
    text = "Blood tests showed leukocytosis (36,790 per microliter) and hyponatremia of 118 mmol/L."
    got = {o["code"]["coding"][0]["code"]: (o["code"]["text"], value(o)) for o in obs(converter, text)}
    assert got["6690-2"] == ("white blood cell count", (36790.0, "per microliter"))
    assert got["2951-2"] == ("sodium", (118.0, "mmol/L"))



def test_a_measured_level_after_a_drug_is_free_for_the_test(converter):
    """'... to 40 mmol/l' after 'ivacaftor' reads as a concentration, not a dose: the test's series keeps it."""
    text = ("His sweat chloride level decreased from 115 mmol/l before ivacaftor to 40 mmol/l after 6 weeks "
            "and 52 mmol/l after 41 weeks.")
    got = [value(o) for o in obs(converter, text) if o["code"]["text"] == "sweat chloride level"]
    assert sorted(v[0] for v in got) == [40.0, 52.0, 115.0]


def test_a_later_value_continues_a_test_read_with_words_between(converter):
    text = "The platelet count at EOT was 92 × 103 cells/μL and elevated to 159 × 103 cells/μL 1 week later."
    got = sorted((o["code"]["coding"][0]["code"], value(o)[0]) for o in obs(converter, text))
    assert got == [("777-3", 92.0), ("777-3", 159.0)]


def test_a_drug_in_a_test_value_name_is_the_test(converter):
    """'creatinine' is also in the drug lexicon; 'creatinine clearing value' names a test."""
    text = "The endogenous creatinine clearing value was 57.90 mL/min (normal range, >80 mL/min)."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [
        ("endogenous creatinine clearing value", (57.9, "mL/min"))]


def test_torr_is_millimetres_of_mercury(converter):
    text = "Blood gas showed a PaO2 of 64 Torr and an increased alveolar-arterial gradient (44 Torr)."
    got = {o["code"]["text"]: o["valueQuantity"] for o in obs(converter, text)}
    assert {k: (q["value"], q["unit"], q["code"]) for k, q in got.items()} == {
        "PaO2": (64, "Torr", "mm[Hg]"), "alveolar-arterial gradient": (44, "Torr", "mm[Hg]")}

def test_results_mapping_schema_rejects_bad_new_keys():
    import copy
    import json

    from converter.errors import MappingError
    from converter.nlp import results as R
    from converter.resources import load_json

    good = load_json(R.MAPPING)
    R._check(copy.deepcopy(good))
    for breaks in ({"verbs": []}, {"gap_words": ["an estimated"]}, {"units": []}):
        d = copy.deepcopy(good)
        d["weight_change"].update(breaks)
        with pytest.raises(MappingError):
            R._check(json.loads(json.dumps(d)))
    d = copy.deepcopy(good)
    d["measured_units"]["entries"][0]["units"] = []
    with pytest.raises(MappingError):
        R._check(d)
    d = copy.deepcopy(good)
    d["percent_findings"]["length_heads"] = []
    with pytest.raises(MappingError):
        R._check(d)
    for bad in ({"toxicity_findings": []}, {"toxicity_values": "[1"}):
        d = copy.deepcopy(good)
        d["grades"].update(bad)
        with pytest.raises(MappingError):
            R._check(d)
    for bad in ({"value": "(1"}, {"words": []}, {"words": ["at a"]}):
        d = copy.deepcopy(good)
        d["titre_after_result"].update(bad)
        with pytest.raises(MappingError):
            R._check(d)
    for bad in ({"not_after": "in"}, {"not_after": [""]}, {"not_before": ["in"]}):
        d = copy.deepcopy(good)
        d["measured_units"]["entries"][0].update(bad)
        with pytest.raises(MappingError):
            R._check(d)
    d = copy.deepcopy(good)
    d["fraction_scales"]["scales"][0]["value"] = "(5"
    with pytest.raises(MappingError):
        R._check(d)
    d = copy.deepcopy(good)
    d["scale_after_value"]["max_words"] = None
    with pytest.raises(MappingError):
        R._check(d)
    d = copy.deepcopy(good)
    d["cell_percentages"]["heads"] = "cells"
    with pytest.raises(MappingError):
        R._check(d)
    for bad in ("the", [], [""]):
        d = copy.deepcopy(good)
        d["forward_name_fillers"] = bad
        with pytest.raises(MappingError):
            R._check(d)


def test_results_mapping_schema_checks_specimen_lists():
    import copy

    from converter.errors import MappingError
    from converter.nlp import results as R
    from converter.resources import load_json

    good = load_json(R.MAPPING)
    d = copy.deepcopy(good)
    d["unitless_series"]["max_time_chars"] = "25"
    with pytest.raises(MappingError):
        R._check(d)
    d = copy.deepcopy(good)
    d["antibody_of"]["classes"] = []
    with pytest.raises(MappingError):
        R._check(d)
    for key in ("specimen_list_words", "specimen_default_words"):
        for bad in ([], "of", [""]):
            d = copy.deepcopy(good)
            d[key] = bad
            with pytest.raises(MappingError):
                R._check(d)


def test_interpretation_word_before_words_saying_what_was_measured(converter):
    """'elevated level of X (value)', 'raised concentrations of X and Y (values, respectively)', 'high-serum
    level of X': the word is evidence of the (first) value, and interprets every value of the list."""
    text = "Biochemical testing revealed elevated level of acid phosphatase (47.8 IU/L [normal range 5–7 IU/L])."
    o = [x for x in obs(converter, text) if x["code"]["text"] == "acid phosphatase"]
    assert len(o) == 1 and spans(text, o[0]) == ["47.8 IU/L", "elevated"] and interp(o[0]) == ["H"]
    text = "Plasma amino acids showed raised concentrations of alanine and glutamine (1567 and 1369 μmol/l, respectively)."
    got = {x["code"]["text"]: (spans(text, x), interp(x)) for x in obs(converter, text)}
    assert got["alanine"] == (["1567", "raised"], ["H"]) and got["glutamine"] == (["1369 μmol/l"], ["H"])
    text = "Further testing revealed an exceedingly high-serum level of prolactin (PRL) (4408 ng/ml)."
    o = [x for x in obs(converter, text) if x["code"]["text"] == "prolactin"]
    assert len(o) == 1 and spans(text, o[0]) == ["4408 ng/ml", "high"]
    text = "There was low free serum carnitine (14.2 μmol/L, normal range: 23–52)."
    o = obs(converter, text)
    assert len(o) == 1 and spans(text, o[0]) == ["14.2 μmol/L", "low"] and interp(o[0]) == ["L"]


@pytest.mark.parametrize("text", [
    "Her high-sensitivity troponin T was 14 ng/L.",  # the hyphen joins 'high' to the name
    "Blood tests showed a low-density lipoprotein cholesterol of 3.1 mmol/L.",
    "The platelet count was normal and ferritin 310 ng/mL.",  # 'and' is no word saying what was measured
])
def test_no_interpretation_word_without_one_before_the_name(converter, text):
    for o in obs(converter, text):
        assert len(spans(text, o)) == 1, (o["code"]["text"], spans(text, o))


@pytest.mark.parametrize("text,name,val,code,words", [
    ("The study showed an elevated E/A ratio of 2.8.", "E/A ratio", "2.8", "H", ["2.8", "elevated"]),
    ("The f-T4 was normal.", "f-T4", "normal", "N", ["normal"]),
])
def test_names_joined_with_a_single_letter(converter, text, name, val, code, words):
    got = [o for o in obs(converter, text) if o["code"]["text"] == name]
    assert len(got) == 1, [(o["code"]["text"], value(o)) for o in obs(converter, text)]
    assert str(value(got[0])).startswith(str(val)) or str(value(got[0])[0]) == val
    assert interp(got[0]) == [code] and spans(text, got[0]) == words


@pytest.mark.parametrize("text,name,val,code,words", [
    ("The viral load at the end-of-treatment (EOT) was undetectable.", "viral load", "undetectable", None,
     ["undetectable"]),
    ("The ammonia levels in her blood decreased dramatically.", "ammonia levels", "decreased", "L", ["decreased"]),
    ("Chest CT performed four months later showed complete response.", "Chest CT", "complete response", None,
     ["complete response"]),
    ("Adrenal autoantibodies to 21-hydroxylase were negative.", "Adrenal autoantibodies", "negative", "NEG",
     ["negative"]),
])
def test_result_of_a_test_named_before_a_phrase(converter, text, name, val, code, words):
    """A prepositional or participle phrase between the test and the verb (results.json name_bridges)."""
    got = [o for o in obs(converter, text) if o["code"]["text"] == name]
    assert len(got) == 1, [(o["code"]["text"], value(o)) for o in obs(converter, text)]
    assert value(got[0]) == val and interp(got[0]) == ([code] if code else []) and spans(text, got[0]) == words


@pytest.mark.parametrize("text", [
    "The nodule in her breast was decreased.",  # nothing measured before the phrase
    "The dose of steroids at discharge was reduced.",  # a dose
    "Her symptoms after the operation improved.",
    "Her mother at the age of 50 was positive.",
])
def test_no_result_across_a_phrase_without_a_test(converter, text):
    assert obs(converter, text) == []


def test_bracketed_sign_after_a_marker_is_its_result(converter):
    text = ("The tumor cells were vascular endothelial growth factor (VEGF) (+), CD105 (+) (Fig.1B–E), "
            "topoisomerase enzyme II α (TOPOII α), P53 (–), and Ki-67 (70%).")
    got = {o["code"]["text"]: (value(o), interp(o), spans(text, o)) for o in obs(converter, text)}
    assert got["vascular endothelial growth factor"] == ("positive", ["POS"], ["(+)"])
    assert got["CD105"] == ("positive", ["POS"], ["(+)"])
    assert got["P53"] == ("negative", ["NEG"], ["(–)"])
    assert "topoisomerase enzyme II α" not in got  # no sign after it


def test_bracketed_sign_stays_with_its_own_marker_in_a_list(converter):
    """"CD34 (+) and CK (−)": the sign after CD34 is its own result, so the later sign is not shared with it."""
    text = "Immunohistochemistry showed CD34 (+), Ki-67 (+++), and CK (−)."
    got = sorted((o["code"]["text"], value(o)) for o in obs(converter, text))
    assert got == [("CD34", "positive"), ("Ki-67", "positive"), ("cytokeratin", "negative")]  # CK here: cytokeratin


@pytest.mark.parametrize("text", [
    "MRI showed a disc protrusion at L5 (+).",  # a spinal level, not a marker
    "The arrow (+) marks the lesion.",  # nothing measured before it
])
def test_bracketed_sign_without_a_marker_gives_nothing(converter, text):
    assert obs(converter, text) == []


def test_number_inside_a_capitalised_name_is_no_value(converter):
    assert obs(converter, "The organism was identified by the API 20 Strep System.") == []
    text = "On admission his GCS 15 points."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [("GCS", (15.0, None))]


@pytest.mark.parametrize("text,name,val,code,words", [
    # a preposition or conjunction begins no name
    ("The patient was found to be normal upon neurological examination.", "neurological examination", "normal", "N",
     ["normal"]),
    ("During hospitalisation the patient remained stable regarding cardiological function.", "cardiological function",
     "stable", None, ["stable"]),
    ("The cells were atypical, whereas immunohistochemical tests were negative.", "immunohistochemical tests",
     "negative", "NEG", ["negative"]),
    # a verb after the name is what the thing did, not part of its name
    ("His PIPs oscillated between 15 and 45 cm H2O with a NAVA level of 0.", "PIPs", "between 15 and 45 cm H2O", None,
     ["between 15 and 45 cm H2O"]),
    ("The patient's blood ammonia level fluctuated (144.8–207.7 μmol/L).", "blood ammonia level",
     "144.8–207.7 μmol/L", None, ["144.8–207.7 μmol/L", "fluctuated"]),
])
def test_names_hold_no_preposition_or_verb(converter, text, name, val, code, words):
    got = obs(converter, text)
    assert [o["code"]["text"] for o in got] == [name], [(o["code"]["text"], value(o)) for o in got]
    assert value(got[0]) == val and interp(got[0]) == ([code] if code else []) and spans(text, got[0]) == words


@pytest.mark.parametrize("text", [
    "The pain in her abdomen was decreased.",  # a body part named in a phrase after the finding
    "The nodules at follow-up were decreased.",  # a time
    "Some of them were abnormal.",
    "Chemotherapy was started at 2500 mg/m2 per day.",
])
def test_no_result_of_a_body_part_time_or_pronoun(converter, text):
    assert obs(converter, text) == [], [(o["code"]["text"], value(o)) for o in obs(converter, text)]


def test_result_word_beginning_the_next_list_item_is_that_items():
    from converter import Converter

    text = ("TTE demonstrated asymmetric biventricular hypertrophy with preserved ejection fraction of 60%, elevated "
            "right-ventricular systolic pressure of 36 mm Hg and abnormal myocardial texture.")
    got = {o["code"]["text"]: o for o in obs(Converter(), text)}
    ef = got["ejection fraction"]
    assert value(ef) == (60.0, "%") and "elevated" not in spans(text, ef) and "H" not in interp(ef)
    # a word closing the value's clause is still its interpretation
    text = "CRP was 16 mg/L, elevated."
    (o,) = obs(Converter(), text)
    assert interp(o) == ["H"] and spans(text, o) == ["16 mg/L", "elevated"]


@pytest.mark.parametrize("text,name", [
    ("A test for the human immunodeficiency virus was negative.", "human immunodeficiency virus"),
    ("Adrenal autoantibodies were negative.", "Adrenal autoantibodies"),
    ("Enterovirus was negative.", "Enterovirus"),
])
def test_pathogens_and_antibodies_tested_for_are_laboratory(converter, text, name):
    (o,) = obs(converter, text)
    assert o["code"]["text"] == name
    assert [c["code"] for x in o["category"] for c in x["coding"]] == ["laboratory"]


def test_results_mapping_schema_checks_name_verbs_phrase_objects_and_category_endings():
    import copy

    from converter.errors import MappingError
    from converter.nlp import results as R
    from converter.resources import load_json

    good = load_json(R.MAPPING)
    for key, field, bad in (("name_verbs", "words", []), ("name_verbs", "min_chars", "5"),
                            ("phrase_objects", "prepositions", ["in the"]), ("phrase_objects", "fillers", None),
                            ("category_endings", "laboratory", []), ("clause_joiners", "words", ["and then"])):
        d = copy.deepcopy(good)
        d[key][field] = bad
        with pytest.raises(MappingError):
            R._check(d)
    d = copy.deepcopy(good)
    d["category_endings"]["bloodwork"] = ["emia"]  # no category of 'categories'
    with pytest.raises(MappingError):
        R._check(d)
    for key in ("signed_abbreviation_category", "signed_condition_category", "default_category"):
        d = copy.deepcopy(good)
        d[key] = "lab"  # no category of 'categories'
        with pytest.raises(MappingError, match=key):
            R._check(d)


def test_negation_does_not_reach_a_result_stated_in_its_own_clause(converter):
    text = "On physical examination, the abdomen was soft, there was no distention, and bowel sounds were normoactive."
    got = {o["code"]["text"]: (value(o), interp(o)) for o in obs(converter, text)}
    assert got["bowel sounds"] == ("normoactive", ["N"])
    assert obs(converter, "Bowel sounds were not normoactive.") == []  # the negation is the result's own


@pytest.mark.parametrize("text,names,val,code", [
    ("C-Kit (CD117) was negative while CD34, smooth muscle actin (SMA), and ALK were focally positive.",
     ["ALK", "smooth muscle actin", "CD34"], "positive", "POS"),
    ("f-T3 and f-T4 were normal.", ["f-T4", "f-T3"], "normal", "N"),
    # 'regarding' introduces what the sentence is about, not a member of the list
    ("Regarding thyroid function, f-T3 and f-T4 were in the reference range.", ["f-T4", "f-T3"],
     "in the reference range", "N"),
])
def test_result_said_of_a_list_of_markers_is_each_ones(converter, text, names, val, code):
    got = [o for o in obs(converter, text) if o["code"]["text"] in names]
    assert [o["code"]["text"] for o in got] == names, [(o["code"]["text"], value(o)) for o in obs(converter, text)]
    assert all(value(o) == val and interp(o) == [code] for o in got)


@pytest.mark.parametrize("text", [
    "Serum copper and lead were normal.",  # no abbreviations: the words may name one test
    "There was no edema, and the pulses were normal.",
])
def test_no_list_of_plain_words_takes_a_shared_result(converter, text):
    names = [o["code"]["text"] for o in obs(converter, text)]
    assert "Serum copper" not in names and "edema" not in names


def test_prime_glued_to_a_letter_is_part_of_the_name(converter):
    text = "A markedly elevation of E/e’ ratio of 27."
    (o,) = obs(converter, text)
    assert o["code"]["text"] == "E/e’ ratio" and value(o) == (27.0, None) and interp(o) == ["H"]
    (o,) = obs(converter, "The E/e' ratio was 15.")
    assert o["code"]["text"] == "E/e' ratio"
    assert obs(converter, "He experienced further deterioration of his ‘good’ LE.") == []  # a closing quote


# --- bogus text-coded Observations: names that are no test, numbers that are no value ---------------------------

@pytest.mark.parametrize("text,expected", [
    # a number written after a marker's name is part of the name ("cytokeratin 7", "CD 31", "CD 4/8 ratio")
    ("The tumor was positive for S-100 and Vimentin, but negative for cytokeratin 7 and cytokeratin 20 (Figure 6).",
     {("S-100", "positive"), ("Vimentin", "positive"), ("cytokeratin 7", "negative"), ("cytokeratin 20", "negative")}),
    ("Tumor markers were normal, including carcinoembryonic antigen, cytokeratin 19 fragment.",
     {("Tumor markers", None)}),
    ("The colon showed positive expression of cytokeratin 20 (CK20) but no expression of cytokeratin 7 (CK7).",
     {("cytokeratin 20", "positive"), ("cytokeratin 7", "negative")}),
    ("Flow cytometry showed a CD 4/8 ratio of 0.57.", {("CD 4/8 ratio", (0.57, None))}),
    ("The specimen showed endothelial cells positive for CD 31.", {("CD 31", "positive")}),
    # reference, figure, ID and year numbers
    ("The lesion was seen in axial and coronal scansions (Figs.2, 3).", set()),
    ("Our patient (ID 73387) is a female child.", set()),
    ("Nutrition was assessed with the Nutrition Risk Screening 2002 (NRS 2002).", set()),
    # words that name no test
    ("Blood tests performed between April and June were all normal.", set()),
    ("Pleural effusions and interstitial thickening were present in the lung bases.", set()),
    ("A negligible area of adenocarcinoma was detected in the lymph nodes.", set()),
    ("A smear showed filamentous, gram-positive, weakly acid-fast, and beaded bacilli.", set()),
    ("The cells were triple positive (TP).", set()),
    ("Mitoses were numerous and structurally abnormal forms were common.", set()),
    ("The bone appeared to be articulated in an abnormal manner.", set()),
    ("Evaluation of other systems was unremarkable.", set()),
    ("The fields showed raised false-negative error rates in excess of 30%.",
     {("false-negative error rates", "raised"), ("error rates", (30.0, "%"))}),
    ("Tumor cells were diffusely positive for cluster of differentiation (CD)20.",
     {("cluster of differentiation", "positive")}),
    # a blood pressure named by an adjective is a blood pressure (its two pressures as components: no value[x])
    ("The patient presented a peak of the hypertensive (180/100 mm Hg) which normalized.",
     {("blood pressure", None)}),
])
def test_no_bogus_names_or_values(converter, text, expected):
    got = {(o["code"]["text"], value(o)) for o in obs(converter, text)}
    assert got == expected


@pytest.mark.parametrize("text,name", [
    ("CD34, smooth muscle actin (SMA), and ALK were focally positive.", "smooth muscle actin"),  # IHC marker
    ("Laboratory data were normal: HIV negative, and syphilis negative.", "HIV"),  # serology
    ("Laboratory data were normal: HIV negative, and syphilis negative.", "syphilis"),
])
def test_signed_marker_and_serology_results_are_laboratory(converter, text, name):
    (o,) = [o for o in obs(converter, text) if o["code"]["text"] == name]
    assert [c["code"] for x in o["category"] for c in x["coding"]] == ["laboratory"]


@pytest.mark.parametrize("text,expected", [
    # the word of change before a later value of a series is evidence of that value
    ("The platelet count at EOT was 92 × 103 cells/μL and elevated to 159 × 103 cells/μL 1 week later.",
     {"92 × 103 cells/μL": ["92 × 103 cells/μL"], "159 × 103 cells/μL": ["159 × 103 cells/μL", "elevated"]}),
    ("The lactic acid concentration was 22 mmol/l and subsequently increased to 63 mmol/l (normal range, 0.7–2.1 mmol/l).",
     {"22 mmol/l": ["22 mmol/l"], "63 mmol/l": ["63 mmol/l", "increased"]}),
    # no word of change: the later value stands alone
    ("CK was 952 U/L on admission and 3000 U/L on day 3.", {"952 U/L": ["952 U/L"], "3000 U/L": ["3000 U/L"]}),
])
def test_word_of_change_before_a_later_value_is_its_evidence(converter, text, expected):
    got = {spans(text, o)[0]: spans(text, o) for o in obs(converter, text)}
    assert got == expected


def test_respectively_pairs_short_forms_written_after_long_names(converter):
    # each name's short form in brackets names its value; the long forms and the bracketed
    # percentages restating each value are passed over; litres a spirometry volume measures are results
    text = ("Spirometry revealed a forced expiratory volume in 1 second (FEV1) and a forced vital capacity (FVC) of "
            "2.7 L (69% of predicted) and 3.2 L (68% of predicted), respectively.")
    got = {(o["code"]["text"], value(o)) for o in obs(converter, text)}
    assert got == {("FEV1", (2.7, "L")), ("FVC", (3.2, "L"))}


@pytest.mark.parametrize("text", [
    "The mass (M1) and the cyst (C2) were 3 cm and 2 cm, respectively.",  # sizes
    "She received cisplatin (CDDP) and etoposide (VP16) at 2 L and 3 L, respectively.",  # no measured volume
])
def test_respectively_short_forms_name_no_sizes_or_amounts(converter, text):
    assert obs(converter, text) == []


def test_high_power_field_is_a_unit_not_a_high_power(converter):
    text = ("A routine urinalysis revealed white blood cell count of 3–5/high power field, "
            "and red blood cell count of 25–50/high power field.")
    got = obs(converter, text)
    assert not [o for o in got if o["code"].get("text", "").lower() == "power"], [o["code"].get("text") for o in got]
    wbc = [o for o in got if o["code"].get("text") == "white blood cell count"]
    assert wbc and spans(text, wbc[0])[-1] == "3–5/high power field"
    got = obs(converter, "There were numerous mitotic figures ranging from 30 to 60 per 10 high power fields.")
    assert not [o for o in got if o["code"].get("text", "").lower() == "power"]


def test_muscle_power_still_has_its_result(converter):
    got = obs(converter, "Muscle power was high in both legs.")
    assert [(o["code"]["text"], interp(o)) for o in got] == [("power", ["H"])]
    got = obs(converter, "Power was 4/5 in both legs.")
    assert [o["code"]["text"] for o in got] == ["Power"]


def test_normal_word_naming_a_denied_finding_is_a_result_and_the_finding_stays_refuted(converter):
    """'non-tender', 'non-distended', 'no abnormal finding': a normal result word with a condition inside it is
    still the examination's result (listed after another one too); the condition stays refuted."""
    text = "The abdomen was soft, non-tender, non-distended, with bowel sounds."
    got = sorted((o["code"]["text"], value(o), tuple(interp(o))) for o in obs(converter, text))
    assert got == [("abdomen", "non-distended", ("N",)), ("abdomen", "non-tender", ("N",)), ("abdomen", "soft", ())]
    conds = resources(converter.text_to_dict(text), "Condition")
    assert {c["code"]["text"]: c["verificationStatus"]["coding"][0]["code"] for c in conds} == \
        {"tender": "refuted", "distended": "refuted"}
    text = "Abdominal sonography revealed no abnormal finding in the hepatobiliary system."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [("Abdominal sonography", "no abnormal finding")]


def test_two_tests_after_a_result_word_stay_two(converter):
    # "elevated CRP and ESR": each part names a test of its own, so no shared head joins them
    got = obs(converter, "Labs showed elevated CRP and ESR.")
    assert sorted(o["code"].get("text") for o in got) == ["CRP", "ESR"]
    got = obs(converter, "Labs showed elevated ferritin and bilirubin levels.")
    assert sorted(o["code"].get("text") for o in got) == ["bilirubin levels", "ferritin"]


@pytest.mark.parametrize("text,name,val", [
    ("A follow-up RHC revealed improved mPAP (65 to 53 mmHg).", "mPAP", "65 to 53 mmHg"),  # a test other rules read
    ("Repeat testing revealed an improved lung clearance index (14.5 to 8.3).", "lung clearance index", "14.5 to 8.3"),
])
def test_change_word_before_a_test_with_values_is_their_evidence(converter, text, name, val):
    # "improved" before a test whose values follow is evidence of that one Observation, not a second one
    got = [o for o in obs(converter, text) if o["code"].get("text") == name]
    assert len(got) == 1 and value(got[0]) == val, [(o["code"].get("text"), value(o)) for o in obs(converter, text)]
    assert spans(text, got[0]) == [val, "improved"]


def test_inflammatory_parameters_no_condition(converter):
    """'inflammatory parameters' names tests, not the finding 'Inflammation'."""
    text = "Treatment was continued because of increasing inflammatory parameters."
    assert resources(converter.text_to_dict(text), "Condition") == []


@pytest.mark.parametrize("text,name,val", [
    ("There was no increase in bowel movements.", "bowel movements", "no increase"),
    ("There was no apparent increase in bowel movements.", "bowel movements", "no apparent increase"),
    ("There was no significant increase in serum creatinine levels.", "serum creatinine levels", "no significant increase"),
])
def test_a_denied_change_is_no_high_or_low_result(converter, text, name, val):
    # "no increase" is a pseudo-negation for findings; for a measure it says it did not rise: no High flag
    got = [o for o in obs(converter, text) if o["code"].get("text") == name]
    assert len(got) == 1 and value(got[0]) == val and interp(got[0]) == [], \
        [(o["code"].get("text"), value(o), interp(o)) for o in obs(converter, text)]


def test_a_change_not_denied_keeps_its_interpretation(converter):
    got = obs(converter, "There was no fever and an increase in the serum creatinine.")
    assert [interp(o) for o in got] == [["H"]]


@pytest.mark.parametrize("text,code", [
    ("There was an increase in serum creatinine (1.0 mg/dL).", "H"),
    ("There was no increase in serum creatinine (1.0 mg/dL).", "N"),  # the range's, not the denied word's
    ("There was no significant rise in serum creatinine (1.0 mg/dL).", "N"),
])
def test_a_denied_change_before_a_known_test_is_no_high_result(converter, text, code):
    # the lab reader asks the results reader's denied_change (tokens) of the change word before the name
    assert [interp(o) for o in obs(converter, text)] == [[code]]


def test_a_specimen_before_a_drug_name_makes_it_the_test(converter):
    """"calcium" is a drug and a lab: with a specimen written before it, an amount is a test's result, not a dose."""
    from converter.nlp.pipeline import get_extractor

    f = get_extractor().extract("24-hour urine calcium was also normal 6.9 mmol.")
    assert [(x.name, x.value, x.unit) for x in f.labs] == [("urine calcium", 6.9, "mmol")] and not f.medications
    f = get_extractor().extract("She was given calcium 10 mmol intravenously.")
    assert not f.labs and [m.name for m in f.medications] == ["calcium"]


def test_values_of_each_side_and_restated_in_brackets_are_the_same_test(converter):
    """A name with hyphened stop words ("cup-to-disc"), a value per side, each restated in brackets in
    another unit: every value is the test's."""
    text = "Examination revealed a cup-to-disc ratio right 0.9 (90%) and left 0.8 (80%; figure 1)."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [
        ("cup-to-disc ratio", (0.9, None)), ("cup-to-disc ratio", (90.0, "%")),
        ("cup-to-disc ratio", (0.8, None)), ("cup-to-disc ratio", (80.0, "%"))]
    text = "Examination revealed a cup-to-disc ratio of 0.9 in the right eye and 0.8 in the left eye."
    assert [value(o) for o in obs(converter, text)] == [(0.9, None), (0.8, None)]
    text = "His FEV1 increased from 1.25 L (−1.2 z-score) to 1.65 L (+0.5 z-score) after 41 weeks of therapy."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [
        ("FEV1", (1.25, "L")), ("FEV1", (-1.2, "z-score")), ("FEV1", (1.65, "L")), ("FEV1", (0.5, "z-score"))]
    text = "A routine urinalysis revealed a proteinuria score of 2+ (200 mg/dL)."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [
        ("proteinuria score", "2+"), ("proteinuria score", (200.0, "mg/dL"))]
    # a unitless number in brackets after a value with a unit is no restatement of it
    assert [value(o) for o in obs(converter, "The SUVmax was 7.8 g/mL (3) in the mass.")] == [(7.8, "g/mL")]


def test_a_later_concentration_in_another_unit_is_the_earlier_test_s(converter):
    """A test named with no value, then a concentration in another unit than the vocabulary's (mIU/L, not ng/mL)."""
    text = "His prolactin levels showed a similar dramatic response with levels coming down to 336 mIU/L."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [("prolactin levels", (336.0, "mIU/L"))]
    # an amount is no concentration
    assert obs(converter, "His prolactin levels were checked before he was given 336 mg.") == []


def test_names_side_by_side_are_one_name_not_a_list(converter):
    """"cortisol responses", "systolic pulmonary artery pressure": two vocabulary names with only a space between
    are one name; read as a list, cortisol took the first value of "respectively" (30.9 mU/L, the GH's)."""
    text = "Peak growth hormone and cortisol responses were 30.9 mU/L and 447 nmol/L, respectively."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [
        ("Peak growth hormone", (30.9, "mU/L")), ("cortisol responses", (447.0, "nmol/L"))]
    text = "Echocardiography revealed a decrease in systolic pulmonary artery pressure (30 mmHg)."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [("pulmonary artery pressure", (30.0, "mmHg"))]


def test_pulmonary_hypertension_value_is_no_blood_pressure(converter):
    got = obs(converter, "Severe pulmonary hypertension of 75 mm Hg.")
    assert [(o["code"]["text"], "coding" in o["code"], value(o)) for o in got] == \
        [("pulmonary artery pressure", False, (75.0, "mm Hg"))]
    got = obs(converter, "He had hypertension (180/100 mmHg).")
    assert [o["code"]["text"] for o in got] == ["blood pressure"]


def test_a_value_after_a_verb_of_change_and_by_is_the_change(converter):
    """"his body weight further decreased by 23 kg": not a body weight of 23 kg, and not coded as one."""
    got = obs(converter, "His body weight further decreased by 23 kg, and he stopped the medication.")
    assert [(o["code"]["text"], "coding" in o["code"], value(o), interp(o)) for o in got] == \
        [("weight loss", False, (23.0, "kg"), [])]
    got = obs(converter, "The peak inspiratory pressure increased by 5 cm H2O.")
    assert [(o["code"]["text"], value(o)) for o in got] == [("peak inspiratory pressure increase", (5.0, "cm H2O"))]
    got = obs(converter, "His body weight was 47 kg.")
    assert [(o["code"]["text"], "coding" in o["code"]) for o in got] == [("body weight", True)]


def test_a_duration_is_no_later_value_of_a_setting(converter):
    got = obs(converter, "The ablation was done with the power of 5 W in 5 to 6 minutes.")
    assert [(o["code"]["text"], value(o), o["valueQuantity"].get("code")) for o in got] == [("power", (5.0, "W"), "W")]


def test_a_value_in_brackets_after_a_result_word_is_the_result_s(converter):
    got = obs(converter, "The lactate:pyruvate ratio was elevated (30:1).")
    assert [(o["code"]["text"], value(o), spans("The lactate:pyruvate ratio was elevated (30:1).", o)) for o in got] == [
        ("lactate:pyruvate ratio", "elevated", ["elevated"]), ("lactate:pyruvate ratio", "30:1", ["30:1"])]
    assert [value(o) for o in obs(converter, "The ammonia was normal (25).")] == ["normal"]  # a bare number: a citation?


def test_a_count_in_a_unit_naming_its_cells_is_no_later_value_of_a_percentage(converter):
    text = "Laboratory tests showed a hematocrit of 34.9%, and 281×103 platelets per microliter."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [
        ("hematocrit", (34.9, "%")), ("platelets", (281.0, "×103 platelets per microliter"))]
    text = "HbA1c was elevated to 62 mmol/mol (7.8%) despite rapid red cell turnover."  # restated: the same test
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [
        ("HbA1c", (62.0, "mmol/mol")), ("HbA1c", (7.8, "%"))]
    text = "CSF analysis (4 leukocytes/µL with 50% neutrophils and 50% lymphocytes, 6 red blood cells/µL)."
    assert [(o["code"]["text"], value(o)) for o in obs(converter, text)
            if o["code"]["text"] in ("leukocytes (CSF)", "red blood cells")] \
        == [("leukocytes (CSF)", (4.0, "leukocytes/µL")), ("red blood cells", (6.0, "red blood cells/µL"))]
    assert not [o for o in obs(converter, text) if value(o) == (6.0, "red blood cells/µL")
                and o["code"]["text"] != "red blood cells"]
    text = "The peripheral blood smear was remarkable with 2–3 schizocytes/HPF."
    assert [o["code"]["text"] for o in obs(converter, text)] == ["schizocytes"]


def test_a_name_of_two_words_side_by_side_stays_in_its_list(converter):
    """"..., epithelial membrane antigen (EMA), cytokeratin AE1/AE3 (CK AE1/AE3), vimentin, ... were negative": the
    two names side by side are one item, the short form in brackets of two names is its alias, and the list goes on."""
    text = ("The other markers, including epithelial membrane antigen (EMA), cytokeratin AE1/AE3 (CK AE1/AE3), "
            "vimentin, and bcl-2, were also negative by immunostaining.")
    names = [o["code"]["text"] for o in obs(converter, text)]
    assert {"epithelial membrane antigen", "AE1/AE3", "vimentin", "bcl-2"} <= set(names)
    assert "cytokeratin" not in names and "CK" not in names


@pytest.mark.parametrize("key,part", [("phrase_objects", "fillers"), ("ly_adjectives", "words"),
                                      ("reported_absent", "heads"), ("relative_subjects", "words"),
                                      ("denied_change", "fillers"), ("clause_joiners", "words")])
def test_word_list_settings_are_checked_on_load(key, part):
    import copy

    from converter.errors import MappingError
    from converter.nlp import results as R
    from converter.resources import load_json

    good = load_json(R.MAPPING)
    for bad in ([], [""], "no list", None):
        d = copy.deepcopy(good)
        d[key][part] = bad
        with pytest.raises(MappingError, match=key):
            R._check(d)
    if key != "relative_subjects":  # the others are single words
        d = copy.deepcopy(good)
        d[key][part] = ["two words"]
        with pytest.raises(MappingError, match=key):
            R._check(d)


def test_a_change_by_an_amount_is_one_evidence_span(converter):
    """"decreased by 23 kg": the verb, 'by' and the amount are one statement, one derivation span (not two)."""
    text = "His body weight further decreased by 23 kg, and he stopped the medication."
    got = obs(converter, text)
    assert [(o["code"]["text"], spans(text, o)) for o in got] == [("weight loss", ["decreased by 23 kg"])]


def test_a_change_from_a_value_does_not_interpret_that_value(converter):
    """"decreased from 115 mmol/l to 40 mmol/l": 115 is where the fall started, not a low value; the verb stays
    its evidence."""
    text = "His sweat chloride level decreased from 115 mmol/l before ivacaftor to 40 mmol/l after 6 weeks."
    got = [o for o in obs(converter, text) if value(o) == (115.0, "mmol/l")]
    assert [(interp(o), spans(text, o)) for o in got] == [([], ["115 mmol/l", "decreased"])]


@pytest.mark.parametrize("text", [
    "He was ventilated with a positive end-expiratory pressure (PEEP) of 7 cm H2O.",
    "He was started on continuous positive airway pressure at night.",
])
def test_a_sign_before_a_pressure_names_its_kind(converter, text):
    """"positive end-expiratory pressure": a kind of pressure (results.json signed_kind_heads), not a positive
    result; its number stays the PEEP's value."""
    got = obs(converter, text)
    assert not [o for o in got if "POS" in interp(o)]
    assert [value(o) for o in got if "valueQuantity" in o] == ([(7.0, "cm H2O")] if "7 cm" in text else [])


def test_rhythm_converted_to_is_no_result(converter):
    # "converted to sinus rhythm": a treatment's effect, not what a test showed
    assert not [o for o in obs(converter, "She was converted to sinus rhythm with two shocks.")
                if o["code"].get("text") == "heart rhythm"]


def test_a_forward_result_word_after_a_predicated_measure_is_that_measures(converter):
    # "increased" usually names what follows it; after "FDG uptake was" the place after it is no test
    got = obs(converter, "FDG uptake was increased in the node.")
    assert [(o["code"]["text"], value(o), interp(o)) for o in got] == [("FDG uptake", "increased", ["H"])]


@pytest.mark.parametrize("text,name,val", [
    ("The peak inspiratory pressure decreased by about 5 cm H2O.", "peak inspiratory pressure decrease", 5),
    ("His body weight was raised by 3 kg.", "weight gain", 3),
])
def test_one_reading_of_a_change_by_an_amount(converter, text, name, val):
    # the named-lab and the results readers share one list of verbs and fillers (results.json change_by)
    got = obs(converter, text)
    assert [(o["code"]["text"], o["valueQuantity"]["value"], interp(o)) for o in got] == [(name, val, [])]


@pytest.mark.parametrize("key,part,bad", [("name_bridges", "max_tokens", 0), ("name_verbs", "min_chars", True),
                                          ("word_before_name", "max_fillers", -1), ("word_before_name", "max_fillers", "2")])
def test_word_list_settings_with_a_bound_are_checked_on_load(key, part, bad):
    import copy

    from converter.errors import MappingError
    from converter.nlp import results as R
    from converter.resources import load_json

    d = copy.deepcopy(load_json(R.MAPPING))
    d[key][part] = bad
    with pytest.raises(MappingError, match=key):
        R._check(d)


def test_grades_are_found_in_a_text_whose_lower_case_changes_length(converter):
    # the grade words are looked for in the lower-cased text; "İ" lower-cases to two characters, so the
    # offsets would not hold there and the sentence is lower-cased on its own
    from converter.nlp.values import lowered

    assert lowered("NYHA Class IV") == "nyha class iv"
    assert lowered("İzmir") is None
    for text in ("He had heart failure (NYHA Class IV).", "In İzmir he had heart failure (NYHA Class IV)."):
        assert [(o["code"]["text"], value(o)) for o in obs(converter, text)] == [("NYHA class", "IV")], text


@pytest.mark.parametrize("text,titre", [
    ("VDRL was reactive at 1:32.", "1:32"),
    ("VDRL was positive at 1:32.", "1:32"),
])
def test_titre_after_a_positive_result(converter, text, titre):
    os = obs(converter, text)
    assert sorted(value(o) for o in os) == sorted(["positive", titre])
    t = next(o for o in os if value(o) == titre)
    assert t["code"]["text"] == "VDRL" and spans(text, t) == [titre]


def test_blood_pressure_named_by_an_adjective_has_its_components(converter):
    text = "The patient presented a peak of the hypertensive (180/100 mm Hg) which normalized."
    (o,) = obs(converter, text)
    assert [float(c["valueQuantity"]["value"]) for c in o["component"]] == [180.0, 100.0]
    assert [c["code"] for c in o["code"]["coding"]] == ["85354-9"]
