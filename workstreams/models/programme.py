"""The Marmot programme: place, principles, partners, workstreams and their work."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class MarmotPrinciple(models.Model):
    """One of the eight Marmot principles (Marmot Review 2010, Build Back Fairer)."""

    number = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    title = models.CharField(max_length=200)
    short_title = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=8),
                name="principle_number_1_to_8",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Place(TimeStampedModel):
    """The Marmot place this deployment serves. One row per deployment."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    name = models.CharField(max_length=120)
    service_name = models.CharField(
        max_length=200, help_text="Shown in the site header, e.g. the programme name."
    )
    description = models.TextField(blank=True)
    area = models.ForeignKey(
        "indicators.Area", on_delete=models.PROTECT, related_name="+"
    )
    country = models.ForeignKey(
        "indicators.Area",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The national benchmark (England for an English place).",
    )
    region = models.ForeignKey(
        "indicators.Area", on_delete=models.PROTECT, related_name="+"
    )
    nearest_neighbours = models.ForeignKey(
        "indicators.Area",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="The comparator group (e.g. CIPFA nearest neighbours).",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="place_singleton")
        ]

    def __str__(self) -> str:
        return self.name


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
    display_order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords(m2m_fields=[principles])

    class Meta:
        ordering = ["display_order", "name"]

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
