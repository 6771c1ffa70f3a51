"""One exception tree for everything case2fhir can refuse to do.

Every error has a stable ``code`` (upper-case, never renamed once released) and an ``exit_code``
the CLI returns. Messages are one line, meant for people; the code is meant for programs
(batch reports, ``errors.ndjson``).
"""
from __future__ import annotations


class ConverterError(Exception):
    """Base class. ``code`` is stable; ``exit_code`` is what the CLI exits with."""

    code = "CONVERTER_ERROR"
    exit_code = 1
    hint = ""

    def __init__(self, message: str = "", *, source: str | None = None, hint: str | None = None):
        self.message = message or self.__doc__.strip().splitlines()[0]
        self.source = source
        if hint is not None:
            self.hint = hint
        super().__init__(self.message)

    def one_line(self) -> str:
        where = f"{self.source}: " if self.source else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.code}: {self.message}{hint}".replace("\n", " ")

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "source": self.source}


# ---------------------------------------------------------------- input problems (exit 2-3)
class InputError(ConverterError):
    """The input cannot be used."""

    code = "INPUT_ERROR"
    exit_code = 2


class FileNotFound(InputError):
    """Input file not found."""

    code = "FILE_NOT_FOUND"


class UnsupportedInput(InputError):
    """Input type not supported (expected .pdf or .txt)."""

    code = "UNSUPPORTED_INPUT"


class PdfError(InputError):
    """The PDF cannot be read."""

    code = "PDF_ERROR"
    exit_code = 3


class EmptyFile(PdfError):
    """The file is empty (0 bytes)."""

    code = "EMPTY_FILE"


class NotAPdf(PdfError):
    """Not a PDF: the file has no %PDF- header."""

    code = "NOT_A_PDF"


class CorruptPdf(PdfError):
    """Truncated or corrupt PDF."""

    code = "CORRUPT_PDF"


class EncryptedPdf(PdfError):
    """The PDF is encrypted and needs a password."""

    code = "ENCRYPTED"
    hint = "pass the password with --password"


class NoTextLayer(PdfError):
    """The PDF has no text layer (scanned images only)."""

    code = "NO_TEXT_LAYER"
    hint = "run OCR first, e.g. ocrmypdf"


class UndecodableText(PdfError):
    """The PDF's text layer cannot be decoded (fonts without a Unicode map)."""

    code = "UNDECODABLE_TEXT"
    hint = "run OCR first, e.g. ocrmypdf --force-ocr"


class NoText(PdfError):
    """The document contains no text."""

    code = "NO_TEXT"


class LimitExceeded(PdfError):
    """The PDF exceeds a configured safety limit."""

    code = "LIMIT_EXCEEDED"
    exit_code = 4
    hint = "raise the limit with the matching setting if the file is trusted"


# ---------------------------------------------------------------- configuration / data (exit 5)
class ConfigError(ConverterError):
    """A setting or a mapping file is invalid."""

    code = "CONFIG_ERROR"
    exit_code = 5


class MappingError(ConfigError):
    """A file in mappings/ does not match its schema."""

    code = "MAPPING_INVALID"


# ---------------------------------------------------------------- output / upload (exit 6-7)
class OutputError(ConverterError):
    """The output cannot be written."""

    code = "OUTPUT_ERROR"
    exit_code = 6


class UploadError(ConverterError):
    """The FHIR server refused or could not be reached."""

    code = "UPLOAD_ERROR"
    exit_code = 7


def all_errors() -> list[type[ConverterError]]:
    """Every error class, for documentation and tests (codes must be unique)."""
    out, todo = [], [ConverterError]
    while todo:
        cls = todo.pop(0)
        out.append(cls)
        todo.extend(cls.__subclasses__())
    return out
