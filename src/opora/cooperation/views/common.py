"""What the cooperation pages share: the download of a stored file. Form pages, with or without
files, are ``core.forms.form_page``."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404


def stored_file(found: Any, *, name: str = "", content_type: str = "") -> FileResponse:
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name or getattr(found, "original_name", "") or "file",
        content_type=content_type or getattr(found, "content_type", "") or None,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
