import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import PageNumberPagination, Router, api_require
from opora.core.errors import DomainError

from . import selectors, services
from .access import PERSON_EDIT, PERSON_VIEW
from .models import Household, Income, Person, PersonCategory

router = Router(tags=["registry"])

# A SNILS and a phone are stored normalised; as written they may be longer than their columns.
SNILS_AS_WRITTEN = 20
PHONE_AS_WRITTEN = 40


class PersonOut(Schema):
    id: int
    last_name: str
    first_name: str
    patronymic: str
    last_name_latin: str
    first_name_latin: str
    patronymic_latin: str
    birth_date: dt.date | None
    sex: str
    snils: str
    phone: str
    email: str
    death_date: dt.date | None
    merged_into_id: int | None

    @staticmethod
    def resolve_snils(obj, context):
        return selectors.snils_for(context["request"].user, obj)


class PersonIn(Schema):
    stored_in: ClassVar[type[Person]] = Person
    last_name: str
    first_name: str
    patronymic: str = ""
    sex: str
    birth_date: dt.date | None = None
    snils: str | None = Field(None, max_length=SNILS_AS_WRITTEN)
    phone: str = Field("", max_length=PHONE_AS_WRITTEN)
    email: str = ""
    consent_date: dt.date | None = None
    consent_scope: str = ""
    external_key: str | None = None
    override_reason: str = ""


class PersonPatch(Schema):
    stored_in: ClassVar[type[Person]] = Person
    last_name: str | None = None
    first_name: str | None = None
    patronymic: str | None = None
    sex: str | None = None
    birth_date: dt.date | None = None
    snils: str | None = Field(None, max_length=SNILS_AS_WRITTEN)
    phone: str | None = Field(None, max_length=PHONE_AS_WRITTEN)
    email: str | None = None
    death_date: dt.date | None = None
    reason: str = ""


class PeopleFilter(Schema):
    q: str = ""
    category: str = ""
    on: dt.date | None = None
    district: int | None = None


class SearchHitOut(Schema):
    person: PersonOut
    score: float
    matched_on: str


@router.get("/people", response=list[PersonOut], summary="Residents in the caller's scope")
@api_require(PERSON_VIEW)
@paginate(PageNumberPagination, page_size=50)
def person_list(request, filters: Query[PeopleFilter]):
    if filters.q:
        from .search import search_people

        hits = search_people(actor=request.user, query=filters.q, limit=200)
        return [hit.person for hit in hits]
    return selectors.person_list(
        actor=request.user, category=filters.category, on=filters.on, district=filters.district
    ).order_by("last_name", "first_name", "pk")


@router.get("/search", response=list[SearchHitOut], summary="Ranked search for residents")
@api_require(PERSON_VIEW)
def search(request, q: str, limit: int = 20):
    from .search import search_people

    return search_people(actor=request.user, query=q, limit=max(1, min(limit, 100)))


@router.get("/people/{person_id}", response=PersonOut, summary="One resident")
@api_require(PERSON_VIEW)
def person_detail(request, person_id: int):
    return selectors.person_get(actor=request.user, pk=person_id)


@router.post("/people", response={201: PersonOut}, summary="Register a resident")
@api_require(PERSON_EDIT)
def person_register(request, payload: PersonIn):
    from .intake import likely_matches

    data = payload.dict()
    reason = data.pop("override_reason")
    data["snils"] = services.normalised_snils(data.get("snils"))
    matches = likely_matches(
        last_name=data["last_name"],
        first_name=data["first_name"],
        patronymic=data["patronymic"],
        birth_date=data["birth_date"],
        snils=data["snils"],
    )
    person = services.person_register(
        actor=request.user,
        institution=request.user.institutions.order_by("pk").first(),
        likely_matches=matches,
        override_reason=reason,
        **data,
    )
    return Status(201, person)


@router.patch("/people/{person_id}", response=PersonOut, summary="Change a resident's record")
@api_require(PERSON_EDIT)
def person_update(request, person_id: int, payload: PersonPatch):
    person = selectors.person_get(actor=request.user, pk=person_id)
    fields = payload.dict(exclude_unset=True)
    reason = fields.pop("reason", "")
    return services.person_update(actor=request.user, person=person, reason=reason, **fields)


class CategoryOut(Schema):
    id: int
    category: str
    category_name: str
    valid_from: dt.date
    valid_to: dt.date | None
    basis_document: str
    source: str

    @staticmethod
    def resolve_category(obj):
        return obj.kind.code

    @staticmethod
    def resolve_category_name(obj):
        return obj.kind.display_name


class CategoryIn(Schema):
    stored_in: ClassVar[type[PersonCategory]] = PersonCategory
    category: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    basis_document: str = ""
    source: str = ""


@router.get(
    "/people/{person_id}/categories",
    response=list[CategoryOut],
    summary="Categories a resident holds or held",
)
@api_require(PERSON_VIEW)
def category_list(request, person_id: int):
    person = selectors.person_get(actor=request.user, pk=person_id)
    return person.categories.select_related("kind").order_by("-valid_from")


@router.post(
    "/people/{person_id}/categories", response={201: CategoryOut}, summary="Record a category"
)
@api_require(PERSON_EDIT)
def category_add(request, person_id: int, payload: CategoryIn):
    person = selectors.person_get(actor=request.user, pk=person_id)
    kind = selectors.category_kind_by_code(payload.category)
    if kind is None:
        raise DomainError(
            "unknown_category", _("Unknown category."), details={"category": [payload.category]}
        )
    data = payload.dict(exclude={"category"})
    holding = services.category_assign(actor=request.user, person=person, kind=kind, **data)
    return Status(201, holding)


class HoldersFilter(Schema):
    on: dt.date
    category: str


@router.get(
    "/categories/holders", response=list[PersonOut], summary="Who held a category on a date"
)
@api_require(PERSON_VIEW)
@paginate(PageNumberPagination, page_size=100)
def category_holders(request, filters: Query[HoldersFilter]):
    return selectors.person_list(
        actor=request.user, category=filters.category, on=filters.on
    ).order_by("last_name", "pk")


class ExpiringOut(Schema):
    id: int
    person_id: int
    person: str
    category: str
    valid_to: dt.date

    @staticmethod
    def resolve_person(obj):
        return obj.person.full_name

    @staticmethod
    def resolve_category(obj):
        return obj.kind.code


@router.get(
    "/categories/expiring",
    response=list[ExpiringOut],
    summary="Holdings that end within their review period",
)
@api_require(PERSON_VIEW)
@paginate(PageNumberPagination, page_size=100)
def categories_expiring(request):
    return selectors.expiring_categories(actor=request.user)


class IncomeOut(Schema):
    id: int
    month: dt.date
    kind: str
    source: str
    amount: Decimal


class IncomeIn(Schema):
    stored_in: ClassVar[type[Income]] = Income
    month: dt.date
    kind: str
    source: str = ""
    amount: Decimal


@router.get("/people/{person_id}/incomes", response=list[IncomeOut], summary="Incomes by month")
@api_require(PERSON_VIEW)
@paginate(PageNumberPagination, page_size=100)
def income_list(request, person_id: int):
    person = selectors.person_get(actor=request.user, pk=person_id)
    return person.incomes.order_by("-month", "kind", "pk")


@router.post("/people/{person_id}/incomes", response={201: IncomeOut}, summary="Record an income")
@api_require(PERSON_EDIT)
def income_add(request, person_id: int, payload: IncomeIn):
    person = selectors.person_get(actor=request.user, pk=person_id)
    income = services.income_record(actor=request.user, person=person, **payload.dict())
    return Status(201, income)


class MemberOut(Schema):
    id: int
    person_id: int
    person: str
    relation: str
    is_applicant: bool
    joined_on: dt.date | None
    left_on: dt.date | None

    @staticmethod
    def resolve_person(obj):
        return obj.person.full_name


class HouseholdOut(Schema):
    id: int
    address: str
    district_id: int | None
    members: list[MemberOut] = Field(description="The members in the caller's scope.")
    others_outside_scope: int = Field(
        description="How many members are outside the caller's scope; they are not named."
    )

    @staticmethod
    def resolve_members(obj, context):
        return [member for member in _members_marked(obj, context) if member.visible]

    @staticmethod
    def resolve_others_outside_scope(obj, context):
        return sum(not member.visible for member in _members_marked(obj, context))


def _members_marked(household, context) -> list:
    members = household.members.select_related("person").order_by("-is_applicant", "pk")
    return selectors.mark_visible_members(actor=context["request"].user, members=members)


class HouseholdIn(Schema):
    stored_in: ClassVar[type[Household]] = Household
    applicant_id: int
    address: str = ""


class MemberIn(Schema):
    person_id: int
    relation: str
    joined_on: dt.date | None = None


@router.get("/households/{household_id}", response=HouseholdOut, summary="A household")
@api_require(PERSON_VIEW)
def household_detail(request, household_id: int):
    return get_object_or_404(selectors.households(actor=request.user), pk=household_id)


@router.post("/households", response={201: HouseholdOut}, summary="Start a household")
@api_require(PERSON_EDIT)
def household_create(request, payload: HouseholdIn):
    applicant = selectors.person_get(actor=request.user, pk=payload.applicant_id)
    household = services.household_create(
        actor=request.user, applicant=applicant, address=payload.address
    )
    return Status(201, household)


@router.post(
    "/households/{household_id}/members",
    response={201: MemberOut},
    summary="Add a member to a household",
)
@api_require(PERSON_EDIT)
def household_add_member(request, household_id: int, payload: MemberIn):
    household = get_object_or_404(selectors.households(actor=request.user), pk=household_id)
    person = selectors.person_get(actor=request.user, pk=payload.person_id)
    with transaction.atomic():
        member = services.household_add_member(
            actor=request.user,
            household=household,
            person=person,
            relation=payload.relation,
            joined_on=payload.joined_on,
        )
    return Status(201, selectors.household_member_get(member.pk))
