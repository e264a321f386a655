from ninja import Query, Schema
from ninja.pagination import PageNumberPagination, paginate

from opora.core.api_support import Router, api_require

from . import selectors
from .access import INSTITUTION_VIEW

router = Router(tags=["institutions"])


class InstitutionOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    short_name: str
    address: str
    is_active: bool


class InstitutionFilter(Schema):
    q: str = ""
    active: bool | None = None


@router.get("/", response=list[InstitutionOut], summary="Institutions in the caller's scope")
@api_require(INSTITUTION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def institution_list(request, filters: Query[InstitutionFilter]):
    return selectors.institution_list(actor=request.user, **filters.dict()).order_by("name", "pk")


@router.get("/{institution_id}", response=InstitutionOut, summary="One institution")
@api_require(INSTITUTION_VIEW)
def institution_detail(request, institution_id: int):
    return selectors.institution_get(actor=request.user, pk=institution_id)
