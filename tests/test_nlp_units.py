"""Unit tests of the NLP layer's pieces that need no vocabulary: tokens, sentences, sections,
ConText scopes, demographics."""
import pytest

from converter.facts import Assertion
from converter.nlp import context as ctx
from converter.nlp.demographics import find_age, find_onset, find_sex
from converter.nlp.sections import heading_section, split_sections, SectionIndex
from converter.nlp.tokens import sentences, tokenize
from converter.nlp.trie import Trie, norm_token


def test_norm_token_folds_case_plural_quotes_and_dashes():
    assert norm_token("Myalgias") == norm_token("myalgia")
    assert norm_token("arteries") == "artery"
    assert norm_token("Bowen’s") == norm_token("bowen's")
    assert norm_token("diabetes") == norm_token("Diabetes")
    assert norm_token("\u2013") == "-"


def test_trie_longest_leftmost():
    t = Trie()
    t.add(("muscle",), "a")
    t.add(("muscle", "weakness"), "b")
    t.add(("proximal", "muscle", "weakness"), "c")
    hits = t.find_all(["proximal", "muscle", "weakness", "and", "muscle"])
    assert [(s, e, p) for s, e, p in hits] == [(0, 3, ("c",)), (4, 5, ("a",))]


def test_tokens_split_slashes_and_units():
    toks = tokenize("AST/ALT 109/62\u2009U/L and prednisolone 60mg daily")
    assert [t.text for t in toks][:8] == ["AST", "/", "ALT", "109", "/", "62", "U", "/"]
    assert "60" in [t.text for t in toks] and "mg" in [t.text for t in toks]


def test_tokens_split_an_equals_sign_before_a_number():
    """'pressure=29/8 mmHg', 'EF=55%': the name, '=' and the value are tokens of their own."""
    assert [t.text for t in tokenize("pressure=29/8 mmHg")][:4] == ["pressure", "=", "29", "/"]
    assert [t.text for t in tokenize("EF=55%")] == ["EF", "=", "55", "%"]
    assert [t.text for t in tokenize("a=b")] == ["a", "=", "b"]


@pytest.mark.parametrize("text,words", [
    ("The patient suffered from Friedreich's ataxia.1 2 His echo was normal.", ["ataxia", ".", "1", "2"]),
    ("Diagnosis rests on local invasion and metastases.3 The indication", ["metastases", ".", "3"]),
    ("an irregular thickening of the wall,14 and a bone scan", ["wall", ",", "14", "and"]),
    ("pleural effusion, and atelectasis.(Fig.2). We suspected", ["atelectasis", ".", "("]),
    ("as shown in Fig.2 and No.3 of the series", ["Fig.2", "and", "No.3"]),  # figure numbers stay whole
])
def test_tokens_split_a_glued_reference_or_period(text, words):
    got = [t.text for t in tokenize(text)]
    assert any(got[i:i + len(words)] == words for i in range(len(got))), got


@pytest.mark.parametrize("text,n", [
    ("She had pain. Fig. 2 shows the lesion.", 2),
    ("The patient suffered from Friedreich's ataxia.1 2 His echo was normal.", 2),
    ("CK was 10.7 U/L. ALT was normal.", 2),
    ("Line one without period\nLine two.", 2),
    ("He was seen by Dr. Smith on day 3.", 1),
    ("Vancomycin 0.25 gm i.v. q8h had been administered. Then he improved.", 2),  # 'i.v.' ends no sentence
    ("Hemoglobin was 8.2 g/dL. Platelets were normal.", 2),  # the period after 'dL' is its own token
    ("He had chronic hepatitis C. Then he developed ascites.", 2),  # 'C.' after a lower-case word ends it
    ("It was described by John F. Kennedy in 1962.", 1),  # an initial after a name does not
])
def test_sentences(text, n):
    assert len(sentences(tokenize(text), text)) == n


def test_sections_of_the_seed_layout():
    text = "Title of it\n\nBACKGROUND\nLiterature here.\n\nCASE REPORT\nA 69-year-old woman.\n\nDISCUSSION\nMore.\n\nREFERENCES\n1. X."
    segs = split_sections(text)
    idx = SectionIndex(segs, len(text))
    assert idx.at(text.index("Literature")).section == "background"
    assert idx.at(text.index("69-year")).section == "case"
    assert idx.at(text.index("More")).section == "discussion"
    assert idx.at(text.index("1. X")).kind == "reference"
    assert idx.at(0).kind == "title"


def test_inline_heading_and_no_heading():
    assert split_sections("CASE: A 28-year-old man.")[0].kind == "heading"
    assert split_sections("A 28-year-old man had pain.")[0].section == "case"
    assert heading_section("Case presentation") == "case"
    assert heading_section("2. Discussion") == "discussion"
    assert heading_section("The patient was well.") is None


def _assert(sentence: str, target: str) -> Assertion:
    toks = tokenize(sentence)
    norms = [t.norm for t in toks]
    start = sentence.index(target)
    a = next(t.i for t in toks if t.start == start)
    b = next(t.i for t in toks if t.end == start + len(target)) + 1
    trigs, terms = ctx.find_triggers(norms, 0, len(toks))
    return ctx.assert_span(toks, 0, len(toks), a, b, trigs, terms)[0]


@pytest.mark.parametrize("sentence,target,expected", [
    ("There was no fever.", "fever", {"negated"}),
    ("Biopsy showed infiltrate, without evidence of necrotic fibers.", "necrotic fibers", {"negated"}),
    ("No change in the lesion size was seen.", "lesion", set()),
    ("She denied chest pain but reported dyspnea.", "dyspnea", set()),
    ("She denied chest pain but reported dyspnea.", "chest pain", {"negated"}),
    ("Tuberculosis was ruled out.", "Tuberculosis", {"negated"}),
    ("Sarcoidosis was suspected.", "Sarcoidosis", {"uncertain"}),
    ("Her mother had lupus.", "lupus", {"family"}),
    ("She had a history of tuberculosis.", "tuberculosis", {"historical"}),
    ("Bisphosphonates may be used in extensive cases.", "Bisphosphonates", {"hypothetical"}),
    ("She developed paresthesia.", "paresthesia", set()),
])
def test_context(sentence, target, expected):
    got = {k for k in ("negated", "uncertain", "historical", "hypothetical", "family") if getattr(_assert(sentence, target), k)}
    assert got == expected


@pytest.mark.parametrize("text,value,unit,sex", [
    ("A 69-year-old woman presented", 69, "a", "female"),
    ("a 3-month-old boy was admitted", 3, "mo", "male"),
    ("a male patient aged 45 was seen", 45, "a", "male"),
    ("A twenty-two-year-old man", 22, "a", "male"),
    ("A 50 year old G2P1 presented", 50, "a", "female"),
])
def test_age_and_sex(text, value, unit, sex):
    age = find_age(text)
    assert (age.value, age.unit) == (value, unit)
    assert find_sex(text, [(0, len(text))]).value == sex


@pytest.mark.parametrize("text", [
    "A patient 45 years\nOF\tAGE was seen.", "She was 7 Months of  age.", "twenty-one years of ageing",
    "a 60 yr of age man, 45 years of age", "no age here: 45 years old of age", "aged 3 days of age"])
def test_of_age_hint_spares_no_match(text, monkeypatch):
    # find_age skips the "N years of age" pattern where its hint finds nothing: same answer as a full scan
    import re

    from converter.nlp.demographics import _rules

    r = _rules()
    for s, e in [(0, len(text)), (2, len(text) - 3)]:
        if next(r["of_age"].finditer(text, s, e), None) is not None:
            assert r["of_age_hint"].search(text, s, e) is not None
    hinted = find_age(text)
    monkeypatch.setitem(r, "of_age_hint", re.compile(""))
    assert find_age(text) == hinted


def test_onset_age_is_not_the_current_age():
    text = "She was diagnosed with dermatomyositis at the age of 51."
    assert find_age(text) is None
    assert find_onset(text, 0, len(text)).value == 51


def test_sex_from_pronouns_when_no_noun():
    text = "The patient was admitted. She had fever and her cough worsened."
    assert find_sex(text, [(0, len(text))]).value == "female"


def test_british_spellings_fold_to_american():
    for uk, us in [("dyspnoea", "dyspnea"), ("oedema", "edema"), ("anaemia", "anemia"), ("tumour", "tumor"),
                   ("haemorrhage", "hemorrhage")]:
        assert norm_token(uk) == norm_token(us)
    assert norm_token("does") == "does"  # short words are left alone


def test_month_history_of_is_the_present_illness():
    a = _assert("He had a 5-month history of cough.", "cough")
    assert not a.historical
    assert _assert("She had a history of tuberculosis.", "tuberculosis").historical


def test_es_plurals_and_unicode_dashes_match_like_ascii():
    assert norm_token("masses") == norm_token("mass") and norm_token("rashes") == norm_token("rash")
    assert norm_token("headaches") == norm_token("headache") and norm_token("patches") == norm_token("patch")
    assert norm_token("leucopoenia") == norm_token("leukopenia") and norm_token("leucocytosis") == norm_token("leukocytosis")


def test_possessive_s_is_optional():
    from converter.nlp.pipeline import get_extractor

    got = get_extractor().extract("He had Friedreich's ataxia and the presence of Raynaud's phenomenon.").conditions
    assert {c.concept_id for c in got} == {"cond:friedreich_ataxia", "cond:raynaud_phenomenon"}
    text = "hypermobile Ehlers\u2013Danlos syndrome"
    toks = tokenize(text)
    assert [t.norm for t in toks][1:4] == ["ehler", "-", "danlo"] or [t.text for t in toks][1:4] == ["Ehlers", "\u2013", "Danlos"]
    assert all(text[t.start:t.end] == t.text for t in toks)  # offsets index the original text


def test_such_as_and_includes_are_not_hypothetical():
    assert not _assert("She had comorbidities such as dyslipidemia.", "dyslipidemia").hypothetical
    assert not _assert("Her history includes nephrotic syndrome.", "nephrotic syndrome").hypothetical
    assert _assert("A CT was done to rule out pulmonary embolism.", "pulmonary embolism").uncertain


def test_hyphen_between_words_is_optional_on_both_sides():
    from converter.nlp.pipeline import get_extractor

    ex = get_extractor()
    for text in ("An electrocardiogram revealed ST-segment elevation.", "T wave inversions were found in leads III.",
                 "ECG showed T-wave inversion."):
        assert [c.concept_id for c in ex.extract(text).conditions] in (["cond:st_segment_elevation"],
                                                                        ["cond:t_wave_inversion"]), text


@pytest.mark.parametrize("text,concept", [
    ("She presented with lupus pernio on her right ear.", "cond:lupus_pernio"),  # cutaneous sarcoidosis, not SLE
    ("She had a history of hepatitis C and HIV.", "cond:hepatitis_c"),
    ("He was hoarse.", "cond:hoarse_voice"),
    ("He had diffuse bruising.", "cond:ecchymosis"),
    ("Echocardiography showed akinesis of the apex.", "cond:wall_motion_abnormality"),
    ("Auscultation revealed crackling in both bases.", "cond:crackles"),
    ("He was admitted with mental status changes.", "cond:altered_mental_status"),
    ("Examination revealed thyromegaly and organomegaly.", "cond:goiter"),
    ("Examination revealed thyromegaly and organomegaly.", "cond:visceromegaly"),
    ("There was an abdominal bruit.", "cond:bruit"),
    ("He had persistent hiccups.", "cond:hiccough"),
    ("She was a hepatitis B virus carrier.", "cond:hepatitis_b"),
    ("Catheterization revealed critical triple vessel disease.", "cond:coronary_artery_disease"),
    ("Electrocardiogram showed ST elevation in leads V1-V3.", "cond:st_segment_elevation"),
    ("The initial impression was a fibroid uterus.", "cond:uterine_leiomyoma"),
    ("Biopsy showed a typical Langerhans cell histiocytosis (LCH). LCH was confirmed.", "cond:langerhans_cell_histiocytosis"),
    ("Antiphospholipid syndrome and connective tissue diseases were considered.", "cond:connective_tissue_disease"),
])
def test_condition_vocabulary(text, concept):
    from converter.nlp.pipeline import get_extractor

    assert concept in [c.concept_id for c in get_extractor().extract(text).conditions]


def test_ambiguous_abbreviation_needs_the_full_name():
    from converter.nlp.pipeline import get_extractor

    ex = get_extractor()
    assert not ex.extract("A CNV of 2 Mb was found on array CGH.").conditions
    got = ex.extract("Angiography showed choroidal neovascularization. The CNV was treated.").conditions
    assert [len(c.mentions) for c in got if c.concept_id == "cond:choroidal_neovascularization"] == [2]


@pytest.mark.parametrize("text,concept", [
    ("A diagnosis of PV was made on the basis of a bone marrow biopsy.", "cond:polycythemia_vera"),
    ("The Ki-67 index was 80%, consistent with NEC.", "cond:neuroendocrine_carcinoma"),
    ("PCP was diagnosed based on the bronchoalveolar lavage.", "cond:pneumocystis_pneumonia"),
])
def test_ambiguous_abbreviation_called_a_diagnosis_is_the_disease(text, concept):
    from converter.nlp.pipeline import get_extractor

    assert [c.concept_id for c in get_extractor().extract(text).conditions] == [concept]


def test_ambiguous_abbreviation_without_a_diagnosis_is_dropped():
    from converter.nlp.pipeline import get_extractor

    assert not get_extractor().extract("The PV was patent on ultrasound.").conditions


def test_anti_disease_names_a_drug_class():
    from converter.nlp.pipeline import get_extractor

    assert not get_extractor().extract("She was treated with anti-epileptic medications.").conditions


def test_a_test_of_a_disease_names_no_condition():
    from converter.nlp.pipeline import get_extractor

    facts = get_extractor().extract("The HCV RNA was 2.1 x 10^6 IU/mL and HIV serology was negative.")
    assert not facts.conditions


@pytest.mark.parametrize("text", [
    "Hepatitis screen, alpha-fetoprotein and CA 19-9 were unremarkable.",
    "She had a detailed autoimmunity workup including anti-nuclear antibodies.",
    "He failed to respond to multiple hepatitis B vaccinations.",
    "Mesh repair was avoided because of the infection risk.",
    "Sensory examination revealed diminished tactile and pain sensation.",
    "The organism was identified by mass spectrometry.",
    "We examined the genomic heat shock protein 60 sequence of the isolate.",
    "All MRSA isolates from this patient were typed.",
])
def test_a_word_after_a_disease_that_makes_it_something_else(text):
    from converter.nlp.pipeline import get_extractor

    got = get_extractor().extract(text).conditions
    assert not got, [c.text for c in got]


@pytest.mark.parametrize("text,concept", [
    ("His right eye was known to be amblyopic.", "cond:amblyopia"),
    ("ECG showed sinus rhythm with hemiblock.", "cond:fascicular_block"),
    ("She was diagnosed with PUPPP.", "cond:pruritic_urticarial_papules_and_plaques_of_pregnancy"),
    ("He had noticeable body weight loss.", "cond:weight_loss"),
    ("He reported urgent fecal seepage twice weekly.", "cond:bowel_incontinence"),
    ("Several small nodules of peritoneal dissemination were found.", "cond:peritoneal_dissemination"),
    ("There was abdominal tenderness with mild muscle guarding.", "cond:abdominal_guarding"),
    ("Hypochromia and teardrops were evident on a blood film.", "cond:dacryocytosis"),
    ("Bone marrow biopsy revealed hypocellular marrow.", "cond:bone_marrow_hypocellularity"),
    ("ECG showed diffuse nonspecific T-wave changes.", "cond:abnormal_t_wave"),
    ("Physical examination revealed an irregular pulse.", "cond:irregular_pulse"),
    ("Healing microinfarcts with atheroemboli were observed.", "cond:atheroembolism"),
    ("He had severe femoral arteriopathy.", "cond:arteriopathy"),
    ("She was investigated for loose bowel motions.", "cond:diarrhea"),
    ("He was found to be short in height, slightly myopic and astigmatic.", "cond:myopia"),
    ("He was found to be short in height, slightly myopic and astigmatic.", "cond:astigmatism"),
    ("She noted decreased vision in the left eye.", "cond:reduced_visual_acuity"),
    ("Thromboelastometry showed a mild hypocoagulation state.", "cond:coagulopathy"),
    ("She had electrolyte derangements on admission.", "cond:electrolyte_imbalance"),
    ("CT showed bilateral ground-glass changes.", "cond:opacity"),
    ("Biopsy showed intestinal metaplasia.", "cond:metaplasia"),
    ("The diagnosis of hypermobile type Ehlers\u2013Danlos was based on her hypermobility.", "cond:ehlers_danlos_syndrome"),
])
def test_curated_vocabulary(text, concept):
    from converter.nlp.pipeline import get_extractor

    got = [c.concept_id for c in get_extractor().extract(text).conditions]
    assert concept in got, got


def test_bare_vocabulary_tokenizes_like_spacys_english_vocabulary():
    """The tokenizer's vocabulary computes only is_space; boundaries, spaces and whitespace must be
    those of the same rules over spaCy's full English vocabulary."""
    from spacy.lang.en import English
    from spacy.tokenizer import Tokenizer
    from spacy.vocab import create_vocab

    from converter.nlp.tokens import tokenizer_nlp

    ours = tokenizer_nlp().tokenizer
    full = Tokenizer(create_vocab("en", English.Defaults), rules={}, prefix_search=ours.prefix_search,
                     suffix_search=ours.suffix_search, infix_finditer=ours.infix_finditer,
                     token_match=ours.token_match, url_match=ours.url_match)
    text = ("A 69-year-old woman (CK 952 U/L; AST/ALT 109/62 U/L)\n\n  had fever  \u2009 38.5 °C.\t"
            "She received 60mg/day i.v. of prednisone [3], see https://example.org/x.")
    assert [(t.text, t.idx, t.whitespace_, t.is_space) for t in ours(text)] == \
        [(t.text, t.idx, t.whitespace_, t.is_space) for t in full(text)]
    assert any(t.is_space for t in ours(text))


def test_lexicon_trie_holds_no_lists():
    """Payloads are tuples: ~130,000 lists would be tracked and scanned by every full collection of the
    host process's garbage collector."""
    trie = Trie()
    trie.add(("calcinosis", "cutis"), ("condition", "c1", False, None))
    trie.add(("calcinosis", "cutis"), ("condition", "c2", False, None))
    trie.add(("calcinosis", "cutis"), ("condition", "c1", False, None))  # no duplicate
    assert trie.phrases["calcinosis\x01cutis"] == (("condition", "c1", False, None), ("condition", "c2", False, None))
    assert trie.size == 2 and trie.find_all(["calcinosis", "cutis"]) == [(0, 2, trie.phrases["calcinosis\x01cutis"])]
