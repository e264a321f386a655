"""Employers and vacancies, seen by the staff of the service point that keeps them (and, as
data with no personal details of job seekers, by analysts)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from opora.core.actors import Actor
from opora.core.scoping import Scope

from ..models import Employer, Vacancy


def employers(*, actor: Actor, query: str = "", inn: str = "") -> QuerySet[Employer]:
    qs = Scope.of(actor).rows(Employer.objects.all(), via="service_point", personal=False)
    text = " ".join(query.split())
    if text:
        qs = qs.filter(name__icontains=text)
    if inn:
        qs = qs.filter(inn=inn)
    return qs.select_related("district", "service_point__institution").order_by("name", "pk")


def employer_get(*, actor: Actor, pk: int) -> Employer:
    return get_object_or_404(employers(actor=actor), pk=pk)


def vacancies(
    *,
    actor: Actor,
    status: str = "",
    occupation: str = "",
    employer: int | None = None,
    district: int | None = None,
    quota_only: bool = False,
) -> QuerySet[Vacancy]:
    qs = Scope.of(actor).rows(Vacancy.objects.all(), via="employer__service_point", personal=False)
    if status:
        qs = qs.filter(status=status)
    if occupation:
        qs = qs.filter(occupation__code=occupation)
    if employer:
        qs = qs.filter(employer_id=employer)
    if district:
        qs = qs.filter(district_id=district)
    if quota_only:
        qs = qs.filter(quota_places__gt=0)
    return qs.select_related("employer", "occupation", "district").order_by("-opened_on", "-pk")


def vacancy_get(*, actor: Actor, pk: int) -> Vacancy:
    return get_object_or_404(vacancies(actor=actor), pk=pk)
