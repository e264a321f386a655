"""The household of a person on a day, as the rule language counts it: the membership with
``joined_on`` ≤ day < ``left_on`` (an open end counts as open)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from opora.registry.models import HouseholdMember

__all__ = ["household_fingerprint", "household_of", "member_on"]


def member_on(day: dt.date) -> Q:
    """Memberships that hold on ``day``."""
    return (Q(joined_on__isnull=True) | Q(joined_on__lte=day)) & (
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )


def household_of(person_id: int, on: dt.date) -> int | None:
    """The household ``person_id`` belongs to on ``on`` (the latest joined, should the registry
    hold two), or None."""
    return (
        HouseholdMember.objects.filter(member_on(on), person_id=person_id)
        .order_by("-joined_on", "-pk")
        .values_list("household_id", flat=True)
        .first()
    )


def household_fingerprint(person_id: int, on: dt.date) -> dict[str, Any]:
    """Who the evaluation of ``person_id`` on ``on`` counts: her household and its members. Two
    fingerprints that differ mean a member joined or left in between."""
    household = household_of(person_id, on)
    if household is None:
        return {"household": None, "members": []}
    members = (
        HouseholdMember.objects.filter(member_on(on), household_id=household)
        .values_list("person_id", flat=True)
        .distinct()
    )
    return {"household": household, "members": sorted(members)}
