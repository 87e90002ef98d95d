"""Serializers for the KPI dashboard and inequality breakdowns (read-only).

The dashboard shapes :class:`indicators.selectors.IndicatorLatest` entries; the
inequalities shape :class:`indicators.inequalities.Breakdown` records.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.api.serializers import (
    DISPLAY_HELP,
    AreaBriefSerializer,
    FreshnessSerializer,
    display,
)
from indicators.models import Assessment, Indicator, Trend
from indicators.statistics.types import GapTrend

COMPARATORS = [
    Assessment.Benchmark.NATIONAL,
    Assessment.Benchmark.REGION,
    Assessment.Benchmark.NEAREST_NEIGHBOURS,
]


class DashboardIndicatorBriefSerializer(serializers.ModelSerializer):
    principle = serializers.IntegerField(
        source="principle.number", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "value_type",
            "unit",
            "polarity",
            "principle",
            "kind",
            "display_decimals",
            "is_published",
        ]


class SeriesPointSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.label")
    period_sort_key = serializers.IntegerField(source="period.sort_key")
    value = serializers.FloatField(allow_null=True)
    lower95 = serializers.FloatField(allow_null=True)
    upper95 = serializers.FloatField(allow_null=True)
    display = serializers.SerializerMethodField(help_text=DISPLAY_HELP)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_display(self, obj) -> str | None:
        return display(obj)


class LatestValueSerializer(SeriesPointSerializer):
    id = serializers.IntegerField()
    area = serializers.CharField(source="area.code")
    sex = serializers.CharField()
    age = serializers.CharField()
    count = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    published_text = serializers.CharField()
    release_date = serializers.DateField(allow_null=True)


class BenchmarkValueSerializer(SeriesPointSerializer):
    area = AreaBriefSerializer()


class BenchmarkValuesSerializer(serializers.Serializer):
    national = BenchmarkValueSerializer(allow_null=True)
    region = BenchmarkValueSerializer(allow_null=True)
    nearest_neighbours = BenchmarkValueSerializer(allow_null=True)


class JudgementSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=Assessment.Result.choices)
    method = serializers.CharField()
    level = serializers.FloatField(allow_null=True)
    published_text = serializers.CharField()
    explanation = serializers.CharField()
    disagrees_with_published = serializers.BooleanField()
    reason = serializers.CharField()


class EffectiveAssessmentsSerializer(serializers.Serializer):
    national = JudgementSerializer(allow_null=True)
    region = JudgementSerializer(allow_null=True)
    nearest_neighbours = JudgementSerializer(allow_null=True)
    target = JudgementSerializer(allow_null=True)


class DashboardTrendSerializer(serializers.Serializer):
    label = serializers.ChoiceField(choices=Trend.Label.choices)
    method = serializers.CharField()
    published_text = serializers.CharField()
    explanation = serializers.CharField()
    disagrees_with_published = serializers.BooleanField()


class DashboardEntrySerializer(serializers.Serializer):
    indicator = DashboardIndicatorBriefSerializer()
    latest = LatestValueSerializer(source="value", allow_null=True)
    benchmarks = BenchmarkValuesSerializer(source="benchmark_values")
    assessments = EffectiveAssessmentsSerializer(
        help_text="The effective assessment per benchmark (manual, computed, "
        "published), each with its method."
    )
    trend = DashboardTrendSerializer(allow_null=True)
    freshness = FreshnessSerializer(allow_null=True)
    has_disagreement = serializers.BooleanField()
    series = SeriesPointSerializer(many=True, help_text="Oldest first.")


class DashboardPlaceSerializer(serializers.Serializer):
    name = serializers.CharField()
    area = AreaBriefSerializer()
    country = AreaBriefSerializer()
    region = AreaBriefSerializer()
    nearest_neighbours = AreaBriefSerializer(allow_null=True)


class DashboardSerializer(serializers.Serializer):
    place = DashboardPlaceSerializer(allow_null=True)
    today = serializers.DateField(help_text="The date freshness is judged on.")
    indicators = DashboardEntrySerializer(many=True)


# --- inequalities ---------------------------------------------------------------


class GroupSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    population = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    lower95 = serializers.FloatField(allow_null=True)
    upper95 = serializers.FloatField(allow_null=True)


class GapSerializer(serializers.Serializer):
    best = GroupSerializer()
    worst = GroupSerializer()
    absolute_gap = serializers.FloatField()
    relative_gap = serializers.FloatField(allow_null=True)
    explanation = serializers.CharField()


class SlopeIndexSerializer(serializers.Serializer):
    sii = serializers.FloatField()
    intercept = serializers.FloatField()
    rii = serializers.FloatField(allow_null=True)
    explanation = serializers.CharField()


class BreakdownPeriodSerializer(serializers.Serializer):
    period = serializers.CharField(source="period_label")
    period_sort_key = serializers.IntegerField(source="sort_key")
    groups = GroupSerializer(many=True)
    gap = GapSerializer(allow_null=True)
    sii = SlopeIndexSerializer(allow_null=True)


class BreakdownSerializer(serializers.Serializer):
    category_type = serializers.CharField()
    gap_trend = serializers.ChoiceField(choices=[t.value for t in GapTrend])
    periods = BreakdownPeriodSerializer(many=True, help_text="Oldest first.")


class InequalitiesSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="Indicator code.")
    area = AreaBriefSerializer(allow_null=True)
    breakdowns = BreakdownSerializer(many=True)
