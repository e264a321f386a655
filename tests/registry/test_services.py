import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.registry import selectors, services
from opora.registry.models import (
    CategoryKind,
    DocumentKind,
    FormerName,
    Household,
    Income,
    Person,
    PersonCategory,
)
from tests.registry.conftest import valid_snils


def history(obj):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).values_list("action", flat=True)
    )


def test_registering_fills_latin_names_search_key_and_normalises(make_person):
    person = make_person(
        last_name="Щукина",
        first_name="Юлия",
        patronymic="Сергеевна",
        snils="112-233-445 95",
        phone="8 (916) 123-45-67",
    )
    assert person.full_name_latin == "Shchukina Iuliia Sergeevna"
    assert person.snils == "11223344595"
    assert person.phone == "+79161234567"
    assert person.search_key == "shchukina iulia sergevna"  # repeated letters fold
    assert "registry.person.registered" in history(person)


@pytest.mark.parametrize("bad", ["112-233-445 96", "1234", "112-233-445 9x"])
def test_a_wrong_snils_is_refused_and_nothing_is_written(make_person, bad):
    with pytest.raises(DomainError) as error:
        make_person(snils=bad)
    assert error.value.code == "invalid_snils"
    assert not Person.objects.exists()


def test_the_same_snils_cannot_belong_to_two_records(make_person):
    snils = valid_snils()
    first = make_person(snils=snils)
    with pytest.raises(DomainError) as error:
        make_person(first_name="Анна", snils=snils)
    assert error.value.code == "snils_taken" and error.value.details["person"] == [str(first.pk)]


def test_dates_must_make_sense(make_person):
    with pytest.raises(DomainError):
        make_person(birth_date=dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(DomainError):
        make_person(birth_date=dt.date(1950, 1, 1), death_date=dt.date(1949, 1, 1))
    assert not Person.objects.exists()


def test_a_new_name_keeps_the_former_one(make_person):
    person = make_person()
    services.person_update(
        actor=SYSTEM, person=person, last_name="Петрова", reason="свидетельство о браке"
    )
    person.refresh_from_db()
    assert person.last_name_latin == "Petrova"
    former = FormerName.objects.get(person=person)
    assert former.last_name == "Иванова" and former.reason == "свидетельство о браке"
    assert history(person)[0] == "registry.person.renamed"


def test_documents_follow_their_kind_form_and_are_unique(make_person):
    person = make_person()
    passport = DocumentKind.objects.get(code="passport-rf")
    services.document_add(
        actor=SYSTEM, person=person, kind=passport, series="45 10", number="123456"
    )
    with pytest.raises(DomainError) as error:
        services.document_add(
            actor=SYSTEM, person=person, kind=passport, series="4510", number="12345"
        )
    assert error.value.code == "invalid_document"
    other = make_person(first_name="Анна", birth_date=dt.date(1990, 1, 1))
    with pytest.raises(DomainError) as taken:
        services.document_add(
            actor=SYSTEM, person=other, kind=passport, series="4510", number="123456"
        )
    assert taken.value.code == "document_taken"


def test_categories_as_of_a_date_and_no_overlap(make_person):
    person = make_person()
    large = CategoryKind.objects.get(code="large-family")
    services.category_assign(
        actor=SYSTEM,
        person=person,
        kind=large,
        valid_from=dt.date(2024, 1, 1),
        valid_to=dt.date(2025, 2, 28),
    )
    with pytest.raises(DomainError) as error:
        services.category_assign(
            actor=SYSTEM, person=person, kind=large, valid_from=dt.date(2025, 2, 1)
        )
    assert error.value.code == "category_overlaps"
    services.category_assign(
        actor=SYSTEM, person=person, kind=large, valid_from=dt.date(2025, 3, 2)
    )
    holders = {
        day: set(selectors.holding_on(day, "large-family").values_list("person", flat=True))
        for day in (
            dt.date(2023, 12, 31),
            dt.date(2024, 1, 1),
            dt.date(2025, 2, 28),
            dt.date(2025, 3, 1),
            dt.date(2025, 3, 2),
            dt.date(2030, 1, 1),
        )
    }
    assert holders[dt.date(2023, 12, 31)] == set()
    assert holders[dt.date(2024, 1, 1)] == {person.pk}
    assert holders[dt.date(2025, 2, 28)] == {person.pk}
    assert holders[dt.date(2025, 3, 1)] == set()  # the gap day between the two holdings
    assert holders[dt.date(2025, 3, 2)] == {person.pk}
    assert holders[dt.date(2030, 1, 1)] == {person.pk}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
    length=st.integers(0, 800) | st.none(),
    probe=st.dates(dt.date(1999, 1, 1), dt.date(2033, 1, 1)),
)
def test_holding_on_a_day_is_exactly_the_period(make_person, start, length, probe):
    person = Person.objects.first() or make_person()
    end = start + dt.timedelta(days=length) if length is not None else None
    PersonCategory.objects.all().delete()
    services.category_assign(
        actor=SYSTEM,
        person=person,
        kind=CategoryKind.objects.get(code="veteran"),
        valid_from=start,
        valid_to=end,
    )
    found = selectors.holding_on(probe, "veteran").exists()
    assert found == (start <= probe and (end is None or probe <= end))


def test_expiring_categories_follow_each_kinds_review_period(make_person, worker_a, worker_b):
    person = make_person()
    today = dt.date.today()
    pensioner = CategoryKind.objects.get(code="pensioner")  # reviewed 30 days ahead
    disability = CategoryKind.objects.get(code="disability-2")  # reviewed 60 days ahead
    soon = services.category_assign(
        actor=SYSTEM,
        person=person,
        kind=pensioner,
        valid_from=dt.date(2020, 1, 1),
        valid_to=today + dt.timedelta(days=20),
    )
    services.category_assign(
        actor=SYSTEM,
        person=person,
        kind=disability,
        valid_from=dt.date(2020, 1, 1),
        valid_to=today + dt.timedelta(days=90),
    )
    later = services.category_assign(
        actor=SYSTEM,
        person=person,
        kind=CategoryKind.objects.get(code="disability-3"),
        valid_from=dt.date(2020, 1, 1),
        valid_to=today + dt.timedelta(days=45),
    )
    expiring = set(selectors.expiring_categories(actor=worker_a).values_list("pk", flat=True))
    assert expiring == {soon.pk, later.pk}
    assert not selectors.expiring_categories(actor=worker_b).exists()


def test_households_have_one_current_applicant_and_members_leave(make_person):
    mother = make_person()
    child = make_person(first_name="Ольга", birth_date=dt.date(2015, 5, 5))
    household = services.household_create(
        actor=SYSTEM, applicant=mother, address="ул. Льва Толстого, 5"
    )
    member = services.household_add_member(
        actor=SYSTEM, household=household, person=child, relation="child"
    )
    with pytest.raises(DomainError) as twice:
        services.household_add_member(
            actor=SYSTEM, household=household, person=child, relation="child"
        )
    assert twice.value.code == "already_member"
    with pytest.raises(DomainError):
        services.household_add_member(
            actor=SYSTEM, household=household, person=child, relation="applicant"
        )
    with pytest.raises(DomainError):
        services.household_member_leave(
            actor=SYSTEM, member=member, left_on=member.joined_on - dt.timedelta(days=1)
        )
    services.household_member_leave(actor=SYSTEM, member=member, left_on=dt.date.today())
    assert history(household)[:2] == [
        "registry.household.member_left",
        "registry.household.member_joined",
    ]
    assert Household.objects.get().members.filter(left_on__isnull=True).count() == 1


def test_incomes_are_monthly_and_updating_is_audited(make_person):
    person = make_person()
    services.income_record(
        actor=SYSTEM,
        person=person,
        month=dt.date(2026, 3, 17),
        kind="pension",
        amount=Decimal("23500.00"),
    )
    services.income_record(
        actor=SYSTEM,
        person=person,
        month=dt.date(2026, 3, 1),
        kind="pension",
        amount=Decimal("24100.00"),
    )
    income = Income.objects.get()
    assert income.month == dt.date(2026, 3, 1) and income.amount == Decimal("24100.00")
    assert history(person).count("registry.income.recorded") == 2
    with pytest.raises(DomainError):
        services.income_record(
            actor=SYSTEM,
            person=person,
            month=dt.date(2026, 4, 1),
            kind="salary",
            amount=Decimal("-1"),
        )


def test_scope_people_of_other_institutions_are_invisible(
    make_person, worker_a, worker_b, analyst, admin_user, institution_b
):
    mine = make_person()
    theirs = make_person(first_name="Анна", institution=institution_b)
    assert list(selectors.people(actor=worker_a)) == [mine]
    assert list(selectors.people(actor=worker_b)) == [theirs]
    assert not selectors.people(actor=analyst).exists()
    assert selectors.people(actor=admin_user).count() == 2
    assert selectors.statistics(actor=analyst)["people"] == 2
    services.person_serve(actor=SYSTEM, person=theirs, institution=mine.served_by.get())
    assert selectors.people(actor=worker_a).count() == 2  # no row twice


def test_snils_is_masked_for_roles_that_do_not_need_it(
    make_person, make_user, worker_a, institution_a
):
    person = make_person(snils="112-233-445 95")
    specialist = make_user("employment_specialist", institutions=[institution_a])
    assert selectors.snils_for(worker_a, person) == "112-233-445 95"
    assert selectors.snils_for(specialist, person) == "•••-•••-445 95"
