"""Job seekers and their referrals: personal data, seen by the staff of the seeker's service
point (and administrators); analysts read them only as aggregates."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from opora.core.actors import Actor
from opora.core.scoping import Scope

from ..models import JobSeeker, Referral, SeekerStatusChange


def seekers(
    *,
    actor: Actor,
    status: str = "",
    service_point: int | None = None,
    occupation: str = "",
    person: int | None = None,
) -> QuerySet[JobSeeker]:
    qs = Scope.of(actor).rows(JobSeeker.objects.all(), via="service_point")
    if status:
        qs = qs.filter(status=status)
    if service_point:
        qs = qs.filter(service_point_id=service_point)
    if occupation:
        qs = qs.filter(occupations__code=occupation)
    if person:
        qs = qs.filter(person_id=person)
    return (
        qs.select_related("person", "service_point__institution", "district")
        .prefetch_related(
            "occupations",
            Prefetch("status_changes", SeekerStatusChange.objects.order_by("effective_on", "id")),
        )
        .order_by("-registered_on", "-pk")
    )


def seeker_get(*, actor: Actor, pk: int) -> JobSeeker:
    return get_object_or_404(seekers(actor=actor), pk=pk)


def referrals(
    *, actor: Actor, seeker: int | None = None, vacancy: int | None = None, outcome: str = ""
) -> QuerySet[Referral]:
    qs = Scope.of(actor).rows(Referral.objects.all(), via="seeker__service_point")
    if seeker:
        qs = qs.filter(seeker_id=seeker)
    if vacancy:
        qs = qs.filter(vacancy_id=vacancy)
    if outcome:
        qs = qs.filter(outcome=outcome)
    return qs.select_related("seeker__person", "vacancy__employer").order_by("-referred_on", "-pk")


def referral_get(*, actor: Actor, pk: int) -> Referral:
    return get_object_or_404(referrals(actor=actor), pk=pk)
