"""Evidence files attached to a progress update (ADR 35).

The file lives in the ``evidence`` storage (``STORAGES["evidence"]``: a folder
on disk by default, S3-compatible object storage in production) under a random
name; the name the person uploaded, made safe, is kept here and given back only
in the download's Content-Disposition. Files are read only through the
``evidence-download`` view, which checks the reader may read the action."""

from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q

from workstreams.models.workplans import ProgressUpdate


class EvidenceStorage(Storage):
    """Whatever ``STORAGES["evidence"]`` is at the moment of each call.

    Django builds a FileField's storage once, when the model class is made;
    this stand-in passes every use on to the alias as configured now, so a
    settings change (a test's temporary folder) is followed."""

    def __getattribute__(self, name):
        if name.startswith("__") and name.endswith("__"):
            return object.__getattribute__(self, name)
        return getattr(storages["evidence"], name)


def evidence_storage() -> Storage:
    """The ``evidence`` storage (the FileField's storage callable)."""
    return EvidenceStorage()


class EvidenceFile(models.Model):
    progress_update = models.ForeignKey(
        ProgressUpdate, on_delete=models.CASCADE, related_name="evidence_files"
    )
    file = models.FileField(storage=evidence_storage, max_length=200)
    original_name = models.CharField(
        max_length=150, help_text="The uploaded file's name, made safe."
    )
    content_type = models.CharField(
        max_length=100, help_text="The type found in the file's content."
    )
    size = models.PositiveIntegerField(help_text="In bytes.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["progress_update", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="evidence_not_empty"),
            models.CheckConstraint(
                condition=~Q(original_name=""), name="evidence_has_name"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
