"""Serializers for values, with their effective judgements nested.

They only shape and check data: the views pass validated data to the services.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.api.serializers.judgements import (
    AssessmentSerializer,
    TrendSerializer,
)
from indicators.formatting import value_display
from indicators.models import Area, Indicator, IndicatorValue, Period
from indicators.selectors import assessments_effective, trend_effective
from marmot.api.fields import SlugRelatedField
from marmot.api.representation import PlannedRepresentation

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


class IndicatorValueSerializer(PlannedRepresentation, serializers.ModelSerializer):
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

    def _judgements(self, obj: IndicatorValue) -> tuple[list, list]:
        """The value's assessments and trends: from the context's
        ``judgements`` (value id -> both lists, as
        :func:`indicators.selectors.value_judgements` loads them for a page of
        the list), or else from the prefetch of ``indicator_value_list()``."""
        judgements = self.context.get("judgements")
        if judgements is not None:
            return judgements[obj.pk]
        return list(obj.assessments.all()), list(obj.trends.all())

    @extend_schema_field(AssessmentSerializer(many=True))
    def get_assessments(self, obj: IndicatorValue) -> list[dict]:
        rows = self._judgements(obj)[0]
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
        trend = trend_effective(self._judgements(obj)[1])
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
