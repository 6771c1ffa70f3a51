"""The checked fast build of fhir.resources models (converter.fhir.models) against Bundle.model_validate.

Same models, field by field, on the sample and the dev bundles; any dict of a shape it does not know
goes to model_validate, so invalid input still raises pydantic's ValidationError."""
from __future__ import annotations

import copy
import datetime
import decimal
import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from pydantic import BaseModel, ValidationError

from converter.api import to_model
from converter.fhir.models import Unsupported, construct
from tests.shared import shared_path


def same(a, b, path="Bundle"):
    """Raise AssertionError at the first difference of type, value or fields set of two model trees."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, BaseModel):
        assert a.__pydantic_fields_set__ == b.__pydantic_fields_set__, f"{path}: fields set"
        assert a.__dict__.keys() == b.__dict__.keys(), f"{path}: attributes"
        assert a.__pydantic_extra__ == b.__pydantic_extra__ and a.__pydantic_private__ == b.__pydantic_private__
        for k in a.__dict__:
            same(a.__dict__[k], b.__dict__[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), f"{path}: length"
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    else:
        assert a == b, f"{path}: {a!r} vs {b!r}"


def test_the_comparison_can_fail():
    a = Observation.model_validate({"status": "final", "code": {"text": "x"}, "valueQuantity": {"value": 2}})
    b = Observation.model_validate({"status": "final", "code": {"text": "x"}, "valueQuantity": {"value": 3}})
    with pytest.raises(AssertionError, match="value"):
        same(a, b)


def test_sample_bundle_same_models_as_model_validate(seed_bundle):
    d = seed_bundle
    fast = construct(Bundle, d)
    same(fast, Bundle.model_validate(d))
    assert fast.model_dump_json() == Bundle.model_validate(d).model_dump_json()


def test_dev_bundles_same_models_as_model_validate(converter):
    path = shared_path("eval", "maccrobat_dev.jsonl")
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for doc in docs:
        d = converter.text_to_dict(doc["text"], source_id=doc["id"])
        same(construct(Bundle, d), Bundle.model_validate(d), doc["id"])


def test_primitives_become_the_models_types():
    d = {"status": "final", "code": {"text": "x"}, "effectiveDateTime": "2020-01-02",
         "issued": "2020-01-02T10:00:00Z", "valueQuantity": {"value": 952, "unit": "U/L"},
         "_status": {"extension": [{"url": "http://example.org/x", "valueString": "y"}]}}
    m = construct(Observation, d)
    assert isinstance(m.effectiveDateTime, datetime.date)
    assert isinstance(m.issued, datetime.datetime)
    assert m.valueQuantity.value == decimal.Decimal(952)
    same(m, Observation.model_validate(d), "Observation")


BASE = {"resourceType": "Observation", "status": "final", "code": {"text": "CK"}}


@pytest.mark.parametrize("change, why", [
    ({"foo": 1}, "no element"),
    ({"status": None}, "empty"),
    ({"category": [None]}, "null"),
    ({"valueString": "a", "valueQuantity": {"value": 1}}, "second choice"),
    ({"effectiveDateTime": "2020-13-45"}, "effectiveDateTime"),
    ({"status": "fi  nal"}, "status"),
    ({"code": "CK"}, "non-empty object"),
    ({"resourceType": "Condition"}, "resourceType"),
], ids=["unknown", "null", "null-in-list", "two-choices", "bad-date", "bad-code", "not-object", "wrong-type"])
def test_unknown_shapes_are_not_built(change, why):
    d = {**copy.deepcopy(BASE), **change}
    with pytest.raises(Unsupported, match=why):
        construct(Observation, d)
    with pytest.raises(ValidationError):
        Observation.model_validate(d)


def test_empty_list_goes_to_model_validate():
    """The models accept an empty list; construct does not build it and leaves the decision to them."""
    d = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {**BASE, "category": []}}]}
    with pytest.raises(Unsupported, match="empty"):
        construct(Bundle, d)
    same(to_model(d), Bundle.model_validate(d))


def test_required_element_missing():
    d = {"resourceType": "Observation", "code": {"text": "CK"}}
    with pytest.raises(Unsupported, match="status is required"):
        construct(Observation, d)
    d = {"resourceType": "Observation", "status": "final"}  # a required element, not a primitive
    with pytest.raises(Unsupported, match="code is required"):
        construct(Observation, d)
    with pytest.raises(ValidationError):
        Observation.model_validate(d)


def test_required_choice_missing():
    from fhir.resources.R4B.medicationstatement import MedicationStatement

    d = {"resourceType": "MedicationStatement", "status": "active", "subject": {"reference": "Patient/1"}}
    with pytest.raises(Unsupported, match="medicationCodeableConcept"):
        construct(MedicationStatement, d)
    with pytest.raises(ValidationError):
        MedicationStatement.model_validate(d)
    d["medicationCodeableConcept"] = {"text": "aspirin"}
    same(construct(MedicationStatement, d), MedicationStatement.model_validate(d), "MedicationStatement")


def test_extension_on_a_primitive_element_is_built():
    """The status evidence of a MedicationStatement (``_status``, fhir.resources' status__ext) is built, not sent
    to model_validate."""
    from fhir.resources.R4B.medicationstatement import MedicationStatement

    der = {"url": "http://hl7.org/fhir/StructureDefinition/derivation-reference", "extension": [
        {"url": "reference", "valueReference": {"reference": "urn:uuid:1"}},
        {"url": "offset", "valueInteger": 43}, {"url": "length", "valueInteger": 10}]}
    d = {"resourceType": "MedicationStatement", "status": "stopped", "_status": {"extension": [der]},
         "medicationCodeableConcept": {"text": "prednisone"}, "subject": {"reference": "Patient/1"}}
    fast = construct(MedicationStatement, d)
    assert fast.status == "stopped" and fast.status__ext.extension[0].extension[1].valueInteger == 43
    same(fast, MedicationStatement.model_validate(d), "MedicationStatement")
    assert json.loads(fast.model_dump_json(exclude_none=True))["_status"] == d["_status"]


def test_to_model_falls_back_to_model_validate_and_raises_its_error():
    bad = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {**BASE, "foo": 1}}]}
    with pytest.raises(ValidationError):
        to_model(bad)
    with pytest.raises(ValidationError):
        to_model(bad, full_validation=True)


def test_contained_resource_class_from_resource_type():
    d = {"resourceType": "Bundle", "type": "collection", "entry": [{"fullUrl": "urn:uuid:1", "resource": BASE}]}
    m = to_model(d)
    assert type(m.entry[0].resource) is Observation
    same(m, Bundle.model_validate(d))


def test_conversion_pauses_the_collector_and_restores_its_state(converter):
    import gc

    from converter.api import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        converter.text_to_dict("A 60-year-old man had fever.")
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller's choice to keep it off stays
    finally:
        gc.enable()
    with pytest.raises(RuntimeError):
        with gc_paused():
            raise RuntimeError("boom")
    assert gc.isenabled()


def test_collector_pause_is_shared_by_threads():
    import gc
    import threading

    from converter.api import gc_paused

    inside, release = threading.Event(), threading.Event()

    def long_conversion():
        with gc_paused():
            inside.set()
            release.wait(10)

    t = threading.Thread(target=long_conversion)
    t.start()
    inside.wait(10)
    with gc_paused():  # a second conversion ends while the first still runs
        pass
    assert not gc.isenabled()  # the first is still inside its pause
    release.set()
    t.join(10)
    assert gc.isenabled()


def test_convert_text_pauses_the_collector_once_for_extraction_and_model(converter, monkeypatch):
    import converter.api as api

    calls = []
    monkeypatch.setattr(api.gc, "enable", lambda: calls.append("enable"))
    monkeypatch.setattr(api.gc, "disable", lambda: calls.append("disable"))
    monkeypatch.setattr(api.gc, "isenabled", lambda: True)
    converter.convert_text("A 60-year-old man had fever.")
    # text_to_dict and to_model pause it too; nested in convert_text's pause they change nothing, so the
    # deferred pass over the document's objects runs once, not twice
    assert calls == ["disable", "enable"]
