"""Reads of agreements: the list with the status in force today, one agreement with everything
its page shows, renewals due and overdue items of the action plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, CharField, F, Max, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from opora.core.actors import Actor
from opora.core.permissions import has_permission

from ..access import COOPERATION_VIEW
from ..models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    Agreement,
    AgreementParty,
    AgreementStatus,
    AgreementVersion,
    Partner,
)

__all__ = [
    "action_item_get",
    "action_items_open",
    "action_items_overdue",
    "agreement_get",
    "agreement_list",
    "agreement_version_get",
    "agreements_by_pk",
    "current_status",
    "renewals_due",
]


def current_status(agreement: Agreement, on: dt.date | None = None) -> str:
    """The status as it stands on ``on``: an agreement in force past its end has expired,
    whatever was stored."""
    day = on or timezone.localdate()
    if (
        agreement.status == AgreementStatus.IN_FORCE
        and agreement.valid_to is not None
        and agreement.valid_to < day
    ):
        return AgreementStatus.EXPIRED
    return agreement.status


def _with_current_status(agreements: QuerySet[Agreement], on: dt.date) -> Any:
    """The agreements with ``current_status`` (typed loosely: the checker does not follow
    annotations into later filters)."""
    return agreements.annotate(
        current_status=Case(
            When(
                status=AgreementStatus.IN_FORCE,
                valid_to__lt=on,
                then=Value(AgreementStatus.EXPIRED.value),
            ),
            default="status",
            output_field=CharField(),
        )
    )


def _agreements(actor: Actor) -> QuerySet[Agreement]:
    if not has_permission(actor, COOPERATION_VIEW):
        return Agreement.objects.none()
    return Agreement.objects.all()


def agreement_list(
    *,
    actor: Actor,
    status: str = "",
    partner: Partner | None = None,
    expiring_within: int | None = None,
    q: str = "",
    on: dt.date | None = None,
) -> QuerySet[Agreement]:
    """Agreements with ``current_status`` (expired computed from ``valid_to``); ``status``
    filters on it; ``expiring_within`` days keeps those in force that end within that time."""
    day = on or timezone.localdate()
    agreements = _with_current_status(_agreements(actor), day).prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("partner"))
    )
    if status:
        agreements = agreements.filter(current_status=status)
    if partner is not None:
        agreements = agreements.filter(
            pk__in=AgreementParty.objects.filter(partner=partner).values("agreement")
        )
    if expiring_within:
        agreements = agreements.filter(
            current_status=AgreementStatus.IN_FORCE,
            valid_to__gte=day,
            valid_to__lte=day + dt.timedelta(days=int(expiring_within)),
        )
    text = (q or "").strip()
    if text:
        condition = Q(number__icontains=text)
        for code in ("ru", "en", "fi", "de"):
            condition |= Q(**{f"title_{code}__icontains": text})
        agreements = agreements.filter(condition)
    return agreements


def agreement_get(*, actor: Actor, pk: int) -> Agreement:
    agreement = (
        _with_current_status(_agreements(actor), timezone.localdate())
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("partner")),
            Prefetch(
                "versions",
                queryset=AgreementVersion.objects.order_by("number").prefetch_related("files"),
            ),
            Prefetch(
                "actions",
                queryset=ActionItem.objects.order_by("due_on", "id").prefetch_related("events"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if agreement is None:
        raise Http404
    return agreement


def renewals_due(*, on: dt.date) -> QuerySet[Agreement]:
    """Agreements in force whose end is near enough that their renewal reminder shows: from
    ``valid_to − renewal_notice_days`` up to ``valid_to``."""
    longest = Agreement.objects.aggregate(days=Max("renewal_notice_days"))["days"] or 0
    # The notice period differs per agreement; date arithmetic with a column is not portable,
    # so the database narrows by the longest period and the few left are compared here.
    candidates = Agreement.objects.filter(
        status=AgreementStatus.IN_FORCE,
        valid_to__gte=on,
        valid_to__lte=on + dt.timedelta(days=longest),
    ).only("pk", "valid_to", "renewal_notice_days")
    due = [
        a.pk for a in candidates if a.renewal_notice_on is not None and a.renewal_notice_on <= on
    ]
    return (
        _with_current_status(Agreement.objects.filter(pk__in=due), on)
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("partner"))
        )
        .order_by("valid_to", "id")
    )


def action_items_overdue(*, on: dt.date) -> QuerySet[ActionItem]:
    """Items planned or in progress whose deadline has passed, with their events."""
    return (
        ActionItem.objects.filter(due_on__lt=on, status__in=OPEN_ACTION_STATUSES)
        .select_related("agreement")
        .prefetch_related("events")
        .order_by("due_on", "id")
    )


def action_items_open() -> QuerySet[ActionItem]:
    """Items planned or in progress, the nearest deadline first and those without one last."""
    return (
        ActionItem.objects.filter(status__in=OPEN_ACTION_STATUSES)
        .select_related("agreement")
        .order_by(F("due_on").asc(nulls_last=True), "id")
    )


def action_item_get(*, pk: int) -> ActionItem:
    """One item of an action plan with its agreement and events."""
    item = (
        ActionItem.objects.select_related("agreement")
        .prefetch_related("events")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    return item


def agreement_version_get(*, agreement: Agreement, pk: int) -> AgreementVersion:
    """One version of the agreement with its files."""
    version = (
        AgreementVersion.objects.filter(agreement=agreement, pk=pk)
        .prefetch_related("files")
        .first()
    )
    if version is None:
        raise Http404
    return version


def agreements_by_pk(pks: Iterable[int]) -> dict[int, Agreement]:
    """The agreements of these ids that exist, by id (a missing id is absent)."""
    return {agreement.pk: agreement for agreement in Agreement.objects.filter(pk__in=list(pks))}
