"""What a value means: assessments against benchmarks, trends and targets."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from indicators.models.geography import Area, Period
from indicators.models.values import Indicator, IndicatorValue
from marmot.models import TimeStampedModel


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

    value = models.ForeignKey(  # indexed by assessment_unique_per_method
        IndicatorValue,
        on_delete=models.CASCADE,
        related_name="assessments",
        db_index=False,
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
        GETTING_BETTER = "Getting better"
        GETTING_WORSE = "Getting worse"
        NO_SIGNIFICANT_CHANGE = "No significant change"
        CANNOT_BE_CALCULATED = "Cannot be calculated"

    # Which labels say the measure is getting better or worse, whatever the
    # direction of the values. "Getting better"/"Getting worse" carry no
    # direction: a published judgement ("Significantly worse") says no more.
    BETTER_LABELS = frozenset(
        {Label.INCREASING_BETTER, Label.DECREASING_BETTER, Label.GETTING_BETTER}
    )
    WORSE_LABELS = frozenset(
        {Label.INCREASING_WORSE, Label.DECREASING_WORSE, Label.GETTING_WORSE}
    )

    value = models.ForeignKey(  # indexed by trend_unique_per_method
        IndicatorValue, on_delete=models.CASCADE, related_name="trends", db_index=False
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
