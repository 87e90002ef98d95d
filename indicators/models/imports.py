"""The audit record of each file import."""

from django.conf import settings
from django.db import models


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
        verbose_name = "data import"
        verbose_name_plural = "data imports"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.status})"
