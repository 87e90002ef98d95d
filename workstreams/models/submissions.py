"""Partner submissions: proposed actions, moderated by the workstream's chair."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from indicators.models import MarmotPrinciple
from marmot.models import TimeStampedModel
from workstreams.models.logic_models import LogicModelItem
from workstreams.models.programme import Organisation, Recommendation, Workstream
from workstreams.models.workplans import Action


class Submission(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        MORE_INFO = "more_info", "More information requested"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    workstream = models.ForeignKey(
        Workstream, on_delete=models.PROTECT, related_name="submissions"
    )
    principles = models.ManyToManyField(
        MarmotPrinciple, blank=True, related_name="submissions"
    )
    title = models.CharField(max_length=300)
    description = models.TextField()
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    lead_contact = models.CharField(max_length=200)
    evidence_url = models.URLField(
        "link to evidence", blank=True, max_length=500, help_text="http or https only."
    )
    supports_activity = models.ForeignKey(
        LogicModelItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        limit_choices_to={"kind": LogicModelItem.Kind.ACTIVITY},
    )
    supports_recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    action = models.OneToOneField(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submission",
    )
    row_version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[principles])

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["workstream", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="submission_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(action__isnull=False),
                name="submission_accepted_has_action",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["rejected", "more_info"])
                | ~Q(decision_reason=""),
                name="submission_decision_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"

    def clean(self) -> None:
        """The date order of ``submission_ends_after_start`` as a field error:
        the one copy the admin, the site's form and the API reach (ADR 5)."""
        if self.start_date and self.end_date and self.end_date < self.start_date:
            message = "The end date must be the same as or after the start date."
            raise ValidationError({"end_date": message})


class SubmissionMessage(models.Model):
    """One message in a submission's conversation (ADR 36): the chair's request
    for more information, the partner's reply, or a note. Append-only: written
    by `services.submission_message_post` (and the request/resubmit services),
    never changed or deleted through the services, admin or API; the row is its
    own record (who, when, what)."""

    class Kind(models.TextChoices):
        REQUEST = "request", "Request for information"
        REPLY = "reply", "Reply"
        NOTE = "note", "Note"

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""), name="submission_message_has_body"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["request", "reply", "note"]),
                name="submission_message_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on S{self.submission_id}"
