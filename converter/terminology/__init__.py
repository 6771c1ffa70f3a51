"""Coded vocabularies for conditions, labs, vital signs, drugs and drug classes, plus units.

>>> from converter.terminology import get_terminology
>>> T = get_terminology()
>>> T.lookup("CK").codings[0].code
'2157-6'
"""
from .core import Match, Terminology, get_terminology, reset_terminology
from .model import (HPO, ICD10CM, KINDS, LOINC, RXNORM, SNOMED, STANDARD_SYSTEMS, UCUM, UMLS, Coding,
                    Concept)

__all__ = ["get_terminology", "reset_terminology", "Terminology", "Coding", "Concept", "Match",
           "SNOMED", "ICD10CM", "LOINC", "RXNORM", "UCUM", "HPO", "UMLS", "STANDARD_SYSTEMS", "KINDS"]
