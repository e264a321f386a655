"""The payroll at scale, for ``bench_assistance.py``: ``measure_payroll(month)`` runs inside a
Django-configured process on a database that already holds assignments (and payout details for
their people).

It generates and checks the month's payroll (timed together: ``payroll_seconds``), has it
approved by a second accountant and exported (not timed), writes the bank's return file for
every payment sent (about 1 % returned) to a temporary file, and imports and reconciles it
(``reconcile_seconds``). The goals at 1,000,000 assignments on PostgreSQL: the payroll in 60 s,
the reconciliation in 120 s, the process within 500 MB (``max_rss_mb``).
"""

from __future__ import annotations

import datetime as dt
import resource
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
    from django.core.files import File

    from opora.payments import services

    maker, checker = _accountants()
    month = month.replace(day=1)

    started = time.perf_counter()
    result = services.payroll_generate_and_check(actor=maker, month=month)
    payroll_seconds = time.perf_counter() - started
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
            services.return_file_import(actor=maker, payroll=payroll, upload=upload)
            reconcile_seconds = time.perf_counter() - started

    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "payroll_seconds": round(payroll_seconds, 2),
        "payroll_lines": lines,
        "reconcile_seconds": round(reconcile_seconds, 2),
        "reconcile_lines": written,
        "max_rss_mb": round(max_rss_mb, 1),
    }
    figures["ratios"] = {key: round(figures[key] / goal, 3) for key, goal in GOALS.items()}
    return figures
