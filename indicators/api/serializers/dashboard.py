"""Serializers for the KPI dashboard and inequality breakdowns (read-only).

The dashboard shapes :class:`indicators.selectors.IndicatorLatest` entries; the
inequalities shape :class:`indicators.inequalities.Breakdown` records.
:class:`DashboardSerializer` is the dashboard's JSON and its schema, the one
description of it (ADR 29): every serializer it nests reads through
:class:`marmot.api.representation.PlannedRepresentation`, DRF's reading planned
once per answer, so a large programme's answer needs no second, hand-built
copy of this shape.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.api.serializers.indicators import FreshnessSerializer
from indicators.api.serializers.judgements import TrendCodeField
from indicators.api.serializers.reference import AreaBriefSerializer
from indicators.api.serializers.values import DISPLAY_HELP, display
from indicators.formatting import indicator_value
from indicators.models import Assessment, Indicator, Trend
from indicators.statistics.inequality import SiiValueType
from indicators.statistics.types import GapTrend
from indicators.statistics.year_to_date import TargetStatus
from marmot.api.representation import PlannedRepresentation

COMPARATORS = [
    Assessment.Benchmark.NATIONAL,
    Assessment.Benchmark.REGION,
    Assessment.Benchmark.NEAREST_NEIGHBOURS,
]


class DashboardIndicatorBriefSerializer(
    PlannedRepresentation, serializers.ModelSerializer
):
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


class SeriesPointSerializer(PlannedRepresentation, serializers.Serializer):
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


class BenchmarkValuesSerializer(PlannedRepresentation, serializers.Serializer):
    national = BenchmarkValueSerializer(allow_null=True)
    region = BenchmarkValueSerializer(allow_null=True)
    nearest_neighbours = BenchmarkValueSerializer(allow_null=True)


class JudgementSerializer(PlannedRepresentation, serializers.Serializer):
    result = serializers.ChoiceField(choices=Assessment.Result.choices)
    method = serializers.CharField()
    level = serializers.FloatField(allow_null=True)
    published_text = serializers.CharField()
    explanation = serializers.CharField()
    disagrees_with_published = serializers.BooleanField()
    reason = serializers.CharField()


class EffectiveAssessmentsSerializer(PlannedRepresentation, serializers.Serializer):
    national = JudgementSerializer(allow_null=True)
    region = JudgementSerializer(allow_null=True)
    nearest_neighbours = JudgementSerializer(allow_null=True)
    target = JudgementSerializer(allow_null=True)


class DashboardTrendSerializer(PlannedRepresentation, serializers.Serializer):
    label = serializers.ChoiceField(choices=Trend.Label.choices)
    code = TrendCodeField()
    method = serializers.CharField()
    published_text = serializers.CharField()
    explanation = serializers.CharField()
    disagrees_with_published = serializers.BooleanField()


class TargetJudgementSerializer(PlannedRepresentation, serializers.Serializer):
    """A value against its target, Pentana's rule (ADR 32)."""

    status = serializers.ChoiceField(
        choices=[s.value for s in TargetStatus],
        help_text="on_target, within_tolerance or off_target.",
    )
    words = serializers.CharField(
        help_text='"On target", "Within tolerance" or "Off target".'
    )
    shape = serializers.CharField(
        help_text="The shape shown beside the words: green, amber or red."
    )
    value = serializers.FloatField()
    target = serializers.FloatField(help_text="The target it was judged against.")
    tolerance = serializers.FloatField(
        help_text="The tolerance band, in the value's units."
    )


def _shown(indicator: Indicator, number: float | None) -> str | None:
    return None if number is None else indicator_value(number, indicator)


class OutputPeriodSerializer(PlannedRepresentation, serializers.Serializer):
    period = serializers.CharField(source="period.label")
    value = serializers.FloatField(source="value.value", allow_null=True)
    target = serializers.FloatField(
        allow_null=True,
        help_text="The period's own target, or its share of the annual one.",
    )
    judgement = TargetJudgementSerializer(allow_null=True)
    overdue = serializers.BooleanField()


class OutputProgressSerializer(PlannedRepresentation, serializers.Serializer):
    """Where an output KPI stands (ADR 32): the financial year shown (that of
    its latest value), the year to date against the pro-rata target, and the
    periods overdue."""

    year = serializers.CharField(source="year_label", help_text="e.g. 2026/27.")
    through = serializers.CharField(
        allow_null=True, help_text="The year's last period with a value."
    )
    year_to_date = serializers.FloatField(
        allow_null=True,
        help_text="The periods' sum, or the latest period (Indicator.year_to_date).",
    )
    year_to_date_display = serializers.SerializerMethodField(help_text=DISPLAY_HELP)
    year_to_date_target = serializers.FloatField(
        allow_null=True, help_text="The annual target pro rata to `through`."
    )
    annual_target = serializers.FloatField(
        source="annual_target.value", allow_null=True
    )
    judgement = TargetJudgementSerializer(
        source="year_to_date_judgement",
        allow_null=True,
        help_text="The year to date against the pro-rata target.",
    )
    latest_judgement = TargetJudgementSerializer(
        allow_null=True, help_text="The year's last period against its target."
    )
    overdue = serializers.ListField(
        child=serializers.CharField(),
        help_text="Periods that ended more than KPI_DUE_DAYS ago with no value.",
    )
    periods = OutputPeriodSerializer(many=True, help_text="The year's, in order.")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_year_to_date_display(self, obj) -> str | None:
        return _shown(obj.indicator, obj.year_to_date)


class DashboardEntrySerializer(PlannedRepresentation, serializers.Serializer):
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
    output = OutputProgressSerializer(
        allow_null=True,
        help_text="An output KPI's progress (indicator.kind local_output); "
        "null for an outcome measure.",
    )


class DashboardPlaceSerializer(PlannedRepresentation, serializers.Serializer):
    name = serializers.CharField()
    area = AreaBriefSerializer()
    country = AreaBriefSerializer()
    region = AreaBriefSerializer()
    nearest_neighbours = AreaBriefSerializer(allow_null=True)


class DashboardSerializer(PlannedRepresentation, serializers.Serializer):
    place = DashboardPlaceSerializer(allow_null=True)
    today = serializers.DateField(help_text="The date freshness is judged on.")
    indicators = DashboardEntrySerializer(many=True)


# --- inequalities ---------------------------------------------------------------


class GroupSerializer(PlannedRepresentation, serializers.Serializer):
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    population = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    lower95 = serializers.FloatField(allow_null=True)
    upper95 = serializers.FloatField(allow_null=True)


class GapSerializer(PlannedRepresentation, serializers.Serializer):
    best = GroupSerializer()
    worst = GroupSerializer()
    absolute_gap = serializers.FloatField()
    relative_gap = serializers.FloatField(allow_null=True)
    explanation = serializers.CharField()


class SlopeIndexSerializer(PlannedRepresentation, serializers.Serializer):
    sii = serializers.FloatField()
    intercept = serializers.FloatField()
    rii = serializers.FloatField(allow_null=True)
    explanation = serializers.CharField()


class SiiLimitsAtSerializer(PlannedRepresentation, serializers.Serializer):
    confidence = serializers.FloatField(help_text="0.95 or 0.998.")
    sii_lower = serializers.FloatField()
    sii_upper = serializers.FloatField()
    rii_lower = serializers.FloatField(allow_null=True)
    rii_upper = serializers.FloatField(allow_null=True)


class SimulatedSiiSerializer(PlannedRepresentation, serializers.Serializer):
    """The SII and RII with PHEindicatormethods ``phe_sii``'s simulated limits
    (ADR 47), on the indicator's own scale."""

    sii = serializers.FloatField()
    rii = serializers.FloatField(allow_null=True)
    limits = SiiLimitsAtSerializer(many=True, help_text="95% and 99.8%.")
    sii_value_type = serializers.ChoiceField(
        source="value_type",
        choices=[t.value for t in SiiValueType],
        help_text="phe_sii's value type: proportion (logit), rate (log) or normal.",
    )
    transform = serializers.BooleanField(
        help_text="Whether values were drawn on the log or logit scale."
    )
    repetitions = serializers.IntegerField()
    seed = serializers.IntegerField(help_text="The same seed gives the same limits.")
    method = serializers.CharField()


class BreakdownPeriodSerializer(PlannedRepresentation, serializers.Serializer):
    period = serializers.CharField(source="period_label")
    period_sort_key = serializers.IntegerField(source="sort_key")
    groups = GroupSerializer(many=True)
    gap = GapSerializer(allow_null=True)
    sii = SlopeIndexSerializer(allow_null=True)
    sii_limits = SimulatedSiiSerializer(
        allow_null=True, help_text="Deprivation quantiles with 95% limits only."
    )
    sii_significant = serializers.BooleanField(
        allow_null=True, help_text="Whether the SII's 95% limits exclude 0."
    )
    sii_note = serializers.CharField(
        help_text="Groups left out of the SII, and why there is no SII or no "
        "limits, in words; empty when both are given."
    )


class BreakdownSerializer(PlannedRepresentation, serializers.Serializer):
    category_type = serializers.CharField()
    gap_trend = serializers.ChoiceField(choices=[t.value for t in GapTrend])
    periods = BreakdownPeriodSerializer(many=True, help_text="Oldest first.")


class InequalitiesSerializer(PlannedRepresentation, serializers.Serializer):
    indicator = serializers.CharField(help_text="Indicator code.")
    area = AreaBriefSerializer(allow_null=True)
    breakdowns = BreakdownSerializer(many=True)
