"""Serializers for a value's judgements: assessments, trends, a manual assessment."""

from rest_framework import serializers

from indicators.models import Assessment, Trend
from marmot.api.fields import SlugRelatedField
from marmot.api.representation import PlannedRepresentation

#: A trend's stable machine code beside its English words (issue 18): the
#: name of its ``Trend.Label`` member, "getting_worse" for "Getting worse".
#: The words may be reworded; the codes do not change.
TREND_CODES = {label.value: label.name.lower() for label in Trend.Label}
TREND_CODE_CHOICES = [(code, words) for words, code in TREND_CODES.items()]


class TrendCodeField(serializers.ChoiceField):
    """The machine code of a trend's ``label`` (read only; an enum in the
    schema, ``TrendCodeEnum``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "label")
        kwargs.setdefault(
            "help_text",
            "The trend as a stable code (the member of `label`: "
            '"getting_worse" for "Getting worse"); match on this, not the words.',
        )
        super().__init__(choices=TREND_CODE_CHOICES, read_only=True, **kwargs)

    def to_representation(self, value):
        return TREND_CODES[value]


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
    code = TrendCodeField()
    is_effective = serializers.BooleanField(read_only=True)

    class Meta:
        model = Trend
        fields = [
            "id",
            "label",
            "code",
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
