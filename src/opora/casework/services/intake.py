"""Intake: an application with its grounds, who applied and through which channel, and the
urgent social services given at once, without an individual programme (442-FZ art. 21)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from opora.catalogue.models import Service
from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import DomainError, require_choice, validated
from opora.institutions.models import Institution, ServiceForm
from opora.registry.services import person_serve
from opora.rules import selectors as rules

from .. import audit_actions as actions
from ..models import Applicant, ApplicationGround, Case, CaseTransition, Channel, Delivery
from .common import (
    _locked,
    _not_before,
    _not_future,
    _refuse_closed,
    _require_case,
    require_institution,
)
from .lifecycle import S

if TYPE_CHECKING:
    from opora.registry.models import Person

__all__ = ["UrgentEntry", "case_register", "urgent_service_deliver"]


def _checked_grounds(grounds: Iterable[ApplicationGround]) -> list[ApplicationGround]:
    chosen = list(grounds)
    if not chosen:
        raise DomainError(
            "no_grounds",
            _("Choose at least one ground on which the person applies."),
            details={"grounds": [_("Choose at least one ground.")]},
        )
    retired = [g for g in chosen if not g.is_active]
    if retired:
        raise DomainError(
            "ground_retired",
            _("The ground “%(ground)s” is no longer in use.") % {"ground": retired[0]},
            details={"grounds": [_("Choose a ground in use.")]},
        )
    return chosen


def _checked_applicant(applicant: str, representative_name: str, channel: str, referred_by: str):
    require_choice(
        channel,
        Channel,
        field="channel",
        code="unknown_channel",
        message=_("Unknown channel of the application."),
        hint=_("Choose how the application came."),
    )
    require_choice(
        applicant,
        Applicant,
        field="applicant",
        code="unknown_applicant",
        message=_("State who applied."),
        hint=_("Choose who applied."),
    )
    if applicant == Applicant.REPRESENTATIVE and not representative_name.strip():
        raise DomainError(
            "representative_unnamed",
            _("Name the representative who applied."),
            details={"representative_name": [_("Enter the representative's name.")]},
        )
    if channel == Channel.REFERRAL and not referred_by.strip():
        raise DomainError(
            "referral_unnamed",
            _("Name the body that referred the person."),
            details={"referred_by": [_("Enter who referred the person.")]},
        )


@dataclass(frozen=True)
class UrgentEntry:
    """An urgent service given at intake."""

    service: Service
    quantity: int = 1
    minutes: int | None = None
    note: str = ""


@transaction.atomic
def case_register(
    *,
    actor: Actor,
    person: Person,
    institution: Institution,
    channel: str,
    applied_on: dt.date,
    grounds: Iterable[ApplicationGround],
    requested_services: Iterable[Service] = (),
    requested_form: str = "",
    applicant: str = Applicant.SELF,
    representative_name: str = "",
    representative_basis: str = "",
    referred_by: str = "",
    circumstances: str = "",
    urgent: Sequence[UrgentEntry] = (),
) -> Case:
    """Register an application; urgent services given at once are recorded with it."""
    require_institution(actor, institution)
    if person.merged_into_id is not None:
        raise DomainError(
            "person_merged",
            _("This record was merged into another: register the application on that one."),
            details={"person": [_("Choose the surviving record.")]},
        )
    _checked_applicant(applicant, representative_name, channel, referred_by)
    chosen_grounds = _checked_grounds(grounds)
    if requested_form and requested_form not in ServiceForm.values:
        raise DomainError(
            "unknown_form",
            _("Unknown form of social service."),
            details={"requested_form": [_("Choose a form.")]},
        )
    _not_future(applied_on, "applied_on")
    services = list(requested_services)
    case = Case(
        number=f"tmp-{secrets.token_hex(8)}",
        person=person,
        institution=institution,
        channel=channel,
        applicant=applicant,
        representative_name=representative_name.strip(),
        representative_basis=representative_basis.strip(),
        referred_by=referred_by.strip(),
        applied_on=applied_on,
        requested_form=requested_form,
        circumstances=circumstances.strip(),
        status=S.APPLIED,
        status_since=applied_on,
        decision_due=rules.need_decision_due(applied_on),
        registered_by=audit.acting_user(actor),
    )
    case.next_due = case.decision_due
    validated(case).save()
    case.number = f"{applied_on.year}-{case.pk:07d}"
    case.save(update_fields=["number"])
    case.grounds.set(chosen_grounds)
    case.requested_services.set(services)
    # The institution serves the person from now on: its staff see her. The registry writes
    # the link and its audit entry.
    person_serve(actor=actor, person=person, institution=institution, since=applied_on)
    CaseTransition.objects.create(
        case=case,
        from_status="",
        to_status=S.APPLIED,
        on=applied_on,
        actor=audit.acting_user(actor),
    )
    audit.record(
        actor=actor,
        action=actions.CASE_REGISTERED,
        obj=case,
        data={
            "channel": channel,
            "person": person.pk,
            "grounds": [g.code for g in chosen_grounds],
            "services": [s.code for s in services],
        },
    )
    for entry in urgent:
        _deliver_urgent(actor=actor, case=case, entry=entry, delivered_on=applied_on)
    return case


def _deliver_urgent(*, actor: Actor, case: Case, entry: UrgentEntry, delivered_on: dt.date):
    service = entry.service
    if not (service.urgent_allowed and service.is_active):
        raise DomainError(
            "not_urgent",
            _("%(service)s is not given as an urgent social service.") % {"service": service},
            details={"service": [_("Choose an urgent service of the catalogue.")]},
        )
    if entry.quantity < 1:
        raise DomainError(
            "quantity_not_positive",
            _("Enter at least one unit."),
            details={"quantity": [_("Enter at least one unit.")]},
        )
    delivery = Delivery(
        case=case,
        service=service,
        is_urgent=True,
        delivered_on=delivered_on,
        minutes=entry.minutes,
        quantity=entry.quantity,
        # Urgent social services are free of charge (442-FZ art. 31 part 1).
        unit_price=Decimal("0"),
        note=entry.note.strip(),
        recorded_by=audit.acting_user(actor),
    )
    validated(delivery).save()
    audit.record(
        actor=actor,
        action=actions.URGENT_DELIVERED,
        obj=case,
        data={"service": service.code, "quantity": entry.quantity, "delivery": delivery.pk},
    )
    return delivery


@transaction.atomic
def urgent_service_deliver(
    *, actor: Actor, case: Case, entry: UrgentEntry, delivered_on: dt.date
) -> Delivery:
    """An urgent service given at once (art. 21), without an individual programme."""
    _require_case(actor, case)
    case = _locked(case)
    _refuse_closed(case)
    _not_future(delivered_on, "delivered_on")
    _not_before(
        delivered_on,
        case.applied_on,
        "delivered_on",
        _("A service cannot be given before the application."),
    )
    return _deliver_urgent(actor=actor, case=case, entry=entry, delivered_on=delivered_on)
