"""The library API: ``convert_pdf``, ``convert_text`` and ``Converter`` (vocabularies loaded once,
many documents converted)."""
from __future__ import annotations

import gc
import hashlib
import io
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Union

from .errors import ConverterError, FileNotFound, UnsupportedInput
from .facts import Facts

Source = Union[str, os.PathLike, bytes, IO[bytes]]


@dataclass
class Options:
    """Every setting of a conversion (all optional)."""

    bundle_type: str = "collection"  # "transaction" gives POST entries a FHIR server accepts
    recorded: str | None = None  # Provenance.recorded (ISO instant); default SOURCE_DATE_EPOCH or epoch 0
    keep_literature: bool = False
    drop_refuted: bool = False
    intended_drugs: bool = False
    include_tables: bool = False
    unnamed_results: bool = True  # results of tests no vocabulary names, as text-only Observations
    include_family: bool = True
    full_validation: bool = False  # convert_pdf/convert_text: Bundle.model_validate instead of the checked fast build
    password: str | None = None
    max_pages: int | None = None
    max_seconds: float | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_kwargs(cls, **kw: Any) -> "Options":
        names = {f.name for f in fields(cls)}
        unknown = set(kw) - names
        if unknown:
            from .errors import ConfigError
            raise ConfigError(f"unknown option(s): {', '.join(sorted(unknown))}")
        return cls(**kw)


class Converter:
    """Loads the vocabularies and matchers once; converts many documents. One per process (the
    matchers are read-only after loading, so threads may share it)."""

    def __init__(self, options: Options | None = None, **kw: Any):
        self.options = options or Options.from_kwargs(**kw)
        from .fhir.build import BundleBuilder
        from .nlp.pipeline import ExtractOptions, Extractor

        o = self.options
        self.extractor = Extractor(ExtractOptions(keep_literature=o.keep_literature, drop_refuted=o.drop_refuted,
                                                  intended_drugs=o.intended_drugs, include_tables=o.include_tables,
                                                  unnamed_results=o.unnamed_results))
        self.builder = BundleBuilder(self.extractor.T)

    # ------------------------------------------------------------ text
    def facts_from_text(self, text: str) -> Facts:
        return self.extractor.extract(text)

    def text_to_dict(self, text: str, source_id: str | None = None, title: str | None = None) -> dict:
        from .fhir.build import BundleOptions, SourceDocument

        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        doc = SourceDocument(sha256=sha, text=text, title=title or source_id, media_type="text/plain", name=source_id)
        with gc_paused():
            facts = self.extractor.extract(text)
            return self.builder.build(facts, doc, self._bundle_options())

    # ------------------------------------------------------------ pdf
    def read(self, source: Source):
        from .pdf import ReadSettings, read_pdf

        kw = {}
        if self.options.password is not None:
            kw["password"] = self.options.password
        if self.options.max_pages is not None:
            kw["max_pages"] = self.options.max_pages
        if self.options.max_seconds is not None:
            kw["max_seconds"] = self.options.max_seconds
        return read_pdf(_open_source(source), ReadSettings(**kw))

    def pdf_to_dict(self, source: Source, name: str | None = None) -> dict:
        return self.convert_pdf_full(source, name)[0]

    def convert_pdf_full(self, source: Source, name: str | None = None):
        """(bundle dict, facts, pdf Document): everything a review or a debugger needs."""
        from .fhir.build import SourceDocument
        from .nlp.sections import Segment

        document = self.read(source)
        segments = [Segment(b.start, b.end, b.section, b.kind) for b in document.blocks]
        with gc_paused():
            facts = self.extractor.extract(document.text, segments, document.locate)
            doc = SourceDocument(sha256=document.sha256, text=document.text, title=document.title,
                                 pages=document.pages, media_type="application/pdf", name=name or _name(source))
            return self.builder.build(facts, doc, self._bundle_options()), facts, document

    def _bundle_options(self):
        from .fhir.build import BundleOptions

        return BundleOptions(bundle_type=self.options.bundle_type, recorded=self.options.recorded,
                             include_family=self.options.include_family)

    # ------------------------------------------------------------ models
    def convert_pdf(self, source: Source):
        return to_model(self.pdf_to_dict(source), self.options.full_validation)

    def convert_text(self, text: str, source_id: str | None = None):
        with gc_paused():  # one pause for both steps: the collector's deferred pass then runs once per document
            return to_model(self.text_to_dict(text, source_id), self.options.full_validation)

    def iter_convert(self, sources: Iterable[Source]) -> Iterator[tuple[Source, Any, ConverterError | None]]:
        """(source, Bundle or None, error or None) for each input; one bad input never stops the rest."""
        for s in sources:
            try:
                yield s, self.convert_pdf(s), None
            except ConverterError as exc:
                if exc.source is None:
                    exc.source = _name(s)
                yield s, None, exc


def _name(source: Source) -> str | None:
    if isinstance(source, (str, os.PathLike)):
        return Path(source).name
    return getattr(source, "name", None) and Path(source.name).name


def _open_source(source: Source):
    if isinstance(source, (str, os.PathLike)):
        p = Path(source)
        if not p.is_file():
            raise FileNotFound(f"no such file: {p}", source=str(p))
        return p
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if hasattr(source, "read"):
        return source
    raise UnsupportedInput(f"cannot read a {type(source).__name__}; pass a path, bytes or a binary file")


def to_model(bundle: dict, full_validation: bool = False):
    """The Bundle dict as a fhir.resources R4B Bundle model.

    By default the models are built by ``converter.fhir.models.construct``: every key, primitive value,
    required element and choice is checked against the models' own declarations, at about a third of
    the cost of ``Bundle.model_validate``, which is used for any dict of a shape it does not know.
    ``full_validation=True`` always runs ``Bundle.model_validate`` (pydantic's ValidationError for an
    invalid dict)."""
    from .fhir.models import bundle_model

    if full_validation:
        from fhir.resources.R4B.bundle import Bundle

        return Bundle.model_validate(bundle)
    with gc_paused():
        return bundle_model(bundle)


_GC = {"depth": 0, "was": False}
_GC_LOCK = threading.Lock()


@contextmanager
def gc_paused():
    """The cyclic garbage collector paused for one document's extraction and model build.

    A conversion makes tens of thousands of short-lived objects; while they are all alive, the
    collector's passes find nothing to free, promote them to older generations and then trigger full
    collections over every object of the process (about a tenth of the conversion time on the dev
    set). Reference counting still frees everything as usual; only cycles wait for the next pass after
    the document. Conversions in several threads share one pause: the first to start disables the
    collector, the last to end restores the state the first found (a caller who had disabled it keeps
    it off; one who disables it while conversions run sees the state they found restored)."""
    with _GC_LOCK:
        if _GC["depth"] == 0:
            _GC["was"] = gc.isenabled()
            gc.disable()
        _GC["depth"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC["depth"] -= 1
            if _GC["depth"] == 0 and _GC["was"]:
                gc.enable()


def bundle_json(bundle, pretty: bool = False) -> str:
    """Deterministic JSON (sorted keys) for a Bundle model or dict."""
    import json

    from .fhir.build import to_json

    if not isinstance(bundle, dict):
        bundle = json.loads(bundle.model_dump_json(exclude_none=True))
    return to_json(bundle, pretty)


_DEFAULT: dict = {}


def _default_converter(options: dict) -> Converter:
    key = repr(sorted(options.items()))
    if key not in _DEFAULT:
        _DEFAULT[key] = Converter(Options.from_kwargs(**options))
    return _DEFAULT[key]


def convert_pdf(source: Source, **options: Any):
    """Convert one PDF (path, bytes or binary file) to a fhir.resources Bundle."""
    return _default_converter(options).convert_pdf(source)


def convert_text(text: str, *, source_id: str | None = None, **options: Any):
    """Convert text an ingestion pipeline already has to a fhir.resources Bundle."""
    return _default_converter(options).convert_text(text, source_id)
