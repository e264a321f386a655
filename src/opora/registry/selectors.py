"""Every read of the registry a page or endpoint needs, scoped to the actor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from opora.core.actors import Actor
from opora.core.permissions import has_permission
from opora.core.scoping import Scope

from .access import PERSONAL_DATA_VIEW
from .models import (
    CategoryKind,
    Household,
    HouseholdMember,
    Income,
    Person,
    PersonCategory,
)
from .names import snils_format, snils_masked


def people(*, actor: Actor, include_merged: bool = False) -> QuerySet:
    """The people the actor may see: those served by her institutions."""
    qs = Person.objects.all()
    if not include_merged:
        qs = qs.filter(merged_into__isnull=True)
    return Scope.of(actor).rows(qs, via="service_links__institution", many=True)


def person_list(
    *,
    actor: Actor,
    category: str = "",
    district: int | None = None,
    institution: int | None = None,
    on: dt.date | None = None,
) -> QuerySet:
    qs = people(actor=actor)
    if category:
        qs = qs.filter(pk__in=holding_on(on or timezone.localdate(), category).values("person"))
    if district:
        qs = qs.filter(addresses__kind="registration", addresses__district=district)
    if institution:
        qs = qs.filter(service_links__institution=institution)
    return qs


def person_get(*, actor: Actor, pk: int) -> Person:
    """One person in scope. A merged record is returned too; the view follows it."""
    person = (
        people(actor=actor, include_merged=True)
        .prefetch_related(
            "documents__kind",
            "addresses__district",
            "former_names",
            "served_by",
            Prefetch("categories", PersonCategory.objects.select_related("kind")),
        )
        .filter(pk=pk)
        .first()
    )
    if person is None:
        # A merged record's links moved to its survivor: it is in scope when the survivor is.
        record = Person.objects.filter(pk=pk, merged_into__isnull=False).first()
        if record is not None:
            survivor = resolve_redirect(record)
            if people(actor=actor).filter(pk=survivor.pk).exists():
                return record
        raise Http404
    return person


def resolve_redirect(person: Person) -> Person:
    """The record that finally survived ``person`` (``person`` itself when not merged)."""
    seen = {person.pk}
    while person.merged_into_id:
        person = Person.objects.get(pk=person.merged_into_id)
        if person.pk in seen:  # a cycle cannot be made through the services; never loop
            break
        seen.add(person.pk)
    return person


def overlapping_periods(valid_from: dt.date, valid_to: dt.date | None) -> Q:
    """Holdings whose period meets [valid_from, valid_to] (open ends are infinite)."""
    q = Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    if valid_to is not None:
        q &= Q(valid_from__lte=valid_to)
    return q


def holding_on(day: dt.date, category_code: str) -> QuerySet:
    """The holdings of a category in force on ``day`` (unscoped: callers scope the people)."""
    return PersonCategory.objects.filter(kind__code=category_code).filter(
        overlapping_periods(day, day)
    )


def categories_of(person: Person, *, on: dt.date | None = None) -> dict[str, list]:
    day = on or timezone.localdate()
    current, past, future = [], [], []
    for holding in person.categories.all():
        if holding.valid_from > day:
            future.append(holding)
        elif holding.valid_to is not None and holding.valid_to < day:
            past.append(holding)
        else:
            current.append(holding)
    return {"current": current, "past": past, "future": future}


def expiring_categories(*, actor: Actor, today: dt.date | None = None) -> QuerySet:
    """Holdings that end within their category's review period, for review."""
    today = today or timezone.localdate()
    in_review = Q(pk__in=[])
    # One condition per kind of category (a handful), each with its own review period.
    for kind_id, days in CategoryKind.objects.values_list("pk", "review_days"):
        in_review |= Q(kind_id=kind_id, valid_to__lte=today + dt.timedelta(days=days))
    return (
        PersonCategory.objects.filter(
            person__in=people(actor=actor).values("pk"), valid_to__gte=today
        )
        .filter(in_review)
        .select_related("kind", "person")
        .order_by("valid_to", "person__last_name")
    )


def category_kind_by_code(code: str) -> CategoryKind | None:
    return CategoryKind.objects.filter(code=code).first()


def household_member_get(pk: int) -> HouseholdMember:
    return HouseholdMember.objects.select_related("person").get(pk=pk)


def households_of(person: Person) -> QuerySet:
    return (
        HouseholdMember.objects.filter(person=person)
        .select_related("household__district")
        .prefetch_related(
            Prefetch(
                "household__members",
                HouseholdMember.objects.select_related("person").order_by(
                    "-is_applicant", "joined_on"
                ),
            )
        )
        .order_by("left_on", "-joined_on")
    )


def incomes_of(person: Person, *, months: int = 12) -> QuerySet:
    return Income.objects.filter(person=person).order_by("-month", "kind")[: months * 4]


def households(*, actor: Actor) -> QuerySet:
    """Households with at least one current or past member in the actor's scope."""
    members = HouseholdMember.objects.filter(person__in=people(actor=actor).values("pk"))
    return Household.objects.filter(pk__in=members.values("household")).select_related("district")


def mark_visible_members(*, actor: Actor, members: Any) -> list:
    """Members of a household with ``visible`` set: people outside the actor's scope are shown
    only as "a member outside your scope", never by name."""
    members = list(members)
    ids = {m.person_id for m in members}
    visible = set(people(actor=actor).filter(pk__in=ids).values_list("pk", flat=True))
    for member in members:
        member.visible = member.person_id in visible
    return members


def documents_for(actor: Actor, person: Person) -> list[dict[str, Any]]:
    """Documents with their numbers masked for roles that do not need them."""
    whole = has_permission(actor, PERSONAL_DATA_VIEW)
    return [
        {
            "document": document,
            "number": f"{document.series} {document.number}".strip()
            if whole
            else f"•••• ••{document.number[-2:]}",
        }
        for document in person.documents.all()
    ]


def snils_for(actor: Actor, person: Person) -> str:
    """SNILS as the actor may see it: whole for roles that need it, masked for others."""
    if not person.snils:
        return ""
    if has_permission(actor, PERSONAL_DATA_VIEW):
        return snils_format(person.snils)
    return snils_masked(person.snils)


def statistics(*, actor: Actor) -> dict[str, Any]:
    """Counts analysts and managers may see; no row of personal data."""
    qs = Scope.of(actor).aggregates(
        Person.objects.filter(merged_into__isnull=True),
        via="service_links__institution",
        many=True,
    )
    today = timezone.localdate()
    by_category = (
        PersonCategory.objects.filter(person__in=qs.values("pk"))
        .filter(overlapping_periods(today, today))
        .values("kind__code", "kind__name")
        .annotate(people=Count("person", distinct=True))
        .order_by("-people")
    )
    return {"people": qs.count(), "by_category": list(by_category)}
