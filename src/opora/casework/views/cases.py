"""The case pages: the list, intake, the case with its whole story, and one page per step.

Which buttons a case shows follows its status and the user's permission, but that is a
convenience only: every step is a service that refuses what the status does not allow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opora.core.errors import DomainError
from opora.core.forms import apply_domain_error, form_page
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page
from opora.core.tabs import HISTORY, OVERVIEW, Tab, chosen_tab, history_rows
from opora.registry import selectors as registry_selectors

from .. import selectors, services
from ..access import CASE_VIEW, CASE_WORK
from ..forms import (
    DELIVERY_LINES,
    ActIssueForm,
    AssessmentForm,
    AssignForm,
    CaseFilterForm,
    CaseRegisterForm,
    DecisionForm,
    DeliveriesForm,
    DocumentForm,
    ProgrammeAgreeForm,
    ProgrammeDraftForm,
    ProgrammeItemForm,
    ServiceRefuseForm,
    StepForm,
    UrgentForm,
)
from ..models import OPEN_STATUSES, Case, CaseStatus

S = CaseStatus

CASE_COLUMNS = [
    Column("number", gettext_lazy("Number"), "number"),
    Column("person", gettext_lazy("Person"), "person__last_name"),
    Column("institution", gettext_lazy("Institution"), "institution__name"),
    Column("status", gettext_lazy("Status"), "status"),
    Column("applied_on", gettext_lazy("Applied on"), "applied_on"),
    Column("next_due", gettext_lazy("Next deadline"), "next_due"),
    Column("worker", gettext_lazy("Social worker"), "worker__last_name"),
]

DELIVERY_TABLE = [
    Column("delivered_on", gettext_lazy("Date"), "delivered_on"),
    Column("service", gettext_lazy("Service"), "service__code"),
    Column("quantity", gettext_lazy("Units"), "quantity"),
    Column("minutes", gettext_lazy("Minutes"), "minutes"),
    Column("worker", gettext_lazy("Delivered by"), "worker__last_name"),
    Column("cost", gettext_lazy("Cost, roubles")),
]

CASE_TABS = [
    OVERVIEW,
    Tab("timeline", gettext_lazy("Timeline")),
    Tab("documents", gettext_lazy("Documents")),
    Tab("assessment", gettext_lazy("Assessment and decision")),
    Tab("programme", gettext_lazy("Programme")),
    Tab("deliveries", gettext_lazy("Deliveries")),
    Tab("acts", gettext_lazy("Acts")),
    HISTORY,
]


def case_url(case: Case, tab: str = "") -> str:
    url = reverse("casework:case", args=[case.pk])
    return f"{url}?tab={tab}" if tab else url


def _crumbs(case: Case, tab: str = "") -> list[tuple[str, str]]:
    return [(_("Cases"), reverse("casework:list")), (case.number, case_url(case, tab))]


# --- The list -----------------------------------------------------------------------------------


@require(CASE_VIEW)
def case_list(request):
    form = CaseFilterForm(request.GET or None, actor=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    qs = selectors.case_list(
        actor=request.user,
        status=filters.get("status", ""),
        institution=filters["institution"].pk if filters.get("institution") else None,
        worker=filters["worker"].pk if filters.get("worker") else None,
        q=filters.get("q", ""),
        overdue_on=today if filters.get("overdue") else None,
        open_only=bool(filters.get("open_only")),
    )
    table = sorted_page(request, qs, CASE_COLUMNS, default_sort="-applied_on")
    context = {
        "table": table,
        "form": form,
        "today": today,
        "filtered": any(filters.get(key) not in (None, "", False) for key in form.fields),
        "can_work": has_permission(request.user, CASE_WORK),
    }
    return render_page(request, "casework/cases/list.html", context, partial="results")


# --- Intake -------------------------------------------------------------------------------------


def _renamed(error: DomainError, names: dict[str, str]) -> DomainError:
    """The same refusal, its fields named as the form names them."""
    details = {names.get(key, key): value for key, value in (error.details or {}).items()}
    return DomainError(error.code, error.message, details=details, status=error.status)


@require(CASE_WORK)
def case_register(request):
    initial: dict[str, Any] = {}
    if request.GET.get("person", "").isdigit():
        person = registry_selectors.people(actor=request.user).filter(pk=request.GET["person"])
        initial["person"] = person.first()
    form = CaseRegisterForm(
        request.POST or None, request.FILES or None, actor=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One transaction: a refused file leaves no case behind.
            with transaction.atomic():
                case = services.case_register(
                    actor=request.user,
                    person=data["person"],
                    institution=data["institution"],
                    channel=data["channel"],
                    applied_on=data["applied_on"],
                    grounds=data["grounds"],
                    requested_services=data["requested_services"],
                    requested_form=data["requested_form"],
                    applicant=data["applicant"],
                    representative_name=data["representative_name"],
                    representative_basis=data["representative_basis"],
                    referred_by=data["referred_by"],
                    circumstances=data["circumstances"],
                    urgent=[
                        services.UrgentEntry(service=service, quantity=quantity)
                        for service, quantity in form.urgent_quantities()
                    ],
                )
                if data.get("document"):
                    try:
                        services.document_attach(
                            actor=request.user,
                            case=case,
                            kind=data["document_kind"],
                            upload=data["document"],
                        )
                    except DomainError as error:
                        raise _renamed(
                            error, {"file": "document", "kind": "document_kind"}
                        ) from error
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("The application is registered as case %(number)s.") % {"number": case.number},
            )
            return redirect(case_url(case))
    context = {
        "form": form,
        "title": _("Register an application"),
        "crumbs": [(_("Cases"), reverse("casework:list"))],
    }
    return render_page(request, "casework/cases/register.html", context)


# --- The case -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    primary: bool = False


def case_actions(case: Case, *, draft: Any, in_force: Any) -> list[Action]:
    """The steps the case's status allows now, most likely first."""
    status = case.status
    if status == S.CLOSED:
        return []
    allowed = services.TRANSITIONS[status]
    pk = case.pk
    actions: list[Action] = []
    if status in (S.APPLIED, S.ASSESSED):
        actions.append(
            Action(
                _("Record an assessment"),
                reverse("casework:assess", args=[pk]),
                status == S.APPLIED,
            )
        )
    decided = getattr(case, "decision", None) is not None
    if not decided and (S.RECOGNISED in allowed or S.REFUSED in allowed):
        actions.append(
            Action(_("Decide"), reverse("casework:decide", args=[pk]), status == S.ASSESSED)
        )
    if draft is None and (status == S.RECOGNISED or status in services.WITH_PROGRAMME):
        label = _("Draw up the programme") if status == S.RECOGNISED else _("Draw up a new version")
        actions.append(
            Action(label, reverse("casework:programme_draft", args=[pk]), status == S.RECOGNISED)
        )
    if draft is not None:
        actions.append(
            Action(_("Add a service"), reverse("casework:programme_item_add", args=[draft.pk]))
        )
        actions.append(
            Action(
                _("Record the agreement"),
                reverse("casework:programme_agree", args=[draft.pk]),
                True,
            )
        )
    if status in services.SERVING:
        actions.append(Action(_("Record services"), reverse("casework:deliver", args=[pk]), True))
    if in_force is not None or status in services.WITH_PROGRAMME:
        actions.append(Action(_("Issue the monthly act"), reverse("casework:act_issue", args=[pk])))
    if status in OPEN_STATUSES:
        actions.append(Action(_("Urgent service"), reverse("casework:urgent", args=[pk])))
        actions.append(Action(_("Assign the social worker"), reverse("casework:assign", args=[pk])))
    actions.append(Action(_("Attach a document"), reverse("casework:document_add", args=[pk])))
    if S.SUSPENDED in allowed:
        actions.append(Action(_("Suspend"), reverse("casework:suspend", args=[pk])))
    if status == S.SUSPENDED:
        actions.append(Action(_("Resume"), reverse("casework:resume", args=[pk]), True))
    if S.CLOSED in allowed:
        actions.append(Action(_("Close the case"), reverse("casework:close", args=[pk])))
    return actions


@require(CASE_VIEW)
def case_detail(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk)
    tab = chosen_tab(request, CASE_TABS)
    today = timezone.localdate()
    draft = selectors.draft_of(case)
    in_force = selectors.programme_in_force(case)
    can_work = has_permission(request.user, CASE_WORK)
    context: dict[str, Any] = {
        "case": case,
        "tab": tab,
        "tabs": CASE_TABS,
        "today": today,
        "overdue": case.overdue_on(today),
        "can_work": can_work,
        "actions": case_actions(case, draft=draft, in_force=in_force) if can_work else [],
        "draft": draft,
        "in_force": in_force,
    }
    if tab == OVERVIEW.key:
        context["in_force_lines"] = selectors.item_lines(in_force) if in_force else []
        context["assessment"] = selectors.assessments_of(case).first()
    elif tab == "timeline":
        context["timeline"] = selectors.case_timeline(case)
    elif tab == "documents":
        context["documents"] = selectors.documents_of(case)
    elif tab == "assessment":
        context["assessments"] = selectors.assessments_of(case)
    elif tab == "programme":
        programmes = selectors.programmes_of(case)
        lines = selectors.item_lines_of([p.pk for p in programmes])
        context["programmes"] = [{"programme": p, "lines": lines.get(p.pk, [])} for p in programmes]
    elif tab == "deliveries":
        context["table"] = sorted_page(
            request, selectors.deliveries_of(case), DELIVERY_TABLE, default_sort="-delivered_on"
        )
    elif tab == "acts":
        context["acts"] = selectors.acts_of(case)
    elif tab == HISTORY.key:
        context["history"] = history_rows(case)
    return render_page(request, "casework/cases/detail.html", context, partial="tab-body")


@require(CASE_VIEW)
def document_download(request, pk: int, document: int):
    found = selectors.document_get(actor=request.user, case_pk=pk, pk=document)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The pages of the steps ---------------------------------------------------------------------


def case_form(
    request: Any,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    case: Case,
    title: str,
    tab: str,
    template: str = "casework/cases/action.html",
    saved: Callable[[Any], str] | None = None,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """``form_page`` for the steps that need more than a plain form (a file, a scale, lines):
    the same flow, with the case above the form and a message that may tell what was saved."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, saved(result) if saved else _("Saved."))
            return redirect(case_url(case, tab))
    page = {
        "form": form,
        "case": case,
        "title": title,
        "crumbs": _crumbs(case, tab),
        **(context or {}),
    }
    return render_page(request, template, page)


def _case_to_work(request, pk: int) -> Case:
    return selectors.case_get(actor=request.user, pk=pk)


@require(CASE_WORK)
def document_add(request, pk: int):
    case = _case_to_work(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)

    def save(data):
        return services.document_attach(
            actor=request.user,
            case=case,
            kind=data["kind"],
            upload=data["file"],
            title=data["title"],
        )

    return case_form(request, form, save, case=case, title=_("Attach a document"), tab="documents")


@require(CASE_WORK)
def assess(request, pk: int):
    case = _case_to_work(request, pk)
    scales = list(selectors.scales())
    if not scales:
        raise Http404
    chosen = request.POST.get("scale") or request.GET.get("scale")
    scale = next((s for s in scales if s.code == chosen), scales[0])
    form = AssessmentForm(request.POST or None, scale=scale)

    def save(data):
        return services.assessment_record(
            actor=request.user,
            case=case,
            scale=scale,
            answers=form.answers(),
            assessed_on=data["assessed_on"],
            living_conditions=data["living_conditions"],
            conclusion=data["conclusion"],
        )

    def saved(assessment) -> str:
        if assessment.care_level is None:
            return _("The assessment is saved: %(score)s points.") % {"score": assessment.score}
        return _("The assessment is saved: %(score)s points, proposed care level “%(level)s”.") % {
            "score": assessment.score,
            "level": assessment.care_level.display_name,
        }

    return case_form(
        request,
        form,
        save,
        case=case,
        title=_("Record an assessment"),
        tab="assessment",
        template="casework/cases/assess.html",
        saved=saved,
        context={"scales": scales, "scale": scale},
    )


@require(CASE_WORK)
def decide(request, pk: int):
    case = _case_to_work(request, pk)
    form = DecisionForm(request.POST or None)

    def save(data):
        return services.need_decide(
            actor=request.user,
            case=case,
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            reasons=data["reasons"],
            care_level=data["care_level"],
        )

    return form_page(
        request,
        form,
        save,
        title=_("Decide on the need for social services: case %(number)s")
        % {"number": case.number},
        crumbs=_crumbs(case, "assessment"),
        done=case_url(case, "assessment"),
        saved=_("The decision is recorded."),
    )


@require(CASE_WORK)
def programme_draft(request, pk: int):
    case = _case_to_work(request, pk)
    first = case.status == S.RECOGNISED
    in_force = selectors.programme_in_force(case)
    initial: dict[str, Any] = {}
    if in_force is not None:
        initial = {"form": in_force.form, "income": in_force.income}
    elif case.requested_form:
        initial = {"form": case.requested_form}
    form = ProgrammeDraftForm(request.POST or None, first=first, initial=initial)

    def save(data):
        return services.programme_draft(
            actor=request.user,
            case=case,
            form=data["form"],
            drawn_up_on=data["drawn_up_on"],
            income=data["income"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            reason=data.get("reason") or None,
        )

    return form_page(
        request,
        form,
        save,
        title=_("Draw up the individual programme: case %(number)s") % {"number": case.number},
        crumbs=_crumbs(case, "programme"),
        done=case_url(case, "programme"),
        saved=_("The draft is drawn up; the fee is calculated. Add its services."),
        intro=_(
            "The fee is calculated from the income by the rules in force on the day the programme "
            "is drawn up; a later version keeps the services of the one in force."
        ),
    )


@require(CASE_WORK)
def programme_item_add(request, pk: int):
    programme = selectors.programme_get(actor=request.user, pk=pk)
    case = programme.case
    form = ProgrammeItemForm(request.POST or None, programme=programme)

    def save(data):
        provider = data["provider"]
        return services.programme_item_add(
            actor=request.user,
            programme=programme,
            service=provider.service,
            provider=provider,
            volume=data["volume"],
            times=data["times"],
            per=data["per"],
            note=data["note"],
        )

    return form_page(
        request,
        form,
        save,
        title=_("Add a service to version %(version)s of the programme")
        % {"version": programme.version},
        crumbs=_crumbs(case, "programme"),
        done=case_url(case, "programme"),
        intro=_(
            "The services and providers listed are those of the register for the programme's form "
            "and whole term; the price is the provider's tariff in force."
        ),
    )


@require(CASE_WORK)
@require_POST
def programme_item_remove(request, pk: int):
    item = selectors.item_get(actor=request.user, pk=pk)
    case = item.programme.case
    try:
        services.programme_item_remove(actor=request.user, item=item)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The service is removed from the draft."))
    return redirect(case_url(case, "programme"))


@require(CASE_WORK)
def programme_agree(request, pk: int):
    programme = selectors.programme_get(actor=request.user, pk=pk)
    case = programme.case
    form = ProgrammeAgreeForm(request.POST or None, programme=programme)

    def save(data):
        return services.programme_agree(
            actor=request.user,
            programme=programme,
            agreed_on=data["agreed_on"],
            refused_items=data["refused_items"],
            refusal=data["refusal"],
        )

    return form_page(
        request,
        form,
        save,
        title=_("The recipient's agreement to version %(version)s of the programme")
        % {"version": programme.version},
        crumbs=_crumbs(case, "programme"),
        done=case_url(case, "programme"),
        saved=_("The programme is in force."),
        intro=_(
            "Tick the services the recipient refuses in writing and enter the text of her refusal; "
            "the others come into force."
        ),
    )


@require(CASE_WORK)
def programme_service_refuse(request, pk: int):
    item = selectors.item_get(actor=request.user, pk=pk)
    case = item.programme.case
    form = ServiceRefuseForm(request.POST or None)

    def save(data):
        return services.programme_service_refuse(
            actor=request.user, item=item, refused_on=data["refused_on"], refusal=data["refusal"]
        )

    return form_page(
        request,
        form,
        save,
        title=_("The recipient refuses %(service)s") % {"service": item.service.display_name},
        crumbs=_crumbs(case, "programme"),
        done=case_url(case, "programme"),
        saved=_("The refusal is recorded."),
    )


@require(CASE_WORK)
def deliver(request, pk: int):
    case = _case_to_work(request, pk)
    programme = selectors.programme_in_force(case)
    if programme is None:
        messages.error(request, _("Services are recorded against an agreed programme."))
        return redirect(case_url(case, "programme"))
    form = DeliveriesForm(request.POST or None, programme=programme)

    def save(data):
        filled = form.lines()
        entries = [
            services.DeliveryEntry(
                item=values["item"],
                delivered_on=values["delivered_on"],
                quantity=1 if values["quantity"] is None else values["quantity"],
                minutes=values["minutes"],
                started_at=values["started_at"],
                note=values["note"] or "",
            )
            for _line, values in filled
        ]
        try:
            return services.deliveries_record(actor=request.user, case=case, entries=entries)
        except DomainError as error:
            if not filled:
                raise _renamed(error, {"item": "item_0"}) from error
            line = filled[error.details.get("line", 0)][0]
            names = {key: f"{key}_{line}" for key in error.details if key != "line"}
            raise _renamed(error, names) from error

    def saved(deliveries) -> str:
        return _("Services recorded: %(count)s.") % {"count": len(deliveries)}

    return case_form(
        request,
        form,
        save,
        case=case,
        title=_("Record delivered services"),
        tab="deliveries",
        template="casework/cases/deliver.html",
        saved=saved,
        context={
            "programme": programme,
            "lines": selectors.item_lines(programme),
            "line_count": DELIVERY_LINES,
        },
    )


@require(CASE_WORK)
def urgent(request, pk: int):
    case = _case_to_work(request, pk)
    form = UrgentForm(request.POST or None)

    def save(data):
        entry = services.UrgentEntry(
            service=data["service"],
            quantity=data["quantity"],
            minutes=data["minutes"],
            note=data["note"],
        )
        return services.urgent_service_deliver(
            actor=request.user, case=case, entry=entry, delivered_on=data["delivered_on"]
        )

    return form_page(
        request,
        form,
        save,
        title=_("Urgent social service: case %(number)s") % {"number": case.number},
        crumbs=_crumbs(case, "deliveries"),
        done=case_url(case, "deliveries"),
        saved=_("The urgent service is recorded."),
        intro=_("Urgent social services are given at once, free of charge, without a programme."),
    )


def _step_page(request, pk: int, step: Callable[..., Case], title: str, saved: str):
    case = _case_to_work(request, pk)
    form = StepForm(request.POST or None)

    def save(data):
        return step(actor=request.user, case=case, on=data["on"], note=data["note"])

    return form_page(
        request,
        form,
        save,
        title=title % {"number": case.number},
        crumbs=_crumbs(case),
        done=case_url(case),
        saved=saved,
    )


@require(CASE_WORK)
def suspend(request, pk: int):
    return _step_page(
        request,
        pk,
        services.case_suspend,
        _("Suspend the case %(number)s"),
        _("The case is suspended."),
    )


@require(CASE_WORK)
def resume(request, pk: int):
    return _step_page(
        request, pk, services.case_resume, _("Resume the case %(number)s"), _("Services resume.")
    )


@require(CASE_WORK)
def close(request, pk: int):
    return _step_page(
        request, pk, services.case_close, _("Close the case %(number)s"), _("The case is closed.")
    )


@require(CASE_WORK)
def assign(request, pk: int):
    case = _case_to_work(request, pk)
    form = AssignForm(
        request.POST or None, actor=request.user, initial={"employee": case.worker_id}
    )

    def save(data):
        return services.case_assign_worker(actor=request.user, case=case, employee=data["employee"])

    return form_page(
        request,
        form,
        save,
        title=_("The home-care social worker of the case %(number)s") % {"number": case.number},
        crumbs=_crumbs(case),
        done=case_url(case),
        saved=_("The social worker is assigned."),
        intro=_("Each worker is shown with the recipients she serves now and her limit."),
    )


@require(CASE_WORK)
def act_issue(request, pk: int):
    case = _case_to_work(request, pk)
    form = ActIssueForm(request.POST or None)

    def save(data):
        return services.act_issue(actor=request.user, case=case, month=data["month"])

    return form_page(
        request,
        form,
        save,
        title=_("Issue the act of delivered services: case %(number)s") % {"number": case.number},
        crumbs=_crumbs(case, "acts"),
        done=case_url(case, "acts"),
        saved=_("The act is issued."),
    )


urlpatterns = [
    path("", case_list, name="list"),
    path("new/", case_register, name="register"),
    path("<int:pk>/", case_detail, name="case"),
    path("<int:pk>/documents/add/", document_add, name="document_add"),
    path("<int:pk>/documents/<int:document>/", document_download, name="document"),
    path("<int:pk>/assess/", assess, name="assess"),
    path("<int:pk>/decide/", decide, name="decide"),
    path("<int:pk>/programmes/new/", programme_draft, name="programme_draft"),
    path("programmes/<int:pk>/services/add/", programme_item_add, name="programme_item_add"),
    path("programmes/<int:pk>/agree/", programme_agree, name="programme_agree"),
    path(
        "programme-services/<int:pk>/remove/",
        programme_item_remove,
        name="programme_item_remove",
    ),
    path(
        "programme-services/<int:pk>/refuse/",
        programme_service_refuse,
        name="programme_service_refuse",
    ),
    path("<int:pk>/deliver/", deliver, name="deliver"),
    path("<int:pk>/urgent/", urgent, name="urgent"),
    path("<int:pk>/suspend/", suspend, name="suspend"),
    path("<int:pk>/resume/", resume, name="resume"),
    path("<int:pk>/close/", close, name="close"),
    path("<int:pk>/assign/", assign, name="assign"),
    path("<int:pk>/acts/new/", act_issue, name="act_issue"),
]
