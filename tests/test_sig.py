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

CASES += [
    # dose + unit spellings
    ("methotrexate 15 mg weekly", "methotrexate", dict(dose_value=15.0, dose_unit="mg", frequency=1, period=1.0, period_unit="wk")),
    ("levothyroxine 100" + FOUR + "µg daily", "levothyroxine", dict(dose_value=100.0, dose_unit="µg", frequency=1, period_unit="d")),
    ("levothyroxine 50 mcg once a day", "levothyroxine", dict(dose_value=50.0, dose_unit="mcg", frequency=1, period=1.0, period_unit="d")),
    ("vitamin D 50,000 IU weekly", "vitamin D", dict(dose_value=50000.0, dose_unit="IU", frequency=1, period_unit="wk")),
    ("insulin glargine 20 units at bedtime", "insulin glargine", dict(dose_value=20.0, dose_unit="units", frequency=1, when="HS")),
    ("enoxaparin 1 mg/kg SC every 12 hours", "enoxaparin", dict(dose_value=1.0, dose_unit="mg/kg", route="subcutaneous", frequency=1, period=12.0, period_unit="h")),
    ("heparin 18 units/kg/hour", "heparin", dict(dose_value=18.0, dose_unit="units/kg/hour")),
    ("desmopressin (0.3 microgram/kilogram)", "desmopressin", dict(dose_value=0.3, dose_unit="microgram/kilogram")),
    ("glucose (7.8" + THIN + "mg/kg/min)", "glucose", dict(dose_value=7.8, dose_unit="mg/kg/min")),
    ("cyclophosphamide 750 mg/m2", "cyclophosphamide", dict(dose_value=750.0, dose_unit="mg/m2")),
    ("tegafur 1000" + HAIR + "mg per square meter", "tegafur", dict(dose_value=1000.0, dose_unit="mg per square meter")),
    ("warfarin (2.5–3.75" + HAIR + "mg per day)", "warfarin", dict(dose_value=None, dose_low=2.5, dose_high=3.75, dose_unit="mg per day")),
    ("bactrim 80–160 mg daily", "bactrim", dict(dose_low=80.0, dose_high=160.0, dose_unit="mg", frequency=1)),
    ("prednisolone 0.5-1 mg/kg/day", "prednisolone", dict(dose_low=0.5, dose_high=1.0, dose_unit="mg/kg/day")),
    ("oxygen 4 L/min via nasal cannula", "oxygen", dict(dose_value=4.0, dose_unit="L/min")),
    ("fraxiparine of 0,6 ml/day", "fraxiparine", dict(dose_value=0.6, dose_unit="ml/day")),
    ("Ibuprofen 400mg", "Ibuprofen", dict(dose_value=400.0, dose_unit="mg", text="400mg")),
    ("amoxicillin 1 g", "amoxicillin", dict(dose_value=1.0, dose_unit="g")),
    ("paracetamol 1" + FOUR + "g, metamizole", "paracetamol", dict(dose_value=1.0, dose_unit="g", text="1" + FOUR + "g")),
    ("salbutamol 2 puffs as needed", "salbutamol", dict(dose_value=2.0, dose_unit="puffs", as_needed=True)),
    ("metformin 500 mg tablets twice daily", "metformin", dict(dose_value=500.0, dose_unit="mg", frequency=2)),
    ("aspirin 100 mg/day", "aspirin", dict(dose_value=100.0, dose_unit="mg/day", frequency=None, text="100 mg/day")),
    ("potassium chloride 40 mEq orally", "potassium chloride", dict(dose_value=40.0, dose_unit="mEq", route="oral")),
    ("radioiodine 100 mCi", "radioiodine", dict(dose_value=100.0, dose_unit="mCi")),
    ("Two tablets of acetaminophen", "acetaminophen", dict(dose_value=2.0, dose_unit="tablets")),
    # routes
    ("intravenous immunoglobulin", "immunoglobulin", dict(route="intravenous", route_word="intravenous")),
    ("IV vancomycin", "vancomycin", dict(route="intravenous")),
    ("i.v. ceftriaxone 2 g", "ceftriaxone", dict(route="intravenous", dose_value=2.0)),
    ("oral prednisone 40 mg", "prednisone", dict(route="oral", dose_value=40.0)),
    ("amiodarone (200" + HAIR + "mg daily, p.o.)", "amiodarone", dict(route="oral", dose_value=200.0, frequency=1, text="200" + HAIR + "mg daily, p.o.")),
    ("morphine 2 mg IM", "morphine", dict(route="intramuscular")),
    ("ceftriaxone 1 g intramuscularly", "ceftriaxone", dict(route="intramuscular")),
    ("methotrexate 25 mg subcutaneously weekly", "methotrexate", dict(route="subcutaneous", frequency=1, period_unit="wk")),
    ("subcutaneous insulin", "insulin", dict(route="subcutaneous")),
    ("topical tacrolimus", "tacrolimus", dict(route="topical")),
    ("intralesional triamcinolone acetonide 10 mg/mL", "triamcinolone acetonide", dict(route="intralesional", dose_value=10.0)),
    ("inhaled budesonide", "budesonide", dict(route="inhalation")),
    ("intrathecal methotrexate 12 mg", "methotrexate", dict(route="intrathecal", dose_value=12.0)),
    ("intravitreal aflibercept", "aflibercept", dict(route="intravitreal")),
    ("nitroglycerin 0.4 mg sublingually", "nitroglycerin", dict(route="sublingual")),
    ("fentanyl transdermal patch 25 mcg/h", "fentanyl", dict(route="transdermal")),
    ("diclofenac suppository", "diclofenac", dict(route="rectal")),
    ("intra-arterial cisplatin", "cisplatin", dict(route="intra-arterial")),
    ("β-interferon-1a 44 μg subcutaneously 3 times a week", "β-interferon-1a",
     dict(dose_value=44.0, route="subcutaneous", frequency=3, period=1.0, period_unit="wk")),
    # frequency words
    ("omeprazole 20 mg bid", "omeprazole", dict(frequency=2, period=1.0, period_unit="d")),
    ("glipizide 5" + HAIR + "mg tid", "glipizide", dict(frequency=3, period=1.0, period_unit="d")),
    ("nystatin 4 times daily", "nystatin", dict(frequency=4, period=1.0, period_unit="d")),
    ("colchicine 0.5 mg twice a day", "colchicine", dict(frequency=2, period=1.0, period_unit="d")),
    ("ursodeoxycholic acid 150" + HAIR + "mg 3 times a day", "ursodeoxycholic acid", dict(dose_value=150.0, frequency=3, period=1.0, period_unit="d")),
    ("sorafenib (400" + HAIR + "mg once a day)", "sorafenib", dict(frequency=1, period=1.0, period_unit="d")),
    ("rituximab 375 mg/m2 weekly for 4 weeks", "rituximab", dict(frequency=1, period_unit="wk", duration_value=4.0, duration_unit="wk")),
    ("denosumab 60 mg every 6 months", "denosumab", dict(frequency=1, period=6.0, period_unit="mo")),
    ("IVIG monthly", "IVIG", dict(frequency=1, period=1.0, period_unit="mo")),
    ("ceftazidime 2 g every 8 h", "ceftazidime", dict(frequency=1, period=8.0, period_unit="h")),
    ("morphine every 4-6 hours as needed", "morphine", dict(frequency=1, period=4.0, period_max=6.0, period_unit="h", as_needed=True)),
    ("prednisone 10 mg every other day", "prednisone", dict(frequency=1, period=2.0, period_unit="d")),
    ("alendronate 70 mg once weekly", "alendronate", dict(frequency=1, period=1.0, period_unit="wk")),
    ("G-CSF 300 μg qd", "G-CSF", dict(dose_value=300.0, frequency=1, period_unit="d")),
    ("lactulose 20 mL q.i.d.", "lactulose", dict(frequency=4, period_unit="d")),
    ("etanercept 50 mg twice weekly", "etanercept", dict(frequency=2, period=1.0, period_unit="wk")),
    # duration, cycles
    ("azithromycin 500 mg for 3 days", "azithromycin", dict(duration_value=3.0, duration_unit="d")),
    ("dexamethasone 40mg/day for 4 days", "dexamethasone", dict(dose_value=40.0, dose_unit="mg/day", duration_value=4.0, duration_unit="d")),
    ("amoxicillin for one week", "amoxicillin", dict(duration_value=1.0, duration_unit="wk")),
    ("tamoxifen (5 years)", "tamoxifen", dict(duration_value=5.0, duration_unit="a")),
    ("imatinib (1 year)", "imatinib", dict(duration_value=1.0, duration_unit="a")),
    ("prednisolone for 6 months", "prednisolone", dict(duration_value=6.0, duration_unit="mo")),
    ("valganciclovir for 2–3 weeks", "valganciclovir", dict(duration_value=2.0, duration_unit="wk")),
    ("calcium lactate tablets, daily, for 5 years", "calcium lactate", dict(frequency=1, duration_value=5.0, duration_unit="a")),
    ("heparin for 48 hours", "heparin", dict(duration_value=48.0, duration_unit="h")),
    ("R-CHOP 3 cycles", "R-CHOP", dict(cycles=3)),
    ("ABVD (six cycles)", "ABVD", dict(cycles=6)),
    ("Six cycles of carboplatin", "carboplatin", dict(cycles=6)),
    ("docetaxel 75 mg/m2 every 3 weeks for 6 cycles", "docetaxel", dict(dose_value=75.0, frequency=1, period=3.0, period_unit="wk", cycles=6)),
    ("a 4-week course of cabergoline", "cabergoline", dict(duration_value=4.0, duration_unit="wk")),
    # as needed, taper
    ("lorazepam 1 mg prn", "lorazepam", dict(as_needed=True, dose_value=1.0)),
    ("ondansetron as required", "ondansetron", dict(as_needed=True)),
    ("prednisone 60 mg daily, tapered to 10 mg over 3 months", "prednisone", dict(dose_value=60.0, taper="tapered to 10 mg over 3 months")),
    # a change said without an earlier dose: the dose reached is the dose
    ("prednisone was tapered to 10 mg daily", "prednisone", dict(taper="tapered to 10 mg daily", dose_value=10.0, frequency=1,
                                                                 text="tapered to 10 mg daily")),
    ("prednisolone was gradually tapered off", "prednisolone", dict(taper="tapered off", status="stopped")),
    ("her prednisone dosage was increased to 20 mg daily", "prednisone", dict(taper="increased to 20 mg daily")),
    # status
    ("Methotrexate was discontinued because of hepatotoxicity.", "Methotrexate", dict(status="stopped")),
    ("She stopped taking metformin.", "metformin", dict(status="stopped")),
    ("He was switched from tacrolimus to sirolimus.", "tacrolimus", dict(status="stopped")),
    ("He was switched from tacrolimus to sirolimus.", "sirolimus", dict(status="active")),
    ("She completed 6 cycles of R-CHOP.", "R-CHOP", dict(status="completed")),
    ("The patient declined chemotherapy.", "chemotherapy", dict(status="not-taken")),
    ("anticoagulation was withheld", "anticoagulation", dict(status="not-taken")),
    ("Adjuvant radiotherapy was recommended.", "radiotherapy", dict(status="intended")),
    ("Tocilizumab will be started next month.", "Tocilizumab", dict(status="intended")),
    ("He was on aspirin 81 mg daily.", "aspirin", dict(status="active", dose_value=81.0)),
    ("Imatinib was continued.", "Imatinib", dict(status="active")),
    ("Amlodipine (5 mg/day) administration was initiated in 2005", "Amlodipine", dict(status="active", dose_value=5.0)),
    ("Azathioprine (100" + HAIR + "mg, oral, once daily) was added since December 3.", "Azathioprine",
     dict(dose_value=100.0, route="oral", frequency=1, status="active", text="100" + HAIR + "mg, oral, once daily")),
    ("Thirty minutes before the end of surgery, 800" + HAIR + "mg of VPA was administered by intravenous infusion.", "VPA",
     dict(dose_value=800.0, route="intravenous", status="active")),
    ("Furthermore, he had not received any drugs that could cause it.", "drugs", dict(status="not-taken")),
    # boundaries
    ("aspirin 100 mg/day, carvedilol 50 mg/day", "carvedilol", dict(dose_value=50.0, text="50 mg/day")),
    ("high-dose valacyclovir, broad-spectrum antibiotics, and 2 g/kg intravenous immunoglobulin", "antibiotics", None),
    ("prednisone 20 mg daily and the rash improved within 2 weeks", "prednisone", dict(dose_value=20.0, duration_value=None, text="20 mg daily")),
    ("methylprednisolone daily. On day 3 she improved", "methylprednisolone", dict(frequency=1, text="daily")),
    ("Metformin was prescribed.", "Metformin", dict(status="active", text="")),
]

CASES += [
    ("After 6 weeks of ivacaftor treatment, the patient improved", "ivacaftor", dict(duration_value=6.0, duration_unit="wk", text="6 weeks")),
    ("he was taking Levetiracetam 3 x 250 mg/day", "Levetiracetam", dict(dose_value=250.0, dose_unit="mg/day", frequency=3, period_unit="d", status="active")),
    ("Anticoagulation with fraxiparine of 0,6 ml/day was started and continued for 3 weeks, after cessation of epistaxis.", "fraxiparine",
     dict(dose_value=0.6, duration_value=3.0, duration_unit="wk", status="active")),
    ("despite oral fluconazole, topical antibiotic ointment, and intravenous antibiotics.", "antibiotic",
     dict(route="topical", text="topical antibiotic ointment")),
    ("The patient was taking aspirin 81 mg per day due to recent cardiac surgery, but was not on any anticoagulant agents.", "aspirin",
     dict(dose_value=81.0, dose_unit="mg per day", status="active")),
]

SEED = ("She was treated with intravenous immunoglobulin (IVIg) 400mg/kg/day for 5 days (6 cycles) and pamidronate 60mg monthly "
        "(1 year), with little benefit.")
CASES += [
    (SEED[:SEED.index(" and pamidronate")], "immunoglobulin",
     dict(dose_value=400.0, dose_unit="mg/kg/day", route="intravenous", duration_value=5.0, duration_unit="d", cycles=6, status="active")),
    (SEED[:SEED.index(" and pamidronate")], "intravenous immunoglobulin",
     dict(dose_value=400.0, dose_unit="mg/kg/day", route="intravenous", duration_value=5.0, duration_unit="d", cycles=6,
          text="400mg/kg/day for 5 days (6 cycles)")),
    (SEED[SEED.index("pamidronate"):], "pamidronate",
     dict(dose_value=60.0, dose_unit="mg", frequency=1, period=1.0, period_unit="mo", duration_value=1.0, duration_unit="a",
          text="60mg monthly (1 year)")),
    ("She was initially treated with prednisolone 60mg daily", "prednisolone",
     dict(dose_value=60.0, dose_unit="mg", frequency=1, period=1.0, period_unit="d", status="active")),
    ("and azathioprine 50mg twice daily. Despite good", "azathioprine", dict(dose_value=50.0, dose_unit="mg", frequency=2, period=1.0, period_unit="d")),
    ("IVIG 2 g/kg over 5 days", "IVIG", dict(route="intravenous", dose_value=2.0, dose_unit="g/kg", duration_value=5.0, duration_unit="d")),
]

CASES += [
    ("Besides, she also received epoetin-beta 2000 iu i.v.tiw.", "epoetin-beta",
     dict(dose_value=2000.0, dose_unit="iu", route="intravenous", frequency=3, period=1.0, period_unit="wk", text="2000 iu i.v.tiw")),
    ("Cyclophosphamide-based immunosuppressive therapy was proposed but refused because of menopause.", "immunosuppressive therapy",
     dict(status="not-taken")),
    ("Prednisone was started, but discontinued after 2 weeks.", "Prednisone", dict(status="stopped")),
    ("Then, he began to receive a course of COEP chemotherapy", "COEP chemotherapy", dict(status="active")),
    ("The temporal relationship to the initiation of gemcitabine; after discontinuation of gemcitabine he improved", "gemcitabine",
     dict(status="active")),
]

CASES += [
    ("Infliximab was given at a dose of 5 mg/kg every 8 weeks.", "Infliximab",
     dict(dose_value=5.0, dose_unit="mg/kg", frequency=1, period=8.0, period_unit="wk", status="active", text="5 mg/kg every 8 weeks")),
    ("Rituximab 375 mg/m2 weekly x 4 doses", "Rituximab", dict(dose_value=375.0, frequency=1, period_unit="wk", count=4)),
    ("Amoxicillin-clavulanate 875/125 mg twice daily for 7 days", "Amoxicillin-clavulanate",
     dict(dose_value=None, frequency=2, duration_value=7.0, duration_unit="d", text="875/125 mg twice daily for 7 days")),
    ("Vancomycin (15 mg/kg IV q12h) and cefepime", "Vancomycin",
     dict(dose_value=15.0, dose_unit="mg/kg", route="intravenous", frequency=1, period=12.0, period_unit="h", text="15 mg/kg IV q12h")),
    ("He takes metoprolol 25 mg by mouth twice a day", "metoprolol", dict(route="oral", frequency=2, status="active")),
    ("Acyclovir 10 mg/kg intravenously every 8 hours for 21 days was administered.", "Acyclovir",
     dict(dose_value=10.0, route="intravenous", period=8.0, period_unit="h", duration_value=21.0, duration_unit="d", status="active")),
    ("Methotrexate was withheld during the infection.", "Methotrexate", dict(status="not-taken")),
    # a manufacturer parenthesis and a relative clause between the drug and its dose
    ("She received capecitabine (Xeloda, Roche Pharma AG, Basel, Switzerland) at 2500 mg/m2 per day.", "capecitabine",
     dict(dose_value=2500.0, text="2500 mg/m2 per day")),
    ("a trial of everolimus, which was administered at a dose of 10 mg daily.", "everolimus",
     dict(dose_value=10.0, frequency=1, text="10 mg daily")),
    # dose-form words right after the drug are part of the sig text
    ("tegafur injection on day 2 to 4 (1000 mg per square meter)", "tegafur", dict(dose_value=1000.0)),
    ("N2O was not used for inhalation anaesthesia.", "N2O", dict(status="not-taken")),
]


def _check(text, got: Sig, exp: dict):
    for key, want in exp.items():
        if key == "text":
            assert text[got.start:got.end] == want, (text[got.start:got.end], want)
        elif key == "route_word":
            assert got.route_span and text[got.route_span[0]:got.route_span[1]] == want
        else:
            assert getattr(got, key) == want, (key, getattr(got, key), want)


CASES += [
    # sig parts before the drug: counts, courses, descriptors, adjectives between them and the drug
    ("He had received three infusions of Infliximab a year earlier.", "Infliximab",
     dict(count=3, route="intravenous", text="three infusions")),
    ("She got 2 doses of rituximab.", "rituximab", dict(count=2, text="2 doses")),
    ("The patient completed a 10-day course of parenteral antimicrobial drugs.", "antimicrobial",
     dict(duration_value=10.0, duration_unit="d", text="10-day course of parenteral")),
    ("The mass did not regress, despite a 4-week course of the dopamine analog, cabergoline", "dopamine analog",
     dict(duration_value=4.0, duration_unit="wk", text="4-week course")),
    ("Subsequently, 4 cycles of adjuvant conventional chemotherapy with an interval of 3 weeks were completed.", "chemotherapy",
     dict(cycles=4, frequency=1, period=3.0, period_unit="wk")),
    ("later replaced by lifelong oral anticoagulation with phenprocoumon", "anticoagulation", dict(route="oral", text="lifelong oral")),
    ("treated with sulfasalazine and intermittent steroids at diagnosis", "steroids", dict(text="intermittent", route=None)),
    ("Her medications included the oral antiresorptive drug alendronate for osteoporosis.", "alendronate",
     dict(route="oral", text="oral")),
    ("after subcutaneous injection of a local anesthetic.", "local anesthetic",
     dict(route="subcutaneous", text="subcutaneous injection")),
    ("4.0g of fibrinogen and 1000UI of prothrombin complex concentrate were given", "prothrombin complex",
     dict(dose_value=1000.0, dose_unit="UI", text="1000UI")),
    # ... but not across a conjunction, a preposition, or a time to an effect
    ("He had 2 weeks of fever and aspirin was given.", "aspirin", dict(duration_value=None, text="", status="active")),
    ("He had 2 weeks of fever and aspirin.", "aspirin", None),
    ("The rash resolved within one week of parenteral zinc supplementation.", "zinc",
     dict(duration_value=None, text="parenteral")),
    ("she is now well on valproate 1 g once daily and long-term carnitine supplements.", "valproate",
     dict(dose_value=1.0, frequency=1, text="1 g once daily")),
    # dose per body surface area, interval words, tapers reaching a dose
    ("cisplatin (60 mg/m2 body surface area on Day 1) and", "cisplatin",
     dict(dose_value=60.0, dose_unit="mg/m2 body surface area", text="60 mg/m2 body surface area on Day 1")),
    ("tegafur injection on day 2 to 4 (1000 mg per square meter of body-surface area; Qilu) and", "tegafur",
     dict(dose_value=1000.0, dose_unit="mg per square meter of body-surface area")),
    ("interferon 6000 units at intervals of 3 days", "interferon", dict(dose_value=6000.0, frequency=1, period=3.0, period_unit="d")),
    ("the dose of prednisolone was increased to 60 mg daily.", "prednisolone",
     dict(dose_value=60.0, dose_unit="mg", frequency=1, period_unit="d", text="increased to 60 mg daily")),
    ("The prednisolone dose was tapered from 60 mg daily to a maintenance dose of 5 mg daily.", "prednisolone",
     dict(dose_value=5.0, frequency=1, text="tapered from 60 mg daily to a maintenance dose of 5 mg daily")),
]


CASES += [
    # chemotherapy schedules: the days of a cycle that carry a dose count per cycle period
    ("etoposide (80 mg/m2 on days 1 through 3 repeated every 21 days).", "etoposide",
     dict(dose_value=80.0, frequency=3, period=21.0, period_unit="d", schedule_days=(1, 2, 3),
          text="80 mg/m2 on days 1 through 3 repeated every 21 days")),
    ("gemcitabine 1000 mg/m2 on days 1, 8 and 15 every 4 weeks", "gemcitabine", dict(frequency=3, period=4.0, period_unit="wk")),
    ("cisplatin 75 mg/m2 on day 1 every 3 weeks", "cisplatin", dict(frequency=1, period=3.0, period_unit="wk", schedule_days=(1,))),
    ("gemcitabine (1000mg/m2 IV on days 1, 8, 15 on a 28-day cycle for six cycles) to try", "gemcitabine",
     dict(route="intravenous", cycles=6, frequency=None, text="1000mg/m2 IV on days 1, 8, 15 on a 28-day cycle for six cycles")),
    ("He received two 3-day cycles of FOLFOX.", "FOLFOX", dict(cycles=2, text="two 3-day cycles")),
    ("three cycles of carboplatin (area under the curve of 5 on day 1 repeated every 21 days) and", "carboplatin",
     dict(dose_value=None, cycles=3, frequency=1, period=21.0, period_unit="d")),
    # words saying the drug is given, before its first sig part
    ("Aspirin was continued for 3 months.", "Aspirin", dict(duration_value=3.0, duration_unit="mo", text="for 3 months")),
    ("sodium valproate maintained during three months.", "sodium valproate", dict(duration_value=3.0, duration_unit="mo")),
    ("enalapril, which she had been taking for several years.", "enalapril", dict(text="for several years")),
    ("carboplatin and paclitaxel, which she received for 3 cycles.", "paclitaxel", dict(cycles=3)),
    ("After 5 months of therapy with carnitine supplements, her levels rose.", "carnitine",
     dict(duration_value=5.0, duration_unit="mo", text="5 months")),
    # ... but a part written before the next drug is that drug's, and a list 'respectively' is not read across a verb
    ("the total dose of cyclophosphamide and doxorubicin received was 1800mg/m2 and 50mg/m2, respectively.", "doxorubicin",
     None),
    # units and routes
    ("allopurinol 300mg/day perorally,", "allopurinol", dict(dose_value=300.0, route="oral", text="300mg/day perorally")),
    ("Trimethoprim-sulfamethoxazole (3 pills per 6 hours) was given", "Trimethoprim-sulfamethoxazole",
     dict(dose_value=3.0, dose_unit="pills", frequency=1, period=6.0, period_unit="h")),
    ("interferon was administrated via hypodermic injection thereafter (6000 units every 3 days)", "interferon",
     dict(route="subcutaneous", dose_value=6000.0, frequency=1, period=3.0, period_unit="d")),
    ("sodium bicarbonate (8.4%, 10 flacon/day) infusion for 24 hours before", "sodium bicarbonate",
     dict(route="intravenous", duration_value=24.0, duration_unit="h", text="(8.4%, 10 flacon/day) infusion for 24 hours")),
    ("heparin infusion (initial bolus, 80 units/kg, followed by 18 units/kg/hour) was", "heparin",
     dict(dose_value=80.0, dose_unit="units/kg", text="infusion (initial bolus, 80 units/kg, followed by 18 units/kg/hour)")),
    ("cabergoline increased up to 0.5 mg/day.", "cabergoline", dict(dose_value=0.5, dose_unit="mg/day", text="increased up to 0.5 mg/day")),
]


CASES += [
    # durations with a comparator or 'the past'
    ("He took aspirin for up to 2 weeks.", "aspirin", dict(duration_value=2.0, duration_unit="wk", duration_comparator="<=")),
    ("aspirin for more than 1 year", "aspirin", dict(duration_value=1.0, duration_unit="a", duration_comparator=">")),
    ("aspirin for over 3 months", "aspirin", dict(duration_value=3.0, duration_comparator=">")),
    ("He took aspirin for the past 20 years.", "aspirin", dict(duration_value=20.0, duration_unit="a", duration_comparator=None)),
    # a change of something else later in the window gives no dose
    ("carnitine supplements, her total carnitine levels had increased to 86 μmol/L.", "carnitine", None),
]


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
        S._check({"routes": {"oral": {"code": "x", "display": "Oral", "words": ["po"], "source": "s"}}})


def test_fast():
    text = "He was started on oral prednisone 60 mg daily for 4 weeks, then tapered to 10 mg daily."
    i = text.index("prednisone")
    parse_sig(text, i + 10, len(text), before=(0, i))
    t = time.perf_counter()
    for _ in range(300):
        parse_sig(text, i + 10, len(text), before=(0, i))
    assert (time.perf_counter() - t) / 300 < 0.005


def test_at_least_80_sigs():
    assert len(CASES) >= 80


def test_offsets_and_dosage_text_as_written():
    text = "Intro. She was started on oral carnitine 1\u2005g twice daily."
    i = text.index("carnitine")
    got = parse_sig(text, i + len("carnitine"), len(text), before=(7, i))
    assert text[got.start:got.end] == "oral carnitine 1\u2005g twice daily"
    assert text[got.route_span[0]:got.route_span[1]] == "oral"
    assert text[got.status_span[0]:got.status_span[1]] == "was started on"


def test_window_end_is_respected():
    text = "prednisone 60 mg daily; azathioprine 100 mg"
    i = text.index("prednisone") + len("prednisone")
    got = parse_sig(text, i, text.index(";"))
    assert got.dose_value == 60.0 and got.end <= text.index(";")


def test_every_route_has_a_snomed_code_and_its_source():
    from converter.nlp.sig import _rx
    for key, r in _rx().routes.items():
        c = route_coding(key)
        assert c["system"] == "http://snomed.info/sct" and c["code"].isdigit()
        assert "route-codes" in r["source"]
    # the routes, with the codes of the FHIR R4 'SNOMED CT Route Codes' value set
    want = {"oral": "26643006", "intravenous": "47625008", "subcutaneous": "34206005", "intramuscular": "78421000",
            "topical": "6064005", "intralesional": "372466002", "intrathecal": "72607000", "rectal": "37161004",
            "transdermal": "45890007", "sublingual": "37839007", "intravitreal": "418401004", "inhalation": "447694001"}
    assert {k: route_coding(k)["code"] for k in want} == want


def test_dose_units_to_ucum():
    from converter.nlp.values import ucum_code
    assert ucum_code("mg/kg/day") == "mg/kg/d"
    assert ucum_code("mg") == "mg"
    assert ucum_code("mg/m2") == "mg/m2"
    from converter.terminology import get_terminology
    T = get_terminology()
    assert T.unit("mg/m2 body surface area")[0] == "mg/m2" and T.unit("mg per square meter of body surface area")[0] == "mg/m2"
    assert T.unit("mg/kg body weight")[0] == "mg/kg" and T.unit("UI")[0] == "[IU]"
    assert T.unit("mg per square meter of body-surface area")[0] == "mg/m2"


def test_mapping_shape_errors():
    import copy
    from converter.resources import load_json
    good = load_json("sig.json")
    S._check(copy.deepcopy(good))
    for breaker in (lambda d: d["routes"]["oral"].pop("code"),
                    lambda d: d["routes"]["oral"].pop("source"),
                    lambda d: d["frequencies"][0].__setitem__("period_unit", "days"),
                    lambda d: d["status"].__setitem__("paused", ["paused"]),
                    lambda d: d.__setitem__("status_priority", ["active"]),
                    lambda d: d.pop("glue"),
                    lambda d: d.__setitem__("period_units", {"day": ["d"]}),
                    lambda d: d.__setitem__("duration_comparators", {"more than": "gt"}),
                    lambda d: d.pop("regimen_descriptors"),
                    lambda d: d.__setitem__("period_lead", []),
                    lambda d: d.pop("restart_words"),
                    lambda d: d.__setitem__("restart_words", ["resumed", "discontinued"])):
        d = copy.deepcopy(good)
        breaker(d)
        with pytest.raises(MappingError):
            S._check(d)


def test_bad_window():
    with pytest.raises(ValueError):
        parse_sig("abc", 2, 1)
    assert parse_sig("abc", 3, 3) is None


def test_dev_texts_invariants():
    """Every dev medication mention: no exception, the sig span inside the windows, numbers as written."""
    import json
    from tests.shared import shared_path
    path = shared_path("eval", "maccrobat_dev.jsonl")
    for line in path.open(encoding="utf-8"):
        doc = json.loads(line)
        text = doc["text"]
        meds = sorted((s for s in doc["spans"] if s["label"] == "Medication"), key=lambda s: s["start"])
        for k, m in enumerate(meds):
            line_end = text.find("\n", m["end"])
            line_end = len(text) if line_end < 0 else line_end
            line_start = text.rfind("\n", 0, m["start"]) + 1
            nxt = meds[k + 1]["start"] if k + 1 < len(meds) and meds[k + 1]["start"] >= m["end"] else line_end
            end = max(m["end"], min(nxt, line_end))
            prev = meds[k - 1]["end"] if k and meds[k - 1]["end"] <= m["start"] else line_start
            bs = max(prev, line_start)
            sig = parse_sig(text, m["end"], end, before=(bs, m["start"]))
            if sig is None:
                continue
            assert bs <= sig.start <= sig.end <= end
            if sig.dose_span:
                assert bs <= sig.dose_span[0] < sig.dose_span[1] <= end
            assert sig.status in (None, "active", "completed", "stopped", "not-taken", "intended")
            assert sig.period_unit in (None, "s", "min", "h", "d", "wk", "mo", "a")
            assert sig.duration_unit in (None, "s", "min", "h", "d", "wk", "mo", "a")


def test_merged_mentions_keep_each_sig():
    """One statement per drug: a later mention's sig that says something new is a further dosage; one already said is not
    repeated; a first mention without a sig takes the later one's."""
    from converter.facts import MedicationFact
    from converter.nlp.pipeline import _merge_meds
    a = MedicationFact("drug:m", "methotrexate", "drug:m", sig_text="15 mg/m2 weekly", dose_value=15.0, dose_unit="mg/m2")
    b = MedicationFact("drug:m", "methotrexate", "drug:m", sig_text="oral", route="oral")
    c = MedicationFact("drug:m", "methotrexate", "drug:m", sig_text="15 mg/m2", dose_value=15.0, dose_unit="mg/m2")
    (g,) = _merge_meds([a, b, c])
    assert [x.sig_text for x in [g] + g.more_dosages] == ["15 mg/m2 weekly", "oral"]
    first = MedicationFact("drug:p", "prednisone", "drug:p")
    later = MedicationFact("drug:p", "prednisone", "drug:p", sig_text="three infusions", count=3, route="intravenous")
    (g,) = _merge_meds([first, later])
    assert (g.sig_text, g.count, g.route, g.more_dosages) == ("three infusions", 3, "intravenous", [])


def test_a_part_before_the_next_drug_is_that_drugs():
    """The window ends at the next drug: '60 mg/day of' written right before it is its dose, not the earlier drug's."""
    text = "diuretics (40 mg/day of furosemide), initiation of 60 mg/day of sildenafil as well"
    i = text.index("furosemide") + len("furosemide")
    assert parse_sig(text, i, text.index("sildenafil"), before=(0, i - len("furosemide"))).dose_value == 40.0
    got = parse_sig(text, i, text.index("sildenafil"))
    assert got is None or got.dose_value is None


def test_generic_head_noun_and_comparator_in_fhir(converter):
    """'oral antihelminthic drugs for 3 days': the generic head noun 'drugs' is part of the name, not the next drug;
    'for more than 1 year' is a boundsDuration with comparator '>'."""
    b = converter.text_to_dict("She was treated with oral antihelminthic drugs for 3 days and levothyroxine 50 mcg daily "
                               "for more than 1 year.", source_id="t")
    ds = {e["resource"]["medicationCodeableConcept"]["text"]: e["resource"]["dosage"][0] for e in b["entry"]
          if e["resource"]["resourceType"] == "MedicationStatement"}
    d = next(v for k, v in ds.items() if "helminth" in k.lower())
    assert d["text"] == "oral antihelminthic drugs for 3 days" and d["timing"]["repeat"]["boundsDuration"]["value"] == 3
    d = next(v for k, v in ds.items() if "levothyroxine" in k.lower())
    assert d["timing"]["repeat"]["boundsDuration"] == {"value": 1, "unit": "years", "system": "http://unitsofmeasure.org",
                                                       "code": "a", "comparator": ">"}


@pytest.mark.parametrize("text", [
    "prednisone 60 mg daily, tapered to 10 mg over 6 weeks", "two tablets twice a day for three days",
    "methotrexate once weekly", "4 cycles of cisplatin on a 21-day cycle, days 1, 8 and 15",
    "five doses IV x3 q6h", "carboplatin AUC 5 every three weeks", "875/125 mg orally", "as needed",
    "gradually Tapered off", "for several Months", "given one hundred units per day", "high-dose ×2 doses",
    "every other day", "q.4 hours", "x 4", "for a few weeks", "thrice in a month", "twice daily (PRN)"])
def test_component_hints_skip_only_windows_without_a_match(text):
    # _components skips a pattern where its hint finds nothing; the same components with every pattern run
    rx = S._rx()
    hinted = [(c.s, c.e, c.kind) for c in S._components(rx, text, 0, len(text))]
    for s in range(0, len(text), 7):  # windows starting mid-text too (lookbehinds see before the window)
        for kind, pat, hint in rx.components:
            if hint is not None and any(True for _ in pat.finditer(text, s, len(text))):
                assert hint.search(text, s, len(text)), (kind, pat.pattern[:40])
    unhinted = S._Rx.__new__(S._Rx)
    unhinted.__dict__.update(rx.__dict__, components=tuple((k, p, None) for k, p, _ in rx.components))
    assert [(c.s, c.e, c.kind) for c in S._components(unhinted, text, 0, len(text))] == hinted


def test_restart_after_stop():
    """A restart said after a stop of the same drug is the final word, in one sentence and across sentences."""
    text = "Prednisone was stopped and restarted a week later."
    sig = _parse(text, "Prednisone")
    assert (sig.status, sig.restarted) == ("active", True)
    sig = _parse("Prednisone was stopped.", "Prednisone")
    assert (sig.status, sig.restarted) == ("stopped", False)
