from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from opora.core.scoping import Scope

from .models import Institution


def institution_list(*, actor: Any, q: str = "", active: bool | None = None) -> QuerySet:
    """The institutions the actor may see; institutions carry no personal data, so analysts see
    them all while staff see their own."""
    qs = Scope.of(actor).rows(Institution.objects.all(), via="pk", personal=False)
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(name_en__icontains=q)
            | Q(short_name__icontains=q)
            | Q(code__icontains=q)
        )
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.annotate(member_count=Count("members", distinct=True))


def institution_get(*, actor: Any, pk: int) -> Institution:
    return get_object_or_404(institution_list(actor=actor), pk=pk)


def institution_choices(*, actor: Any) -> QuerySet:
    return (
        Scope.of(actor)
        .rows(Institution.objects.filter(is_active=True), via="pk", personal=False)
        .order_by("name")
    )
