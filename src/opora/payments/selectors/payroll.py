"""Payrolls (no personal data: the analyst reads them too), their lines (personal: the
accountants and administrators), the totals of a payroll by status and channel, and the
worklist of payments returned by the bank or not sent, for the person's institution."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from opora.core.actors import Actor
from opora.core.scoping import Reach, Scope

from ..models import WORKLIST, LineStatus, Payroll, PayrollLine, ReturnFile
from ..scoping import is_accountant
from ..scoping import rows as scoped_rows

__all__ = [
    "line_get",
    "payroll_get",
    "payroll_lines",
    "payroll_totals",
    "payrolls",
    "return_files",
    "worklist",
    "worklist_line_get",
]


def payrolls(*, actor: Actor, month: Any = None, status: str = "") -> QuerySet[Payroll]:
    # A payroll is the department's: its accountants, administrators and the analyst read it;
    # the staff of institutions read none.
    qs = Payroll.objects.all()
    if not is_accountant(actor) and Scope.of(actor).reach not in (Reach.ALL, Reach.AGGREGATES):
        qs = qs.none()
    if month:
        qs = qs.filter(month=month)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("generated_by", "approved_by").order_by("-month", "-number")


def payroll_get(*, actor: Actor, pk: int) -> Payroll:
    return get_object_or_404(payrolls(actor=actor), pk=pk)


def payroll_lines(
    *,
    actor: Actor,
    payroll: Payroll,
    status: str = "",
    channel: str = "",
    problem: str = "",
    q: str = "",
) -> QuerySet[PayrollLine]:
    qs = scoped_rows(actor, PayrollLine.objects.filter(payroll=payroll), via="institution")
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if problem:
        qs = qs.filter(problem=problem)
    text = q.strip().lstrip("№ ")
    if text.isdigit():
        qs = qs.filter(pk=int(text))
    elif text:
        qs = qs.filter(person__last_name__icontains=text)
    return qs.select_related("person", "measure", "details").order_by("pk")


def line_get(*, actor: Actor, pk: int) -> PayrollLine:
    qs = scoped_rows(actor, PayrollLine.objects.all(), via="institution")
    return get_object_or_404(qs.select_related("person", "measure", "payroll", "details"), pk=pk)


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def payroll_totals(*, actor: Actor, payroll: Payroll) -> dict[str, Any]:
    """Counts and sums of the payroll's lines by status (the analyst's view of it too)."""
    qs = PayrollLine.objects.filter(payroll=payroll)
    by_status = {
        row["status"]: {"count": row["count"], "amount": _money(row["amount"])}
        for row in qs.values("status").annotate(count=Count("pk"), amount=Sum("net"))
    }
    zero = {"count": 0, "amount": _money(0)}
    exported = by_status.get(LineStatus.EXPORTED, zero)
    totals: dict[str, Any] = {
        "by_status": [
            {"status": status, "label": label, **by_status.get(status, zero)}
            for status, label in LineStatus.choices
        ],
        "paid": by_status.get(LineStatus.PAID, zero),
        "returned": by_status.get(LineStatus.RETURNED, zero),
        "unmatched": exported,  # sent, and no return file has said yet what became of it
        "held": by_status.get(LineStatus.HELD, zero),
        "pending": by_status.get(LineStatus.PENDING, zero),
        "all": {
            "count": sum(row["count"] for row in by_status.values()),
            "amount": _money(sum((row["amount"] for row in by_status.values()), Decimal("0"))),
        },
    }
    sums = qs.aggregate(gross_total=Sum("gross"), deduction_total=Sum("deduction"))
    totals["gross"] = _money(sums["gross_total"])
    totals["offset"] = _money(sums["deduction_total"])
    return totals


def worklist(*, actor: Actor, status: str = "", q: str = "") -> QuerySet[PayrollLine]:
    """Payments returned by the bank or never sent (no valid details), not yet re-issued."""
    qs = scoped_rows(actor, PayrollLine.objects.filter(status__in=WORKLIST), via="institution")
    if status:
        qs = qs.filter(status=status)
    text = q.strip()
    if text:
        qs = qs.filter(person__last_name__icontains=text)
    return qs.select_related("person", "measure", "payroll", "institution").order_by("-pk")


def worklist_line_get(*, actor: Actor, pk: int) -> PayrollLine:
    return get_object_or_404(worklist(actor=actor), pk=pk)


def return_files(*, actor: Actor, payroll: Payroll) -> QuerySet[ReturnFile]:
    return payroll.return_files.select_related("imported_by").order_by("-created_at", "-pk")
