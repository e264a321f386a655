"""Writing agreements: the agreement with its parties, its amendments, the texts of a version
in each language, and the items of its action plan."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext as _

from opora.core.forms import form_page
from opora.core.permissions import require

from .. import services
from ..access import COOPERATION_MANAGE
from ..forms import ActionItemForm, AgreementForm, AgreementTextForm, AmendmentForm
from ..models import Agreement, DatePrecision
from ..selectors import pages
from .agreements import agreement_url


def _crumbs(agreement: Agreement | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Agreements"), reverse("cooperation:agreements"))]
    if agreement is not None:
        crumbs.append((str(agreement.title), agreement_url(agreement)))
    return crumbs


def _agreement_fields(form: AgreementForm, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": data["kind"],
        "number": data["number"],
        "signed_on": data["signed_on"],
        "valid_from": data["valid_from"],
        "dates_precision": data["dates_precision"] or DatePrecision.DAY,
        "valid_to": data["valid_to"],
        "renewal_notice_days": data["renewal_notice_days"],
        "status": data["status"],
        "themes": data["themes"],
        "parties": form.parties(),
        **form.translations(data),
    }


@require(COOPERATION_MANAGE)
def agreement_create(request):
    form = AgreementForm(request.POST or None)

    def save(data):
        return services.agreement_create(actor=request.user, **_agreement_fields(form, data))

    return form_page(
        request,
        form,
        save,
        title=_("New agreement"),
        crumbs=_crumbs(),
        done=agreement_url,
        saved=_("The agreement is added."),
    )


@require(COOPERATION_MANAGE)
def agreement_edit(request, pk: int):
    agreement = pages.agreement_page(pk)
    initial = {
        "kind": agreement.kind,
        "number": agreement.number,
        "signed_on": agreement.signed_on,
        "valid_from": agreement.valid_from,
        "dates_precision": agreement.dates_precision,
        "valid_to": agreement.valid_to,
        "renewal_notice_days": agreement.renewal_notice_days,
        "status": agreement.status,
        "themes": agreement.themes,
        **AgreementForm.initial_of(agreement),
        **AgreementForm.initial_of_parties(agreement.parties.all()),
    }
    form = AgreementForm(request.POST or None, initial=initial)

    def save(data):
        return services.agreement_update(
            actor=request.user, agreement=agreement, **_agreement_fields(form, data)
        )

    return form_page(
        request,
        form,
        save,
        title=_("Change the agreement"),
        crumbs=_crumbs(agreement),
        done=agreement_url(agreement),
    )


@require(COOPERATION_MANAGE)
def amendment_add(request, pk: int):
    agreement = pages.agreement_page(pk)
    form = AmendmentForm(request.POST or None)

    def save(data):
        return services.agreement_version_add(
            actor=request.user,
            agreement=agreement,
            signed_on=data["signed_on"],
            **form.translations(data),
        )

    return form_page(
        request,
        form,
        save,
        title=_("Add an amendment"),
        crumbs=_crumbs(agreement),
        done=agreement_url(agreement),
        saved=_("The amendment is added; upload its text."),
    )


@require(COOPERATION_MANAGE)
def agreement_text_add(request, pk: int):
    agreement = pages.agreement_page(pk)
    form = AgreementTextForm(request.POST or None, request.FILES or None, agreement=agreement)

    def save(data):
        return services.agreement_file_add(
            actor=request.user,
            version=data["version"],
            language=data["language"],
            upload=data["file"],
        )

    return form_page(
        request,
        form,
        save,
        title=_("Upload a text of the agreement"),
        crumbs=_crumbs(agreement),
        done=agreement_url(agreement),
        saved=_("The text is uploaded."),
    )


@require(COOPERATION_MANAGE)
def action_add(request, pk: int):
    agreement = pages.agreement_page(pk)
    form = ActionItemForm(request.POST or None)

    def save(data):
        return services.action_item_add(
            actor=request.user,
            agreement=agreement,
            owner=data["owner"],
            due_on=data["due_on"],
            status=data["status"],
            events=list(data["events"]),
            note=data["note"],
            **form.translations(data),
        )

    return form_page(
        request,
        form,
        save,
        title=_("Add an item to the action plan"),
        crumbs=_crumbs(agreement),
        done=agreement_url(agreement),
        saved=_("The item is added to the action plan."),
    )


urlpatterns = [
    path("agreements/new/", agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/edit/", agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/amendments/add/", amendment_add, name="amendment_add"),
    path("agreements/<int:pk>/texts/add/", agreement_text_add, name="agreement_text_add"),
    path("agreements/<int:pk>/actions/add/", action_add, name="action_add"),
]
