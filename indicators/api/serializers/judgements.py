"""Serializers for a value's judgements: assessments, trends, a manual assessment."""

from rest_framework import serializers

from indicators.models import Assessment, Trend
from marmot.api.fields import SlugRelatedField
from marmot.api.representation import PlannedRepresentation


class AssessmentSerializer(PlannedRepresentation, serializers.ModelSerializer):
    benchmark_area = SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    is_effective = serializers.BooleanField(
        read_only=True, help_text="The one shown for its benchmark."
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "benchmark",
            "benchmark_area",
            "result",
            "level",
            "method",
            "published_text",
            "explanation",
            "disagrees_with_published",
            "reason",
            "is_effective",
        ]


class TrendSerializer(PlannedRepresentation, serializers.ModelSerializer):
    is_effective = serializers.BooleanField(read_only=True)

    class Meta:
        model = Trend
        fields = [
            "id",
            "label",
            "method",
            "published_text",
            "explanation",
            "disagrees_with_published",
            "reason",
            "is_effective",
        ]


class ManualAssessmentSerializer(serializers.Serializer):
    benchmark = serializers.ChoiceField(choices=Assessment.Benchmark.choices)
    result = serializers.ChoiceField(choices=Assessment.Result.choices)
    reason = serializers.CharField(
        allow_blank=False, trim_whitespace=True, help_text="Why it is set by hand."
    )
