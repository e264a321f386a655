"""Social contracts: the list and the outcomes counted for reporting, one contract with its plan,
instalments and visits, and its steps (conclude, a step done, an instalment paid, a visit,
early termination, the outcome). A contract of another institution is a 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import PageNumberPagination, api_require
from opora.core.errors import NotFound

from ..access import APPLICATION_VIEW, ASSIGNMENT_MANAGE
from ..models import (
    ContractKind,
    ContractOutcome,
    ContractStatus,
    InstalmentStatus,
    MilestoneOwner,
    SocialContract,
)
from ..selectors.social_contract import contract_get, contract_money, contract_outcomes, contracts
from ..services.social_contract import (
    contract_complete,
    contract_conclude,
    contract_terminate,
    contract_visit,
    instalment_pay,
    milestone_done,
)
from .common import assignment_of, found, router, today_or

# --- Schemas ------------------------------------------------------------------------------------


class AssistanceMilestoneOut(Schema):
    id: int
    order: int
    title: str
    owner: MilestoneOwner
    due_on: dt.date
    done_on: dt.date | None
    note: str


class AssistanceInstalmentOut(Schema):
    id: int
    amount: Decimal
    milestone_id: int | None = Field(..., description="paid once this step is done; null: at once")
    status: InstalmentStatus
    paid_on: dt.date | None


class AssistanceVisitOut(Schema):
    id: int
    visited_on: dt.date
    findings: str
    on_track: bool


class AssistanceContractOut(Schema):
    id: int
    assignment_id: int
    person_id: int
    person: str
    institution_id: int
    kind: ContractKind
    concluded_on: dt.date
    ends_on: dt.date
    status: ContractStatus
    total: Decimal = Field(..., description="the contract's sum: the assignment's amount")

    @staticmethod
    def resolve_person_id(obj):
        return obj.assignment.person_id

    @staticmethod
    def resolve_person(obj):
        return obj.assignment.person.full_name

    @staticmethod
    def resolve_institution_id(obj):
        return obj.assignment.institution_id

    @staticmethod
    def resolve_total(obj):
        return obj.assignment.amount


class AssistanceContractDetailOut(AssistanceContractOut):
    terminated_on: dt.date | None
    termination_reason: str
    recovery_amount: Decimal | None = Field(..., description="to be recovered; null: nothing")
    outcome: ContractOutcome | None
    outcome_on: dt.date | None
    outcome_note: str
    paid: Decimal
    milestones: list[AssistanceMilestoneOut]
    instalments: list[AssistanceInstalmentOut]
    visits: list[AssistanceVisitOut]

    @staticmethod
    def resolve_outcome(obj):
        return obj.outcome or None

    @staticmethod
    def resolve_paid(obj):
        return contract_money(obj).paid

    @staticmethod
    def resolve_milestones(obj):
        return list(obj.milestones.all())

    @staticmethod
    def resolve_instalments(obj):
        return list(obj.instalments.all())

    @staticmethod
    def resolve_visits(obj):
        return list(obj.visits.all())


class AssistanceContractFilter(Schema):
    status: ContractStatus | None = None
    kind: ContractKind | None = None


class AssistanceMilestoneIn(Schema):
    title: str = Field(..., max_length=300)
    owner: MilestoneOwner
    due_on: dt.date


class AssistanceInstalmentIn(Schema):
    amount: Decimal = Field(..., gt=0, max_digits=12, decimal_places=2)
    milestone_index: int | None = Field(
        None, ge=0, description="the step (0 = the first of `milestones`); null: paid at once"
    )


class AssistanceContractIn(Schema):
    assignment_id: int
    kind: ContractKind
    concluded_on: dt.date | None = Field(None, description="today when absent")
    ends_on: dt.date
    milestones: list[AssistanceMilestoneIn] = Field(..., min_length=1, max_length=50)
    instalments: list[AssistanceInstalmentIn] = Field(..., min_length=1, max_length=50)


class AssistanceMilestoneDoneIn(Schema):
    on: dt.date | None = Field(None, description="today when absent")
    note: str = Field("", max_length=300)


class AssistanceInstalmentPayIn(Schema):
    on: dt.date | None = Field(None, description="today when absent")


class AssistanceVisitIn(Schema):
    visited_on: dt.date | None = Field(None, description="today when absent")
    findings: str = Field(..., max_length=5000)
    on_track: bool = True


class AssistanceContractTerminateIn(Schema):
    on: dt.date | None = Field(None, description="today when absent")
    reason: str = Field(..., max_length=300)
    recover: bool = Field(..., description="recover the instalments paid (the plan failed)")


class AssistanceContractCompleteIn(Schema):
    outcome: ContractOutcome
    on: dt.date | None = Field(None, description="today when absent")
    note: str = ""


class AssistanceOutcomeCountOut(Schema):
    kind: ContractKind
    kind_label: str
    active: int
    terminated: int
    completed: int
    recovered: Decimal
    outcomes: dict[str, int] = Field(..., description="contracts completed, by outcome")


# --- Endpoints ----------------------------------------------------------------------------------


def _contract(request, contract_id: int) -> SocialContract:
    return found(
        lambda: contract_get(actor=request.user, pk=contract_id),
        _("No such social contract in your scope."),
    )


@router.get(
    "/contracts", response=list[AssistanceContractOut], summary="Social contracts in your scope"
)
@api_require(APPLICATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def contract_list(request, filters: Query[AssistanceContractFilter]):
    return contracts(actor=request.user, status=filters.status or "", kind=filters.kind or "")


@router.get(
    "/contracts/outcomes",
    response=list[AssistanceOutcomeCountOut],
    summary="Social contracts by kind and outcome, for reporting",
)
@api_require(APPLICATION_VIEW)
def contract_outcome_counts(request):
    return [
        {**row.__dict__, "completed": row.completed}
        for row in contract_outcomes(actor=request.user)
    ]


@router.post(
    "/contracts",
    response={201: AssistanceContractDetailOut},
    summary="Conclude a social contract on an assignment",
)
@api_require(ASSIGNMENT_MANAGE)
def contract_create(request, payload: AssistanceContractIn):
    contract = contract_conclude(
        actor=request.user,
        assignment=assignment_of(request, payload.assignment_id),
        kind=payload.kind,
        concluded_on=today_or(payload.concluded_on),
        ends_on=payload.ends_on,
        milestones=[line.dict() for line in payload.milestones],
        instalments=[line.dict() for line in payload.instalments],
    )
    return Status(201, _contract(request, contract.pk))


@router.get(
    "/contracts/{contract_id}",
    response=AssistanceContractDetailOut,
    summary="A social contract with its plan, instalments and visits",
)
@api_require(APPLICATION_VIEW)
def contract_contract(request, contract_id: int):
    return _contract(request, contract_id)


@router.post(
    "/contracts/{contract_id}/milestones/{milestone_id}/done",
    response=AssistanceContractDetailOut,
    summary="Record a step of the plan done",
)
@api_require(ASSIGNMENT_MANAGE)
def contract_milestone_done(
    request, contract_id: int, milestone_id: int, payload: AssistanceMilestoneDoneIn
):
    contract = _contract(request, contract_id)
    step = next((m for m in contract.milestones.all() if m.pk == milestone_id), None)
    if step is None:
        raise NotFound("not_found", _("No such step in the contract's plan."))
    milestone_done(actor=request.user, milestone=step, on=today_or(payload.on), note=payload.note)
    return _contract(request, contract_id)


@router.post(
    "/contracts/{contract_id}/instalments/{instalment_id}/pay",
    response=AssistanceContractDetailOut,
    summary="Record an instalment paid (one tied to a step only once the step is done)",
)
@api_require(ASSIGNMENT_MANAGE)
def contract_instalment_pay(
    request, contract_id: int, instalment_id: int, payload: AssistanceInstalmentPayIn
):
    contract = _contract(request, contract_id)
    instalment = next((i for i in contract.instalments.all() if i.pk == instalment_id), None)
    if instalment is None:
        raise NotFound("not_found", _("No such instalment in the contract."))
    instalment_pay(actor=request.user, instalment=instalment, on=today_or(payload.on))
    return _contract(request, contract_id)


@router.post(
    "/contracts/{contract_id}/visits",
    response={201: AssistanceContractDetailOut},
    summary="Record a monitoring visit",
)
@api_require(ASSIGNMENT_MANAGE)
def contract_visit_record(request, contract_id: int, payload: AssistanceVisitIn):
    contract_visit(
        actor=request.user,
        contract=_contract(request, contract_id),
        visited_on=today_or(payload.visited_on),
        findings=payload.findings,
        on_track=payload.on_track,
    )
    return Status(201, _contract(request, contract_id))


@router.post(
    "/contracts/{contract_id}/terminate",
    response=AssistanceContractDetailOut,
    summary="End a social contract early (its assignment too), recovering what was paid or not",
)
@api_require(ASSIGNMENT_MANAGE)
def contract_end_early(request, contract_id: int, payload: AssistanceContractTerminateIn):
    contract_terminate(
        actor=request.user,
        contract=_contract(request, contract_id),
        on=today_or(payload.on),
        reason=payload.reason,
        recover=payload.recover,
    )
    return _contract(request, contract_id)


@router.post(
    "/contracts/{contract_id}/complete",
    response=AssistanceContractDetailOut,
    summary="Record a social contract's outcome",
)
@api_require(ASSIGNMENT_MANAGE)
def contract_record_outcome(request, contract_id: int, payload: AssistanceContractCompleteIn):
    contract_complete(
        actor=request.user,
        contract=_contract(request, contract_id),
        outcome=payload.outcome,
        on=today_or(payload.on),
        note=payload.note,
    )
    return _contract(request, contract_id)
