"""Reads of partners' needs and the aid handed over: lists with their filters, one need with
its deliveries, and the totals handed over to a partner counted by the database."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404

from ..models import AidDelivery, AidItem, PartnerNeed

__all__ = ["aid_get", "aid_list", "aid_totals", "need_get", "need_list"]


def need_list(
    *, status: str | None = None, partner: Any = None, kind: str | None = None
) -> QuerySet[PartnerNeed]:
    """Needs, the most recently raised first, each with ``delivery_count``."""
    needs = (
        PartnerNeed.objects.select_related("partner", "raised_at_event", "letter")
        .annotate(delivery_count=Count("deliveries"))
        .order_by("-raised_on", "-pk")
    )
    if status:
        needs = needs.filter(status=status)
    if partner is not None:
        needs = needs.filter(partner=partner)
    if kind:
        needs = needs.filter(kind=kind)
    return needs


def _deliveries() -> QuerySet[AidDelivery]:
    return AidDelivery.objects.select_related("partner", "need").prefetch_related(
        Prefetch("items", queryset=AidItem.objects.order_by("pk"))
    )


def need_get(*, pk: int) -> PartnerNeed:
    need = (
        PartnerNeed.objects.select_related("partner", "raised_at_event", "letter")
        .prefetch_related(
            Prefetch("deliveries", queryset=_deliveries().order_by("handed_over_on", "pk"))
        )
        .filter(pk=pk)
        .first()
    )
    if need is None:
        raise Http404
    return need


def aid_list(*, partner: Any = None, year: int | None = None) -> QuerySet[AidDelivery]:
    """Deliveries, the latest first, with their items."""
    deliveries = _deliveries().order_by("-handed_over_on", "-pk")
    if partner is not None:
        deliveries = deliveries.filter(partner=partner)
    if year:
        deliveries = deliveries.filter(handed_over_on__year=year)
    return deliveries


def aid_get(*, pk: int) -> AidDelivery:
    """One delivery with its partner, need and items."""
    delivery = _deliveries().filter(pk=pk).first()
    if delivery is None:
        raise Http404
    return delivery


def aid_totals(partner: Any) -> list[dict[str, Any]]:
    """What a partner received in all, per item name and unit, in one GROUP BY: ``name``
    (Russian), ``unit``, ``quantity`` (the sum) and ``deliveries`` (how many handed it)."""
    rows = (
        AidItem.objects.filter(delivery__partner=partner)
        .values("name_ru", "unit")
        .annotate(quantity=Sum("quantity"), deliveries=Count("delivery", distinct=True))
        .order_by("name_ru", "unit")
    )
    return [
        {
            "name": row["name_ru"],
            "unit": row["unit"],
            "quantity": row["quantity"],
            "deliveries": row["deliveries"],
        }
        for row in rows
    ]
