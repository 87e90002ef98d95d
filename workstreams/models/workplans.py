"""Annual workplans, their priorities, actions and progress updates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from indicators.models import MarmotPrinciple
from marmot.models import TimeStampedModel
from workstreams.models.logic_models import LogicModelItem
from workstreams.models.programme import Organisation, Recommendation, Workstream


class Workplan(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CONSULTATION = "consultation", "In consultation with partners"
        SIGNED_OFF = "signed_off", "Signed off"
        CLOSED = "closed", "Closed"

    workstream = models.ForeignKey(
        Workstream, on_delete=models.CASCADE, related_name="workplans"
    )
    year_label = models.CharField(max_length=9, help_text='e.g. "2024/25".')
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    signed_off_on = models.DateField(null=True, blank=True)
    signed_off_at = models.CharField(
        "signed off at (meeting)", max_length=200, blank=True
    )

    row_version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every change (ETag)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["workstream__display_order", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["workstream", "year_label"], name="workplan_unique_year"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="workplan_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["signed_off", "closed"])
                | Q(signed_off_on__isnull=False),
                name="workplan_signed_off_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workstream} workplan {self.year_label}"

    def clean(self) -> None:
        """The date-order rule of ``workplan_ends_after_start`` as a field error:
        the one copy the admin, the site's forms and the API reach (ADR 5)."""
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": "A workplan must end after it starts."})


class WorkplanPriority(models.Model):
    workplan = models.ForeignKey(
        Workplan, on_delete=models.CASCADE, related_name="priorities"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text="The priority of an earlier workplan this one was carried "
        "forward from.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    row_version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every change (ETag)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["workplan", "position", "id"]
        verbose_name_plural = "workplan priorities"
        constraints = [
            models.UniqueConstraint(
                fields=["workplan", "title"], name="priority_unique_title"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Action(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        ON_HOLD = "on_hold", "On hold"
        CANCELLED = "cancelled", "Cancelled"

    class Rag(models.TextChoices):
        GREEN = "green", "Green — on track"
        AMBER = "amber", "Amber — at risk"
        RED = "red", "Red — off track"

    class Source(models.TextChoices):
        WORKPLAN = "workplan", "Workplan"
        PARTNER_SUBMISSION = "partner_submission", "Partner submission"

    workplan = models.ForeignKey(
        Workplan, on_delete=models.CASCADE, related_name="actions"
    )
    priority = models.ForeignKey(
        WorkplanPriority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_actions",
    )
    lead_person = models.CharField("lead contact", max_length=200, blank=True)
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="lead user (receives reminders)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_actions",
        help_text="The account that receives reminders for this action.",
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    rag = models.CharField("RAG", max_length=5, choices=Rag.choices, blank=True)
    is_next_step = models.BooleanField(
        "published as a next step",
        default=False,
        help_text="Published as a next step for the workstream.",
    )
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    completed_on = models.DateField("date completed", null=True, blank=True)
    source = models.CharField(
        max_length=20, choices=Source.choices, default=Source.WORKPLAN
    )
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when the action is archived (ADR 22): hidden from the "
        "workstream's lists and counts, its page and progress updates kept. An "
        "action with a public record is archived, never deleted.",
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text="The action of an earlier workplan this one was carried "
        "forward from (its progress updates stay there).",
    )
    activities = models.ManyToManyField(
        LogicModelItem,
        blank=True,
        related_name="actions",
        limit_choices_to={"kind": LogicModelItem.Kind.ACTIVITY},
    )
    recommendations = models.ManyToManyField(
        Recommendation, blank=True, related_name="actions"
    )
    principles = models.ManyToManyField(
        MarmotPrinciple, blank=True, related_name="actions"
    )

    percent_complete = models.PositiveSmallIntegerField(
        "% complete",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="Set by hand, 0 to 100; empty: worked out from the milestones.",
    )

    row_version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every change (ETag)."
    )

    history = HistoricalRecords(m2m_fields=[activities, recommendations, principles])

    class Meta:
        ordering = ["workplan", "priority__position", "due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["rag"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(due_date__gte=F("start_date")),
                name="action_due_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(status="completed", completed_on__isnull=False)
                | (~Q(status="completed") & Q(completed_on__isnull=True)),
                name="action_completed_iff_completed_on",
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__isnull=True)
                | Q(percent_complete__lte=100),
                name="action_percent_complete_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Single-row rules as field errors, among them the date order of
        ``action_due_not_before_start`` (ADR 5)."""
        errors = {}
        if (
            self.priority_id
            and self.workplan_id
            and self.priority.workplan_id != self.workplan_id
        ):
            errors["priority"] = "This priority belongs to a different workplan."
        if self.start_date and self.due_date and self.due_date < self.start_date:
            errors["due_date"] = (
                "The due date must be the same as or after the start date."
            )
        if errors:
            raise ValidationError(errors)


class ProgressUpdate(models.Model):
    """An append-only note on an action, with the status and RAG it left."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="progress_updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_updates",
    )
    reported_on = models.DateField()
    text = models.TextField()
    status = models.CharField(max_length=12, choices=Action.Status.choices)
    rag = models.CharField("RAG", max_length=5, choices=Action.Rag.choices, blank=True)
    rag_cleared = models.BooleanField(
        "RAG cleared",
        default=False,
        help_text="The update cleared the action's rating (rag is then blank).",
    )
    evidence_link = models.URLField(
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="A web page that shows the progress (http or https).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["action", "-reported_on"]),
            # Lists newest first (the API's default order) stop after a page
            # instead of sorting every update; the changes page's by date.
            models.Index(fields=["-reported_on", "-id"], name="progress_newest_first"),
            models.Index(fields=["created_at"], name="progress_created_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(evidence_link="")
                | Q(evidence_link__startswith="http://")
                | Q(evidence_link__startswith="https://"),
                name="progress_evidence_link_http",
            ),
            models.CheckConstraint(
                condition=Q(rag_cleared=False) | Q(rag=""),
                name="progress_rag_cleared_has_no_rag",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} — {self.reported_on}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(
                "Progress updates are append-only: add a new update instead."
            )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """May be dated in the past, never after today."""
        if self.reported_on and self.reported_on > timezone.localdate():
            raise ValidationError(
                {"reported_on": "The date of the update must be today or in the past."}
            )
