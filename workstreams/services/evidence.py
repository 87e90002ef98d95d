"""Evidence files on progress updates (ADR 35): checked by content, stored
through Django's storage API in the ``evidence`` storage under a random name,
recorded with the safe original name for the download.

Called by `progress_update_create` inside its transaction, after every
database check, so a refused update writes no file. If recording a file fails,
the files already stored are deleted again. (Were an outer transaction to roll
back afterwards, a stored file would be left with no row: never served, since
only a row's download view reads the storage.)
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages

from workstreams.evidence import CheckedEvidence, evidence_check
from workstreams.models import EvidenceFile, ProgressUpdate


def evidence_files_check(files: Sequence) -> list[tuple[object, CheckedEvidence]]:
    """Each file checked (`workstreams.evidence.evidence_check`), and no more
    than ``EVIDENCE_MAX_FILES`` of them; every problem is reported, on the
    ``evidence_files`` field."""
    files = list(files or ())
    most = settings.EVIDENCE_MAX_FILES
    if len(files) > most:
        raise ValidationError(
            {"evidence_files": f"Choose at most {most} files for one update."}
        )
    checked, problems = [], []
    for upload in files:
        try:
            checked.append(
                (upload, evidence_check(upload, max_bytes=settings.EVIDENCE_MAX_BYTES))
            )
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError({"evidence_files": problems})
    return checked


def evidence_files_store(
    *, update: ProgressUpdate, files: Sequence[tuple[object, CheckedEvidence]]
) -> list[EvidenceFile]:
    """Store checked files and record them on ``update``."""
    storage = storages["evidence"]
    stored: list[str] = []
    rows = []
    try:
        for upload, checked in files:
            upload.seek(0)
            key = f"actions/{update.action_id}/{uuid.uuid4().hex}.{checked.extension}"
            name = storage.save(key, upload)
            stored.append(name)
            row = EvidenceFile(
                progress_update=update,
                file=name,
                original_name=checked.name,
                content_type=checked.kind.content_type,
                size=checked.size,
            )
            row.full_clean()
            row.save()
            rows.append(row)
    except BaseException:
        for name in stored:
            storage.delete(name)
        raise
    return rows
