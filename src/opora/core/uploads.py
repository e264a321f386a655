"""What an uploaded file really is, read from its content: the name and the type the browser
sends are the uploader's claims, not facts. Each app says which kinds it accepts; ``checked``
refuses anything else, empty or too large, before a byte is stored."""

from __future__ import annotations

import hashlib
import secrets
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .errors import DomainError


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str
    extension: str


PDF = FileType("pdf", "application/pdf", "pdf")
JPEG = FileType("jpeg", "image/jpeg", "jpg")
PNG = FileType("png", "image/png", "png")
WEBP = FileType("webp", "image/webp", "webp")
DOCX = FileType(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
)
ODT = FileType("odt", "application/vnd.oasis.opendocument.text", "odt")
TEXT = FileType("text", "text/plain", "txt")

# Scans and documents only: nothing executable or active (no HTML, SVG, macros-enabled formats).
SCANS = frozenset({"pdf", "jpeg", "png"})
IMAGES = frozenset({"jpeg", "png", "webp"})
DOCUMENTS = frozenset({"pdf", "docx", "odt", "text"})

_PREFIXES = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
_ZIP = b"PK\x03\x04"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Plain text is only recognised from this much of its start; the whole file is read for it.
_TEXT_LIMIT = 5 * 1024 * 1024


def detected_type(head: bytes) -> FileType | None:
    """The type told by the first bytes alone: PDF, JPEG, PNG, WebP (no zip or text)."""
    for signature, file_type in _PREFIXES:
        if head.startswith(signature):
            return file_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def _office_type(content: Any) -> FileType | None:
    """A DOCX has ``[Content_Types].xml`` and a ``word/`` part; an ODT starts with an
    uncompressed ``mimetype`` entry naming OpenDocument text."""
    try:
        with zipfile.ZipFile(content) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                if archive.read("mimetype").strip() == _ODT_MIMETYPE:
                    return ODT
                return None
            if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, RuntimeError):
        return None
    return None


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    # Control characters other than tab, newline, carriage return and form feed mean binary.
    return not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)


def sniff(upload: Any, allowed: Iterable[str]) -> FileType | None:
    """The type of ``upload`` among the ``allowed`` kinds, or None; the file is left at 0."""
    allowed = frozenset(allowed)
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    found = detected_type(head)
    if found is not None:
        return found if found.kind in allowed else None
    if head.startswith(_ZIP) and allowed & {"docx", "odt"}:
        found = _office_type(upload)
        upload.seek(0)
        return found if found is not None and found.kind in allowed else None
    if "text" in allowed and (getattr(upload, "size", 0) or 0) <= _TEXT_LIMIT:
        data = upload.read()
        upload.seek(0)
        if data and _is_text(data):
            return TEXT
    return None


@dataclass(frozen=True)
class CheckedUpload:
    file_type: FileType
    stored_name: str
    original_name: str
    size: int
    sha256: str

    @property
    def content_type(self) -> str:
        return self.file_type.content_type


def _names(kinds: Iterable[str]) -> str:
    labels = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG", "webp": "WebP", "docx": "DOCX"}
    labels |= {"odt": "ODT", "text": _("plain text")}
    return ", ".join(labels.get(kind, kind) for kind in sorted(kinds))


def checked(
    upload: Any, *, allowed: Iterable[str], max_bytes: int, field: str = "file"
) -> CheckedUpload:
    """The facts of an acceptable upload, with a random name to store it under; refused with
    ``file_empty``, ``file_too_large`` or ``file_type_refused`` otherwise."""
    allowed = frozenset(allowed)
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise DomainError(
            "file_empty", _("The file is empty."), details={field: [_("Choose a file.")]}
        )
    if size > max_bytes:
        raise DomainError(
            "file_too_large",
            _("The file is %(size)s MB; the largest accepted is %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{max_bytes / 1048576:.0f}"},
            details={field: [_("Choose a smaller file.")]},
        )
    found = sniff(upload, allowed)
    if found is None:
        raise DomainError(
            "file_type_refused",
            _("This file is not of an accepted type (%(kinds)s).") % {"kinds": _names(allowed)},
            details={field: [_("Save the document in one of the accepted formats.")]},
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    stored_name = f"{secrets.token_hex(16)}.{found.extension}"
    original_name = (getattr(upload, "name", "") or stored_name).rsplit("/", 1)[-1][-255:]
    return CheckedUpload(
        file_type=found,
        stored_name=stored_name,
        original_name=original_name,
        size=size,
        sha256=digest.hexdigest(),
    )
