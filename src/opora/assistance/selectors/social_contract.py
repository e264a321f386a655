"""Reads of social contracts, scoped through the assignment's institution: the list, one
contract with its plan, instalments and visits, the assignments a contract can be concluded
on, and the outcomes counted for reporting (analysts count the whole department)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from opora.core.actors import Actor
from opora.core.scoping import Scope

from ..models import (
    Assignment,
    AssignmentStatus,
    ContractKind,
    ContractOutcome,
    ContractStatus,
    InstalmentStatus,
    MeasureKind,
    SocialContract,
)

__all__ = [
    "OutcomeCount",
    "contract_assignments",
    "contract_get",
    "contract_money",
    "contract_outcomes",
    "contracts",
]

VIA = "assignment__institution"
CENTS = Decimal("0.01")  # SQLite's SUM drops the kopecks' places


def contracts(
    *, actor: Actor, status: str = "", kind: str = "", person=None
) -> QuerySet[SocialContract]:
    qs = Scope.of(actor).rows(SocialContract.objects.all(), via=VIA)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if person is not None:
        qs = qs.filter(assignment__person=person)
    return qs.select_related("assignment__person", "assignment__institution", "assignment__measure")


def contract_get(*, actor: Actor, pk: int) -> SocialContract:
    return get_object_or_404(
        contracts(actor=actor).prefetch_related(
            "milestones", "instalments__milestone", "visits__recorded_by"
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class Money:
    total: Decimal
    paid: Decimal
    due: Decimal
    planned: Decimal
    cancelled: Decimal


def contract_money(contract: SocialContract) -> Money:
    """The contract's sum split by what became of its instalments (from the prefetched rows)."""
    sums = dict.fromkeys(InstalmentStatus.values, Decimal(0))
    for instalment in contract.instalments.all():
        sums[instalment.status] += instalment.amount
    return Money(
        total=sum(sums.values(), Decimal(0)),
        paid=sums[InstalmentStatus.PAID],
        due=sums[InstalmentStatus.DUE],
        planned=sums[InstalmentStatus.PLANNED],
        cancelled=sums[InstalmentStatus.CANCELLED],
    )


def contract_assignments(*, actor: Actor) -> QuerySet[Assignment]:
    """Assignments in force of a social-contract measure with no contract yet, in scope."""
    qs = Assignment.objects.filter(
        measure__kind=MeasureKind.SOCIAL_CONTRACT,
        status=AssignmentStatus.ACTIVE,
        social_contract__isnull=True,
    )
    return (
        Scope.of(actor)
        .rows(qs, via="institution")
        .select_related("person", "measure", "institution")
        .order_by("-starts_on", "pk")
    )


@dataclass(frozen=True)
class OutcomeCount:
    kind: str
    kind_label: str
    active: int
    terminated: int
    recovered: Decimal
    outcomes: dict[str, int]  # outcome code → contracts completed with it

    @property
    def completed(self) -> int:
        return sum(self.outcomes.values())


def contract_outcomes(*, actor: Actor) -> list[OutcomeCount]:
    """For reporting: per kind of contract, how many are in force, ended early (and the money
    to recover), and completed with each outcome. One grouped query."""
    qs = Scope.of(actor).aggregates(SocialContract.objects.all(), via=VIA)
    counts = {
        "active": Count("pk", filter=Q(status=ContractStatus.ACTIVE)),
        "terminated": Count("pk", filter=Q(status=ContractStatus.TERMINATED)),
        "recovered": Sum("recovery_amount"),
        **{
            f"outcome_{code}": Count("pk", filter=Q(status=ContractStatus.COMPLETED, outcome=code))
            for code in ContractOutcome.values
        },
    }
    rows = {row["kind"]: row for row in qs.values("kind").annotate(**counts).order_by()}
    summary = []
    for kind in ContractKind:
        row = rows.get(kind.value, {})
        summary.append(
            OutcomeCount(
                kind=kind.value,
                kind_label=str(kind.label),
                active=row.get("active", 0),
                terminated=row.get("terminated", 0),
                recovered=(row.get("recovered") or Decimal(0)).quantize(CENTS),
                outcomes={code: row.get(f"outcome_{code}", 0) for code in ContractOutcome.values},
            )
        )
    return summary
