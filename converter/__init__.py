"""case2fhir: clinical case reports (PDF or text) to FHIR R4 Bundles."""
__version__ = "0.1.0"
