"""Build fhir.resources R4B models from Bundle dicts the builder made, without pydantic's per-element
round trips.

``Bundle.model_validate`` validates every element through a Python wrapper (about 500 elements and
20-60 ms per case report, more than the whole extraction). The builder's dicts have a known shape, so
``construct`` walks them once with a plan per model class, made once from the classes' own field
declarations:

- every key must be a field of the class (by its JSON name), as with the models' ``extra='forbid'``;
- every primitive value goes through pydantic's validator for its declared type (so dates become
  ``date``/``datetime``, decimals ``Decimal``, codes and strings are checked as the models check them);
- nested elements and contained resources become the declared model classes (a ``resourceType``
  picks the resource class, which must be a resource where one is declared);
- no null or empty value, no null inside a list, required elements present, at most one choice of a
  ``value[x]``-style element.

Anything it does not recognise raises ``Unsupported``; ``to_model`` then falls back to the models'
own ``model_validate``, so an unusual dict is never accepted unchecked. The tests compare the two
paths model by model (types, values, fields set) on every dev bundle.
"""
from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, TypeAdapter

from fhir_core.types import FhirBase, FhirElementOrResourceBase


class Unsupported(ValueError):
    """The dict is not of a shape ``construct`` knows; validate it the slow way."""


class _Field:
    """One element of a model class, as ``construct`` reads it."""

    __slots__ = ("name", "is_list", "etype", "any_resource", "primitive", "choice", "validate", "model")

    def __init__(self, name, is_list, etype, any_resource, primitive, choice):
        self.name = name  # attribute name of the model
        self.is_list = is_list
        self.etype = etype  # the declared element type (a fhir_core FhirBase type; None: primitive)
        self.any_resource = any_resource  # a resource base is declared: the value's resourceType picks the class
        self.primitive = primitive  # the declared primitive type (None: an element)
        self.choice = choice  # index of the choice group of the element (value[x]), -1 for none
        self.validate = None  # pydantic-core's validate_python for ``primitive``, made when first needed
        self.model = _UNRESOLVED  # the model class of ``etype`` (None for a primitive), resolved when first needed

    def validator(self):
        if self.validate is None:
            self.validate = _validator(self.primitive)
        return self.validate

    def resolve(self):
        """The model class of the element (its module is imported the first time), or None for a primitive."""
        self.model = self.etype and _klass(self.etype)
        return self.model


_UNRESOLVED = object()


@dataclass(frozen=True)
class _Plan:
    fields: dict  # JSON name -> _Field
    defaults: dict  # attribute name -> default value
    required: tuple  # attribute names that must be set
    required_choices: tuple  # groups of attribute names of which one must be set
    resource_type: str  # the class's resourceType (or element type name)


def _strip(annotation) -> tuple[Any, bool]:
    """(the element type, is it a list) of an Optional[List[X]] / X | None / List[X] / X annotation."""
    is_list = False
    while True:
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation, is_list
            annotation = args[0]
        elif origin is list:
            is_list = True
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation, is_list


_VALIDATORS: dict = {}


def _validator(annotation):
    """pydantic-core's validate_python for one declared primitive type, made the first time it is needed."""
    v = _VALIDATORS.get(annotation)
    if v is None:
        v = _VALIDATORS[annotation] = TypeAdapter(annotation).validator.validate_python
    return v


def _plan(cls) -> _Plan:
    fields, defaults = {}, {}
    for name, info in cls.model_fields.items():
        defaults[name] = info.get_default(call_default_factory=True)
        if name == "fhir_comments":
            continue  # no JSON key of ours; comments are never written
        inner, is_list = _strip(info.annotation)
        model, any_resource, validate = None, False, None
        if isinstance(inner, type) and issubclass(inner, FhirBase):
            model = inner  # its class is imported when first needed: most declared types never occur
            any_resource = issubclass(inner, FhirElementOrResourceBase)
        else:
            validate = inner
        fields[info.alias or name] = (name, is_list, model, any_resource, validate)
    probe = cls.model_construct()
    # required: the primitives the models check after construction and the fields pydantic requires
    required = tuple(dict.fromkeys([name for name, _ext in probe.get_required_fields()]
                                   + [name for name, info in cls.model_fields.items() if info.is_required()]))
    groups = list(probe.get_one_of_many_fields().values())
    choice = {name: i for i, group in enumerate(groups) for name in group}
    # a choice the models require ("medication[x]" of MedicationStatement): one of its fields must be set
    required_choices = tuple(tuple(g) for g in groups
                             if (cls.model_fields[g[0]].json_schema_extra or {}).get("one_of_many_required") is True)
    fields = {key: _Field(*f, choice.get(f[0], -1)) for key, f in fields.items()}
    return _Plan(fields, defaults, required, required_choices, cls.get_resource_type())


@lru_cache(maxsize=None)
def _resource_class(resource_type: str):
    from fhir.resources.R4B import get_fhir_model_class

    try:
        return get_fhir_model_class(resource_type)
    except Exception as exc:  # noqa: BLE001 - the library raises plain errors for unknown names
        raise Unsupported(f"unknown resourceType {resource_type!r}") from exc


_PLANS: dict = {}
# the four slots pydantic's BaseModel keeps an instance's state in, set through their own descriptors
# (what object.__setattr__ finds by name, without the lookup)
_SET_DICT = BaseModel.__dict__["__dict__"].__set__
_SET_FIELDS = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_SET_EXTRA = BaseModel.__dict__["__pydantic_extra__"].__set__
_SET_PRIVATE = BaseModel.__dict__["__pydantic_private__"].__set__
_KLASS: dict = {}


def _klass(etype):
    """The model class of a declared element type (imports its module the first time)."""
    k = _KLASS.get(etype)
    if k is None:
        k = _KLASS[etype] = etype.get_model_klass()
    return k


def construct(cls, data: dict):
    """A model of ``cls`` (a fhir.resources class) from ``data``, checked as described above."""
    plan = _PLANS.get(cls) or _PLANS.setdefault(cls, _plan(cls))
    if not isinstance(data, dict) or not data:
        raise Unsupported(f"{cls.__name__}: expected a non-empty object, not {'null' if data is None else repr(data)}")
    state = plan.defaults.copy()
    names = []
    chosen = None
    fields = plan.fields
    for key, value in data.items():
        f = fields.get(key)
        if f is None:
            if key == "resourceType" and value == plan.resource_type:
                continue
            raise Unsupported(f"{cls.__name__}: no element {key!r} = {value!r}")
        if not value and (value is None or value == [] or value == ""):  # 0 and False are values
            raise Unsupported(f"{cls.__name__}.{key}: empty")
        model = f.model
        if model is _UNRESOLVED:
            model = f.resolve()
        if f.is_list:
            if value.__class__ is not list:
                raise Unsupported(f"{cls.__name__}.{key}: expected a list")
            if model is not None and not f.any_resource:
                state[f.name] = [construct(model, v) for v in value]  # construct refuses a null
            else:
                state[f.name] = [_one(f, v, cls, key) for v in value]
        elif model is None:
            try:
                state[f.name] = (f.validate or f.validator())(value)
            except Exception as exc:  # noqa: BLE001 - any rejection means: let the models say why
                raise Unsupported(f"{cls.__name__}.{key}: {exc}") from exc
        elif not f.any_resource:
            state[f.name] = construct(model, value)
        else:
            state[f.name] = _one(f, value, cls, key)
        names.append(f.name)
        if f.choice >= 0:
            if chosen is None:
                chosen = set()
            elif f.choice in chosen:
                raise Unsupported(f"{cls.__name__}.{key}: a second choice of the same element")
            chosen.add(f.choice)
    fields_set = set(names)
    if plan.required and not fields_set.issuperset(plan.required):
        name = next(n for n in plan.required if n not in fields_set)
        raise Unsupported(f"{cls.__name__}: {name} is required")
    for group in plan.required_choices:
        if fields_set.isdisjoint(group):
            raise Unsupported(f"{cls.__name__}: one of {group} is required")
    obj = cls.__new__(cls)
    _SET_DICT(obj, state)
    _SET_FIELDS(obj, fields_set)
    _SET_EXTRA(obj, None)
    _SET_PRIVATE(obj, None)
    return obj


def _one(f: _Field, value, owner, key):
    if value is None:
        raise Unsupported(f"{owner.__name__}.{key}: null in a list")
    if f.etype is None:
        try:
            return (f.validate or f.validator())(value)
        except Exception as exc:  # noqa: BLE001 - any rejection means: let the models say why
            raise Unsupported(f"{owner.__name__}.{key}: {exc}") from exc
    if f.any_resource:
        if value.__class__ is not dict or "resourceType" not in value:
            raise Unsupported(f"{owner.__name__}.{key}: a resource needs its resourceType")
        model = _resource_class(value["resourceType"])
        if _klass(f.etype).__name__ == "Resource" and not model.has_resource_base():
            raise Unsupported(f"{owner.__name__}.{key}: {model.__name__} is no resource")
        return construct(model, value)
    return construct(_klass(f.etype), value)


def bundle_model(bundle: dict):
    """The Bundle dict as a fhir.resources R4B Bundle: ``construct`` when it knows the shape, else the
    models' own validation (which raises pydantic's ValidationError for an invalid dict)."""
    from fhir.resources.R4B.bundle import Bundle

    try:
        return construct(Bundle, bundle)
    except Unsupported:
        return Bundle.model_validate(bundle)
