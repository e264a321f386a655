"""Rows of one import file that share a SNILS: the first valid row keeps it, each later row
loads without it with a warning, and the pair goes onto the duplicate review queue.

Runs on both databases: ``None`` is the database's own loader (portable on SQLite, COPY and
set-based SQL on PostgreSQL), ``"portable"`` the portable one everywhere."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opora.registry.imports import services
from opora.registry.imports.validation import m_snils_shared, m_snils_taken
from opora.registry.models import DuplicateCandidate, ImportBatch, ImportStatus, Person
from opora.registry.names import snils_masked

from .conftest import valid_snils
from .test_import_helpers import PEOPLE_HEADER, csv_bytes, issues, person_row, run

pytestmark = pytest.mark.django_db

SHARED = valid_snils(4_404_404)
STRATEGIES = pytest.mark.parametrize("strategy", ["portable", None])


def written(snils: str) -> str:
    return f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}"


def shared_file() -> bytes:
    """Rows 2, 3 and 4 (the header is row 1) share one SNILS, written in two ways."""
    return csv_bytes(
        [
            person_row("S1", "Орлова", "Анна", snils=SHARED),
            person_row("S2", "Орлова", "Анна", born="09.03.1956", snils=SHARED),
            person_row(
                "S3",
                "Орлов",
                "Иван",
                sex="M",
                snils=written(SHARED),
            ),
            person_row("S4", "Соколова", "Вера"),
        ],
        PEOPLE_HEADER,
    )


def queued_pairs() -> list[tuple[str, str]]:
    return sorted(
        tuple(sorted((c.person_a.external_key, c.person_b.external_key)))
        for c in DuplicateCandidate.objects.select_related("person_a", "person_b")
    )


def snils_by_key() -> dict[str, str | None]:
    return dict(Person.objects.values_list("external_key", "snils"))


@STRATEGIES
def test_the_first_row_keeps_the_snils_and_the_others_are_queued_with_it(admin_user, strategy):
    batch = run(admin_user, shared_file(), strategy=strategy)
    assert batch.status == ImportStatus.LOADED
    assert (batch.inserted, batch.error_rows) == (4, 0)
    assert snils_by_key() == {"S1": SHARED, "S2": None, "S3": None, "S4": None}
    assert issues(batch) == [
        (3, "snils", SHARED, m_snils_shared(2)),
        (4, "snils", written(SHARED), m_snils_shared(2)),
    ]
    assert all(i.warning for i in batch.issues.all())
    assert queued_pairs() == [("S1", "S2"), ("S1", "S3")]
    reasons = {c.run.params["reason"] for c in DuplicateCandidate.objects.select_related("run")}
    masked = snils_masked(SHARED)
    assert reasons == {
        f"Import #{batch.pk}: rows 2 and 3 share the SNILS {masked}.",
        f"Import #{batch.pk}: rows 2 and 4 share the SNILS {masked}.",
    }
    assert all(SHARED not in reason for reason in reasons)


@STRATEGIES
def test_importing_the_file_again_or_restarting_it_queues_nothing_twice(admin_user, strategy):
    run(admin_user, shared_file(), strategy=strategy)
    again = run(admin_user, shared_file(), strategy=strategy)
    # The first row's record holds the SNILS now: the others still share it, not "taken".
    assert (again.status, again.error_rows, again.inserted) == (ImportStatus.LOADED, 0, 0)
    assert [m for *_rest, m in issues(again)] == [m_snils_shared(2)] * 2
    ImportBatch.objects.filter(pk=again.pk).update(status=ImportStatus.FAILED)
    services.import_run(actor=admin_user, batch=again, strategy=strategy)
    again.refresh_from_db()
    assert again.status == ImportStatus.LOADED and len(issues(again)) == 2
    assert queued_pairs() == [("S1", "S2"), ("S1", "S3")]
    assert snils_by_key()["S1"] == SHARED


@STRATEGIES
def test_a_record_already_holding_the_snils_keeps_it_when_its_row_comes_later(
    admin_user, make_person, strategy
):
    make_person(external_key="S3", snils=SHARED)
    batch = run(admin_user, shared_file(), strategy=strategy)
    assert (batch.status, batch.error_rows) == (ImportStatus.LOADED, 0)
    assert snils_by_key()["S3"] == SHARED and snils_by_key()["S1"] is None
    assert [(row, m) for row, _c, _v, m in issues(batch)] == [
        (2, m_snils_shared(4)),
        (3, m_snils_shared(4)),
    ]
    assert queued_pairs() == [("S1", "S3"), ("S2", "S3")]


@STRATEGIES
def test_a_snils_held_by_a_record_not_in_the_file_is_still_refused(
    admin_user, make_person, strategy
):
    make_person(external_key="OTHER", snils=SHARED)
    batch = run(admin_user, shared_file(), strategy=strategy, mode="valid_only")
    assert [(row, m) for row, _c, _v, m in issues(batch)] == [
        (2, m_snils_taken()),
        (3, m_snils_taken()),
        (4, m_snils_taken()),
    ]
    assert (batch.error_rows, batch.inserted) == (3, 1)
    assert not DuplicateCandidate.objects.exists()


def test_the_api_and_the_page_of_the_batch_show_the_warnings(login, admin_user):
    batch = run(admin_user, shared_file())
    client = login(admin_user)
    found = client.get(f"/api/v1/registry/imports/{batch.pk}/issues").json()["items"]
    assert [(i["row"], i["value"], i["message"], i["warning"]) for i in found] == [
        (3, SHARED, m_snils_shared(2), True),
        (4, written(SHARED), m_snils_shared(2), True),
    ]
    page = client.get(reverse("registry:registry_import:detail", args=[batch.pk]))
    text = page.content.decode()
    assert text.count("Warning:") == 2 and m_snils_shared(2) in text
