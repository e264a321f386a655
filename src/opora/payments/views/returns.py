"""The worklist of payments returned by the bank or not sent, and their re-issue."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opora.core.errors import DomainError
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page

from .. import selectors, services
from ..access import PAYOUT_EDIT, RETURNS_WORK
from ..forms import WorklistFilterForm
from .common import may_open_person

COLUMNS = [
    Column("number", gettext_lazy("Payment"), "pk"),
    Column("person", gettext_lazy("Recipient"), "person__last_name"),
    Column("measure", gettext_lazy("Measure"), "measure__name"),
    Column("month", gettext_lazy("For"), "month"),
    Column("net", gettext_lazy("Amount, roubles"), "net"),
    Column("status", gettext_lazy("Status"), "status"),
    Column("reason", gettext_lazy("Why")),
    Column("action", gettext_lazy("Action")),
]


@require(RETURNS_WORK)
def worklist(request):
    form = WorklistFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.worklist(
        actor=request.user, status=filters.get("status", ""), q=filters.get("q", "")
    )
    context = {
        "form": form,
        "table": sorted_page(request, qs, COLUMNS, default_sort="-number"),
        "filtered": any(filters.get(key) for key in form.fields) if filters else False,
        "person_links": may_open_person(request.user),
        "can_fix_details": has_permission(request.user, PAYOUT_EDIT),
    }
    return render_page(request, "payments/worklist.html", context, partial="results")


@require(RETURNS_WORK)
@require_POST
def line_reissue(request, pk: int):
    line = selectors.worklist_line_get(actor=request.user, pk=pk)
    try:
        services.line_reissue(actor=request.user, line=line)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The payment will be re-issued in the next payroll."))
    return redirect("payments:worklist")


urlpatterns = [
    path("returned/", worklist, name="worklist"),
    path("returned/<int:pk>/reissue/", line_reissue, name="line_reissue"),
]
