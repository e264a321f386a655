"""Reads of partners: the list, one partner, its timeline and the activity of all of them.

Cooperation data is not personal data of residents: every role with the view permission reads
all of it, so the actor only decides whether anything is shown at all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from opora.core.actors import Actor
from opora.core.permissions import has_permission

from ..access import COOPERATION_VIEW
from ..models import (
    OPEN_NEED_STATUSES,
    AgreementParty,
    AidDelivery,
    EventPartner,
    Exchange,
    Letter,
    Partner,
    PartnerNeed,
    PartnerPerson,
    Partnership,
    PersonPosition,
)

__all__ = [
    "Activity",
    "TimelineEntry",
    "partner_activity",
    "partner_activity_list",
    "partner_get",
    "partner_list",
    "partner_people",
    "partner_person_get",
    "partner_timeline",
]

_LANGUAGES = ("ru", "en", "fi", "de")


def _partners(actor: Actor) -> QuerySet[Partner]:
    if not has_permission(actor, COOPERATION_VIEW):
        return Partner.objects.none()
    return Partner.objects.all()


def partner_list(
    *,
    actor: Actor,
    q: str = "",
    kind: str = "",
    country: str = "",
    active: bool | None = None,
) -> QuerySet[Partner]:
    """Partners matching the filters; ``q`` is looked for in the code and in the name and short
    name in every language, whichever language the reader uses."""
    partners = _partners(actor).select_related("parent")
    text = (q or "").strip()
    if text:
        condition = Q(code__icontains=text)
        for code in _LANGUAGES:
            condition |= Q(**{f"name_{code}__icontains": text})
            condition |= Q(**{f"short_name_{code}__icontains": text})
        partners = partners.filter(condition)
    if kind:
        partners = partners.filter(kind=kind)
    if country:
        partners = partners.filter(country=country.strip().upper())
    if active is not None:
        partners = partners.filter(is_active=active)
    return partners


def partner_get(*, actor: Actor, pk: int) -> Partner:
    positions = PersonPosition.objects.order_by("-valid_from")
    partner = (
        _partners(actor)
        .select_related("parent")
        .prefetch_related(
            Prefetch(
                "people",
                queryset=PartnerPerson.objects.prefetch_related(
                    Prefetch("positions", queryset=positions)
                ),
            ),
            Prefetch("partnerships", queryset=Partnership.objects.order_by("since", "id")),
        )
        .filter(pk=pk)
        .first()
    )
    if partner is None:
        raise Http404
    return partner


def partner_people(partner: Partner) -> QuerySet[PartnerPerson]:
    """The partner's people by name, each with all the positions held."""
    return (
        PartnerPerson.objects.filter(partner=partner)
        .prefetch_related("positions")
        .order_by("full_name", "pk")
    )


def partner_person_get(*, partner: Partner, pk: int) -> PartnerPerson:
    """One of the partner's people with the positions held; 404 for anyone else's."""
    person = partner_people(partner).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


class TimelineEntry(NamedTuple):
    date: dt.date
    kind: str  # partnership, agreement, event, letter, need, aid, exchange
    object: Any


def partner_timeline(partner: Partner) -> list[TimelineEntry]:
    """Everything about the partner in time order: partnerships from their start, agreements
    from their signing, events, letters, needs raised, aid handed over and exchanges."""
    entries: list[TimelineEntry] = []
    entries += [
        TimelineEntry(p.since, "partnership", p)
        for p in Partnership.objects.filter(partner=partner)
    ]
    parties = AgreementParty.objects.filter(
        partner=partner, agreement__signed_on__isnull=False
    ).select_related("agreement")
    seen_agreements: set[int] = set()
    for party in parties:
        if party.agreement_id not in seen_agreements:
            seen_agreements.add(party.agreement_id)
            agreement = party.agreement
            entries.append(TimelineEntry(agreement.signed_on, "agreement", agreement))  # type: ignore[arg-type]
    entries += [
        TimelineEntry(link.event.starts_on, "event", link.event)
        for link in EventPartner.objects.filter(partner=partner).select_related("event")
    ]
    entries += [
        TimelineEntry(letter.dated_on, "letter", letter)
        for letter in Letter.objects.filter(partner=partner)
    ]
    entries += [
        TimelineEntry(need.raised_on, "need", need)
        for need in PartnerNeed.objects.filter(partner=partner)
    ]
    entries += [
        TimelineEntry(delivery.handed_over_on, "aid", delivery)
        for delivery in AidDelivery.objects.filter(partner=partner).prefetch_related("items")
    ]
    entries += [
        TimelineEntry(exchange.starts_on, "exchange", exchange)
        for exchange in Exchange.objects.filter(partner=partner).select_related("employee")
    ]
    order = {"partnership": 0, "agreement": 1, "event": 2, "letter": 3}
    entries.sort(key=lambda e: (e.date, order.get(e.kind, 4), e.object.pk))
    return entries


@dataclass(frozen=True)
class Activity:
    events: int = 0
    letters: int = 0
    aid: int = 0
    open_needs: int = 0

    @property
    def total(self) -> int:
        return self.events + self.letters + self.aid + self.open_needs


def _counts(rows: QuerySet[Any]) -> dict[int, int]:
    return {row["partner"]: row["n"] for row in rows}


def partner_activity(*, since: dt.date) -> dict[int, Activity]:
    """Per partner id: the events begun, letters dated and aid handed over since ``since``, and
    the needs still open (however old: an unmet need is activity to follow). One GROUP BY per
    kind; partners with nothing to count are absent."""
    events = _counts(
        EventPartner.objects.filter(event__starts_on__gte=since)
        .values("partner")
        .annotate(n=Count("event", distinct=True))
        .order_by()
    )
    letters = _counts(
        Letter.objects.filter(dated_on__gte=since)
        .values("partner")
        .annotate(n=Count("id"))
        .order_by()
    )
    aid = _counts(
        AidDelivery.objects.filter(handed_over_on__gte=since)
        .values("partner")
        .annotate(n=Count("id"))
        .order_by()
    )
    needs = _counts(
        PartnerNeed.objects.filter(status__in=OPEN_NEED_STATUSES)
        .values("partner")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        pk: Activity(
            events=events.get(pk, 0),
            letters=letters.get(pk, 0),
            aid=aid.get(pk, 0),
            open_needs=needs.get(pk, 0),
        )
        for pk in events.keys() | letters.keys() | aid.keys() | needs.keys()
    }


def partner_activity_list(*, actor: Actor, since: dt.date) -> list[tuple[Partner, Activity]]:
    """``partner_activity`` with the partners the actor reads, by name; partners with nothing
    to count are left out."""
    activity = partner_activity(since=since)
    partners = partner_list(actor=actor).filter(pk__in=list(activity))
    return [(partner, activity[partner.pk]) for partner in partners]
