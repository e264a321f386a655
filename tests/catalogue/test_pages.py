"""The catalogue's pages: lists with filters and HTMX fragments, forms, permissions, the public
listing, and what the shell shows (navigation, widget, search)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from opora.catalogue import services
from opora.catalogue.models import ProviderEntry, Service, Tariff
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.core.roles import Role

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}


@pytest.fixture
def provided(service, tverskoy, make_institution):
    """The service given at home in Tverskoy by an open centre, from last year."""
    centre = make_institution(code="tcso-tverskoy", name="ТЦСО «Тверской»")
    services.tariff_add(actor=SYSTEM, service=service, price="260", valid_from=dt.date(2025, 1, 1))
    entry = services.provider_add(
        actor=SYSTEM,
        institution=centre,
        service=service,
        form="home",
        district=tverskoy,
        valid_from=dt.date(2025, 1, 1),
        capacity=650,
    )
    return entry


def codes_in(response):
    return [row["service"].code for row in response.context["rows"]]


def test_the_list_filters_sorts_and_answers_htmx_with_the_results_only(
    login, worker_a, make_service, kinds
):
    make_service(code="1.01", name="Покупка продуктов")
    make_service(
        code="6.01",
        name="Помощь в оформлении документов",
        kind=kinds["social-legal"],
        regime="one_time",
        urgent_allowed=True,
        forms=["home", "residential"],
    )
    make_service(code="2.01", name="Измерение давления", kind=kinds["social-medical"])
    client = login(worker_a)
    url = reverse("catalogue:list")
    assert codes_in(client.get(url)) == ["1.01", "2.01", "6.01"]
    assert codes_in(client.get(url, {"sort": "-code"})) == ["6.01", "2.01", "1.01"]
    assert codes_in(client.get(url, {"kind": "social-legal"})) == ["6.01"]
    assert codes_in(client.get(url, {"form": "residential"})) == ["6.01"]
    assert codes_in(client.get(url, {"regime": "periodic"})) == ["1.01", "2.01"]
    assert codes_in(client.get(url, {"urgent": "1"})) == ["6.01"]
    fragment = client.get(url, {"q": "ДОКУМЕНТ"}, **HTMX)
    assert codes_in(fragment) == ["6.01"]
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="results">') and "<html" not in html
    assert "HX-Target" in fragment["Vary"]


def test_an_empty_result_says_what_to_do(login, worker_a, admin_user, kinds):
    assert "An administrator adds the services" in _english(login(worker_a), "catalogue:list")
    assert "Add the first service" in _english(login(admin_user), "catalogue:list")
    page = _english(login(admin_user), "catalogue:list", {"q": "nothing like it"})
    assert "No services match" in page


def _english(client, name, params=None, args=()):
    """The page in English, the language chosen with the switch (its cookie)."""
    client.cookies["django_language"] = "en"
    response = client.get(reverse(name, args=args), params or {})
    assert response["Content-Language"] == "en"
    return response.content.decode()


def test_the_service_page_has_its_tabs(login, worker_a, provided, service):
    client = login(worker_a)
    url = reverse("catalogue:service", args=[service.pk])
    overview = client.get(url)
    assert overview.status_code == 200
    assert [row.price for row in overview.context["tariffs_today"]] == [
        Decimal("260"),
        Decimal("260"),
    ]
    tariffs = client.get(url, {"tab": "tariffs"})
    assert list(tariffs.context["tariffs"]) == list(Tariff.objects.all())
    providers = client.get(url, {"tab": "providers"})
    assert [item["entry"] for item in providers.context["entries"]] == [provided]
    fragment = client.get(
        url, {"tab": "providers"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="tab-body"
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="tab-body"')
    assert "ТЦСО «Тверской»" in fragment
    history = client.get(url, {"tab": "history"})
    actions = [row["entry"].action for row in history.context["history"]]
    assert actions == [
        "catalogue.provider.added",
        "catalogue.tariff.added",
        "catalogue.service.created",
    ]
    # Staff who may not edit see no edit links.
    assert reverse("catalogue:service_edit", args=[service.pk]) not in overview.content.decode()


def test_an_administrator_adds_a_service_then_changes_it(login, admin_user, kinds):
    client = login(admin_user)
    response = client.post(
        reverse("catalogue:service_create"),
        {
            "code": "1.02",
            "name": "Помощь в приготовлении пищи",
            "name_en": "Help with cooking",
            "kind": kinds["social-household"].pk,
            "forms": ["home"],
            "regime": "periodic",
            "periodicity_times": 3,
            "periodicity_unit": "week",
            "unit": "service",
            "standard_duration_minutes": 40,
        },
    )
    service = Service.objects.get(code="1.02")
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:service", args=[service.pk])
    edit_url = reverse("catalogue:service_edit", args=[service.pk])
    form = client.get(edit_url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        kind=service.kind_id,
        forms=["home", "semi_residential"],
        is_active="on",
        reason="Приказ № 3",
    )
    assert client.post(edit_url, data).status_code == 302
    assert Service.objects.get(pk=service.pk).forms == ["home", "semi_residential"]


def test_a_refused_rule_is_shown_next_to_the_field_and_nothing_is_written(
    login, admin_user, service
):
    client = login(admin_user)
    response = client.post(
        reverse("catalogue:tariff_add", args=[service.pk]),
        {"form": "", "price": "-10", "valid_from": "2026-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["price"]
    assert not Tariff.objects.exists()
    added = client.post(
        reverse("catalogue:tariff_add", args=[service.pk]),
        {"form": "home", "price": "250.00", "valid_from": "2026-01-01"},
    )
    assert added["Location"].endswith("?tab=tariffs")
    assert Tariff.objects.get().form == "home"


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.INSTITUTION_MANAGER, Role.ANALYST])
def test_only_administrators_edit_the_catalogue_pages(login, make_user, service, role):
    client = login(make_user(role))
    assert client.get(reverse("catalogue:list")).status_code == 200
    assert client.get(reverse("catalogue:service", args=[service.pk])).status_code == 200
    for name, args in [
        ("catalogue:service_create", []),
        ("catalogue:service_edit", [service.pk]),
        ("catalogue:tariff_add", [service.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
        assert client.post(reverse(name, args=args), {"price": "1"}).status_code == 403, name
    assert not Tariff.objects.exists()


def test_a_manager_enters_providers_for_her_institution_only(
    login, make_user, institution_a, institution_b, service, tverskoy, provided
):
    manager = make_user(Role.INSTITUTION_MANAGER, institutions=[institution_a])
    client = login(manager)
    form = client.get(reverse("catalogue:provider_add"), {"service": service.pk}).context["form"]
    assert list(form.fields["institution"].queryset) == [institution_a]
    assert form.initial["service"] == service.pk
    data = {
        "institution": institution_a.pk,
        "service": service.pk,
        "form": "home",
        "district": tverskoy.pk,
        "valid_from": "2026-01-01",
    }
    assert client.post(reverse("catalogue:provider_add"), data).status_code == 302
    refused = client.post(
        reverse("catalogue:provider_add"), {**data, "institution": institution_b.pk}
    )
    assert refused.status_code == 200 and refused.context["form"].errors["institution"]
    # Another institution's entry cannot be ended by her: it is not found.
    assert client.get(reverse("catalogue:provider_end", args=[provided.pk])).status_code == 404
    mine = ProviderEntry.objects.get(institution=institution_a)
    ended = client.post(
        reverse("catalogue:provider_end", args=[mine.pk]),
        {"valid_to": "2026-06-30", "reason": "Нет специалиста"},
    )
    assert ended.status_code == 302
    mine.refresh_from_db()
    assert mine.valid_to == dt.date(2026, 6, 30)


def test_a_social_worker_reads_the_register_but_cannot_enter_providers(login, worker_a, provided):
    client = login(worker_a)
    listing = client.get(reverse("catalogue:providers"), {"district": "tverskoy"})
    assert [row["entry"] for row in listing.context["rows"]] == [provided]
    assert listing.context["rows"][0]["price"] == Decimal("260")
    assert client.get(reverse("catalogue:provider_add")).status_code == 403
    assert client.post(reverse("catalogue:provider_end", args=[provided.pk])).status_code == 403


def test_the_register_filters_by_institution_service_and_form(login, admin_user, provided, service):
    client = login(admin_user)
    url = reverse("catalogue:providers")

    def found(**params):
        return [row["entry"].pk for row in client.get(url, params).context["rows"]]

    assert found(institution=provided.institution_id) == [provided.pk]
    assert found(service=service.pk, form="home") == [provided.pk]
    assert found(form="semi_residential") == []
    assert found(status="ended") == []


def test_anonymous_visitors_see_the_public_listing_but_not_the_staff_pages(
    client, provided, service
):
    public = client.get(reverse("catalogue:public"), {"district": "tverskoy"})
    assert public.status_code == 200
    html = public.content.decode()
    assert "ТЦСО «Тверской»" in html and service.name in html
    fragment = client.get(reverse("catalogue:public"), {"district": "tverskoy"}, **HTMX)
    assert "<html" not in fragment.content.decode()
    for name, args in [
        ("catalogue:list", []),
        ("catalogue:service", [service.pk]),
        ("catalogue:providers", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:login"))


def test_the_public_listing_without_a_district_asks_for_one(client, provided):
    response = client.get(reverse("catalogue:public"))
    assert response.status_code == 200
    assert list(
        response.context["form"].fields["district"].queryset.values_list("code", flat=True)
    ) == ["tverskoy"]
    assert response.context["providers"] == []


def test_the_public_listing_leaves_out_ended_entries(client, provided):
    services.provider_end(
        actor=SYSTEM, entry=provided, valid_to=timezone.localdate() - dt.timedelta(days=1)
    )
    response = client.get(reverse("catalogue:public"), {"district": "tverskoy"})
    assert response.context["providers"] == []


def test_the_shell_offers_the_catalogue(login, worker_a, provided, service):
    client = login(worker_a)
    dashboard = client.get(reverse("core:dashboard"))
    nav = [item.key for item in dashboard.context["nav_items"]]
    assert {"catalogue", "catalogue-providers"} <= set(nav)
    widget = next(w for w in dashboard.context["widgets"] if w["widget"].key == "catalogue")
    assert (widget["services"], widget["providers"], widget["without_tariff"]) == (1, 1, 0)
    assert 'data-widget="catalogue"' in dashboard.content.decode()
    found = client.get(reverse("core:search"), {"q": "уборка"})
    assert reverse("catalogue:service", args=[service.pk]) in found.content.decode()


def test_the_kinds_are_changed_in_the_admin_site_and_audited(login, admin_user, kinds):
    kind = kinds["urgent"]
    client = login(admin_user)
    assert client.get("/admin/catalogue/servicekind/").status_code == 200
    response = client.post(
        f"/admin/catalogue/servicekind/{kind.pk}/change/",
        {
            "code": kind.code,
            "name": kind.name,
            "name_en": "Urgent services",
            "order": 8,
            "is_urgent": "on",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="core.admin.changed", object_id=str(kind.pk))
    assert entry.changes == {"name_en": ["Urgent social services", "Urgent services"]}
