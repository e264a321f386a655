"""What an uploaded file really is, read from its first bytes: the name and the type the
browser sends are the uploader's claims, not facts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str


# Signatures of the formats a case accepts: scans and documents, nothing executable or active.
SIGNATURES = (
    (b"%PDF-", FileType("application/pdf", "pdf")),
    (b"\xff\xd8\xff", FileType("image/jpeg", "jpg")),
    (b"\x89PNG\r\n\x1a\n", FileType("image/png", "png")),
)


def detected_type(head: bytes) -> FileType | None:
    for signature, file_type in SIGNATURES:
        if head.startswith(signature):
            return file_type
    return None
