"""Correspondence: letters in and out, the original and its translations each kept exactly as
written, the discrepancies people find between them, attachments and replies.

A version's text is stored as given (no stripping, no normalising): seed 000 is a letter whose
translation and original disagree on the month of a visit, and the disagreement is evidence.
Resolving a discrepancy records which version is right; it never edits a version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NoReturn

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, require_choice, validated
from opora.core.uploads import DOCUMENTS, IMAGES, SCANS

from .. import audit_actions as actions
from ..models import (
    Agreement,
    Direction,
    Event,
    Letter,
    LetterAttachment,
    LetterDiscrepancy,
    LetterStatus,
    LetterVersion,
    Partner,
    PartnerPerson,
)
from .common import example_mark, language_code, require_manage, save_with_upload

__all__ = [
    "discrepancy_flag",
    "discrepancy_resolve",
    "letter_attachment_add",
    "letter_mark_answered",
    "letter_register",
    "letter_version_add",
]

ATTACHMENT_KINDS = DOCUMENTS | IMAGES


def refuse(code: str, field: str, message: str, *, conflict: bool = False) -> NoReturn:
    error = Conflict if conflict else DomainError
    raise error(code, message, details={field: [message]})


def _require_text(text: str, field: str = "text") -> None:
    if not isinstance(text, str) or not text.strip():
        refuse("text_required", field, _("Enter the text of the letter."))


# --- Letters -------------------------------------------------------------------------------------


def _check_dates(direction: str, dated_on: dt.date, received_on: dt.date | None) -> None:
    today = timezone.localdate()
    if received_on is None:
        return
    if direction != Direction.INCOMING:
        refuse(
            "received_on_outgoing",
            "received_on",
            _("Only an incoming letter has a date of receipt."),
        )
    if received_on < dated_on:
        refuse(
            "received_before_dated",
            "received_on",
            _("A letter cannot be received before the date it bears."),
        )
    if received_on > today:
        refuse("date_in_future", "received_on", _("The date of receipt is in the future."))


def _check_signatory(partner: Partner, signatory: PartnerPerson | None) -> None:
    if signatory is not None and signatory.partner_id != partner.pk:
        refuse(
            "signatory_of_other_partner",
            "signatory",
            _("%(person)s is not a representative of %(partner)s.")
            % {"person": signatory, "partner": partner},
        )


def _check_reply(
    *, partner: Partner, direction: str, dated_on: dt.date, in_reply_to: Letter | None
) -> None:
    if in_reply_to is None:
        return
    if in_reply_to.partner_id != partner.pk:
        refuse(
            "reply_to_other_partner",
            "in_reply_to",
            _("A reply answers a letter of the same partner."),
        )
    if in_reply_to.direction == direction:
        refuse(
            "reply_same_direction",
            "in_reply_to",
            _("A reply goes the other way: an outgoing letter answers an incoming one."),
        )
    if dated_on < in_reply_to.dated_on:
        refuse(
            "reply_before_letter",
            "dated_on",
            _("A reply cannot be dated before the letter it answers."),
        )


def _linked(objects: Iterable[Any], model: type[Model], field: str) -> list[Any]:
    items = list(objects)
    if any(not isinstance(item, model) or item.pk is None for item in items):
        refuse("unknown_link", field, _("Choose from the list."))
    return items


@transaction.atomic
def letter_register(
    *,
    actor: Actor,
    direction: str,
    partner: Partner,
    dated_on: dt.date,
    subject: str,
    language: str,
    text: str,
    number: str = "",
    received_on: dt.date | None = None,
    signatory: PartnerPerson | None = None,
    signatory_name: str = "",
    our_person: str = "",
    in_reply_to: Letter | None = None,
    events: Iterable[Event] = (),
    agreements: Iterable[Agreement] = (),
    is_example: bool = False,
    example_note: str = "",
) -> Letter:
    """Register a letter with its original text as its first version. A reply registered
    ``in_reply_to`` an incoming letter marks that letter answered. ``is_example`` and
    ``example_note`` mark a letter the demo made up."""
    require_manage(actor)
    require_choice(
        direction,
        Direction,
        field="direction",
        code="unknown_direction",
        message=_("Choose incoming or outgoing."),
    )
    _check_dates(direction, dated_on, received_on)
    _check_signatory(partner, signatory)
    _check_reply(partner=partner, direction=direction, dated_on=dated_on, in_reply_to=in_reply_to)
    answers = (
        in_reply_to
        if in_reply_to is not None and in_reply_to.direction == Direction.INCOMING
        else None
    )
    linked_events = _linked(events, Event, "events")
    linked_agreements = _linked(agreements, Agreement, "agreements")
    language = language_code(language)
    _require_text(text)
    letter = validated(
        Letter(
            direction=direction,
            number=number.strip(),
            dated_on=dated_on,
            received_on=received_on,
            partner=partner,
            signatory=signatory,
            signatory_name=(signatory_name.strip() or (signatory.full_name if signatory else "")),
            our_person=our_person.strip(),
            subject=subject.strip(),
            in_reply_to=in_reply_to,
            **example_mark(is_example, example_note),
        )
    )
    letter.save()
    letter.events.set(linked_events)
    letter.agreements.set(linked_agreements)
    original = validated(
        LetterVersion(letter=letter, language=language, is_original=True, text=text),
        exclude=["file"],
    )
    original.save()
    audit.record(
        actor=actor,
        action=actions.LETTER_REGISTERED,
        obj=letter,
        changes=audit.snapshot(
            letter,
            [
                "direction",
                "number",
                "dated_on",
                "received_on",
                "partner",
                "signatory",
                "subject",
                "is_example",
                "example_note",
            ],
        ),
        data={
            "direction": direction,
            "language": language,
            "in_reply_to": in_reply_to.pk if in_reply_to else None,
            "answers": answers.pk if answers else None,
            "events": [event.pk for event in linked_events],
            "agreements": [agreement.pk for agreement in linked_agreements],
        },
    )
    if answers is not None:
        letter_mark_answered(actor=actor, letter=answers, reply=letter)
    return letter


@transaction.atomic
def letter_mark_answered(*, actor: Actor, letter: Letter, reply: Letter) -> Letter:
    """An incoming letter becomes answered by an outgoing reply registered in reply to it;
    marking it again changes nothing. The step is on the answered letter's history too."""
    require_manage(actor)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.direction != Direction.INCOMING:
        refuse("not_incoming", "letter", _("Only an incoming letter is answered."))
    if reply.in_reply_to_id != letter.pk or reply.direction != Direction.OUTGOING:
        refuse(
            "not_a_reply",
            "reply",
            _("The reply must be an outgoing letter registered in reply to this one."),
        )
    if letter.status == LetterStatus.ANSWERED:
        return letter
    before = letter.status
    letter.status = LetterStatus.ANSWERED
    letter.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action=actions.LETTER_ANSWERED,
        obj=letter,
        changes={"status": [before, letter.status]},
        data={"reply": str(reply), "reply_id": reply.pk},
    )
    return letter


# --- Versions ------------------------------------------------------------------------------------


@transaction.atomic
def letter_version_add(
    *,
    actor: Actor,
    letter: Letter,
    language: str,
    text: str,
    is_original: bool = False,
    translator: str = "",
    file: Any = None,
) -> LetterVersion:
    """Add the original or a translation, its text kept exactly as given. A letter has one
    original and one version per language."""
    require_manage(actor)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    language = language_code(language)
    if file is None:
        _require_text(text)
    elif not isinstance(text, str):
        refuse("text_required", "text", _("Enter the text of the letter."))
    versions = LetterVersion.objects.filter(letter=letter)
    if is_original and versions.filter(is_original=True).exists():
        refuse(
            "original_exists",
            "is_original",
            _("The letter already has its original; add this one as a translation."),
            conflict=True,
        )
    if versions.filter(language=language).exists():
        refuse(
            "language_exists",
            "language",
            _("The letter already has a version in this language."),
            conflict=True,
        )
    version = LetterVersion(
        letter=letter,
        language=language,
        is_original=is_original,
        text=text,
        translator="" if is_original else translator.strip(),
    )

    def write_audit() -> None:
        audit.record(
            actor=actor,
            action=actions.LETTER_VERSION_ADDED,
            obj=letter,
            data={
                "language": language,
                "version": version.pk,
                "is_original": is_original,
                "scan": file is not None,
            },
        )

    if file is None:
        validated(version, exclude=["file"])
        version.save()
        write_audit()
    else:
        save_with_upload(version, file, allowed=SCANS, after_save=write_audit)
    return version


# --- Attachments ---------------------------------------------------------------------------------


@transaction.atomic
def letter_attachment_add(
    *, actor: Actor, letter: Letter, upload: Any, title: str = ""
) -> LetterAttachment:
    """Attach a file: its type read from its content, its size limited, its name random; a
    refused upload leaves neither a file nor a row."""
    require_manage(actor)
    attachment = LetterAttachment(letter=letter, title=title.strip())

    def write_audit() -> None:
        audit.record(
            actor=actor,
            action=actions.LETTER_ATTACHMENT_ADDED,
            obj=letter,
            data={
                "name": attachment.original_name,
                "attachment": attachment.pk,
                "size": attachment.size,
            },
        )

    save_with_upload(attachment, upload, allowed=ATTACHMENT_KINDS, after_save=write_audit)
    return attachment


# --- Discrepancies -------------------------------------------------------------------------------


@transaction.atomic
def discrepancy_flag(
    *, actor: Actor, letter: Letter, versions: Iterable[LetterVersion], description: str
) -> LetterDiscrepancy:
    """Record that two or more versions of the letter disagree, and in what."""
    require_manage(actor)
    chosen = {version.pk: version for version in versions}
    if len(chosen) < 2:
        refuse("two_versions_needed", "versions", _("Choose at least two versions that disagree."))
    if LetterVersion.objects.filter(pk__in=chosen, letter=letter).count() != len(chosen):
        refuse(
            "version_of_other_letter",
            "versions",
            _("Choose versions of this letter only."),
        )
    if not description.strip():
        refuse("description_required", "description", _("Say what disagrees."))
    discrepancy = validated(
        LetterDiscrepancy(
            letter=letter,
            description=description.strip(),
            flagged_by=audit.acting_user(actor),
            flagged_at=timezone.now(),
        )
    )
    discrepancy.save()
    discrepancy.versions.set(list(chosen.values()))
    audit.record(
        actor=actor,
        action=actions.LETTER_DISCREPANCY_FLAGGED,
        obj=letter,
        data={
            "discrepancy": discrepancy.pk,
            "versions": sorted(chosen),
            "description": discrepancy.description,
        },
    )
    return discrepancy


@transaction.atomic
def discrepancy_resolve(
    *,
    actor: Actor,
    discrepancy: LetterDiscrepancy,
    correct_version: LetterVersion,
    resolution: str,
) -> LetterDiscrepancy:
    """Record which of the disagreeing versions is right and why. No version's text changes:
    the wrong one stays as it was received, with the resolution beside it."""
    require_manage(actor)
    discrepancy = (
        LetterDiscrepancy.objects.select_for_update()
        .select_related("letter")
        .get(pk=discrepancy.pk)
    )
    if discrepancy.resolved_at is not None:
        refuse(
            "discrepancy_resolved",
            "__all__",
            _("This discrepancy has already been resolved."),
            conflict=True,
        )
    if not discrepancy.versions.filter(pk=correct_version.pk).exists():
        refuse(
            "version_not_in_discrepancy",
            "correct_version",
            _("Choose one of the versions that disagree."),
        )
    if not resolution.strip():
        refuse("resolution_required", "resolution", _("Say how the discrepancy was resolved."))
    discrepancy.correct_version = correct_version
    discrepancy.resolution = resolution.strip()
    discrepancy.resolved_by = audit.acting_user(actor)
    discrepancy.resolved_at = timezone.now()
    validated(discrepancy)
    discrepancy.save(update_fields=["correct_version", "resolution", "resolved_by", "resolved_at"])
    audit.record(
        actor=actor,
        action=actions.LETTER_DISCREPANCY_RESOLVED,
        obj=discrepancy.letter,
        data={
            "discrepancy": discrepancy.pk,
            "correct_version": correct_version.pk,
            "language": correct_version.language,
            "resolution": discrepancy.resolution,
        },
    )
    return discrepancy
