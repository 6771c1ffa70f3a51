"""Typed facts: what the NLP layer found, before any FHIR. The mapping layer turns these into
resources; nothing here knows about PDFs or FHIR.

Every fact keeps its mentions: character spans of the document text (plus, when the text came
from a PDF, the page and boxes of each span), so each resource can prove where it came from."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    section: str = "other"
    boxes: tuple[tuple[int, tuple[float, float, float, float]], ...] = ()  # (page, (x0, top, x1, bottom))


@dataclass
class Assertion:
    negated: bool = False
    uncertain: bool = False
    historical: bool = False
    hypothetical: bool = False
    family: bool = False
    other_person: bool = False
    literature: bool = False  # from background/discussion/references and not about the patient

    def labels(self) -> list[str]:
        return [k for k, v in self.__dict__.items() if v]


def range_interpretation(value: float, comparator: str | None, low: float | None, high: float | None) -> str | None:
    """H, L or N of a value against a reference range, or None when the value's comparator leaves it open.

    "<" is an upper bound ("<0.5 mg/dL": some value below 0.5): low when the bound is at or below the
    range's bottom, normal when the range has no bottom above zero, else unknown. ">" and ">=" are lower
    bounds (">300 ng/mL"): high when the bound is above the range's top, normal when the range has no top,
    else unknown. "<=" is read as the value reached ("up to 39.5 °C": the peak), so it is compared as written."""
    if comparator in (">", ">="):
        if high is not None and value > high:
            return "H"
        if high is None and (low is None or value >= low):
            return "N"
        return None
    if comparator == "<":
        if low is not None and value <= low:
            return "L"
        if low is None or low <= 0:
            return "N" if high is None or value <= high else None
        return None
    if high is not None and value > high:
        return "H"
    if low is not None and value < low:
        return "L"
    return "N"


@dataclass
class ConditionFact:
    key: str  # concept id, or "text:<normalised text>" when uncoded
    text: str  # as first written
    concept_id: str | None
    mentions: list[Mention] = field(default_factory=list)
    assertion: Assertion = field(default_factory=Assertion)
    onset_age: float | None = None  # years
    family_relation: str | None = None  # e.g. "mother"


@dataclass
class LabFact:
    key: str
    name: str  # test name as written
    concept_id: str | None
    mentions: list[Mention] = field(default_factory=list)  # first: value (or name) mention
    value: float | None = None
    value_text: str | None = None
    unit: str | None = None  # as written
    comparator: str | None = None
    qualitative: str | None = None  # positive / negative
    value_string: str | None = None
    interpretation: str | None = None  # H L N POS NEG
    ref_low: float | None = None
    ref_high: float | None = None
    ref_text: str | None = None
    ref_from_table: bool = False
    effective_text: str | None = None
    components: list["LabFact"] = field(default_factory=list)
    category: str | None = None  # observation-category code; None: from the concept
    name_span: tuple[int, int] | None = None  # where the test is named in the text (start, end)
    assertion: Assertion = field(default_factory=Assertion)


@dataclass
class MedicationFact:
    key: str
    name: str
    concept_id: str | None
    mentions: list[Mention] = field(default_factory=list)
    sig_text: str | None = None
    dose_value: float | None = None
    dose_unit: str | None = None
    route: str | None = None
    frequency: int | None = None
    period: float | None = None
    period_unit: str | None = None
    duration_value: float | None = None
    duration_unit: str | None = None
    duration_comparator: str | None = None   # "for more than 1 year": ">"
    cycles: int | None = None
    count: int | None = None      # how many administrations in all ("three infusions", "x 4 doses", "a single dose")
    dose_low: float | None = None   # a dose range "2.5–3.75 mg per day" (dose_unit is its unit)
    dose_high: float | None = None
    period_max: float | None = None  # "every 4-6 hours": 6
    when: str | None = None          # event timing code ("HS" at bedtime, "MORN" ...)
    as_needed: bool = False
    status: str = "active"
    restarted: bool = False  # this mention takes the drug up again ("was resumed"): active after an earlier stop
    # the mentions that say the drug was stopped or completed ("Prednisone was discontinued"): the evidence of
    # ``status`` (stopped/completed), emitted on the status element (``_status``) rather than among the resource's
    # own mentions (unless it has no other)
    status_mentions: list[Mention] = field(default_factory=list)
    assertion: Assertion = field(default_factory=Assertion)
    more_dosages: list["MedicationFact"] = field(default_factory=list)  # later, different sigs (dose changes)
    components: list[str] = field(default_factory=list)  # a regimen named by its drugs: their concept ids


@dataclass
class PatientFact:
    sex: str | None = None  # female / male
    sex_mention: Mention | None = None
    age_value: float | None = None
    age_unit: str | None = None  # UCUM: a, mo, wk, d
    age_mention: Mention | None = None


@dataclass
class SkippedFact:
    """A mention deliberately not turned into a patient resource (for review and debugging)."""

    kind: str
    text: str
    mention: Mention
    reason: str


@dataclass
class Facts:
    patient: PatientFact = field(default_factory=PatientFact)
    conditions: list[ConditionFact] = field(default_factory=list)
    labs: list[LabFact] = field(default_factory=list)
    medications: list[MedicationFact] = field(default_factory=list)
    family: list[ConditionFact] = field(default_factory=list)
    skipped: list[SkippedFact] = field(default_factory=list)
