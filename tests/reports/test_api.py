"""The published figures under /api/v1/reports: every role reads, filters and pages through
them; analysts and administrators record, correct and retire them; everyone else gets 403 and
nothing is written; refused input gets the one error body; the endpoints are in the schema."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from opora.core.models import AuditEntry
from opora.core.roles import ALL_ROLES, Role
from opora.reports.models import PublishedFigure

from .conftest import SEED_QUOTE

API = "/api/v1/reports"
JSON = "application/json"
WRITERS = sorted({Role.ADMINISTRATOR, Role.ANALYST})
READERS_ONLY = sorted(ALL_ROLES - {Role.ADMINISTRATOR, Role.ANALYST})

BODY = {
    "code": "recipients",
    "name": "Получатели социальных услуг",
    "name_en": "Recipients of social services",
    "qualifier": "more_than",
    "value": "1500000",
    "unit": "people",
    "as_of": "2021-09-20",
    "source_kind": "seed",
    "source_document": "003_2dc4b0f59ac4381b.txt",
    "source_title": "Службы соцзащиты Витебской и Смоленской областей провели телемост",
    "source_date": "2021-09-20",
    "quotation": SEED_QUOTE,
}

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_every_role_reads_the_figures(make_figure, make_user, login, role):
    figure = make_figure(is_example=True, example_note="the day is chosen")
    client = login(make_user(role))
    listing = client.get(f"{API}/figures")
    assert listing.status_code == 200
    assert [item["code"] for item in listing.json()["items"]] == ["recipients"]
    detail = client.get(f"{API}/figures/{figure.pk}").json()
    assert Decimal(detail["value"]) == Decimal(1_500_000)
    assert detail["qualifier"] == "more_than" and detail["unit"] == "people"
    assert detail["as_of"] == "2021-09-20" and detail["as_of_precision"] == "day"
    assert detail["source"]["document"] == "003_2dc4b0f59ac4381b.txt"
    assert detail["source"]["quotation"] == SEED_QUOTE and detail["source"]["kind"] == "seed"
    assert detail["is_example"] is True and detail["example_note"] == "the day is chosen"
    assert detail["institution"] is None and detail["retired_at"] is None


@pytest.mark.parametrize("role", READERS_ONLY)
def test_roles_that_may_not_write_get_403_and_nothing_is_written(
    make_figure, make_user, login, role
):
    figure = make_figure()
    client = login(make_user(role))
    before = (PublishedFigure.objects.count(), AuditEntry.objects.count())
    attempts = [
        client.post(f"{API}/figures", {**BODY, "code": "new"}, content_type=JSON),
        client.patch(f"{API}/figures/{figure.pk}", {"value": "1"}, content_type=JSON),
        client.post(f"{API}/figures/{figure.pk}/retire", {"reason": "no"}, content_type=JSON),
    ]
    for response in attempts:
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert (PublishedFigure.objects.count(), AuditEntry.objects.count()) == before
    figure.refresh_from_db()
    assert figure.value == Decimal(1_500_000) and not figure.is_retired


@pytest.mark.parametrize("role", WRITERS)
def test_analysts_and_administrators_record_correct_and_retire(
    make_user, login, institution_a, role
):
    client = login(make_user(role))
    created = client.post(f"{API}/figures", {**BODY, "institution": "alpha"}, content_type=JSON)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["institution"] == "alpha" and body["code"] == "recipients"
    figure_id = body["id"]

    again = client.post(f"{API}/figures", BODY, content_type=JSON)
    assert again.status_code == 409 and again.json()["code"] == "figure_exists"

    changed = client.patch(
        f"{API}/figures/{figure_id}",
        {"qualifier": None, "institution": None, "reason": "misread"},
        content_type=JSON,
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["qualifier"] == "" and changed.json()["institution"] is None
    assert AuditEntry.objects.get(action="reports.figure.changed").reason == "misread"

    retired = client.post(
        f"{API}/figures/{figure_id}/retire", {"reason": "withdrawn"}, content_type=JSON
    )
    assert retired.status_code == 200 and retired.json()["retired_reason"] == "withdrawn"
    assert client.get(f"{API}/figures").json()["count"] == 0
    assert client.get(f"{API}/figures", {"retired": "true"}).json()["count"] == 1
    twice = client.post(f"{API}/figures/{figure_id}/retire", {"reason": "x"}, content_type=JSON)
    assert twice.status_code == 409 and twice.json()["code"] == "figure_retired"


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"value": "-5"}, 400, "value"),
        ({"unit": "percent", "value": "120"}, 400, "value"),
        ({"quotation": ""}, 400, "quotation"),
        ({"institution": "nowhere"}, 400, "institution"),
        ({"partner": "nobody"}, 400, "partner"),
        ({"as_of_end": "2020-01-01"}, 400, "as_of_end"),
        ({"unit": "furlongs"}, 422, None),
        ({"as_of": "not a date"}, 422, None),
    ],
)
def test_refused_input_gets_the_one_error_body_and_writes_nothing(
    admin_user, login, change, status, field
):
    client = login(admin_user)
    response = client.post(f"{API}/figures", {**BODY, **change}, content_type=JSON)
    assert response.status_code == status, response.json()
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    if field:
        assert field in body["details"]
    assert not PublishedFigure.objects.exists()


def test_a_required_field_cannot_be_nulled(make_figure, admin_user, login):
    figure = make_figure()
    response = login(admin_user).patch(
        f"{API}/figures/{figure.pk}", {"value": None, "unit": None}, content_type=JSON
    )
    assert response.status_code == 400 and set(response.json()["details"]) == {"value", "unit"}
    assert not AuditEntry.objects.filter(action="reports.figure.changed").exists()


def test_the_list_filters_and_pages(make_figure, worker_a, login):
    for number in range(55):
        make_figure(code=f"figure-{number:02d}", as_of=dt.date(2000 + number % 3, 1, 1))
    make_figure(
        code="share",
        unit="percent",
        value=Decimal(85),
        as_of=dt.date(2019, 6, 19),
        source_document="004_3589eba934f5f979.txt",
        quotation="… более 85 % от всего количества.",
    )
    client = login(worker_a)
    first = client.get(f"{API}/figures").json()
    assert first["count"] == 56 and len(first["items"]) == 50
    assert first["items"][0]["code"] == "share"  # newest first
    second = client.get(f"{API}/figures", {"page": 2}).json()
    assert len(second["items"]) == 6
    seen = {item["id"] for item in first["items"]} | {item["id"] for item in second["items"]}
    assert len(seen) == 56

    def codes(**query):
        return [item["code"] for item in client.get(f"{API}/figures", query).json()["items"]]

    assert codes(unit="percent") == ["share"]
    assert codes(source="004_3589eba934f5f979.txt") == ["share"]
    assert codes(year=2019) == ["share"]
    assert len(codes(year=2001)) == 18
    assert codes(q="figure-07") == ["figure-07"]
    assert codes(source_kind="publication") == []
    refused = client.get(f"{API}/figures", {"unit": "furlongs"})
    assert refused.status_code == 422 and refused.json()["code"] == "validation_error"
    far_year = client.get(f"{API}/figures", {"year": 99999})
    assert far_year.status_code == 422 and far_year.json()["code"] == "validation_error"
    missing = client.get(f"{API}/figures/2000000000")
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_figure"


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert set(paths[f"{API}/figures"]) >= {"get", "post"}
    assert "get" in paths[f"{API}/figures/{{figure_id}}"]
    assert "patch" in paths[f"{API}/figures/{{figure_id}}"]
    assert "post" in paths[f"{API}/figures/{{figure_id}}/retire"]
    out = schema["components"]["schemas"]["FigureOut"]["properties"]
    assert {"is_example", "example_note", "source", "qualifier", "as_of_precision"} <= set(out)
