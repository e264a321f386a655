"""Payout details of the people the actor may see: an accountant every person's, the
institutions' staff those of the people their institutions serve."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from opora.core.actors import Actor
from opora.core.errors import NotFound
from opora.registry.models import Person
from opora.registry.selectors import people

from ..models import PayoutDetails
from ..scoping import is_accountant

__all__ = [
    "payout_details",
    "payout_details_get",
    "payout_details_of_person",
    "payout_person_get",
    "require_person_in_scope",
]


def _people(actor: Actor) -> QuerySet[Person]:
    if is_accountant(actor):
        return Person.objects.filter(merged_into__isnull=True)
    return people(actor=actor)


def require_person_in_scope(actor: Actor, person: Person) -> None:
    if not _people(actor).filter(pk=person.pk).exists():
        raise NotFound("not_found", _("No such person in your scope."))


def payout_person_get(*, actor: Actor, pk: int) -> Person:
    return get_object_or_404(_people(actor), pk=pk)


def payout_details(
    *,
    actor: Actor,
    person: Person | int | None = None,
    channel: str = "",
    on: dt.date | None = None,
) -> QuerySet[PayoutDetails]:
    qs = PayoutDetails.objects.select_related("person")
    if not is_accountant(actor):
        qs = qs.filter(person__in=people(actor=actor).values("pk"))
    if person is not None:
        qs = qs.filter(person=person)
    if channel:
        qs = qs.filter(channel=channel)
    if on is not None:
        qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)
    return qs.order_by("-valid_from", "-pk")


def payout_details_get(*, actor: Actor, pk: int) -> PayoutDetails:
    return get_object_or_404(payout_details(actor=actor), pk=pk)


def payout_details_of_person(*, actor: Actor, person: Person) -> list[PayoutDetails]:
    return list(payout_details(actor=actor, person=person))
