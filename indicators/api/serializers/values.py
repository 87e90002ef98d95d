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
from indicators.models.values import FIGURE_FIELDS
from indicators.selectors import assessments_effective, trend_effective
from indicators.statistics.calculate import (
    BAND_FIGURES,
    FIGURES,
    MAXIMUM_AGE_BANDS,
    MAXIMUM_FIGURE,
    METHOD_BY_VALUE_TYPE,
)
from marmot.api.fields import SlugRelatedField
from marmot.api.representation import PlannedRepresentation

VALUE_NUMBERS = list(FIGURE_FIELDS)
VALUE_TEXTS = ["value_note", "published_text", "source"]
VALUE_KEY = ["indicator", "area", "period", "sex", "age", "category_type", "category"]
DISPLAY_HELP = (
    "The value as the site shows it, with the indicator's decimals and unit: "
    '"85.7%", "13.9 per 1,000 households" (null when there is no value).'
)

METHOD_HELP = (
    "How the value and its limits were made: `published` (as its source "
    "published them), or calculated here from raw figures "
    "(`POST /api/v1/values/calculate/`) by the indicator's value type's "
    "method: `wilson` (proportion), `byar` (crude rate, count), `dobson` "
    "(directly standardised rate), `indirect` (ratio), `student_t` (mean), "
    "`chiang_ii` (life expectancy). A value entered or changed by hand is "
    "`published`."
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
    method = serializers.ChoiceField(
        choices=IndicatorValue.Method.choices, read_only=True, help_text=METHOD_HELP
    )
    method_display = serializers.CharField(
        source="get_method_display",
        read_only=True,
        help_text="How the value was made, in words.",
    )
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
            "method",
            "method_display",
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
            # Figures typed in by hand are no longer what a method made; a
            # changed note or source keeps the method.
            figures_kept = all(
                merged[key] == getattr(self.instance, key) for key in VALUE_NUMBERS
            )
            merged["method"] = (
                self.instance.method
                if figures_kept
                else IndicatorValue.Method.PUBLISHED
            )
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


# --- calculating a value from raw figures (issue 19) -------------------------

#: Which raw figures each value type's method takes (``statistics.calculate``
#: FIGURES and BAND_FIGURES, the one table): the keyword figures, else its age
#: bands; a ratio takes observed and expected events, or age bands.
FIGURES_BY_VALUE_TYPE = {
    value_type: FIGURES.get(value_type, ("age_bands",))
    for value_type in METHOD_BY_VALUE_TYPE
}
RAW_FIGURES = ("numerator", "denominator", "age_bands", "mean")
RAW_FIGURES += ("standard_deviation", "sample_size")


class FigureField(serializers.FloatField):
    """A finite number (DRF's FloatField refuses NaN and infinities), never
    ``true``/``false`` (which ``float()`` would read as 1 and 0)."""

    default_error_messages = {
        **serializers.FloatField.default_error_messages,
        "boolean": "A number is needed, not true or false.",
    }

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("boolean")
        return super().to_internal_value(data)


def _figure(help_text: str, *, low: float | None = 0) -> FigureField:
    return FigureField(
        required=False,
        allow_null=True,
        min_value=-MAXIMUM_FIGURE if low is None else low,
        max_value=MAXIMUM_FIGURE,
        help_text=help_text,
    )


class AgeBandSerializer(serializers.Serializer):
    """One age band's figures; which are needed depends on the value type."""

    start_age = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=150,
        help_text="The band's first year of age (life expectancy).",
    )
    count = _figure("Events in the band: deaths for a life expectancy.")
    population = _figure("The band's population (person-years).")
    standard_population = _figure(
        "The band's standard population, e.g. the 2013 European Standard "
        "Population (a directly standardised rate)."
    )
    reference_count = _figure(
        "Events in the band in the reference population (a ratio)."
    )
    reference_population = _figure("The band's reference population (a ratio).")


class AgeBandsField(serializers.ListField):
    """A list of age bands whose errors read "Age band 2: population: A valid
    number is required." (DRF nests them by index)."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail
            if not isinstance(detail, dict):
                raise
            raise serializers.ValidationError(
                [
                    f"Age band {index + 1}: {name}: {message}"
                    for index, fields in sorted(detail.items())
                    for name, messages in _band_errors(fields)
                    for message in messages
                ][:10]
            ) from error


def _band_errors(fields) -> list[tuple[str, list]]:
    if isinstance(fields, dict):
        return list(fields.items())
    return [("band", fields if isinstance(fields, list) else [fields])]


class ValueCalculateSerializer(serializers.Serializer):
    """Raw figures for one value: the method is the indicator's value type's
    (FIGURES_BY_VALUE_TYPE). Checks which figures are there; the service
    checks what they say (a numerator above its denominator, say)."""

    indicator = SlugRelatedField(
        slug_field="code",
        queryset=Indicator.objects.all(),
        help_text="The indicator's code: its value type picks the method.",
    )
    area = SlugRelatedField(slug_field="code", queryset=Area.objects.all())
    period = SlugRelatedField(
        slug_field="label",
        queryset=Period.objects.all(),
        help_text="An existing period's label (`GET /api/v1/periods/`).",
    )
    sex = serializers.CharField(required=False, allow_blank=True, max_length=20)
    age = serializers.CharField(required=False, allow_blank=True, max_length=40)
    category_type = serializers.CharField(
        required=False, allow_blank=True, max_length=120
    )
    category = serializers.CharField(required=False, allow_blank=True, max_length=200)
    numerator = _figure(
        "Events counted: a proportion's, a crude rate's or a count's numerator, "
        "or a ratio's observed events."
    )
    denominator = _figure(
        "Counted among: a proportion's or a crude rate's denominator, or a "
        "ratio's expected events."
    )
    age_bands = AgeBandsField(
        child=AgeBandSerializer(),
        required=False,
        allow_null=True,
        min_length=1,
        max_length=MAXIMUM_AGE_BANDS,
        help_text="By age band: a directly standardised rate (count, population, "
        "standard_population), a life expectancy (start_age, count as deaths, "
        "population) or a ratio (count, population, reference_count, "
        "reference_population).",
    )
    mean = _figure("A mean's value.", low=None)
    standard_deviation = _figure("A mean's standard deviation.")
    sample_size = _figure("How many a mean is over (a whole number, 2 or more).")
    value_note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    source = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Where the raw figures came from.",
    )

    def validate(self, attrs: dict) -> dict:
        indicator = attrs["indicator"]
        value_type = indicator.value_type
        wanted = FIGURES_BY_VALUE_TYPE.get(value_type)
        if wanted is None:
            raise serializers.ValidationError(
                {
                    "indicator": (
                        f"{indicator.code} is {value_type_words(indicator)}: "
                        "it is not calculated from raw figures. POST the "
                        "published value to /api/v1/values/ instead."
                    )
                }
            )
        if value_type == Indicator.ValueType.RATIO and attrs.get("age_bands"):
            wanted = ("age_bands",)
        errors = {}
        for key in RAW_FIGURES:
            given = attrs.get(key) is not None
            if key in wanted and not given:
                errors[key] = f"Needed for {value_type_words(indicator)}."
            elif key not in wanted and given:
                errors[key] = (
                    f"Not used for {value_type_words(indicator)}: send "
                    f"{_listed(wanted)}."
                )
        if attrs.get("category") and not attrs.get("category_type"):
            errors["category"] = "A category needs a category_type."
        if errors:
            raise serializers.ValidationError(errors)
        if "age_bands" in wanted:
            _check_bands(attrs["age_bands"], BAND_FIGURES[value_type])
        return attrs


def value_type_words(indicator: Indicator) -> str:
    """ "a proportion", "an index": the indicator's value type with its article."""
    words = indicator.get_value_type_display().lower()
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def _listed(keys) -> str:
    keys = list(keys)
    return keys[0] if len(keys) == 1 else f"{', '.join(keys[:-1])} and {keys[-1]}"


def _check_bands(bands: list[dict], needed: tuple[str, ...]) -> None:
    """Each band holds what the method needs: a 400 under ``age_bands`` naming
    the band (1 is the first) and the figure."""
    missing = [
        f"Age band {number}: {key} is needed."
        for number, band in enumerate(bands, start=1)
        for key in needed
        if band.get(key) is None
    ]
    if missing:
        raise serializers.ValidationError({"age_bands": missing[:5]})
