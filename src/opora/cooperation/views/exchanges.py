"""Exchanges of specialists: who went where (or received whom), when and for what; recording
one also enters it in the employee's training records."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.core.forms import form_page
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page

from .. import selectors, services
from ..access import COOPERATION_MANAGE, COOPERATION_VIEW
from ..forms import ExchangeFilterForm, ExchangeForm
from ..selectors import pages

EXCHANGE_COLUMNS = [
    Column("starts_on", gettext_lazy("Dates"), "starts_on"),
    Column("employee", gettext_lazy("Employee")),
    Column("direction", gettext_lazy("Direction"), "direction"),
    Column("partner", gettext_lazy("Partner")),
    Column("purpose", gettext_lazy("Purpose")),
]


@require(COOPERATION_VIEW)
def exchange_list(request):
    form = ExchangeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.exchange_list(
        actor=request.user,
        partner=filters.get("partner"),
        direction=filters.get("direction", ""),
        year=filters.get("year"),
    )
    context = {
        "table": sorted_page(request, qs, EXCHANGE_COLUMNS, default_sort="-starts_on"),
        "form": form,
        "filtered": any(filters.get(key) for key in form.fields),
        "can_manage": has_permission(request.user, COOPERATION_MANAGE),
    }
    return render_page(request, "cooperation/exchanges/list.html", context, partial="results")


@require(COOPERATION_MANAGE)
def exchange_record(request):
    initial: dict[str, Any] = {}
    partner = request.GET.get("partner", "")
    if partner.isdigit() and pages.partner_choices().filter(pk=partner).exists():
        initial["partner"] = int(partner)
    form = ExchangeForm(request.POST or None, initial=initial)

    def save(data):
        return services.exchange_record(
            actor=request.user,
            employee=data["employee"],
            direction=data["direction"],
            partner=data["partner"],
            event=data["event"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            hours=data["hours"],
            **form.translations(data),
        )

    return form_page(
        request,
        form,
        save,
        title=_("Record an exchange of specialists"),
        crumbs=[(_("Exchanges of specialists"), reverse("cooperation:exchanges"))],
        done=reverse("cooperation:exchanges"),
        saved=_("The exchange is recorded and entered in the employee's training records."),
    )


urlpatterns = [
    path("exchanges/", exchange_list, name="exchanges"),
    path("exchanges/new/", exchange_record, name="exchange_record"),
]
