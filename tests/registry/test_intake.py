"""The duplicate check at intake, and registering despite a likely match."""

import datetime as dt

import pytest

from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.registry import services
from opora.registry.intake import (
    LIKELY_MATCH_THRESHOLD,
    date_agreement,
    likely_matches,
    match_score,
    name_similarity,
    visible_matches,
)
from opora.registry.models import IntakeOverride, Person
from opora.registry.names import snils_format

from .conftest import valid_snils

BORN = dt.date(1956, 3, 8)


@pytest.fixture
def maria(make_person):
    """Иванова Мария Петровна, born 08.03.1956, served by institution A."""
    return make_person(snils=valid_snils())


def pks(matches):
    return [person.pk for person, _score in matches]


def test_the_same_snils_is_certain(maria):
    matches = likely_matches(
        last_name="Сидорова", first_name="Анна", snils=snils_format(maria.snils)
    )
    assert matches == [(maria, 1.0)]


@pytest.mark.parametrize(
    ("last_name", "first_name", "patronymic"),
    [
        ("Иванова", "Мария", "Петровна"),
        ("Ивонова", "Мария", "Петровна"),  # a typo in the surname
        ("Иванова", "Мраия", "Петровна"),  # letters swapped in the first name
        ("Ivanova", "Mariia", "Petrovna"),  # typed in Latin
        ("Иванова", "Мария", ""),  # no patronymic given
        ("Мария", "Иванова", "Петровна"),  # first name and surname the wrong way round
    ],
)
def test_name_and_birth_date_with_typos(maria, last_name, first_name, patronymic):
    matches = likely_matches(
        last_name=last_name, first_name=first_name, patronymic=patronymic, birth_date=BORN
    )
    assert pks(matches) == [maria.pk]
    assert LIKELY_MATCH_THRESHOLD <= matches[0][1] <= 1.0


def test_day_and_month_swapped_is_a_partial_agreement(maria):
    (same,) = likely_matches(last_name="Иванова", first_name="Мария", birth_date=BORN)
    (swapped,) = likely_matches(
        last_name="Иванова",
        first_name="Мария",
        patronymic="Петровна",
        birth_date=dt.date(1956, 8, 3),
    )
    assert swapped[0] == maria
    assert LIKELY_MATCH_THRESHOLD <= swapped[1] < same[1] == 1.0


def test_an_unknown_date_of_birth_still_matches_the_same_name(make_person):
    undated = make_person(birth_date=None)
    matches = likely_matches(
        last_name="Иванова", first_name="Мария", patronymic="Петровна", birth_date=BORN
    )
    assert pks(matches) == [undated.pk]
    assert pks(likely_matches(last_name="Иванова", first_name="Мария")) == [undated.pk]


def test_a_different_person_is_not_a_match(maria):
    assert (
        likely_matches(
            last_name="Петров",
            first_name="Иван",
            patronymic="Сергеевич",
            birth_date=dt.date(1980, 1, 1),
        )
        == []
    )
    # A namesake born on another day is not flagged: namesakes are common.
    assert (
        likely_matches(
            last_name="Иванова",
            first_name="Мария",
            patronymic="Петровна",
            birth_date=dt.date(1971, 11, 23),
        )
        == []
    )
    # Someone else born the same day is not flagged either.
    assert (
        likely_matches(
            last_name="Сидорова", first_name="Анна", patronymic="Олеговна", birth_date=BORN
        )
        == []
    )


def test_different_snils_numbers_mean_different_people(maria):
    assert (
        likely_matches(
            last_name="Иванова",
            first_name="Мария",
            patronymic="Петровна",
            birth_date=BORN,
            snils=valid_snils(),
        )
        == []
    )


def test_a_former_name_is_matched(maria):
    services.person_update(actor=SYSTEM, person=maria, last_name="Сидорова", reason="Брак")
    matches = likely_matches(
        last_name="Иванова", first_name="Мария", patronymic="Петровна", birth_date=BORN
    )
    assert pks(matches) == [maria.pk]


def test_the_record_being_edited_and_merged_records_are_left_out(maria, make_person):
    assert (
        likely_matches(
            last_name="Иванова", first_name="Мария", birth_date=BORN, exclude_pk=maria.pk
        )
        == []
    )
    survivor = make_person(birth_date=dt.date(1990, 1, 1), last_name="Петрова")
    Person.objects.filter(pk=maria.pk).update(merged_into=survivor)
    assert likely_matches(last_name="Иванова", first_name="Мария", birth_date=BORN) == []


def test_best_matches_first_and_limited(make_person):
    exact = make_person()
    typo = make_person(last_name="Ивонова")
    one_digit_off = make_person(birth_date=dt.date(1956, 3, 9))
    matches = likely_matches(
        last_name="Иванова", first_name="Мария", patronymic="Петровна", birth_date=BORN, limit=2
    )
    assert pks(matches) == [exact.pk, typo.pk]
    assert matches[0][1] > matches[1][1]
    everyone = likely_matches(
        last_name="Иванова", first_name="Мария", patronymic="Петровна", birth_date=BORN
    )
    assert pks(everyone) == [exact.pk, typo.pk, one_digit_off.pk]
    # Spellings that fold to one key are the same name: "Иваннова Марья" is "Иванова Мария".
    folded = make_person(last_name="Иваннова", first_name="Марья")
    assert (folded, 1.0) in likely_matches(
        last_name="Иванова", first_name="Мария", patronymic="Петровна", birth_date=BORN
    )


def test_matches_are_found_across_institutions_and_shown_by_scope(
    make_person, institution_b, worker_a, worker_b, admin_user
):
    other = make_person(institution=institution_b)
    matches = likely_matches(last_name="Иванова", first_name="Мария", birth_date=BORN)
    assert pks(matches) == [other.pk]
    assert visible_matches(worker_a, matches) == ([], 1)
    assert visible_matches(worker_b, matches) == (matches, 0)
    assert visible_matches(admin_user, matches) == (matches, 0)
    assert visible_matches(worker_a, []) == ([], 0)


def test_scores():
    assert date_agreement(BORN, BORN) == 1.0
    assert date_agreement(BORN, dt.date(1956, 8, 3)) == 0.7
    assert date_agreement(BORN, dt.date(1956, 3, 9)) == 0.5  # one digit
    assert date_agreement(BORN, dt.date(1957, 4, 9)) == 0.0
    assert date_agreement(BORN, None) is None
    same = ("ivanova", "maria", "petrovna")
    assert name_similarity(same, same) == 1.0
    assert name_similarity(same, ("petrova", "anna", "ivanovna")) < 0.6
    score = match_score(
        same, BORN, "1", candidate_names=[same], candidate_birth_date=BORN, candidate_snils="1"
    )
    assert score == 1.0


# --- registering despite a likely match -----------------------------------------------------


def test_registering_a_likely_duplicate_needs_a_reason(maria, admin_user, institution_a):
    fields = {
        "last_name": "Ивонова",
        "first_name": "Мария",
        "patronymic": "Петровна",
        "sex": "F",
        "birth_date": BORN,
    }
    matches = likely_matches(**{k: v for k, v in fields.items() if k != "sex"})
    assert pks(matches) == [maria.pk]
    for reason in ("", "   "):
        with pytest.raises(DomainError) as refused:
            services.person_register(
                actor=admin_user,
                institution=institution_a,
                likely_matches=matches,
                override_reason=reason,
                **fields,
            )
        assert refused.value.code == "likely_duplicate"
        assert refused.value.details["matches"] == [str(maria.pk)]
    assert Person.objects.count() == 1

    person = services.person_register(
        actor=admin_user,
        institution=institution_a,
        likely_matches=matches,
        override_reason="Другой человек: сверено по паспорту",
        **fields,
    )
    override = IntakeOverride.objects.get(person=person)
    assert override.matched == maria
    assert override.score == matches[0][1]
    assert override.reason == "Другой человек: сверено по паспорту"
    assert override.decided_by == admin_user
    entry = AuditEntry.objects.get(action="registry.person.registered_despite_match")
    assert entry.object_id == str(person.pk)
    assert entry.actor == admin_user
    assert entry.reason == "Другой человек: сверено по паспорту"
    assert entry.data["matched_id"] == maria.pk
    # The new record is found by the check from now on.
    again = likely_matches(
        last_name="Ивонова", first_name="Мария", patronymic="Петровна", birth_date=BORN
    )
    assert set(pks(again)) == {maria.pk, person.pk}
