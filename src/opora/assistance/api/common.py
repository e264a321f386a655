"""What the areas of the assistance API share: the router, the lookups of what a path or a body
names by id (a selector's read; absent or out of scope, a 404 in the caller's language) and the
explanation of an evaluation as the API gives it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema

from opora.casework import selectors as casework
from opora.core.api_support import Router
from opora.core.errors import DomainError, NotFound
from opora.registry import selectors as registry

from .. import selectors
from ..presenting import explained, mark

router = Router(tags=["assistance"])
T = TypeVar("T")


def found(lookup: Callable[[], T], message: str) -> T:
    try:
        return lookup()
    except Http404:
        raise NotFound("not_found", message) from None


def today_or(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


def measure_of(request, measure_id: int):
    return found(
        lambda: selectors.measure_get(actor=request.user, pk=measure_id), _("No such measure.")
    )


def version_of(request, version_id: int):
    return found(
        lambda: selectors.version_get(actor=request.user, pk=version_id),
        _("No such version of a measure."),
    )


def application_of(request, application_id: int):
    return found(
        lambda: selectors.application_get(actor=request.user, pk=application_id),
        _("No such application in your scope."),
    )


def assignment_of(request, assignment_id: int):
    return found(
        lambda: selectors.assignment_get(actor=request.user, pk=assignment_id),
        _("No such assignment in your scope."),
    )


def person_of(request, person_id: int):
    return found(
        lambda: registry.person_get(actor=request.user, pk=person_id),
        _("No such person in your scope."),
    )


def institution_of(request, institution_id: int):
    """One of the institutions whose applications the caller registers."""
    institution = casework.institutions_of(actor=request.user).filter(pk=institution_id).first()
    if institution is None:
        raise DomainError(
            "unknown_institution",
            _("You do not register applications for this institution."),
            details={"institution_id": [_("Choose one of your institutions.")]},
        )
    return institution


# --- The explanation of an evaluation -----------------------------------------------------------


class AssistanceLineOut(Schema):
    """One sentence of a rule: its depth in the tree of all/any/not and the clause it states."""

    depth: int
    text: str
    clause_id: str | None = None


def lines_out(lines: Any) -> list[dict[str, Any]]:
    return [
        {"depth": line.depth, "text": str(line.text), "clause_id": line.clause_id} for line in lines
    ]


class AssistanceClauseOut(Schema):
    id: str
    held: bool | None = Field(..., description="true: met; false: not met; null: unknown")
    mark: str = Field(..., description="✓, ✗ or ?")
    text: str = Field(..., description="the clause as a sentence")
    facts: dict[str, Any] = Field(..., description="the facts the clause read")


class AssistanceEvaluationOut(Schema):
    id: int
    application_id: int | None
    version_id: int
    person_id: int
    household_id: int | None
    on: dt.date
    eligible: bool | None
    amount: Decimal | None
    evaluated_at: dt.datetime
    verdict: str = Field(..., description="whether the applicant is eligible, in words")
    explanation: list[str] = Field(..., description="the verdict, then each clause marked")
    clauses: list[AssistanceClauseOut]
    failed: list[str] = Field(..., description="the sentences of the clauses not met")
    unknown: list[str] = Field(..., description="the sentences of the clauses left unknown")
    amount_parts: list[dict[str, Any]] = Field(..., description="what the amount is made of")

    @staticmethod
    def resolve_verdict(obj):
        return explained(obj).verdict()

    @staticmethod
    def resolve_explanation(obj):
        return explained(obj).words()

    @staticmethod
    def resolve_clauses(obj):
        return [
            {
                "id": clause.id,
                "held": clause.held,
                "mark": mark(clause.held),
                "text": clause.text,
                "facts": clause.facts,
            }
            for clause in explained(obj).clauses
        ]

    @staticmethod
    def resolve_failed(obj):
        return [clause.text for clause in explained(obj).failed]

    @staticmethod
    def resolve_unknown(obj):
        return [clause.text for clause in explained(obj).unknown]

    @staticmethod
    def resolve_amount_parts(obj):
        return explained(obj).amount_parts
