"""Whether an institution is open, read in one place.

Institutions have ``is_active`` today; a ``status`` field (open / under renovation / closed) is
being added to the institutions app. Both are read here, so the switch needs no other change:
when ``status`` exists it decides, and only ``closed`` stops an institution from providing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from opora.institutions.models import Institution

CLOSED = "closed"


def _has_status() -> bool:
    return any(field.name == "status" for field in Institution._meta.concrete_fields)


def is_closed(institution: Any) -> bool:
    if _has_status():
        return getattr(institution, "status", None) == CLOSED
    return not institution.is_active


def open_institutions(prefix: str = "") -> Q:
    """A filter keeping rows whose institution (reached through ``prefix``) is not closed."""
    if _has_status():
        return ~Q(**{f"{prefix}status": CLOSED})
    return Q(**{f"{prefix}is_active": True})
