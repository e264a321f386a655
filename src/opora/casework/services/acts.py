"""The monthly act of the services delivered in a month, with their cost and the fee."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, validated

from .. import audit_actions as actions
from ..models import Case, ServiceAct
from ..selectors import act_figures, month_start
from .common import _locked, _require_case, _today

__all__ = ["act_issue"]


@transaction.atomic
def act_issue(*, actor: Actor, case: Case, month: dt.date) -> ServiceAct:
    """The act of services delivered in a month, once per month, for a month begun."""
    _require_case(actor, case)
    case = _locked(case)
    first = month_start(month)
    if first > month_start(_today()):
        raise DomainError(
            "month_not_begun",
            _("An act is issued for a month that has begun."),
            details={"month": [_("Choose this month or an earlier one.")]},
        )
    if ServiceAct.objects.filter(case=case, month=first).exists():
        raise Conflict(
            "act_exists",
            _("The act for %(month)s is already issued.") % {"month": first.strftime("%m.%Y")},
            details={"month": [_("Already issued.")]},
        )
    figures = act_figures(case, first)
    if figures.programme is None:
        raise Conflict(
            "no_programme_that_month",
            _("No programme was in force in %(month)s.") % {"month": first.strftime("%m.%Y")},
            details={"month": [_("Choose a month with an agreed programme.")]},
        )
    if not figures.deliveries:
        raise Conflict(
            "nothing_delivered",
            _("No service was delivered in %(month)s.") % {"month": first.strftime("%m.%Y")},
            details={"month": [_("Choose a month with delivered services.")]},
        )
    act = ServiceAct(
        case=case,
        programme=figures.programme,
        month=first,
        cost=figures.cost,
        fee=figures.fee,
        deliveries=len(figures.deliveries),
        issued_on=_today(),
        issued_by=audit.acting_user(actor),
    )
    validated(act).save()
    audit.record(
        actor=actor,
        action=actions.ACT_ISSUED,
        obj=case,
        data={"month": first.strftime("%m.%Y"), "cost": act.cost, "fee": act.fee, "act": act.pk},
    )
    return act
