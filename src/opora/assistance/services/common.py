"""The checks every assistance service shares: who may act, the object in the actor's scope,
the dates of a step, months added to a date."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from opora.casework.services import require_institution
from opora.core.actors import Actor
from opora.core.errors import DomainError, NotFound
from opora.core.permissions import has_permission

from ..access import MEASURE_MANAGE

__all__ = ["add_months"]

ONE_DAY = dt.timedelta(days=1)


def today() -> dt.date:
    return timezone.localdate()


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months; a day the target month lacks becomes its last day
    (31 January + 1 month = 28 or 29 February), as the Civil Code counts periods in months."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def require_manage(actor: Actor) -> None:
    if not has_permission(actor, MEASURE_MANAGE):
        raise DomainError(
            "forbidden",
            _("Only analysts and administrators change the measures of social support."),
            status=403,
        )


def require_in_scope(actor: Actor, institution: Any, message: Any) -> None:
    """An object of an institution outside the actor's scope does not exist for her."""
    try:
        require_institution(actor, institution)
    except DomainError as exc:
        raise NotFound("not_found", message) from exc


def not_future(day: dt.date, field: str) -> None:
    if day > today():
        raise DomainError(
            "date_in_future",
            _("The date %(date)s is in the future.") % {"date": day.strftime("%d.%m.%Y")},
            details={field: [_("Enter today or an earlier day.")]},
        )


def not_before(day: dt.date, earliest: dt.date, field: str, message: Any) -> None:
    if day < earliest:
        raise DomainError("date_too_early", message, details={field: [message]})


def required_text(value: str, field: str, message: Any) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise DomainError("required", message, details={field: [_("This field is required.")]})
    return text
