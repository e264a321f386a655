"""What the areas of the employment API share: the router and the lookups of what a path or a
body names by id (a selector's read; absent or out of scope, a 404 in the caller's language)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core.api_support import Router
from opora.core.errors import DomainError, NotFound
from opora.institutions import selectors as institutions
from opora.institutions.models import District

from .. import selectors

router = Router(tags=["employment"])
T = TypeVar("T")


def found(lookup: Callable[[], T], message: str) -> T:
    try:
        return lookup()
    except Http404:
        raise NotFound("not_found", message) from None


def today_or(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


def refuse_nulls(data: dict[str, Any], nullable: set[str]) -> None:
    """A patch may send null only for what can be empty; the rest, once given, stays."""
    nulls = sorted(name for name, value in data.items() if value is None and name not in nullable)
    if nulls:
        raise DomainError(
            "required_field",
            _("Some fields are not valid."),
            details={name: [_("This field is required.")] for name in nulls},
        )


def district_of(district_id: int | None, field: str = "district_id") -> District | None:
    if district_id is None:
        return None
    try:
        return institutions.district_by_id(district_id)
    except Http404:
        message = _("No such district.")
        raise DomainError("unknown_district", message, details={field: [message]}) from None


def point_of(request, point_id: int, field: str = "service_point_id"):
    try:
        return selectors.service_point_get(actor=request.user, pk=point_id)
    except Http404:
        message = _("No such employment service point in your scope.")
        raise NotFound("not_found", message, details={field: [message]}) from None


def seeker_of(request, seeker_id: int):
    return found(
        lambda: selectors.seeker_get(actor=request.user, pk=seeker_id),
        _("No such job seeker in your scope."),
    )


def employer_of(request, employer_id: int):
    return found(
        lambda: selectors.employer_get(actor=request.user, pk=employer_id),
        _("No such employer in your scope."),
    )


def vacancy_of(request, vacancy_id: int):
    return found(
        lambda: selectors.vacancy_get(actor=request.user, pk=vacancy_id),
        _("No such vacancy in your scope."),
    )


def referral_of(request, referral_id: int):
    return found(
        lambda: selectors.referral_get(actor=request.user, pk=referral_id),
        _("No such referral in your scope."),
    )
