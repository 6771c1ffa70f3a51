"""case2fhir: clinical case reports (PDF or text) to coded FHIR R4 Bundles.

    from converter import convert_pdf, convert_text, bundle_json
    bundle = convert_pdf("case.pdf")          # a fhir.resources Bundle
    print(bundle_json(bundle, pretty=True))   # deterministic JSON
"""
__version__ = "0.1.0"

from .api import Converter, Options, bundle_json, convert_pdf, convert_text, to_model  # noqa: E402,F401
from .errors import ConverterError  # noqa: E402,F401
from .review import review  # noqa: E402,F401

__all__ = ["convert_pdf", "convert_text", "bundle_json", "to_model", "Converter", "Options", "ConverterError",
           "review", "__version__"]
