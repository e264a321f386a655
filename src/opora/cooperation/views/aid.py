"""Partners' needs and the aid handed over: the list of needs with the deliveries, raising a
need, changing its status, recording a delivery with its items."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.core.forms import form_page
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page

from .. import selectors, services
from ..access import COOPERATION_MANAGE, COOPERATION_VIEW
from ..forms import AidForm, NeedFilterForm, NeedForm, NeedStatusForm
from ..selectors import pages

NEED_COLUMNS = [
    Column("raised_on", gettext_lazy("Raised on"), "raised_on"),
    Column("partner", gettext_lazy("Partner"), "partner__name"),
    Column("title", gettext_lazy("Need"), "title"),
    Column("kind", gettext_lazy("Kind"), "kind"),
    Column("status", gettext_lazy("Status"), "status"),
    Column("actions", ""),
]


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Needs and aid"), reverse("cooperation:needs"))]


@require(COOPERATION_VIEW)
def need_list(request):
    form = NeedFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.need_list(
        status=filters.get("status", ""),
        partner=filters.get("partner"),
        kind=filters.get("kind", ""),
    )
    context = {
        "table": sorted_page(request, qs, NEED_COLUMNS, default_sort="-raised_on"),
        "form": form,
        "filtered": any(filters.get(key) for key in form.fields),
        "deliveries": selectors.aid_list()[:50],
        "can_manage": has_permission(request.user, COOPERATION_MANAGE),
    }
    return render_page(request, "cooperation/aid/list.html", context, partial="results")


@require(COOPERATION_MANAGE)
def need_create(request):
    initial = {}
    if request.GET.get("partner", "").isdigit():
        initial["partner"] = int(request.GET["partner"])
    form = NeedForm(request.POST or None, initial=initial)

    def save(data):
        return services.need_raise(
            actor=request.user,
            partner=data["partner"],
            kind=data["kind"],
            raised_on=data["raised_on"],
            raised_at_event=data["raised_at_event"],
            **form.translations(data),
        )

    return form_page(
        request,
        form,
        save,
        title=_("Record a partner's need"),
        crumbs=_crumbs(),
        done=reverse("cooperation:needs"),
        saved=_("The need is recorded."),
    )


@require(COOPERATION_MANAGE)
def need_status(request, pk: int):
    need = selectors.need_get(pk=pk)
    form = NeedStatusForm(
        request.POST or None, initial={"status": need.status, "status_note": need.status_note}
    )

    def save(data):
        return services.need_status_change(
            actor=request.user, need=need, status=data["status"], note=data["status_note"]
        )

    return form_page(
        request,
        form,
        save,
        title=_("The status of the need “%(need)s”") % {"need": need.title},
        crumbs=_crumbs(),
        done=reverse("cooperation:needs"),
        saved=_("The status is changed."),
    )


@require(COOPERATION_MANAGE)
def aid_record(request):
    initial = {}
    if request.GET.get("need", "").isdigit():
        need = pages.open_needs().filter(pk=request.GET["need"]).first()
        if need is not None:
            initial = {"need": need.pk, "partner": need.partner_id}
    form = AidForm(request.POST or None, initial=initial)

    def save(data):
        return services.aid_deliver(
            actor=request.user,
            partner=data["partner"],
            need=data["need"],
            handed_over_on=data["handed_over_on"],
            document=data["document"],
            notes=data["notes"],
            items=form.items(),
        )

    return form_page(
        request,
        form,
        save,
        title=_("Record aid handed over"),
        crumbs=_crumbs(),
        done=reverse("cooperation:needs"),
        saved=_("The delivery is recorded."),
    )


urlpatterns = [
    path("needs/", need_list, name="needs"),
    path("needs/new/", need_create, name="need_create"),
    path("needs/<int:pk>/status/", need_status, name="need_status"),
    path("aid/new/", aid_record, name="aid_record"),
]
