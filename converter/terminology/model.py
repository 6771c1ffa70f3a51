"""Value types of the terminology layer: code systems, Coding, Concept."""
from __future__ import annotations

from dataclasses import dataclass, field

SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
HPO = "http://human-phenotype-ontology.org"
UMLS = "http://www.nlm.nih.gov/research/umls"
DRUGBANK = "http://www.drugbank.ca"  # not a FHIR-registered URI; informative only
MESH = "http://id.nlm.nih.gov/mesh"

#: systems that count as a "standard coding" for the coverage numbers
STANDARD_SYSTEMS = frozenset({SNOMED, ICD10CM, LOINC, RXNORM})

KINDS = ("condition", "lab", "vital", "drug", "drug_class")


@dataclass(frozen=True)
class Coding:
    system: str
    code: str
    display: str

    def to_fhir(self) -> dict:
        out = {"system": self.system, "code": self.code}
        if self.display:
            out["display"] = self.display
        return out


@dataclass(frozen=True)
class Concept:
    id: str
    kind: str
    display: str
    codings: tuple[Coding, ...]
    attrs: dict = field(default_factory=dict, hash=False, compare=False)

    def coding(self, system: str) -> Coding | None:
        """The first coding of ``system``, or None."""
        for c in self.codings:
            if c.system == system:
                return c
        return None

    @property
    def standard_codings(self) -> tuple[Coding, ...]:
        return tuple(c for c in self.codings if c.system in STANDARD_SYSTEMS)

    @property
    def is_coded(self) -> bool:
        return any(c.system in STANDARD_SYSTEMS for c in self.codings)
