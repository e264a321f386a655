"""The catalogue's API: filters, pagination, the tariff on a date, writes and their refusals."""

import datetime as dt
from decimal import Decimal

import pytest

from opora.catalogue import services
from opora.catalogue.models import ProviderEntry, Service, Tariff
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.institutions import services as institution_services

API = "/api/v1/catalogue"
JSON = "application/json"


@pytest.fixture
def many_services(make_service, kinds):
    """60 services: every third is legal and one-time, every fifth also semi-residential and
    urgent."""
    for number in range(60):
        legal = number % 3 == 0
        make_service(
            code=f"5.{number:03d}",
            kind=kinds["social-legal" if legal else "social-household"],
            regime="one_time" if legal else "periodic",
            forms=["home", "semi_residential"] if number % 5 == 0 else ["home"],
            urgent_allowed=number % 5 == 0,
        )


def test_kinds_are_the_eight_of_the_law_in_order(login, worker_a, kinds):
    body = login(worker_a).get(f"{API}/kinds").json()
    assert [k["code"] for k in body] == [
        "social-household",
        "social-medical",
        "social-psychological",
        "social-pedagogical",
        "social-labour",
        "social-legal",
        "communicative",
        "urgent",
    ]
    assert [k["code"] for k in body if k["is_urgent"]] == ["urgent"]


def test_services_are_paginated_and_filtered(login, worker_a, many_services):
    client = login(worker_a)
    first = client.get(f"{API}/services").json()
    assert first["count"] == 60 and len(first["items"]) == 50
    assert client.get(f"{API}/services", {"page": 2}).json()["items"][-1]["code"] == "5.059"

    def count(**filters):
        response = client.get(f"{API}/services", filters)
        assert response.status_code == 200, response.json()
        return response.json()["count"]

    assert count(kind="social-legal") == 20
    assert count(regime="one_time") == 20
    assert count(form="semi_residential") == 12
    assert count(urgent="true") == 12
    assert count(urgent="false") == 48
    assert count(kind="social-legal", form="semi_residential") == 4
    assert count(q="5.01") == 10
    assert count(q="УБОРКА") == 60


def test_an_unknown_form_in_a_filter_is_a_422(login, worker_a):
    response = login(worker_a).get(f"{API}/services", {"form": "boat"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_the_detail_gives_the_tariff_in_force_on_a_date(login, worker_a, service):
    services.tariff_add(actor=SYSTEM, service=service, price="100", valid_from=dt.date(2025, 1, 1))
    services.tariff_add(actor=SYSTEM, service=service, price="110", valid_from=dt.date(2026, 1, 1))
    services.tariff_add(
        actor=SYSTEM, service=service, form="home", price="120", valid_from=dt.date(2026, 6, 1)
    )
    client = login(worker_a)

    def prices(on):
        body = client.get(f"{API}/services/{service.pk}", {"on": on}).json()
        assert body["on"] == on
        return {row["form"]: row["price"] for row in body["tariffs_on"]}

    assert prices("2024-12-31") == {"home": None, "semi_residential": None}
    assert prices("2025-12-31") == {"home": "100.00", "semi_residential": "100.00"}
    assert prices("2026-01-01") == {"home": "110.00", "semi_residential": "110.00"}
    assert prices("2026-06-01") == {"home": "120.00", "semi_residential": "110.00"}
    tariffs = client.get(f"{API}/services/{service.pk}/tariffs").json()
    assert [(t["form"], t["valid_from"], t["valid_to"]) for t in tariffs] == [
        ("", "2026-01-01", None),
        ("", "2025-01-01", "2025-12-31"),
        ("home", "2026-06-01", None),
    ]


def test_an_administrator_adds_and_changes_a_service(login, admin_user, kinds):
    client = login(admin_user)
    body = {
        "code": "1.21",
        "name": "Помощь в приготовлении пищи",
        "name_en": "Help with cooking",
        "kind": "social-household",
        "forms": ["home"],
        "regime": "periodic",
        "periodicity_times": 3,
        "periodicity_unit": "week",
        "standard_duration_minutes": 40,
    }
    created = client.post(f"{API}/services", body, content_type=JSON)
    assert created.status_code == 201, created.json()
    service_id = created.json()["id"]
    assert created.json()["forms"] == ["home"]
    changed = client.patch(
        f"{API}/services/{service_id}",
        {"forms": ["home", "residential"], "reason": "Приказ № 7"},
        content_type=JSON,
    )
    assert changed.status_code == 200
    assert changed.json()["forms"] == ["home", "residential"]
    assert changed.json()["name"] == "Помощь в приготовлении пищи"
    actions = set(
        AuditEntry.objects.filter(
            object_id=str(service_id), action__startswith="catalogue."
        ).values_list("action", flat=True)
    )
    assert actions == {"catalogue.service.created", "catalogue.service.forms_set"}


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"forms": ["home", "boat"]}, 400, "unknown_form"),
        ({"kind": "cosmic"}, 400, "unknown_kind"),
        ({"regime": "periodic", "periodicity_times": None}, 400, "invalid"),
        ({"standard_duration_minutes": "long"}, 422, "validation_error"),
    ],
)
def test_bad_input_for_a_service_is_refused_and_nothing_written(
    login, admin_user, kinds, change, status, code
):
    body = {
        "code": "1.22",
        "name": "Уборка",
        "kind": "social-household",
        "forms": ["home"],
        "regime": "one_time",
        "standard_duration_minutes": 60,
        **change,
    }
    response = login(admin_user).post(f"{API}/services", body, content_type=JSON)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert not Service.objects.filter(code="1.22").exists()


def test_tariffs_through_the_api(login, admin_user, service):
    client = login(admin_user)
    url = f"{API}/services/{service.pk}/tariffs"
    created = client.post(url, {"price": "260.00", "valid_from": "2026-01-01"}, content_type=JSON)
    assert created.status_code == 201
    assert created.json()["price"] == "260.00"
    negative = client.post(url, {"price": "-5", "valid_from": "2026-02-01"}, content_type=JSON)
    assert (negative.status_code, negative.json()["code"]) == (400, "negative_tariff")
    overlap = client.post(
        url,
        {"price": "250", "valid_from": "2026-02-01", "valid_to": "2026-02-28"},
        content_type=JSON,
    )
    assert (overlap.status_code, overlap.json()["code"]) == (409, "tariff_overlaps")
    assert Tariff.objects.count() == 1


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.INSTITUTION_MANAGER, Role.ANALYST])
def test_only_administrators_edit_the_catalogue(login, make_user, service, role):
    client = login(make_user(role))
    tariff = client.post(
        f"{API}/services/{service.pk}/tariffs",
        {"price": "100", "valid_from": "2026-01-01"},
        content_type=JSON,
    )
    assert (tariff.status_code, tariff.json()["code"]) == (403, "permission_denied")
    patch = client.patch(f"{API}/services/{service.pk}", {"name": "x"}, content_type=JSON)
    assert patch.status_code == 403
    assert client.get(f"{API}/services/{service.pk}").status_code == 200
    assert not Tariff.objects.exists()
    service.refresh_from_db()
    assert service.name == "Уборка жилых помещений"


def test_anonymous_callers_get_401(client, service):
    assert client.get(f"{API}/services").status_code == 401
    assert client.get(f"{API}/providers").status_code == 401


@pytest.fixture
def provider_body(service, tverskoy, institution_a):
    return {
        "institution": institution_a.pk,
        "service": service.pk,
        "form": "home",
        "district": "tverskoy",
        "valid_from": "2025-01-01",
        "capacity": 200,
    }


def test_a_manager_enters_and_ends_her_institutions_provider(
    login, make_user, institution_a, institution_b, provider_body
):
    client = login(make_user(Role.INSTITUTION_MANAGER, institutions=[institution_a]))
    created = client.post(f"{API}/providers", provider_body, content_type=JSON)
    assert created.status_code == 201, created.json()
    assert created.json()["district"] == "tverskoy"
    assert created.json()["own_price"] is None
    foreign = client.post(
        f"{API}/providers", {**provider_body, "institution": institution_b.pk}, content_type=JSON
    )
    assert (foreign.status_code, foreign.json()["code"]) == (403, "not_your_institution")
    entry_id = created.json()["id"]
    ended = client.post(
        f"{API}/providers/{entry_id}/end", {"valid_to": "2025-12-31"}, content_type=JSON
    )
    assert ended.status_code == 200
    assert ended.json()["valid_to"] == "2025-12-31"


def test_providers_are_refused_for_bad_input(login, admin_user, institution_a, provider_body):
    client = login(admin_user)

    def refused(change):
        response = client.post(f"{API}/providers", {**provider_body, **change}, content_type=JSON)
        return response.status_code, response.json()["code"]

    assert refused({"district": "atlantis"}) == (400, "unknown_district")
    assert refused({"form": "residential"}) == (400, "form_not_offered")
    assert refused({"form": "boat"}) == (400, "unknown_form")
    assert refused({"price": "-1"}) == (400, "negative_tariff")
    institution_services.institution_set_status(
        actor=SYSTEM, institution=institution_a, status="closed"
    )
    assert refused({}) == (400, "institution_closed")
    assert not ProviderEntry.objects.exists()


def test_providers_are_filtered(login, worker_a, make_institution, make_service, tverskoy, maryino):
    home_only = make_service(forms=["home"])
    both = make_service()
    for number in range(3):
        institution = make_institution()
        for service in (home_only, both):
            services.provider_add(
                actor=SYSTEM,
                institution=institution,
                service=service,
                form="home",
                district=maryino if number == 0 else tverskoy,
                valid_from=dt.date(2025, 1, 1),
                price=Decimal("300") if number == 2 else None,
            )
        if number == 1:
            services.provider_add(
                actor=SYSTEM,
                institution=institution,
                service=both,
                form="semi_residential",
                district=tverskoy,
                valid_from=dt.date(2025, 1, 1),
                valid_to=dt.date(2025, 6, 30),
            )
    client = login(worker_a)

    def count(**filters):
        response = client.get(f"{API}/providers", filters)
        assert response.status_code == 200, response.json()
        return response.json()["count"]

    assert count() == 6
    assert count(status="all") == 7
    assert count(district="maryino") == 2
    assert count(service=home_only.pk) == 3
    assert count(form="semi_residential", status="all") == 1
    assert count(on="2025-03-01", form="semi_residential") == 1
    assert count(institution=institution.pk) == 2
    assert client.get(f"{API}/providers", {"status": "soon"}).status_code == 422
    prices = {row["own_price"] for row in client.get(f"{API}/providers").json()["items"]}
    assert prices == {None, "300.00"}
