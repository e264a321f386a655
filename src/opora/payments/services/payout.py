"""Payout details: how a person is paid, with the dates they hold. A new record ends the one in
force the day before it starts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import DomainError, require_choice, validated
from opora.registry.models import Person

from .. import audit_actions as actions
from ..bank import check_digit_ok
from ..models import PayoutChannel, PayoutDetails
from ..selectors.payout import require_person_in_scope

__all__ = ["payout_details_end", "payout_details_record"]

ONE_DAY = dt.timedelta(days=1)


def _digits(value: str, length: int, field: str, message: Any) -> str:
    text = "".join((value or "").split())
    if len(text) != length or not (text.isascii() and text.isdigit()):
        raise DomainError("invalid_" + field, message, details={field: [message]})
    return text


def _clean(channel: str, bik: str, account: str, postal_index: str, address: str) -> dict:
    require_choice(
        channel, PayoutChannel, field="channel", hint=_("A bank account or the post office.")
    )
    if channel == PayoutChannel.BANK:
        bik = _digits(bik, 9, "bik", _("A BIK is 9 digits."))
        account = _digits(account, 20, "account", _("An account number is 20 digits."))
        if not check_digit_ok(bik, account):
            message = _("The account number does not match the BIK: its check digit is wrong.")
            raise DomainError("account_check_digit", message, details={"account": [message]})
        return {"bik": bik, "account": account, "postal_index": "", "address": ""}
    postal_index = _digits(postal_index, 6, "postal_index", _("A postal index is 6 digits."))
    address = " ".join((address or "").split())
    if not address:
        message = _("Enter the address the post office delivers to.")
        raise DomainError("required", message, details={"address": [message]})
    return {"bik": "", "account": "", "postal_index": postal_index, "address": address[:300]}


@transaction.atomic
def payout_details_record(
    *,
    actor: Actor,
    person: Person,
    channel: str,
    valid_from: dt.date,
    bik: str = "",
    account: str = "",
    postal_index: str = "",
    address: str = "",
    note: str = "",
    is_example: bool = False,
    example_note: str = "",
) -> PayoutDetails:
    """Record how ``person`` is paid from ``valid_from``; the details in force then end the day
    before. Details starting on or before the start of later ones are refused."""
    require_person_in_scope(actor, person)
    fields = _clean(channel, bik, account, postal_index, address)
    later = PayoutDetails.objects.filter(person=person, valid_from__gte=valid_from)
    if later.exists():
        message = _("This person has payout details from that day or later; choose a later day.")
        raise DomainError("details_overlap", message, details={"valid_from": [message]})
    previous = (
        PayoutDetails.objects.select_for_update()
        .filter(person=person, valid_from__lt=valid_from)
        .exclude(valid_to__lt=valid_from)
        .first()
    )
    if previous is not None:
        before = audit.snapshot(previous, ["valid_to"])
        previous.valid_to = valid_from - ONE_DAY
        previous.save(update_fields=["valid_to", "updated_at"])
        audit.record_changes(
            actor=actor,
            action=actions.PAYOUT_ENDED,
            obj=previous,
            before=before,
            after=audit.snapshot(previous, ["valid_to"]),
        )
    details = validated(
        PayoutDetails(
            person=person,
            channel=channel,
            valid_from=valid_from,
            note=" ".join((note or "").split())[:300],
            recorded_by=audit.acting_user(actor),
            is_example=is_example,
            example_note=example_note,
            **fields,
        )
    )
    details.save()
    audit.record(
        actor=actor,
        action=actions.PAYOUT_RECORDED,
        obj=person,
        data={"details": details.pk, "channel": channel, "valid_from": valid_from},
    )
    return details


@transaction.atomic
def payout_details_end(*, actor: Actor, details: PayoutDetails, valid_to: dt.date) -> PayoutDetails:
    """The details no longer hold after ``valid_to`` (an account closed)."""
    require_person_in_scope(actor, details.person)
    details = PayoutDetails.objects.select_for_update().get(pk=details.pk)
    if valid_to < details.valid_from:
        message = _("Must be on or after the day the details start.")
        raise DomainError("date_too_early", message, details={"valid_to": [message]})
    if details.valid_to is not None and details.valid_to <= valid_to:
        message = _("The details already end on %(date)s.") % {
            "date": details.valid_to.strftime("%d.%m.%Y")
        }
        raise DomainError("details_ended", message, details={"valid_to": [message]}, status=409)
    before = audit.snapshot(details, ["valid_to"])
    details.valid_to = valid_to
    details.save(update_fields=["valid_to", "updated_at"])
    audit.record_changes(
        actor=actor,
        action=actions.PAYOUT_ENDED,
        obj=details,
        before=before,
        after=audit.snapshot(details, ["valid_to"]),
    )
    return details
