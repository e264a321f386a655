"""The assignments: the list, an assignment with its period, amount and history, the steps
(suspend, resume, terminate, recalculate), the overpayments found on it, the list of all
overpayments and the review list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404
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
from opora.core.tabs import history_rows

from .. import selectors, services
from ..access import APPLICATION_VIEW, ASSIGNMENT_MANAGE
from ..forms import (
    AssignmentFilterForm,
    OverpaymentFilterForm,
    OverpaymentForm,
    SettleForm,
    StepForm,
)
from ..models import Assignment, AssignmentStatus

COLUMNS = [
    Column("number", gettext_lazy("Number"), "pk"),
    Column("person", gettext_lazy("Recipient"), "person__last_name"),
    Column("measure", gettext_lazy("Measure"), "measure__name"),
    Column("amount", gettext_lazy("Amount, roubles"), "amount"),
    Column("starts_on", gettext_lazy("From"), "starts_on"),
    Column("ends_on", gettext_lazy("To"), "ends_on"),
    Column("status", gettext_lazy("Status"), "status"),
]
OVERPAYMENT_COLUMNS = [
    Column("assignment", gettext_lazy("Assignment"), "assignment_id"),
    Column("person", gettext_lazy("Recipient"), "assignment__person__last_name"),
    Column("period", gettext_lazy("Paid in"), "period_from"),
    Column("amount", gettext_lazy("Amount, roubles"), "amount"),
    Column("reason", gettext_lazy("Reason")),
    Column("found_on", gettext_lazy("Found on"), "found_on"),
    Column("status", gettext_lazy("Status"), "status"),
]


@dataclass(frozen=True)
class Step:
    """One of the changes of an assignment the page offers, with what it says."""

    title: Any
    service: Any
    saved: Any
    allowed_from: tuple[str, ...]


STEPS = {
    "suspend": Step(
        gettext_lazy("Suspend the payments"),
        services.assignment_suspend,
        gettext_lazy("The payments are suspended."),
        (AssignmentStatus.ACTIVE,),
    ),
    "resume": Step(
        gettext_lazy("Resume the payments"),
        services.assignment_resume,
        gettext_lazy("The payments are resumed."),
        (AssignmentStatus.SUSPENDED,),
    ),
    "terminate": Step(
        gettext_lazy("Terminate the assignment"),
        services.assignment_terminate,
        gettext_lazy("The assignment is terminated."),
        (AssignmentStatus.ACTIVE, AssignmentStatus.SUSPENDED),
    ),
    "recalculate": Step(
        gettext_lazy("Recalculate the amount"),
        services.assignment_recalculate,
        gettext_lazy("The assignment is recalculated with the rules in force on the day."),
        (AssignmentStatus.ACTIVE, AssignmentStatus.SUSPENDED),
    ),
}


def assignment_url(assignment: Assignment) -> str:
    return reverse("assistance:assignment", args=[assignment.pk])


def _crumbs(assignment: Assignment | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Assignments"), reverse("assistance:assignments"))]
    if assignment is not None:
        crumbs.append(
            (_("Assignment %(number)s") % {"number": assignment.pk}, assignment_url(assignment))
        )
    return crumbs


@require(APPLICATION_VIEW)
def assignment_list(request):
    form = AssignmentFilterForm(request.GET or None, actor=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.assignments(
        actor=request.user, status=filters.get("status", ""), measure=filters.get("measure")
    )
    context = {
        "form": form,
        "table": sorted_page(request, qs, COLUMNS, default_sort="-starts_on"),
        "filtered": any(filters.get(key) not in (None, "") for key in form.fields),
    }
    return render_page(request, "assistance/assignments/list.html", context, partial="results")


@require(APPLICATION_VIEW)
def assignment_detail(request, pk: int):
    assignment = selectors.assignment_get(actor=request.user, pk=pk)
    can_manage = has_permission(request.user, ASSIGNMENT_MANAGE)
    context = {
        "assignment": assignment,
        "events": list(assignment.events.all()),
        "overpayments": list(assignment.overpayments.all()),
        "steps": [
            (key, step)
            for key, step in STEPS.items()
            if can_manage and assignment.status in step.allowed_from
        ],
        "can_manage": can_manage,
        "settle_form": SettleForm(),
        "history": history_rows(assignment),
    }
    return render_page(request, "assistance/assignments/detail.html", context)


@require(ASSIGNMENT_MANAGE)
def assignment_step(request, pk: int, step: str):
    if step not in STEPS:
        raise Http404
    chosen = STEPS[step]
    assignment = selectors.assignment_get(actor=request.user, pk=pk)
    form = StepForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: chosen.service(
            actor=request.user, assignment=assignment, on=data["on"], reason=data["reason"]
        ),
        title=str(chosen.title),
        crumbs=_crumbs(assignment),
        done=assignment_url(assignment),
        saved=str(chosen.saved),
    )


@require(ASSIGNMENT_MANAGE)
def overpayment_add(request, pk: int):
    assignment = selectors.assignment_get(actor=request.user, pk=pk)
    form = OverpaymentForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.overpayment_record(actor=request.user, assignment=assignment, **data),
        title=_("Record an overpayment"),
        crumbs=_crumbs(assignment),
        done=assignment_url(assignment),
        saved=_("The overpayment is recorded."),
    )


@require(ASSIGNMENT_MANAGE)
@require_POST
def overpayment_settle(request, pk: int):
    overpayment = selectors.overpayments(actor=request.user).filter(pk=pk).first()
    if overpayment is None:
        raise Http404
    form = SettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether it was recovered or written off."))
    else:
        try:
            services.overpayment_settle(
                actor=request.user, overpayment=overpayment, status=form.cleaned_data["status"]
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The overpayment is settled."))
    return redirect(request.POST.get("next") or assignment_url(overpayment.assignment))


@require(APPLICATION_VIEW)
def overpayment_list(request):
    form = OverpaymentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.overpayments(actor=request.user, status=filters.get("status", ""))
    context = {
        "form": form,
        "table": sorted_page(request, qs, OVERPAYMENT_COLUMNS, default_sort="-found_on"),
        "filtered": bool(filters.get("status")),
        "can_manage": has_permission(request.user, ASSIGNMENT_MANAGE),
    }
    return render_page(
        request, "assistance/assignments/overpayments.html", context, partial="results"
    )


@require(APPLICATION_VIEW)
def review_list(request):
    today = timezone.localdate()
    try:
        within = int(request.GET.get("within", 30))
    except ValueError:
        within = 30
    within = max(0, min(within, 366))
    rows = selectors.review_list(actor=request.user, today=today, within_days=within)
    context = {"rows": list(rows), "today": today, "within": within}
    return render_page(request, "assistance/assignments/review.html", context)


urlpatterns = [
    path("assignments/", assignment_list, name="assignments"),
    path("assignments/<int:pk>/", assignment_detail, name="assignment"),
    path("assignments/<int:pk>/overpayments/add/", overpayment_add, name="overpayment_add"),
    path("assignments/<int:pk>/<slug:step>/", assignment_step, name="assignment_step"),
    path("overpayments/", overpayment_list, name="overpayments"),
    path("overpayments/<int:pk>/settle/", overpayment_settle, name="overpayment_settle"),
    path("reviews/", review_list, name="reviews"),
]
