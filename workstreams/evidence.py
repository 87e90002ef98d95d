"""What an evidence file is, judged by its content (ADR 35): never by its name
or the type the browser claims.

`evidence_check` reads the first bytes (and, for a zip, its table of
contents) and answers with the kind of file, its safe name and size, or a
ValidationError that says what is wrong in words a person can act on. It
never unpacks a zip beyond an OpenDocument file's 100-byte ``mimetype``
member, so a zip bomb costs nothing to refuse.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Kind:
    label: str  # "a PDF document"
    content_type: str
    extensions: tuple[str, ...]  # the first is the one a stored file gets


PDF = Kind("a PDF document", "application/pdf", ("pdf",))
PNG = Kind("a PNG image", "image/png", ("png",))
JPEG = Kind("a JPEG image", "image/jpeg", ("jpg", "jpeg"))
OOXML = "application/vnd.openxmlformats-officedocument."
DOCX = Kind("a Word document", f"{OOXML}wordprocessingml.document", ("docx",))
XLSX = Kind("an Excel workbook", f"{OOXML}spreadsheetml.sheet", ("xlsx",))
PPTX = Kind(
    "a PowerPoint presentation", f"{OOXML}presentationml.presentation", ("pptx",)
)
ODF = "application/vnd.oasis.opendocument."
ODT = Kind("an OpenDocument text", f"{ODF}text", ("odt",))
ODS = Kind("an OpenDocument spreadsheet", f"{ODF}spreadsheet", ("ods",))
ODP = Kind("an OpenDocument presentation", f"{ODF}presentation", ("odp",))
KINDS = (PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, ODP)
BY_EXTENSION = {ext: kind for kind in KINDS for ext in kind.extensions}

# What the upload field's ``accept`` offers (a hint to the browser only).
ACCEPT = ",".join(f".{ext}" for kind in KINDS for ext in kind.extensions)
TAKEN = "a PDF, a Word, Excel or PowerPoint file (.docx, .xlsx, .pptx), an "
TAKEN += "OpenDocument file (.odt, .ods, .odp), or a PNG or JPEG image"

OOXML_PARTS = (
    ("word/document.xml", DOCX),
    ("xl/workbook.xml", XLSX),
    ("ppt/presentation.xml", PPTX),
)
ODF_TYPES = {kind.content_type: kind for kind in (ODT, ODS, ODP)}
ZIP_MAX_MEMBERS = 5_000
ZIP_MAX_UNPACKED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 200  # a member that unpacks to over 200 × its packed size


@dataclass(frozen=True)
class CheckedEvidence:
    kind: Kind
    name: str  # safe, with the kind's extension
    size: int

    @property
    def extension(self) -> str:
        return self.kind.extensions[0]


def megabytes(size: int) -> str:
    """A size as people read it: "10 MB", "12.5 MB", "20 kB"."""
    if size < 1024 * 1024:
        return f"{-(-size // 1024)} kB"
    text = f"{size / (1024 * 1024):.1f}".removesuffix(".0")
    return f"{text} MB"


def safe_stem(name: str) -> str:
    """The uploaded name without folders, control characters or anything but
    letters, digits, spaces and ``_-.,()``; at most 100 characters."""
    name = unicodedata.normalize("NFKC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    stem = re.sub(r"[^\w\s().,-]", "_", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" ._-")
    return stem[:100].strip(" ._-") or "evidence"


def _name_extension(name: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base.lstrip(".") else ""


def _zip_kind(upload, shown: str) -> Kind | None:
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError(
            f"“{shown}” looks like an Office or OpenDocument file but is damaged: "
            "save it again and choose the new copy."
        ) from error
    unpacked = sum(m.file_size for m in members)
    bomb = any(
        m.file_size > 1024 * 1024
        and m.file_size > ZIP_MAX_RATIO * max(m.compress_size, 1)
        for m in members
    )
    if len(members) > ZIP_MAX_MEMBERS or unpacked > ZIP_MAX_UNPACKED or bomb:
        raise ValidationError(
            f"“{shown}” unpacks to far more than its size "
            f"({megabytes(unpacked)}), so it cannot be checked safely: save it "
            "again as a normal document and choose that."
        )
    names = {m.filename for m in members}
    if any(
        n.startswith(("/", "\\")) or ".." in n.replace("\\", "/").split("/")
        for n in names
    ):
        raise ValidationError(
            f"“{shown}” holds files named outside itself, which a real document "
            "never does: choose another copy."
        )
    if "[Content_Types].xml" in names:
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise ValidationError(
                f"“{shown}” contains macros: save it without macros (.docx, "
                ".xlsx or .pptx) and choose that copy."
            )
        for part, kind in OOXML_PARTS:
            if part in names:
                return kind
        return None
    first = members[0] if members else None
    if first is not None and first.filename == "mimetype" and first.file_size <= 100:
        mimetype = archive.read(first).decode("ascii", "replace").strip()
        return ODF_TYPES.get(mimetype)
    return None


def content_kind(upload, shown: str) -> Kind | None:
    """The kind of file ``upload`` holds, from its content; None if none of ours."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload, shown)
    return None


def evidence_check(upload, *, max_bytes: int) -> CheckedEvidence:
    """Check one uploaded file (any file-like object with ``name``, ``size``,
    ``read`` and ``seek``): not empty, at most ``max_bytes``, its content one
    of the kinds we take (``KINDS``), and its name's extension, if it has one
    of ours, the same kind as its content."""
    original = getattr(upload, "name", "") or ""
    stem = safe_stem(original)
    extension = _name_extension(original)
    shown = f"{stem}.{extension}" if extension else stem
    size = upload.size
    if not size:
        raise ValidationError(f"“{shown}” is empty: choose the file with the evidence.")
    if size > max_bytes:
        raise ValidationError(
            f"“{shown}” is {megabytes(size)}: each evidence file must be "
            f"{megabytes(max_bytes)} or smaller."
        )
    kind = content_kind(upload, shown)
    if kind is None:
        claimed = BY_EXTENSION.get(extension)
        said = f"is named as {claimed.label} but " if claimed else ""
        raise ValidationError(
            f"“{shown}” {said}is not a type of file the site takes, whatever its "
            f"name says: choose {TAKEN}."
        )
    if extension and extension not in kind.extensions:
        claimed = BY_EXTENSION.get(extension)
        said = f"named as {claimed.label}" if claimed else f"named .{extension}"
        raise ValidationError(
            f"“{shown}” is {said} but its content is {kind.label}: rename it to "
            f"end .{kind.extensions[0]}, or choose the right file."
        )
    kept = extension if extension in kind.extensions else kind.extensions[0]
    return CheckedEvidence(kind=kind, name=f"{stem}.{kept}", size=size)
