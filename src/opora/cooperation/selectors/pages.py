"""The reads only the pages need: choices of the forms and the objects of one page, each with
what its template shows fetched at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from opora.institutions.models import Institution

from ..models import (
    ActionItem,
    Agreement,
    AgreementParty,
    AgreementVersion,
    AidDelivery,
    Event,
    EventParticipant,
    ItineraryStop,
    Letter,
    LetterDiscrepancy,
    LetterVersion,
    Partner,
    PartnerNeed,
    PartnerPerson,
    SeminarSeries,
)


def partner_choices() -> QuerySet:
    return Partner.objects.order_by("name", "pk")


def agreement_choices() -> QuerySet:
    return Agreement.objects.order_by("-valid_from", "pk")


def series_choices() -> QuerySet:
    return SeminarSeries.objects.select_related("partner").order_by("name", "pk")


def letter_choices() -> QuerySet:
    return Letter.objects.select_related("partner").order_by("-dated_on", "-pk")


def event_choices() -> QuerySet:
    return Event.objects.order_by("-starts_on", "-pk")


def open_needs() -> QuerySet:
    return PartnerNeed.objects.exclude(status__in=("met", "declined")).order_by("-raised_on")


def visitable_institutions() -> QuerySet:
    """Delegations are shown institutions across the city, not only the officer's own: the
    institutions are public, and whether one is closed on the day is the service's check."""
    return Institution.objects.filter(is_active=True).order_by("name", "pk")


def versions_of(letter: Letter) -> QuerySet:
    return LetterVersion.objects.filter(letter=letter).order_by("-is_original", "language", "pk")


def people_of(partner: Partner, *, on: dt.date) -> list[dict[str, Any]]:
    people = PartnerPerson.objects.filter(partner=partner).prefetch_related("positions")
    return [{"person": person, "position": person.position_on(on)} for person in people]


def person_get(*, partner: Partner, pk: int) -> PartnerPerson:
    return get_object_or_404(PartnerPerson.objects.filter(partner=partner), pk=pk)


def partnerships_of(partner: Partner) -> QuerySet:
    return partner.partnerships.order_by("since", "pk")


def agreements_of(partner: Partner) -> QuerySet:
    return (
        Agreement.objects.filter(Q(parties__partner=partner) | Q(partners=partner))
        .distinct()
        .order_by("-valid_from", "-pk")
    )


def events_of(partner: Partner) -> QuerySet:
    return Event.objects.filter(partners=partner).distinct().order_by("-starts_on", "-pk")


def letters_of(partner: Partner) -> QuerySet:
    return Letter.objects.filter(partner=partner).order_by("-dated_on", "-pk")


def needs_of(partner: Partner) -> QuerySet:
    return PartnerNeed.objects.filter(partner=partner).order_by("-raised_on", "-pk")


def aid_of(partner: Partner) -> QuerySet:
    return (
        AidDelivery.objects.filter(partner=partner)
        .select_related("need")
        .prefetch_related("items")
        .order_by("-handed_over_on", "-pk")
    )


def event_page(pk: int) -> Event:
    qs = Event.objects.select_related("agreement", "series", "series__partner").prefetch_related(
        "event_partners__partner",
        Prefetch(
            "participants",
            EventParticipant.objects.select_related("partner_person", "employee").order_by(
                "side", "role", "pk"
            ),
        ),
        "files",
        "stands__institutions",
        "sessions",
    )
    return get_object_or_404(qs, pk=pk)


def stop_get(*, event: Event, pk: int) -> ItineraryStop:
    return get_object_or_404(ItineraryStop.objects.filter(event=event), pk=pk)


def letter_page(pk: int) -> Letter:
    qs = Letter.objects.select_related("partner", "signatory", "in_reply_to").prefetch_related(
        "events",
        "agreements",
        "attachments",
        Prefetch("replies", Letter.objects.order_by("dated_on", "pk")),
        Prefetch("versions", LetterVersion.objects.order_by("-is_original", "language", "pk")),
        Prefetch(
            "discrepancies",
            LetterDiscrepancy.objects.select_related(
                "flagged_by", "resolved_by", "correct_version"
            ).prefetch_related("versions"),
        ),
    )
    return get_object_or_404(qs, pk=pk)


def discrepancy_get(*, letter: Letter, pk: int) -> LetterDiscrepancy:
    return get_object_or_404(LetterDiscrepancy.objects.filter(letter=letter), pk=pk)


def attachment_get(*, letter: Letter, pk: int) -> Any:
    return get_object_or_404(letter.attachments.all(), pk=pk)


def reply_chain(letter: Letter) -> list[Letter]:
    """The letters this one answers, oldest first: a chain is short, one query a step."""
    chain: list[Letter] = []
    seen = {letter.pk}
    current = letter.in_reply_to
    while current is not None and current.pk not in seen:
        chain.insert(0, current)
        seen.add(current.pk)
        current = current.in_reply_to
    return chain


def agreement_page(pk: int) -> Agreement:
    qs = Agreement.objects.prefetch_related(
        Prefetch("parties", AgreementParty.objects.select_related("partner").order_by("pk")),
        Prefetch("versions", AgreementVersion.objects.prefetch_related("files").order_by("number")),
        Prefetch(
            "actions",
            ActionItem.objects.prefetch_related("events").order_by("due_on", "pk"),
        ),
        "letters",
    )
    return get_object_or_404(qs, pk=pk)


def action_get(pk: int) -> ActionItem:
    return get_object_or_404(ActionItem.objects.select_related("agreement"), pk=pk)


def agreement_file_get(*, agreement: Agreement, pk: int) -> Any:
    from ..models import AgreementFile

    return get_object_or_404(AgreementFile.objects.filter(version__agreement=agreement), pk=pk)


def event_file_get(*, event: Event, pk: int) -> Any:
    return get_object_or_404(event.files.all(), pk=pk)


def staff_choices() -> QuerySet:
    """Participants and exchanges name any employee of the department's institutions: the
    names of staff who travel are not scoped like residents' data."""
    from opora.institutions.models import Employee

    return Employee.objects.order_by("last_name", "first_name", "patronymic", "pk")


def people_of_event(event: Event) -> QuerySet:
    return (
        PartnerPerson.objects.filter(partner__event_roles__event=event)
        .select_related("partner")
        .distinct()
        .order_by("full_name", "pk")
    )


def versions_of_agreement(agreement: Agreement) -> QuerySet:
    return AgreementVersion.objects.filter(agreement=agreement).order_by("number")


def series_page(pk: int) -> SeminarSeries:
    return get_object_or_404(SeminarSeries.objects.select_related("partner"), pk=pk)
