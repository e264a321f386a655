"""The review list: assignments in force that need a specialist's look, each with its reasons,
found in one query (each reason an EXISTS or a comparison), never by a loop over the
assignments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from opora.core.actors import Actor
from opora.core.errors import DomainError
from opora.core.scoping import Scope
from opora.registry.models import HouseholdMember, Income, PersonCategory
from opora.rules.selectors import home_region, minimums

from ..criteria.schema import clauses_of
from ..models import Assignment, AssignmentStatus, Evaluation, MeasureVersion, VersionStatus

__all__ = ["REVIEW_REASONS", "ReviewRow", "review_count", "review_list", "review_queryset"]

REVIEW_REASONS: dict[str, Any] = {
    "period_ends": _("the period ends"),
    "review_due": _("a review is due"),
    "category_ended": _("a category the evaluation read ended"),
    "left_household": _("a member left the household"),
    "income_recorded": _("an income was recorded after the evaluation"),
    "minimum_changed": _("a new subsistence minimum came into force after the evaluation"),
    "version_changed": _("a new version of the measure came into force"),
}


@dataclass(frozen=True)
class ReviewRow:
    assignment: Assignment
    reasons: list[str]  # codes of REVIEW_REASONS, in its order

    @property
    def reason_labels(self) -> list[str]:
        return [str(REVIEW_REASONS[code]) for code in self.reasons]


def _amount_nodes(node: Any) -> Iterator[dict]:
    """Every node of an amount rule (``top_up``, ``per_child`` and the lists nest others)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _amount_nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _amount_nodes(value)


def _reads_minimum(eligibility: dict, amount: Any) -> bool:
    """Whether a version reads a subsistence minimum: an income clause (its threshold) or an
    amount node ``{"minimum": …}``."""
    return any(c["clause"] == "income" for c in clauses_of(eligibility)) or any(
        "minimum" in node for node in _amount_nodes(amount)
    )


def _versions_reading_minimums(ids: QuerySet) -> list[int]:
    return [
        pk
        for pk, eligibility, amount in MeasureVersion.objects.filter(pk__in=ids).values_list(
            "pk", "eligibility", "amount"
        )
        if _reads_minimum(eligibility, amount)
    ]


def _new_minimum(today: dt.date) -> Q | Exists:
    """A minimum of the department's region in force from a day after the evaluation's, up to
    today (none when the region is not set up: nothing to compare with)."""
    try:
        region = home_region()
    except DomainError:
        return Q(pk__in=[])
    return Exists(
        minimums(region=region).filter(
            valid_from__gt=OuterRef("evaluated_on"), valid_from__lte=today
        )
    )


def _versions_reading_categories(ids: QuerySet) -> dict[int, list[str]]:
    """Per version in use, the category codes its rule reads: versions are a handful, the
    assignments many, so the rules are read here and the assignments in SQL."""
    found = {}
    for pk, eligibility in MeasureVersion.objects.filter(pk__in=ids).values_list(
        "pk", "eligibility"
    ):
        codes = sorted({c["code"] for c in clauses_of(eligibility) if c["clause"] == "category"})
        if codes:
            found[pk] = codes
    return found


def review_queryset(*, actor: Actor, today: dt.date, within_days: int = 30) -> QuerySet:
    """Assignments in force or suspended, annotated with one boolean per reason and filtered to
    those with at least one."""
    horizon = today + dt.timedelta(days=within_days)
    base = Scope.of(actor).rows(
        Assignment.objects.filter(status__in=[AssignmentStatus.ACTIVE, AssignmentStatus.SUSPENDED]),
        via="institution",
    )
    latest = Evaluation.objects.filter(application=OuterRef("application")).order_by(
        "-evaluated_at", "-pk"
    )
    qs = base.annotate(
        evaluated_on=Subquery(latest.values("on")[:1]),
        evaluated_at=Subquery(latest.values("evaluated_at")[:1]),
    )
    category_ended = Q(pk__in=[])
    for version_id, codes in _versions_reading_categories(base.values("version")).items():
        ended = PersonCategory.objects.filter(
            person=OuterRef("person"),
            kind__code__in=codes,
            valid_to__isnull=False,
            valid_to__gte=OuterRef("evaluated_on"),
            valid_to__lt=horizon,
        )
        category_ended |= Q(version_id=version_id) & Q(Exists(ended))
    in_household = Q(person=OuterRef("person")) | Q(household=OuterRef("household"))
    left = HouseholdMember.objects.filter(
        in_household,
        left_on__isnull=False,
        left_on__gt=OuterRef("evaluated_on"),
        left_on__lte=today,
    )
    # The members whose income the evaluation counted: those not gone before its day.
    members = HouseholdMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=OuterRef(OuterRef("evaluated_on"))),
        household=OuterRef(OuterRef("household")),
    ).values("person")
    income = Income.objects.filter(
        Q(person=OuterRef("person")) | Q(person__in=members),
        updated_at__gt=OuterRef("evaluated_at"),  # a new month, or a month's amount corrected
    )
    newer_version = MeasureVersion.objects.filter(
        measure=OuterRef("measure"),
        status=VersionStatus.PUBLISHED,
        valid_from__gt=OuterRef("version__valid_from"),
        valid_from__lte=today,
    )
    qs = qs.annotate(
        r_minimum_changed=Q(version_id__in=_versions_reading_minimums(base.values("version")))
        & Q(_new_minimum(today)),
        r_version_changed=Exists(newer_version),
    )
    qs = qs.annotate(
        r_period_ends=Q(ends_on__isnull=False, ends_on__gte=today, ends_on__lte=horizon),
        r_review_due=Q(review_on__isnull=False, review_on__lte=horizon),
        r_category_ended=category_ended,
        r_left_household=Exists(left),
        r_income_recorded=Exists(income),
    )
    flags = (
        Q(r_period_ends=True)
        | Q(r_review_due=True)
        | Q(r_category_ended=True)
        | Q(r_left_household=True)
        | Q(r_income_recorded=True)
        | Q(r_minimum_changed=True)
        | Q(r_version_changed=True)
    )
    return (
        qs.filter(flags)
        .select_related("measure", "person", "household", "institution")
        .order_by("ends_on", "review_on", "pk")
    )


def review_count(*, actor: Actor, today: dt.date, within_days: int = 30) -> int:
    """How many assignments are on the review list (for the dashboard), counted in SQL."""
    return review_queryset(actor=actor, today=today, within_days=within_days).count()


def review_list(*, actor: Actor, today: dt.date, within_days: int = 30) -> list[ReviewRow]:
    return [
        ReviewRow(
            assignment=assignment,
            reasons=[code for code in REVIEW_REASONS if getattr(assignment, f"r_{code}")],
        )
        for assignment in review_queryset(actor=actor, today=today, within_days=within_days)
    ]
