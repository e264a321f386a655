"""Pages of institutions and districts. Staff pages are in ``staff_views.py``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.core.forms import form_page
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page
from opora.core.tabs import HISTORY, OVERVIEW, Tab, chosen_tab, history_rows

from . import selectors, services
from .access import (
    INSTITUTION_EDIT,
    INSTITUTION_MANAGE,
    INSTITUTION_VIEW,
    STAFF_EDIT,
    STAFF_VIEW,
)
from .forms import (
    DistrictFilterForm,
    DistrictForm,
    InstitutionFilterForm,
    InstitutionForm,
    StatusForm,
)

COLUMNS = [
    Column("name", gettext_lazy("Name"), "name"),
    Column("kind", gettext_lazy("Kind"), "kind__position"),
    Column("district", gettext_lazy("District"), "district__name"),
    Column("staff", gettext_lazy("Staff"), "staff_count"),
    Column("status", gettext_lazy("Status"), "status"),
]
STAFF_TAB = Tab("staff", gettext_lazy("Staff"))
TABS = [OVERVIEW, STAFF_TAB, HISTORY]
STAFF_COLUMNS = [
    Column("name", gettext_lazy("Full name"), "employee__last_name"),
    Column("position", gettext_lazy("Position"), "position__name"),
    Column("hired_on", gettext_lazy("Hired on"), "hired_on"),
    Column("caseload", gettext_lazy("Caseload limit"), "caseload_limit"),
]


# --- Institutions -----------------------------------------------------------------------------


@require(INSTITUTION_VIEW)
def institution_list(request):
    form = InstitutionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    institutions = selectors.institution_list(
        actor=request.user,
        q=(filters.get("q") or "").strip(),
        district=filters["district"].pk if filters.get("district") else None,
        kind=filters["kind"].code if filters.get("kind") else "",
        status=filters.get("status") or "",
    )
    table = sorted_page(request, institutions, COLUMNS, default_sort="name")
    context = {
        "table": table,
        "form": form,
        "filtered": any(filters.values()),
        "can_create": has_permission(request.user, INSTITUTION_MANAGE),
    }
    return render_page(request, "institutions/list.html", context, partial="results")


def _can_edit(request, institution) -> bool:
    return has_permission(request.user, INSTITUTION_EDIT) and selectors.institution_is_editable(
        actor=request.user, institution_id=institution.pk
    )


@require(INSTITUTION_VIEW)
def institution_detail(request, pk: int):
    institution = selectors.institution_get(actor=request.user, pk=pk)
    tab = chosen_tab(request, TABS)
    can_edit = _can_edit(request, institution)
    context: dict[str, Any] = {
        "institution": institution,
        "tab": tab,
        "tabs": TABS,
        "can_edit": can_edit,
    }
    if tab == OVERVIEW.key:
        context.update(
            capacities=selectors.capacity_rows(institution),
            status_history=selectors.status_history(institution),
            children=selectors.children_of(actor=request.user, institution=institution),
        )
    elif tab == STAFF_TAB.key:
        context["counts"] = selectors.staff_counts(actor=request.user, institution=institution.pk)
        if has_permission(request.user, STAFF_VIEW):
            context["table"] = sorted_page(
                request,
                selectors.staff_of(actor=request.user, institution=institution),
                STAFF_COLUMNS,
                default_sort="name",
            )
            context["can_hire"] = can_edit and has_permission(request.user, STAFF_EDIT)
    else:
        context["history"] = history_rows(institution)
    return render_page(request, "institutions/detail.html", context, partial="tab-body")


def _detail_url(institution) -> str:
    return reverse("institutions:detail", args=[institution.pk])


@require(INSTITUTION_MANAGE)
def institution_create(request):
    form = InstitutionForm(request.POST or None, structural=True, creating=True)

    def save(_cleaned):
        data, capacities, _reason = form.split()
        return services.institution_create(actor=request.user, capacities=capacities, **data)

    return form_page(
        request,
        form,
        save,
        title=_("New institution"),
        crumbs=[(_("Institutions"), reverse("institutions:list"))],
        done=_detail_url,
        saved=_("The institution was added."),
    )


@require(INSTITUTION_EDIT)
def institution_edit(request, pk: int):
    institution = selectors.institution_get_editable(actor=request.user, pk=pk)
    form = InstitutionForm(
        request.POST or None,
        initial=InstitutionForm.initial_for(institution),
        structural=has_permission(request.user, INSTITUTION_MANAGE),
        creating=False,
        exclude_pk=institution.pk,
    )

    def save(_cleaned):
        data, capacities, reason = form.split()
        return services.institution_update(
            actor=request.user,
            institution=institution,
            reason=reason,
            capacities=capacities,
            **data,
        )

    return form_page(
        request,
        form,
        save,
        title=_("Change the institution"),
        crumbs=[
            (_("Institutions"), reverse("institutions:list")),
            (institution.display_name, _detail_url(institution)),
        ],
        done=_detail_url,
        saved=_("The changes were saved."),
    )


@require(INSTITUTION_EDIT)
def institution_status(request, pk: int):
    institution = selectors.institution_get_editable(actor=request.user, pk=pk)
    form = StatusForm(request.POST or None, current=institution.status)

    def save(cleaned):
        services.institution_set_status(actor=request.user, institution=institution, **cleaned)
        return institution

    return form_page(
        request,
        form,
        save,
        title=_("Change the status"),
        intro=_("Now %(status)s since %(date)s. The change is kept in the status history.")
        % {
            "status": institution.get_status_display(),
            "date": date_format(institution.status_since, "SHORT_DATE_FORMAT")
            if institution.status_since
            else "—",
        },
        crumbs=[
            (_("Institutions"), reverse("institutions:list")),
            (institution.display_name, _detail_url(institution)),
        ],
        done=_detail_url,
        saved=_("The status was recorded."),
    )


# --- Districts --------------------------------------------------------------------------------

DISTRICT_COLUMNS = [
    Column("name", gettext_lazy("Name"), "name"),
    Column("population", gettext_lazy("Population"), "population"),
    Column("institutions", gettext_lazy("Institutions"), "institution_count"),
]


@require(INSTITUTION_VIEW)
def district_list(request):
    form = DistrictFilterForm(request.GET or None)
    query = (form.cleaned_data.get("q") or "").strip() if form.is_valid() else ""
    table = sorted_page(
        request,
        selectors.district_list(actor=request.user, q=query),
        DISTRICT_COLUMNS,
        default_sort="name",
    )
    context = {
        "table": table,
        "form": form,
        "query": query,
        "can_manage": has_permission(request.user, INSTITUTION_MANAGE),
    }
    return render_page(request, "institutions/districts/list.html", context, partial="results")


@require(INSTITUTION_VIEW)
def district_detail(request, pk: int):
    district = selectors.district_get(actor=request.user, pk=pk)
    institutions = selectors.institution_list(actor=request.user, district=district.pk).order_by(
        "kind__position", "name"
    )
    context = {
        "district": district,
        "institutions": institutions,
        "can_manage": has_permission(request.user, INSTITUTION_MANAGE),
    }
    return render_page(request, "institutions/districts/detail.html", context)


def _district_url(district) -> str:
    return reverse("institutions:district", args=[district.pk])


@require(INSTITUTION_MANAGE)
def district_create(request):
    form = DistrictForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda cleaned: services.district_create(actor=request.user, **cleaned),
        title=_("New district"),
        crumbs=[(_("Districts"), reverse("institutions:districts"))],
        done=_district_url,
        saved=_("The district was added."),
    )


@require(INSTITUTION_MANAGE)
def district_edit(request, pk: int):
    district = selectors.district_get(actor=request.user, pk=pk)
    form = DistrictForm(
        request.POST or None,
        initial={f: getattr(district, f) for f in DistrictForm.base_fields},
    )
    return form_page(
        request,
        form,
        lambda cleaned: services.district_update(actor=request.user, district=district, **cleaned),
        title=_("Change the district"),
        crumbs=[
            (_("Districts"), reverse("institutions:districts")),
            (district.display_name, _district_url(district)),
        ],
        done=_district_url,
        saved=_("The changes were saved."),
    )
