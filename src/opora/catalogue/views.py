from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.core.forms import form_page
from opora.core.permissions import PUBLIC, has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page
from opora.core.tabs import HISTORY, OVERVIEW, Tab, chosen_tab, history_rows

from . import selectors, services
from .access import CATALOGUE_MANAGE, CATALOGUE_VIEW, PROVIDERS_MANAGE
from .forms import (
    ProviderAddForm,
    ProviderEndForm,
    ProviderFilterForm,
    PublicDistrictForm,
    ServiceChangeForm,
    ServiceEditForm,
    ServiceFilterForm,
    TariffAddForm,
)

SERVICE_COLUMNS = [
    Column("code", gettext_lazy("Code"), "code"),
    Column("name", gettext_lazy("Service"), "name"),
    Column("kind", gettext_lazy("Kind"), "kind__order"),
    Column("forms", gettext_lazy("Forms")),
    Column("regime", gettext_lazy("Regime"), "regime"),
    Column("tariff", gettext_lazy("Tariff today, roubles")),
    Column("urgent", gettext_lazy("Urgent"), "urgent_allowed"),
]

PROVIDER_COLUMNS = [
    Column("institution", gettext_lazy("Institution"), "institution__name"),
    Column("service", gettext_lazy("Service"), "service__code"),
    Column("form", gettext_lazy("Form"), "form"),
    Column("district", gettext_lazy("District"), "district__name"),
    Column("price", gettext_lazy("Price per unit today, roubles")),
    Column("capacity", gettext_lazy("Recipients at a time"), "capacity"),
    Column("period", gettext_lazy("Period"), "valid_from"),
]

SERVICE_TABS = [
    OVERVIEW,
    Tab("tariffs", gettext_lazy("Tariffs")),
    Tab("providers", gettext_lazy("Providers")),
    HISTORY,
]


def _cleaned(form) -> dict[str, Any]:
    return form.cleaned_data if form.is_valid() else {}


def _crumbs(back: tuple[str, str] | None = None) -> list[tuple[str, str]]:
    """The catalogue, then ``back`` (URL, label): where Cancel leads."""
    crumbs = [(_("Catalogue of social services"), reverse("catalogue:list"))]
    if back:
        url, label = back
        crumbs.append((str(label), url))
    return crumbs


# --- The catalogue ------------------------------------------------------------------------


@require(CATALOGUE_VIEW)
def service_list(request):
    form = ServiceFilterForm(request.GET or None)
    filters = _cleaned(form)
    services_qs = selectors.service_list(
        actor=request.user,
        kind=filters["kind"].code if filters.get("kind") else "",
        form=filters.get("form", ""),
        regime=filters.get("regime", ""),
        urgent=filters.get("urgent"),
        q=filters.get("q", ""),
    )
    table = sorted_page(request, services_qs, SERVICE_COLUMNS, default_sort="code")
    today = timezone.localdate()
    rows = [
        {"service": s, "prices": selectors.price_summary(selectors.tariffs_by_form(s, today))}
        for s in table.rows
    ]
    context = {
        "table": table,
        "rows": rows,
        "form": form,
        "filtered": any(filters.get(key) not in (None, "") for key in form.fields),
        "can_manage": has_permission(request.user, CATALOGUE_MANAGE),
    }
    return render_page(request, "catalogue/services/list.html", context, partial="results")


@require(CATALOGUE_VIEW)
def service_detail(request, pk: int):
    service = selectors.service_get(actor=request.user, pk=pk)
    tab = chosen_tab(request, SERVICE_TABS)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "service": service,
        "tab": tab,
        "tabs": SERVICE_TABS,
        "today": today,
        "can_manage": has_permission(request.user, CATALOGUE_MANAGE),
        "can_manage_providers": has_permission(request.user, PROVIDERS_MANAGE),
    }
    if tab == OVERVIEW.key:
        context["tariffs_today"] = selectors.tariffs_by_form(service, today)
    elif tab == "tariffs":
        context["tariffs"] = selectors.tariffs_of(service)
    elif tab == "providers":
        entries = selectors.provider_list(actor=request.user, service=service.pk).order_by(
            "institution__name", "form", "district__name"
        )
        context["entries"] = [
            {"entry": e, "price": selectors.provider_price(e, today)} for e in entries
        ]
    elif tab == HISTORY.key:
        context["history"] = history_rows(service)
    return render_page(request, "catalogue/services/detail.html", context, partial="tab-body")


def _service_url(service, tab: str = "") -> str:
    url = reverse("catalogue:service", args=[service.pk])
    return f"{url}?tab={tab}" if tab else url


@require(CATALOGUE_MANAGE)
def service_create(request):
    form = ServiceEditForm(request.POST or None)

    def save(data):
        return services.service_create(actor=request.user, **data)

    return form_page(
        request,
        form,
        save,
        title=_("Add a service"),
        crumbs=_crumbs(),
        done=_service_url,
    )


@require(CATALOGUE_MANAGE)
def service_edit(request, pk: int):
    service = selectors.service_get(actor=request.user, pk=pk)
    initial = {
        name: getattr(service, name) for name in ServiceChangeForm.base_fields if name != "reason"
    }
    form = ServiceChangeForm(request.POST or None, initial=initial)

    def save(data):
        changed = {k: v for k, v in data.items() if k in form.changed_data and k != "reason"}
        return services.service_update(
            actor=request.user, service=service, reason=data.get("reason", ""), **changed
        )

    return form_page(
        request,
        form,
        save,
        title=_("Change the service"),
        crumbs=_crumbs((_service_url(service), service.display_name)),
        done=_service_url,
    )


@require(CATALOGUE_MANAGE)
def tariff_add(request, pk: int):
    service = selectors.service_get(actor=request.user, pk=pk)
    form = TariffAddForm(request.POST or None, service=service)

    def save(data):
        return services.tariff_add(actor=request.user, service=service, **data)

    return form_page(
        request,
        form,
        save,
        title=_("Add a tariff"),
        crumbs=_crumbs((_service_url(service, "tariffs"), service.display_name)),
        done=lambda tariff: _service_url(service, "tariffs"),
        intro=_(
            "A tariff without an end date replaces the open tariff in force before it, which "
            "ends the day before."
        ),
    )


# --- The register of providers ------------------------------------------------------------


@require(CATALOGUE_VIEW)
def provider_list(request):
    form = ProviderFilterForm(request.GET or None)
    filters = _cleaned(form)
    entries = selectors.provider_list(
        actor=request.user,
        district=filters["district"].code if filters.get("district") else "",
        institution=filters["institution"].pk if filters.get("institution") else None,
        service=filters["service"].pk if filters.get("service") else None,
        form=filters.get("form", ""),
        status=filters.get("status") or "current",
    )
    table = sorted_page(request, entries, PROVIDER_COLUMNS, default_sort="institution")
    today = timezone.localdate()
    rows = [{"entry": e, "price": selectors.provider_price(e, today)} for e in table.rows]
    context = {
        "table": table,
        "rows": rows,
        "form": form,
        "today": today,
        "can_manage": has_permission(request.user, PROVIDERS_MANAGE),
        "managed": set(
            selectors.institutions_in_management(actor=request.user).values_list("pk", flat=True)
        ),
    }
    return render_page(request, "catalogue/providers/list.html", context, partial="results")


@require(PROVIDERS_MANAGE)
def provider_add(request):
    initial = {}
    if request.GET.get("service", "").isdigit():
        initial["service"] = int(request.GET["service"])
    form = ProviderAddForm(request.POST or None, actor=request.user, initial=initial)

    def save(data):
        return services.provider_add(actor=request.user, **data)

    return form_page(
        request,
        form,
        save,
        title=_("Enter a provider"),
        crumbs=_crumbs((reverse("catalogue:providers"), _("Register of providers"))),
        done=lambda entry: _service_url(entry.service, "providers"),
        intro=_(
            "An institution gives a service in one form and one district per entry; leave the "
            "price empty to apply the catalogue tariff."
        ),
    )


@require(PROVIDERS_MANAGE)
def provider_end(request, pk: int):
    entry = selectors.provider_for_management(actor=request.user, pk=pk)
    form = ProviderEndForm(request.POST or None, initial={"valid_to": timezone.localdate()})

    def save(data):
        return services.provider_end(actor=request.user, entry=entry, **data)

    return form_page(
        request,
        form,
        save,
        title=_("End the entry of %(institution)s") % {"institution": entry.institution},
        crumbs=_crumbs((reverse("catalogue:providers"), _("Register of providers"))),
        done=lambda ended: _service_url(ended.service, "providers"),
        intro=f"{entry.service.code} {entry.service.display_name} — "
        f"{entry.get_form_display()}, {entry.district}",
    )


# --- The public listing -------------------------------------------------------------------


@require(PUBLIC)
def public_listing(request):
    form = PublicDistrictForm(request.GET or None)
    district = _cleaned(form).get("district")
    context = {
        "form": form,
        "district": district,
        "providers": selectors.public_listing(district=district) if district else [],
    }
    return render_page(request, "catalogue/public/district.html", context, partial="results")
