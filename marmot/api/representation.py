"""Serializers that read fast: DRF's ``to_representation``, planned once.

A serializer declares each field once, and that declaration is both the JSON
and the OpenAPI schema. DRF then reads every field of every object through the
same general steps (the field's ``get_attribute``, a mapping check, a callable
check, a ``PKOnlyObject`` check, the field's ``to_representation``), which is
most of the cost of a long read-only answer such as the dashboard's (ADR 29).

:class:`PlannedRepresentation` keeps that meaning and plans the steps once per
serializer instance (a nested or ``many=True`` serializer is one instance for
all its rows): for each readable field, how to reach its attribute and how to
turn it into JSON. The plan covers the common cases exactly as DRF does them:

- a source of plain attributes (``"period.label"``) on an object, or one key of
  a mapping, read with :func:`operator.attrgetter` / :func:`operator.itemgetter`;
- ``source="*"`` and :class:`~rest_framework.fields.SerializerMethodField`;
- ``CharField``, ``IntegerField`` and ``FloatField`` (exactly these classes)
  turned by ``str``, ``int`` and ``float``, as their ``to_representation`` does;
  every other field by its own ``to_representation``.

Anything else takes DRF's own path for that field or row: a source that raises
``AttributeError``/``KeyError`` (DRF's default, null or skip), a callable
attribute (DRF calls it), a related field read by its primary key (DRF's
``PKOnlyObject``) or a many-related one, a dotted source on a mapping.
``tests/api/test_representation.py`` holds the result equal to DRF's for every
case.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import fields, relations, serializers
from rest_framework.fields import SkipField

#: Field classes whose ``to_representation`` is exactly this builtin.
_BUILTIN = {
    fields.CharField: str,
    fields.IntegerField: int,
    fields.FloatField: float,
}
_MISSING = (AttributeError, KeyError, ObjectDoesNotExist)


def _identity(instance):
    return instance


def _step(field) -> tuple:
    """How one field is read: ``(name, field, attr, item, convert)``, where
    ``attr`` reads it from an object and ``item`` from a mapping (None: DRF's
    path), then ``convert`` turns it into JSON."""
    name = field.field_name
    if isinstance(field, relations.ManyRelatedField) or (
        isinstance(field, relations.RelatedField) and field.use_pk_only_optimization()
    ):
        return name, field, None, None, None  # managers, PKOnlyObject: DRF's path
    if isinstance(field, fields.SerializerMethodField):
        method = getattr(field.parent, field.method_name)
        return name, field, _identity, _identity, method
    convert = _BUILTIN.get(type(field), field.to_representation)
    attrs = field.source_attrs
    if not attrs:  # source="*"
        return name, field, _identity, _identity, convert
    item = operator.itemgetter(attrs[0]) if len(attrs) == 1 else None
    return name, field, operator.attrgetter(".".join(attrs)), item, convert


class PlannedRepresentation:
    """Mixin for a serializer (before ``serializers.Serializer`` or
    ``ModelSerializer`` in the bases): the same ``to_representation`` as DRF's,
    read through a plan made once per serializer instance."""

    @cached_property
    def _plan(self) -> tuple[tuple, ...]:
        return tuple(_step(f) for f in self.fields.values() if not f.write_only)

    def to_representation(self, instance) -> dict:
        mapping = type(instance) is dict or isinstance(instance, Mapping)
        data = {}
        for name, field, attr, item, convert in self._plan:
            get = item if mapping else attr
            if get is None:
                _drf_field(data, field, instance)
                continue
            try:
                value = get(instance)
            except _MISSING:
                _drf_field(data, field, instance)
                continue
            if value is None:
                data[name] = None
            elif get is not _identity and callable(value):
                _drf_field(data, field, instance)
            else:
                data[name] = convert(value)
        return data


def _drf_field(data: dict, field, instance) -> None:
    """One field of one row as DRF's ``Serializer.to_representation`` reads it."""
    try:
        attribute = field.get_attribute(instance)
    except SkipField:
        return
    check = attribute.pk if isinstance(attribute, relations.PKOnlyObject) else attribute
    shown = None if check is None else field.to_representation(attribute)
    data[field.field_name] = shown


#: DRF's own, for tests and the benchmark to compare with.
drf_to_representation = serializers.Serializer.to_representation
