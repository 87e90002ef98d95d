"""Serializers for the reference data: areas and periods (read only)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.models import Area, Period
from marmot.api.fields import SlugRelatedField
from marmot.api.representation import PlannedRepresentation


class AreaSerializer(serializers.ModelSerializer):
    parent = SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Area
        fields = ["code", "name", "area_type", "parent"]


class AreaBriefSerializer(PlannedRepresentation, serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["code", "name", "area_type"]


@extend_schema_field(
    {
        "type": "string",
        "description": "One of: " + ", ".join(Period.Kind.values) + ".",
    }
)
class PeriodKindField(serializers.ChoiceField):
    """Documented as a string: an enum named "kind" would collide with
    Indicator.Kind (add ENUM_NAME_OVERRIDES in settings to list it as an enum)."""


class PeriodSerializer(serializers.ModelSerializer):
    kind = PeriodKindField(choices=Period.Kind.choices, read_only=True)

    class Meta:
        model = Period
        fields = ["id", "label", "kind", "starts_on", "ends_on", "sort_key"]
