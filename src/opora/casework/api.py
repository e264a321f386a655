"""The casework API: cases from the application to the decision, individual programmes and the
services delivered against them. Reads go through the selectors, so a case of another
institution is a 404 and never appears in a list; writes go through the services, whose
DomainError becomes the one 4xx error body. SNILS is never part of a casework payload."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.catalogue import selectors as catalogue
from opora.catalogue.models import PeriodicityUnit
from opora.core.api_support import PageNumberPagination, Router, api_require
from opora.core.errors import DomainError, NotFound
from opora.core.permissions import has_permission
from opora.institutions import selectors as institutions
from opora.institutions.models import ServiceForm
from opora.registry import selectors as registry

from . import selectors, services
from .access import CASE_VIEW, CASE_WORK, OVERDUE_VIEW
from .models import (
    Applicant,
    Case,
    CaseStatus,
    Channel,
    Outcome,
    Programme,
    ProgrammeReason,
)

router = Router(tags=["casework"])
T = TypeVar("T")


# --- Schemas: cases ---------------------------------------------------------------------------


class CaseOut(Schema):
    id: int
    number: str
    person_id: int
    person: str
    institution_id: int
    institution: str
    status: CaseStatus
    status_since: dt.date
    channel: Channel
    applied_on: dt.date
    next_due: dt.date | None
    overdue: bool
    worker_id: int | None
    worker: str | None

    @staticmethod
    def resolve_person(obj):
        return obj.person.full_name

    @staticmethod
    def resolve_institution(obj):
        return obj.institution.display_name

    @staticmethod
    def resolve_overdue(obj):
        return obj.overdue_on(timezone.localdate())

    @staticmethod
    def resolve_worker(obj):
        return obj.worker.full_name if obj.worker_id else None


# What CaseOut reads. Otherwise a page of 50 cases loads all 76 columns of the case, the person,
# the institution and the worker per row to show a dozen, a fifth of the list's work. A field
# added to CaseOut must be added here, or each row fetches it with a query of its own
# (tests/core/test_api_queries.py counts them).
CASE_OUT_COLUMNS = (
    *("number", "person", "institution", "status", "status_since", "channel"),
    *("applied_on", "next_due", "worker"),
    *("person__last_name", "person__first_name", "person__patronymic"),
    *("institution__name", "institution__name_en"),
    *("worker__last_name", "worker__first_name", "worker__patronymic"),
)


class DecisionOut(Schema):
    id: int
    outcome: Outcome
    decided_on: dt.date
    due_on: dt.date
    late: bool
    care_level: str | None
    reasons: str

    @staticmethod
    def resolve_care_level(obj):
        return obj.care_level.code if obj.care_level_id else None


class ProgrammeSummaryOut(Schema):
    id: int
    version: int
    form: ServiceForm
    status: str
    valid_from: dt.date
    valid_to: dt.date
    review_due: dt.date
    fee_cap: Decimal
    is_free: bool
    agreed_on: dt.date | None


class CaseDetailOut(CaseOut):
    applicant: Applicant
    representative_name: str
    representative_basis: str
    referred_by: str
    grounds: list[str]
    requested_services: list[int]
    requested_form: str
    circumstances: str
    decision_due: dt.date | None
    programme_due: dt.date | None
    decision: DecisionOut | None
    programme: ProgrammeSummaryOut | None

    @staticmethod
    def resolve_grounds(obj):
        return selectors.ground_codes(obj)

    @staticmethod
    def resolve_requested_services(obj):
        return selectors.requested_service_ids(obj)

    @staticmethod
    def resolve_decision(obj):
        return selectors.decision_of(obj)

    @staticmethod
    def resolve_programme(obj):
        return selectors.programme_in_force(obj)


class CaseFilter(Schema):
    status: CaseStatus | None = None
    institution: int | None = None
    worker: int | None = None
    q: str = ""
    open_only: bool = False
    overdue: bool = False


class UrgentIn(Schema):
    service_id: int
    quantity: int = Field(1, ge=1)
    minutes: int | None = Field(None, ge=0)
    note: str = ""


class CaseIn(Schema):
    person_id: int
    institution_id: int
    channel: Channel
    applicant: Applicant = Applicant.SELF
    representative_name: str = ""
    representative_basis: str = ""
    referred_by: str = ""
    applied_on: dt.date | None = None
    grounds: list[str]
    requested_services: list[int] = []
    requested_form: ServiceForm | None = None
    circumstances: str = ""
    urgent: list[UrgentIn] = []


class TimelineOut(Schema):
    on: dt.date
    kind: str
    object_id: int | None
    details: dict[str, Any]


# --- Schemas: assessment, decision, steps ------------------------------------------------------


class AssessmentIn(Schema):
    scale: str
    answers: dict[str, int]
    assessed_on: dt.date | None = None
    living_conditions: str = ""
    conclusion: str = ""


class AssessmentOut(Schema):
    id: int
    case_id: int
    scale: str
    assessed_on: dt.date
    answers: dict[str, int]
    score: int
    care_level: str | None
    living_conditions: str
    conclusion: str

    @staticmethod
    def resolve_scale(obj):
        return obj.scale.code

    @staticmethod
    def resolve_care_level(obj):
        return obj.care_level.code if obj.care_level_id else None


class DecisionIn(Schema):
    outcome: Outcome
    decided_on: dt.date | None = None
    reasons: str = ""
    care_level: str = ""


class StepIn(Schema):
    on: dt.date | None = None
    note: str = ""


class WorkerIn(Schema):
    employee_id: int


# --- Schemas: programmes ------------------------------------------------------------------------


class ProgrammeOut(ProgrammeSummaryOut):
    case_id: int
    reason: ProgrammeReason
    drawn_up_on: dt.date
    income: Decimal
    refusal: str
    ended_on: dt.date | None


class ItemOut(Schema):
    id: int
    service_id: int
    service_code: str
    service: str
    provider_id: int
    provider_institution_id: int
    provider_institution: str
    volume: int
    times: int | None
    per: str
    unit_price: Decimal
    starts_on: dt.date
    ends_on: dt.date
    refused_on: dt.date | None
    note: str
    delivered: int
    left: int


def _item_out(line: selectors.ItemLine) -> dict[str, Any]:
    item = line.item
    return {
        "id": item.pk,
        "service_id": item.service_id,
        "service_code": item.service.code,
        "service": item.service.display_name,
        "provider_id": item.provider_id,
        "provider_institution_id": item.provider.institution_id,
        "provider_institution": item.provider.institution.display_name,
        "volume": item.volume,
        "times": item.times,
        "per": item.per,
        "unit_price": item.unit_price,
        "starts_on": item.starts_on,
        "ends_on": item.ends_on,
        "refused_on": item.refused_on,
        "note": item.note,
        "delivered": line.delivered,
        "left": line.left,
    }


class ProgrammeDetailOut(ProgrammeOut):
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj):
        return [_item_out(line) for line in selectors.item_lines(obj)]


class ProgrammeIn(Schema):
    form: ServiceForm
    drawn_up_on: dt.date | None = None
    income: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    reason: ProgrammeReason | None = None
    copy_items: bool = True


class ItemIn(Schema):
    service_id: int
    provider_id: int
    volume: int = Field(..., ge=1)
    times: int | None = Field(None, ge=1)
    per: PeriodicityUnit | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    note: str = ""


class AgreeIn(Schema):
    agreed_on: dt.date | None = None
    refused_item_ids: list[int] = []
    refusal: str = ""


# --- Schemas: deliveries, acts, the overdue list ---------------------------------------------


class DeliveryOut(Schema):
    id: int
    case_id: int
    item_id: int | None
    service_id: int
    service_code: str
    is_urgent: bool
    delivered_on: dt.date
    started_at: dt.time | None
    minutes: int | None
    quantity: int
    unit_price: Decimal
    worker_id: int | None
    worker: str | None
    note: str

    @staticmethod
    def resolve_service_code(obj):
        return obj.service.code

    @staticmethod
    def resolve_worker(obj):
        return obj.worker.full_name if obj.worker_id else None


class DeliveryFilter(Schema):
    date_from: dt.date | None = Field(None, alias="from")
    date_to: dt.date | None = Field(None, alias="to")


class DeliveryEntryIn(Schema):
    item_id: int
    delivered_on: dt.date
    quantity: int = Field(1, ge=1)
    minutes: int | None = Field(None, ge=0)
    started_at: dt.time | None = None
    note: str = ""


class DeliveriesIn(Schema):
    entries: list[DeliveryEntryIn] = Field(..., min_length=1)


class UrgentDeliveryIn(UrgentIn):
    delivered_on: dt.date | None = None


class ActOut(Schema):
    id: int
    case_id: int
    programme_id: int
    month: dt.date
    cost: Decimal
    fee: Decimal
    deliveries: int
    issued_on: dt.date


class ActIn(Schema):
    month: dt.date


class OverdueOut(Schema):
    """A case past its deadline. The person is named only to staff who may read the case;
    a department analyst gets the same row with ``person_id`` and ``person`` empty."""

    id: int
    number: str
    institution_id: int
    institution: str
    status: CaseStatus
    next_due: dt.date
    days_overdue: int
    person_id: int | None
    person: str | None

    @staticmethod
    def resolve_institution(obj):
        return obj.institution.display_name

    @staticmethod
    def resolve_days_overdue(obj):
        return (timezone.localdate() - obj.next_due).days

    @staticmethod
    def resolve_person_id(obj, context):
        return obj.person_id if has_permission(context["request"].user, CASE_VIEW) else None

    @staticmethod
    def resolve_person(obj, context):
        return obj.person.full_name if has_permission(context["request"].user, CASE_VIEW) else None


class OverdueFilter(Schema):
    institution: int | None = None


class OverdueCountOut(Schema):
    institution_id: int
    institution: str
    count: int


# --- Lookups of what a body names by id or code ------------------------------------------------
# A lookup outside the caller's scope is a 404 whose message, like every message of this API,
# is in the caller's language.


def _found(lookup: Callable[[], T], message: str) -> T:
    try:
        return lookup()
    except Http404:
        raise NotFound("not_found", message) from None


def _case(request, case_id: int) -> Case:
    return _found(lambda: selectors.case_get(actor=request.user, pk=case_id), _("No such case."))


def _programme(request, programme_id: int) -> Programme:
    return _found(
        lambda: selectors.programme_get(actor=request.user, pk=programme_id),
        _("No such programme."),
    )


def _item(request, item_id: int):
    return _found(
        lambda: selectors.item_get(actor=request.user, pk=item_id),
        _("No such service in a programme."),
    )


def _person(request, person_id: int):
    return _found(
        lambda: registry.person_get(actor=request.user, pk=person_id),
        _("No such person in your scope."),
    )


def _institution(request, institution_id: int):
    return _found(
        lambda: institutions.institution_get(actor=request.user, pk=institution_id),
        _("There is no institution with this id."),
    )


def _service(request, service_id: int):
    return _found(
        lambda: catalogue.service_get(actor=request.user, pk=service_id),
        _("No such service in the catalogue."),
    )


def _provider(request, provider_id: int):
    return _found(
        lambda: catalogue.provider_get(actor=request.user, pk=provider_id),
        _("No such provider in the register."),
    )


def _worker(request, employee_id: int):
    return _found(
        lambda: selectors.worker_get(actor=request.user, pk=employee_id),
        _("No such social worker."),
    )


def _case_out(request, case: Case) -> Case:
    """The case as read again after a write, with what the detail schema needs."""
    return _case(request, case.pk)


def _today_or(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


def _timeline_details(event: selectors.TimelineEvent) -> dict[str, Any]:
    obj = event.obj
    if event.kind == "step":
        return {"from_status": obj.from_status, "to_status": obj.to_status, "note": obj.note}
    if event.kind == "document":
        return {
            "kind": obj.kind,
            "title": obj.title,
            "file_name": obj.original_name,
            "content_type": obj.content_type,
            "size": obj.size,
        }
    if event.kind == "assessment":
        return {
            "score": obj.score,
            "care_level": obj.care_level.code if obj.care_level_id else None,
        }
    if event.kind == "decision":
        return {"outcome": obj.outcome, "reasons": obj.reasons, "late": obj.late}
    if event.kind == "programme":
        return {"version": obj.version, "status": obj.status, "form": obj.form}
    if event.kind == "delivery":
        return {
            "service_code": obj.service.code,
            "quantity": obj.quantity,
            "minutes": obj.minutes,
            "is_urgent": obj.is_urgent,
        }
    if event.kind == "missed":
        return {"reason": obj.reason, "note": obj.note}
    if event.kind == "act":
        return {"month": obj.month, "cost": obj.cost, "fee": obj.fee}
    return {}


# --- Cases ------------------------------------------------------------------------------------


@router.get("/cases", response=list[CaseOut], summary="Cases of the caller's institutions")
@api_require(CASE_VIEW)
@paginate(PageNumberPagination, page_size=50)
def case_list(request, filters: Query[CaseFilter]):
    return (
        selectors.case_list(
            actor=request.user,
            status=filters.status or "",
            institution=filters.institution,
            worker=filters.worker,
            q=filters.q,
            open_only=filters.open_only,
            overdue_on=timezone.localdate() if filters.overdue else None,
        )
        .order_by("-applied_on", "-pk")
        .only(*CASE_OUT_COLUMNS)
    )


@router.post("/cases", response={201: CaseDetailOut}, summary="Register an application")
@api_require(CASE_WORK)
def case_register(request, payload: CaseIn):
    person = _person(request, payload.person_id)
    institution = _institution(request, payload.institution_id)
    urgent = [
        services.UrgentEntry(
            service=_service(request, entry.service_id),
            quantity=entry.quantity,
            minutes=entry.minutes,
            note=entry.note,
        )
        for entry in payload.urgent
    ]
    case = services.case_register(
        actor=request.user,
        person=person,
        institution=institution,
        channel=payload.channel,
        applicant=payload.applicant,
        representative_name=payload.representative_name,
        representative_basis=payload.representative_basis,
        referred_by=payload.referred_by,
        applied_on=_today_or(payload.applied_on),
        grounds=selectors.grounds_by_code(payload.grounds),
        requested_services=[
            _service(request, pk) for pk in dict.fromkeys(payload.requested_services)
        ],
        requested_form=payload.requested_form or "",
        circumstances=payload.circumstances,
        urgent=urgent,
    )
    return Status(201, _case_out(request, case))


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="One case")
@api_require(CASE_VIEW)
def case_detail(request, case_id: int):
    return _case(request, case_id)


@router.get("/cases/{case_id}/timeline", response=list[TimelineOut], summary="The story of a case")
@api_require(CASE_VIEW)
def case_timeline(request, case_id: int):
    return [
        {
            "on": event.on,
            "kind": event.kind,
            "object_id": getattr(event.obj, "pk", None),
            "details": _timeline_details(event),
        }
        for event in selectors.case_timeline(_case(request, case_id))
    ]


@router.post(
    "/cases/{case_id}/assessments",
    response={201: AssessmentOut},
    summary="Record an assessment of the person's circumstances",
)
@api_require(CASE_WORK)
def assessment_record(request, case_id: int, payload: AssessmentIn):
    assessment = services.assessment_record(
        actor=request.user,
        case=_case(request, case_id),
        scale=selectors.scale_by_code(payload.scale),
        answers=payload.answers,
        assessed_on=_today_or(payload.assessed_on),
        living_conditions=payload.living_conditions,
        conclusion=payload.conclusion,
    )
    return Status(201, assessment)


@router.post(
    "/cases/{case_id}/decision",
    response={201: CaseDetailOut},
    summary="Recognise the person as needing social services, or refuse",
)
@api_require(CASE_WORK)
def need_decide(request, case_id: int, payload: DecisionIn):
    case = _case(request, case_id)
    services.need_decide(
        actor=request.user,
        case=case,
        outcome=payload.outcome,
        decided_on=_today_or(payload.decided_on),
        reasons=payload.reasons,
        care_level=selectors.care_level_by_code(case, payload.care_level),
    )
    return Status(201, _case_out(request, case))


def _step(request, case_id: int, payload: StepIn, step) -> Case:
    case = step(
        actor=request.user,
        case=_case(request, case_id),
        on=_today_or(payload.on),
        note=payload.note,
    )
    return _case_out(request, case)


@router.post("/cases/{case_id}/suspend", response=CaseDetailOut, summary="Suspend services")
@api_require(CASE_WORK)
def case_suspend(request, case_id: int, payload: StepIn):
    return _step(request, case_id, payload, services.case_suspend)


@router.post("/cases/{case_id}/resume", response=CaseDetailOut, summary="Resume services")
@api_require(CASE_WORK)
def case_resume(request, case_id: int, payload: StepIn):
    return _step(request, case_id, payload, services.case_resume)


@router.post("/cases/{case_id}/close", response=CaseDetailOut, summary="Close a case")
@api_require(CASE_WORK)
def case_close(request, case_id: int, payload: StepIn):
    return _step(request, case_id, payload, services.case_close)


@router.post(
    "/cases/{case_id}/worker", response=CaseDetailOut, summary="Give the case to a social worker"
)
@api_require(CASE_WORK)
def case_assign_worker(request, case_id: int, payload: WorkerIn):
    case = _case(request, case_id)
    employee = _worker(request, payload.employee_id)
    services.case_assign_worker(actor=request.user, case=case, employee=employee)
    return _case_out(request, case)


# --- Programmes --------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/programmes",
    response=list[ProgrammeOut],
    summary="Every version of the case's individual programme, newest first",
)
@api_require(CASE_VIEW)
def programme_list(request, case_id: int):
    return selectors.programmes_of(_case(request, case_id))


@router.post(
    "/cases/{case_id}/programmes",
    response={201: ProgrammeDetailOut},
    summary="Draw up a version of the individual programme",
)
@api_require(CASE_WORK)
def programme_draft(request, case_id: int, payload: ProgrammeIn):
    programme = services.programme_draft(
        actor=request.user,
        case=_case(request, case_id),
        form=payload.form,
        drawn_up_on=_today_or(payload.drawn_up_on),
        income=payload.income,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        reason=payload.reason,
        copy_items=payload.copy_items,
    )
    return Status(201, _programme(request, programme.pk))


@router.get(
    "/programmes/{programme_id}",
    response=ProgrammeDetailOut,
    summary="A version of a programme with what was delivered and what is left",
)
@api_require(CASE_VIEW)
def programme_detail(request, programme_id: int):
    return _programme(request, programme_id)


@router.post(
    "/programmes/{programme_id}/items",
    response={201: ItemOut},
    summary="Add a service to a draft",
)
@api_require(CASE_WORK)
def programme_item_add(request, programme_id: int, payload: ItemIn):
    programme = _programme(request, programme_id)
    item = services.programme_item_add(
        actor=request.user,
        programme=programme,
        service=_service(request, payload.service_id),
        provider=_provider(request, payload.provider_id),
        volume=payload.volume,
        times=payload.times,
        per=payload.per or "",
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        note=payload.note,
    )
    return Status(201, _item_out(selectors.item_line(programme, item.pk)))


@router.delete(
    "/programmes/{programme_id}/items/{item_id}",
    response={204: None},
    summary="Remove a service from a draft",
)
@api_require(CASE_WORK)
def programme_item_remove(request, programme_id: int, item_id: int):
    item = _item(request, item_id)
    if item.programme_id != programme_id:
        raise DomainError(
            "item_not_in_programme",
            _("The service is not in this version of the programme."),
            details={"item": [_("Choose a service of this version.")]},
            status=404,
        )
    services.programme_item_remove(actor=request.user, item=item)
    return Status(204, None)


@router.post(
    "/programmes/{programme_id}/agree",
    response=ProgrammeDetailOut,
    summary="Record the recipient's agreement, with a written refusal of some services",
)
@api_require(CASE_WORK)
def programme_agree(request, programme_id: int, payload: AgreeIn):
    programme = _programme(request, programme_id)
    items = selectors.items_by_pk(programme)
    unknown = [pk for pk in payload.refused_item_ids if pk not in items]
    if unknown:
        raise DomainError(
            "item_not_in_programme",
            _("A refused service is not in this version of the programme."),
            details={"refused_item_ids": [_("Choose services of this version.")]},
        )
    services.programme_agree(
        actor=request.user,
        programme=programme,
        agreed_on=_today_or(payload.agreed_on),
        refused_items=[items[pk] for pk in dict.fromkeys(payload.refused_item_ids)],
        refusal=payload.refusal,
    )
    return _programme(request, programme_id)


# --- Deliveries ---------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/deliveries",
    response=list[DeliveryOut],
    summary="Services delivered in a case, newest first",
)
@api_require(CASE_VIEW)
@paginate(PageNumberPagination, page_size=100)
def delivery_list(request, case_id: int, filters: Query[DeliveryFilter]):
    return selectors.deliveries_of(
        _case(request, case_id), date_from=filters.date_from, date_to=filters.date_to
    )


@router.post(
    "/cases/{case_id}/deliveries",
    response={201: list[DeliveryOut]},
    summary="Record services delivered against the programme in force: all entries or none",
)
@api_require(CASE_WORK)
def deliveries_record(request, case_id: int, payload: DeliveriesIn):
    case = _case(request, case_id)
    entries = [
        services.DeliveryEntry(
            # An item outside the caller's cases is a 404; one of another programme the
            # service refuses.
            item=_item(request, entry.item_id),
            delivered_on=entry.delivered_on,
            quantity=entry.quantity,
            minutes=entry.minutes,
            started_at=entry.started_at,
            note=entry.note,
        )
        for entry in payload.entries
    ]
    recorded = services.deliveries_record(actor=request.user, case=case, entries=entries)
    return Status(201, list(selectors.deliveries_of(case, pks=[d.pk for d in recorded])))


@router.post(
    "/cases/{case_id}/urgent",
    response={201: DeliveryOut},
    summary="Record an urgent social service, given without a programme",
)
@api_require(CASE_WORK)
def urgent_deliver(request, case_id: int, payload: UrgentDeliveryIn):
    delivery = services.urgent_service_deliver(
        actor=request.user,
        case=_case(request, case_id),
        entry=services.UrgentEntry(
            service=_service(request, payload.service_id),
            quantity=payload.quantity,
            minutes=payload.minutes,
            note=payload.note,
        ),
        delivered_on=_today_or(payload.delivered_on),
    )
    return Status(201, delivery)


# --- Deadlines -------------------------------------------------------------------------------


@router.get(
    "/overdue",
    response=list[OverdueOut],
    summary="Cases past their deadline: the institution's for its staff, the department's "
    "without names for analysts",
)
@api_require(OVERDUE_VIEW)
@paginate(PageNumberPagination, page_size=50)
def overdue_list(request, filters: Query[OverdueFilter]):
    return selectors.overdue_cases(
        actor=request.user, on=timezone.localdate(), institution=filters.institution
    )


@router.get(
    "/overdue/institutions",
    response=list[OverdueCountOut],
    summary="How many cases are past their deadline, per institution",
)
@api_require(OVERDUE_VIEW)
def overdue_counts(request):
    return [
        {
            "institution_id": row["institution"],
            "institution": (
                row["institution__name_en"]
                if get_language() != "ru" and row["institution__name_en"]
                else row["institution__name"]
            ),
            "count": row["count"],
        }
        for row in selectors.overdue_by_institution(actor=request.user, on=timezone.localdate())
    ]


@router.get(
    "/inbox", response=list[CaseOut], summary="The caller's cases whose next step is due by today"
)
@api_require(CASE_VIEW)
@paginate(PageNumberPagination, page_size=50)
def inbox(request):
    return selectors.due_cases(actor=request.user, on=timezone.localdate())


# --- Acts -------------------------------------------------------------------------------------


@router.get("/acts", response=list[ActOut], summary="The monthly acts of a case")
@api_require(CASE_VIEW)
def act_list(request, case: int):
    return selectors.acts_of(_case(request, case))


@router.post(
    "/cases/{case_id}/acts",
    response={201: ActOut},
    summary="Issue the act of the services delivered in a month",
)
@api_require(CASE_WORK)
def act_issue(request, case_id: int, payload: ActIn):
    act = services.act_issue(actor=request.user, case=_case(request, case_id), month=payload.month)
    return Status(201, act)
