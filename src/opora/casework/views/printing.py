"""The printed documents of a case as PDF: the decision, a version of the programme, an act.

Each print is recorded on the case: the document leaves the system with personal data in it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path

from opora.core.errors import DomainError
from opora.core.permissions import require

from .. import printing, selectors, services
from ..access import CASE_VIEW
from ..models import Case


def _issued(
    request: Any, case: Case, printed: printing.Printed, details: dict[str, Any] | None = None
) -> HttpResponse:
    try:
        content = printing.render(printed)
    except DomainError as error:
        # The font is missing on the server: say so where the user came from, not as a 500.
        messages.error(request, str(error.message))
        return redirect("casework:case", pk=case.pk)
    services.document_printed(
        actor=request.user, case=case, document=printed.document, details=details
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{printed.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    # Personal data: neither the browser nor a proxy keeps a copy.
    response["Cache-Control"] = "no-store"
    return response


@require(CASE_VIEW)
def decision_pdf(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk)
    decision = selectors.decision_for_print(case)
    if decision is None:
        raise Http404
    printed = printing.decision_document(actor=request.user, case=case, decision=decision)
    return _issued(request, case, printed, {"outcome": decision.outcome})


@require(CASE_VIEW)
def programme_pdf(request, pk: int):
    programme = selectors.programme_get(actor=request.user, pk=pk)
    printed = printing.programme_document(actor=request.user, programme=programme)
    return _issued(
        request, programme.case, printed, {"version": programme.version, "programme": programme.pk}
    )


@require(CASE_VIEW)
def act_pdf(request, pk: int):
    act = selectors.act_get(actor=request.user, pk=pk)
    printed = printing.act_document(actor=request.user, act=act)
    return _issued(
        request, act.case, printed, {"month": act.month.strftime("%m.%Y"), "act": act.pk}
    )


urlpatterns = [
    path("<int:pk>/decision.pdf", decision_pdf, name="decision_pdf"),
    path("programmes/<int:pk>.pdf", programme_pdf, name="programme_pdf"),
    path("acts/<int:pk>.pdf", act_pdf, name="act_pdf"),
]
