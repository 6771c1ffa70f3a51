"""PDF reading: layout, reading order, sections, provenance. See ``read_pdf``."""
from .document import Block, Document  # noqa: F401
from .reader import ReadSettings, read_pdf  # noqa: F401
from .cli import cli_text  # noqa: F401,E402
