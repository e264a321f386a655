"""The checks every casework service shares: the actor's institution, the case in her scope, the
dates of a step, the lock of the case row, a closed case."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, NotFound
from opora.core.scoping import Reach, Scope
from opora.institutions.models import Institution

from ..models import Case, CaseStatus

__all__ = ["ONE_DAY", "require_institution"]

ONE_DAY = dt.timedelta(days=1)


def _today() -> dt.date:
    return timezone.localdate()


def require_institution(actor: Actor, institution: Institution) -> None:
    """The actor works at ``institution`` (the system and administrators everywhere)."""
    scope = Scope.of(actor)
    if scope.reach is Reach.ALL:
        return
    if scope.reach is Reach.INSTITUTIONS and institution.pk in scope.institution_ids:
        return
    raise DomainError(
        "not_your_institution",
        _("You do not work at %(institution)s.") % {"institution": institution},
        details={"institution": [_("Choose one of your institutions.")]},
        status=403,
    )


def _require_case(actor: Actor, case: Case) -> None:
    """A case outside the actor's institutions does not exist for her."""
    try:
        require_institution(actor, case.institution)
    except DomainError as exc:
        raise NotFound("not_found", _("No such case.")) from exc


def _not_future(day: dt.date, field: str) -> None:
    if day > _today():
        raise DomainError(
            "date_in_future",
            _("The date %(date)s is in the future.") % {"date": day.strftime("%d.%m.%Y")},
            details={field: [_("Enter today or an earlier day.")]},
        )


def _not_before(day: dt.date, earliest: dt.date, field: str, message: str) -> None:
    if day < earliest:
        raise DomainError("date_too_early", message, details={field: [message]})


def _locked(case: Case) -> Case:
    """The case row, locked for this transaction: two steps of one case never interleave."""
    return Case.objects.select_for_update().select_related("institution").get(pk=case.pk)


def _refuse_closed(case: Case, field: str = "__all__") -> None:
    if case.status == CaseStatus.CLOSED:
        raise Conflict(
            "case_closed",
            _("The case %(number)s is closed: nothing more can be recorded in it.")
            % {"number": case.number},
            details={field: [_("The case is closed.")]},
        )
