# ruff: noqa: S608 - statements are built from model tables quoted by the backend and this
# module's constants; every value is a parameter.
"""A month's payroll generated set-based: one ``INSERT … SELECT`` for the re-issued payments and
one for the payments due, no loop over rows in Python.

The payments due are compiled from the assignments payable in the month
(``assistance.selectors.payable``), less the lines the month already has (any status: a
payment returned is paid again only when a worker asks for it), with the offset of the oldest
open overpayment of each assignment. Amounts are counted in kopecks as integers, so SQLite and
PostgreSQL round alike (half up): ``gross = round(amount × days / month_days)``,
``deduction = min(floor(gross × share), remaining of the overpayment)``, the share being the
rule ``overpayment_offset_share`` in force on the first day of the payroll's month.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Max, OuterRef, Subquery, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.assistance.selectors.payable import (
    assignments_payable,
    month_bounds,
    open_overpayments,
)
from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import DomainError
from opora.core.jobs import Progress, job_start, no_progress
from opora.rules.catalog import OVERPAYMENT_OFFSET_SHARE
from opora.rules.selectors import value_in_force

from .. import audit_actions as actions
from ..models import LIVE, WORKLIST, Payroll, PayrollLine, PayrollStatus, Problem
from ..sql import compiled, date_param, execute, q, table
from .common import add_maker, require_finance
from .payroll import details_in_force_sql, fence, payroll_check

__all__ = [
    "GENERATE_JOB",
    "GenerationResult",
    "offset_share",
    "payroll_generate",
    "payroll_generate_and_check",
    "payroll_generate_start",
    "prorated_kopecks",
]

_COLUMNS = (
    "payroll_id",
    "assignment_id",
    "person_id",
    "measure_id",
    "version_id",
    "institution_id",
    "month",
    "days",
    "month_days",
    "gross",
    "deduction",
    "net",
    "overpayment_id",
    "status",
    "problem",
    "channel",
    "return_reason",
    "reissue_of_id",
    "is_example",
)


def prorated_kopecks(cents: int, days: int, month_days: int) -> int:
    """The SQL's rounding, in Python: ``cents × days / month_days`` rounded half up."""
    return (cents * days * 2 + month_days) // (2 * month_days)


class GenerationResult(dict):
    """``payroll`` (None when nothing was missing and no payroll was open), ``added``,
    ``reissued``."""


def _columns() -> str:
    return ", ".join(q(name) for name in _COLUMNS)


def _insert_reissues(payroll: Payroll) -> int:
    """The payments a worker asked to re-issue, with the payout details fixed since, into this
    payroll; the returned line is marked re-issued."""
    lines = table(PayrollLine)
    live = ", ".join(f"'{status}'" for status in LIVE)
    waiting = ", ".join(f"'{status}'" for status in WORKLIST)
    added = execute(
        f"INSERT INTO {lines} ({_columns()}) "
        f"SELECT %s, o.assignment_id, o.person_id, o.measure_id, o.version_id, o.institution_id, "
        f"o.month, o.days, o.month_days, o.gross, o.deduction, o.net, o.overpayment_id, "
        f"'pending', '', '', '', o.id, o.is_example "
        f"FROM {lines} o WHERE o.status IN ({waiting}) AND o.reissue_requested_at IS NOT NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {lines} n WHERE n.assignment_id = o.assignment_id "
        f"AND n.month = o.month AND n.status IN ({live}))",
        [payroll.pk],
    )
    if added:
        execute(
            f"UPDATE {lines} SET status = 'reissued' WHERE status IN ({waiting}) AND id IN "
            f"(SELECT reissue_of_id FROM {lines} WHERE payroll_id = %s "
            f"AND reissue_of_id IS NOT NULL)",
            [payroll.pk],
        )
    return added


def _oldest_open_sql(actor: Actor) -> tuple[str, tuple[Any, ...]]:
    """The oldest open overpayment of each assignment with something left to recover
    (``o_assignment``, ``o_id``, ``o_remaining``): ranked once over the open overpayments, a
    few, rather than looked up for every payment due."""
    recovered = Subquery(
        PayrollLine.objects.filter(overpayment=OuterRef("pk"), status__in=LIVE)
        .values("overpayment")
        .annotate(total=Sum("deduction"))
        .values("total")[:1]
    )
    ranked = (
        open_overpayments(actor=actor, recovered=recovered)
        .filter(remaining__gt=0)  # type: ignore[misc]  # an annotation the stubs do not see
        .annotate(
            o_rank=Window(
                RowNumber(),
                partition_by=[F("assignment_id")],
                order_by=[F("found_on").asc(), F("pk").asc()],
            ),
            o_assignment=F("assignment_id"),
            o_id=F("pk"),
            o_remaining=F("remaining"),
        )
        .values("o_assignment", "o_id", "o_remaining", "o_rank")
        .order_by()
    )
    sql, params = compiled(ranked)
    return f"SELECT r.o_assignment, r.o_id, r.o_remaining FROM ({sql}) r WHERE r.o_rank = 1", params


def _payable_sql(actor: Actor, month: dt.date) -> tuple[str, tuple[Any, ...]]:
    qs = (
        assignments_payable(actor=actor, month=month)
        .annotate(
            # Named columns, so the outer statement reads them by name on every database.
            a_id=F("pk"),
            a_person=F("person_id"),
            a_measure=F("measure_id"),
            a_version=F("version_id"),
            a_institution=F("institution_id"),
            a_amount=F("amount"),
        )
        .values(
            "a_id",
            "a_person",
            "a_measure",
            "a_version",
            "a_institution",
            "a_amount",
            "days",
            "month_days",
        )
        .order_by()
    )
    return compiled(qs)


def offset_share(month: dt.date) -> tuple[int, int]:
    """The share of a payment offset against an overpayment in ``month`` (the rule in force on
    its first day) as a fraction of whole numbers, so that both databases floor alike."""
    share = value_in_force(OVERPAYMENT_OFFSET_SHARE, on=month)
    denominator = 10000  # the rule holds four decimal places
    return int(share * denominator), denominator


def _insert_due(
    actor: Actor, payroll: Payroll, is_example: bool, on: dt.date, validate: bool = True
) -> int:
    """The payments due, each with the payout details in force on ``on`` and held at once when
    there are none or (``validate``) they are not valid; the check looks again, writing only
    what changed (without ``validate``, the lines whose details are not valid)."""
    inner, inner_params = _payable_sql(actor, payroll.month)
    oldest, oldest_params = _oldest_open_sql(actor)
    join, valid = details_in_force_sql("b.a_person")
    if not validate:
        valid = "1 = 1"
    # The rule is read only when there is an overpayment to offset.
    numerator, denominator = (
        offset_share(payroll.month) if open_overpayments(actor=actor).exists() else (0, 1)
    )
    share = f"* {numerator} / {denominator}"
    sql = (
        f"INSERT INTO {table(PayrollLine)} ({_columns()}, details_id) "
        f"SELECT %s, c.a_id, c.a_person, c.a_measure, c.a_version, c.a_institution, %s, "
        f"c.days, c.month_days, c.gk / 100.0, c.dk / 100.0, (c.gk - c.dk) / 100.0, c.op_id, "
        f"CASE WHEN c.problem = '' THEN 'pending' ELSE 'held' END, c.problem, c.channel, "
        f"'', NULL, %s, c.did FROM ("
        f"SELECT b.*, d.id AS did, COALESCE(d.channel, '') AS channel, "
        f"CASE WHEN d.id IS NULL THEN %s WHEN {valid} THEN '' ELSE %s END AS problem, "
        f"CASE WHEN b.op_id IS NULL THEN 0 "
        f"WHEN b.gk {share} < b.rk THEN b.gk {share} ELSE b.rk END AS dk FROM ("
        f"SELECT p.*, o.o_id AS op_id, "
        f"(CAST(ROUND(p.a_amount * 100) AS BIGINT) * p.days * 2 + p.month_days) "
        f"/ (2 * p.month_days) AS gk, "
        f"CAST(ROUND(COALESCE(o.o_remaining, 0) * 100) AS BIGINT) AS rk "
        f"FROM ({inner}) p LEFT JOIN ({oldest}) o ON o.o_assignment = p.a_id "
        f"LEFT JOIN ({_already_sql()}) e ON e.assignment_id = p.a_id "
        f"WHERE e.assignment_id IS NULL AND p.days > 0) b {join}{fence()}) c"
    )
    day = date_param(on)
    no, invalid = Problem.NO_DETAILS, Problem.INVALID_DETAILS
    params = [payroll.pk, date_param(payroll.month), is_example, no, invalid]
    month = date_param(payroll.month)
    return execute(sql, [*params, *inner_params, *oldest_params, month, day, day])


def _already_sql() -> str:
    """The assignments the month already has a line for (any status; one parameter, the
    month). Grouped, so the database reads them once before the first line is written: a
    lookup per assignment into the table being written would scan every page the statement
    has added so far when the planner takes the table for empty."""
    return (
        f"SELECT x.assignment_id FROM {table(PayrollLine)} x WHERE x.month = %s "
        f"GROUP BY x.assignment_id"
    )


def _open_payroll(month: dt.date) -> Payroll | None:
    return (
        Payroll.objects.select_for_update()
        .filter(month=month, status__in=[PayrollStatus.DRAFT, PayrollStatus.CHECKED])
        .order_by("-number")
        .first()
    )


@transaction.atomic
def payroll_generate(
    *,
    actor: Actor,
    month: dt.date,
    is_example: bool = False,
    progress: Progress = no_progress,
    validate_details: bool = True,
) -> GenerationResult:
    """Add to ``month``'s open payroll (or to a new one: the first of the month, or a
    supplementary one when the month's payroll is approved) every payment due and not yet in
    any payroll, and every payment a worker asked to re-issue. Lines start pending with the
    payout details in force, held when there are none or they are not valid; the check looks
    again. Without ``validate_details`` the validity is left to the check that follows (a
    payroll is approved only once checked), so it is computed once for each line, not twice."""
    require_finance(actor)
    first, _last = month_bounds(month)
    if month != first:
        message = _("A payroll is for a whole month: give its first day.")
        raise DomainError("invalid_month", message, details={"month": [message]})
    progress(0, 3, _("Finding the payroll of the month"))
    payroll = _open_payroll(first)
    created = payroll is None
    if payroll is None:
        number = (Payroll.objects.filter(month=first).aggregate(n=Max("number"))["n"] or 0) + 1
        payroll = Payroll.objects.create(
            month=first,
            number=number,
            generated_by=audit.acting_user(actor),
            is_example=is_example,
        )
    progress(1, 3, _("Adding the payments to re-issue"))
    reissued = _insert_reissues(payroll)
    progress(2, 3, _("Adding the payments due"))
    added = _insert_due(actor, payroll, is_example, timezone.localdate(), validate_details)
    # The planner's statistics of the lines, fresh for the check's statements that follow.
    execute(f"ANALYZE {table(PayrollLine)}")
    progress(3, 3, _("Done"))
    if created and not (added or reissued):
        payroll.delete()
        existing = Payroll.objects.filter(month=first).order_by("-number").first()
        return GenerationResult(payroll=existing, added=0, reissued=0, created=False)
    if added or reissued:
        add_maker(payroll, actor)
        payroll.status = PayrollStatus.DRAFT
        payroll.checks = []
        payroll.checked_at = None
        payroll.save()
        audit.record(
            actor=actor,
            action=actions.PAYROLL_GENERATED,
            obj=payroll,
            data={"added": added, "reissued": reissued, "month": first},
        )
    return GenerationResult(payroll=payroll, added=added, reissued=reissued, created=created)


GENERATE_JOB = "payments.payroll.generate"


def payroll_generate_and_check(
    *, actor: Actor, month: dt.date, progress: Progress = no_progress
) -> dict[str, Any]:
    """Generate the month's payroll, then check it (what the background job does); the result
    is JSON for the job's row."""
    result = payroll_generate(actor=actor, month=month, progress=progress, validate_details=False)
    payroll = result["payroll"]
    if payroll is not None and payroll.status == PayrollStatus.DRAFT:
        progress(3, 3, _("Checking the payroll"))
        payroll_check(actor=actor, payroll=payroll)
    return {
        "payroll": payroll.pk if payroll is not None else None,
        "added": result["added"],
        "reissued": result["reissued"],
    }


def payroll_generate_start(*, actor: Actor, month: dt.date) -> Any:
    """Start the generation in the background, one job per month at a time."""
    require_finance(actor)
    first, _last = month_bounds(month)
    return job_start(
        actor=actor,
        kind=GENERATE_JOB,
        params={"month": first.isoformat()},
        exclusive_key=f"{GENERATE_JOB}:{first.isoformat()}",
    )
