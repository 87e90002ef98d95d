"""What is measured: indicators and their values with confidence limits."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from indicators.models.geography import Area, Period
from marmot.models import TimeStampedModel

# The most decimal places a measure is shown to. Fingertips shows at most 3;
# six leave room for small ratios. The database enforces it too: SQLite
# enforces no integer range, and a million places once reached a page.
MAX_DISPLAY_DECIMALS = 6
# The largest size a value's figures may have. No public-health figure comes
# near it (England's population is 6e7, person-years 1e10), and beyond about
# 1e307 the charts' arithmetic overflows: a value of 1e308 once made the
# dashboard and the indicator page a 500 for everyone.
FIGURE_LIMIT = 1e15
FIGURE_VALIDATORS = [MinValueValidator(-FIGURE_LIMIT), MaxValueValidator(FIGURE_LIMIT)]
#: An IndicatorValue's figures: the value, its limits, its count and denominator.
FIGURE_FIELDS = (
    "value",
    "lower95",
    "upper95",
    "lower998",
    "upper998",
    "count",
    "denominator",
)


class Indicator(TimeStampedModel):
    class ValueType(models.TextChoices):
        PROPORTION = "proportion", "Proportion"
        CRUDE_RATE = "crude_rate", "Crude rate"
        DSR = "dsr", "Directly standardised rate"
        LIFE_EXPECTANCY = "life_expectancy", "Life expectancy"
        MEAN = "mean", "Mean or score"
        COUNT = "count", "Count"
        RATIO = "ratio", "Ratio"
        INDEX = "index", "Index"

    class Polarity(models.TextChoices):
        HIGH_IS_GOOD = "high_is_good", "High is good"
        LOW_IS_GOOD = "low_is_good", "Low is good"
        NO_JUDGEMENT = "no_judgement", "No judgement"

    class Kind(models.TextChoices):
        OUTCOME = "outcome", "Outcome measure"
        LOCAL_OUTPUT = "local_output", "Output KPI"

    class YearToDate(models.TextChoices):
        SUM = "sum", "Sum of the periods"
        LATEST = "latest", "Latest period"

    class Frequency(models.TextChoices):
        ANNUAL = "annual", "Annual"
        QUARTERLY = "quarterly", "Quarterly"
        MONTHLY = "monthly", "Monthly"
        IRREGULAR = "irregular", "Irregular"

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=300)
    published_name = models.CharField(
        max_length=300, blank=True, help_text="The description exactly as published."
    )
    definition = models.TextField(blank=True)
    numerator_definition = models.TextField(
        "numerator", blank=True, help_text="What is counted, as the source defines it."
    )
    denominator_definition = models.TextField(
        "denominator",
        blank=True,
        help_text="The population it is counted in, as the source defines it.",
    )
    value_type = models.CharField(max_length=20, choices=ValueType.choices)
    unit = models.CharField(
        max_length=40, blank=True, help_text='e.g. "%", "per 1,000", "years".'
    )
    multiplier = models.PositiveIntegerField(
        default=1, help_text="100 for %, 1000 for per 1,000, 1 for none."
    )
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    principle = models.ForeignKey(
        "indicators.MarmotPrinciple",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        help_text="Empty for overarching measures such as life expectancy.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OUTCOME)
    source = models.CharField(max_length=300, blank=True)
    fingertips_id = models.PositiveIntegerField(
        "Fingertips indicator ID", null=True, blank=True
    )
    display_decimals = models.PositiveSmallIntegerField(
        default=1, validators=[MaxValueValidator(MAX_DISPLAY_DECIMALS)]
    )
    display_order = models.PositiveSmallIntegerField(default=0)
    update_frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    expected_next_release = models.DateField(null=True, blank=True)
    year_to_date = models.CharField(
        max_length=8,
        choices=YearToDate.choices,
        default=YearToDate.LATEST,
        help_text="For an output KPI: a count entered per period is summed for the "
        "year to date; otherwise the latest period is the year to date.",
    )
    values_expected_from = models.DateField(
        null=True,
        blank=True,
        help_text="For an output KPI: values are due for every period that starts "
        "on or after this date (and ends before it is retired).",
    )
    retired_on = models.DateField(
        null=True,
        blank=True,
        help_text="For an output KPI: no longer recorded from this date; its "
        "values stay published.",
    )
    is_published = models.BooleanField(
        "published", default=True, help_text="Shown to the public and in the API."
    )
    row_version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every change (ETag)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["principle__number", "display_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["fingertips_id"],
                condition=Q(fingertips_id__isnull=False),
                name="indicator_unique_fingertips_id",
            ),
            models.CheckConstraint(
                condition=Q(multiplier__gte=1), name="indicator_multiplier_positive"
            ),
            models.CheckConstraint(
                condition=Q(display_decimals__lte=MAX_DISPLAY_DECIMALS),
                name="indicator_display_decimals_at_most_six",
                violation_error_message=(
                    f"Show at most {MAX_DISPLAY_DECIMALS} decimal places."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_overarching(self) -> bool:
        return self.principle_id is None


class IndicatorValue(TimeStampedModel):
    """One published or imported value, with its confidence limits."""

    class Method(models.TextChoices):
        """How the value and its limits were made (``statistics.calculate``)."""

        PUBLISHED = "published", "As published by its source"
        WILSON = "wilson", "Wilson score limits, from the numerator and denominator"
        BYAR = "byar", "Exact Poisson limits below 10 events, else Byar's method"
        DOBSON = "dobson", "Directly standardised, Dobson's method limits"
        INDIRECT = (
            "indirect",
            (
                "Observed over expected events (indirect standardisation), exact "
                "limits below 10 events, else Byar's"
            ),
        )
        STUDENT_T = "student_t", "Mean with Student's t limits"
        CHIANG_II = (
            "chiang_ii",
            ("Life table by Chiang's method II, limits by Silcocks et al."),
        )

    # No single-column indexes on indicator and area: the unique constraint's
    # index leads with indicator, and the (area, period) index with area, so
    # each serves those lookups and an import writes two fewer indexes.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", db_index=False
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="values", db_index=False
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="values")
    sex = models.CharField(max_length=20, blank=True, default="")
    age = models.CharField(max_length=40, blank=True, default="")
    category_type = models.CharField(
        max_length=120,
        blank=True,
        default="",
        help_text='Breakdown type, e.g. "Ward" or "Deprivation decile". Empty for '
        "the whole population.",
    )
    category = models.CharField(max_length=200, blank=True, default="")
    value = models.FloatField(null=True, blank=True, validators=FIGURE_VALIDATORS)
    lower95 = models.FloatField(
        "lower 95% limit", null=True, blank=True, validators=FIGURE_VALIDATORS
    )
    upper95 = models.FloatField(
        "upper 95% limit", null=True, blank=True, validators=FIGURE_VALIDATORS
    )
    lower998 = models.FloatField(
        "lower 99.8% limit", null=True, blank=True, validators=FIGURE_VALIDATORS
    )
    upper998 = models.FloatField(
        "upper 99.8% limit", null=True, blank=True, validators=FIGURE_VALIDATORS
    )
    count = models.FloatField(null=True, blank=True, validators=FIGURE_VALIDATORS)
    denominator = models.FloatField(null=True, blank=True, validators=FIGURE_VALIDATORS)
    value_note = models.CharField(max_length=300, blank=True)
    published_text = models.CharField(
        max_length=100, blank=True, help_text="The cell as published, e.g. '85.40%'."
    )
    source = models.CharField(max_length=300, blank=True)
    release_date = models.DateField(null=True, blank=True)
    method = models.CharField(
        max_length=20,
        choices=Method.choices,
        default=Method.PUBLISHED,
        db_default=Method.PUBLISHED,
        help_text="How the value and its limits were made: as published, or "
        "calculated here from the count and denominator (or age bands).",
    )
    row_version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every change (ETag)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "area", "period__sort_key"]
        # (indicator, area, period) lookups use value_unique_per_breakdown.
        indexes = [models.Index(fields=["area", "period"])]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "indicator",
                    "area",
                    "period",
                    "sex",
                    "age",
                    "category_type",
                    "category",
                ],
                name="value_unique_per_breakdown",
            ),
            models.CheckConstraint(
                condition=Q(lower95__isnull=True)
                | Q(upper95__isnull=True)
                | Q(lower95__lte=F("upper95")),
                name="value_lower95_not_above_upper95",
            ),
            models.CheckConstraint(
                condition=Q(lower998__isnull=True)
                | Q(upper998__isnull=True)
                | Q(lower998__lte=F("upper998")),
                name="value_lower998_not_above_upper998",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True)
                | Q(lower95__isnull=True)
                | Q(upper95__isnull=True)
                | Q(lower95__lte=F("value"), upper95__gte=F("value")),
                name="value_inside_its_95_interval",
            ),
            models.CheckConstraint(
                condition=Q(count__isnull=True) | Q(count__gte=0),
                name="value_count_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="value_denominator_positive",
            ),
            models.CheckConstraint(
                condition=~Q(category_type="") | Q(category=""),
                name="value_category_needs_type",
            ),
        ]

    def __str__(self) -> str:
        breakdown = f" [{self.category_type}: {self.category}]" if self.category else ""
        return f"{self.indicator} — {self.area} {self.period}{breakdown}"

    @property
    def is_breakdown(self) -> bool:
        return bool(self.category_type)
