"""Partners, their people with the positions they hold over time, and partnership relations."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import DomainError, reject_unknown_fields, validated

from .. import audit_actions as actions
from ..models import (
    DatePrecision,
    Partner,
    PartnerKind,
    PartnerPerson,
    Partnership,
    PartnershipKind,
    PersonPosition,
    start_of,
)
from .common import (
    apply_translations,
    choice,
    language_code,
    require_manage,
    require_russian,
    russian,
)
from .common import split_translations as _split

__all__ = [
    "partner_create",
    "partner_update",
    "partnership_add",
    "person_add",
    "person_update",
    "position_add",
]

PARTNER_FIELDS = (
    "code",
    "kind",
    "country",
    "parent",
    "languages",
    "website",
    "email",
    "notes",
    "is_active",
)
PARTNER_TRANSLATED = ("name", "short_name", "city")
PERSON_FIELDS = ("full_name", "full_name_ru", "email", "phone", "notes")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _country(value: str) -> str:
    code = (value or "").strip().upper()
    if not _COUNTRY.match(code):
        raise DomainError(
            "invalid_country",
            _("A country is named by its two-letter ISO 3166 code, e.g. FI or DE."),
            details={"country": [_("Enter a two-letter country code.")]},
        )
    return code


def _languages(values: Iterable[str]) -> list[str]:
    codes: list[str] = []
    for value in values or ():
        code = language_code(value, field="languages")
        if code not in codes:
            codes.append(code)
    return codes


def _refuse_parent_cycle(partner: Partner, parent: Partner | None) -> None:
    seen: set[int] = set()
    node = parent
    while node is not None:
        if partner.pk is not None and node.pk == partner.pk:
            raise DomainError(
                "parent_cycle",
                _("A partner cannot be part of itself or of one of its own parts."),
                details={"parent": [_("Choose another parent body.")]},
            )
        if node.pk in seen:
            break
        seen.add(node.pk)
        node = node.parent


def _set_partner_fields(partner: Partner, fields: dict[str, Any]) -> None:
    plain, translations = _split(Partner, fields)
    reject_unknown_fields(plain, PARTNER_FIELDS)
    if "kind" in plain:
        plain["kind"] = choice(plain["kind"], PartnerKind, "kind")
    if "country" in plain:
        plain["country"] = _country(plain["country"])
    if "languages" in plain:
        plain["languages"] = _languages(plain["languages"])
    if "code" in plain:
        plain["code"] = (plain["code"] or "").strip()
    if "parent" in plain:
        _refuse_parent_cycle(partner, plain["parent"])
    for name, value in plain.items():
        setattr(
            partner, name, "" if value is None and name in {"website", "email", "notes"} else value
        )
    apply_translations(partner, translations)
    require_russian(partner, "name")


@transaction.atomic
def partner_create(
    *,
    actor: Actor,
    code: str,
    kind: str,
    country: str,
    parent: Partner | None = None,
    languages: Iterable[str] = (),
    website: str = "",
    email: str = "",
    notes: str = "",
    is_active: bool = True,
    **translations: str,
) -> Partner:
    """A partner; its name, short name and city per language (``name_ru=…, name_en=…``)."""
    require_manage(actor)
    partner = Partner()
    _set_partner_fields(
        partner,
        {
            "code": code,
            "kind": kind,
            "country": country,
            "parent": parent,
            "languages": list(languages),
            "website": website,
            "email": email,
            "notes": notes,
            "is_active": is_active,
            **translations,
        },
    )
    validated(partner)
    partner.save()
    audit.record(actor=actor, action=actions.PARTNER_CREATED, obj=partner)
    return partner


def _partner_snapshot(partner: Partner) -> dict[str, Any]:
    names = [*PARTNER_FIELDS]
    for base in PARTNER_TRANSLATED:
        names += [f"{base}_{code}" for code in ("ru", "en", "fi", "de")]
    return audit.snapshot(partner, names)


@transaction.atomic
def partner_update(*, actor: Actor, partner: Partner, **fields: Any) -> Partner:
    require_manage(actor)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    before = _partner_snapshot(partner)
    _set_partner_fields(partner, dict(fields))
    validated(partner)
    partner.save()
    audit.record_changes(
        actor=actor,
        action=actions.PARTNER_UPDATED,
        obj=partner,
        before=before,
        after=_partner_snapshot(partner),
    )
    return partner


# --- People ------------------------------------------------------------------------------------


def _set_person_fields(person: PartnerPerson, fields: dict[str, Any]) -> None:
    reject_unknown_fields(fields, PERSON_FIELDS)
    for name, value in fields.items():
        setattr(person, name, (value or "").strip())


@transaction.atomic
def person_add(
    *,
    actor: Actor,
    partner: Partner,
    full_name: str,
    full_name_ru: str = "",
    email: str = "",
    phone: str = "",
    notes: str = "",
) -> PartnerPerson:
    """A representative of the partner; ``full_name`` as written in the partner's language,
    ``full_name_ru`` its Russian spelling."""
    require_manage(actor)
    person = PartnerPerson(partner=partner)
    _set_person_fields(
        person,
        {
            "full_name": full_name,
            "full_name_ru": full_name_ru,
            "email": email,
            "phone": phone,
            "notes": notes,
        },
    )
    validated(person)
    person.save()
    audit.record(
        actor=actor,
        action=actions.PERSON_ADDED,
        obj=partner,
        data={"person": person.full_name, "person_id": person.pk},
    )
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: PartnerPerson, **fields: Any) -> PartnerPerson:
    require_manage(actor)
    person = PartnerPerson.objects.select_for_update().select_related("partner").get(pk=person.pk)
    before = audit.snapshot(person, PERSON_FIELDS)
    _set_person_fields(person, dict(fields))
    validated(person)
    person.save()
    audit.record_changes(
        actor=actor,
        action=actions.PERSON_UPDATED,
        obj=person.partner,
        before=before,
        after=audit.snapshot(person, PERSON_FIELDS),
        data={"person": person.full_name, "person_id": person.pk},
    )
    return person


def _overlapping(
    positions: Iterable[PersonPosition], start: dt.date, end: dt.date | None
) -> PersonPosition | None:
    for other in positions:
        other_end = other.valid_to or dt.date.max
        if other.valid_from <= (end or dt.date.max) and start <= other_end:
            return other
    return None


@transaction.atomic
def position_add(
    *,
    actor: Actor,
    person: PartnerPerson,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    **translations: str,
) -> PersonPosition:
    """A position the person holds from ``valid_from`` (``title_ru=…, title_en=…``).

    A person holds one position at a time: the position held until now, open-ended and begun
    earlier, ends on the day before the new one starts; any other overlap is refused."""
    require_manage(actor)
    person = PartnerPerson.objects.select_for_update().select_related("partner").get(pk=person.pk)
    _plain, values = _split(PersonPosition, translations)
    reject_unknown_fields(_plain, ())
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(
            "ends_before_start",
            _("A position cannot end before it starts."),
            details={"valid_to": [_("Enter a date on or after the start.")]},
        )
    existing = list(person.positions.all())
    closing = next(
        (p for p in existing if p.valid_to is None and p.valid_from < valid_from),
        None,
    )
    others = [p for p in existing if p is not closing]
    if closing is not None and valid_to is not None:
        # A position with an end inside the current one is history, not a change of position.
        others.append(closing)
        closing = None
    clash = _overlapping(others, valid_from, valid_to)
    if clash is not None:
        raise DomainError(
            "positions_overlap",
            _("%(person)s already holds the position “%(title)s” at that time.")
            % {"person": person.full_name, "title": clash.title},
            details={"valid_from": [_("Choose dates that do not overlap another position.")]},
        )
    if closing is not None:
        closing.valid_to = valid_from - dt.timedelta(days=1)
        closing.save(update_fields=["valid_to", "updated_at"])
    position = PersonPosition(person=person, valid_from=valid_from, valid_to=valid_to)
    apply_translations(position, values)
    require_russian(position, "title")
    validated(position)
    position.save()
    audit.record(
        actor=actor,
        action=actions.POSITION_ADDED,
        obj=person.partner,
        data={
            "person": person.full_name,
            "title": russian(position, "title"),
            "valid_from": valid_from,
            "closed": closing.pk if closing is not None else None,
        },
    )
    return position


# --- Partnerships ------------------------------------------------------------------------------


@transaction.atomic
def partnership_add(
    *,
    actor: Actor,
    partner: Partner,
    kind: str,
    since: dt.date,
    since_precision: str = DatePrecision.DAY,
    ended_on: dt.date | None = None,
    **translations: str,
) -> Partnership:
    """A relation with the partner since a date known to the day, month or year
    (Moscow–Berlin: since 1990, ``since_precision="year"``); ``description_ru=…`` etc."""
    require_manage(actor)
    _plain, values = _split(Partnership, translations)
    reject_unknown_fields(_plain, ())
    choice(kind, PartnershipKind, "kind")
    choice(since_precision, DatePrecision, "since_precision")
    partnership = Partnership(
        partner=partner,
        kind=kind,
        since=start_of(since, since_precision),
        since_precision=since_precision,
        ended_on=ended_on,
    )
    apply_translations(partnership, values)
    if ended_on is not None and ended_on < partnership.since:
        raise DomainError(
            "ends_before_start",
            _("A partnership cannot end before it starts."),
            details={"ended_on": [_("Enter a date on or after the start.")]},
        )
    validated(partnership)
    partnership.save()
    audit.record(
        actor=actor,
        action=actions.PARTNERSHIP_ADDED,
        obj=partner,
        data={"kind": kind, "since": partnership.since, "precision": since_precision},
    )
    return partnership
