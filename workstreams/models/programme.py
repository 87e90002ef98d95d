"""The Marmot programme: partners, workstreams and the review's recommendations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from indicators.models import Indicator, MarmotPrinciple
from marmot.models import TimeStampedModel


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        NHS = "nhs", "NHS"
        VCFSE = "vcfse", "Voluntary, community, faith or social enterprise"
        EDUCATION = "education", "Education"
        BUSINESS = "business", "Business"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    is_anchor_institution = models.BooleanField("anchor institution", default=False)
    website = models.URLField(blank=True)
    row_version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every change (ETag)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationMembership(TimeStampedModel):
    """A partner user belongs to one organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_membership",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"


class Workstream(TimeStampedModel):
    class Judgement(models.TextChoices):
        """Is it on track? (`workstreams.on_track`, ADR 19)"""

        ON_TRACK = "on_track", "On track"
        SOME_CONCERNS = "some_concerns", "Some concerns"
        OFF_TRACK = "off_track", "Off track"
        NOT_YET_KNOWN = "not_yet_known", "Not yet known"

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    purpose = models.TextField(blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_workstreams",
    )
    chair_role = models.CharField(
        max_length=200, blank=True, help_text='As published, e.g. "Housing SMT".'
    )
    deputies = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="deputy_workstreams"
    )
    principles = models.ManyToManyField(
        MarmotPrinciple, blank=True, related_name="workstreams"
    )
    # The outcome measures the workstream works towards. Held here, not on the
    # indicator: indicators know nothing of workstreams (ADR 30).
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="workstreams"
    )
    display_order = models.PositiveSmallIntegerField(default=0)

    # Is it on track? The rule (`workstreams.on_track`) judges; its chair, a
    # deputy or an officer may override it with a reason (ADR 19). Set and
    # cleared only by `services.workstream_on_track_set` / `_clear`.
    on_track_override = models.CharField(
        "on-track judgement (override)",
        max_length=16,
        choices=Judgement.choices,
        blank=True,
    )
    on_track_reason = models.TextField("reason for the override", blank=True)
    on_track_rule_said = models.CharField(
        "the rule's judgement when overridden",
        max_length=16,
        choices=Judgement.choices,
        blank=True,
        help_text="The override lapses as soon as the rule says something else.",
    )
    on_track_workplan = models.ForeignKey(
        "workstreams.Workplan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="workplan overridden",
        help_text="The override lapses when another workplan becomes current.",
    )
    on_track_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="overridden by",
    )
    on_track_set_at = models.DateTimeField("overridden at", null=True, blank=True)
    row_version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every change (ETag)."
    )

    history = HistoricalRecords(m2m_fields=[principles, indicators])

    class Meta:
        ordering = ["display_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    on_track_override="",
                    on_track_reason="",
                    on_track_rule_said="",
                    on_track_set_at__isnull=True,
                )
                | (
                    ~Q(on_track_override="")
                    & ~Q(on_track_reason="")
                    & ~Q(on_track_rule_said="")
                    & Q(on_track_set_at__isnull=False)
                ),
                name="workstream_on_track_override_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Recommendation(TimeStampedModel):
    """A recommendation the programme must answer, from a report or evaluation."""

    class Source(models.TextChoices):
        MARMOT_REPORT = "marmot_report", "Marmot report"
        EVALUATION = "evaluation", "Evaluation"
        OTHER = "other", "Other"

    source = models.CharField(max_length=20, choices=Source.choices)
    source_title = models.CharField(
        max_length=200, blank=True, help_text='e.g. "Marmot report (September 2022)".'
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    workstream = models.ForeignKey(
        Workstream,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    principle = models.ForeignKey(
        MarmotPrinciple,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    row_version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every change (ETag)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "number"], name="recommendation_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.number}: {self.text[:60]}"
