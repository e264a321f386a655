"""Every read of the catalogue a page or endpoint needs.

The catalogue and the register of providers are public information: every member of staff
reads all of it (the view or endpoint checks the permission), and the per-district listing is
open to anyone. Scope matters for writing: ``institutions_in_management`` is what an actor may
enter providers for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from opora.core.actors import SYSTEM, Actor
from opora.core.permissions import has_permission
from opora.core.scoping import Scope
from opora.institutions.models import District, Institution
from opora.institutions.selectors import institutions_not_closed_on

from .access import PROVIDERS_MANAGE
from .audit_actions import form_label
from .models import FORM_ORDER, ProviderEntry, Service, ServiceKind, Tariff


def kind_by_code(code: str) -> ServiceKind | None:
    return ServiceKind.objects.filter(code=code).first()


def kind_list(*, actor: Actor) -> QuerySet[ServiceKind]:
    return ServiceKind.objects.annotate(
        service_count=Count("services", filter=Q(services__is_active=True))
    ).order_by("order", "name")


def _with_forms_and_tariffs(qs: QuerySet[Service]) -> QuerySet[Service]:
    return qs.select_related("kind").prefetch_related("form_links", "tariffs")


def service_list(
    *,
    actor: Actor,
    kind: str = "",
    form: str = "",
    regime: str = "",
    urgent: bool | None = None,
    q: str = "",
    active: bool | None = None,
) -> QuerySet[Service]:
    qs = Service.objects.all()
    if kind:
        qs = qs.filter(kind__code=kind)
    if form:
        qs = qs.filter(form_links__form=form)  # one link per service and form: no repeats
    if regime:
        qs = qs.filter(regime=regime)
    if urgent is not None:
        qs = qs.filter(urgent_allowed=urgent)
    if active is not None:
        qs = qs.filter(is_active=active)
    for word in q.split():
        qs = qs.filter(search_text__contains=word.casefold())
    return _with_forms_and_tariffs(qs)


def service_get(*, actor: Actor, pk: int) -> Service:
    return get_object_or_404(service_list(actor=actor), pk=pk)


def service_choices(*, actor: Actor) -> QuerySet[Service]:
    """Services a provider may be entered for: those still in the catalogue."""
    return Service.objects.filter(is_active=True).prefetch_related("form_links").order_by("code")


# --- Tariffs ------------------------------------------------------------------------------


def tariffs_of(service: Service) -> QuerySet[Tariff]:
    return Tariff.objects.filter(service=service).order_by("form", "-valid_from")


def tariff_on(tariffs: Iterable[Tariff], form: str, day: dt.date) -> Tariff | None:
    """The tariff of ``form`` in force on ``day`` among ``tariffs`` of one service (prefetched):
    the form's own tariff, else the tariff for every form."""
    in_force = [t for t in tariffs if t.covers(day) and t.form in (form, "")]
    own = [t for t in in_force if t.form == form and form]
    chosen = own or [t for t in in_force if not t.form]
    return chosen[0] if chosen else None


def tariff_in_force(*, service: Service, form: str = "", on: dt.date) -> Tariff | None:
    """The same answer as ``tariff_on``, asked of the database."""
    rows = Tariff.objects.filter(service=service, form__in={form, ""}, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    return rows.order_by("-form").first()  # a form's own tariff ("home" > "") comes first


@dataclass(frozen=True)
class FormTariff:
    form: str
    tariff: Tariff | None

    @property
    def price(self) -> Decimal | None:
        return self.tariff.price if self.tariff else None

    @property
    def label(self) -> str:
        return form_label(self.form)


def tariffs_by_form(service: Service, on: dt.date) -> list[FormTariff]:
    """For each form of the service, the tariff in force on ``on`` (None when there is none)."""
    tariffs = list(service.tariffs.all())
    return [FormTariff(form, tariff_on(tariffs, form, on)) for form in service.forms]


def price_summary(form_tariffs: list[FormTariff]) -> list[tuple[str, Decimal | None]]:
    """Prices to show in one cell: one price when every form costs the same, else a price per
    form, named."""
    prices = {item.price for item in form_tariffs}
    if len(prices) == 1:
        return [("", prices.pop())]
    return [(item.label, item.price) for item in form_tariffs]


# --- The register of providers ------------------------------------------------------------


def provider_list(
    *,
    actor: Actor,
    district: str = "",
    institution: int | None = None,
    service: int | None = None,
    form: str = "",
    on: dt.date | None = None,
    status: str = "current",
) -> QuerySet[ProviderEntry]:
    """Entries of the register. ``on`` keeps those in force that day; otherwise ``status``:
    current (in force or starting later), ended, or all."""
    qs = ProviderEntry.objects.select_related("institution", "service__kind", "district")
    if district:
        qs = qs.filter(district__code=district)
    if institution:
        qs = qs.filter(institution_id=institution)
    if service:
        qs = qs.filter(service_id=service)
    if form:
        qs = qs.filter(form=form)
    today = timezone.localdate()
    if on is not None:
        qs = qs.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    elif status == "current":
        qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    elif status == "ended":
        qs = qs.filter(valid_to__lt=today)
    return qs.prefetch_related("service__tariffs")


def provider_get(*, actor: Actor, pk: int) -> ProviderEntry:
    return get_object_or_404(provider_list(actor=actor, status="all"), pk=pk)


def provider_price(entry: ProviderEntry, day: dt.date) -> Decimal | None:
    """What one unit costs at this provider on ``day``: its own price, else the catalogue's."""
    if entry.price is not None:
        return entry.price
    tariff = tariff_on(entry.service.tariffs.all(), entry.form, day)
    return tariff.price if tariff else None


def institutions_in_management(*, actor: Actor) -> QuerySet[Institution]:
    """The institutions whose provider entries the actor may enter and end: all of them for an
    administrator and the system, her own for an institution manager."""
    if not has_permission(actor, PROVIDERS_MANAGE):
        return Institution.objects.none()
    return Scope.of(actor).rows(Institution.objects.all(), via="pk", personal=False)


def provider_choices(*, actor: Actor) -> QuerySet[Institution]:
    """Institutions a new entry may name: the actor's, and open."""
    return (
        institutions_in_management(actor=actor)
        .filter(institutions_not_closed_on(timezone.localdate()))
        .order_by("name")
    )


def provider_for_management(*, actor: Actor, pk: int) -> ProviderEntry:
    managed = institutions_in_management(actor=actor).values("pk")
    return get_object_or_404(
        provider_list(actor=actor, status="all").filter(institution__in=managed), pk=pk
    )


# --- The public listing per district ------------------------------------------------------


def _public_entries(on: dt.date) -> QuerySet[ProviderEntry]:
    return (
        provider_list(actor=SYSTEM, on=on)
        .filter(institutions_not_closed_on(on, "institution__"), service__is_active=True)
        .order_by("institution__name", "institution_id", "service__kind__order", "service__code")
    )


def public_districts(*, on: dt.date | None = None) -> QuerySet[District]:
    """Districts with at least one open institution giving a service there today."""
    entries = _public_entries(on or timezone.localdate())
    return District.objects.filter(pk__in=entries.values("district")).order_by("name")


@dataclass
class PublicService:
    service: Service
    forms: list[tuple[str, Decimal | None]] = field(default_factory=list)  # (form, price)


@dataclass
class PublicProvider:
    institution: Institution
    services: list[PublicService] = field(default_factory=list)

    @property
    def by_kind(self) -> list[tuple[ServiceKind, list[PublicService]]]:
        groups: dict[int, tuple[ServiceKind, list[PublicService]]] = {}
        for item in self.services:
            groups.setdefault(item.service.kind_id, (item.service.kind, []))[1].append(item)
        return list(groups.values())


def public_listing(*, district: District, on: dt.date | None = None) -> list[PublicProvider]:
    """The open institutions giving services in ``district`` today, with their services grouped
    by kind, and for each service the forms and the price of a unit."""
    day = on or timezone.localdate()
    entries = _public_entries(day).filter(district=district)
    providers: dict[int, PublicProvider] = {}
    for entry in entries:
        provider = providers.setdefault(entry.institution_id, PublicProvider(entry.institution))
        if not provider.services or provider.services[-1].service.pk != entry.service_id:
            provider.services.append(PublicService(entry.service))
        provider.services[-1].forms.append((entry.form, provider_price(entry, day)))
    for provider in providers.values():
        for item in provider.services:
            item.forms.sort(key=lambda pair: FORM_ORDER[pair[0]])
    return list(providers.values())


# --- Figures for the dashboard ------------------------------------------------------------


def statistics(*, actor: Actor) -> dict[str, Any]:
    today = timezone.localdate()
    in_force = provider_list(actor=actor, on=today).filter(
        institutions_not_closed_on(today, "institution__")
    )
    return {
        "services": Service.objects.filter(is_active=True).count(),
        "kinds": list(kind_list(actor=actor)),
        "providers": in_force.values("institution").distinct().count(),
        "entries": in_force.count(),
        "without_tariff": Service.objects.filter(is_active=True)
        .exclude(
            pk__in=Tariff.objects.filter(valid_from__lte=today)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            .values("service")
        )
        .count(),
    }
