"""What an uploaded file of a case really is: the shared detection of ``opora.core.uploads``,
limited to the scans and documents a case accepts."""

from __future__ import annotations

from opora.core.uploads import SCANS, FileType
from opora.core.uploads import detected_type as _detected_type


def detected_type(head: bytes) -> FileType | None:
    found = _detected_type(head)
    return found if found is not None and found.kind in SCANS else None
