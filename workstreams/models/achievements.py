"""The programme as a whole, outside the workstreams: its system programmes and
their deliverables, its own next steps, its timeline and its evaluation.

A place's update to its partners (a "Health Equity Town" update) reports
more than the workstreams: achievements of the health equity system (each
programme's deliverables), the programme's next steps, a dated timeline and an
evaluation with its aims and findings. Deliverables and next steps are
tracked like actions (status, RAG, lead organisation, a progress note);
officers edit all of it in the admin. The evaluation's recommendations are
`Recommendation` rows with source "evaluation", not held again here.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from marmot.models import TimeStampedModel
from workstreams.models.programme import Organisation
from workstreams.models.workplans import Action


class SystemProgramme(TimeStampedModel):
    """A programme of the health equity system beside the workstreams
    (e.g. "Health Equity Town", "Core20plus5")."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name = "system programme"

    def __str__(self) -> str:
        return self.name


class ProgrammeAction(TimeStampedModel):
    """A deliverable of a system programme, or a next step of the whole
    programme: tracked like an action."""

    class Kind(models.TextChoices):
        DELIVERABLE = "deliverable", "Deliverable of a system programme"
        NEXT_STEP = "next_step", "Next step of the programme"

    Status = Action.Status
    Rag = Action.Rag

    kind = models.CharField(max_length=12, choices=Kind.choices)
    programme = models.ForeignKey(
        SystemProgramme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliverables",
        help_text="The system programme a deliverable belongs to (none for a "
        "next step of the whole programme).",
    )
    title = models.CharField(max_length=300, help_text="As published.")
    status = models.CharField(
        max_length=12, choices=Action.Status.choices, default=Action.Status.PLANNED
    )
    rag = models.CharField("RAG", max_length=5, choices=Action.Rag.choices, blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_programme_actions",
    )
    lead_person = models.CharField(
        max_length=200,
        blank=True,
        help_text="A person or role, as the source names them (shown to "
        "signed-in users only).",
    )
    progress_note = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    due_label = models.CharField(
        "when due, as published",
        max_length=100,
        blank=True,
        help_text='When the source gives no full date, e.g. "November".',
    )
    completed_on = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "programme__display_order", "position", "id"]
        verbose_name = "programme deliverable or next step"
        verbose_name_plural = "programme deliverables and next steps"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "title"], name="programme_action_unique_title"
            ),
            models.CheckConstraint(
                condition=Q(kind="deliverable", programme__isnull=False)
                | Q(kind="next_step", programme__isnull=True),
                name="programme_action_programme_iff_deliverable",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(status="completed"),
                name="programme_action_completed_on_only_if_completed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """The check constraints as field errors, for the admin and the loader."""
        errors = {}
        if self.kind == self.Kind.DELIVERABLE and self.programme_id is None:
            errors["programme"] = "Choose the system programme it is a deliverable of."
        if self.kind == self.Kind.NEXT_STEP and self.programme_id is not None:
            errors["programme"] = (
                "A next step of the whole programme belongs to no system programme: "
                "leave this empty."
            )
        if self.completed_on and self.status != self.Status.COMPLETED:
            errors["completed_on"] = "Only a completed item has a completion date."
        if errors:
            raise ValidationError(errors)


class ProgrammeMilestone(TimeStampedModel):
    """A row of the programme's timeline: when (a month or a year, or a span
    of them, as published) and what happened or is planned."""

    class Precision(models.TextChoices):
        MONTH = "month", "Month"
        YEAR = "year", "Year"

    label = models.CharField(
        "when, as published",
        max_length=60,
        unique=True,
        help_text='As published, e.g. "Nov 21 – June 22" or "Throughout 2024".',
    )
    starts_on = models.DateField(help_text="The first day of the month or year.")
    ends_on = models.DateField(
        null=True, blank=True, help_text="For a span: the first day of its last month."
    )
    precision = models.CharField(max_length=5, choices=Precision.choices)
    items = models.TextField(help_text="What happened or is planned, one per line.")
    is_highlight = models.BooleanField(
        default=False, help_text="Highlighted in the source (e.g. in bold)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on", "ends_on", "id"]
        verbose_name = "programme timeline milestone"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="programme_milestone_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "A span must not end before it starts."})

    @property
    def item_list(self) -> list[str]:
        return [line.strip() for line in self.items.splitlines() if line.strip()]


class EvaluationFinding(TimeStampedModel):
    """An aim of the programme's evaluation, or an opportunity or challenge it
    found. Its recommendations are `Recommendation` rows (source evaluation)."""

    class Kind(models.TextChoices):
        AIM = "aim", "Aim"
        OPPORTUNITY = "opportunity", "Opportunity"
        CHALLENGE = "challenge", "Challenge"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(help_text="As published.")
    details = models.TextField(
        blank=True, help_text="Points listed under it, one per line, as published."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "position", "id"]
        verbose_name = "evaluation aim or finding"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "text"], name="evaluation_finding_unique_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def detail_list(self) -> list[str]:
        return [line.strip() for line in self.details.splitlines() if line.strip()]
