"""The measures: the list, a measure with its versions and rules as sentences, the draft editor,
the comparison of a draft with the version in force, publishing and discarding."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opora.core.errors import DomainError
from opora.core.forms import form_page
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page
from opora.core.tabs import HISTORY, OVERVIEW, Tab, chosen_tab, history_rows

from .. import criteria, selectors, services
from ..access import MEASURE_MANAGE, MEASURE_VIEW
from ..forms import (
    MeasureEditForm,
    MeasureEndForm,
    MeasureFilterForm,
    MeasureForm,
    VersionForm,
    apply_rule_error,
)
from ..models import Measure, MeasureVersion, VersionStatus

COLUMNS = [
    Column("name", gettext_lazy("Measure"), "name"),
    Column("kind", gettext_lazy("Kind"), "kind"),
    Column("beneficiary", gettext_lazy("Who applies"), "beneficiary"),
    Column("ended_on", gettext_lazy("No longer granted from"), "ended_on"),
]
TABS = [OVERVIEW, Tab("versions", gettext_lazy("Versions")), HISTORY]
VERSION_FIELDS = (
    "valid_from",
    "legal_basis",
    "eligibility",
    "amount",
    "periodicity",
    "decision_working_days",
    "term_months",
    "review_months",
    "documents",
    "amount_floor",
    "amount_ceiling",
    "note",
)


def measure_url(measure: Measure, tab: str = "") -> str:
    url = reverse("assistance:measure", args=[measure.pk])
    return f"{url}?tab={tab}" if tab else url


def version_url(version: MeasureVersion) -> str:
    return reverse("assistance:version", args=[version.pk])


def _crumbs(measure: Measure | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Measures of social support"), reverse("assistance:measures"))]
    if measure is not None:
        crumbs.append((measure.display_name, measure_url(measure)))
    return crumbs


def rule_lines(version: MeasureVersion | None) -> dict[str, Any]:
    """A version's two rules as sentences (the page never shows the JSON alone)."""
    if version is None:
        return {"eligibility": [], "amount": []}
    return {
        "eligibility": criteria.describe(version.eligibility),
        "amount": criteria.describe_amount(version.amount) if version.amount else [],
    }


@require(MEASURE_VIEW)
def measure_list(request):
    form = MeasureFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.measures(
        actor=request.user, q=filters.get("q", ""), kind=filters.get("kind", "")
    )
    context = {
        "form": form,
        "table": sorted_page(request, qs, COLUMNS, default_sort="name"),
        "filtered": any(filters.get(key) for key in form.fields),
        "can_manage": has_permission(request.user, MEASURE_MANAGE),
    }
    return render_page(request, "assistance/measures/list.html", context, partial="results")


@require(MEASURE_MANAGE)
def measure_add(request):
    form = MeasureForm(request.POST or None, initial={"beneficiary": "person"})
    return form_page(
        request,
        form,
        lambda data: services.measure_create(actor=request.user, **data),
        title=_("New measure of social support"),
        crumbs=_crumbs(),
        done=lambda measure: measure_url(measure),
    )


MEASURE_EDITABLE = ("name", "name_en", "kind", "description", "description_en")


@require(MEASURE_MANAGE)
def measure_edit(request, pk: int):
    measure = selectors.measure_get(actor=request.user, pk=pk)
    initial = {name: getattr(measure, name) for name in MEASURE_EDITABLE}
    form = MeasureEditForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.measure_update(actor=request.user, measure=measure, **data),
        title=_("Edit the measure"),
        crumbs=_crumbs(measure),
        done=lambda saved: measure_url(saved),
        saved=_("The measure is saved."),
        intro=_("The code and who applies stay as they were given."),
    )


@require(MEASURE_MANAGE)
def measure_end(request, pk: int):
    measure = selectors.measure_get(actor=request.user, pk=pk)
    form = MeasureEndForm(request.POST or None, initial={"ended_on": measure.ended_on})
    return form_page(
        request,
        form,
        lambda data: services.measure_end(
            actor=request.user, measure=measure, ended_on=data["ended_on"]
        ),
        title=_("No longer granted from"),
        crumbs=_crumbs(measure),
        done=lambda saved: measure_url(saved),
        saved=_("The measure is saved."),
    )


@require(MEASURE_VIEW)
def measure_detail(request, pk: int):
    measure = selectors.measure_get(actor=request.user, pk=pk)
    tab = chosen_tab(request, TABS)
    today = timezone.localdate()
    in_force = selectors.version_in_force(measure=measure, on=today)
    versions = list(selectors.versions_of(actor=request.user, measure=measure))
    context: dict[str, Any] = {
        "measure": measure,
        "tab": tab,
        "tabs": TABS,
        "today": today,
        "in_force": in_force,
        "versions": versions,
        "drafts": [v for v in versions if v.status == VersionStatus.DRAFT],
        "can_manage": has_permission(request.user, MEASURE_MANAGE),
    }
    if tab == OVERVIEW.key:
        context["lines"] = rule_lines(in_force)
    elif tab == HISTORY.key:
        context["history"] = history_rows(measure)
    return render_page(request, "assistance/measures/detail.html", context, partial="tab-body")


@require(MEASURE_VIEW)
def version_detail(request, pk: int):
    version = selectors.version_get(actor=request.user, pk=pk)
    context = {
        "version": version,
        "measure": version.measure,
        "lines": rule_lines(version),
        "crumbs": _crumbs(version.measure),
        "can_manage": has_permission(request.user, MEASURE_MANAGE),
        "history": history_rows(version),
    }
    return render_page(request, "assistance/measures/version.html", context)


def _editor(request, form: VersionForm, save, *, measure: Measure, title: str, version=None):
    """The draft editor: the form with the rules' errors by their path, and the rules as
    sentences of what was last saved."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.version_fields())
        except DomainError as error:
            apply_rule_error(form, error)
        else:
            messages.success(
                request, _("The draft is saved. Compare it with the version in force.")
            )
            return redirect(reverse("assistance:version_compare", args=[result.pk]))
    context = {
        "form": form,
        "title": title,
        "measure": measure,
        "version": version,
        "lines": rule_lines(version),
        "crumbs": _crumbs(measure),
    }
    return render_page(request, "assistance/measures/editor.html", context)


@require(MEASURE_MANAGE)
def version_new(request, pk: int):
    measure = selectors.measure_get(actor=request.user, pk=pk)
    versions = list(selectors.versions_of(actor=request.user, measure=measure))
    # A new version usually changes a little of the latest one: it starts as its copy.
    latest = versions[0] if versions else None
    initial: dict[str, Any] = {"valid_from": timezone.localdate()}
    if latest is not None:
        initial |= {name: getattr(latest, name) for name in VERSION_FIELDS if name != "valid_from"}
    else:
        initial |= {"eligibility": {"all": []}, "decision_working_days": 10}
    form = VersionForm(request.POST or None, initial=initial)
    return _editor(
        request,
        form,
        lambda data: services.version_draft(actor=request.user, measure=measure, **data),
        measure=measure,
        title=_("New version of %(measure)s") % {"measure": measure.display_name},
    )


@require(MEASURE_MANAGE)
def version_edit(request, pk: int):
    version = selectors.version_get(actor=request.user, pk=pk)
    initial = {name: getattr(version, name) for name in VERSION_FIELDS}
    form = VersionForm(request.POST or None, initial=initial)

    def save(data):
        services.version_update(actor=request.user, version=version, **data)
        return version

    return _editor(
        request,
        form,
        save,
        measure=version.measure,
        version=version,
        title=_("Draft version %(number)s") % {"number": version.number},
    )


@require(MEASURE_VIEW)
def version_compare(request, pk: int):
    version = selectors.version_get(actor=request.user, pk=pk)
    comparison = selectors.version_comparison(actor=request.user, version=version)
    context = {
        "version": version,
        "measure": version.measure,
        "comparison": comparison,
        "crumbs": _crumbs(version.measure),
        "can_manage": has_permission(request.user, MEASURE_MANAGE),
        "is_draft": version.status == VersionStatus.DRAFT,
    }
    return render_page(request, "assistance/measures/compare.html", context)


def _version_step(request, pk: int, step, done: str) -> Any:
    version = selectors.version_get(actor=request.user, pk=pk)
    try:
        step(actor=request.user, version=version)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(reverse("assistance:version_compare", args=[version.pk]))
    messages.success(request, done)
    return redirect(measure_url(version.measure, "versions"))


@require(MEASURE_MANAGE)
@require_POST
def version_publish(request, pk: int):
    return _version_step(request, pk, services.version_publish, _("The version is published."))


@require(MEASURE_MANAGE)
@require_POST
def version_discard(request, pk: int):
    return _version_step(request, pk, services.version_discard, _("The draft is discarded."))


urlpatterns = [
    path("measures/", measure_list, name="measures"),
    path("measures/add/", measure_add, name="measure_add"),
    path("measures/<int:pk>/", measure_detail, name="measure"),
    path("measures/<int:pk>/edit/", measure_edit, name="measure_edit"),
    path("measures/<int:pk>/end/", measure_end, name="measure_end"),
    path("measures/<int:pk>/versions/new/", version_new, name="version_new"),
    path("versions/<int:pk>/", version_detail, name="version"),
    path("versions/<int:pk>/edit/", version_edit, name="version_edit"),
    path("versions/<int:pk>/compare/", version_compare, name="version_compare"),
    path("versions/<int:pk>/publish/", version_publish, name="version_publish"),
    path("versions/<int:pk>/discard/", version_discard, name="version_discard"),
]
