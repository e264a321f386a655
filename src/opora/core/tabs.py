"""Tabs of an object page: each page names its tabs; History is the same everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from .audit import sentence
from .selectors import audit_for_object

HISTORY_LIMIT = 200


@dataclass(frozen=True)
class Tab:
    key: str
    label: Any


OVERVIEW = Tab("overview", _("Overview"))
HISTORY = Tab("history", _("History"))


def chosen_tab(request: Any, tabs: list[Tab]) -> str:
    keys = [tab.key for tab in tabs]
    requested = request.GET.get("tab", keys[0])
    return requested if requested in keys else keys[0]


def history_rows(obj: Model) -> list[dict[str, Any]]:
    """The object's audit entries as sentences, newest first, for the History tab."""
    return [
        {"entry": entry, "sentence": sentence(entry)}
        for entry in audit_for_object(obj=obj)[:HISTORY_LIMIT]
    ]
