"""The place a deployment serves, and the Marmot principles its measures are
grouped by: site-wide reference data that every page and import reads."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from indicators.models.geography import Area
from marmot.models import TimeStampedModel


class MarmotPrinciple(models.Model):
    """One of the eight Marmot principles (Marmot Review 2010, Build Back Fairer)."""

    number = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    title = models.CharField(max_length=200)
    short_title = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    row_version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every change (ETag)."
    )

    class Meta:
        verbose_name = "Marmot principle"
        verbose_name_plural = "Marmot principles"
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
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    country = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The national benchmark (England for an English place).",
    )
    region = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    nearest_neighbours = models.ForeignKey(
        Area,
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
