"""PlannedRepresentation reads a serializer's fields as DRF does: the same
dictionary, key order and types for every kind of source and field, and DRF's
own answer where the plan steps aside (defaults, skipped fields, callables,
primary-key relations, dotted sources on a mapping)."""

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from marmot.api.representation import PlannedRepresentation, drf_to_representation


def both(serializer, instance) -> tuple[bytes, bytes]:
    """The planned reading and DRF's, rendered (so ``1`` is not ``1.0``)."""
    planned = JSONRenderer().render(serializer.to_representation(instance))
    drf = JSONRenderer().render(drf_to_representation(serializer, instance))
    return planned, drf


class Inner(PlannedRepresentation, serializers.Serializer):
    code = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)


class Outer(PlannedRepresentation, serializers.Serializer):
    name = serializers.CharField()
    number = serializers.IntegerField()
    ratio = serializers.FloatField(allow_null=True)
    flag = serializers.BooleanField()
    day = serializers.DateField(allow_null=True)
    kind = serializers.ChoiceField(choices=[("a", "A"), ("b", "B")])
    label = serializers.CharField(source="period.label", default=None, allow_null=True)
    whole = serializers.CharField(source="*")
    shout = serializers.SerializerMethodField()
    computed = serializers.CharField()
    inner = Inner(allow_null=True)
    inners = Inner(many=True)
    optional = serializers.CharField(required=False)
    secret = serializers.CharField(write_only=True)

    def get_shout(self, obj) -> str:
        return obj.name.upper()


class Thing(SimpleNamespace):
    def __str__(self) -> str:
        return f"thing {self.name}"

    def computed(self) -> str:
        return f"called {self.number}"


def thing(**changes) -> Thing:
    fields = {
        "name": "Luton",
        "number": 3,
        "ratio": 2,  # an int: FloatField answers 2.0
        "flag": 1,
        "day": dt.date(2025, 3, 1),
        "kind": "b",
        "period": SimpleNamespace(label="2023/24"),
        "inner": SimpleNamespace(code="E1", size=None),
        "inners": [SimpleNamespace(code="E2", size="7"), {"code": "E3", "size": 8}],
        "optional": "here",
    }
    return Thing(**{**fields, **changes})


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"ratio": None, "day": None, "inner": None, "inners": []},
        {"period": None},  # dotted source through None: its default
        {"optional": None},
    ],
    ids=["every-field", "nulls", "default", "null-optional"],
)
def test_objects_read_as_drf_reads_them(changes):
    planned, drf = both(Outer(), thing(**changes))
    assert planned == drf


def test_values_are_converted_as_drf_converts_them():
    data = Outer().to_representation(thing())
    assert list(data) == [
        "name",
        "number",
        "ratio",
        "flag",
        "day",
        "kind",
        "label",
        "whole",
        "shout",
        "computed",
        "inner",
        "inners",
        "optional",
    ]
    assert data["ratio"] == 2.0 and isinstance(data["ratio"], float)
    assert data["flag"] is True and data["day"] == "2025-03-01"
    assert data["label"] == "2023/24" and data["whole"] == "thing Luton"
    assert data["shout"] == "LUTON" and data["computed"] == "called 3"
    assert data["inners"] == [{"code": "E2", "size": 7}, {"code": "E3", "size": 8}]


def test_a_missing_optional_attribute_is_skipped_as_drf_skips_it():
    instance = thing()
    del instance.optional
    planned, drf = both(Outer(), instance)
    assert planned == drf
    assert "optional" not in json.loads(planned)


def test_a_missing_required_attribute_raises_as_drf_raises():
    instance = thing()
    del instance.name
    with pytest.raises(AttributeError):
        Outer().to_representation(instance)


class FromMapping(PlannedRepresentation, serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(source="period.label")
    absent = serializers.CharField(default="none given")


def test_mappings_read_as_drf_reads_them():
    instance = {"code": "E1", "period": {"label": "2024"}}
    planned, drf = both(FromMapping(), instance)
    assert planned == drf
    assert json.loads(planned) == {
        "code": "E1",
        "label": "2024",
        "absent": "none given",
    }


class Related(PlannedRepresentation, serializers.Serializer):
    by_pk = serializers.PrimaryKeyRelatedField(read_only=True)
    by_slug = serializers.SlugRelatedField(slug_field="code", read_only=True)
    many = serializers.SlugRelatedField(slug_field="code", read_only=True, many=True)


class Row(SimpleNamespace):
    def serializable_value(self, name):
        return getattr(self, name).pk


def test_related_fields_read_as_drf_reads_them():
    area = SimpleNamespace(pk=4, code="E4")
    row = Row(by_pk=area, by_slug=area, many=[area, SimpleNamespace(pk=5, code="E5")])
    planned, drf = both(Related(), row)
    assert planned == drf
    assert json.loads(planned) == {"by_pk": 4, "by_slug": "E4", "many": ["E4", "E5"]}
