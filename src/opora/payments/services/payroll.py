# ruff: noqa: S608 - statements are built from model tables quoted by the backend and this
# module's constants; every value is a parameter.
"""A payroll checked, approved by a second person, exported; its payment files.

The check is set-based: each line takes the payout details in force on the day of the check
(``UPDATE … FROM``); a line without them, with details that fail their own rules (the account's
check digit, the postal index), with an amount outside its measure's bounds (prorated), or
paying a person twice for one measure and month is held, goes to the worklist and is not
exported. The control totals (count and sum of what is to be paid) are recorded and checked
again at the export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.assistance.selectors.payable import version_bounds
from opora.core import audit
from opora.core.actors import Actor, is_system
from opora.core.errors import Conflict, DomainError, require_choice

from .. import audit_actions as actions
from ..bank import sql_check_digit_ok
from ..models import (
    LIVE,
    LineStatus,
    PayoutChannel,
    PayoutDetails,
    Payroll,
    PayrollLine,
    PayrollStatus,
    Problem,
)
from ..sql import compiled, date_param, execute, fetchall, table
from .common import locked, money, require_approver, require_finance

__all__ = [
    "details_in_force_sql",
    "fence",
    "payment_file_name",
    "payment_file_rows",
    "payroll_approve",
    "payroll_check",
    "payroll_export",
    "payroll_file_download",
]


def fence() -> str:
    """Ends a derived table so that the database computes its columns once per row: a derived
    table with a LIMIT or OFFSET is not merged into the statement around it, which would
    otherwise compute a column (the validity of the payout details, 23 digits weighed) again
    wherever it is named."""
    return " OFFSET 0" if connection.vendor == "postgresql" else " LIMIT -1 OFFSET 0"


def details_in_force_sql(person: str) -> tuple[str, str]:
    """A join giving each row the payout details ``d`` in force on a day for the person in the
    column ``person`` (the latest recorded, should two overlap; two parameters: the day twice):
    the details in force grouped by person once, joined by hashing (a lookup per line would
    cost an index probe each); and the condition "the details ``d`` are valid"."""
    details = table(PayoutDetails)
    join = (
        f"LEFT JOIN (SELECT y.person_id, MAX(y.id) AS did FROM {details} y "
        f"WHERE y.valid_from <= %s AND (y.valid_to IS NULL OR y.valid_to >= %s) "
        f"GROUP BY y.person_id) f ON f.person_id = {person} "
        f"LEFT JOIN {details} d ON d.id = f.did"
    )
    bank_ok = sql_check_digit_ok("d.bik", "d.account", connection.vendor)
    post_ok = (
        "(length(d.postal_index) = 6 AND d.address <> '' AND "
        + (
            "d.postal_index ~ '^[0-9]{6}$'"
            if connection.vendor == "postgresql"
            else "d.postal_index NOT GLOB '*[^0-9]*'"
        )
        + ")"
    )
    valid = (
        f"(CASE WHEN d.channel = 'bank' THEN {bank_ok} WHEN d.channel = 'post' THEN {post_ok} "
        f"ELSE 1 = 0 END)"
    )
    return join, valid


def _check_lines(payroll: Payroll, on: dt.date) -> dict[str, int]:
    lines = table(PayrollLine)
    day = date_param(on)
    join, valid = details_in_force_sql("l.person_id")
    # One pass over the lines to be paid or held: the details in force on the day, the line
    # held when there are none or they fail their rules, or to be paid (a line held before for
    # its bounds or as a duplicate is looked at again by the passes below). Only lines whose
    # outcome changed are written (generation already gave each line its details); the
    # details' validity is computed once per line, behind the fence.
    execute(
        f"UPDATE {lines} SET details_id = s.details_id, channel = s.channel, "
        f"status = CASE WHEN s.problem = '' THEN 'pending' ELSE 'held' END, problem = s.problem "
        f"FROM (SELECT l.id AS line_id, d.id AS details_id, COALESCE(d.channel, '') AS channel, "
        f"CASE WHEN d.id IS NULL THEN %s WHEN {valid} THEN '' ELSE %s END AS problem "
        f"FROM {lines} l {join} "
        f"WHERE l.payroll_id = %s AND l.status IN ('pending', 'held'){fence()}) s "
        f"WHERE {lines}.id = s.line_id AND (COALESCE({lines}.details_id, 0) "
        f"<> COALESCE(s.details_id, 0) OR {lines}.problem <> s.problem)",
        [Problem.NO_DETAILS, Problem.INVALID_DETAILS, day, day, payroll.pk],
    )
    by_problem = dict(
        PayrollLine.objects.filter(payroll=payroll, status=LineStatus.HELD)
        .values_list("problem")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found: dict[str, int] = {
        problem: by_problem.get(problem, 0)
        for problem in (Problem.NO_DETAILS, Problem.INVALID_DETAILS)
    }
    bounds_sql, bounds_params = compiled(
        version_bounds().filter(Q(amount_floor__isnull=False) | Q(amount_ceiling__isnull=False))
    )
    found[Problem.OUT_OF_BOUNDS] = execute(
        f"UPDATE {lines} SET status = 'held', problem = %s FROM ({bounds_sql}) v "
        f"WHERE v.id = {lines}.version_id AND {lines}.payroll_id = %s "
        f"AND {lines}.status = 'pending' AND ("
        f"(v.amount_floor IS NOT NULL AND {lines}.gross * {lines}.month_days "
        f"< v.amount_floor * {lines}.days - 0.01 * {lines}.month_days) OR "
        f"(v.amount_ceiling IS NOT NULL AND {lines}.gross * {lines}.month_days "
        f"> v.amount_ceiling * {lines}.days + 0.01 * {lines}.month_days))",
        [Problem.OUT_OF_BOUNDS, *bounds_params, payroll.pk],
    )
    # Set-based: the paying lines grouped by person, measure and month (of this payroll's
    # months); every line of a group after its first is held.
    paying = ", ".join(f"'{s}'" for s in LIVE if s != LineStatus.HELD)
    found[Problem.DUPLICATE] = execute(
        f"UPDATE {lines} SET status = 'held', problem = %s WHERE payroll_id = %s "
        f"AND status = 'pending' AND id IN (SELECT l.id FROM {lines} l JOIN ("
        f"SELECT person_id, measure_id, month, MIN(id) AS first_id FROM {lines} "
        f"WHERE status IN ({paying}) AND month IN "
        f"(SELECT DISTINCT month FROM {lines} WHERE payroll_id = %s) "
        f"GROUP BY person_id, measure_id, month HAVING COUNT(*) > 1) g "
        f"ON g.person_id = l.person_id AND g.measure_id = l.measure_id AND g.month = l.month "
        f"WHERE l.payroll_id = %s AND l.id > g.first_id)",
        [Problem.DUPLICATE, payroll.pk, payroll.pk, payroll.pk],
    )
    return found


def duplicates_left(payroll: Payroll) -> int:
    """The check query: people paid (or to be paid) twice for one measure and month, among the
    months of this payroll. Zero after the check, always (the check holds the later line)."""
    lines = table(PayrollLine)
    paying = ", ".join(f"'{s}'" for s in LIVE if s != LineStatus.HELD)
    rows = fetchall(
        f"SELECT COUNT(*) FROM (SELECT l.person_id FROM {lines} l "
        f"WHERE l.status IN ({paying}) AND l.month IN "
        f"(SELECT DISTINCT month FROM {lines} WHERE payroll_id = %s) "
        f"GROUP BY l.person_id, l.measure_id, l.month HAVING COUNT(*) > 1) t",
        [payroll.pk],
    )
    return int(rows[0][0])


def _control(payroll: Payroll, status: str = LineStatus.PENDING) -> tuple[int, Decimal]:
    return _controls(payroll).get(status, (0, Decimal("0.00")))


def _controls(payroll: Payroll) -> dict[str, tuple[int, Decimal]]:
    """The count and sum of the payroll's lines of each status, in one pass."""
    rows = (
        PayrollLine.objects.filter(payroll=payroll)
        .values_list("status")
        .annotate(count=Count("pk"), total=Sum("net"))
        .order_by()
    )
    return {
        status: (count, Decimal(total or 0).quantize(Decimal("0.01")))
        for status, count, total in rows
    }


@transaction.atomic
def payroll_check(*, actor: Actor, payroll: Payroll, on: dt.date | None = None) -> Payroll:
    """Check a generated (or checked) payroll again: payout details, bounds, duplicates,
    control totals. Its lines not held may then be approved."""
    require_finance(actor)
    payroll = locked(payroll)
    if payroll.status not in (PayrollStatus.DRAFT, PayrollStatus.CHECKED):
        raise Conflict(
            "payroll_not_open",
            _("The payroll is %(status)s; it is no longer checked.")
            % {"status": payroll.get_status_display()},
        )
    day = on or timezone.localdate()
    held = _check_lines(payroll, day)
    controls = _controls(payroll)
    nothing = (0, Decimal("0.00"))
    count, total = controls.get(LineStatus.PENDING, nothing)
    held_count, held_total = controls.get(LineStatus.HELD, nothing)
    duplicates = duplicates_left(payroll)
    payroll.checks = [
        {"code": "control_totals", "ok": True, "count": count, "amount": money(total)},
        {"code": "held", "ok": True, "count": held_count, "amount": money(held_total)},
        *({"code": str(problem), "ok": True, "count": number} for problem, number in held.items()),
        {"code": "duplicates_left", "ok": duplicates == 0, "count": duplicates},
    ]
    payroll.control_count = count
    payroll.control_total = total
    payroll.checked_at = timezone.now()
    payroll.status = PayrollStatus.CHECKED
    payroll.save()
    audit.record(
        actor=actor,
        action=actions.PAYROLL_CHECKED,
        obj=payroll,
        data={"count": count, "total": total, "held": held_count, "on": day},
    )
    return payroll


@transaction.atomic
def payroll_approve(*, actor: Actor, payroll: Payroll) -> Payroll:
    """The second person's approval: whoever generated lines into the payroll cannot give it."""
    require_approver(actor)
    payroll = locked(payroll)
    user = audit.acting_user(actor)
    if user is not None and user.pk in payroll.makers:
        raise DomainError(
            "maker_cannot_approve",
            _("You generated this payroll; another accountant must approve it."),
            status=403,
        )
    if payroll.status != PayrollStatus.CHECKED:
        raise Conflict(
            "payroll_not_checked",
            _("Only a checked payroll is approved; this one is %(status)s.")
            % {"status": payroll.get_status_display()},
        )
    if not all(check.get("ok") for check in payroll.checks):
        raise Conflict("payroll_checks_failed", _("The payroll failed a check; check it again."))
    if is_system(actor) and not payroll.makers:
        raise DomainError(
            "maker_cannot_approve",
            _("A payroll the system generated is approved by an accountant."),
            status=403,
        )
    payroll.status = PayrollStatus.APPROVED
    payroll.approved_by = user
    payroll.approved_at = timezone.now()
    payroll.save()
    audit.record(
        actor=actor,
        action=actions.PAYROLL_APPROVED,
        obj=payroll,
        data={"count": payroll.control_count, "total": payroll.control_total},
    )
    return payroll


@transaction.atomic
def payroll_export(*, actor: Actor, payroll: Payroll) -> Payroll:
    """Send an approved payroll: its lines to be paid become sent, its held lines "not paid"
    (they wait in the worklist). Refused when the lines no longer match the control totals."""
    require_finance(actor)
    payroll = locked(payroll)
    if payroll.status != PayrollStatus.APPROVED:
        raise Conflict(
            "payroll_not_approved",
            _("Only an approved payroll is exported; this one is %(status)s.")
            % {"status": payroll.get_status_display()},
        )
    count, total = _control(payroll)
    if (count, total) != (payroll.control_count, payroll.control_total):
        raise Conflict(
            "control_totals_changed",
            _("The lines no longer match the control totals; check the payroll again."),
        )
    lines = table(PayrollLine)
    exported = execute(
        f"UPDATE {lines} SET status = 'exported' WHERE payroll_id = %s AND status = 'pending'",
        [payroll.pk],
    )
    withheld = execute(
        f"UPDATE {lines} SET status = 'withheld' WHERE payroll_id = %s AND status = 'held'",
        [payroll.pk],
    )
    execute(f"ANALYZE {lines}")
    payroll.status = PayrollStatus.EXPORTED
    payroll.exported_at = timezone.now()
    payroll.save()
    audit.record(
        actor=actor,
        action=actions.PAYROLL_EXPORTED,
        obj=payroll,
        data={"count": exported, "total": total, "withheld": withheld},
    )
    return payroll


# --- The payment files ----------------------------------------------------------------------


def payment_file_name(payroll: Payroll, channel: str) -> str:
    return f"payroll-{payroll.month:%Y-%m}-{payroll.number}-{channel}.csv"


_SENT = (LineStatus.EXPORTED, LineStatus.PAID, LineStatus.RETURNED, LineStatus.REISSUED)


def _sent(payroll: Payroll, channel: str):
    # Every line the export sent through the channel, whatever became of it since.
    return PayrollLine.objects.filter(payroll=payroll, channel=channel, status__in=_SENT)


def payment_file_rows(payroll: Payroll, channel: str) -> Iterator[list[str]]:
    """The rows of a payment file: a header and a trailer with the count and the control total,
    one data row per payment (bank: ordered by BIK, so each bank's payments come together)."""
    sent = _sent(payroll, channel)
    found = sent.aggregate(count=Count("pk"), total=Sum("net"))
    count = found["count"]
    total = money(Decimal(found["total"] or 0).quantize(Decimal("0.01")))
    month = f"{payroll.month:%Y-%m}"
    yield ["H", "OPORA-PAYROLL", str(payroll.pk), month, channel, str(count), total]
    if channel == PayoutChannel.BANK:
        yield ["#", "reference", "bik", "account", "last_name", "first_name", "patronymic",
               "amount"]  # fmt: skip
        rows = sent.order_by("details__bik", "pk").values_list(
            "pk", "details__bik", "details__account", "person__last_name",
            "person__first_name", "person__patronymic", "net",
        )  # fmt: skip
    else:
        yield ["#", "reference", "postal_index", "address", "last_name", "first_name",
               "patronymic", "amount"]  # fmt: skip
        rows = sent.order_by("details__postal_index", "pk").values_list(
            "pk", "details__postal_index", "details__address", "person__last_name",
            "person__first_name", "person__patronymic", "net",
        )  # fmt: skip
    for row in rows.iterator(chunk_size=5000):
        yield ["D", str(row[0]), row[1] or "", row[2] or "", row[3], row[4], row[5] or "",
               money(Decimal(row[6]).quantize(Decimal("0.01")))]  # fmt: skip
    yield ["T", str(count), total]


def _csv_chunks(rows: Iterator[list[str]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for index, row in enumerate(rows):
        writer.writerow(row)
        if index % 2000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@transaction.atomic
def payroll_file_download(*, actor: Actor, payroll: Payroll, channel: str) -> Iterator[str]:
    """The payment file of one channel of an exported payroll, as chunks of UTF-8 text; the
    download is audited (the rows are read after this returns, outside its transaction)."""
    require_finance(actor)
    require_choice(channel, PayoutChannel, field="channel", hint=_("bank or post."))
    payroll = Payroll.objects.get(pk=payroll.pk)
    if payroll.status != PayrollStatus.EXPORTED:
        raise Conflict(
            "payroll_not_exported", _("The payment files exist once the payroll is exported.")
        )
    audit.record(
        actor=actor,
        action=actions.PAYROLL_DOWNLOADED,
        obj=payroll,
        data={"channel": channel, "count": _sent(payroll, channel).count()},
    )
    return _csv_chunks(payment_file_rows(payroll, channel))
