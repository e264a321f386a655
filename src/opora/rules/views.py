from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opora.core.errors import DomainError
from opora.core.forms import apply_domain_error, form_page
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page

from . import selectors, services
from .access import FEE_CALCULATE, RULES_MANAGE, RULES_VIEW
from .catalog import rule_spec
from .forms import (
    CalendarDayForm,
    CalendarYearForm,
    FeeForm,
    FreeGroundChangeForm,
    FreeGroundFilterForm,
    FreeGroundForm,
    MinimumFilterForm,
    MinimumForm,
    RegionForm,
    VersionForm,
)
from .models import CalendarDay
from .services import FIRST_CALENDAR_YEAR, LAST_CALENDAR_YEAR


def _can_manage(request) -> bool:
    return has_permission(request.user, RULES_MANAGE)


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Rules in force"), reverse("rules:list")), *more]


# --- Rules ------------------------------------------------------------------------------------


@require(RULES_VIEW)
def rule_list(request):
    today = timezone.localdate()
    return render_page(
        request,
        "rules/list.html",
        {
            "lines": selectors.rule_lines(today=today),
            "today": today,
            "can_manage": _can_manage(request),
        },
    )


@require(RULES_VIEW)
def rule_detail(request, code: str):
    try:
        spec = rule_spec(code)
    except DomainError:
        raise Http404 from None
    today = timezone.localdate()
    return render_page(
        request,
        "rules/rule.html",
        {
            "spec": spec,
            "lines": selectors.rule_lines(today=today, code=code),
            "today": today,
            "can_manage": _can_manage(request),
        },
    )


@require(RULES_MANAGE)
def version_add(request, code: str):
    try:
        spec = rule_spec(code)
    except DomainError:
        raise Http404 from None
    initial = {"service_form": request.GET.get("service_form", "")}
    back = reverse("rules:rule", args=[code])
    return form_page(
        request,
        VersionForm(request.POST or None, spec=spec, initial=initial),
        lambda data: services.rule_version_add(actor=request.user, code=code, **data),
        saved=_("The new version is saved."),
        title=_("New version: %(rule)s") % {"rule": spec.label},
        crumbs=_crumbs((str(spec.label), back)),
        done=back,
        intro=_(
            "The new value is in force from its date until the next version begins; earlier "
            "versions stay as they were."
        ),
    )


# --- Regions and subsistence minimums ---------------------------------------------------------

MINIMUM_COLUMNS = [
    Column("region", gettext_lazy("Region"), "region__name"),
    Column("valid_from", gettext_lazy("Valid from"), "valid_from"),
    Column("per_capita", gettext_lazy("Per capita"), "per_capita"),
    Column("working_age", gettext_lazy("Working-age"), "working_age"),
    Column("pensioner", gettext_lazy("Pensioners"), "pensioner"),
    Column("child", gettext_lazy("Children"), "child"),
    Column("basis", gettext_lazy("Legal basis")),
]


@require(RULES_VIEW)
def minimum_list(request):
    form = MinimumFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.minimums(region=filters.get("region"), on=filters.get("on"))
    table = sorted_page(request, qs, MINIMUM_COLUMNS, default_sort="-valid_from")
    return render_page(
        request,
        "rules/minimums.html",
        {
            "form": form,
            "table": table,
            "regions": selectors.regions(),
            "can_manage": _can_manage(request),
        },
        partial="results",
    )


@require(RULES_MANAGE)
def minimum_add(request):
    return form_page(
        request,
        MinimumForm(request.POST or None),
        lambda data: services.subsistence_minimum_add(actor=request.user, **data),
        saved=_("The subsistence minimum is saved."),
        title=_("New subsistence minimum"),
        crumbs=_crumbs((_("Subsistence minimums"), reverse("rules:minimums"))),
        done=reverse("rules:minimums"),
    )


@require(RULES_MANAGE)
def region_add(request):
    return form_page(
        request,
        RegionForm(request.POST or None),
        lambda data: services.region_create(actor=request.user, **data),
        saved=_("The region is added."),
        title=_("New region"),
        crumbs=_crumbs((_("Subsistence minimums"), reverse("rules:minimums"))),
        done=reverse("rules:minimums"),
    )


# --- Free-of-charge grounds (442-FZ art. 31 part 1) -------------------------------------------

GROUND_COLUMNS = [
    Column("name", gettext_lazy("Ground"), "name"),
    Column("test", gettext_lazy("Qualifies")),
    Column("valid_from", gettext_lazy("Valid from"), "valid_from"),
    Column("valid_to", gettext_lazy("Valid to"), "valid_to"),
    Column("citation", gettext_lazy("Legal citation")),
]


@require(RULES_VIEW)
def free_ground_list(request):
    form = FreeGroundFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.free_grounds(
        on=filters.get("on"), test=filters.get("test") or "", q=filters.get("q") or ""
    )
    table = sorted_page(request, qs, GROUND_COLUMNS, default_sort="valid_from")
    return render_page(
        request,
        "rules/grounds.html",
        {
            "form": form,
            "table": table,
            "today": timezone.localdate(),
            "can_manage": _can_manage(request),
        },
        partial="results",
    )


def _grounds_crumbs() -> list[tuple[str, str]]:
    return _crumbs((_("Free-of-charge grounds"), reverse("rules:grounds")))


@require(RULES_MANAGE)
def free_ground_add(request):
    return form_page(
        request,
        FreeGroundForm(request.POST or None),
        lambda data: services.free_ground_add(actor=request.user, **data),
        saved=_("The free-of-charge ground is saved."),
        title=_("New free-of-charge ground"),
        crumbs=_grounds_crumbs(),
        done=reverse("rules:grounds"),
        intro=_(
            "Social services are free whatever the income for a recipient who qualifies on the "
            "date: younger than an age, or holding a registry category. Enter either the age "
            "or the category code."
        ),
    )


@require(RULES_MANAGE)
def free_ground_edit(request, pk: int):
    try:
        ground = selectors.free_ground_get(pk)
    except DomainError:
        raise Http404 from None
    initial = {
        name: getattr(ground, name)
        for name in ("name", "name_en", "citation", "citation_en", "valid_to", "note")
    }
    return form_page(
        request,
        FreeGroundChangeForm(request.POST or None, initial=initial),
        lambda data: services.free_ground_update(actor=request.user, ground=ground, **data),
        saved=_("The free-of-charge ground is saved."),
        title=_("Change the ground: %(ground)s") % {"ground": ground.display_name},
        crumbs=_grounds_crumbs(),
        done=reverse("rules:grounds"),
        intro=_(
            "The code, the start and what qualifies stay as they are: when the law changes "
            "them, end this ground and add a new one from the day the change takes effect."
        ),
    )


# --- The working-day calendar -----------------------------------------------------------------


@require(RULES_VIEW)
def calendar_today(request):
    return redirect("rules:calendar", year=timezone.localdate().year)


def _calendar_page(request, year: int, *, day_form=None, year_form=None, status: int = 200):
    calendar = selectors.calendar_years().filter(year=year).first()
    context: dict[str, Any] = {
        "year": year,
        "calendar": calendar,
        "years": selectors.calendar_years(),
        "months": selectors.month_grid(year),
        "days": selectors.calendar_days(year=year),
        "can_manage": _can_manage(request),
        "day_form": day_form or CalendarDayForm(initial={"date": dt.date(year, 1, 1)}),
        "year_form": year_form or CalendarYearForm(initial={"year": year}),
    }
    context["working_total"] = sum(m["working"] for m in context["months"])
    return render_page(request, "rules/calendar.html", context, status=status)


def _year_or_404(year: int) -> int:
    if not FIRST_CALENDAR_YEAR <= year <= LAST_CALENDAR_YEAR:
        raise Http404
    return year


@require(RULES_VIEW)
def calendar_year(request, year: int):
    return _calendar_page(request, _year_or_404(year))


@require(RULES_MANAGE)
@require_POST
def calendar_year_add(request):
    form = CalendarYearForm(request.POST)
    year = form.data.get("year", "")
    if form.is_valid():
        try:
            services.calendar_year_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The calendar of %(year)s is open.") % form.cleaned_data)
            return redirect("rules:calendar", year=form.cleaned_data["year"])
    try:
        shown = _year_or_404(int(year))
    except (ValueError, Http404):
        shown = timezone.localdate().year
    return _calendar_page(request, shown, year_form=form, status=400)


@require(RULES_MANAGE)
@require_POST
def calendar_day_add(request, year: int):
    year = _year_or_404(year)
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        try:
            day = services.calendar_day_add(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("%(day)s is marked.") % {"day": day})
            return redirect("rules:calendar", year=day.date.year)
    return _calendar_page(request, year, day_form=form, status=400)


@require(RULES_MANAGE)
@require_POST
def calendar_day_remove(request, pk: int):
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    services.calendar_day_remove(
        actor=request.user, day=day, reason=request.POST.get("reason", "")[:300]
    )
    messages.success(
        request, _("The mark of %(date)s is removed.") % {"date": day.date.strftime("%d.%m.%Y")}
    )
    return redirect("rules:calendar", year=year)


# --- The fee calculator -----------------------------------------------------------------------


@require(FEE_CALCULATE)
def fee_calculator(request):
    form = FeeForm(request.GET if "income" in request.GET else None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        try:
            context["result"] = services.fee_calculate(**form.cleaned_data)
        except DomainError as error:
            context["error"] = error
    return render_page(request, "rules/fees.html", context, partial="fee-result")
