"""The correspondence: the register, and a letter with its versions side by side (the original
first, each kept as it is), the discrepancies flagged between them, attachments and replies."""

from __future__ import annotations

from typing import Any

from django.http import Http404
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
from ..forms import (
    AttachmentForm,
    DiscrepancyForm,
    LetterFilterForm,
    LetterForm,
    ResolveForm,
    VersionForm,
)
from ..models import Letter
from ..selectors import pages
from .common import stored_file

LETTER_COLUMNS = [
    Column("dated_on", gettext_lazy("Dated"), "dated_on"),
    Column("direction", gettext_lazy("Direction"), "direction"),
    Column("number", gettext_lazy("Number"), "number"),
    Column("partner", gettext_lazy("Partner"), "partner__name"),
    Column("subject", gettext_lazy("Subject"), "subject"),
    Column("status", gettext_lazy("Status"), "status"),
]


def letter_url(letter: Letter) -> str:
    return reverse("cooperation:letter", args=[letter.pk])


def letter_crumbs(letter: Letter) -> list[tuple[str, str]]:
    return [(_("Letters"), reverse("cooperation:letters")), (str(letter), letter_url(letter))]


@require(COOPERATION_VIEW)
def letter_list(request):
    form = LetterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.letter_list(
        direction=filters.get("direction", ""),
        partner=filters.get("partner"),
        year=filters.get("year"),
        q=filters.get("q", ""),
        unresolved=bool(filters.get("unresolved")),
    )
    context = {
        "table": sorted_page(request, qs, LETTER_COLUMNS, default_sort="-dated_on"),
        "form": form,
        "filtered": any(filters.get(key) for key in form.fields),
        "can_manage": has_permission(request.user, COOPERATION_MANAGE),
    }
    return render_page(request, "cooperation/letters/list.html", context, partial="results")


@require(COOPERATION_VIEW)
def letter_detail(request, pk: int):
    letter = pages.letter_page(pk)
    discrepancies = list(letter.discrepancies.all())
    context: dict[str, Any] = {
        "letter": letter,
        "versions": list(letter.versions.all()),
        "open_discrepancies": [d for d in discrepancies if d.resolved_at is None],
        "resolved_discrepancies": [d for d in discrepancies if d.resolved_at is not None],
        "chain": pages.reply_chain(letter),
        "replies": list(letter.replies.all()),
        "history": history_rows(letter),
        "can_manage": has_permission(request.user, COOPERATION_MANAGE),
    }
    return render_page(request, "cooperation/letters/detail.html", context)


@require(COOPERATION_MANAGE)
def letter_create(request):
    initial: dict[str, Any] = {"dated_on": timezone.localdate()}
    if request.GET.get("reply_to", "").isdigit():
        answered = pages.letter_choices().filter(pk=request.GET["reply_to"]).first()
        if answered is not None:
            initial.update(
                in_reply_to=answered.pk, partner=answered.partner_id, direction="outgoing"
            )
    form = LetterForm(request.POST or None, initial=initial)

    def save(data):
        return services.letter_register(
            actor=request.user,
            direction=data["direction"],
            partner=data["partner"],
            number=data["number"],
            dated_on=data["dated_on"],
            received_on=data["received_on"],
            signatory_name=data["signatory_name"],
            our_person=data["our_person"],
            subject=data["subject"],
            in_reply_to=data["in_reply_to"],
            language=data["language"],
            text=data["text"],
        )

    return form_page(
        request,
        form,
        save,
        title=_("Register a letter"),
        crumbs=[(_("Letters"), reverse("cooperation:letters"))],
        done=letter_url,
        saved=_("The letter is registered."),
    )


@require(COOPERATION_MANAGE)
def version_add(request, pk: int):
    letter = pages.letter_page(pk)
    form = VersionForm(request.POST or None, request.FILES or None)

    def save(data):
        return services.letter_version_add(
            actor=request.user,
            letter=letter,
            language=data["language"],
            text=data["text"],
            translator=data["translator"],
            file=data["file"],
        )

    return form_page(
        request,
        form,
        save,
        title=_("Add a translation"),
        crumbs=letter_crumbs(letter),
        done=letter_url(letter),
        saved=_("The version is added."),
        intro=_("Each version is kept as it is written; a disagreement is flagged, not edited."),
    )


@require(COOPERATION_MANAGE)
def discrepancy_flag(request, pk: int):
    letter = pages.letter_page(pk)
    form = DiscrepancyForm(request.POST or None, letter=letter)

    def save(data):
        return services.discrepancy_flag(
            actor=request.user,
            letter=letter,
            versions=list(data["versions"]),
            description=data["description"],
        )

    return form_page(
        request,
        form,
        save,
        title=_("Flag a discrepancy between versions"),
        crumbs=letter_crumbs(letter),
        done=letter_url(letter),
        saved=_("The discrepancy is flagged."),
    )


@require(COOPERATION_MANAGE)
def discrepancy_resolve(request, pk: int, discrepancy: int):
    letter = pages.letter_page(pk)
    found = pages.discrepancy_get(letter=letter, pk=discrepancy)
    form = ResolveForm(request.POST or None, discrepancy=found)

    def save(data):
        return services.discrepancy_resolve(
            actor=request.user,
            discrepancy=found,
            correct_version=data["correct_version"],
            resolution=data["resolution"],
        )

    return form_page(
        request,
        form,
        save,
        title=_("Resolve the discrepancy"),
        crumbs=letter_crumbs(letter),
        done=letter_url(letter),
        saved=_("The discrepancy is resolved; the versions stay as they are."),
        intro=found.description,
    )


@require(COOPERATION_MANAGE)
def attachment_add(request, pk: int):
    letter = pages.letter_page(pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)

    def save(data):
        return services.letter_attachment_add(
            actor=request.user, letter=letter, upload=data["file"], title=data["title"]
        )

    return form_page(
        request,
        form,
        save,
        title=_("Attach a file"),
        crumbs=letter_crumbs(letter),
        done=letter_url(letter),
        saved=_("The file is attached."),
    )


@require(COOPERATION_VIEW)
def attachment_download(request, pk: int, attachment: int):
    letter = pages.letter_page(pk)
    return stored_file(pages.attachment_get(letter=letter, pk=attachment))


@require(COOPERATION_VIEW)
def version_scan(request, pk: int, version: int):
    letter = pages.letter_page(pk)
    found = pages.versions_of(letter).filter(pk=version).first()
    if found is None or not found.file:
        raise Http404
    return stored_file(found, name=found.file.name.rsplit("/", 1)[-1])


urlpatterns = [
    path("letters/", letter_list, name="letters"),
    path("letters/new/", letter_create, name="letter_create"),
    path("letters/<int:pk>/", letter_detail, name="letter"),
    path("letters/<int:pk>/versions/add/", version_add, name="version_add"),
    path("letters/<int:pk>/versions/<int:version>/scan/", version_scan, name="version_scan"),
    path("letters/<int:pk>/discrepancies/add/", discrepancy_flag, name="discrepancy_flag"),
    path(
        "letters/<int:pk>/discrepancies/<int:discrepancy>/resolve/",
        discrepancy_resolve,
        name="discrepancy_resolve",
    ),
    path("letters/<int:pk>/attachments/add/", attachment_add, name="attachment_add"),
    path(
        "letters/<int:pk>/attachments/<int:attachment>/",
        attachment_download,
        name="attachment",
    ),
]
