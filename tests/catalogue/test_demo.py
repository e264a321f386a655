"""The demo catalogue: complete, realistic, and loaded twice without change."""

import datetime as dt

import pytest

from opora.catalogue import selectors
from opora.catalogue.models import ProviderEntry, Service, ServiceKind, Tariff
from opora.catalogue.reference import SERVICE_KINDS
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.demo.data.catalogue import SERVICES
from opora.demo.loading import DemoContext, steps
from opora.demo.steps.institutions import load_districts
from tests.demo_support import demo_loaded

ON = dt.date(2026, 6, 1)


def load(context: DemoContext | None = None):
    """The steps the catalogue's demo builds on (institutions, the districts of the registry's
    population), then its own; not the residents, whom it does not need."""
    load_districts()
    by_name = {demo_step.name: demo_step for demo_step in steps()}
    context = context or DemoContext(actor=SYSTEM)
    for name in ("institutions", "catalogue"):
        by_name[name].run(context)


def counts():
    return (
        Service.objects.count(),
        Tariff.objects.count(),
        ProviderEntry.objects.count(),
        AuditEntry.objects.count(),
    )


loaded_once = demo_loaded(load)


@pytest.fixture
def demo(loaded_once, db):
    return None


def test_the_demo_catalogue_has_sixty_services_across_all_eight_kinds(demo):
    assert Service.objects.count() == len(SERVICES) >= 60
    per_kind = {kind.code: kind.services.count() for kind in ServiceKind.objects.all()}
    assert set(per_kind) == {code for code, *_ in SERVICE_KINDS}
    assert all(count >= 4 for count in per_kind.values()), per_kind
    assert Service.objects.filter(urgent_allowed=True, kind__is_urgent=False).exists()


def test_every_demo_service_has_a_tariff_history_and_one_in_force(demo):
    for service in selectors.service_list(actor=SYSTEM):
        assert all(row.tariff is not None for row in selectors.tariffs_by_form(service, ON))
        before = selectors.tariff_in_force(service=service, on=dt.date(2025, 6, 1))
        now = selectors.tariff_in_force(service=service, on=ON)
        assert before is not None and now is not None
        assert before.price <= now.price, service.code


def test_the_demo_names_realistic_providers(demo):
    tverskoy = selectors.public_listing(district=_district("tverskoy"), on=ON)
    names = {provider.institution.code for provider in tverskoy}
    assert {"tcso-tverskoy", "moscow-longevity-tverskoy"} <= names
    tcso = next(p for p in tverskoy if p.institution.code == "tcso-tverskoy")
    assert len(tcso.services) >= 30
    assert {kind.code for kind, _items in tcso.by_kind} >= {"social-household", "urgent"}
    # A residential centre gives residential services only; its price is the residential tariff.
    blind = ProviderEntry.objects.filter(institution__code="boarding-school-blind-1")
    assert set(blind.values_list("form", flat=True)) == {"semi_residential", "residential"}
    hygiene = ProviderEntry.objects.filter(service__code="1.10", form="residential").first()
    if hygiene is not None:
        assert (
            selectors.provider_price(hygiene, ON)
            < hygiene.service.tariffs.get(form="", valid_to__isnull=True).price
        )


def test_loading_the_demo_twice_changes_nothing(demo):
    before = counts()
    load()
    assert counts() == before


def _district(code):
    from opora.institutions.models import District

    return District.objects.get(code=code)
