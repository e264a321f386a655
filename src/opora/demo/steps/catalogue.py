"""Demo data of the catalogue: the services of ``demo_catalogue`` with last year's and this
year's tariffs, and the seed institutions entered as providers of realistic subsets of them.

Everything is keyed (services by code, tariffs by service, form and start, entries by
institution, service, form, district and start), so loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from opora.catalogue import services
from opora.catalogue.models import ProviderEntry, Service, ServiceKind, Tariff
from opora.catalogue.reference import ensure_kinds
from opora.demo.data.catalogue import FORM_TARIFFS, HOME, RESIDENTIAL, SEMI, SERVICES, DemoService
from opora.demo.loading import DemoContext, step
from opora.institutions.models import District, Institution
from opora.institutions.selectors import institution_is_closed_on

PREVIOUS_TARIFF_FROM = dt.date(2025, 1, 1)
CURRENT_TARIFF_FROM = dt.date(2026, 1, 1)
# Last year's tariffs were about 6% lower: the tariff history has something to show.
PREVIOUS_YEAR_FACTOR = Decimal("0.94")
PROVIDERS_FROM = dt.date(2025, 1, 1)


@dataclass(frozen=True)
class DemoProvider:
    institution: str  # code in opora.demo.data.facts.INSTITUTIONS
    # An example, used while the institution has no district of its own.
    district: str
    services: tuple[str, ...]  # codes; "1.*" is every service of that kind
    capacity: dict[str, int]  # the forms it gives services in, with recipients at a time
    own_prices: dict[str, Decimal] = field(default_factory=dict)


TCSO_HOME_SERVICES = (
    *("1.01", "1.02", "1.03", "1.04", "1.05", "1.07", "1.08", "1.09", "1.10", "1.11", "1.12"),
    *("1.13", "1.15", "1.17", "1.18"),
    *("2.01", "2.02", "2.03", "2.05", "2.06", "2.07", "2.08", "2.09", "2.10", "2.11"),
    *("3.01", "3.02", "3.03", "4.01", "4.04", "4.05", "4.06", "5.02", "6.*", "7.04"),
    *("8.01", "8.02", "8.06", "8.07", "8.08"),
)

PROVIDERS = (
    DemoProvider(
        "tcso-tverskoy",
        "tverskoy",
        TCSO_HOME_SERVICES,
        {HOME: 650, SEMI: 80},
        own_prices={"1.08": Decimal("275.00")},
    ),
    DemoProvider(
        "tcso-maryino",
        "maryino",
        tuple(code for code in TCSO_HOME_SERVICES if code not in {"1.09", "2.06", "8.08"}),
        {HOME: 900, SEMI: 120},
    ),
    DemoProvider(
        "crisis-centre-women-children",
        "presnensky",
        (
            *("1.09", "1.14", "1.15", "1.16", "3.01", "3.02", "3.04", "3.05", "3.06"),
            *("6.01", "6.02", "6.03", "8.01", "8.02", "8.03", "8.04", "8.05"),
        ),
        {SEMI: 40, RESIDENTIAL: 30},
    ),
    DemoProvider(
        "family-childhood-resource-centre",
        "basmanny",
        ("4.*", "3.01", "3.05", "3.07", "6.04"),
        {HOME: 150, SEMI: 60},
    ),
    DemoProvider(
        "family-upbringing-centre-1",
        "lyublino",
        ("1.14", "1.15", "1.16", "1.19", "2.04", "2.05", "3.05", "4.03", "4.04", "4.05"),
        {RESIDENTIAL: 45},
    ),
    DemoProvider(
        "family-upbringing-centre-2",
        "kuzminki",
        ("1.14", "1.15", "1.16", "1.19", "2.04", "3.01", "3.05", "4.03", "4.05", "5.03"),
        {RESIDENTIAL: 60},
    ),
    DemoProvider(
        "moscow-longevity-tverskoy",
        "tverskoy",
        ("2.03", "2.06", "2.07", "3.07", "4.04", "4.05", "7.04"),
        {SEMI: 300},
    ),
    DemoProvider(
        "boarding-school-blind-1",
        "khamovniki",
        ("1.14", "1.15", "1.16", "2.04", "4.03", "7.01", "7.03", "7.05", "7.07"),
        {SEMI: 30, RESIDENTIAL: 60},
    ),
    DemoProvider(
        "complex-rehabilitation-educational-centre",
        "konkovo",
        ("7.*", "2.07", "4.02", "4.03", "5.03"),
        {SEMI: 120},
    ),
    DemoProvider(
        "moscow-city-rehabilitation-centre",
        "mitino",
        (
            *("1.14", "1.15", "2.03", "2.06", "2.07", "2.11", "3.05"),
            *("5.01", "5.04", "7.01", "7.02"),
        ),
        {SEMI: 200, RESIDENTIAL: 150},
        own_prices={"2.07": Decimal("190.00")},
    ),
    DemoProvider(
        "rehabilitation-education-centre-7",
        "strogino",
        ("2.07", "4.02", "4.03", "7.02", "7.03", "7.05", "7.06"),
        {HOME: 40, SEMI: 90},
    ),
)


def _load_services(ctx: DemoContext) -> dict[str, Service]:
    kinds = {kind.code: kind for kind in ServiceKind.objects.all()}
    existing = {service.code: service for service in Service.objects.all()}
    for fact in SERVICES:
        if fact.code in existing:
            continue
        existing[fact.code] = services.service_create(
            actor=ctx.actor,
            code=fact.code,
            name=fact.name,
            name_en=fact.name_en,
            description=fact.description,
            description_en=fact.description_en,
            kind=kinds[fact.kind],
            forms=fact.forms,
            regime=fact.regime,
            periodicity_times=fact.times,
            periodicity_unit=fact.per,
            unit=fact.unit,
            standard_duration_minutes=fact.minutes,
            urgent_allowed=fact.urgent,
        )
    return existing


def _tariffs_of(fact: DemoService) -> list[tuple[str, Decimal, dt.date]]:
    """(form, price, from) in the order they were set: last year's, then this year's."""
    lines = [("", fact.price)] + [
        (form, price) for (code, form), price in FORM_TARIFFS.items() if code == fact.code
    ]
    previous = [
        (form, (price * PREVIOUS_YEAR_FACTOR).quantize(Decimal("0.01")), PREVIOUS_TARIFF_FROM)
        for form, price in lines
    ]
    return previous + [(form, price, CURRENT_TARIFF_FROM) for form, price in lines]


def _load_tariffs(ctx: DemoContext, by_code: dict[str, Service]) -> None:
    existing = set(Tariff.objects.values_list("service__code", "form", "valid_from"))
    for fact in SERVICES:
        for form, price, valid_from in _tariffs_of(fact):
            if (fact.code, form, valid_from) in existing:
                continue
            services.tariff_add(
                actor=ctx.actor,
                service=by_code[fact.code],
                form=form,
                price=price,
                valid_from=valid_from,
            )


def _codes(patterns: tuple[str, ...]) -> list[str]:
    codes: list[str] = []
    for pattern in patterns:
        if pattern.endswith(".*"):
            prefix = pattern[:-1]
            codes += [fact.code for fact in SERVICES if fact.code.startswith(prefix)]
        else:
            codes.append(pattern)
    return codes


def _district_of(
    institution: Institution, example: str, districts: dict[str, District]
) -> District | None:
    own_id = getattr(institution, "district_id", None)
    if own_id is not None:
        return District.objects.get(pk=own_id)
    return districts.get(example)


def _load_providers(ctx: DemoContext, by_code: dict[str, Service]) -> None:
    institutions = {i.code: i for i in Institution.objects.all()}
    districts = {d.code: d for d in District.objects.all()}
    existing = set(
        ProviderEntry.objects.values_list(
            "institution_id", "service_id", "form", "district_id", "valid_from"
        )
    )
    for provider in PROVIDERS:
        institution = institutions.get(provider.institution)
        if institution is None or institution_is_closed_on(institution):
            continue
        district = _district_of(institution, provider.district, districts)
        if district is None:
            ctx.log(f"catalogue: no district {provider.district!r} for {provider.institution}")
            continue
        for code in _codes(provider.services):
            service = by_code[code]
            for form in service.forms:
                if form not in provider.capacity:
                    continue
                key = (institution.pk, service.pk, form, district.pk, PROVIDERS_FROM)
                if key in existing:
                    continue
                services.provider_add(
                    actor=ctx.actor,
                    institution=institution,
                    service=service,
                    form=form,
                    district=district,
                    valid_from=PROVIDERS_FROM,
                    capacity=provider.capacity[form],
                    price=provider.own_prices.get(code),
                )


@step("catalogue", "Catalogue of social services, tariffs and providers", order=50)
def load_catalogue(ctx: DemoContext) -> None:
    ensure_kinds()  # a database flushed by tests has lost what the migration loaded
    by_code = _load_services(ctx)
    _load_tariffs(ctx, by_code)
    _load_providers(ctx, by_code)
