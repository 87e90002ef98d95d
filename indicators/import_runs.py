"""What every file import shares: reading the upload and recording its ImportRun."""

from __future__ import annotations

from typing import Any, BinaryIO

from django.utils import timezone

from indicators.import_limits import MAX_LISTED_PROBLEMS, more_line
from indicators.models import ImportRun

MAX_RECORDED_ERRORS = MAX_LISTED_PROBLEMS


def upload_read_bytes(file: BinaryIO | bytes) -> bytes:
    """The whole file, from bytes, a Django UploadedFile or an open binary file."""
    if isinstance(file, bytes | bytearray | memoryview):
        return bytes(file)
    if hasattr(file, "chunks"):  # a Django UploadedFile
        return b"".join(file.chunks())
    return file.read()


def import_run_record(
    *,
    kind: str,
    result: Any,
    errors: list[dict],
    user,
    started_at,
    limit: int = MAX_RECORDED_ERRORS,
    total: int | None = None,
) -> ImportRun:
    """Record one import (its counts and at most `limit` errors) as an ImportRun.

    `result` carries file_name, sha256, status, rows_read and values_created /
    _updated / _unchanged, as both importers' results do.
    """
    listed = errors[:limit]
    total = len(errors) if total is None else total  # errors may be the first few
    if total > len(listed):
        more = total - len(listed)
        listed.append({"line": None, "column": None, "message": more_line(more, total)})
    run = ImportRun.objects.create(
        kind=kind,
        file_name=result.file_name[:300],
        sha256=result.sha256,
        status=result.status,
        rows_read=result.rows_read,
        values_created=result.values_created,
        values_updated=result.values_updated,
        values_unchanged=result.values_unchanged,
        errors=listed,
        started_by=user if getattr(user, "is_authenticated", False) else None,
        finished_at=timezone.now(),
    )
    ImportRun.objects.filter(pk=run.pk).update(started_at=started_at)
    return run
