import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import DayCount, PageNumberPagination, Router, Year, api_require

from . import selectors, services
from .access import FEE_CALCULATE, RULES_MANAGE, RULES_VIEW
from .catalog import rule_spec
from .models import CalendarDay, FreeGround, FreeGroundTest, SubsistenceGroup

router = Router(tags=["rules"])


# --- Rules ------------------------------------------------------------------------------------


class VersionOut(Schema):
    id: int
    code: str
    service_form: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    value: Decimal
    basis: str
    note: str
    is_example: bool


class RuleOut(Schema):
    code: str
    label: str
    kind: str
    unit: str
    basis: str
    per_service_form: bool
    versions: list[VersionOut]


def _version_out(row: selectors.VersionRow) -> VersionOut:
    version = row.version
    return VersionOut(
        id=version.pk,
        code=version.code,
        service_form=version.service_form,
        valid_from=version.valid_from,
        valid_to=row.valid_to,
        value=version.value,
        basis=version.basis,
        note=version.note,
        is_example=version.is_example,
    )


def _row_of(version) -> VersionOut:
    """One version with the end the versions after it give it."""
    lines = selectors.rule_lines(today=timezone.localdate(), code=version.code)
    return next(
        _version_out(row) for line in lines for row in line.rows if row.version.pk == version.pk
    )


def _rules_out(code: str | None = None) -> list[RuleOut]:
    lines = selectors.rule_lines(today=timezone.localdate(), code=code)
    out: dict[str, RuleOut] = {}
    for line in lines:
        spec = line.spec
        if spec.code not in out:
            out[spec.code] = RuleOut(
                code=spec.code,
                label=spec.label,
                kind=spec.kind.value,
                unit=str(spec.unit),
                basis=spec.basis,
                per_service_form=spec.per_service_form,
                versions=[],
            )
        out[spec.code].versions.extend(_version_out(row) for row in line.rows)
    return list(out.values())


@router.get("/rules", response=list[RuleOut], summary="Every rule with its versions")
@api_require(RULES_VIEW)
def rule_list(request):
    return _rules_out()


@router.get("/rules/{code}", response=RuleOut, summary="One rule with its versions")
@api_require(RULES_VIEW)
def rule_detail(request, code: str):
    return _rules_out(rule_spec(code).code)[0]


class InForceQuery(Schema):
    on: dt.date | None = None
    service_form: str = ""


class InForceOut(Schema):
    code: str
    on: dt.date
    value: Decimal
    version: VersionOut


@router.get(
    "/rules/{code}/in-force", response=InForceOut, summary="The value of a rule in force on a date"
)
@api_require(RULES_VIEW)
def rule_in_force(request, code: str, query: Query[InForceQuery]):
    on = query.on or timezone.localdate()
    version = selectors.version_in_force(code, on=on, service_form=query.service_form)
    return InForceOut(code=code, on=on, value=version.value, version=_row_of(version))


class VersionIn(Schema):
    valid_from: dt.date
    value: Decimal
    service_form: str = ""
    basis: str = ""
    note: str = ""
    is_example: bool = False


@router.post("/rules/{code}/versions", response={201: VersionOut}, summary="Add a version")
@api_require(RULES_MANAGE)
def version_add(request, code: str, payload: VersionIn):
    version = services.rule_version_add(actor=request.user, code=code, **payload.dict())
    return Status(201, _row_of(version))


# --- Regions and subsistence minimums ---------------------------------------------------------


class RegionOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    is_home: bool


class RegionIn(Schema):
    code: str
    name: str
    name_en: str = ""
    is_home: bool = False


@router.get("/regions", response=list[RegionOut], summary="Regions")
@api_require(RULES_VIEW)
def region_list(request):
    return selectors.regions()


@router.post("/regions", response={201: RegionOut}, summary="Add a region")
@api_require(RULES_MANAGE)
def region_add(request, payload: RegionIn):
    return Status(201, services.region_create(actor=request.user, **payload.dict()))


class MinimumOut(Schema):
    id: int
    region: str = Field(..., alias="region.code")
    valid_from: dt.date
    per_capita: Decimal
    working_age: Decimal | None = Field(None, description="null: the region set none")
    pensioner: Decimal | None = Field(None, description="null: the region set none")
    child: Decimal | None = Field(None, description="null: the region set none")
    basis: str
    is_example: bool


class MinimumQuery(Schema):
    region: str = ""
    on: dt.date | None = None


class MinimumIn(Schema):
    region: str
    valid_from: dt.date
    per_capita: Decimal
    working_age: Decimal | None = Field(None, description="omit where the act sets none")
    pensioner: Decimal | None = Field(None, description="omit where the act sets none")
    child: Decimal | None = Field(None, description="omit where the act sets none")
    basis: str = ""
    is_example: bool = False


@router.get(
    "/subsistence-minimums",
    response=list[MinimumOut],
    summary="Subsistence minimums; with ?on=, those in force that day",
)
@api_require(RULES_VIEW)
def minimum_list(request, query: Query[MinimumQuery]):
    region = selectors.region_get(query.region) if query.region else None
    return selectors.minimums(region=region, on=query.on)


@router.post(
    "/subsistence-minimums", response={201: MinimumOut}, summary="Add a subsistence minimum"
)
@api_require(RULES_MANAGE)
def minimum_add(request, payload: MinimumIn):
    data = payload.dict()
    region = selectors.region_get(data.pop("region"))
    return Status(201, services.subsistence_minimum_add(actor=request.user, region=region, **data))


# --- Free-of-charge grounds (442-FZ art. 31 part 1) -------------------------------------------


class FreeGroundOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    citation: str
    citation_en: str
    valid_from: dt.date
    valid_to: dt.date | None = Field(None, description="the last day; null: open-ended")
    test: str = Field(..., description="age_under or category")
    age_under: int | None = None
    category_code: str
    note: str


class FreeGroundQuery(Schema):
    on: dt.date | None = Field(None, description="only the grounds in force that day")
    test: FreeGroundTest | None = Field(None, description="only the grounds by age or category")
    q: str = Field("", description="words of the code, the names or the category code")


class FreeGroundIn(Schema):
    code: str
    name: str
    name_en: str = ""
    citation: str
    citation_en: str = ""
    valid_from: dt.date
    valid_to: dt.date | None = None
    age_under: int | None = Field(None, description="free for those younger than this")
    category_code: str = Field("", description="free for holders of this registry category")
    note: str = ""


class FreeGroundPatch(Schema):
    stored_in: ClassVar[type[FreeGround]] = FreeGround
    name: str | None = None
    name_en: str | None = None
    citation: str | None = None
    citation_en: str | None = None
    valid_to: dt.date | None = Field(None, description="the last day; send null to reopen")
    note: str | None = None
    reason: str = ""


@router.get(
    "/free-grounds",
    response=list[FreeGroundOut],
    summary="Grounds on which social services are free whatever the income",
)
@api_require(RULES_VIEW)
@paginate(PageNumberPagination, page_size=50)
def free_ground_list(request, filters: Query[FreeGroundQuery]):
    return selectors.free_grounds(
        on=filters.on, test=filters.test.value if filters.test else "", q=filters.q
    )


@router.get(
    "/free-grounds/{ground_id}", response=FreeGroundOut, summary="One free-of-charge ground"
)
@api_require(RULES_VIEW)
def free_ground_detail(request, ground_id: int):
    return selectors.free_ground_get(ground_id)


@router.post("/free-grounds", response={201: FreeGroundOut}, summary="Add a free-of-charge ground")
@api_require(RULES_MANAGE)
def free_ground_add(request, payload: FreeGroundIn):
    return Status(201, services.free_ground_add(actor=request.user, **payload.dict()))


@router.patch(
    "/free-grounds/{ground_id}",
    response=FreeGroundOut,
    summary="Change a ground's names, citations, note or end",
)
@api_require(RULES_MANAGE)
def free_ground_change(request, ground_id: int, payload: FreeGroundPatch):
    fields = payload.dict(exclude_unset=True)
    reason = fields.pop("reason", "")
    ground = selectors.free_ground_get(ground_id)
    return services.free_ground_update(actor=request.user, ground=ground, reason=reason, **fields)


# --- The working-day calendar -----------------------------------------------------------------


class CalendarDayOut(Schema):
    id: int
    date: dt.date
    kind: str
    name: str
    name_en: str


class CalendarDayIn(Schema):
    date: dt.date
    kind: str
    name: str = ""
    name_en: str = ""


class CalendarYearOut(Schema):
    year: int
    basis: str
    is_example: bool


class CalendarYearIn(Schema):
    year: Year
    basis: str = ""
    is_example: bool = False


@router.get("/calendar/years", response=list[CalendarYearOut], summary="Loaded calendar years")
@api_require(RULES_VIEW)
def calendar_year_list(request):
    return selectors.calendar_years()


@router.post("/calendar/years", response={201: CalendarYearOut}, summary="Open a calendar year")
@api_require(RULES_MANAGE)
def calendar_year_add(request, payload: CalendarYearIn):
    return Status(201, services.calendar_year_create(actor=request.user, **payload.dict()))


@router.get("/calendar/days", response=list[CalendarDayOut], summary="Marked calendar days")
@api_require(RULES_VIEW)
def calendar_day_list(request, year: Year | None = None):
    return selectors.calendar_days(year=year)


@router.post("/calendar/days", response={201: CalendarDayOut}, summary="Mark a calendar day")
@api_require(RULES_MANAGE)
def calendar_day_add(request, payload: CalendarDayIn):
    return Status(201, services.calendar_day_add(actor=request.user, **payload.dict()))


@router.delete("/calendar/days/{day_id}", response={204: None}, summary="Remove a day's mark")
@api_require(RULES_MANAGE)
def calendar_day_remove(request, day_id: int, reason: str = ""):
    day = get_object_or_404(CalendarDay, pk=day_id)
    services.calendar_day_remove(actor=request.user, day=day, reason=reason)
    return Status(204, None)


class WorkingDayOut(Schema):
    date: dt.date
    is_working_day: bool


@router.get("/calendar/is-working-day", response=WorkingDayOut, summary="Is a date a working day")
@api_require(RULES_VIEW)
def is_working_day(request, on: dt.date):
    return WorkingDayOut(date=on, is_working_day=selectors.is_working_day(on))


class AddWorkingDaysOut(Schema):
    start: dt.date
    days: int
    date: dt.date


@router.get(
    "/calendar/add-working-days",
    response=AddWorkingDaysOut,
    summary="The date a number of working days after a start date",
)
@api_require(RULES_VIEW)
def add_working_days(request, start: dt.date, days: DayCount):
    return AddWorkingDaysOut(start=start, days=days, date=selectors.add_working_days(start, days))


class BetweenOut(Schema):
    start: dt.date
    end: dt.date
    working_days: int


@router.get(
    "/calendar/working-days-between",
    response=BetweenOut,
    summary="Working days after a start date up to and including an end date",
)
@api_require(RULES_VIEW)
def working_days_between(request, start: dt.date, end: dt.date):
    return BetweenOut(start=start, end=end, working_days=selectors.working_days_between(start, end))


# --- The fee calculator -----------------------------------------------------------------------


class FeeQuery(Schema):
    income: Decimal
    service_form: str
    on: dt.date | None = None
    region: str = ""
    group: SubsistenceGroup | None = Field(
        None, description="choose the group by hand; by default it follows the recipient's facts"
    )
    birth_date: dt.date | None = Field(None, description="the recipient's date of birth")
    age: int | None = Field(None, description="full years on the date, without a birth date")
    sex: str = Field("", description="M, F or empty, as the registry keeps it")
    categories: list[str] | None = Field(
        None,
        description="registry category codes held on the date, repeated; one empty value: "
        "holds none; absent: not known",
    )


class FreeGroundBriefOut(Schema):
    code: str
    name: str
    citation: str


class FeeOut(Schema):
    service_form: str
    on: dt.date
    region: str
    group: str = Field(..., description="the group whose subsistence minimum was used")
    group_reason: str = Field(
        "", description="how the group was chosen: given, child_age, pensioner_category, …"
    )
    fell_back_from: str = Field(
        "", description="the group wanted where the region set no figure for it"
    )
    free_ground: FreeGroundBriefOut | None = None
    income: Decimal
    subsistence_minimum: Decimal | None
    multiplier: Decimal | None
    threshold: Decimal | None
    share: Decimal | None
    base: Decimal
    fee_cap: Decimal
    is_free: bool
    is_example: bool
    explanation: list[str]


@router.get("/fees", response=FeeOut, summary="The fee cap for an income, form, date and recipient")
@api_require(FEE_CALCULATE)
def fee_calculate(request, query: Query[FeeQuery]):
    region = selectors.region_get(query.region) if query.region else selectors.home_region()
    on = query.on or timezone.localdate()
    categories = query.categories
    result = services.fee_calculate(
        income=query.income,
        service_form=query.service_form,
        on=on,
        region=region,
        group=query.group.value if query.group else None,
        birth_date=query.birth_date,
        age=query.age,
        sex=query.sex,
        categories=None if categories is None else [c for c in categories if c],
    )
    ground = result.free_ground
    return FeeOut(
        service_form=result.service_form,
        on=on,
        region=region.code,
        group=result.group,
        group_reason=result.group_choice.reason.value if result.group_choice else "",
        fell_back_from=result.fell_back_from,
        free_ground=FreeGroundBriefOut(
            code=ground.code, name=ground.display_name, citation=ground.shown_citation
        )
        if ground is not None
        else None,
        income=result.income,
        subsistence_minimum=result.subsistence_minimum,
        multiplier=result.multiplier,
        threshold=result.threshold,
        share=result.share,
        base=result.base,
        fee_cap=result.fee_cap,
        is_free=result.is_free,
        is_example=result.is_example,
        explanation=result.explanation(),
    )
