"""What the payroll reads of targeted assistance: the assignments payable in a month, with the
days of the month they cover, and the open overpayments with what remains of them.

The payroll is the department's finance work, so an accountant reads every institution's
assignments here; anyone else reads through their scope. The querysets are meant to be
compiled (``qs.query.sql_with_params()``) into the payroll's ``INSERT … SELECT``: every column
they annotate is computed by the database.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db.models import (
    Case,
    DateField,
    DecimalField,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from opora.core.actors import Actor, is_system, require_actor
from opora.core.roles import Role
from opora.core.scoping import Scope

from ..models import (
    Assignment,
    AssignmentStatus,
    MeasureVersion,
    Overpayment,
    OverpaymentStatus,
    Periodicity,
)

__all__ = [
    "DaysBetween",
    "assignments_payable",
    "month_bounds",
    "open_overpayments",
    "version_bounds",
]

# Suspended and terminated assignments are not paid; one whose period ended is paid for the days
# of the month up to its end.
PAYABLE_STATUSES = (AssignmentStatus.ACTIVE, AssignmentStatus.ENDED)


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


class DaysBetween(Func):
    """Whole days from the second date to the first (a dialect switch: PostgreSQL subtracts
    dates, SQLite subtracts Julian day numbers)."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        if connection.vendor == "postgresql":
            return f"(({end})::date - ({start})::date)", [*end_params, *start_params]
        return (
            f"CAST(julianday({end}) - julianday({start}) AS INTEGER)",
            [*end_params, *start_params],
        )


def _rows(actor: Actor, qs: QuerySet) -> QuerySet:
    require_actor(actor)
    if not is_system(actor) and getattr(actor, "role", "") == Role.ACCOUNTANT:
        return qs if actor.is_active else qs.none()
    return Scope.of(actor).rows(qs, via="institution")


def assignments_payable(*, actor: Actor, month: dt.date) -> QuerySet[Assignment]:
    """The assignments that make a payment due in ``month``: a monthly one in force on one of
    its days (``days`` of the month's ``month_days`` covered), a yearly or one-time one in the
    month it starts (the whole amount: ``days`` = ``month_days``). Annotated ``period_from``,
    ``period_to``, ``days``, ``month_days`` and ``periodicity``."""
    first, last = month_bounds(month)
    month_days = (last - first).days + 1
    monthly = Q(version__periodicity=Periodicity.MONTHLY, starts_on__lte=last) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=first)
    )
    once = Q(
        version__periodicity__in=[Periodicity.YEARLY, Periodicity.ONE_TIME],
        starts_on__gte=first,
        starts_on__lte=last,
    )
    first_value = Value(first, output_field=DateField())
    last_value = Value(last, output_field=DateField())
    qs = Assignment.objects.filter(monthly | once, status__in=PAYABLE_STATUSES)
    return (
        _rows(actor, qs)
        .annotate(
            periodicity=F("version__periodicity"),
            period_from=Greatest(F("starts_on"), first_value, output_field=DateField()),
            period_to=Least(
                Coalesce(F("ends_on"), last_value), last_value, output_field=DateField()
            ),
        )
        .annotate(
            month_days=Value(month_days, output_field=IntegerField()),
            days=Case(
                When(
                    version__periodicity=Periodicity.MONTHLY,
                    then=DaysBetween(F("period_to"), F("period_from")) + 1,
                ),
                default=Value(month_days),
                output_field=IntegerField(),
            ),
        )
    )


def open_overpayments(*, actor: Actor, recovered: Any = None) -> QuerySet[Overpayment]:
    """Open overpayments, annotated ``remaining``: the amount less ``recovered`` (an expression
    over the overpayment row the caller keeps, such as the offsets of its payments)."""
    qs = Overpayment.objects.filter(status=OverpaymentStatus.OPEN)
    require_actor(actor)
    if not is_system(actor) and getattr(actor, "role", "") == Role.ACCOUNTANT:
        scoped: Any = qs if actor.is_active else qs.none()
    else:
        scoped = Scope.of(actor).rows(qs, via="assignment__institution")
    money = DecimalField(max_digits=12, decimal_places=2)
    taken = Coalesce(recovered, Value(0), output_field=money) if recovered is not None else Value(0)
    return scoped.annotate(remaining=F("amount") - taken)


def version_bounds() -> QuerySet[MeasureVersion, Any]:
    """Every version's smallest and largest amount (``id``, ``amount_floor``,
    ``amount_ceiling``): a measure's versions are published policy, not personal data."""
    return MeasureVersion.objects.values("id", "amount_floor", "amount_ceiling").order_by()
