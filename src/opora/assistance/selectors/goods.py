"""Reads of help in kind: the kinds of goods (reference data, every role), the stock of an
institution in scope, its movements, what a person was handed, and the in-kind assignments
goods can be handed out under."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from opora.core.actors import Actor
from opora.core.scoping import Scope
from opora.institutions.models import Institution

from ..models import (
    Assignment,
    AssignmentStatus,
    GoodsKind,
    MeasureKind,
    MovementKind,
    StockBalance,
    StockMovement,
)

__all__ = [
    "goods_kind_get",
    "goods_kinds",
    "handouts_of",
    "in_kind_assignments",
    "stock_balances",
    "stock_institutions",
    "stock_movements",
]


def goods_kinds() -> QuerySet[GoodsKind]:
    return GoodsKind.objects.order_by("name", "pk")


def goods_kind_get(*, pk: int) -> GoodsKind:
    return get_object_or_404(GoodsKind, pk=pk)


def stock_institutions(*, actor: Actor) -> QuerySet[Institution]:
    """The institutions whose stock the actor keeps (a stock holds no personal data)."""
    return (
        Scope.of(actor)
        .rows(Institution.objects.all(), via="pk", personal=False)
        .order_by("name", "pk")
    )


def stock_balances(*, actor: Actor, institution: Institution | None = None) -> QuerySet:
    qs = Scope.of(actor).rows(StockBalance.objects.all(), via="institution", personal=False)
    if institution is not None:
        qs = qs.filter(institution=institution)
    return qs.select_related("goods", "institution").order_by("institution__name", "goods__name")


def stock_movements(
    *,
    actor: Actor,
    institution: Institution | None = None,
    goods: GoodsKind | None = None,
    kind: str = "",
) -> QuerySet[StockMovement]:
    """Movements name the person a hand-out went to: personal, so staff of the institution and
    administrators only."""
    qs = Scope.of(actor).rows(StockMovement.objects.all(), via="institution")
    if institution is not None:
        qs = qs.filter(institution=institution)
    if goods is not None:
        qs = qs.filter(goods=goods)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("goods", "institution", "person", "recorded_by")


def handouts_of(*, actor: Actor, person) -> QuerySet[StockMovement]:
    """What a person was handed, at the institutions in the actor's scope."""
    return stock_movements(actor=actor, kind=MovementKind.ISSUE).filter(person=person)


def in_kind_assignments(
    *, actor: Actor, institution: Institution | None = None
) -> QuerySet[Assignment]:
    """Assignments in force of an in-kind measure, in scope: what goods are handed out under."""
    qs = Assignment.objects.filter(
        measure__kind=MeasureKind.IN_KIND, status=AssignmentStatus.ACTIVE
    )
    if institution is not None:
        qs = qs.filter(institution=institution)
    return (
        Scope.of(actor)
        .rows(qs, via="institution")
        .select_related("person", "measure", "institution")
        .order_by("person__last_name", "person__first_name", "pk")
    )
