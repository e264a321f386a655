"""The institutions API at /api/v1/institutions: institutions, their kinds, districts,
employees, their employments and training, and staff counts.

Kinds, positions, forms and accessibility features are given by their codes. Objects outside
the caller's scope are not found (404); an employee she sees but may not change is refused
(403), as on the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from ninja import Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.actors import Actor
from opora.core.api_support import ExampleMarkOut, PageNumberPagination, Router, api_require
from opora.core.errors import DomainError

from . import selectors, services
from .access import (
    INSTITUTION_EDIT,
    INSTITUTION_MANAGE,
    INSTITUTION_VIEW,
    STAFF_EDIT,
    STAFF_VIEW,
)
from .models import (
    AccessibilityFeature,
    District,
    Employee,
    Employment,
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Position,
    ServiceForm,
    TrainingKind,
)

router = Router(tags=["institutions"])


def _by_code(model: type, code: str, field: str) -> Any:
    """A row of reference data by its code, or a clear 400 naming the field."""
    row = selectors.reference_by_code(model, code)
    if row is None:
        raise DomainError(
            f"unknown_{field}",
            _("Unknown code: %(code)s.") % {"code": code},
            details={field: [code]},
        )
    return row


# --- Reference data ---------------------------------------------------------------------------


class CodeNameOut(Schema):
    code: str
    name: str
    name_en: str


class PositionOut(CodeNameOut):
    has_caseload: bool


@router.get("/kinds", response=list[CodeNameOut], summary="Kinds of institution")
@api_require(INSTITUTION_VIEW)
def kind_list(request):
    return selectors.kinds()


@router.get("/accessibility-features", response=list[CodeNameOut], summary="Accessibility features")
@api_require(INSTITUTION_VIEW)
def accessibility_feature_list(request):
    return selectors.accessibility_features()


@router.get("/positions", response=list[PositionOut], summary="Positions on the staff")
@api_require(STAFF_VIEW)
def position_list(request):
    return selectors.positions()


# --- Districts --------------------------------------------------------------------------------


class DistrictOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    population: int | None
    institution_count: int = 0


class DistrictIn(Schema):
    code: str
    name: str
    name_en: str = ""
    population: int | None = None


class DistrictPatch(Schema):
    stored_in: ClassVar[type[District]] = District
    code: str | None = None
    name: str | None = None
    name_en: str | None = None
    population: int | None = None
    reason: str = ""


@router.get("/districts", response=list[DistrictOut], summary="Districts and their population")
@api_require(INSTITUTION_VIEW)
@paginate(PageNumberPagination, page_size=100)
def district_list(request, q: str = ""):
    return selectors.district_list(actor=request.user, q=q).order_by("name", "pk")


@router.get("/districts/{district_id}", response=DistrictOut, summary="One district")
@api_require(INSTITUTION_VIEW)
def district_detail(request, district_id: int):
    return selectors.district_get(actor=request.user, pk=district_id)


@router.post("/districts", response={201: DistrictOut}, summary="Add a district")
@api_require(INSTITUTION_MANAGE)
def district_create(request, payload: DistrictIn):
    district = services.district_create(actor=request.user, **payload.dict())
    return Status(201, selectors.district_get(actor=request.user, pk=district.pk))


@router.patch("/districts/{district_id}", response=DistrictOut, summary="Change a district")
@api_require(INSTITUTION_MANAGE)
def district_update(request, district_id: int, payload: DistrictPatch):
    district = selectors.district_get(actor=request.user, pk=district_id)
    fields = payload.dict(exclude_unset=True)
    services.district_update(
        actor=request.user, district=district, reason=fields.pop("reason", ""), **fields
    )
    return selectors.district_get(actor=request.user, pk=district_id)


# --- Staff counts -----------------------------------------------------------------------------


class InstitutionCountOut(Schema):
    institution_id: int
    code: str
    name: str
    staff: int


class PositionCountOut(Schema):
    code: str
    name: str
    staff: int


class StaffCountsOut(Schema):
    on: dt.date
    total: int
    by_institution: list[InstitutionCountOut]
    by_position: list[PositionCountOut]


@router.get(
    "/staff-counts",
    response=StaffCountsOut,
    summary="How many people work, in total, per institution and per position",
)
@api_require(INSTITUTION_VIEW)
def staff_counts(request, on: dt.date | None = None, institution: int | None = None):
    return selectors.staff_counts(actor=request.user, on=on, institution=institution)


# --- Employees --------------------------------------------------------------------------------


class EmploymentOut(Schema):
    id: int
    institution_id: int
    institution: str
    position: str
    hired_on: dt.date
    left_on: dt.date | None
    caseload_limit: int | None
    in_force: bool

    @staticmethod
    def resolve_institution(obj):
        return obj.institution.code

    @staticmethod
    def resolve_position(obj):
        return obj.position.code


class EmployeeOut(Schema):
    id: int
    last_name: str
    first_name: str
    patronymic: str
    personnel_number: str | None
    phone: str
    email: str
    qualification: str
    user_id: int | None
    employments: list[EmploymentOut]

    @staticmethod
    def resolve_phone(obj, context):
        return selectors.phone_for(context["request"].user, obj)

    @staticmethod
    def resolve_employments(obj):
        return obj.employments.all()


class EmploymentIn(Schema):
    institution_id: int
    position: str
    hired_on: dt.date
    caseload_limit: int | None = None


class EmployeeIn(EmploymentIn):
    last_name: str
    first_name: str
    patronymic: str = ""
    personnel_number: str | None = None
    phone: str = ""
    email: str = ""
    qualification: str = ""
    user_id: int | None = None


class EmployeePatch(Schema):
    stored_in: ClassVar[type[Employee]] = Employee
    last_name: str | None = None
    first_name: str | None = None
    patronymic: str | None = None
    personnel_number: str | None = None
    phone: str | None = None
    email: str | None = None
    qualification: str | None = None
    user_id: int | None = None
    reason: str = ""


class EmploymentPatch(Schema):
    stored_in: ClassVar[type[Employment]] = Employment
    position: str | None = None
    hired_on: dt.date | None = None
    caseload_limit: int | None = None
    reason: str = ""


class LeaveIn(Schema):
    left_on: dt.date
    reason: str = ""


class EmployeeFilter(Schema):
    q: str = ""
    institution: int | None = None
    position: str = ""
    active: bool | None = None


def _employment_fields(actor: Actor, payload: EmploymentIn) -> dict[str, Any]:
    """The institution (one the caller may change, else 404) and position of a new
    employment."""
    return {
        "institution": selectors.institution_get_editable(actor=actor, pk=payload.institution_id),
        "position": _by_code(Position, payload.position, "position"),
        "hired_on": payload.hired_on,
        "caseload_limit": payload.caseload_limit,
    }


def _account(actor: Actor, user_id: int | None) -> Any:
    """An account the caller may link: one of her institutions' (else a clear 400)."""
    if user_id is None:
        return None
    user = selectors.linkable_accounts(actor=actor).filter(pk=user_id).first()
    if user is None:
        raise DomainError(
            "unknown_user", _("No such account in your scope."), details={"user_id": [user_id]}
        )
    return user


def _employee(actor: Actor, pk: int) -> Employee:
    return selectors.employee_get(actor=actor, pk=pk)


@router.get("/employees", response=list[EmployeeOut], summary="Employees in the caller's scope")
@api_require(STAFF_VIEW)
@paginate(PageNumberPagination, page_size=50)
def employee_list(request, filters: Query[EmployeeFilter]):
    return selectors.employee_list(actor=request.user, **filters.dict()).order_by(
        "last_name", "first_name", "pk"
    )


@router.get("/employees/{employee_id}", response=EmployeeOut, summary="One employee")
@api_require(STAFF_VIEW)
def employee_detail(request, employee_id: int):
    return _employee(request.user, employee_id)


@router.post(
    "/employees",
    response={201: EmployeeOut},
    summary="Add an employee with her first employment",
)
@api_require(STAFF_EDIT)
def employee_create(request, payload: EmployeeIn):
    data = payload.dict(exclude=set(EmploymentIn.model_fields))
    data["user"] = _account(request.user, data.pop("user_id"))
    employee = services.employee_hire(
        actor=request.user, **_employment_fields(request.user, payload), **data
    )
    return Status(201, _employee(request.user, employee.pk))


@router.patch("/employees/{employee_id}", response=EmployeeOut, summary="Change a staff record")
@api_require(STAFF_EDIT)
def employee_update(request, employee_id: int, payload: EmployeePatch):
    employee = selectors.employee_get_editable(actor=request.user, pk=employee_id)
    fields = payload.dict(exclude_unset=True)
    reason = fields.pop("reason", "")
    if "user_id" in fields:
        fields["user"] = _account(request.user, fields.pop("user_id"))
    services.employee_update(actor=request.user, employee=employee, reason=reason, **fields)
    return _employee(request.user, employee_id)


@router.post(
    "/employees/{employee_id}/employments",
    response={201: EmploymentOut},
    summary="Record that an employee works at an institution",
)
@api_require(STAFF_EDIT)
def employment_add(request, employee_id: int, payload: EmploymentIn):
    employee = selectors.employee_get_editable(actor=request.user, pk=employee_id)
    employment = services.employment_add(
        actor=request.user, employee=employee, **_employment_fields(request.user, payload)
    )
    return Status(201, employment)


@router.patch(
    "/employees/{employee_id}/employments/{employment_id}",
    response=EmploymentOut,
    summary="Change an employment (position, hiring date, caseload limit)",
)
@api_require(STAFF_EDIT)
def employment_update(request, employee_id: int, employment_id: int, payload: EmploymentPatch):
    employment = selectors.employment_get_editable(
        actor=request.user, employee_pk=employee_id, pk=employment_id
    )
    fields = payload.dict(exclude_unset=True)
    reason = fields.pop("reason", "")
    if "position" in fields:
        fields["position"] = _by_code(Position, fields["position"], "position")
    return services.employment_update(
        actor=request.user, employment=employment, reason=reason, **fields
    )


@router.post(
    "/employees/{employee_id}/employments/{employment_id}/leave",
    response=EmploymentOut,
    summary="Record that an employee left an institution",
)
@api_require(STAFF_EDIT)
def employment_end(request, employee_id: int, employment_id: int, payload: LeaveIn):
    employment = selectors.employment_get_editable(
        actor=request.user, employee_pk=employee_id, pk=employment_id
    )
    return services.employment_end(actor=request.user, employment=employment, **payload.dict())


# --- Training ---------------------------------------------------------------------------------


class TrainingOut(ExampleMarkOut):
    id: int
    employee_id: int
    title: str
    kind: TrainingKind
    started_on: dt.date
    ended_on: dt.date | None
    hours: int | None
    organiser: str
    certificate: str
    source: str
    external_ref: str


class TrainingIn(Schema):
    title: str
    kind: TrainingKind
    started_on: dt.date
    ended_on: dt.date | None = None
    hours: int | None = None
    organiser: str = ""
    certificate: str = ""
    source: str = ""
    external_ref: str = ""


class TrainingFilter(Schema):
    institution: int | None = None
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    external_ref: str = ""


@router.get("/trainings", response=list[TrainingOut], summary="Training records of the staff")
@api_require(STAFF_VIEW)
@paginate(PageNumberPagination, page_size=100)
def training_list(request, filters: Query[TrainingFilter]):
    return selectors.training_list(actor=request.user, **filters.dict()).order_by(
        "-started_on", "pk"
    )


@router.get(
    "/employees/{employee_id}/trainings",
    response=list[TrainingOut],
    summary="An employee's training records",
)
@api_require(STAFF_VIEW)
def employee_trainings(request, employee_id: int):
    return selectors.trainings_of(_employee(request.user, employee_id))


@router.post(
    "/employees/{employee_id}/trainings",
    response={201: TrainingOut},
    summary="Record a training, seminar or exchange",
)
@api_require(STAFF_EDIT)
def training_add(request, employee_id: int, payload: TrainingIn):
    employee = selectors.employee_get_editable(actor=request.user, pk=employee_id)
    record = services.training_record(actor=request.user, employee=employee, **payload.dict())
    return Status(201, record)


# --- Institutions -----------------------------------------------------------------------------


class CapacityOut(Schema):
    form: ServiceForm
    capacity: int


class StatusChangeOut(Schema):
    id: int
    status: InstitutionStatus
    effective_on: dt.date
    reason: str


class InstitutionOut(ExampleMarkOut):
    id: int
    code: str
    name: str
    name_en: str
    short_name: str
    kind: str | None
    parent_id: int | None
    district_id: int | None
    address: str
    phone: str
    email: str
    website: str
    opening_hours: str
    status: InstitutionStatus
    status_since: dt.date | None
    opened_on: dt.date | None
    closed_on: dt.date | None
    is_active: bool
    accessibility: list[str]
    capacities: list[CapacityOut]

    @staticmethod
    def resolve_kind(obj):
        return obj.kind.code if obj.kind_id else None

    @staticmethod
    def resolve_accessibility(obj):
        return [feature.code for feature in obj.accessibility.all()]

    @staticmethod
    def resolve_capacities(obj):
        return obj.capacities.all()


class InstitutionFields(Schema):
    """What a caller may send about an institution; codes for the kind and accessibility."""

    name_en: str = ""
    short_name: str = ""
    kind: str | None = None
    parent_id: int | None = None
    district_id: int | None = None
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    opening_hours: str = ""
    opened_on: dt.date | None = None
    accessibility: list[str] = []
    capacities: dict[ServiceForm, int | None] = {}


class InstitutionIn(InstitutionFields):
    code: str
    name: str
    status: InstitutionStatus = InstitutionStatus.OPEN


class InstitutionPatch(InstitutionFields):
    code: str | None = None
    name: str | None = None
    reason: str = ""


class InstitutionFilter(Schema):
    q: str = ""
    active: bool | None = None
    district: int | None = None
    kind: str = ""
    status: InstitutionStatus | None = None


class StatusIn(Schema):
    status: InstitutionStatus
    effective_on: dt.date | None = None
    reason: str = ""


def _institution_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Codes and ids sent by the caller turned into the rows the services take."""
    if "kind" in fields:
        code = fields.pop("kind")
        fields["kind"] = _by_code(InstitutionKind, code, "kind") if code else None
    if "parent_id" in fields:
        parent_id = fields.pop("parent_id")
        fields["parent"] = selectors.institution_by_id(parent_id) if parent_id is not None else None
    if "district_id" in fields:
        district_id = fields.pop("district_id")
        fields["district"] = (
            selectors.district_by_id(district_id) if district_id is not None else None
        )
    if "accessibility" in fields:
        fields["accessibility"] = [
            _by_code(AccessibilityFeature, code, "accessibility")
            for code in fields["accessibility"]
        ]
    if "capacities" in fields:
        fields["capacities"] = {str(form): value for form, value in fields["capacities"].items()}
    return fields


def _institution(actor: Actor, pk: int) -> Institution:
    return selectors.institution_get(actor=actor, pk=pk)


@router.get("/", response=list[InstitutionOut], summary="Institutions in the caller's scope")
@api_require(INSTITUTION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def institution_list(request, filters: Query[InstitutionFilter]):
    data = filters.dict()
    data["status"] = data["status"] or ""
    return (
        selectors.institution_list(actor=request.user, **data)
        .prefetch_related("accessibility", "capacities")
        .order_by("name", "pk")
    )


@router.post("/", response={201: InstitutionOut}, summary="Add an institution")
@api_require(INSTITUTION_MANAGE)
def institution_create(request, payload: InstitutionIn):
    institution = services.institution_create(
        actor=request.user, **_institution_fields(payload.dict())
    )
    return Status(201, _institution(request.user, institution.pk))


@router.get("/{institution_id}", response=InstitutionOut, summary="One institution")
@api_require(INSTITUTION_VIEW)
def institution_detail(request, institution_id: int):
    return _institution(request.user, institution_id)


@router.patch(
    "/{institution_id}",
    response=InstitutionOut,
    summary="Change an institution (its manager: the details, not the code, kind or parent)",
)
@api_require(INSTITUTION_EDIT)
def institution_update(request, institution_id: int, payload: InstitutionPatch):
    institution = selectors.institution_get_editable(actor=request.user, pk=institution_id)
    fields = _institution_fields(payload.dict(exclude_unset=True))
    reason = fields.pop("reason", "")
    services.institution_update(
        actor=request.user, institution=institution, reason=reason, **fields
    )
    return _institution(request.user, institution_id)


@router.get(
    "/{institution_id}/status-history",
    response=list[StatusChangeOut],
    summary="The statuses of an institution, latest first",
)
@api_require(INSTITUTION_VIEW)
def status_history(request, institution_id: int):
    return selectors.status_history(_institution(request.user, institution_id))


@router.post(
    "/{institution_id}/status",
    response={201: StatusChangeOut},
    summary="Record a change of status (open, under renovation, closed…)",
)
@api_require(INSTITUTION_EDIT)
def status_change(request, institution_id: int, payload: StatusIn):
    institution = selectors.institution_get_editable(actor=request.user, pk=institution_id)
    change = services.institution_set_status(
        actor=request.user, institution=institution, **payload.dict()
    )
    return Status(201, change)
