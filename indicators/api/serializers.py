"""Serializers for areas, periods, indicators, values and their judgements.

They only shape and check data: the views pass validated data to the services.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.formatting import value_display
from indicators.models import (
    Area,
    Assessment,
    Indicator,
    IndicatorValue,
    Period,
    Trend,
)
from indicators.selectors import assessments_effective, trend_effective
from marmot.api.fields import SlugRelatedField
from workstreams.models import MarmotPrinciple, Workstream

# --- reference data ----------------------------------------------------------


class AreaSerializer(serializers.ModelSerializer):
    parent = SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Area
        fields = ["code", "name", "area_type", "parent"]


class AreaBriefSerializer(serializers.ModelSerializer):
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


class FreshnessSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["fresh", "due", "stale"])
    reason = serializers.CharField()
    next_update_by = serializers.DateField(allow_null=True)


# --- indicators --------------------------------------------------------------


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
    workstreams = SlugRelatedField(
        slug_field="slug",
        queryset=Workstream.objects.all(),
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


# --- values and judgements ------------------------------------------------------


class AssessmentSerializer(serializers.ModelSerializer):
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


class TrendSerializer(serializers.ModelSerializer):
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


VALUE_NUMBERS = [
    "value",
    "lower95",
    "upper95",
    "lower998",
    "upper998",
    "count",
    "denominator",
]
VALUE_TEXTS = ["value_note", "published_text", "source"]
VALUE_KEY = ["indicator", "area", "period", "sex", "age", "category_type", "category"]
DISPLAY_HELP = (
    "The value as the site shows it, with the indicator's decimals and unit: "
    '"85.7%", "13.9 per 1,000 households" (null when there is no value).'
)


def display(value: IndicatorValue) -> str | None:
    """A value as every page shows it (ADR 0017); None when it has no value."""
    return None if value.value is None else value_display(value)


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator = SlugRelatedField(slug_field="code", queryset=Indicator.objects.all())
    area = SlugRelatedField(slug_field="code", queryset=Area.objects.all())
    period = SlugRelatedField(slug_field="label", queryset=Period.objects.all())
    period_sort_key = serializers.IntegerField(source="period.sort_key", read_only=True)
    display = serializers.SerializerMethodField(help_text=DISPLAY_HELP)
    assessments = serializers.SerializerMethodField()
    trend = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            *VALUE_KEY[:3],
            "period_sort_key",
            *VALUE_KEY[3:],
            *VALUE_NUMBERS,
            *VALUE_TEXTS,
            "release_date",
            "display",
            "assessments",
            "trend",
        ]
        read_only_fields = ["release_date"]
        validators = []  # uniqueness is checked in validate(), with a clear message

    def _nested(self, serializer_class):
        """One nested serializer per list, not one per row: building a
        ModelSerializer's fields costs more than using them (bench/run.py)."""
        cache = self.__dict__.setdefault("_nested_serializers", {})
        if serializer_class not in cache:
            cache[serializer_class] = serializer_class()
        return cache[serializer_class]

    @extend_schema_field(AssessmentSerializer(many=True))
    def get_assessments(self, obj: IndicatorValue) -> list[dict]:
        rows = list(obj.assessments.all())
        effective = {a.pk for a in assessments_effective(rows).values()}
        nested = self._nested(AssessmentSerializer)
        for row in rows:
            row.is_effective = row.pk in effective
        return [nested.to_representation(row) for row in rows]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_display(self, obj: IndicatorValue) -> str | None:
        return display(obj)

    @extend_schema_field(TrendSerializer(allow_null=True))
    def get_trend(self, obj: IndicatorValue) -> dict | None:
        trend = trend_effective(obj.trends.all())
        if trend is None:
            return None
        trend.is_effective = True
        return self._nested(TrendSerializer).to_representation(trend)

    def validate(self, attrs: dict) -> dict:
        if self.instance is not None:
            changed = [
                key
                for key in VALUE_KEY
                if key in attrs and attrs[key] != getattr(self.instance, key)
            ]
            if changed:
                raise serializers.ValidationError(
                    dict.fromkeys(changed, "Fixed once the value exists.")
                )
            merged = {
                key: attrs.get(key, getattr(self.instance, key))
                for key in [*VALUE_KEY, *VALUE_NUMBERS, *VALUE_TEXTS]
            }
        else:
            merged = {key: attrs.get(key) for key in VALUE_NUMBERS}
            merged.update({key: attrs.get(key, "") for key in [*VALUE_TEXTS]})
            merged.update({key: attrs.get(key, "") for key in VALUE_KEY[3:]})
            merged.update({key: attrs[key] for key in VALUE_KEY[:3]})
            self._check_new(merged)
        _check_numbers(merged)
        return merged

    def _check_new(self, data: dict) -> None:
        existing = IndicatorValue.objects.filter(
            **{key: data[key] for key in VALUE_KEY}
        ).values_list("pk", flat=True)
        if existing:
            raise serializers.ValidationError(
                f"A value for this indicator, area, period and breakdown exists "
                f"(id {existing[0]}); PATCH it instead."
            )


def _check_numbers(data: dict) -> None:
    """The model's check constraints, as field messages (never a 500)."""
    errors: dict[str, str] = {}
    for low, high in (("lower95", "upper95"), ("lower998", "upper998")):
        if data[low] is not None and data[high] is not None and data[low] > data[high]:
            errors[low] = f"Must not be above {high} ({data[high]})."
    value, low, high = data["value"], data["lower95"], data["upper95"]
    known = value is not None and low is not None and high is not None
    if known and "lower95" not in errors and not low <= value <= high:
        errors["value"] = (
            f"Must lie inside its 95% confidence interval [{low}, {high}]."
        )
    if data["count"] is not None and data["count"] < 0:
        errors["count"] = "Must not be negative."
    if data["denominator"] is not None and data["denominator"] <= 0:
        errors["denominator"] = "Must be greater than zero."
    if data["category"] and not data["category_type"]:
        errors["category"] = "A category needs a category_type."
    if errors:
        raise serializers.ValidationError(errors)


class ManualAssessmentSerializer(serializers.Serializer):
    benchmark = serializers.ChoiceField(choices=Assessment.Benchmark.choices)
    result = serializers.ChoiceField(choices=Assessment.Result.choices)
    reason = serializers.CharField(
        allow_blank=False, trim_whitespace=True, help_text="Why it is set by hand."
    )
