"""The checks every employment service shares: the service point in the actor's scope, dates,
texts and lists of choices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core.actors import Actor
from opora.core.errors import DomainError, NotFound
from opora.core.scoping import Reach, Scope

from ..models import ServicePoint


def today() -> dt.date:
    return timezone.localdate()


def require_point(actor: Actor, point: ServicePoint) -> None:
    """A service point outside the actor's institutions does not exist for her."""
    scope = Scope.of(actor)
    if scope.reach is Reach.ALL:
        return
    if scope.reach is Reach.INSTITUTIONS and point.pk in scope.institution_ids:
        return
    raise NotFound("not_found", _("No such employment service point in your scope."))


def not_future(day: dt.date, field: str) -> None:
    if day > today():
        message = _("Enter today or an earlier day.")
        raise DomainError(
            "date_in_future",
            _("The date %(date)s is in the future.") % {"date": day.strftime("%d.%m.%Y")},
            details={field: [message]},
        )


def not_before(day: dt.date, earliest: dt.date, field: str) -> None:
    if day < earliest:
        message = _("Must be on or after %(date)s.") % {"date": earliest.strftime("%d.%m.%Y")}
        raise DomainError("date_too_early", message, details={field: [message]})


def required_text(value: str, field: str, message: Any) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise DomainError("required", message, details={field: [_("This field is required.")]})
    return text


def choice_list(values: Iterable[str], choices: Any, field: str) -> list[str]:
    """The codes of ``values``, each once and in order, if all are among ``choices``."""
    codes = list(dict.fromkeys(values))
    unknown = [code for code in codes if code not in choices.values]
    if unknown:
        message = _("Unknown values: %(values)s.") % {"values": ", ".join(map(str, unknown))}
        raise DomainError("invalid_choice", message, details={field: [message]})
    return codes


def text_list(values: Iterable[str], field: str, *, longest: int = 100) -> list[str]:
    """Short texts without blanks or repeats (repeats compared ignoring case)."""
    seen: dict[str, str] = {}
    for value in values:
        text = " ".join(str(value).split())
        if len(text) > longest:
            message = _("Each entry has at most %(count)d characters.") % {"count": longest}
            raise DomainError("text_too_long", message, details={field: [message]})
        if text:
            seen.setdefault(text.casefold(), text)
    return list(seen.values())


def short_text(value: str, field: str, *, longest: int = 300) -> str:
    if len(value) > longest:
        message = _("At most %(count)d characters.") % {"count": longest}
        raise DomainError("text_too_long", message, details={field: [message]})
    return value
