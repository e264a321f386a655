"""Payments fixtures: people of institutions A and B (through the registry's service), measures
and assignments written straight to their tables (a payroll reads assignments, however they
were granted; building each through applications and decisions would only slow the tests),
payout details through the payments service, and the two accountants of the maker-checker."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from opora.assistance.models import (
    Application,
    Assignment,
    Measure,
    MeasureVersion,
    Overpayment,
)
from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.payments import services
from opora.payments.bank import with_check_digit
from opora.registry import services as registry_services

_numbers = itertools.count(1)

MONTH = dt.date(2026, 3, 1)  # 31 days
DETAILS_FROM = dt.date(2026, 1, 1)
BIK = "044525225"


def account(number: int, bik: str = BIK) -> str:
    """A valid 20-digit account at ``bik``, different for each ``number``."""
    return with_check_digit(bik, f"40817810{0:1d}{number:011d}")


@pytest.fixture
def accountant(make_user):
    return make_user(Role.ACCOUNTANT, institutions=[], username="accountant-one")


@pytest.fixture
def accountant2(make_user):
    return make_user(Role.ACCOUNTANT, institutions=[], username="accountant-two")


@pytest.fixture
def make_person(db):
    def make(institution, **fields):
        number = next(_numbers)
        fields.setdefault("last_name", "Смирнова")
        fields.setdefault("first_name", f"Вера{number}")
        fields.setdefault("patronymic", "Павловна")
        fields.setdefault("sex", "F")
        fields.setdefault("birth_date", dt.date(1950, 5, 9))
        return registry_services.person_register(actor=SYSTEM, institution=institution, **fields)

    return make


@pytest.fixture
def make_version(db):
    def make(periodicity: str = "monthly", floor=None, ceiling=None) -> MeasureVersion:
        number = next(_numbers)
        measure = Measure.objects.create(
            code=f"pay-measure-{number}",
            name=f"Выплата № {number}",
            kind="monthly_payment",
        )
        return MeasureVersion.objects.create(
            measure=measure,
            number=1,
            status="published",
            valid_from=dt.date(2025, 1, 1),
            legal_basis="Постановление № 1-ПП",
            eligibility={"all": []},
            periodicity=periodicity,
            decision_working_days=10,
            amount_floor=floor,
            amount_ceiling=ceiling,
        )

    return make


@pytest.fixture
def version(make_version):
    return make_version()


@pytest.fixture
def make_assignment(version):
    def make(
        person,
        amount: str | Decimal = "1000.00",
        *,
        starts_on: dt.date = dt.date(2025, 6, 1),
        ends_on: dt.date | None = None,
        status: str = "active",
        version: MeasureVersion = version,
        institution=None,
    ) -> Assignment:
        institution = institution or person.served_by.first()
        application = Application.objects.create(
            measure=version.measure,
            version=version,
            person=person,
            institution=institution,
            channel="in_person",
            applied_on=starts_on,
            due_on=starts_on,
            status="assigned",
        )
        return Assignment.objects.create(
            application=application,
            version=version,
            measure=version.measure,
            person=person,
            institution=institution,
            amount=Decimal(amount),
            starts_on=starts_on,
            ends_on=ends_on,
            status=status,
        )

    return make


@pytest.fixture
def make_overpayment():
    def make(assignment, amount: str) -> Overpayment:
        return Overpayment.objects.create(
            assignment=assignment,
            period_from=assignment.starts_on,
            period_to=assignment.starts_on,
            amount=Decimal(amount),
            reason="Доход не заявлен",
            found_on=dt.date(2026, 1, 10),
        )

    return make


@pytest.fixture
def bank_details():
    def make(person, number: int = 1, valid_from: dt.date = DETAILS_FROM, bik: str = BIK):
        return services.payout_details_record(
            actor=SYSTEM,
            person=person,
            channel="bank",
            bik=bik,
            account=account(number, bik),
            valid_from=valid_from,
        )

    return make


@pytest.fixture
def post_details():
    def make(person, valid_from: dt.date = DETAILS_FROM):
        return services.payout_details_record(
            actor=SYSTEM,
            person=person,
            channel="post",
            postal_index="125009",
            address="Москва, ул. Тверская, д. 1, кв. 2",
            valid_from=valid_from,
        )

    return make


@pytest.fixture
def person_a(make_person, institution_a):
    return make_person(institution_a)


@pytest.fixture
def person_b(make_person, institution_b):
    return make_person(institution_b, last_name="Иванов", sex="M")


@pytest.fixture
def paid_people(person_a, person_b, make_assignment, bank_details, post_details):
    """Two people with an assignment each: A paid to a bank account, B by the post office."""
    bank_details(person_a)
    post_details(person_b)
    return {
        "a": make_assignment(person_a, "1000.00"),
        "b": make_assignment(person_b, "2500.50"),
    }


def return_file(rows: list[tuple], *, count=None, total=None, encoding="utf-8") -> bytes:
    """A bank's return file: the header, ``rows`` (reference, status, reason, amount) and the
    trailer (its count and total those of the rows unless given)."""
    lines = ["reference;status;reason;amount"]
    for reference, status, reason, amount in rows:
        lines.append(f"{reference};{status};{reason};{amount}")
    count = len(rows) if count is None else count
    total = sum((Decimal(str(r[3])) for r in rows), Decimal("0")) if total is None else total
    lines.append(f"T;{count};{Decimal(total):.2f}")
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
