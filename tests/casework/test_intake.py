"""Intake: an application with its grounds, who applied and through which channel, and the urgent
services given at once (442-FZ art. 21), all in one transaction."""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from opora.casework import audit_actions as actions
from opora.casework import services
from opora.casework.models import Case, CaseStatus, Delivery
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.registry import audit_actions as registry_actions
from opora.registry.models import Person, PersonInstitution


@pytest.fixture
def register(grounds, person_a, institution_a, today):
    def do(**fields):
        fields.setdefault("actor", SYSTEM)
        fields.setdefault("person", person_a)
        fields.setdefault("institution", institution_a)
        fields.setdefault("channel", "in_person")
        fields.setdefault("applied_on", today)
        fields.setdefault("grounds", [grounds["self-care-loss"]])
        return services.case_register(**fields)

    return do


def test_an_application_is_registered_with_its_grounds_and_services(
    register, grounds, home_service, person_a, institution_a, worker_a
):
    case = register(
        actor=worker_a,
        grounds=[grounds["self-care-loss"], grounds["no-work-no-means"]],
        requested_services=[home_service],
        requested_form="home",
        circumstances="  Живёт одна  ",
    )
    assert case.status == CaseStatus.APPLIED
    assert case.registered_by == worker_a
    assert case.circumstances == "Живёт одна"
    assert {g.code for g in case.grounds.all()} == {"self-care-loss", "no-work-no-means"}
    assert list(case.requested_services.all()) == [home_service]
    # From now on the institution serves the person, so its staff find her.
    assert PersonInstitution.objects.filter(person=person_a, institution=institution_a).exists()
    entry = AuditEntry.objects.get(action=actions.CASE_REGISTERED)
    assert entry.actor == worker_a
    assert entry.data["grounds"] == ["self-care-loss", "no-work-no-means"]


def _served_entries(person):
    """The registry's audit entries of the institutions that began to serve ``person``."""
    return AuditEntry.objects.filter(
        action=registry_actions.SERVICE_LINK_ADDED, object_id=str(person.pk)
    )


def test_an_application_to_a_new_institution_is_registered_by_the_registry(
    register, make_person, institution_a, institution_b, worker_a
):
    """Each app writes its own tables: the registry attaches the person to the institution
    that took her application, and writes its audit entry, in the same transaction."""
    newcomer = make_person(institution_b)
    assert not PersonInstitution.objects.filter(person=newcomer, institution=institution_a)
    before = _served_entries(newcomer).count()
    register(actor=worker_a, person=newcomer)
    assert PersonInstitution.objects.filter(person=newcomer, institution=institution_a).exists()
    entry = _served_entries(newcomer).order_by("-pk").first()
    assert _served_entries(newcomer).count() == before + 1
    assert entry.actor == worker_a
    assert entry.data == {"institution": str(institution_a)}
    # A second application to the same institution attaches nobody again.
    register(actor=worker_a, person=newcomer)
    assert _served_entries(newcomer).count() == before + 1


def test_the_institution_serves_the_person_from_the_day_of_the_application(
    register, make_person, institution_a, institution_b, worker_a, today
):
    newcomer = make_person(institution_b)
    applied_on = today - dt.timedelta(days=3)
    register(actor=worker_a, person=newcomer, applied_on=applied_on)
    link = PersonInstitution.objects.get(person=newcomer, institution=institution_a)
    assert link.since == applied_on


def test_a_refused_application_attaches_nobody(
    register, make_person, institution_a, institution_b, home_service, refuses
):
    newcomer = make_person(institution_b)
    # Refused by the urgent service given with it, after the case was written.
    refuses("not_urgent", register, person=newcomer, urgent=[services.UrgentEntry(home_service)])
    assert not PersonInstitution.objects.filter(person=newcomer, institution=institution_a)


def test_casework_writes_no_registry_table_itself():
    """The registry's links are written through its services (``person_serve``), never by
    casework with the ORM: no casework module names the link model, and the services import
    the registry's models for their type hints only."""
    root = Path(services.__file__).resolve().parents[1]
    sources = {
        path.relative_to(root): path.read_text(encoding="utf-8")
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
    }
    assert [str(path) for path, text in sources.items() if "PersonInstitution" in text] == []
    run_time_imports = [
        str(path)
        for path, text in sources.items()
        if path.parts[0] == "services"
        for node in ast.parse(text).body
        if isinstance(node, ast.ImportFrom) and node.module == "opora.registry.models"
    ]
    assert run_time_imports == []


def test_an_application_has_at_least_one_ground(register, refuses):
    error = refuses("no_grounds", register, grounds=[])
    assert "grounds" in error.details


def test_a_retired_ground_is_refused(register, grounds, refuses):
    ground = grounds["no-work-no-means"]
    ground.is_active = False
    ground.save()
    refuses("ground_retired", register, grounds=[ground])


def test_a_representative_is_named(register, refuses):
    refuses("representative_unnamed", register, applicant="representative", representative_name="")
    case = register(
        applicant="representative",
        representative_name=" Петров Иван Сергеевич ",
        representative_basis="Доверенность № 12",
    )
    assert case.representative_name == "Петров Иван Сергеевич"


def test_a_referral_names_the_body_that_referred(register, refuses):
    refuses("referral_unnamed", register, channel="referral", referred_by="  ")
    assert register(channel="referral", referred_by="Поликлиника № 5").referred_by


@pytest.mark.parametrize(
    "field, value, code",
    [
        ("channel", "pigeon", "unknown_channel"),
        ("applicant", "neighbour", "unknown_applicant"),
        ("requested_form", "abroad", "unknown_form"),
    ],
)
def test_unknown_choices_are_refused(register, refuses, field, value, code):
    refuses(code, register, **{field: value})


def test_an_application_cannot_be_dated_in_the_future(register, refuses, today):
    error = refuses("date_in_future", register, applied_on=today + dt.timedelta(days=1))
    assert "applied_on" in error.details


def test_a_merged_record_cannot_apply(register, refuses, make_person, institution_a, person_a):
    survivor = make_person(institution_a)
    Person.objects.filter(pk=person_a.pk).update(merged_into=survivor)
    person_a.refresh_from_db()
    refuses("person_merged", register, person=person_a)


def test_a_worker_registers_only_at_her_own_institution(register, refuses, worker_b):
    error = refuses("not_your_institution", register, actor=worker_b)
    assert error.status == 403


def test_urgent_services_at_intake_are_delivered_free_without_a_programme(
    register, urgent_service, worker_a, today
):
    case = register(
        actor=worker_a,
        urgent=[
            services.UrgentEntry(service=urgent_service, quantity=2, minutes=20, note=" Обед ")
        ],
    )
    delivery = Delivery.objects.get(case=case)
    assert delivery.is_urgent
    assert delivery.item is None
    assert (delivery.quantity, delivery.minutes, delivery.note) == (2, 20, "Обед")
    assert delivery.unit_price == Decimal("0") and delivery.cost == Decimal("0")
    assert delivery.delivered_on == today
    assert not case.programmes.exists()
    # An urgent service does not move the case: it still waits for the decision.
    case.refresh_from_db()
    assert case.status == CaseStatus.APPLIED
    assert AuditEntry.objects.filter(action=actions.URGENT_DELIVERED).count() == 1


def test_a_service_that_is_not_urgent_is_refused_and_no_case_is_left(
    register, urgent_service, home_service, refuses
):
    refuses(
        "not_urgent",
        register,
        urgent=[services.UrgentEntry(service=urgent_service), services.UrgentEntry(home_service)],
    )
    assert not Case.objects.exists()
    assert not Delivery.objects.exists()


def test_an_urgent_service_needs_at_least_one_unit(register, urgent_service, refuses):
    refuses(
        "quantity_not_positive",
        register,
        urgent=[services.UrgentEntry(service=urgent_service, quantity=0)],
    )
    assert not Case.objects.exists()


def test_an_urgent_service_later_is_given_not_before_the_application(
    case_at, urgent_service, refuses, today
):
    case = case_at(CaseStatus.ASSESSED)
    refuses(
        "date_too_early",
        services.urgent_service_deliver,
        actor=SYSTEM,
        case=case,
        entry=services.UrgentEntry(service=urgent_service),
        delivered_on=case.applied_on - dt.timedelta(days=1),
    )
    delivery = services.urgent_service_deliver(
        actor=SYSTEM,
        case=case,
        entry=services.UrgentEntry(service=urgent_service),
        delivered_on=today,
    )
    assert delivery.is_urgent and delivery.cost == 0


def test_no_urgent_service_in_a_closed_case(case_at, urgent_service, refuses, today):
    case = case_at(CaseStatus.CLOSED)
    refuses(
        "case_closed",
        services.urgent_service_deliver,
        actor=SYSTEM,
        case=case,
        entry=services.UrgentEntry(service=urgent_service),
        delivered_on=today,
    )
