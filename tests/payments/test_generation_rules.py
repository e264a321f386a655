"""Generation and its check read the rules and the data set-based: the offset share is the rule
in force on the first day of the payroll's month, the oldest open overpayment is offset first,
and the payout details are validated once, at generation or at the check that follows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from opora.core.actors import SYSTEM
from opora.core.errors import NotFound
from opora.payments import services
from opora.payments.models import LineStatus, PayoutDetails, PayrollLine
from opora.rules import services as rule_services
from opora.rules.catalog import OVERPAYMENT_OFFSET_SHARE
from opora.rules.models import RuleVersion

from .conftest import MONTH

APRIL = dt.date(2026, 4, 1)


def test_the_shipped_offset_share_is_an_example_of_the_citys_act(db):
    version = RuleVersion.objects.get(code=OVERPAYMENT_OFFSET_SHARE)
    assert (version.valid_from, version.value, version.is_example) == (
        dt.date(2015, 1, 1),
        Decimal("0.2"),
        True,
    )
    assert "Акт города" in version.basis


def test_a_later_version_of_the_share_changes_that_months_offset_only(
    paid_people, make_overpayment
):
    make_overpayment(paid_people["a"], "10000.00")
    rule_services.rule_version_add(
        actor=SYSTEM,
        code=OVERPAYMENT_OFFSET_SHARE,
        valid_from=APRIL,
        value=Decimal("0.35"),
        basis="Постановление города (новая редакция)",
    )
    services.payroll_generate(actor=SYSTEM, month=MONTH)
    services.payroll_generate(actor=SYSTEM, month=APRIL)
    offsets = dict(
        PayrollLine.objects.filter(assignment=paid_people["a"]).values_list("month", "deduction")
    )
    # March is paid under the version in force on 1 March (20 %), April under the new one.
    assert offsets == {MONTH: Decimal("200.00"), APRIL: Decimal("350.00")}
    april = PayrollLine.objects.get(assignment=paid_people["a"], month=APRIL)
    assert april.net == Decimal("650.00")


def test_a_version_from_the_middle_of_a_month_applies_from_the_next_one(
    paid_people, make_overpayment
):
    make_overpayment(paid_people["a"], "10000.00")
    rule_services.rule_version_add(
        actor=SYSTEM,
        code=OVERPAYMENT_OFFSET_SHARE,
        valid_from=dt.date(2026, 3, 15),
        value=Decimal("0.5"),
    )
    services.payroll_generate(actor=SYSTEM, month=MONTH)
    assert PayrollLine.objects.get(assignment=paid_people["a"]).deduction == Decimal("200.00")


def test_the_share_is_needed_only_when_there_is_something_to_offset(paid_people, make_overpayment):
    RuleVersion.objects.filter(code=OVERPAYMENT_OFFSET_SHARE).delete()
    assert services.payroll_generate(actor=SYSTEM, month=MONTH)["added"] == 2
    make_overpayment(paid_people["a"], "100.00")
    with pytest.raises(NotFound) as missing:
        services.payroll_generate(actor=SYSTEM, month=APRIL)
    assert missing.value.code == "rule_not_in_force"
    assert not PayrollLine.objects.filter(month=APRIL).exists()


def test_the_oldest_open_overpayment_is_offset_first(paid_people, make_overpayment):
    newer = make_overpayment(paid_people["a"], "50.00")
    older = make_overpayment(paid_people["a"], "70.00")
    older.found_on = dt.date(2025, 12, 1)
    older.save()
    services.payroll_generate(actor=SYSTEM, month=MONTH)
    line = PayrollLine.objects.get(assignment=paid_people["a"])
    assert (line.overpayment_id, line.deduction) == (older.pk, Decimal("70.00"))
    # The next month offsets the next one: the older is recovered by the live line.
    services.payroll_generate(actor=SYSTEM, month=APRIL)
    april = PayrollLine.objects.get(assignment=paid_people["a"], month=APRIL)
    assert (april.overpayment_id, april.deduction) == (newer.pk, Decimal("50.00"))


def _break_account(person) -> None:
    details = PayoutDetails.objects.get(person=person)
    digit = str((int(details.account[8]) + 1) % 10)
    PayoutDetails.objects.filter(pk=details.pk).update(
        account=details.account[:8] + digit + details.account[9:]
    )


def test_generation_alone_holds_invalid_details_at_once(paid_people):
    _break_account(paid_people["a"].person)
    services.payroll_generate(actor=SYSTEM, month=MONTH)
    line = PayrollLine.objects.get(assignment=paid_people["a"])
    assert (line.status, line.problem) == (LineStatus.HELD, "invalid_details")
    assert PayrollLine.objects.get(assignment=paid_people["b"]).status == LineStatus.PENDING


def test_the_job_leaves_the_validity_to_its_check_and_holds_the_same_lines(paid_people, accountant):
    _break_account(paid_people["a"].person)
    result = services.payroll_generate_and_check(actor=accountant, month=MONTH)
    line = PayrollLine.objects.get(assignment=paid_people["a"])
    assert (line.status, line.problem) == (LineStatus.HELD, "invalid_details")
    assert line.details_id is not None
    other = PayrollLine.objects.get(assignment=paid_people["b"])
    assert (other.status, other.problem) == (LineStatus.PENDING, "")
    checks = {
        check["code"]: check
        for check in services.payroll_check(actor=accountant, payroll=line.payroll).checks
    }
    assert result["added"] == 2
    assert checks["invalid_details"]["count"] == 1
    assert checks["control_totals"]["count"] == 1


def test_a_second_check_writes_back_a_line_fixed_since(paid_people, accountant, bank_details):
    person = paid_people["a"].person
    _break_account(person)
    payroll = services.payroll_generate(actor=accountant, month=MONTH)["payroll"]
    services.payroll_check(actor=accountant, payroll=payroll)
    assert PayrollLine.objects.get(assignment=paid_people["a"]).status == LineStatus.HELD
    fixed = bank_details(person, number=77, valid_from=dt.date(2026, 2, 1))
    payroll = services.payroll_check(actor=accountant, payroll=payroll)
    line = PayrollLine.objects.get(assignment=paid_people["a"])
    assert (line.status, line.problem, line.details_id) == (LineStatus.PENDING, "", fixed.pk)
    assert payroll.control_count == 2
