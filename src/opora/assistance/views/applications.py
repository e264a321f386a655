"""The applications: the inbox with its filters and due days, registration, the application
with the means test and its explanation, checking the eligibility (an HTMX swap of the
explanation), the decision, withdrawal and the documents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404
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
from opora.core.tabs import history_rows
from opora.registry import selectors as registry_selectors

from .. import selectors, services
from ..access import APPLICATION_DECIDE, APPLICATION_REGISTER, APPLICATION_VIEW
from ..forms import (
    ApplicationFilterForm,
    ApplicationRegisterForm,
    AttachForm,
    DecideForm,
    EvaluateForm,
    WithdrawForm,
)
from ..models import Application, ApplicationStatus
from ..presenting import cited_clauses, explained, is_overdue

COLUMNS = [
    Column("number", gettext_lazy("Number"), "pk"),
    Column("person", gettext_lazy("Applicant"), "person__last_name"),
    Column("measure", gettext_lazy("Measure"), "measure__name"),
    Column("status", gettext_lazy("Status"), "status"),
    Column("applied_on", gettext_lazy("Applied on"), "applied_on"),
    Column("due_on", gettext_lazy("Decision due"), "due_on"),
]


def application_url(application: Application) -> str:
    return reverse("assistance:application", args=[application.pk])


def _crumbs(application: Application | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Applications for measures"), reverse("assistance:applications"))]
    if application is not None:
        crumbs.append(
            (_("Application %(number)s") % {"number": application.pk}, application_url(application))
        )
    return crumbs


@require(APPLICATION_VIEW)
def application_list(request):
    form = ApplicationFilterForm(request.GET or None, actor=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.applications(
        actor=request.user,
        status=filters.get("status", ""),
        measure=filters.get("measure"),
        overdue=bool(filters.get("overdue")),
        q=filters.get("q", ""),
    )
    context = {
        "form": form,
        "table": sorted_page(request, qs, COLUMNS, default_sort="due_on"),
        "today": timezone.localdate(),
        "filtered": any(filters.get(key) not in (None, "", False) for key in form.fields),
        "can_register": has_permission(request.user, APPLICATION_REGISTER),
    }
    return render_page(request, "assistance/applications/list.html", context, partial="results")


@require(APPLICATION_REGISTER)
def application_register(request):
    initial: dict[str, Any] = {}
    for name in ("person", "measure"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])
    if "person" in initial:
        initial["person"] = (
            registry_selectors.people(actor=request.user).filter(pk=initial["person"]).first()
        )
    form = ApplicationRegisterForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_register(actor=request.user, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("The application is registered as number %(number)s.")
                % {"number": application.pk},
            )
            return redirect(application_url(application))
    context = {
        "form": form,
        "title": _("Register an application for a measure"),
        "crumbs": _crumbs(),
    }
    return render_page(
        request, "assistance/applications/register.html", context, partial="documents"
    )


def _application_context(request, application: Application) -> dict[str, Any]:
    evaluations = list(selectors.evaluations_of(actor=request.user, application=application))
    latest = evaluations[0] if evaluations else None
    today = timezone.localdate()
    submitted = application.status == ApplicationStatus.SUBMITTED
    received = set(application.documents_received)
    decision = getattr(application, "decision", None)
    return {
        "application": application,
        "today": today,
        "overdue": is_overdue(application, today),
        "evaluations": evaluations,
        "explained": explained(latest),
        "named": selectors.people_named_in(actor=request.user, evaluation=latest),
        "decision": decision,
        "cited": cited_clauses(decision),
        "assignment": getattr(application, "assignment", None),
        "documents": [
            {"name": name, "received": name in received} for name in application.version.documents
        ],
        "extra_documents": [
            name
            for name in application.documents_received
            if name not in application.version.documents
        ],
        "files": list(application.files.all()),
        "can_register": submitted and has_permission(request.user, APPLICATION_REGISTER),
        "can_decide": submitted and has_permission(request.user, APPLICATION_DECIDE),
        "evaluate_form": EvaluateForm(),
    }


@require(APPLICATION_VIEW)
def application_detail(request, pk: int):
    application = selectors.application_get(actor=request.user, pk=pk)
    context = _application_context(request, application)
    context["history"] = history_rows(application)
    return render_page(
        request, "assistance/applications/detail.html", context, partial="explanation"
    )


@require(APPLICATION_REGISTER)
@require_POST
def application_evaluate(request, pk: int):
    """Check the eligibility now: from the page's button the explanation is swapped in; without
    JavaScript the page is shown again with it."""
    application = selectors.application_get(actor=request.user, pk=pk)
    form = EvaluateForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.application_evaluate(
                actor=request.user, application=application, on=form.cleaned_data.get("on")
            )
        except DomainError as refused:
            error = str(refused.message)
    else:
        error = _("Give the day as a date.")
    if not getattr(request, "htmx", False):
        if error:
            messages.error(request, error)
        return redirect(application_url(application))
    application = selectors.application_get(actor=request.user, pk=pk)
    context = _application_context(request, application)
    context["evaluate_error"] = error
    return render_page(request, "assistance/applications/detail.html#explanation", context)


@require(APPLICATION_DECIDE)
def application_decide(request, pk: int):
    application = selectors.application_get(actor=request.user, pk=pk)
    form = DecideForm(request.POST or None)

    def save(data):
        return services.application_decide(
            actor=request.user,
            application=application,
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            reason=data["reason"],
            starts_on=data["starts_on"],
        )

    context = _application_context(request, application)
    return form_page(
        request,
        form,
        save,
        title=_("Decide on application %(number)s") % {"number": application.pk},
        crumbs=_crumbs(application),
        done=application_url(application),
        saved=_("The decision is recorded."),
        template="assistance/applications/decide.html",
        context=context,
    )


@require(APPLICATION_REGISTER)
def application_withdraw(request, pk: int):
    application = selectors.application_get(actor=request.user, pk=pk)
    form = WithdrawForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.application_withdraw(
            actor=request.user, application=application, reason=data["reason"]
        ),
        title=_("Withdrawal of application %(number)s") % {"number": application.pk},
        crumbs=_crumbs(application),
        done=application_url(application),
        saved=_("The withdrawal is recorded."),
    )


@require(APPLICATION_REGISTER)
def application_attach(request, pk: int):
    application = selectors.application_get(actor=request.user, pk=pk)
    form = AttachForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda data: services.application_attach_file(
            actor=request.user, application=application, title=data["title"], upload=data["upload"]
        ),
        title=_("Attach a document to application %(number)s") % {"number": application.pk},
        crumbs=_crumbs(application),
        done=application_url(application),
        saved=_("The document is attached."),
    )


@require(APPLICATION_VIEW)
def application_file(request, pk: int, file: int):
    application = selectors.application_get(actor=request.user, pk=pk)
    found = next((f for f in application.files.all() if f.pk == file), None)
    if found is None:
        raise Http404
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("applications/", application_list, name="applications"),
    path("applications/new/", application_register, name="application_register"),
    path("applications/<int:pk>/", application_detail, name="application"),
    path("applications/<int:pk>/evaluate/", application_evaluate, name="application_evaluate"),
    path("applications/<int:pk>/decide/", application_decide, name="application_decide"),
    path("applications/<int:pk>/withdraw/", application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/attach/", application_attach, name="application_attach"),
    path("applications/<int:pk>/files/<int:file>/", application_file, name="application_file"),
]
