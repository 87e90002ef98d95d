"""Where and when: areas (with comparator groups) and time periods."""

from django.db import models
from django.db.models import F, Q


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
        db_index=True,
        help_text=(
            "Orders periods as a reader does: by end month, then the "
            "longer period first (ADR 0006)."
        ),
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
