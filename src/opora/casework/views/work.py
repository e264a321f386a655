"""The worker's pages: the inbox of what is due today, the overdue lists, home care (caseloads,
the weekly visit plan, the printable day sheet and the quick entry of a day's visits)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opora.core.errors import DomainError
from opora.core.forms import apply_domain_error
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.scoping import Reach, Scope
from opora.core.tables import Column, sorted_page
from opora.registry.models import AddressKind

from .. import selectors, services
from ..access import CASE_VIEW, CASE_WORK, HOMECARE_VIEW, OVERDUE_VIEW
from ..forms_work import DayConfirmForm, DayEntryForm, OverdueFilterForm

# Only the deadline sorts: it is what the indexes of the case table are ordered by.
INBOX_COLUMNS = [
    Column("number", gettext_lazy("Case")),
    Column("person", gettext_lazy("Person")),
    Column("status", gettext_lazy("Status")),
    Column("due", gettext_lazy("Deadline"), "next_due"),
    Column("worker", gettext_lazy("Social worker")),
]

OVERDUE_COLUMNS = [
    Column("number", gettext_lazy("Case")),
    Column("person", gettext_lazy("Person")),
    Column("institution", gettext_lazy("Institution")),
    Column("status", gettext_lazy("Status")),
    Column("due", gettext_lazy("Deadline"), "next_due"),
    Column("late", gettext_lazy("Days overdue")),
    Column("worker", gettext_lazy("Social worker")),
]

# The analyst's columns: nothing that names the person or the worker.
OVERDUE_COLUMNS_WITHOUT_NAMES = [c for c in OVERDUE_COLUMNS if c.key not in {"person", "worker"}]

REVIEWS_SHOWN = 20


def _swaps(request: Any, region: str) -> bool:
    """An HTMX request for one region: the rest of the page is not computed."""
    return bool(request.htmx) and request.htmx.target == region


def _late_rows(cases: Any, today: dt.date) -> list[dict[str, Any]]:
    return [{"case": c, "late": max(0, (today - c.next_due).days)} for c in cases]


# --- The inbox ----------------------------------------------------------------------------------


@require(CASE_VIEW)
def inbox(request):
    today = timezone.localdate()
    table = sorted_page(
        request,
        selectors.due_cases(actor=request.user, on=today),
        INBOX_COLUMNS,
        default_sort="due",
    )
    context: dict[str, Any] = {
        "today": today,
        "table": table,
        "rows": _late_rows(table.rows, today),
    }
    if not _swaps(request, "results"):
        reviews = list(selectors.reviews_due(actor=request.user, on=today)[: REVIEWS_SHOWN + 1])
        employee = selectors.home_care_employee_of(request.user)
        visits = None
        if employee is not None:
            try:
                visits = selectors.day_sheet(actor=request.user, employee=employee, day=today)
            except DomainError as error:
                messages.warning(request, str(error.message))
        context.update(
            reviews=reviews[:REVIEWS_SHOWN],
            more_reviews=len(reviews) > REVIEWS_SHOWN,
            employee=employee,
            visits=visits,
            can_work=has_permission(request.user, CASE_WORK),
        )
    return render_page(request, "casework/work/inbox.html", context, partial="results")


# --- The overdue lists --------------------------------------------------------------------------


def _institution_name(row: dict[str, Any]) -> str:
    if get_language() != "ru" and row["institution__name_en"]:
        return row["institution__name_en"]
    return row["institution__name"]


@require(OVERDUE_VIEW)
def overdue(request):
    today = timezone.localdate()
    named = has_permission(request.user, CASE_VIEW)
    counts = [
        {**row, "name": _institution_name(row)}
        for row in selectors.overdue_by_institution(actor=request.user, on=today)
    ]
    form = OverdueFilterForm(
        request.GET or None, institutions=[(row["institution"], row["name"]) for row in counts]
    )
    # An institution without overdue cases is not among the choices: its list is empty.
    refused = form.is_bound and not form.is_valid()
    institution = form.cleaned_data.get("institution") if form.is_bound and not refused else None
    if named:
        cases = selectors.overdue_cases(
            actor=request.user, on=today, institution=institution
        ).select_related("worker")
        columns = OVERDUE_COLUMNS
    else:
        cases = selectors.overdue_cases_without_names(
            actor=request.user, on=today, institution=institution
        )
        columns = OVERDUE_COLUMNS_WITHOUT_NAMES
    table = sorted_page(request, cases.none() if refused else cases, columns, default_sort="due")
    department = Scope.of(request.user).reach in (Reach.ALL, Reach.AGGREGATES)
    context = {
        "today": today,
        "table": table,
        "rows": _late_rows(table.rows, today),
        "named": named,
        "form": form,
        "counts": counts,
        "department": department,
        "total": sum(row["count"] for row in counts),
        "show_counts": department or len(counts) > 1,
    }
    return render_page(request, "casework/work/overdue.html", context, partial="results")


# --- Home care ----------------------------------------------------------------------------------


def _parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _day_or_404(value: str) -> dt.date:
    day = _parse_day(value)
    if day is None:
        raise Http404
    return day


def _day_url(name: str, employee: Any, day: dt.date) -> str:
    return reverse(name, args=[employee.pk, day.isoformat()])


def _crumbs(employee: Any = None) -> list[tuple[str, str]]:
    crumbs = [(_("Home care"), reverse("casework:caseloads"))]
    if employee is not None:
        crumbs.append((employee.full_name, reverse("casework:worker", args=[employee.pk])))
    return crumbs


@require(HOMECARE_VIEW)
def caseloads(request):
    context = {"summaries": selectors.caseload_summaries(actor=request.user)}
    return render_page(request, "casework/homecare/caseloads.html", context)


@require(HOMECARE_VIEW)
def worker(request, pk: int):
    employee = selectors.worker_get(actor=request.user, pk=pk)
    today = timezone.localdate()
    start = selectors.week_start(_parse_day(request.GET.get("week")) or today)
    try:
        days = selectors.plan_days(actor=request.user, employee=employee, start=start)
        plan_error = ""
    except DomainError as error:
        days, plan_error = [], str(error.message)
    context: dict[str, Any] = {
        "employee": employee,
        "today": today,
        "start": start,
        "end": start + dt.timedelta(days=6),
        "previous_week": (start - dt.timedelta(days=7)).isoformat(),
        "next_week": (start + dt.timedelta(days=7)).isoformat(),
        "this_week": selectors.week_start(today),
        "days": days,
        "plan_error": plan_error,
        "can_work": has_permission(request.user, CASE_WORK),
        "crumbs": _crumbs(),
    }
    if not _swaps(request, "plan"):
        context["caseload"] = selectors.caseload(actor=request.user, employee=employee)
    return render_page(request, "casework/homecare/worker.html", context, partial="plan")


def _address(person: Any) -> Any:
    """Where the visit goes: the actual address, else the registration one (prefetched)."""
    addresses = {a.kind: a for a in person.addresses.all()}
    return addresses.get(AddressKind.ACTUAL) or addresses.get(AddressKind.REGISTRATION)


def _visits_of_day(request, employee: Any, day: dt.date) -> tuple[list, str]:
    try:
        return selectors.day_sheet(actor=request.user, employee=employee, day=day), ""
    except DomainError as error:
        return [], str(error.message)


def _day_sheet_page(request, employee: Any, on: dt.date, form: DayConfirmForm | None = None):
    """The day sheet: the planned visits with what is already recorded and, for a day that
    has come, the one action that records the rest as planned with the marked exceptions."""
    visits, error = _visits_of_day(request, employee, on)
    can_confirm = has_permission(request.user, CASE_WORK) and on <= timezone.localdate()
    form = form or DayConfirmForm(visits=visits)
    rows = form.rows(_address)
    open_count = sum(1 for row in rows if not row.visit.recorded)
    context = {
        "employee": employee,
        "day": on,
        "rows": rows,
        "form": form,
        "planned": len(rows),
        "recorded": len(rows) - open_count,
        "open": open_count,
        "error": error,
        "can_work": has_permission(request.user, CASE_WORK),
        "can_confirm": can_confirm and open_count > 0,
        "future": on > timezone.localdate(),
        "previous_day": _day_url("casework:day_sheet", employee, on - dt.timedelta(days=1)),
        "next_day": _day_url("casework:day_sheet", employee, on + dt.timedelta(days=1)),
        "crumbs": _crumbs(employee),
    }
    return render_page(request, "casework/homecare/day_sheet.html", context)


@require(HOMECARE_VIEW)
def day_sheet(request, pk: int, day: str):
    employee = selectors.worker_get(actor=request.user, pk=pk)
    return _day_sheet_page(request, employee, _day_or_404(day))


@require(CASE_WORK)
@require_POST
def day_confirm(request, pk: int, day: str):
    """Every open visit of the day delivered as planned, but for the exceptions marked."""
    employee = selectors.worker_get(actor=request.user, pk=pk)
    on = _day_or_404(day)
    visits, _error = _visits_of_day(request, employee, on)
    form = DayConfirmForm(request.POST, visits=visits)
    if form.is_valid():
        try:
            done = services.day_confirm(
                actor=request.user, worker=employee, day=on, exceptions=form.exceptions()
            )
        except DomainError as refusal:
            if "case" in refusal.details and isinstance(refusal.details["case"], int):
                form.refuse_line(refusal.details["case"], str(refusal.message))
            else:
                apply_domain_error(form, refusal)
        else:
            if done.written:
                messages.success(request, _recorded_message(done.delivered, done.missed))
            else:
                messages.info(request, _("Every visit of the day was already recorded."))
            return redirect(_day_url("casework:day_sheet", employee, on))
    return _day_sheet_page(request, employee, on, form)


def _recorded_message(delivered_count: int, missed_count: int) -> str:
    delivered = ngettext(
        "%(count)s service delivered", "%(count)s services delivered", delivered_count
    ) % {"count": delivered_count}
    missed = ngettext("%(count)s missed visit", "%(count)s missed visits", missed_count) % {
        "count": missed_count
    }
    return _("Recorded: %(delivered)s, %(missed)s.") % {"delivered": delivered, "missed": missed}


@require(HOMECARE_VIEW)
def day_sheet_of(request, pk: int):
    """The day sheet of ``?day=``, from the date picker of the plan."""
    employee = selectors.worker_get(actor=request.user, pk=pk)
    on = _day_or_404(request.GET.get("day", ""))
    return redirect(_day_url("casework:day_sheet", employee, on))


@require(CASE_WORK)
def day_entry(request, pk: int, day: str):
    employee = selectors.worker_get(actor=request.user, pk=pk)
    on = _day_or_404(day)
    visits, error = _visits_of_day(request, employee, on)
    form = DayEntryForm(request.POST if request.method == "POST" else None, visits=visits)
    if request.method == "POST" and form.is_valid():
        lines = form.lines()
        try:
            counts = services.day_record(actor=request.user, worker=employee, day=on, lines=lines)
        except DomainError as refusal:
            if "case" in refusal.details:
                form.refuse_line(refusal.details["case"], str(refusal.message))
            else:
                apply_domain_error(form, refusal)
        else:
            messages.success(request, _recorded_message(counts["delivered"], counts["missed"]))
            return redirect(_day_url("casework:day_sheet", employee, on))
    context = {
        "employee": employee,
        "day": on,
        "form": form,
        "rows": form.rows(),
        "recorded": [v for v in visits if v.recorded],
        "error": error,
        "sheet_url": _day_url("casework:day_sheet", employee, on),
        "crumbs": [
            *_crumbs(employee),
            (on.strftime("%d.%m.%Y"), _day_url("casework:day_sheet", employee, on)),
        ],
    }
    return render_page(request, "casework/homecare/day_entry.html", context)


# Days are plain path segments checked by the view: a malformed one is a 404, not a 500.
urlpatterns = [
    path("inbox/", inbox, name="inbox"),
    path("overdue/", overdue, name="overdue"),
    path("home-care/", caseloads, name="caseloads"),
    path("home-care/<int:pk>/", worker, name="worker"),
    path("home-care/<int:pk>/day/", day_sheet_of, name="day_sheet_of"),
    path("home-care/<int:pk>/day/<str:day>/", day_sheet, name="day_sheet"),
    path("home-care/<int:pk>/day/<str:day>/entry/", day_entry, name="day_entry"),
    path("home-care/<int:pk>/day/<str:day>/confirm/", day_confirm, name="day_confirm"),
]
