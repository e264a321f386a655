"""Employers (their INN checked by its check digits) and their vacancies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, require_choice, validated
from opora.institutions.models import District

from .. import audit_actions as actions
from ..inn import inn_is_valid
from ..models import (
    Employer,
    EmployerKind,
    Occupation,
    Schedule,
    ServicePoint,
    Vacancy,
    VacancyStatus,
)
from .common import not_future, require_point, required_text

__all__ = ["employer_add", "vacancy_add", "vacancy_set_status"]

EMPLOYER_FIELDS = ["name", "inn", "kind", "district", "address", "contact_name", "phone", "email"]
VACANCY_FIELDS = [
    "employer",
    "occupation",
    "title",
    "pay_from",
    "pay_to",
    "schedule",
    "district",
    "places",
    "quota_places",
    "status",
    "opened_on",
]


def checked_inn(value: str) -> str:
    inn = "".join(value.split())
    if not inn_is_valid(inn):
        message = _(
            "An INN has 10 digits (an organisation) or 12 (an individual entrepreneur) "
            "and its check digits must hold."
        )
        raise DomainError("invalid_inn", message, details={"inn": [message]})
    return inn


def _inn_taken(inn: str) -> Conflict:
    message = _("An employer with the INN %(inn)s is already known.") % {"inn": inn}
    return Conflict("inn_taken", message, details={"inn": [message]})


@transaction.atomic
def employer_add(
    *,
    actor: Actor,
    service_point: ServicePoint,
    name: str,
    inn: str,
    district: District | None = None,
    address: str = "",
    contact_name: str = "",
    phone: str = "",
    email: str = "",
) -> Employer:
    require_point(actor, service_point)
    inn = checked_inn(inn)
    if Employer.objects.filter(inn=inn).exists():
        raise _inn_taken(inn)
    employer = validated(
        Employer(
            service_point=service_point,
            name=required_text(name, "name", _("Name the employer.")),
            inn=inn,
            kind=EmployerKind.ORGANISATION if len(inn) == 10 else EmployerKind.ENTREPRENEUR,
            district=district,
            address=address.strip(),
            contact_name=contact_name.strip(),
            phone=phone.strip(),
            email=email.strip(),
        )
    )
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError:  # the same INN added at the same moment
        raise _inn_taken(inn) from None
    audit.record(
        actor=actor,
        action=actions.EMPLOYER_ADDED,
        obj=employer,
        changes=audit.diff({}, audit.snapshot(employer, EMPLOYER_FIELDS)),
    )
    return employer


def _occupation(code: str) -> Occupation:
    occupation = Occupation.objects.filter(code=code).first()
    if occupation is None:
        message = _("The code %(code)s is not in the classifier of occupations.") % {"code": code}
        raise DomainError("unknown_occupation", message, details={"occupation": [message]})
    return occupation


@transaction.atomic
def vacancy_add(
    *,
    actor: Actor,
    employer: Employer,
    occupation: str,
    title: str,
    schedule: str,
    places: int,
    opened_on: dt.date,
    quota_places: int = 0,
    pay_from: Decimal | None = None,
    pay_to: Decimal | None = None,
    requirements: str = "",
    district: District | None = None,
    address: str = "",
) -> Vacancy:
    require_point(actor, employer.service_point)
    require_choice(schedule, Schedule, field="schedule")
    not_future(opened_on, "opened_on")
    if pay_from is not None and pay_to is not None and pay_from > pay_to:
        message = _("The pay «from» must not be above the pay «to».")
        raise DomainError("pay_range_reversed", message, details={"pay_from": [message]})
    if places < 1:
        message = _("A vacancy has at least one place.")
        raise DomainError("no_places", message, details={"places": [message]})
    if quota_places < 0 or quota_places > places:
        message = _("The quota places must be between 0 and the number of places (%(places)s).") % {
            "places": places
        }
        raise DomainError("quota_above_places", message, details={"quota_places": [message]})
    vacancy = validated(
        Vacancy(
            employer=employer,
            occupation=_occupation(occupation),
            title=required_text(title, "title", _("Give the vacancy a title.")),
            requirements=requirements.strip(),
            pay_from=pay_from,
            pay_to=pay_to,
            schedule=schedule,
            district=district,
            address=address.strip(),
            places=places,
            quota_places=quota_places,
            opened_on=opened_on,
        )
    )
    vacancy.save()
    audit.record(
        actor=actor,
        action=actions.VACANCY_ADDED,
        obj=vacancy,
        changes=audit.diff({}, audit.snapshot(vacancy, VACANCY_FIELDS)),
    )
    return vacancy


@transaction.atomic
def vacancy_set_status(*, actor: Actor, vacancy: Vacancy, status: str) -> Vacancy:
    require_point(actor, vacancy.employer.service_point)
    require_choice(status, VacancyStatus, field="status")
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    before = audit.snapshot(vacancy, ["status"])
    vacancy.status = status
    vacancy.save(update_fields=["status", "updated_at"])
    audit.record_changes(
        actor=actor,
        action=actions.VACANCY_STATUS_CHANGED,
        obj=vacancy,
        before=before,
        after=audit.snapshot(vacancy, ["status"]),
        data={"status": status},
    )
    return vacancy
