"""Partners' needs and the aid handed over: a need moves through its statuses one allowed step at
a time, and a delivery is written whole — its items, quantities and act — or not at all.

Translated fields are given per language as keyword fields (``title_ru=…, title_en=…``), the
way the forms hand them over; Russian is the one a required field needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, reject_unknown_fields, require_choice, validated

from .. import audit_actions as actions
from ..models import (
    AidDelivery,
    AidItem,
    Event,
    Letter,
    NeedKind,
    NeedStatus,
    Partner,
    PartnerNeed,
)
from .common import (
    apply_translations,
    example_mark,
    require_manage,
    require_russian,
    split_translations,
)
from .letters import refuse

__all__ = ["NEED_STEPS", "aid_deliver", "need_raise", "need_status_change"]

N = NeedStatus
# A need is accepted or declined, worked on, and met; a met or declined need is settled.
NEED_STEPS: dict[str, frozenset[str]] = {
    N.RAISED: frozenset({N.ACCEPTED, N.DECLINED}),
    N.ACCEPTED: frozenset({N.IN_PROGRESS, N.DECLINED}),
    N.IN_PROGRESS: frozenset({N.MET}),
    N.MET: frozenset(),
    N.DECLINED: frozenset(),
}
SETTLED = (N.MET, N.DECLINED)


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        refuse("date_in_future", field, _("The date is in the future."))


# --- Needs ---------------------------------------------------------------------------------------


@transaction.atomic
def need_raise(
    *,
    actor: Actor,
    partner: Partner,
    kind: str,
    raised_on: dt.date,
    raised_at_event: Event | None = None,
    letter: Letter | None = None,
    is_example: bool = False,
    example_note: str = "",
    **texts: str,
) -> PartnerNeed:
    """Record a need a partner raised, at an event or in a letter; its title and description
    per language (``title_ru=…, title_en=…``; a plain ``title`` is the Russian one), the title
    required in Russian. ``is_example``/``example_note`` mark what the demo made up (a day
    the sources do not give)."""
    require_manage(actor)
    plain, values = split_translations(PartnerNeed, texts)
    reject_unknown_fields(plain, ())
    require_choice(
        kind, NeedKind, field="kind", code="unknown_need_kind", message=_("Choose a kind of need.")
    )
    _not_future(raised_on, "raised_on")
    if letter is not None and letter.partner_id != partner.pk:
        refuse("letter_of_other_partner", "letter", _("Choose a letter of the same partner."))
    need = PartnerNeed(
        partner=partner,
        kind=kind,
        raised_on=raised_on,
        raised_at_event=raised_at_event,
        letter=letter,
        **example_mark(is_example, example_note),
    )
    apply_translations(need, values)
    require_russian(need, "title")
    validated(need)
    need.save()
    audit.record(
        actor=actor,
        action=actions.NEED_RAISED,
        obj=need,
        changes=audit.snapshot(
            need, ["partner", "kind", "raised_on", "status", "is_example", "example_note"]
        ),
        data={"kind": kind, "partner": partner.pk},
    )
    return need


@transaction.atomic
def need_status_change(
    *, actor: Actor, need: PartnerNeed, status: str, note: str = ""
) -> PartnerNeed:
    """Move a need one allowed step; declining says why."""
    require_manage(actor)
    need = PartnerNeed.objects.select_for_update().get(pk=need.pk)
    require_choice(status, N, field="status", code="unknown_status", message=_("Choose a status."))
    if status not in NEED_STEPS[need.status]:
        message = _("A need that is “%(current)s” cannot become “%(target)s”.") % {
            "current": N(need.status).label,
            "target": N(status).label,
        }
        raise Conflict("illegal_transition", message, details={"status": [message]})
    note = note.strip()
    if status == N.DECLINED and not note:
        refuse("note_required", "status_note", _("Say why the need is declined."))
    before = need.status
    need.status = status
    need.status_note = note
    validated(need)
    need.save(update_fields=["status", "status_note", "updated_at"])
    audit.record(
        actor=actor,
        action=actions.NEED_STATUS_CHANGED,
        obj=need,
        changes={"status": [before, status]},
        data={"from_status": before, "to_status": status},
        reason=note,
    )
    return need


# --- Aid -----------------------------------------------------------------------------------------


def _quantity(value: Any, field: str) -> Decimal:
    try:
        # Through str so that a float typed as 0.1 is the 0.1 a person means.
        quantity = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        quantity = None
    if quantity is None or not quantity.is_finite():
        refuse("quantity_invalid", field, _("Enter the quantity as a number."))
    if quantity <= 0:
        refuse("quantity_not_positive", field, _("The quantity must be more than zero."))
    return quantity


def _items(items: Iterable[Mapping[str, Any]]) -> list[AidItem]:
    """The items checked one by one, before anything is written; ``name`` is the Russian name,
    ``name_en``… optional translations."""
    checked: list[AidItem] = []
    for number, item in enumerate(items):
        prefix = f"items.{number}"
        plain, names = split_translations(AidItem, item)
        unknown = sorted(set(plain) - {"quantity", "unit"})
        if unknown:
            refuse("unknown_fields", f"{prefix}.{unknown[0]}", _("Not a field of an item."))
        if not names.get("name_ru"):
            refuse("item_name_required", f"{prefix}.name", _("Name what was handed over."))
        aid_item = AidItem(
            quantity=_quantity(plain.get("quantity"), f"{prefix}.quantity"),
            unit=str(plain.get("unit") or "").strip(),
        )
        apply_translations(aid_item, names)
        validated(aid_item, exclude=["delivery"])
        checked.append(aid_item)
    if not checked:
        refuse("items_required", "items", _("List at least one item handed over."))
    return checked


@transaction.atomic
def aid_deliver(
    *,
    actor: Actor,
    partner: Partner,
    handed_over_on: dt.date,
    items: Iterable[Mapping[str, Any]],
    need: PartnerNeed | None = None,
    document: str = "",
    notes: str = "",
    is_example: bool = False,
    example_note: str = "",
) -> AidDelivery:
    """Record what was handed over to a partner, item by item, against one of its open needs
    when there is one. Nothing is written unless every item is acceptable. ``is_example`` and
    ``example_note`` mark what the demo made up (a date, a quantity)."""
    require_manage(actor)
    if need is not None:
        need = PartnerNeed.objects.select_for_update().get(pk=need.pk)
        if need.partner_id != partner.pk:
            refuse("need_of_other_partner", "need", _("Choose a need of the same partner."))
        if need.status in SETTLED:
            refuse(
                "need_settled",
                "need",
                _("The need is “%(status)s”: aid is no longer delivered against it.")
                % {"status": N(need.status).label},
                conflict=True,
            )
    _not_future(handed_over_on, "handed_over_on")
    aid_items = _items(items)
    delivery = validated(
        AidDelivery(
            partner=partner,
            need=need,
            handed_over_on=handed_over_on,
            document=document.strip(),
            notes=notes.strip(),
            **example_mark(is_example, example_note),
        )
    )
    delivery.save()
    for aid_item in aid_items:
        aid_item.delivery = delivery
    AidItem.objects.bulk_create(aid_items)
    audit.record(
        actor=actor,
        action=actions.AID_DELIVERED,
        obj=partner,
        data={
            "delivery": delivery.pk,
            "count": len(aid_items),
            "need": need.pk if need else None,
            "document": delivery.document,
            "is_example": delivery.is_example,
            "items": [
                {"name": i.name_ru, "quantity": i.quantity, "unit": i.unit}  # type: ignore[attr-defined]
                for i in aid_items
            ],
        },
    )
    return delivery
