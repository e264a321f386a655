import datetime as dt
from decimal import Decimal
from typing import ClassVar, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import PageNumberPagination, Router, api_require
from opora.core.errors import DomainError
from opora.institutions import selectors as institution_selectors
from opora.institutions.models import ServiceForm

from . import selectors, services
from .access import CATALOGUE_MANAGE, CATALOGUE_VIEW, PROVIDERS_MANAGE
from .models import ProviderEntry, Regime, Service, ServiceKind

router = Router(tags=["catalogue"])


class KindOut(Schema):
    code: str
    name: str
    name_en: str
    order: int
    is_urgent: bool
    service_count: int


class ServiceOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    kind: str
    forms: list[str]
    regime: str
    periodicity_times: int | None
    periodicity_unit: str
    unit: str
    standard_duration_minutes: int
    urgent_allowed: bool
    is_active: bool

    @staticmethod
    def resolve_kind(obj, context):
        return obj.kind.code


class FormTariffOut(Schema):
    form: str
    price: Decimal | None
    tariff_id: int | None
    applies_to_all_forms: bool


class ServiceDetailOut(ServiceOut):
    description: str
    description_en: str
    on: dt.date
    tariffs_on: list[FormTariffOut]


class TariffOut(Schema):
    id: int
    service_id: int
    form: str
    price: Decimal
    valid_from: dt.date
    valid_to: dt.date | None


class ServiceFilter(Schema):
    kind: str = ""
    form: ServiceForm | None = None
    regime: Regime | None = None
    urgent: bool | None = None
    q: str = ""
    active: bool | None = None


class ServiceIn(Schema):
    code: str
    name: str
    name_en: str = ""
    description: str = ""
    description_en: str = ""
    kind: str
    forms: list[str]
    regime: str
    periodicity_times: int | None = None
    periodicity_unit: str = ""
    unit: str = "service"
    standard_duration_minutes: int
    urgent_allowed: bool = False


class ServicePatch(Schema):
    stored_in: ClassVar[type[Service]] = Service
    code: str | None = None
    name: str | None = None
    name_en: str | None = None
    description: str | None = None
    description_en: str | None = None
    kind: str | None = None
    forms: list[str] | None = None
    regime: str | None = None
    periodicity_times: int | None = None
    periodicity_unit: str | None = None
    unit: str | None = None
    standard_duration_minutes: int | None = None
    urgent_allowed: bool | None = None
    is_active: bool | None = None
    reason: str = ""


class TariffIn(Schema):
    form: str = ""
    price: Decimal
    valid_from: dt.date
    valid_to: dt.date | None = None


class ProviderOut(Schema):
    id: int
    institution_id: int
    institution: str
    service_id: int
    service_code: str
    form: str
    district: str
    own_price: Decimal | None
    price_today: Decimal | None
    capacity: int | None
    valid_from: dt.date
    valid_to: dt.date | None

    @staticmethod
    def resolve_institution(obj, context):
        return obj.institution.name

    @staticmethod
    def resolve_service_code(obj, context):
        return obj.service.code

    @staticmethod
    def resolve_district(obj, context):
        return obj.district.code

    @staticmethod
    def resolve_own_price(obj, context):
        return obj.price

    @staticmethod
    def resolve_price_today(obj, context):
        return selectors.provider_price(obj, timezone.localdate())


class ProviderFilter(Schema):
    district: str = ""
    institution: int | None = None
    service: int | None = None
    form: ServiceForm | None = None
    on: dt.date | None = None
    status: Literal["current", "ended", "all"] = "current"


class ProviderIn(Schema):
    institution: int
    service: int
    form: str
    district: str
    valid_from: dt.date
    valid_to: dt.date | None = None
    price: Decimal | None = None
    capacity: int | None = None


class ProviderEndIn(Schema):
    valid_to: dt.date
    reason: str = ""


def _kind(code: str) -> ServiceKind:
    kind = selectors.kind_by_code(code)
    if kind is None:
        raise DomainError(
            "unknown_kind",
            _("There is no kind of social service with the code %(code)s.") % {"code": code},
            details={"kind": [_("Unknown kind.")]},
        )
    return kind


def _detail(service, on: dt.date):
    """The service with the tariff of each form in force on ``on``, for ServiceDetailOut."""
    service.on = on
    service.tariffs_on = [
        {
            "form": item.form,
            "price": item.price,
            "tariff_id": item.tariff.pk if item.tariff else None,
            "applies_to_all_forms": bool(item.tariff and not item.tariff.form),
        }
        for item in selectors.tariffs_by_form(service, on)
    ]
    return service


@router.get("/kinds", response=list[KindOut], summary="Kinds of social service (442-FZ art. 20)")
@api_require(CATALOGUE_VIEW)
def kind_list(request):
    return selectors.kind_list(actor=request.user)


@router.get("/services", response=list[ServiceOut], summary="Services of the catalogue")
@api_require(CATALOGUE_VIEW)
@paginate(PageNumberPagination, page_size=50)
def service_list(request, filters: Query[ServiceFilter]):
    data = filters.dict()
    data["form"] = data["form"] or ""
    data["regime"] = data["regime"] or ""
    return selectors.service_list(actor=request.user, **data).order_by("code", "pk")


@router.get(
    "/services/{service_id}",
    response=ServiceDetailOut,
    summary="One service with the tariff of each form in force on a date (today by default)",
)
@api_require(CATALOGUE_VIEW)
def service_detail(request, service_id: int, on: dt.date | None = None):
    service = selectors.service_get(actor=request.user, pk=service_id)
    return _detail(service, on or timezone.localdate())


@router.post("/services", response={201: ServiceDetailOut}, summary="Add a service")
@api_require(CATALOGUE_MANAGE)
def service_create(request, payload: ServiceIn):
    data = payload.dict()
    data["kind"] = _kind(data["kind"])
    service = services.service_create(actor=request.user, **data)
    service = selectors.service_get(actor=request.user, pk=service.pk)
    return Status(201, _detail(service, timezone.localdate()))


@router.patch("/services/{service_id}", response=ServiceDetailOut, summary="Change a service")
@api_require(CATALOGUE_MANAGE)
def service_update(request, service_id: int, payload: ServicePatch):
    service = selectors.service_get(actor=request.user, pk=service_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    if "kind" in data:
        data["kind"] = _kind(data["kind"] or "")
    services.service_update(actor=request.user, service=service, reason=reason, **data)
    service = selectors.service_get(actor=request.user, pk=service_id)
    return _detail(service, timezone.localdate())


@router.get(
    "/services/{service_id}/tariffs", response=list[TariffOut], summary="The tariffs of a service"
)
@api_require(CATALOGUE_VIEW)
def tariff_list(request, service_id: int):
    return selectors.tariffs_of(selectors.service_get(actor=request.user, pk=service_id))


@router.post("/services/{service_id}/tariffs", response={201: TariffOut}, summary="Add a tariff")
@api_require(CATALOGUE_MANAGE)
def tariff_add(request, service_id: int, payload: TariffIn):
    service = selectors.service_get(actor=request.user, pk=service_id)
    tariff = services.tariff_add(actor=request.user, service=service, **payload.dict())
    return Status(201, tariff)


@router.get("/providers", response=list[ProviderOut], summary="The register of providers")
@api_require(CATALOGUE_VIEW)
@paginate(PageNumberPagination, page_size=50)
def provider_list(request, filters: Query[ProviderFilter]):
    data = filters.dict()
    data["form"] = data["form"] or ""
    return selectors.provider_list(actor=request.user, **data).order_by(
        "institution__name", "service__code", "form", "pk"
    )


@router.get("/providers/{entry_id}", response=ProviderOut, summary="One entry of the register")
@api_require(CATALOGUE_VIEW)
def provider_detail(request, entry_id: int):
    return selectors.provider_get(actor=request.user, pk=entry_id)


@router.post("/providers", response={201: ProviderOut}, summary="Enter a provider")
@api_require(PROVIDERS_MANAGE)
def provider_add(request, payload: ProviderIn):
    data = payload.dict()
    institution = institution_selectors.institution_by_id(data.pop("institution"))
    service = selectors.service_get(actor=request.user, pk=data.pop("service"))
    district = institution_selectors.district_by_code(data.pop("district"))
    if district is None:
        raise DomainError(
            "unknown_district",
            _("There is no district with the code %(code)s.") % {"code": payload.district},
            details={"district": [_("Unknown district.")]},
        )
    entry = services.provider_add(
        actor=request.user, institution=institution, service=service, district=district, **data
    )
    return Status(201, selectors.provider_get(actor=request.user, pk=entry.pk))


@router.post(
    "/providers/{entry_id}/end", response=ProviderOut, summary="End an entry of the register"
)
@api_require(PROVIDERS_MANAGE)
def provider_end(request, entry_id: int, payload: ProviderEndIn):
    entry: ProviderEntry = selectors.provider_get(actor=request.user, pk=entry_id)
    services.provider_end(actor=request.user, entry=entry, **payload.dict())
    return selectors.provider_get(actor=request.user, pk=entry_id)
