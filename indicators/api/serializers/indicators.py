"""Serializers for indicators: what is measured, and how fresh its data is.

They only shape and check data: the views pass validated data to the services.
"""

from rest_framework import serializers

from indicators.links import linked_rows
from indicators.models import Indicator, MarmotPrinciple
from marmot.api.fields import SlugRelatedField
from marmot.api.representation import PlannedRepresentation


class FreshnessSerializer(PlannedRepresentation, serializers.Serializer):
    status = serializers.ChoiceField(choices=["fresh", "due", "stale"])
    reason = serializers.CharField()
    next_update_by = serializers.DateField(allow_null=True)


class LinkedSlugsField(SlugRelatedField):
    """The workstreams linked to an indicator, by slug (`indicators.links`):
    the rows are looked up when used, not when this module is imported."""

    def get_queryset(self):
        return linked_rows()


class IndicatorSerializer(serializers.ModelSerializer):
    principle = SlugRelatedField(
        slug_field="number",
        queryset=MarmotPrinciple.objects.all(),
        allow_null=True,
        required=False,
        help_text="Marmot principle number; null for an overarching measure.",
    )
    principle_title = serializers.CharField(
        source="principle.title", read_only=True, default=None, allow_null=True
    )
    workstreams = LinkedSlugsField(
        slug_field="slug",
        many=True,
        required=False,
        help_text="Workstream slugs; on write, replaces the list.",
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "published_name",
            "definition",
            "numerator_definition",
            "denominator_definition",
            "value_type",
            "unit",
            "multiplier",
            "polarity",
            "principle",
            "principle_title",
            "is_overarching",
            "workstreams",
            "kind",
            "source",
            "fingertips_id",
            "display_decimals",
            "display_order",
            "update_frequency",
            "expected_next_release",
            "is_published",
        ]
        extra_kwargs = {
            "is_published": {
                "help_text": "Shown to the public, partners and in the API "
                "(default true). Unpublish to hide an indicator instead of "
                "deleting it."
            },
            "expected_next_release": {
                "help_text": "When the source should publish the next value; "
                "after it, a latest value that predates it is due, then stale."
            },
        }

    def validate_code(self, code: str) -> str:
        if self.instance is not None and code != self.instance.code:
            raise serializers.ValidationError("The code of an indicator is fixed.")
        return code


class IndicatorDetailSerializer(IndicatorSerializer):
    freshness = FreshnessSerializer(read_only=True, allow_null=True)

    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "freshness"]
