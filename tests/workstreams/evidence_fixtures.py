"""Builders for evidence files (no tests here): the bytes of each kind of file
the site takes, hostile ones, and a progress update carrying a stored file.

Files are stored in ``STORAGES["evidence"]``: a temporary folder in the test
settings (`marmot.settings.test`), never the checkout."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from workstreams.models import EvidenceFile
from workstreams.services import progress_update_create

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
EXE = b"MZ\x90\x00" + b"\x00" * 60


def zipped(members: dict[str, bytes], *, first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first is not None:
            archive.writestr(first, members.pop(first), zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx() -> bytes:
    return zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})


def xlsx() -> bytes:
    return zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"})


def pptx() -> bytes:
    return zipped({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})


def opendocument(kind: str) -> bytes:
    mimetype = f"application/vnd.oasis.opendocument.{kind}".encode()
    return zipped({"mimetype": mimetype, "content.xml": b"<o/>"}, first="mimetype")


def docm() -> bytes:
    return zipped(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w/>",
            "word/vbaProject.bin": b"macro",
        }
    )


def zip_bomb() -> bytes:
    """A Word document whose one member unpacks to 50 MB (from ~50 kB)."""
    return zipped(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"\x00" * (50 * 1024 * 1024),
        }
    )


def escaping_zip() -> bytes:
    return zipped(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w/>",
            "../../etc/cron.d/evil": b"* * * * * root sh",
        }
    )


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def evidence_on(action, *, author=None, name="Survey report.pdf", content=PDF):
    """A progress update on ``action`` with one stored evidence file."""
    update = progress_update_create(
        action=action,
        reported_on=timezone.localdate(),
        text="Survey finished: report attached.",
        status=action.status,
        author=author,
        evidence_files=[upload(name, content)],
    )
    return EvidenceFile.objects.get(progress_update=update)
