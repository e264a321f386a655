"""The partners: the overview with each partner's activity over the last year, and one page per
partner with everything about it in tabs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from opora.core.forms import form_page
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page
from opora.core.tabs import HISTORY, OVERVIEW, Tab, chosen_tab, history_rows

from .. import selectors, services
from ..access import COOPERATION_MANAGE, COOPERATION_VIEW
from ..forms import PartnerFilterForm, PartnerForm, PersonForm, PositionForm
from ..selectors import pages

PARTNER_COLUMNS = [
    Column("name", gettext_lazy("Partner"), "name"),
    Column("kind", gettext_lazy("Kind"), "kind"),
    Column("country", gettext_lazy("Country"), "country"),
    Column("events", gettext_lazy("Events")),
    Column("letters", gettext_lazy("Letters")),
    Column("aid", gettext_lazy("Aid deliveries")),
    Column("needs", gettext_lazy("Open needs")),
]

PARTNER_TABS = [
    OVERVIEW,
    Tab("timeline", pgettext_lazy("partner", "Timeline")),
    Tab("agreements", gettext_lazy("Agreements")),
    Tab("events", gettext_lazy("Events")),
    Tab("letters", gettext_lazy("Letters")),
    Tab("needs", gettext_lazy("Needs and aid")),
    HISTORY,
]

ACTIVITY_DAYS = 365


def partner_url(partner: Any, tab: str = "") -> str:
    url = reverse("cooperation:partner", args=[partner.pk])
    return f"{url}?tab={tab}" if tab else url


def partner_crumbs(partner: Any, tab: str = "") -> list[tuple[str, str]]:
    return [
        (_("Partners"), reverse("cooperation:partners")),
        (str(partner), partner_url(partner, tab)),
    ]


def activity_since(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=ACTIVITY_DAYS)


@require(COOPERATION_VIEW)
def partner_list(request):
    form = PartnerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.partner_list(
        actor=request.user,
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        country=filters.get("country", ""),
    )
    table = sorted_page(request, qs, PARTNER_COLUMNS, default_sort="name")
    activity = selectors.partner_activity(since=activity_since(timezone.localdate()))
    rows = [{"partner": p, "activity": activity.get(p.pk)} for p in table.rows]
    context = {
        "table": table,
        "rows": rows,
        "form": form,
        "filtered": any(filters.get(key) for key in form.fields),
        "can_manage": has_permission(request.user, COOPERATION_MANAGE),
    }
    return render_page(request, "cooperation/partners/list.html", context, partial="results")


@require(COOPERATION_VIEW)
def partner_detail(request, pk: int):
    partner = selectors.partner_get(actor=request.user, pk=pk)
    tab = chosen_tab(request, PARTNER_TABS)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "partner": partner,
        "tab": tab,
        "tabs": PARTNER_TABS,
        "today": today,
        "can_manage": has_permission(request.user, COOPERATION_MANAGE),
    }
    if tab == OVERVIEW.key:
        context["people"] = pages.people_of(partner, on=today)
        context["partnerships"] = pages.partnerships_of(partner)
        context["children"] = pages.partner_choices().filter(parent=partner)
    elif tab == "timeline":
        context["timeline"] = selectors.partner_timeline(partner)
    elif tab == "agreements":
        context["agreements"] = pages.agreements_of(partner)
    elif tab == "events":
        context["events"] = pages.events_of(partner)
    elif tab == "letters":
        context["letters"] = pages.letters_of(partner)
    elif tab == "needs":
        context["needs"] = pages.needs_of(partner)
        context["deliveries"] = pages.aid_of(partner)
    elif tab == HISTORY.key:
        context["history"] = history_rows(partner)
    return render_page(request, "cooperation/partners/detail.html", context, partial="tab-body")


def _partner_fields(form: PartnerForm, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": data["code"],
        "kind": data["kind"],
        "country": data["country"],
        "parent": data["parent"],
        "languages": data["languages"],
        "website": data["website"],
        "email": data["email"],
        "notes": data["notes"],
        "is_active": data["is_active"],
        **form.translations(data),
    }


@require(COOPERATION_MANAGE)
def partner_create(request):
    form = PartnerForm(request.POST or None)

    def save(data):
        return services.partner_create(actor=request.user, **_partner_fields(form, data))

    return form_page(
        request,
        form,
        save,
        title=_("New partner"),
        crumbs=[(_("Partners"), reverse("cooperation:partners"))],
        done=partner_url,
        saved=_("The partner is added."),
    )


@require(COOPERATION_MANAGE)
def partner_edit(request, pk: int):
    partner = selectors.partner_get(actor=request.user, pk=pk)
    initial = {
        "code": partner.code,
        "kind": partner.kind,
        "country": partner.country,
        "parent": partner.parent_id,
        "languages": partner.languages,
        "website": partner.website,
        "email": partner.email,
        "notes": partner.notes,
        "is_active": partner.is_active,
        **PartnerForm.initial_of(partner),
    }
    form = PartnerForm(request.POST or None, initial=initial, exclude=partner)

    def save(data):
        return services.partner_update(
            actor=request.user, partner=partner, **_partner_fields(form, data)
        )

    return form_page(
        request,
        form,
        save,
        title=_("Change the partner %(name)s") % {"name": partner},
        crumbs=partner_crumbs(partner),
        done=partner_url(partner),
    )


@require(COOPERATION_MANAGE)
def person_add(request, pk: int):
    partner = selectors.partner_get(actor=request.user, pk=pk)
    form = PersonForm(request.POST or None)

    def save(data):
        return services.person_add(actor=request.user, partner=partner, **data)

    return form_page(
        request,
        form,
        save,
        title=_("A representative of %(name)s") % {"name": partner},
        crumbs=partner_crumbs(partner),
        done=partner_url(partner),
        saved=_("The representative is added; add the position."),
    )


@require(COOPERATION_MANAGE)
def position_add(request, pk: int, person: int):
    partner = selectors.partner_get(actor=request.user, pk=pk)
    found = pages.person_get(partner=partner, pk=person)
    form = PositionForm(request.POST or None, initial={"valid_from": timezone.localdate()})

    def save(data):
        return services.position_add(
            actor=request.user,
            person=found,
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            **form.translations(data),
        )

    return form_page(
        request,
        form,
        save,
        title=_("A position of %(name)s") % {"name": found.full_name},
        crumbs=partner_crumbs(partner),
        done=partner_url(partner),
        saved=_("The position is recorded."),
        intro=_("A new position without an end closes the one held before on the day before."),
    )


urlpatterns = [
    path("partners/", partner_list, name="partners"),
    path("partners/new/", partner_create, name="partner_create"),
    path("partners/<int:pk>/", partner_detail, name="partner"),
    path("partners/<int:pk>/edit/", partner_edit, name="partner_edit"),
    path("partners/<int:pk>/people/add/", person_add, name="person_add"),
    path(
        "partners/<int:pk>/people/<int:person>/positions/add/",
        position_add,
        name="position_add",
    ),
]
