"""What the payments services share: who may act on a payroll, its makers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import DomainError
from opora.core.permissions import has_permission

from ..access import PAYROLL_APPROVE, PAYROLL_MANAGE
from ..models import Payroll


def require_finance(actor: Actor, code: str = PAYROLL_MANAGE) -> None:
    if not has_permission(actor, code):
        raise DomainError(
            "forbidden", _("Only the department's accountants make payrolls."), status=403
        )


def require_approver(actor: Actor) -> None:
    require_finance(actor, PAYROLL_APPROVE)


def add_maker(payroll: Payroll, actor: Actor) -> None:
    user = audit.acting_user(actor)
    if user is not None and user.pk not in payroll.makers:
        payroll.makers = [*payroll.makers, user.pk]
    if payroll.generated_by_id is None and user is not None:
        payroll.generated_by = user


def locked(payroll: Payroll) -> Payroll:
    return Payroll.objects.select_for_update().get(pk=payroll.pk)


def money(value: Any) -> str:
    return format(value, "f")
