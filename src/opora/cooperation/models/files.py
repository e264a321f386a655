"""Where the files of cooperation are stored: the uploads of agreements, events and letters."""

from __future__ import annotations

from django.db import models


def stored_file_path(instance: models.Model, filename: str) -> str:
    # The services pass a random name with the extension of the detected type, never the
    # uploaded one; the folder only groups the files by what they belong to.
    return f"cooperation/{instance._meta.model_name}/{filename}"
