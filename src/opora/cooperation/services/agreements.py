"""Agreements and programmes: parties, versions (the original and amendments), their texts as
files in several languages, and the action plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import DomainError, reject_unknown_fields, validated
from opora.core.uploads import DOCUMENTS

from .. import audit_actions as actions
from ..models import (
    ActionItem,
    ActionStatus,
    Agreement,
    AgreementFile,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    AgreementVersion,
    DatePrecision,
    Event,
    start_of,
)
from .common import (
    apply_translations,
    choice,
    example_mark,
    language_code,
    require_manage,
    require_russian,
    russian,
    save_with_upload,
)
from .common import split_translations as _split

__all__ = [
    "action_item_add",
    "action_item_set_status",
    "action_item_update",
    "agreement_create",
    "agreement_file_add",
    "agreement_update",
    "agreement_version_add",
]

AGREEMENT_FIELDS = (
    "number",
    "kind",
    "signed_on",
    "valid_from",
    "dates_precision",
    "valid_to",
    "renewal_notice_days",
    "status",
    "themes",
    "parties",
)
ACTION_FIELDS = ("owner", "due_on", "status", "done_on", "events", "note")
PARTY_FIELDS = ("partner", "signer_name")


def _themes(values: Iterable[str]) -> list[str]:
    themes: list[str] = []
    for value in values or ():
        theme = str(value).strip()
        if theme and theme not in themes:
            themes.append(theme[:100])
    return themes


def _check_agreement(agreement: Agreement) -> None:
    if agreement.valid_to is not None and agreement.valid_to < agreement.valid_from:
        raise DomainError(
            "ends_before_start",
            _("An agreement cannot end before it comes into force."),
            details={"valid_to": [_("Enter a date on or after the start of validity.")]},
        )
    if agreement.status == AgreementStatus.IN_FORCE and agreement.signed_on is None:
        raise DomainError(
            "not_signed",
            _("An agreement comes into force only once it is signed."),
            details={"signed_on": [_("Enter the date of signing.")]},
        )


def _replace_parties(agreement: Agreement, parties: Sequence[Mapping[str, Any]]) -> list[Any]:
    """The parties as given: each a mapping with ``partner`` (None: our department),
    ``signer_name`` and ``signer_position`` (or ``signer_position_ru=…, _en=…``)."""
    seen: set[int | None] = set()
    rows = []
    for party in parties:
        plain, values = _split(AgreementParty, party)
        reject_unknown_fields(plain, PARTY_FIELDS)
        partner = plain.get("partner")
        key = partner.pk if partner is not None else None
        if key in seen:
            raise DomainError(
                "party_repeated",
                _("Each party is named once."),
                details={"parties": [_("Remove the repeated party.")]},
            )
        seen.add(key)
        row = AgreementParty(
            agreement=agreement,
            partner=partner,
            signer_name=(plain.get("signer_name") or "").strip(),
        )
        apply_translations(row, values)
        rows.append(row)
    agreement.parties.all().delete()
    for row in rows:
        validated(row, exclude=["agreement"])
        row.save()
    return [row.partner_id for row in rows]


def _set_agreement_fields(agreement: Agreement, fields: dict[str, Any]) -> None:
    plain, translations = _split(Agreement, fields)
    reject_unknown_fields(plain, AGREEMENT_FIELDS)
    plain.pop("parties", None)
    if "kind" in plain:
        choice(plain["kind"], AgreementKind, "kind")
    if "status" in plain:
        choice(plain["status"], AgreementStatus, "status")
    if "dates_precision" in plain:
        choice(plain["dates_precision"], DatePrecision, "dates_precision")
    if "themes" in plain:
        plain["themes"] = _themes(plain["themes"])
    if "number" in plain:
        plain["number"] = (plain["number"] or "").strip()
    for name, value in plain.items():
        setattr(agreement, name, value)
    precision = agreement.dates_precision
    if agreement.signed_on is not None:
        agreement.signed_on = start_of(agreement.signed_on, precision)
    if agreement.valid_from is not None:
        agreement.valid_from = start_of(agreement.valid_from, precision)
    apply_translations(agreement, translations)
    require_russian(agreement, "title")
    _check_agreement(agreement)


@transaction.atomic
def agreement_create(
    *,
    actor: Actor,
    kind: str,
    valid_from: dt.date,
    number: str = "",
    signed_on: dt.date | None = None,
    dates_precision: str = DatePrecision.DAY,
    valid_to: dt.date | None = None,
    renewal_notice_days: int = 90,
    status: str = AgreementStatus.DRAFT,
    themes: Iterable[str] = (),
    parties: Sequence[Mapping[str, Any]] = (),
    is_example: bool = False,
    example_note: str = "",
    **translations: str,
) -> Agreement:
    """An agreement with its parties and its original text as version 1 (signed when the
    agreement is); ``title_ru=…, description_ru=…`` per language. ``is_example`` and
    ``example_note`` mark what the demo made up (a day of signing the sources do not give)."""
    require_manage(actor)
    agreement = Agreement(**example_mark(is_example, example_note))
    _set_agreement_fields(
        agreement,
        {
            "kind": kind,
            "valid_from": valid_from,
            "number": number,
            "signed_on": signed_on,
            "dates_precision": dates_precision,
            "valid_to": valid_to,
            "renewal_notice_days": renewal_notice_days,
            "status": status,
            "themes": list(themes),
            **translations,
        },
    )
    validated(agreement)
    agreement.save()
    party_ids = _replace_parties(agreement, parties)
    AgreementVersion.objects.create(agreement=agreement, number=1, signed_on=agreement.signed_on)
    audit.record(
        actor=actor,
        action=actions.AGREEMENT_CREATED,
        obj=agreement,
        data={"status": status, "parties": party_ids, "is_example": agreement.is_example},
    )
    return agreement


def _agreement_snapshot(agreement: Agreement) -> dict[str, Any]:
    names = [name for name in AGREEMENT_FIELDS if name != "parties"]
    for base in ("title", "description"):
        names += [f"{base}_{code}" for code in ("ru", "en", "fi", "de")]
    values = audit.snapshot(agreement, names)
    values["parties"] = [
        [party.partner_id, party.signer_name] for party in agreement.parties.order_by("id")
    ]
    return values


@transaction.atomic
def agreement_update(*, actor: Actor, agreement: Agreement, **fields: Any) -> Agreement:
    """Change an agreement: any of its fields, its status, and its parties when ``parties`` is
    given (the list replaces the one before)."""
    require_manage(actor)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    before = _agreement_snapshot(agreement)
    parties = fields.get("parties")
    _set_agreement_fields(agreement, dict(fields))
    validated(agreement)
    agreement.save()
    if parties is not None:
        _replace_parties(agreement, parties)
    audit.record_changes(
        actor=actor,
        action=actions.AGREEMENT_UPDATED,
        obj=agreement,
        before=before,
        after=_agreement_snapshot(agreement),
        data={"status": agreement.status},
    )
    return agreement


@transaction.atomic
def agreement_version_add(
    *,
    actor: Actor,
    agreement: Agreement,
    signed_on: dt.date | None = None,
    **translations: str,
) -> AgreementVersion:
    """An amendment: the next number after the versions so far (``summary_ru=…``)."""
    require_manage(actor)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _plain, values = _split(AgreementVersion, translations)
    reject_unknown_fields(_plain, ())
    if (
        signed_on is not None
        and agreement.signed_on is not None
        and signed_on < agreement.signed_on
    ):
        raise DomainError(
            "amendment_before_agreement",
            _("An amendment cannot be signed before the agreement itself."),
            details={"signed_on": [_("Enter a date on or after the signing of the agreement.")]},
        )
    last = agreement.versions.aggregate(last=Max("number"))["last"] or 0
    version = AgreementVersion(agreement=agreement, number=last + 1, signed_on=signed_on)
    apply_translations(version, values)
    validated(version)
    version.save()
    audit.record(
        actor=actor,
        action=actions.AGREEMENT_VERSION_ADDED,
        obj=agreement,
        data={"number": version.number, "version": version.pk},
    )
    return version


@transaction.atomic
def agreement_file_add(
    *, actor: Actor, version: AgreementVersion, language: str, upload: Any
) -> AgreementFile:
    """The text of a version in one language: PDF, DOCX, ODT or plain text, read from its
    content; stored under a random name; a refused file leaves nothing behind."""
    require_manage(actor)
    version = AgreementVersion.objects.select_related("agreement").get(pk=version.pk)
    found = AgreementFile(version=version, language=language_code(language))

    def record() -> None:
        audit.record(
            actor=actor,
            action=actions.AGREEMENT_FILE_ADDED,
            obj=version.agreement,
            data={
                "name": found.original_name,
                "language": found.language,
                "version": version.number,
                "file": found.pk,
            },
        )

    save_with_upload(found, upload, allowed=DOCUMENTS, after_save=record)
    return found


# --- Action plan -------------------------------------------------------------------------------


def _events(values: Iterable[Event]) -> list[Event]:
    return list(values or ())


def _settle_done(item: ActionItem, done_on: dt.date | None) -> None:
    """An item done has the day it was done (today unless given); any other status has none."""
    if item.status == ActionStatus.DONE:
        item.done_on = done_on or item.done_on or timezone.localdate()
    else:
        item.done_on = None


@transaction.atomic
def action_item_add(
    *,
    actor: Actor,
    agreement: Agreement,
    owner: str = "",
    due_on: dt.date | None = None,
    status: str = ActionStatus.PLANNED,
    done_on: dt.date | None = None,
    events: Iterable[Event] = (),
    note: str = "",
    **translations: str,
) -> ActionItem:
    """An item of the agreement's action plan (``title_ru=…, title_en=…``)."""
    require_manage(actor)
    _plain, values = _split(ActionItem, translations)
    reject_unknown_fields(_plain, ())
    choice(status, ActionStatus, "status")
    item = ActionItem(
        agreement=agreement, owner=owner.strip(), due_on=due_on, status=status, note=note.strip()
    )
    apply_translations(item, values)
    require_russian(item, "title")
    _settle_done(item, done_on)
    validated(item)
    item.save()
    item.events.set(_events(events))
    audit.record(
        actor=actor,
        action=actions.ACTION_ITEM_ADDED,
        obj=agreement,
        data={"title": russian(item, "title"), "item": item.pk, "status": status},
    )
    return item


def _item_snapshot(item: ActionItem) -> dict[str, Any]:
    names = [*ACTION_FIELDS] + [f"title_{code}" for code in ("ru", "en", "fi", "de")]
    return audit.snapshot(item, names)


@transaction.atomic
def action_item_update(*, actor: Actor, item: ActionItem, **fields: Any) -> ActionItem:
    """Change an item: any of its fields; status "done" sets ``done_on`` (today unless
    given), another status clears it."""
    require_manage(actor)
    item = ActionItem.objects.select_for_update().select_related("agreement").get(pk=item.pk)
    before = _item_snapshot(item)
    plain, values = _split(ActionItem, fields)
    reject_unknown_fields(plain, ACTION_FIELDS)
    if "status" in plain:
        choice(plain["status"], ActionStatus, "status")
    events = plain.pop("events", None)
    done_on = plain.pop("done_on", None)
    for name, value in plain.items():
        setattr(item, name, (value or "").strip() if name in {"owner", "note"} else value)
    apply_translations(item, values)
    require_russian(item, "title")
    _settle_done(item, done_on)
    validated(item)
    item.save()
    if events is not None:
        item.events.set(_events(events))
    audit.record_changes(
        actor=actor,
        action=actions.ACTION_ITEM_UPDATED,
        obj=item.agreement,
        before=before,
        after=_item_snapshot(item),
        data={"title": russian(item, "title"), "item": item.pk, "status": item.status},
    )
    return item


def action_item_set_status(
    *,
    actor: Actor,
    item: ActionItem,
    status: str,
    done_on: dt.date | None = None,
    note: str | None = None,
) -> ActionItem:
    """The status of an item, with its note when one is given."""
    fields: dict[str, Any] = {"status": status, "done_on": done_on}
    if note:
        fields["note"] = note
    return action_item_update(actor=actor, item=item, **fields)
