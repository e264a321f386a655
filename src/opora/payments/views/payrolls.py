"""The payrolls: the list with the month to generate, a payroll's page (totals, checks, lines,
the actions), the payment files and the import of a return file."""

from __future__ import annotations

from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opora.core import selectors as core_selectors
from opora.core.errors import DomainError
from opora.core.jobs import ACTIVE as ACTIVE_JOB
from opora.core.models import Job
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page

from .. import selectors, services
from ..access import (
    PAYROLL_APPROVE,
    PAYROLL_LINES_VIEW,
    PAYROLL_MANAGE,
    PAYROLL_VIEW,
    RETURNS_WORK,
)
from ..forms import LineFilterForm, MonthForm, ReturnFileForm
from ..models import PayoutChannel, PayrollStatus
from ..services.generation import GENERATE_JOB
from .common import may_open_person

LINE_COLUMNS = [
    Column("number", gettext_lazy("Payment"), "pk"),
    Column("person", gettext_lazy("Recipient"), "person__last_name"),
    Column("measure", gettext_lazy("Measure"), "measure__name"),
    Column("month", gettext_lazy("For"), "month"),
    Column("days", gettext_lazy("Days")),
    Column("gross", gettext_lazy("Due, roubles"), "gross"),
    Column("deduction", gettext_lazy("Offset, roubles"), "deduction"),
    Column("net", gettext_lazy("To pay, roubles"), "net"),
    Column("channel", gettext_lazy("Paid through"), "channel"),
    Column("status", gettext_lazy("Status"), "status"),
]


@require(PAYROLL_VIEW)
def payroll_list(request):
    form = MonthForm(request.POST or None)
    if request.method == "POST":
        if not has_permission(request.user, PAYROLL_MANAGE):
            return redirect("payments:payrolls")
        if form.is_valid():
            try:
                job = services.payroll_generate_start(
                    actor=request.user, month=form.cleaned_data["month"].replace(day=1)
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                return redirect(reverse("core:job", args=[job.pk]))
    running = Job.objects.filter(kind=GENERATE_JOB, status__in=ACTIVE_JOB).order_by("-pk").first()
    context = {
        "payrolls": selectors.payrolls(actor=request.user)[:60],
        "form": form,
        "can_generate": has_permission(request.user, PAYROLL_MANAGE),
        "can_work_returns": has_permission(request.user, RETURNS_WORK),
        "running": running,
        # A job's page shows its creator's jobs only (or every job to whoever manages them):
        # another accountant's generation is named, not linked.
        "can_follow": running is not None
        and core_selectors.job_list(actor=request.user).filter(pk=running.pk).exists(),
    }
    return render_page(request, "payments/payrolls.html", context)


@require(PAYROLL_VIEW)
def payroll_detail(request, pk: int):
    payroll = selectors.payroll_get(actor=request.user, pk=pk)
    see_lines = has_permission(request.user, PAYROLL_LINES_VIEW)
    form = LineFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    table = None
    if see_lines:
        qs = selectors.payroll_lines(
            actor=request.user,
            payroll=payroll,
            status=filters.get("status", ""),
            channel=filters.get("channel", ""),
            problem=filters.get("problem", ""),
            q=filters.get("q", ""),
        )
        table = sorted_page(request, qs, LINE_COLUMNS, default_sort="number", per_page=50)
    manage = has_permission(request.user, PAYROLL_MANAGE)
    context = {
        "payroll": payroll,
        "totals": selectors.payroll_totals(actor=request.user, payroll=payroll),
        "see_lines": see_lines,
        "person_links": see_lines and may_open_person(request.user),
        "form": form,
        "table": table,
        "filtered": any(filters.get(key) for key in form.fields) if filters else False,
        "can_check": manage and payroll.status in (PayrollStatus.DRAFT, PayrollStatus.CHECKED),
        "can_approve": has_permission(request.user, PAYROLL_APPROVE)
        and payroll.status == PayrollStatus.CHECKED
        and request.user.pk not in payroll.makers,
        "maker": request.user.pk in payroll.makers,
        "can_export": manage and payroll.status == PayrollStatus.APPROVED,
        "can_download": manage and payroll.status == PayrollStatus.EXPORTED,
        "can_import": manage and payroll.status == PayrollStatus.EXPORTED,
        "return_form": ReturnFileForm(),
        "return_files": selectors.return_files(actor=request.user, payroll=payroll),
        "channels": PayoutChannel.choices,
    }
    return render_page(request, "payments/payroll.html", context, partial="results")


def _act(request, pk: int, action, done: str):
    payroll = selectors.payroll_get(actor=request.user, pk=pk)
    try:
        action(actor=request.user, payroll=payroll)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("payments:payroll", pk=pk)


@require(PAYROLL_MANAGE)
@require_POST
def payroll_check(request, pk: int):
    return _act(request, pk, services.payroll_check, _("The payroll is checked."))


@require(PAYROLL_APPROVE)
@require_POST
def payroll_approve(request, pk: int):
    return _act(request, pk, services.payroll_approve, _("The payroll is approved."))


@require(PAYROLL_MANAGE)
@require_POST
def payroll_export(request, pk: int):
    return _act(request, pk, services.payroll_export, _("The payroll is exported."))


@require(PAYROLL_MANAGE)
def payroll_file(request, pk: int, channel: str):
    payroll = selectors.payroll_get(actor=request.user, pk=pk)
    try:
        chunks = services.payroll_file_download(
            actor=request.user, payroll=payroll, channel=channel
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("payments:payroll", pk=pk)
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in chunks), content_type="text/csv; charset=utf-8"
    )
    name = services.payment_file_name(payroll, channel)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require(PAYROLL_MANAGE)
@require_POST
def return_import(request, pk: int):
    payroll = selectors.payroll_get(actor=request.user, pk=pk)
    form = ReturnFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the return file."))
        return redirect("payments:payroll", pk=pk)
    try:
        file = services.return_file_import(
            actor=request.user, payroll=payroll, upload=form.cleaned_data["file"]
        )
    except DomainError as error:
        problems = [m for messages_ in error.details.values() for m in messages_]
        shown = "; ".join(str(p) for p in problems[:5] if str(p) != str(error.message))
        messages.error(request, f"{error.message} {shown}".strip())
    else:
        messages.success(
            request,
            _("The return file is reconciled: %(paid)s paid, %(returned)s returned.")
            % {"paid": file.paid_count, "returned": file.returned_count},
        )
    return redirect("payments:payroll", pk=pk)


urlpatterns = [
    path("payrolls/", payroll_list, name="payrolls"),
    path("payrolls/<int:pk>/", payroll_detail, name="payroll"),
    path("payrolls/<int:pk>/check/", payroll_check, name="payroll_check"),
    path("payrolls/<int:pk>/approve/", payroll_approve, name="payroll_approve"),
    path("payrolls/<int:pk>/export/", payroll_export, name="payroll_export"),
    path("payrolls/<int:pk>/files/<str:channel>/", payroll_file, name="payroll_file"),
    path("payrolls/<int:pk>/returns/", return_import, name="return_import"),
]
