"""The payroll at scale, for ``bench_assistance.py``: ``measure_payroll(month)`` runs inside a
Django-configured process on a database that already holds assignments (and payout details for
their people).

First (not timed) it removes the month's payrolls an earlier run left (so ``--keep`` measures
the same work again) and gives every person paid who has none payout details: a bank account
for most, the post office for one in twenty, an account failing its check digit for one in a
hundred and nothing for one in two hundred (those lines are held). It then generates and
checks the month's payroll (timed together: ``payroll_seconds``), has it approved by a second
accountant and exported (not timed), writes the bank's return file for every payment sent
(about 1 % returned) to a temporary file, and imports and reconciles it
(``reconcile_seconds``). The goals at 1,000,000 assignments on PostgreSQL: the payroll in 60 s,
the reconciliation in 120 s, the process within 500 MB (``max_rss_mb``).

``OPORA_BENCH_PAYROLL_PROFILE=1`` writes the slowest statements of the timed work to stderr.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import sys
import tempfile
import time
from decimal import Decimal
from typing import Any

GOALS = {"payroll_seconds": 60.0, "reconcile_seconds": 120.0, "max_rss_mb": 500.0}


def _accountants() -> tuple[Any, Any]:
    from opora.core import services as core_services
    from opora.core.actors import SYSTEM
    from opora.core.models import User
    from opora.core.roles import Role

    found = []
    for username in ("bench-accountant", "bench-accountant2"):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = core_services.user_create(
                actor=SYSTEM,
                username=username,
                role=Role.ACCOUNTANT,
                institutions=[],
                password=None,
            )
        found.append(user)
    return found[0], found[1]


BIK = "044525225"


def _reset_month(month: dt.date) -> None:
    """The month's payrolls of an earlier run, gone, so that this run does the same work."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM payments_payroll WHERE month = %s", [month])
        payrolls = [row[0] for row in cursor.fetchall()]
        if not payrolls:
            return
        cursor.execute(
            "DELETE FROM payments_returnline WHERE file_id IN "
            "(SELECT id FROM payments_returnfile WHERE payroll_id = ANY(%s))",
            [payrolls],
        )
        cursor.execute("DELETE FROM payments_returnfile WHERE payroll_id = ANY(%s)", [payrolls])
        cursor.execute(
            "UPDATE payments_payrollline SET reissue_of_id = NULL WHERE reissue_of_id IN "
            "(SELECT id FROM payments_payrollline WHERE payroll_id = ANY(%s))",
            [payrolls],
        )
        cursor.execute("DELETE FROM payments_payrollline WHERE payroll_id = ANY(%s)", [payrolls])
        cursor.execute("DELETE FROM payments_payroll WHERE id = ANY(%s)", [payrolls])
        cursor.execute("SELECT EXISTS (SELECT 1 FROM payments_payroll)")
        if not cursor.fetchone()[0]:
            # Nothing else was paid: the tables start empty as on the first run, not as a
            # heap of dead pages whose statistics say "no rows" (a plan for an empty table).
            cursor.execute(
                "TRUNCATE payments_returnline, payments_returnfile, payments_payrollline, "
                "payments_payroll"
            )
    _vacuum("payments_payrollline", "payments_returnline")


def _vacuum(*tables: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for name in tables:
            cursor.execute(f"VACUUM (ANALYZE) {name}")


def _ensure_details(month: dt.date) -> int:
    """Payout details, streamed by COPY, for the people paid who have none (see above)."""
    from django.db import connection

    from opora.payments.bank import with_check_digit

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT a.person_id FROM assistance_assignment a WHERE NOT EXISTS "
            "(SELECT 1 FROM payments_payoutdetails d WHERE d.person_id = a.person_id) "
            "ORDER BY a.person_id"
        )
        people = [row[0] for row in cursor.fetchall()]
        columns = (
            "created_at, updated_at, person_id, channel, bik, account, postal_index, address, "
            "valid_from, valid_to, note, is_example, example_note"
        )
        now = dt.datetime.now(dt.UTC)
        since = month - dt.timedelta(days=365)
        written = 0
        with cursor.cursor.copy(f"COPY payments_payoutdetails ({columns}) FROM STDIN") as copy:
            for person in people:
                if person % 200 == 7:
                    continue
                if person % 20 == 3:
                    row = ("post", "", "", "125009", "Москва, ул. Тверская, д. 1")
                else:
                    account = with_check_digit(BIK, f"40817810{0:1d}{person:011d}")
                    if person % 100 == 11:  # a digit mistyped at entry, past the service
                        account = account[:8] + str((int(account[8]) + 1) % 10) + account[9:]
                    row = ("bank", BIK, account, "", "")
                copy.write_row((now, now, person, *row, since, None, "", False, ""))
                written += 1
    _vacuum("payments_payoutdetails")
    return written


class _Statements:
    """The time of each statement run while it is installed (``execute_wrapper``)."""

    def __init__(self) -> None:
        self.seen: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seen.append((time.perf_counter() - started, sql))

    def report(self, title: str) -> None:
        print(f"--- {title}: {len(self.seen)} statements", file=sys.stderr)
        for seconds, sql in sorted(self.seen, reverse=True)[:12]:
            print(f"{seconds:8.2f} s  {' '.join(sql.split())[:300]}", file=sys.stderr)
        self.seen.clear()


def _write_return_file(payroll: Any, path: str) -> int:
    from opora.payments.models import LineStatus, PayrollLine

    count = 0
    total = Decimal("0")
    rows = (
        PayrollLine.objects.filter(payroll=payroll, status=LineStatus.EXPORTED)
        .order_by("pk")
        .values_list("pk", "net")
    )
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("reference;status;reason;amount\r\n")
        for pk, net in rows.iterator(chunk_size=20000):
            if pk % 100 == 37:
                out.write(f"{pk};returned;Счёт закрыт;{net:.2f}\r\n")
            else:
                out.write(f"{pk};paid;;{net:.2f}\r\n")
            count += 1
            total += net
        out.write(f"T;{count};{total:.2f}\r\n")
    return count


def measure_payroll(month: dt.date) -> dict[str, Any]:
    from contextlib import nullcontext

    from django.core.files import File
    from django.db import connection

    from opora.payments import services

    maker, checker = _accountants()
    month = month.replace(day=1)
    _reset_month(month)
    details_added = _ensure_details(month)
    profile = _Statements() if os.environ.get("OPORA_BENCH_PAYROLL_PROFILE") else None

    def watched():
        return connection.execute_wrapper(profile) if profile else nullcontext()

    started = time.perf_counter()
    with watched():
        result = services.payroll_generate_and_check(actor=maker, month=month)
    payroll_seconds = time.perf_counter() - started
    if profile:
        profile.report("payroll")
    from opora.payments.models import Payroll

    payroll = Payroll.objects.get(pk=result["payroll"])
    lines = payroll.lines.count()
    services.payroll_approve(actor=checker, payroll=payroll)
    payroll = services.payroll_export(actor=maker, payroll=payroll)

    with tempfile.NamedTemporaryFile(suffix=".csv", delete=True) as handle:
        written = _write_return_file(payroll, handle.name)
        with open(handle.name, "rb") as raw:
            upload = File(raw, name="bench-return.csv")
            started = time.perf_counter()
            with watched():
                services.return_file_import(actor=maker, payroll=payroll, upload=upload)
            reconcile_seconds = time.perf_counter() - started
            if profile:
                profile.report("reconciliation")

    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "payroll_seconds": round(payroll_seconds, 2),
        "payroll_lines": lines,
        "payroll_held": payroll.lines.filter(status="withheld").count(),
        "payout_details_added": details_added,
        "reconcile_seconds": round(reconcile_seconds, 2),
        "reconcile_lines": written,
        "max_rss_mb": round(max_rss_mb, 1),
    }
    figures["ratios"] = {key: round(figures[key] / goal, 3) for key, goal in GOALS.items()}
    return figures
