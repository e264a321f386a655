"""Pages of the staff: the list, an employee's page, hiring, leaving and training.

An employee outside the actor's scope is not found (404); one she sees but may not change
(former staff, or an employment at another institution) is refused (403)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.core.forms import form_page
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page
from opora.core.tabs import HISTORY, OVERVIEW, chosen_tab, history_rows

from . import selectors, services
from .access import STAFF_EDIT, STAFF_VIEW
from .forms import (
    EmployeeFilterForm,
    EmployeeForm,
    EmploymentChangeForm,
    EmploymentForm,
    HireForm,
    LeaveForm,
    TrainingForm,
)
from .models import Employee

COLUMNS = [
    Column("name", gettext_lazy("Full name"), "last_name"),
    Column("personnel_number", gettext_lazy("Personnel number"), "personnel_number"),
    Column("works_at", gettext_lazy("Works at")),
]
TABS = [OVERVIEW, HISTORY]


@require(STAFF_VIEW)
def employee_list(request):
    form = EmployeeFilterForm(request.GET or None, actor=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.employee_list(
        actor=request.user,
        q=(filters.get("q") or "").strip(),
        institution=filters["institution"].pk if filters.get("institution") else None,
        position=filters["position"].code if filters.get("position") else "",
        active=filters.get("active"),
    )
    context = {
        "form": form,
        "table": sorted_page(request, qs, COLUMNS, default_sort="name"),
        "filtered": any(v not in (None, "") for v in filters.values()),
        "can_hire": has_permission(request.user, STAFF_EDIT),
    }
    return render_page(request, "institutions/staff/list.html", context, partial="results")


def _employee_url(employee: Employee) -> str:
    return reverse("institutions:employee", args=[employee.pk])


def _crumbs(employee: Employee | None = None) -> list[tuple[Any, str]]:
    crumbs: list[tuple[Any, str]] = [(_("Staff"), reverse("institutions:staff"))]
    if employee is not None:
        crumbs.append((employee.full_name, _employee_url(employee)))
    return crumbs


@require(STAFF_VIEW)
def employee_detail(request, pk: int):
    employee = selectors.employee_get(actor=request.user, pk=pk)
    tab = chosen_tab(request, TABS)
    can_edit = has_permission(request.user, STAFF_EDIT) and selectors.employee_is_editable(
        actor=request.user, employee=employee
    )
    context: dict[str, Any] = {
        "employee": employee,
        "tab": tab,
        "tabs": TABS,
        "can_edit": can_edit,
    }
    if tab == OVERVIEW.key:
        employments = list(employee.employments.all())
        ids = {e.institution_id for e in employments}
        visible = selectors.institution_ids(actor=request.user, among=ids)
        editable = (
            selectors.institution_ids(actor=request.user, among=ids, editable=True)
            if can_edit
            else set()
        )
        context.update(
            phone=selectors.phone_for(request.user, employee),
            employments=[
                {
                    "employment": e,
                    "linked": e.institution_id in visible,
                    "editable": e.institution_id in editable,
                }
                for e in employments
            ],
            trainings=selectors.trainings_of(employee),
            stale_access=selectors.access_outliving_employment(employee),
        )
    else:
        context["history"] = history_rows(employee)
    return render_page(request, "institutions/staff/detail.html", context, partial="tab-body")


@require(STAFF_EDIT)
def employee_create(request):
    initial = {}
    institution_id = request.GET.get("institution", "")
    if institution_id.isdigit() and selectors.institution_is_editable(
        actor=request.user, institution_id=int(institution_id)
    ):
        initial["institution"] = int(institution_id)
    form = HireForm(request.POST or None, actor=request.user, initial=initial)

    def save(_cleaned):
        person, employment = form.split()
        return services.employee_hire(actor=request.user, **employment, **person)

    return form_page(
        request,
        form,
        save,
        title=_("Add an employee"),
        crumbs=_crumbs(),
        done=_employee_url,
        saved=_("The employee was added to the staff."),
    )


def _change_employee(request, whose: Employee, form, service, *, title, saved, intro="", **target):
    """The one shape of every page changing an employee's records: a form, one service taking
    the ``target`` (the employee or one of her employments), then back to ``whose`` page."""

    def save(cleaned):
        service(actor=request.user, **target, **cleaned)
        return whose

    return form_page(
        request,
        form,
        save,
        title=title,
        intro=intro,
        crumbs=_crumbs(whose),
        done=_employee_url,
        saved=saved,
    )


@require(STAFF_EDIT)
def employee_edit(request, pk: int):
    employee = selectors.employee_get_editable(actor=request.user, pk=pk)
    form = EmployeeForm(
        request.POST or None,
        actor=request.user,
        initial={name: getattr(employee, name) for name in EmployeeForm.base_fields},
    )
    return _change_employee(
        request,
        employee,
        form,
        services.employee_update,
        employee=employee,
        title=_("Change the staff record"),
        saved=_("The changes were saved."),
    )


@require(STAFF_EDIT)
def employment_add(request, pk: int):
    employee = selectors.employee_get_editable(actor=request.user, pk=pk)
    return _change_employee(
        request,
        employee,
        EmploymentForm(request.POST or None, actor=request.user),
        services.employment_add,
        employee=employee,
        title=_("Add an employment"),
        intro=_("%(name)s starts to work at another institution or in another position.")
        % {"name": employee.full_name},
        saved=_("The employment was recorded."),
    )


@require(STAFF_EDIT)
def employment_edit(request, pk: int, employment_id: int):
    employment = selectors.employment_get_editable(
        actor=request.user, employee_pk=pk, pk=employment_id
    )
    form = EmploymentChangeForm(
        request.POST or None,
        initial={n: getattr(employment, n) for n in ("position", "hired_on", "caseload_limit")},
    )
    return _change_employee(
        request,
        employment.employee,
        form,
        services.employment_update,
        employment=employment,
        title=_("Change the employment"),
        intro=str(employment.institution),
        saved=_("The changes were saved."),
    )


@require(STAFF_EDIT)
def employment_end(request, pk: int, employment_id: int):
    employment = selectors.employment_get_editable(
        actor=request.user, employee_pk=pk, pk=employment_id
    )
    return _change_employee(
        request,
        employment.employee,
        LeaveForm(request.POST or None),
        services.employment_end,
        employment=employment,
        title=_("Record leaving"),
        intro=_("%(name)s leaves %(institution)s.")
        % {"name": employment.employee.full_name, "institution": employment.institution},
        saved=_("The leaving was recorded."),
    )


@require(STAFF_EDIT)
def training_add(request, pk: int):
    employee = selectors.employee_get_editable(actor=request.user, pk=pk)
    return _change_employee(
        request,
        employee,
        TrainingForm(request.POST or None),
        services.training_record,
        employee=employee,
        title=_("Record a training"),
        intro=_("A course, seminar, exchange or internship of %(name)s.")
        % {"name": employee.full_name},
        saved=_("The training was recorded."),
    )
