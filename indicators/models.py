"""Outcome measures: indicators, areas, periods, values and their assessments."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from workstreams.models import TimeStampedModel


class Area(models.Model):
    class Type(models.TextChoices):
        COUNTRY = "country", "Country"
        REGION = "region", "Region"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        WARD = "ward", "Ward"
        COMPARATOR_GROUP = "comparator_group", "Comparator group"
        OTHER = "other", "Other"

    code = models.CharField(
        max_length=40, unique=True, help_text="ONS GSS code where one exists."
    )
    name = models.CharField(max_length=200)
    area_type = models.CharField(max_length=20, choices=Type.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="comparator_groups",
        help_text="For a comparator group: the areas in it.",
    )

    class Meta:
        ordering = ["area_type", "name"]

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    """A time period, keyed by its label exactly as published."""

    class Kind(models.TextChoices):
        CALENDAR_YEAR = "calendar_year", "Calendar year"
        CALENDAR_YEARS = "calendar_years", "Calendar years (pooled)"
        FINANCIAL_YEAR = "financial_year", "Financial year"
        FINANCIAL_YEARS = "financial_years", "Financial years (pooled)"
        QUARTER = "quarter", "Quarter"
        MONTH = "month", "Month"

    label = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    sort_key = models.PositiveIntegerField(
        db_index=True, help_text="Orders periods; Fingertips' 'Time period Sortable'."
    )

    class Meta:
        ordering = ["sort_key", "ends_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.label


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
        LOCAL_OUTPUT = "local_output", "Local output measure"

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
    value_type = models.CharField(max_length=20, choices=ValueType.choices)
    unit = models.CharField(
        max_length=40, blank=True, help_text='e.g. "%", "per 1,000", "years".'
    )
    multiplier = models.PositiveIntegerField(
        default=1, help_text="100 for %, 1000 for per 1,000, 1 for none."
    )
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    principle = models.ForeignKey(
        "workstreams.MarmotPrinciple",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        help_text="Empty for overarching measures such as life expectancy.",
    )
    workstreams = models.ManyToManyField(
        "workstreams.Workstream", blank=True, related_name="indicators"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OUTCOME)
    source = models.CharField(max_length=300, blank=True)
    fingertips_id = models.PositiveIntegerField(
        "Fingertips indicator ID", null=True, blank=True
    )
    display_decimals = models.PositiveSmallIntegerField(default=1)
    display_order = models.PositiveSmallIntegerField(default=0)
    update_frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    expected_next_release = models.DateField(null=True, blank=True)
    is_published = models.BooleanField(
        "published", default=True, help_text="Shown to the public and in the API."
    )

    history = HistoricalRecords(m2m_fields=[workstreams])

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
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_overarching(self) -> bool:
        return self.principle_id is None


class IndicatorValue(TimeStampedModel):
    """One published or imported value, with its confidence limits."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="values")
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
    value = models.FloatField(null=True, blank=True)
    lower95 = models.FloatField("lower 95% limit", null=True, blank=True)
    upper95 = models.FloatField("upper 95% limit", null=True, blank=True)
    lower998 = models.FloatField("lower 99.8% limit", null=True, blank=True)
    upper998 = models.FloatField("upper 99.8% limit", null=True, blank=True)
    count = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value_note = models.CharField(max_length=300, blank=True)
    published_text = models.CharField(
        max_length=100, blank=True, help_text="The cell as published, e.g. '85.40%'."
    )
    source = models.CharField(max_length=300, blank=True)
    release_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "area", "period__sort_key"]
        indexes = [
            models.Index(fields=["indicator", "area", "period"]),
            models.Index(fields=["area", "period"]),
        ]
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


class Method(models.TextChoices):
    PUBLISHED = "published", "Published"
    COMPUTED = "computed", "Computed"
    MANUAL = "manual", "Set by hand"


class Assessment(models.Model):
    """A value compared with a benchmark: England, region, neighbours or target."""

    class Benchmark(models.TextChoices):
        NATIONAL = "national", "National (England)"
        REGION = "region", "Region"
        NEAREST_NEIGHBOURS = "nearest_neighbours", "Nearest neighbours"
        TARGET = "target", "Target"

    class Result(models.TextChoices):
        BETTER = "better", "Better"
        SIMILAR = "similar", "Similar"
        WORSE = "worse", "Worse"
        HIGHER = "higher", "Higher"
        LOWER = "lower", "Lower"
        NOT_COMPARED = "not_compared", "Not compared"

    RAG_LETTERS = {"better": "G", "similar": "A", "worse": "R"}

    value = models.ForeignKey(
        IndicatorValue, on_delete=models.CASCADE, related_name="assessments"
    )
    benchmark = models.CharField(max_length=20, choices=Benchmark.choices)
    benchmark_area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result = models.CharField(max_length=14, choices=Result.choices)
    level = models.FloatField(
        null=True, blank=True, help_text="Confidence level of a difference: 95 or 99.8."
    )
    method = models.CharField(max_length=10, choices=Method.choices)
    published_text = models.CharField(max_length=40, blank=True)
    explanation = models.TextField(blank=True)
    disagrees_with_published = models.BooleanField(
        default=False,
        help_text="A computed result that differs from the published one.",
    )
    reason = models.TextField(blank=True, help_text="Why it was set by hand.")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assessed_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["value_id", "benchmark", "method"]
        constraints = [
            models.UniqueConstraint(
                fields=["value", "benchmark", "method"],
                name="assessment_unique_per_method",
            ),
            models.CheckConstraint(
                condition=~Q(method="manual") | ~Q(reason=""),
                name="assessment_manual_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_benchmark_display()}: {self.get_result_display()}"

    @property
    def rag_letter(self) -> str:
        return self.RAG_LETTERS.get(self.result, "—")


class Trend(models.Model):
    """The recent trend of a series, attached to its latest value."""

    class Label(models.TextChoices):
        INCREASING_BETTER = "Increasing and getting better"
        INCREASING_WORSE = "Increasing and getting worse"
        DECREASING_BETTER = "Decreasing and getting better"
        DECREASING_WORSE = "Decreasing and getting worse"
        INCREASING = "Increasing"
        DECREASING = "Decreasing"
        NO_SIGNIFICANT_CHANGE = "No significant change"
        CANNOT_BE_CALCULATED = "Cannot be calculated"

    value = models.ForeignKey(
        IndicatorValue, on_delete=models.CASCADE, related_name="trends"
    )
    label = models.CharField(max_length=40, choices=Label.choices)
    method = models.CharField(max_length=10, choices=Method.choices)
    published_text = models.CharField(max_length=60, blank=True)
    explanation = models.TextField(blank=True)
    disagrees_with_published = models.BooleanField(
        default=False,
        help_text="A computed trend that differs from the published one.",
    )
    reason = models.TextField(blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assessed_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["value_id", "method"]
        constraints = [
            models.UniqueConstraint(
                fields=["value", "method"], name="trend_unique_per_method"
            ),
            models.CheckConstraint(
                condition=~Q(method="manual") | ~Q(reason=""),
                name="trend_manual_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Target(TimeStampedModel):
    """A local target: reach `value` by `period`, Pentana-style RAG with tolerance."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="targets")
    period = models.ForeignKey(
        Period,
        on_delete=models.PROTECT,
        related_name="targets",
        help_text="The period by which the target should be met.",
    )
    value = models.FloatField()
    amber_tolerance = models.FloatField(
        default=0, help_text="How far short of the target still counts as amber."
    )
    tolerance_is_percent = models.BooleanField(
        default=False, help_text="Tolerance is a percentage of the target value."
    )
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "area", "period__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period"], name="target_unique"
            ),
            models.CheckConstraint(
                condition=Q(amber_tolerance__gte=0),
                name="target_tolerance_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} by {self.period}"


class ImportRun(models.Model):
    """One import of a file: what it was, who ran it, and what it did."""

    class Kind(models.TextChoices):
        FINGERTIPS = "fingertips", "Fingertips data CSV"
        MEASURES_TABLE = "measures_table", "Outcome-measure table"
        PROGRAMME = "programme", "Programme data directory"

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    file_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    rows_read = models.PositiveIntegerField(default=0)
    values_created = models.PositiveIntegerField(default=0)
    values_updated = models.PositiveIntegerField(default=0)
    values_unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.status})"
