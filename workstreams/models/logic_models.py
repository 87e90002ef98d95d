"""Versioned logic models: hypothesis, assumptions, inputs → outcomes."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from marmot.models import TimeStampedModel
from workstreams.models.programme import Workstream


class LogicModel(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CURRENT = "current", "Current"
        SUPERSEDED = "superseded", "Superseded"

    workstream = models.ForeignKey(
        Workstream, on_delete=models.CASCADE, related_name="logic_models"
    )
    # PostgreSQL's smallint; SQLite stored any 64-bit number, and the next
    # version after 9223372036854775807 could not be stored.
    version = models.PositiveSmallIntegerField(
        default=1, validators=[MaxValueValidator(32767)]
    )
    dated = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    hypothesis = models.TextField(blank=True)
    context = models.TextField(blank=True)
    barriers = models.TextField(blank=True)

    row_version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every change (ETag)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["workstream__display_order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["workstream", "version"], name="logic_model_unique_version"
            ),
            models.UniqueConstraint(
                fields=["workstream"],
                condition=Q(status="current"),
                name="logic_model_one_current_per_workstream",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workstream} logic model v{self.version} ({self.status})"


class LogicModelItem(models.Model):
    class Kind(models.TextChoices):
        ASSUMPTION = "assumption", "Assumption"
        INPUT = "input", "Input"
        ACTIVITY = "activity", "Activity"
        OUTPUT = "output", "Output"
        OUTCOME = "outcome", "Outcome"

    LINKS_TO_INDICATORS = (Kind.OUTPUT, Kind.OUTCOME)

    logic_model = models.ForeignKey(
        LogicModel, on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    indicators = models.ManyToManyField(
        "indicators.Indicator",
        blank=True,
        related_name="logic_model_items",
        help_text="Only for outputs and outcomes: the measures that show them.",
    )

    history = HistoricalRecords(m2m_fields=[indicators])

    class Meta:
        ordering = ["logic_model", "kind", "position", "id"]
        indexes = [models.Index(fields=["logic_model", "kind", "position"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:80]}"
