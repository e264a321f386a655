"""Bad input, each a clear error and nothing half-written: rows are counted before and after."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opora.core.errors import DomainError
from opora.payments import services
from opora.payments.models import LineStatus, PayrollLine, ReturnFile, ReturnLine

from .conftest import MONTH, return_file


def counts():
    return (
        ReturnFile.objects.count(),
        ReturnLine.objects.count(),
        PayrollLine.objects.filter(status=LineStatus.EXPORTED).count(),
    )


@pytest.fixture
def exported(paid_people, accountant, accountant2):
    payroll = services.payroll_generate(actor=accountant, month=MONTH)["payroll"]
    services.payroll_check(actor=accountant, payroll=payroll)
    services.payroll_approve(actor=accountant2, payroll=payroll)
    payroll = services.payroll_export(actor=accountant, payroll=payroll)
    a = PayrollLine.objects.get(assignment=paid_people["a"])
    b = PayrollLine.objects.get(assignment=paid_people["b"])
    return payroll, a, b


def refused(accountant, payroll, content: bytes) -> DomainError:
    before = counts()
    with pytest.raises(DomainError) as caught:
        services.return_file_import(
            actor=accountant,
            payroll=payroll,
            upload=SimpleUploadedFile("return.csv", content, content_type="text/csv"),
        )
    assert counts() == before
    return caught.value


def test_unknown_references_are_refused(exported, accountant):
    payroll, a, _b = exported
    error = refused(
        accountant, payroll, return_file([(a.pk, "paid", "", "1000.00"), (999999, "paid", "", "1")])
    )
    assert error.code == "return_file_unknown_references"
    assert "999999" in error.message


def test_duplicated_lines_are_refused(exported, accountant):
    payroll, a, _b = exported
    row = (a.pk, "paid", "", "1000.00")
    error = refused(accountant, payroll, return_file([row, row]))
    assert error.code == "return_file_duplicates"


@pytest.mark.parametrize(("count", "total"), [(3, "3500.50"), (2, "3500.49")])
def test_a_wrong_trailer_is_refused(exported, accountant, count, total):
    payroll, a, b = exported
    rows = [(a.pk, "paid", "", "1000.00"), (b.pk, "paid", "", "2500.50")]
    error = refused(accountant, payroll, return_file(rows, count=count, total=total))
    assert error.code == "return_file_totals"


def test_a_windows_1251_file_is_refused_saying_so(exported, accountant):
    payroll, a, b = exported
    rows = [(a.pk, "paid", "", "1000.00"), (b.pk, "returned", "Счёт закрыт", "2500.50")]
    error = refused(accountant, payroll, return_file(rows, encoding="cp1251"))
    assert error.code == "file_encoding"
    assert "1251" in error.message


def test_an_amount_that_differs_is_refused(exported, accountant):
    payroll, a, _b = exported
    error = refused(accountant, payroll, return_file([(a.pk, "paid", "", "999.00")]))
    assert error.code == "return_file_amounts"


def test_a_return_file_imported_twice_is_refused(exported, accountant):
    payroll, a, _b = exported
    content = return_file([(a.pk, "paid", "", "1000.00")])
    services.return_file_import(
        actor=accountant, payroll=payroll, upload=SimpleUploadedFile("r.csv", content)
    )
    error = refused(accountant, payroll, content)
    assert (error.code, error.status) == ("return_file_imported", 409)
    # The same payment in another file: already reconciled.
    other = return_file([(a.pk, "paid", "", "1000.00")]) + b"\r\n"
    error = refused(accountant, payroll, other)
    assert (error.code, error.status) == ("return_lines_reconciled", 409)


def test_a_file_that_is_not_text_or_has_no_header_is_refused(exported, accountant):
    payroll, _a, _b = exported
    assert refused(accountant, payroll, b"%PDF-1.4\x00\x01").code in (
        "file_type_refused",
        "file_encoding",
    )
    assert refused(accountant, payroll, b"1;paid;;1.00\r\nT;1;1.00\r\n").code == (
        "return_file_header"
    )
    assert refused(accountant, payroll, b"").code == "file_empty"


def test_a_payroll_approved_by_its_maker_is_refused(paid_people, accountant):
    payroll = services.payroll_generate(actor=accountant, month=MONTH)["payroll"]
    services.payroll_check(actor=accountant, payroll=payroll)
    with pytest.raises(DomainError) as caught:
        services.payroll_approve(actor=accountant, payroll=payroll)
    assert caught.value.status == 403
    payroll.refresh_from_db()
    assert payroll.approved_at is None


def test_generating_an_approved_month_pays_nothing_twice(paid_people, accountant, accountant2):
    payroll = services.payroll_generate(actor=accountant, month=MONTH)["payroll"]
    services.payroll_check(actor=accountant, payroll=payroll)
    services.payroll_approve(actor=accountant2, payroll=payroll)
    before = PayrollLine.objects.count()
    result = services.payroll_generate(actor=accountant2, month=MONTH)
    assert result["added"] == 0
    assert PayrollLine.objects.count() == before
    assert services.payroll_generate(actor=accountant, month=MONTH)["added"] == 0


def test_a_bank_line_with_a_wrong_check_digit_is_not_exported(paid_people, accountant):
    """The refusal at entry is in test_services; here details written past the service."""
    from opora.payments.models import PayoutDetails

    details = PayoutDetails.objects.get(person=paid_people["a"].person)
    PayoutDetails.objects.filter(pk=details.pk).update(
        account=details.account[:8] + str((int(details.account[8]) + 1) % 10) + details.account[9:]
    )
    payroll = services.payroll_generate(actor=accountant, month=MONTH)["payroll"]
    services.payroll_check(actor=accountant, payroll=payroll)
    line = PayrollLine.objects.get(assignment=paid_people["a"])
    assert (line.status, line.problem) == (LineStatus.HELD, "invalid_details")
