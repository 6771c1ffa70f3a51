"""A tiny stand-in terminology for tests of the mapping and review layers: what they do,
whatever the packaged vocabularies hold."""
from converter.terminology import Coding, Concept

SCT, ICD, LOINC, RX = ("http://snomed.info/sct", "http://hl7.org/fhir/sid/icd-10-cm", "http://loinc.org",
                       "http://www.nlm.nih.gov/research/umls/rxnorm")


class StubT:
    concepts = {
        "cond:x": Concept("cond:x", "condition", "Calcinosis cutis", (Coding(ICD, "L94.2", "Calcinosis cutis"),)),
        "cond:cc": Concept("cond:cc", "condition", "Calcinosis cutis", (Coding(ICD, "L94.2", "Calcinosis cutis"),)),
        "cond:dm": Concept("cond:dm", "condition", "Dermatomyositis", (Coding(ICD, "M33.90", "Dermatomyositis"),)),
        "lab:ck": Concept("lab:ck", "lab", "Creatine kinase", (Coding(LOINC, "2157-6", "Creatine kinase"),),
                          {"category": "laboratory", "unit": "U/L"}),
        "drug:p": Concept("drug:p", "drug", "prednisolone", (Coding(RX, "8638", "prednisolone"),)),
    }
    units = {"U/L": ("U/L", "U/L"), "mg": ("mg", "mg")}

    def concept(self, cid):
        return self.concepts.get(cid)

    def unit(self, text):
        return self.units.get(text)
