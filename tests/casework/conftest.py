"""Casework fixtures, built through the services: the rules and calendars, a service of the
catalogue given at home by institution A, a home-care social worker, a resident of A, and a
``case_at`` factory that walks a case through the workflow to the status asked for."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from opora.casework import services
from opora.casework.models import ApplicationGround, AssessmentScale, CaseStatus
from opora.casework.reference import ensure_reference
from opora.catalogue import services as catalogue_services
from opora.catalogue.models import ServiceKind
from opora.catalogue.reference import ensure_kinds
from opora.core.actors import SYSTEM
from opora.demo.steps.rules import load_rules
from opora.institutions import services as institution_services
from opora.institutions.models import Position
from opora.institutions.reference import ensure_reference_data
from opora.registry import services as registry_services

_numbers = itertools.count(1)


@pytest.fixture
def casework_reference(db):
    """What the migrations load, again: a transactional test starts with it flushed."""
    ensure_reference()
    ensure_kinds()
    ensure_reference_data()
    load_rules()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def grounds(casework_reference):
    return {g.code: g for g in ApplicationGround.objects.all()}


@pytest.fixture
def barthel(casework_reference):
    return AssessmentScale.objects.get(code="barthel")


def barthel_answers(scale, points_each: str = "max") -> dict[str, int]:
    """Every item answered with its highest ("max") or lowest ("min") option."""
    pick = max if points_each == "max" else min
    return {item.code: pick(item.points()) for item in scale.items.all()}


@pytest.fixture
def district(db):
    number = next(_numbers)
    return institution_services.district_create(
        actor=SYSTEM, code=f"cw-district-{number}", name=f"Район {number}"
    )


@pytest.fixture
def make_home_service(casework_reference):
    def make(*, code=None, kind="social-household", price="250.00", **fields):
        number = next(_numbers)
        service = catalogue_services.service_create(
            actor=SYSTEM,
            code=code or f"7.{number:03d}",
            name=fields.pop("name", f"Покупка продуктов № {number}"),
            name_en=fields.pop("name_en", f"Buying groceries No. {number}"),
            kind=ServiceKind.objects.get(code=kind),
            forms=fields.pop("forms", ["home"]),
            regime=fields.pop("regime", "periodic"),
            periodicity_times=fields.pop("periodicity_times", 2),
            periodicity_unit=fields.pop("periodicity_unit", "week"),
            unit=fields.pop("unit", "service"),
            standard_duration_minutes=fields.pop("standard_duration_minutes", 30),
            **fields,
        )
        catalogue_services.tariff_add(
            actor=SYSTEM, service=service, price=Decimal(price), valid_from=dt.date(2024, 1, 1)
        )
        return service

    return make


@pytest.fixture
def home_service(make_home_service):
    return make_home_service(code="1.01")


@pytest.fixture
def urgent_service(casework_reference):
    return catalogue_services.service_create(
        actor=SYSTEM,
        code="8.01",
        name="Обеспечение бесплатным горячим питанием",
        name_en="Free hot meals",
        kind=ServiceKind.objects.get(code="urgent"),
        forms=["home", "semi_residential", "residential"],
        regime="one_time",
        unit="set",
        standard_duration_minutes=30,
        urgent_allowed=True,
    )


@pytest.fixture
def provide(district):
    """Enter an institution in the register of providers of a service at home."""

    def enter(institution, service, *, form="home", price=None, valid_from=dt.date(2024, 1, 1)):
        return catalogue_services.provider_add(
            actor=SYSTEM,
            institution=institution,
            service=service,
            form=form,
            district=district,
            valid_from=valid_from,
            price=price,
        )

    return enter


@pytest.fixture
def provider_a(provide, institution_a, home_service):
    return provide(institution_a, home_service)


@pytest.fixture
def make_person(db):
    def make(institution, **fields):
        number = next(_numbers)
        fields.setdefault("last_name", "Петрова")
        fields.setdefault("first_name", f"Анна{number}")
        fields.setdefault("patronymic", "Ивановна")
        fields.setdefault("sex", "F")
        fields.setdefault("birth_date", dt.date(1941, 5, 9))
        return registry_services.person_register(actor=SYSTEM, institution=institution, **fields)

    return make


@pytest.fixture
def person_a(make_person, institution_a):
    return make_person(institution_a)


@pytest.fixture
def make_home_worker(casework_reference):
    def make(institution, *, caseload_limit=8, user=None):
        number = next(_numbers)
        return institution_services.employee_hire(
            actor=SYSTEM,
            institution=institution,
            position=Position.objects.get(code="social-worker"),
            hired_on=dt.date(2020, 1, 1),
            caseload_limit=caseload_limit,
            last_name="Соколова",
            first_name=f"Мария{number}",
            user=user,
        )

    return make


@pytest.fixture
def home_worker_a(make_home_worker, institution_a, worker_a):
    """The home-care social worker of institution A, whose account is ``worker_a``."""
    return make_home_worker(institution_a, user=worker_a)


def working_day_before(day: dt.date, count: int = 1) -> dt.date:
    """A weekday ``count`` weekdays before ``day`` (the tests' dates avoid the holidays)."""
    while count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


@pytest.fixture
def case_at(casework_reference, grounds, barthel, person_a, institution_a, provider_a, today):
    """``case_at(status)`` registers a case of ``person_a`` at institution A and takes it
    through the services to ``status``; the steps happen on the days before today."""

    def walk(status: str = CaseStatus.APPLIED, *, person=None, income=Decimal("30000"), **kw):
        applied_on = kw.pop("applied_on", working_day_before(today, 5))
        case = services.case_register(
            actor=SYSTEM,
            person=person or person_a,
            institution=institution_a,
            channel="in_person",
            applied_on=applied_on,
            grounds=[grounds["self-care-loss"]],
            requested_services=[provider_a.service],
            requested_form="home",
        )
        if status == CaseStatus.APPLIED:
            return case
        if status == CaseStatus.CLOSED:
            return services.case_close(actor=SYSTEM, case=case, on=today, note="Отозвано")
        services.assessment_record(
            actor=SYSTEM,
            case=case,
            scale=barthel,
            answers=barthel_answers(barthel, "min"),
            assessed_on=applied_on,
        )
        case.refresh_from_db()
        if status == CaseStatus.ASSESSED:
            return case
        if status == CaseStatus.REFUSED:
            services.need_decide(
                actor=SYSTEM, case=case, outcome="refused", decided_on=applied_on, reasons="Нет"
            )
            case.refresh_from_db()
            return case
        services.need_decide(actor=SYSTEM, case=case, outcome="recognised", decided_on=applied_on)
        case.refresh_from_db()
        if status == CaseStatus.RECOGNISED:
            return case
        programme = services.programme_draft(
            actor=SYSTEM, case=case, form="home", drawn_up_on=applied_on, income=income
        )
        services.programme_item_add(
            actor=SYSTEM,
            programme=programme,
            service=provider_a.service,
            provider=provider_a,
            volume=kw.pop("volume", 100),
            times=2,
            per="week",
        )
        case.refresh_from_db()
        if status == CaseStatus.PROGRAMME_DRAFTED:
            return case
        services.programme_agree(actor=SYSTEM, programme=programme, agreed_on=applied_on)
        case.refresh_from_db()
        if status == CaseStatus.AGREED:
            return case
        item = programme.items.get()
        services.deliveries_record(
            actor=SYSTEM,
            case=case,
            entries=[services.DeliveryEntry(item=item, delivered_on=applied_on)],
        )
        case.refresh_from_db()
        if status == CaseStatus.IN_SERVICE:
            return case
        services.case_suspend(actor=SYSTEM, case=case, on=today, note="В больнице")
        case.refresh_from_db()
        return case

    return walk


# --- What a refused step must leave untouched -------------------------------------------------


def footprint() -> dict:
    """Every row a casework service may write, counted, and the state of the cases and
    programmes: equal before and after a refused call when nothing was half-written."""
    from opora.casework import models as cw
    from opora.core.models import AuditEntry
    from opora.registry.models import PersonInstitution

    counted = (
        AuditEntry,
        PersonInstitution,
        cw.Case,
        cw.CaseTransition,
        cw.CaseDocument,
        cw.Assessment,
        cw.NeedDecision,
        cw.Programme,
        cw.ProgrammeItem,
        cw.Delivery,
        cw.MissedVisit,
        cw.ServiceAct,
    )
    state = {model.__name__: model.objects.count() for model in counted}
    state["cases"] = sorted(
        cw.Case.objects.values_list("pk", "status", "status_since", "next_due", "worker")
    )
    state["programmes"] = sorted(cw.Programme.objects.values_list("pk", "status", "ended_on"))
    state["items"] = sorted(cw.ProgrammeItem.objects.values_list("pk", "refused_on"))
    return state


@pytest.fixture
def refuses(db):
    """``refuses(code, service, **kwargs)``: the call is refused with ``code`` and nothing is
    written. Returns the error."""
    from opora.core.errors import DomainError

    def check(code, call, **kwargs):
        before = footprint()
        with pytest.raises(DomainError) as caught:
            call(**kwargs)
        assert caught.value.code == code, caught.value.as_body()
        assert footprint() == before
        return caught.value

    return check
