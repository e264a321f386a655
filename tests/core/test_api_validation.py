"""The one validation layer and the one error handler of the API (core/api_support.py), on a
probe API built like the real one, and on the real routes where a class of input used to
answer 500."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

import pytest
from django.db import DataError
from django.urls import path
from ninja import Query, Schema
from ninja.pagination import paginate

from opora.core import access
from opora.core.api_support import (
    DB_INTEGER_MAX,
    OporaAPI,
    PageNumberPagination,
    Router,
    SchemaNameClash,
    api_require,
)
from opora.institutions.models import District

pytestmark = pytest.mark.django_db

probe = OporaAPI(urls_namespace="validation-probe", docs_url=None)
router = Router()


class ProbeIn(Schema):
    text: str = ""
    number: int = 0
    day: dt.date | None = None
    at: dt.time | None = None
    amount: Decimal = Decimal(0)


class DistrictPatchProbe(Schema):
    stored_in: ClassVar[type[District]] = District
    code: str | None = None
    name: str | None = None


class DayQuery(Schema):
    on: dt.date | None = None


@router.post("/echo", response=dict)
@api_require(access.DASHBOARD_VIEW)
def echo(request, payload: ProbeIn):
    return {"text": payload.text, "at": str(payload.at)}


@router.get("/day", response=dict)
@api_require(access.DASHBOARD_VIEW)
def day(request, query: Query[DayQuery]):
    return {"on": str(query.on)}


@router.patch("/district", response=dict)
@api_require(access.DASHBOARD_VIEW)
def district_patch(request, payload: DistrictPatchProbe):
    return payload.dict(exclude_unset=True)


@router.get("/numbers", response=list[int])
@api_require(access.DASHBOARD_VIEW)
@paginate(PageNumberPagination, page_size=10)
def numbers(request):
    return list(range(25))


@router.post("/half-written", response={201: dict})
@api_require(access.DASHBOARD_VIEW)
def half_written(request):
    District.objects.create(code="half", name="Half")
    raise DataError("value too long for type character varying(16)")


@router.post("/form", response=dict)
@api_require(access.DASHBOARD_VIEW)
def form(request):
    return {"fields": sorted(request.POST)}


@router.get("/overflow", response=dict)
@api_require(access.DASHBOARD_VIEW)
def overflow(request):
    return {"day": str(dt.date(9999, 12, 31) + dt.timedelta(days=1))}


probe.add_router("/", router)
urlpatterns = [path("probe/", probe.urls)]


@pytest.fixture
def client(login, worker_a):
    return login(worker_a)


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    return body


def _post(client, url: str, body) -> object:
    return client.post(url, body, content_type="application/json")


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "body",
    [
        {"text": "a\x00b"},
        {"text": "\ud800"},
        {"number": DB_INTEGER_MAX + 1},
        {"day": "10000-01-01"},
        {"day": "0001-01-01"},
        {"day": 0},
        {"day": "2026-1-5"},
        {"amount": "NaN"},
    ],
)
def test_what_the_database_cannot_store_is_refused_with_422(client, body):
    assert _error(_post(client, "/probe/echo", body), 422)["code"] == "validation_error"


@pytest.mark.urls(__name__)
def test_a_time_with_an_offset_becomes_the_time_here(client, settings):
    settings.TIME_ZONE = "Europe/Moscow"
    response = _post(client, "/probe/echo", {"at": "07:00:00+00:00"})
    assert response.status_code == 200, response.content
    assert response.json()["at"] == "10:00:00"


@pytest.mark.urls(__name__)
def test_a_query_date_is_read_as_iso_only(client):
    assert _error(client.get("/probe/day", {"on": "0"}), 422)["code"] == "validation_error"
    assert client.get("/probe/day", {"on": "2026-12-07"}).json() == {"on": "2026-12-07"}


@pytest.mark.urls(__name__)
def test_a_patch_body_must_be_an_object_and_cannot_clear_a_required_column(client):
    assert _error(client.patch("/probe/district", "5", content_type="application/json"), 400)
    assert _error(client.patch("/probe/district", "[]", content_type="application/json"), 400)
    null_name = client.patch("/probe/district", {"name": None}, content_type="application/json")
    assert _error(null_name, 422)["details"][0]["location"][-1] == "name"
    too_long = client.patch("/probe/district", {"code": "x" * 65}, content_type="application/json")
    assert _error(too_long, 422)
    fine = client.patch("/probe/district", {"name": "Тверской"}, content_type="application/json")
    assert fine.json() == {"name": "Тверской"}


@pytest.mark.urls(__name__)
def test_page_numbers_past_the_database_range_are_refused_and_past_the_end_empty(client):
    assert _error(client.get("/probe/numbers", {"page": "99999999999999999999"}), 422)
    assert client.get("/probe/numbers", {"page": 2**31 - 1}).json() == {"items": [], "count": 25}


@pytest.mark.urls(__name__)
def test_a_failed_write_leaves_no_row_and_answers_400(client):
    body = _error(client.post("/probe/half-written"), 400)
    assert body["code"] == "invalid_value"
    assert not District.objects.filter(code="half").exists()


@pytest.mark.urls(__name__)
def test_an_overflow_in_a_handler_answers_400(client):
    assert _error(client.get("/probe/overflow"), 400)["code"] == "invalid_value"


@pytest.mark.urls(__name__)
def test_a_body_over_the_limit_is_413_and_a_broken_multipart_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    too_big = _post(client, "/probe/echo", {"text": "x" * 2000})
    assert _error(too_big, 413)["code"] == "payload_too_large"
    broken = client.generic("POST", "/probe/form", b"--x\r\n", content_type="multipart/form-data")
    assert _error(broken, 400)["code"] == "bad_request"


@pytest.mark.urls(__name__)
def test_every_operation_documents_the_errors_it_may_answer():
    schema = probe.get_openapi_schema(path_prefix="")
    patch = schema["paths"]["/district"]["patch"]["responses"]
    assert {"200", "400", "401", "403", "404", "409", "413", "422"} <= set(map(str, patch))
    get = schema["paths"]["/day"]["get"]["responses"]
    assert "413" not in set(map(str, get))


def test_two_different_schemas_under_one_name_are_refused():
    clashing = OporaAPI(urls_namespace="clash-probe", docs_url=None)
    first, second = Router(), Router()

    def out_schema(**fields):
        return type("ThingOut", (Schema,), {"__annotations__": fields})

    @first.get("/a", response=out_schema(a=int))
    def a(request):
        return {"a": 1}

    @second.get("/b", response=out_schema(b=str))
    def b(request):
        return {"b": ""}

    clashing.add_router("/first", first)
    clashing.add_router("/second", second)
    with pytest.raises(SchemaNameClash, match="ThingOut"):
        clashing.get_openapi_schema(path_prefix="")
