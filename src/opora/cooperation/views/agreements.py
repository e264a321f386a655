"""The agreements and programmes: the list with renewals due and overdue action items marked,
and one agreement with its parties, versions, files and action plan."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.core.forms import form_page
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page
from opora.core.tabs import history_rows

from .. import selectors, services
from ..access import COOPERATION_MANAGE, COOPERATION_VIEW
from ..forms import ActionStatusForm, AgreementFilterForm
from ..models import Agreement
from ..selectors import pages
from .common import stored_file

AGREEMENT_COLUMNS = [
    Column("title", gettext_lazy("Agreement"), "title"),
    Column("kind", gettext_lazy("Kind"), "kind"),
    Column("signed_on", gettext_lazy("Signed on"), "signed_on"),
    Column("valid_to", gettext_lazy("Valid to"), "valid_to"),
    Column("status", gettext_lazy("Status"), "status"),
]


def agreement_url(agreement: Agreement) -> str:
    return reverse("cooperation:agreement", args=[agreement.pk])


@require(COOPERATION_VIEW)
def agreement_list(request):
    form = AgreementFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    qs = selectors.agreement_list(
        actor=request.user,
        status=filters.get("status", ""),
        partner=filters.get("partner"),
        expiring_within=filters.get("expiring_within"),
    )
    overdue = list(selectors.action_items_overdue(on=today))
    context = {
        "table": sorted_page(request, qs, AGREEMENT_COLUMNS, default_sort="-signed_on"),
        "form": form,
        "filtered": any(filters.get(key) for key in form.fields),
        "today": today,
        "renewals": list(selectors.renewals_due(on=today)),
        "overdue": overdue,
        "overdue_agreements": {item.agreement_id for item in overdue},
        "can_manage": has_permission(request.user, COOPERATION_MANAGE),
    }
    context["renewal_ids"] = {agreement.pk for agreement in context["renewals"]}
    return render_page(request, "cooperation/agreements/list.html", context, partial="results")


@require(COOPERATION_VIEW)
def agreement_detail(request, pk: int):
    agreement = pages.agreement_page(pk)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "agreement": agreement,
        "today": today,
        "history": history_rows(agreement),
        "can_manage": has_permission(request.user, COOPERATION_MANAGE),
    }
    return render_page(request, "cooperation/agreements/detail.html", context)


@require(COOPERATION_VIEW)
def agreement_file(request, pk: int, file: int):
    agreement = pages.agreement_page(pk)
    return stored_file(pages.agreement_file_get(agreement=agreement, pk=file))


@require(COOPERATION_MANAGE)
def action_status(request, pk: int):
    item = pages.action_get(pk)
    agreement = item.agreement
    form = ActionStatusForm(
        request.POST or None, initial={"status": item.status, "note": item.note}
    )

    def save(data):
        return services.action_item_set_status(
            actor=request.user,
            item=item,
            status=data["status"],
            done_on=data["done_on"],
            note=data["note"],
        )

    return form_page(
        request,
        form,
        save,
        title=_("The status of “%(item)s”") % {"item": item.title},
        crumbs=[
            (_("Agreements"), reverse("cooperation:agreements")),
            (str(agreement.title), agreement_url(agreement)),
        ],
        done=agreement_url(agreement),
        saved=_("The status is changed."),
    )


urlpatterns = [
    path("agreements/", agreement_list, name="agreements"),
    path("agreements/<int:pk>/", agreement_detail, name="agreement"),
    path("agreements/<int:pk>/files/<int:file>/", agreement_file, name="agreement_file"),
    path("action-items/<int:pk>/status/", action_status, name="action_status"),
]
