# ruff: noqa: S608 - statements are built from model tables quoted by the backend and this
# module's constants; every value is a parameter.
"""The bank's return file imported and matched set-based, and the re-issue of a payment.

The file is read as UTF-8 text (a Windows-1251 file is recognised and refused with a message
saying so), each line checked, and written to the staging table ``ReturnLine``; the checks of
the whole file are queries over it (duplicated references, references that are not payments
sent in this payroll, payments already reconciled, amounts that differ), and the match is one
``UPDATE … FROM``. Anything wrong refuses the whole file: the transaction leaves no row."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.assistance.models import OverpaymentStatus
from opora.assistance.selectors.payable import open_overpayments
from opora.assistance.services import overpayment_settle
from opora.core import audit
from opora.core.actors import SYSTEM, Actor
from opora.core.errors import Conflict, DomainError, NotFound

from .. import audit_actions as actions
from ..bank import check_digit_ok
from ..constants import RETURN_FILE_MAX_BYTES
from ..models import (
    WORKLIST,
    LineStatus,
    PayoutChannel,
    PayoutDetails,
    Payroll,
    PayrollLine,
    PayrollStatus,
    ReturnFile,
    ReturnLine,
    ReturnStatus,
)
from ..scoping import rows as scoped_rows
from ..sql import execute, fetchall, table
from .common import locked, require_finance

__all__ = ["RETURN_HEADER", "line_reissue", "return_file_import"]

RETURN_HEADER = ("reference", "status", "reason", "amount")
_BATCH = 5000
_SHOWN = 5  # references named in a refusal, at most
_KOPECK = Decimal("0.01")
# Control characters but the tab and the line ends: a text file holds none of them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _refuse(
    code: str, message: Any, problems: list[str] | None = None, status: int = 400
) -> NoReturn:
    raise DomainError(code, message, details={"file": problems or [str(message)]}, status=status)


def _text_lines(upload: Any) -> Iterator[tuple[int, str]]:
    """The file's lines as text, numbered from 1; refused if it is not UTF-8 text."""
    upload.seek(0)
    for number, raw in enumerate(upload, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            _encoding_refusal(upload)
        if _CONTROL.search(text):
            _refuse(
                "file_type_refused",
                _("This is not a text file: line %(line)s holds control characters.")
                % {"line": number},
            )
        yield number, text.rstrip("\r\n")


def _encoding_refusal(upload: Any) -> None:
    upload.seek(0)
    data = upload.read()
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        text = ""
    if text and any("А" <= c <= "я" or c in "Ёё" for c in text):
        _refuse(
            "file_encoding",
            _(
                "The file is in the Windows-1251 (Cyrillic) encoding; return files are read "
                "in UTF-8. Save it as UTF-8 and import it again."
            ),
        )
    _refuse("file_encoding", _("The file is not UTF-8 text; save it as UTF-8 and try again."))


def _amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value < 0 or value != value.quantize(_KOPECK):
        return None
    return value.quantize(_KOPECK)


def _parsed(upload: Any, problems: list[str]) -> Iterator[tuple[int, int, str, str, Decimal]]:
    """The data rows as (row, reference, status, reason, amount); the trailer's count and total
    are checked against them at the end. Problems are collected, at most a few of them."""
    count = 0
    total = Decimal("0")
    trailer: list[str] | None = None
    header_seen = False
    for number, text in _text_lines(upload):
        if not text.strip():
            continue
        fields = text.split(";")
        if not header_seen:
            header_seen = True
            if tuple(f.strip().lower() for f in fields) != RETURN_HEADER:
                _refuse(
                    "return_file_header",
                    _("The first line must be the header: %(header)s.")
                    % {"header": ";".join(RETURN_HEADER)},
                )
            continue
        if trailer is not None:
            problems.append(_("Line %(line)s comes after the trailer.") % {"line": number})
            continue
        if fields[0].strip() == "T":
            trailer = fields
            continue
        if len(fields) != 4:
            problems.append(_("Line %(line)s: four fields are expected.") % {"line": number})
            continue
        reference, status, reason, amount_text = (f.strip() for f in fields)
        amount = _amount(amount_text)
        if not (reference.isascii() and reference.isdigit() and len(reference) <= 18):
            problems.append(_("Line %(line)s: the reference is not a number.") % {"line": number})
        elif status not in ReturnStatus.values:
            problems.append(_("Line %(line)s: the status is paid or returned.") % {"line": number})
        elif amount is None:
            problems.append(
                _("Line %(line)s: the amount is not a sum of money.") % {"line": number}
            )
        elif status == ReturnStatus.RETURNED and not reason:
            problems.append(
                _("Line %(line)s: a returned payment needs its reason.") % {"line": number}
            )
        else:
            count += 1
            total += amount
            yield number, int(reference), status, reason[:300], amount
        if len(problems) >= 20:
            break
    if problems:
        return
    if trailer is None:
        _refuse("return_file_trailer", _("The file has no trailer line (T;count;total)."))
    trailer_count = trailer[1].strip() if len(trailer) > 1 else ""
    trailer_total = _amount(trailer[2]) if len(trailer) > 2 else None
    if not trailer_count.isdigit() or trailer_total is None:
        _refuse("return_file_trailer", _("The trailer line is T;count;total."))
    if int(trailer_count) != count or trailer_total != total:
        _refuse(
            "return_file_totals",
            _(
                "The trailer says %(count)s lines for %(total)s; the file holds %(found)s lines "
                "for %(sum)s."
            )
            % {"count": trailer_count, "total": trailer_total, "found": count, "sum": total},
        )


def _stage(file: ReturnFile, rows: Iterator[tuple[int, int, str, str, Decimal]]) -> None:
    if connection.vendor == "postgresql":
        columns = "file_id, row, reference, status, reason, amount"
        with connection.cursor() as cursor:
            sql = f"COPY {table(ReturnLine)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for staged in rows:
                    copy.write_row((file.pk, *staged))
        return
    batch: list[ReturnLine] = []
    for row, reference, status, reason, amount in rows:
        batch.append(
            ReturnLine(
                file=file, row=row, reference=reference, status=status, reason=reason, amount=amount
            )
        )
        if len(batch) >= _BATCH:
            ReturnLine.objects.bulk_create(batch)
            batch = []
    ReturnLine.objects.bulk_create(batch)


def _references(sql: str, params: list[Any]) -> list[str]:
    return [str(row[0]) for row in fetchall(sql + f" LIMIT {_SHOWN}", params)]


def _match(payroll: Payroll, file: ReturnFile) -> None:
    staged, lines = table(ReturnLine), table(PayrollLine)
    sent = "'exported', 'paid', 'returned', 'reissued'"
    # Fresh statistics of the staged lines: the planner joins them by hashing, not row by row.
    execute(f"ANALYZE {staged}")
    twice = _references(
        f"SELECT reference FROM {staged} WHERE file_id = %s GROUP BY reference "
        f"HAVING COUNT(*) > 1 ORDER BY reference",
        [file.pk],
    )
    if twice:
        _refuse(
            "return_file_duplicates",
            _("The file names a payment more than once: %(refs)s.") % {"refs": ", ".join(twice)},
        )
    # One pass counts what the three checks below look for; their queries, naming the first
    # references, run only for a file that fails one (a payment sent here is the only match).
    unknown_count, done_count, differ_count = fetchall(
        f"SELECT COALESCE(SUM(CASE WHEN l.id IS NULL THEN 1 ELSE 0 END), 0), "
        f"COALESCE(SUM(CASE WHEN l.status <> 'exported' THEN 1 ELSE 0 END), 0), "
        f"COALESCE(SUM(CASE WHEN r.amount <> l.net THEN 1 ELSE 0 END), 0) "
        f"FROM {staged} r LEFT JOIN {lines} l ON l.id = r.reference "
        f"AND l.payroll_id = %s AND l.status IN ({sent}) WHERE r.file_id = %s",
        [payroll.pk, file.pk],
    )[0]
    unknown = unknown_count and _references(
        f"SELECT r.reference FROM {staged} r LEFT JOIN {lines} l ON l.id = r.reference "
        f"AND l.payroll_id = %s AND l.status IN ({sent}) "
        f"WHERE r.file_id = %s AND l.id IS NULL ORDER BY r.row",
        [payroll.pk, file.pk],
    )
    if unknown:
        _refuse(
            "return_file_unknown_references",
            _("The file names payments this payroll did not send: %(refs)s.")
            % {"refs": ", ".join(unknown)},
        )
    done = done_count and _references(
        f"SELECT r.reference FROM {staged} r JOIN {lines} l ON l.id = r.reference "
        f"WHERE r.file_id = %s AND l.status <> 'exported' ORDER BY r.row",
        [file.pk],
    )
    if done:
        _refuse(
            "return_lines_reconciled",
            _("These payments are already reconciled by an earlier file: %(refs)s.")
            % {"refs": ", ".join(done)},
            status=409,
        )
    differ = differ_count and _references(
        f"SELECT r.reference FROM {staged} r JOIN {lines} l ON l.id = r.reference "
        f"WHERE r.file_id = %s AND r.amount <> l.net ORDER BY r.row",
        [file.pk],
    )
    if differ:
        _refuse(
            "return_file_amounts",
            _("The amounts differ from the payments sent: %(refs)s.") % {"refs": ", ".join(differ)},
        )
    execute(
        f"UPDATE {lines} SET status = r.status, return_reason = r.reason FROM {staged} r "
        f"WHERE r.file_id = %s AND r.reference = {lines}.id",
        [file.pk],
    )
    # The statuses just changed for the whole payroll: fresh statistics for what follows.
    execute(f"ANALYZE {lines}")


def _settle_recovered(file: ReturnFile) -> int:
    """Overpayments whose offsets, in payments confirmed paid, reach their amount."""
    paid = Subquery(
        PayrollLine.objects.filter(overpayment=OuterRef("pk"), status=LineStatus.PAID)
        .values("overpayment")
        .annotate(total=Sum("deduction"))
        .values("total")[:1]
    )
    # The overpayments offset in this payroll's payments now paid (an index on payroll and
    # status finds them; the few already settled are no longer open).
    touched = PayrollLine.objects.filter(
        payroll_id=file.payroll_id, status=LineStatus.PAID, overpayment__isnull=False
    ).values("overpayment")
    recovered = open_overpayments(actor=SYSTEM, recovered=paid).filter(
        pk__in=touched,
        remaining__lte=0,  # type: ignore[misc]  # an annotation the stubs do not see
    )
    settled = 0
    for overpayment in recovered.select_related("assignment__institution"):
        # The recovery follows from the accountant's reconciliation; assistance scopes its
        # services by institution, so the system settles it (the import's entry names her).
        overpayment_settle(
            actor=SYSTEM, overpayment=overpayment, status=OverpaymentStatus.RECOVERED
        )
        settled += 1
    return settled


@transaction.atomic
def return_file_import(*, actor: Actor, payroll: Payroll, upload: Any) -> ReturnFile:
    """Import the bank's return file of an exported payroll: every line matched to a payment
    sent, paid ones marked paid, returned ones returned (to the worklist) with their reason."""
    require_finance(actor)
    payroll = locked(payroll)
    if payroll.status != PayrollStatus.EXPORTED:
        raise Conflict(
            "payroll_not_exported", _("A return file is imported into an exported payroll.")
        )
    size = getattr(upload, "size", None) or 0
    if size == 0:
        _refuse("file_empty", _("The file is empty."))
    if size > RETURN_FILE_MAX_BYTES:
        _refuse(
            "file_too_large",
            _("The file is %(size)s MB; the largest accepted is %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": RETURN_FILE_MAX_BYTES // 1048576},
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    sha256 = digest.hexdigest()
    if ReturnFile.objects.filter(payroll=payroll, sha256=sha256).exists():
        _refuse(
            "return_file_imported",
            _("This return file is already imported into the payroll."),
            status=409,
        )
    name = (getattr(upload, "name", "") or "return.csv").rsplit("/", 1)[-1][-255:]
    file = ReturnFile.objects.create(
        payroll=payroll,
        original_name=name,
        size=size,
        sha256=sha256,
        imported_by=audit.acting_user(actor),
        is_example=payroll.is_example,
    )
    problems: list[str] = []
    _stage(file, _parsed(upload, problems))
    if problems:
        _refuse(
            "return_file_invalid",
            _("The return file has lines that cannot be read; nothing was imported."),
            [str(p) for p in problems],
        )
    _match(payroll, file)
    by_status = {
        row["status"]: row
        for row in ReturnLine.objects.filter(file=file)
        .values("status")
        .annotate(count=Count("pk"), total=Sum("amount"))
    }
    paid = by_status.get(ReturnStatus.PAID, {"count": 0, "total": 0})
    returned = by_status.get(ReturnStatus.RETURNED, {"count": 0, "total": 0})
    file.paid_count, file.paid_total = paid["count"], paid["total"] or 0
    file.returned_count, file.returned_total = returned["count"], returned["total"] or 0
    file.lines = file.paid_count + file.returned_count
    file.total = Decimal(file.paid_total) + Decimal(file.returned_total)
    file.save()
    settled = _settle_recovered(file)
    audit.record(
        actor=actor,
        action=actions.RETURN_IMPORTED,
        obj=file,
        data={
            "payroll": payroll.pk,
            "paid": file.paid_count,
            "returned": file.returned_count,
            "settled": settled,
        },
    )
    return file


def _details_in_force(line: PayrollLine) -> PayoutDetails | None:
    today = timezone.localdate()
    return (
        PayoutDetails.objects.filter(person_id=line.person_id, valid_from__lte=today)
        .exclude(valid_to__lt=today)
        .order_by("-pk")
        .first()
    )


@transaction.atomic
def line_reissue(*, actor: Actor, line: PayrollLine) -> PayrollLine:
    """Ask for a payment returned or not sent to be paid again in the next payroll generated,
    once the person's payout details are right."""
    scoped = scoped_rows(actor, PayrollLine.objects.all(), via="institution")
    locked_line = scoped.select_for_update().filter(pk=line.pk).first()
    if locked_line is None:
        raise NotFound("not_found", _("No such payment in your scope."))
    line = locked_line
    if line.status not in WORKLIST:
        raise Conflict(
            "line_not_returned",
            _("Only a payment returned or not sent is re-issued; this one is %(status)s.")
            % {"status": line.get_status_display()},
        )
    if line.reissue_requested_at is not None:
        raise Conflict("reissue_asked", _("The re-issue of this payment is already asked."))
    details = _details_in_force(line)
    valid = details is not None and (
        check_digit_ok(details.bik, details.account)
        if details.channel == PayoutChannel.BANK
        else bool(details.postal_index and details.address)
    )
    if not valid:
        raise DomainError(
            "payout_details_needed",
            _("Record valid payout details for the person first; then re-issue the payment."),
            status=409,
        )
    line.reissue_requested_at = timezone.now()
    line.save(update_fields=["reissue_requested_at"])
    audit.record(actor=actor, action=actions.LINE_REISSUE_ASKED, obj=line, data={})
    return line
