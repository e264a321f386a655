"""Social contracts: the list with the outcomes counted by kind and the assignments waiting for a
contract, concluding one (the plan's steps and the instalments on one page), the contract with
its plan, money and visits, and its steps as form pages (a step done, an instalment paid, a
visit, early termination, the outcome)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.core.errors import DomainError
from opora.core.forms import NumberField, apply_domain_error, form_page
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page

from ..access import APPLICATION_VIEW, ASSIGNMENT_MANAGE
from ..forms import DATE
from ..models import (
    Assignment,
    ContractKind,
    ContractOutcome,
    ContractStatus,
    InstalmentStatus,
    MilestoneOwner,
    SocialContract,
)
from ..selectors.social_contract import (
    contract_assignments,
    contract_get,
    contract_money,
    contract_outcomes,
    contracts,
)
from ..services.social_contract import (
    contract_complete,
    contract_conclude,
    contract_terminate,
    contract_total,
    contract_visit,
    instalment_pay,
    milestone_done,
)

COLUMNS = [
    Column("number", gettext_lazy("Number"), "pk"),
    Column("person", gettext_lazy("Recipient"), "assignment__person__last_name"),
    Column("kind", gettext_lazy("Kind"), "kind"),
    Column("concluded_on", gettext_lazy("Concluded on"), "concluded_on"),
    Column("ends_on", gettext_lazy("Ends on"), "ends_on"),
    Column("status", gettext_lazy("Status"), "status"),
]
PLAN_ROWS = 8  # empty lines offered for the plan's steps and for the instalments


def _today():
    return timezone.localdate()


def contract_url(contract: SocialContract) -> str:
    return reverse("assistance:contract", args=[contract.pk])


def _crumbs(contract: SocialContract | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Social contracts"), reverse("assistance:contracts"))]
    if contract is not None:
        crumbs.append(
            (_("Social contract %(number)s") % {"number": contract.pk}, contract_url(contract))
        )
    return crumbs


# --- Forms --------------------------------------------------------------------------------------


class ContractFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any")), *ContractStatus.choices],
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("Any")), *ContractKind.choices],
    )


class ContractAssignmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("№ %(number)s, %(person)s, %(measure)s, %(amount)s roubles") % {
            "number": obj.pk,
            "person": obj.person.full_name,
            "measure": obj.measure.display_name,
            "amount": obj.amount,
        }


class ContractForm(forms.Form):
    assignment = ContractAssignmentField(
        label=gettext_lazy("Assignment"), queryset=Assignment.objects.none()
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of contract"), choices=ContractKind.choices)
    concluded_on = forms.DateField(label=gettext_lazy("Concluded on"), widget=DATE)
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), widget=DATE)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("concluded_on", _today())
        super().__init__(*args, **kwargs)
        field = self.fields["assignment"]
        field.queryset = contract_assignments(actor=actor)  # type: ignore[attr-defined]


class MilestoneLineForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Step"), max_length=300, required=False)
    owner = forms.ChoiceField(
        label=gettext_lazy("Who"),
        required=False,
        choices=[("", "—"), *MilestoneOwner.choices],
    )
    due_on = forms.DateField(label=gettext_lazy("Due"), widget=DATE, required=False)

    def filled(self) -> bool:
        return any(self.cleaned_data.get(key) for key in ("title", "owner", "due_on"))


class InstalmentLineForm(forms.Form):
    amount = NumberField(
        label=gettext_lazy("Amount, roubles"), required=False, decimal_places=2, max_digits=12
    )
    step = forms.IntegerField(
        label=gettext_lazy("Paid after step №"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("Empty: paid at once."),
    )

    def filled(self) -> bool:
        return self.cleaned_data.get("amount") is not None


MilestoneLines = forms.formset_factory(MilestoneLineForm, extra=PLAN_ROWS)
InstalmentLines = forms.formset_factory(InstalmentLineForm, extra=PLAN_ROWS)


class StepDoneForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Done on"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


class PaidForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Paid on"), widget=DATE)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=gettext_lazy("Visited on"), widget=DATE)
    findings = forms.CharField(label=gettext_lazy("Findings"), widget=forms.Textarea)
    on_track = forms.BooleanField(
        label=gettext_lazy("The plan is on track"), required=False, initial=True
    )


class TerminateForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Terminated on"), widget=DATE)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)
    recover = forms.BooleanField(
        label=gettext_lazy("Recover the instalments paid"),
        required=False,
        help_text=gettext_lazy("When the recipient failed the plan without a valid reason."),
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=ContractOutcome.choices)
    on = forms.DateField(label=gettext_lazy("Recorded on"), widget=DATE)
    note = forms.CharField(
        label=gettext_lazy("About the outcome"), widget=forms.Textarea, required=False
    )


def _dated(form_class: type[forms.Form], request: Any, day_field: str) -> forms.Form:
    return form_class(request.POST or None, initial={day_field: _today()})


# --- Pages --------------------------------------------------------------------------------------


@require(APPLICATION_VIEW)
def contract_list(request):
    form = ContractFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = contracts(
        actor=request.user, status=filters.get("status", ""), kind=filters.get("kind", "")
    )
    context = {
        "form": form,
        "table": sorted_page(request, qs, COLUMNS, default_sort="-concluded_on"),
        "filtered": any(filters.get(key) for key in form.fields),
        "outcomes": contract_outcomes(actor=request.user),
        "outcome_labels": ContractOutcome.choices,
        "waiting": list(contract_assignments(actor=request.user)[:20]),
        "can_manage": has_permission(request.user, ASSIGNMENT_MANAGE),
    }
    return render_page(request, "assistance/contracts/list.html", context, partial="results")


LINE_KEY = re.compile(r"^(milestones|instalments)\[(\d+)\]\.(\w+)$")


def _place_error(error: DomainError, form, lines: dict[str, tuple[Any, list[int]]]) -> None:
    """Put a refusal next to the line it names (``milestones[2].due_on``: the third step
    filled in, wherever it stands among the empty lines), else next to its field."""
    placed = False
    for key, problems in (error.details or {}).items():
        match = LINE_KEY.match(key)
        if not match:
            continue
        formset, filled = lines[match[1]]
        field = "step" if match[3] == "milestone_index" else match[3]
        position = int(match[2])
        if position < len(filled):
            for problem in problems:
                formset.forms[filled[position]].add_error(field, str(problem))
            placed = True
    if not placed:
        apply_domain_error(form, error)
    else:
        form.add_error(None, str(error.message))


@require(ASSIGNMENT_MANAGE)
def contract_new(request):
    initial = {}
    if request.GET.get("assignment", "").isdigit():
        initial["assignment"] = int(request.GET["assignment"])
    data = request.POST or None
    form = ContractForm(data, actor=request.user, initial=initial)
    steps = MilestoneLines(data, prefix="step")
    money = InstalmentLines(data, prefix="money")
    if request.method == "POST" and all(f.is_valid() for f in (form, steps, money)):
        filled_steps = [i for i, line in enumerate(steps.forms) if line.filled()]
        filled_money = [i for i, line in enumerate(money.forms) if line.filled()]
        try:
            contract = contract_conclude(
                actor=request.user,
                assignment=form.cleaned_data["assignment"],
                kind=form.cleaned_data["kind"],
                concluded_on=form.cleaned_data["concluded_on"],
                ends_on=form.cleaned_data["ends_on"],
                milestones=[
                    {
                        "title": steps.forms[i].cleaned_data["title"],
                        "owner": steps.forms[i].cleaned_data["owner"],
                        "due_on": steps.forms[i].cleaned_data["due_on"],
                    }
                    for i in filled_steps
                ],
                instalments=[
                    {
                        "amount": money.forms[i].cleaned_data["amount"],
                        "milestone_index": (
                            money.forms[i].cleaned_data["step"] - 1
                            if money.forms[i].cleaned_data["step"]
                            else None
                        ),
                    }
                    for i in filled_money
                ],
            )
        except DomainError as error:
            lines = {"milestones": (steps, filled_steps), "instalments": (money, filled_money)}
            _place_error(error, form, lines)
        else:
            messages.success(request, _("The social contract is concluded."))
            return redirect(contract_url(contract))
    context = {
        "form": form,
        "steps": steps,
        "money": money,
        "title": _("Conclude a social contract"),
        "crumbs": _crumbs(),
    }
    return render_page(request, "assistance/contracts/new.html", context)


@require(APPLICATION_VIEW)
def contract_detail(request, pk: int):
    contract = contract_get(actor=request.user, pk=pk)
    active = contract.status == ContractStatus.ACTIVE
    context = {
        "contract": contract,
        "assignment": contract.assignment,
        "milestones": list(contract.milestones.all()),
        "instalments": list(contract.instalments.all()),
        "visits": list(contract.visits.all()),
        "money": contract_money(contract),
        "total": contract_total(contract.assignment),
        "can_manage": active and has_permission(request.user, ASSIGNMENT_MANAGE),
        "payable": (InstalmentStatus.PLANNED, InstalmentStatus.DUE),
    }
    return render_page(request, "assistance/contracts/detail.html", context)


def _step_page(request, contract, form, save, *, title: str, saved: str):
    return form_page(
        request,
        form,
        save,
        title=title,
        crumbs=_crumbs(contract),
        done=contract_url(contract),
        saved=saved,
    )


@require(ASSIGNMENT_MANAGE)
def contract_milestone_done(request, pk: int, milestone: int):
    contract = contract_get(actor=request.user, pk=pk)
    step = get_object_or_404(contract.milestones.all(), pk=milestone)
    return _step_page(
        request,
        contract,
        _dated(StepDoneForm, request, "on"),
        lambda data: milestone_done(actor=request.user, milestone=step, **data),
        title=_("The step “%(step)s” done") % {"step": step.title},
        saved=_("The step is recorded done."),
    )


@require(ASSIGNMENT_MANAGE)
def contract_instalment_pay(request, pk: int, instalment: int):
    contract = contract_get(actor=request.user, pk=pk)
    part = get_object_or_404(contract.instalments.all(), pk=instalment)
    return _step_page(
        request,
        contract,
        _dated(PaidForm, request, "on"),
        lambda data: instalment_pay(actor=request.user, instalment=part, **data),
        title=_("An instalment of %(amount)s roubles paid") % {"amount": part.amount},
        saved=_("The instalment is recorded paid."),
    )


@require(ASSIGNMENT_MANAGE)
def contract_visit_add(request, pk: int):
    contract = contract_get(actor=request.user, pk=pk)
    return _step_page(
        request,
        contract,
        _dated(VisitForm, request, "visited_on"),
        lambda data: contract_visit(actor=request.user, contract=contract, **data),
        title=_("Record a monitoring visit"),
        saved=_("The visit is recorded."),
    )


@require(ASSIGNMENT_MANAGE)
def contract_terminate_page(request, pk: int):
    contract = contract_get(actor=request.user, pk=pk)
    return _step_page(
        request,
        contract,
        _dated(TerminateForm, request, "on"),
        lambda data: contract_terminate(actor=request.user, contract=contract, **data),
        title=_("End the social contract early"),
        saved=_("The social contract is terminated, and its assignment with it."),
    )


@require(ASSIGNMENT_MANAGE)
def contract_complete_page(request, pk: int):
    contract = contract_get(actor=request.user, pk=pk)
    return _step_page(
        request,
        contract,
        _dated(OutcomeForm, request, "on"),
        lambda data: contract_complete(actor=request.user, contract=contract, **data),
        title=_("Record the outcome of the social contract"),
        saved=_("The outcome is recorded."),
    )


urlpatterns = [
    path("contracts/", contract_list, name="contracts"),
    path("contracts/new/", contract_new, name="contract_new"),
    path("contracts/<int:pk>/", contract_detail, name="contract"),
    path(
        "contracts/<int:pk>/steps/<int:milestone>/done/",
        contract_milestone_done,
        name="contract_milestone_done",
    ),
    path(
        "contracts/<int:pk>/instalments/<int:instalment>/pay/",
        contract_instalment_pay,
        name="contract_instalment_pay",
    ),
    path("contracts/<int:pk>/visit/", contract_visit_add, name="contract_visit"),
    path("contracts/<int:pk>/terminate/", contract_terminate_page, name="contract_terminate"),
    path("contracts/<int:pk>/outcome/", contract_complete_page, name="contract_complete"),
]
