"""Every write of the registry, one record at a time. Bulk loads are in registry/imports."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from types import EllipsisType
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import DomainError, reject_unknown_fields, validated
from opora.institutions.models import Institution

from . import audit_actions as actions
from . import intake
from .models import (
    EARLIEST_BIRTH_DATE,
    Address,
    CategoryKind,
    DocumentKind,
    FormerName,
    Household,
    HouseholdMember,
    IdentityDocument,
    Income,
    IntakeOverride,
    Person,
    PersonCategory,
    PersonInstitution,
    Relation,
)
from .names import phone_normalised, search_key, snils_digits, snils_problem, transliterate
from .selectors import overlapping_periods

PERSON_FIELDS = (
    "last_name",
    "first_name",
    "patronymic",
    "last_name_latin",
    "first_name_latin",
    "patronymic_latin",
    "birth_date",
    "sex",
    "snils",
    "phone",
    "email",
    "preferred_language",
    "death_date",
    "consent_date",
    "consent_scope",
    "external_key",
)
NAME_FIELDS = ("last_name", "first_name", "patronymic")


def normalised_snils(value: str | None) -> str | None:
    """SNILS as eleven digits, or None; a wrong check number is refused."""
    if value in (None, ""):
        return None
    digits = snils_digits(value)
    problem = "form" if len(value.strip()) > 14 else snils_problem(digits)
    if problem:
        hint = {
            "form": _("Write it as 123-456-789 01 or as 11 digits."),
            "length": _("A SNILS has 11 digits; this one has %(count)s.") % {"count": len(digits)},
            "not_issued": _("No SNILS has this number."),
            "check": _("The check number does not match."),
        }[problem]
        raise DomainError(
            "invalid_snils",
            _("The SNILS %(value)s is not valid: check the number.") % {"value": value},
            details={"snils": [hint]},
        )
    return digits


def _fill_derived(person: Person) -> None:
    """Latin names (unless given), the normalised phone and the search key."""
    for field in NAME_FIELDS:
        setattr(person, field, " ".join(getattr(person, field).split()))
        latin_field = f"{field}_latin"
        if not getattr(person, latin_field):
            setattr(person, latin_field, transliterate(getattr(person, field)))
    person.phone = phone_normalised(person.phone)
    person.search_key = search_key(person.last_name, person.first_name, person.patronymic)


def _check_dates(person: Person) -> None:
    today = timezone.localdate()
    if person.birth_date and person.birth_date > today:
        raise DomainError(
            "birth_in_future",
            _("The date of birth is in the future."),
            details={"birth_date": [_("Must not be in the future.")]},
        )
    if person.birth_date and person.birth_date < EARLIEST_BIRTH_DATE:
        raise DomainError(
            "birth_too_early",
            _("The date of birth is before %(year)s.") % {"year": EARLIEST_BIRTH_DATE.year},
            details={"birth_date": [_("Check the date.")]},
        )
    if person.death_date and person.birth_date and person.death_date < person.birth_date:
        raise DomainError(
            "death_before_birth",
            _("The date of death is before the birth."),
            details={"death_date": [_("Must be on or after the date of birth.")]},
        )


def _snils_taken(actor: Actor, snils: str | None, exclude_pk: int | None = None) -> None:
    if not snils:
        return
    others = Person.objects.filter(snils=snils)
    clash = (others.exclude(pk=exclude_pk) if exclude_pk else others).first()
    if clash is not None:
        # The holder may be outside the actor's scope: intake decides what the refusal names.
        raise intake.snils_refusal(actor, clash)


@transaction.atomic
def person_register(
    *,
    actor: Actor,
    institution: Institution | None,
    likely_matches: Iterable[tuple[Person, float]] = (),
    override_reason: str = "",
    **fields: Any,
) -> Person:
    """Register a person. ``likely_matches`` are what the intake check found (registry/intake.py);
    saving despite them needs ``override_reason``, which is kept and audited."""
    reject_unknown_fields(fields, PERSON_FIELDS)
    fields["snils"] = normalised_snils(fields.get("snils"))
    _snils_taken(actor, fields["snils"])
    matches = list(likely_matches)
    if matches and not override_reason.strip():
        raise intake.duplicate_refusal(actor, matches)
    person = Person(**fields)
    _fill_derived(person)
    _check_dates(person)
    validated(person, exclude=["search_key"])
    person.save()
    if institution is not None:
        PersonInstitution.objects.create(
            person=person, institution=institution, since=timezone.localdate()
        )
    audit.record(
        actor=actor,
        action=actions.PERSON_REGISTERED,
        obj=person,
        changes=audit.diff({}, audit.snapshot(person, PERSON_FIELDS)),
    )
    for matched, score in matches:
        IntakeOverride.objects.create(
            person=person,
            matched=matched,
            score=score,
            reason=override_reason.strip(),
            decided_by=audit.acting_user(actor),
        )
        audit.record(
            actor=actor,
            action=actions.PERSON_REGISTERED_DESPITE_MATCH,
            obj=person,
            reason=override_reason.strip(),
            # The match may be outside the reader's scope: its number, never its name.
            data={"matched_id": matched.pk, "score": round(score, 3)},
        )
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, reason: str = "", **fields: Any) -> Person:
    reject_unknown_fields(fields, PERSON_FIELDS)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.merged_into_id:
        raise DomainError(
            "person_merged", _("This record was merged into another one."), status=409
        )
    before = audit.snapshot(person, PERSON_FIELDS)
    if "snils" in fields:
        fields["snils"] = normalised_snils(fields["snils"])
        _snils_taken(actor, fields["snils"], exclude_pk=person.pk)
    renamed = any(f in fields and fields[f] != getattr(person, f) for f in NAME_FIELDS)
    if renamed:
        FormerName.objects.create(
            person=person,
            last_name=person.last_name,
            first_name=person.first_name,
            patronymic=person.patronymic,
            changed_on=timezone.localdate(),
            reason=reason[:200],
        )
        # The Latin spelling follows the new name unless it is given too.
        for field in NAME_FIELDS:
            if field in fields and f"{field}_latin" not in fields:
                fields[f"{field}_latin"] = ""
    for name, value in fields.items():
        setattr(person, name, value)
    _fill_derived(person)
    _check_dates(person)
    validated(person, exclude=["search_key"])
    person.save()
    audit.record_changes(
        actor=actor,
        action=actions.PERSON_RENAMED if renamed else actions.PERSON_UPDATED,
        obj=person,
        before=before,
        after=audit.snapshot(person, PERSON_FIELDS),
        reason=reason,
    )
    return person


@transaction.atomic
def person_serve(
    *, actor: Actor, person: Person, institution: Institution, since: dt.date | None = None
) -> PersonInstitution:
    """Attach ``person`` to ``institution`` (idempotent); ``since`` is the day it began to serve
    her (an application entered later than it was made), today unless said."""
    link, created = PersonInstitution.objects.get_or_create(
        person=person, institution=institution, defaults={"since": since or timezone.localdate()}
    )
    if created:
        audit.record(
            actor=actor,
            action=actions.SERVICE_LINK_ADDED,
            obj=person,
            data={"institution": str(institution)},
        )
    return link


@transaction.atomic
def document_add(
    *,
    actor: Actor,
    person: Person,
    kind: DocumentKind,
    number: str,
    series: str = "",
    issued_by: str = "",
    issued_on: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> IdentityDocument:
    series = re.sub(r"\s", "", series or "")
    number = re.sub(r"\s", "", number or "")
    problems = {}
    if kind.number_pattern and not re.fullmatch(kind.number_pattern, number):
        problems["number"] = [_("The number does not match the form of this document.")]
    if kind.series_pattern and not re.fullmatch(kind.series_pattern, series):
        problems["series"] = [_("The series does not match the form of this document.")]
    if problems:
        raise DomainError("invalid_document", _("The document is not valid."), details=problems)
    clash = IdentityDocument.objects.filter(kind=kind, series=series, number=number).first()
    if clash is not None:
        raise DomainError(
            "document_taken",
            _("This document already belongs to a record."),
            details={"number": [_("Already registered.")], "person": [str(clash.person_id)]},
            status=409,
        )
    document = validated(
        IdentityDocument(
            person=person,
            kind=kind,
            series=series,
            number=number,
            issued_by=issued_by,
            issued_on=issued_on,
            valid_to=valid_to,
        )
    )
    document.save()
    audit.record(
        actor=actor,
        action=actions.DOCUMENT_ADDED,
        obj=person,
        data={"document": f"{kind.name} {series} {number}".strip(), "document_id": document.pk},
    )
    return document


@transaction.atomic
def address_set(
    *,
    actor: Actor,
    person: Person,
    kind: str,
    text: str,
    district: Any = None,
    postal_code: str = "",
    registered_on: dt.date | EllipsisType | None = ...,
) -> Address:
    """Set the person's address of ``kind``; ``registered_on`` (since when she is registered
    there) is kept as it was unless given, so a caller that does not know it loses nothing."""
    address = Address.objects.filter(person=person, kind=kind).first() or Address(
        person=person, kind=kind
    )

    def fields() -> dict[str, Any]:
        # Named by the kind of address: a person's history shows which one changed.
        values = {
            "text": address.text,
            "district": address.district_id,
            "postal_code": address.postal_code,
            "registered_on": address.registered_on,
        }
        return {f"{kind}.{k}": v for k, v in values.items()}

    before = fields()
    address.text, address.district, address.postal_code = text.strip(), district, postal_code
    if not isinstance(registered_on, EllipsisType):
        if registered_on is not None and registered_on > timezone.localdate():
            raise DomainError(
                "registered_in_future",
                _("The registration cannot begin in the future."),
                details={"registered_on": [_("Enter a day not after today.")]},
            )
        address.registered_on = registered_on
    validated(address).save()
    audit.record_changes(
        actor=actor, action=actions.ADDRESS_SET, obj=person, before=before, after=fields()
    )
    return address


@transaction.atomic
def household_create(
    *,
    actor: Actor,
    applicant: Person,
    address: str = "",
    district: Any = None,
    joined_on: dt.date | None = None,
    external_key: str | None = None,
) -> Household:
    household = validated(
        Household(address=address, district=district, external_key=external_key or None)
    )
    household.save()
    HouseholdMember.objects.create(
        household=household,
        person=applicant,
        relation=Relation.APPLICANT,
        is_applicant=True,
        joined_on=joined_on or timezone.localdate(),
    )
    audit.record(
        actor=actor,
        action=actions.HOUSEHOLD_CREATED,
        obj=household,
        data={"applicant": str(applicant), "applicant_id": applicant.pk},
    )
    return household


@transaction.atomic
def household_add_member(
    *,
    actor: Actor,
    household: Household,
    person: Person,
    relation: str,
    joined_on: dt.date | None = None,
) -> HouseholdMember:
    if relation not in Relation.values or relation == Relation.APPLICANT:
        raise DomainError(
            "invalid_relation",
            _("Choose the relation to the applicant."),
            details={"relation": [_("Choose a relation.")]},
        )
    if household.members.filter(person=person, left_on__isnull=True).exists():
        raise DomainError(
            "already_member", _("This person is already in the household."), status=409
        )
    member = validated(
        HouseholdMember(
            household=household,
            person=person,
            relation=relation,
            joined_on=joined_on or timezone.localdate(),
        )
    )
    member.save()
    audit.record(
        actor=actor,
        action=actions.MEMBER_JOINED,
        obj=household,
        data={"person_id": person.pk, "relation": relation},
    )
    return member


@transaction.atomic
def household_member_leave(
    *, actor: Actor, member: HouseholdMember, left_on: dt.date, reason: str = ""
) -> HouseholdMember:
    if member.left_on is not None:
        raise DomainError("already_left", _("This member has already left."), status=409)
    if member.joined_on and left_on < member.joined_on:
        raise DomainError(
            "leaves_before_joining",
            _("A member cannot leave before joining."),
            details={"left_on": [_("Must be on or after the day the member joined.")]},
        )
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    audit.record(
        actor=actor,
        action=actions.MEMBER_LEFT,
        obj=member.household,
        reason=reason,
        data={"person_id": member.person_id},
    )
    return member


def _overlapping(
    person: Person,
    kind: CategoryKind,
    valid_from: dt.date,
    valid_to: dt.date | None,
    exclude_pk: int | None = None,
) -> bool:
    qs = PersonCategory.objects.filter(person=person, kind=kind)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    qs = qs.filter(overlapping_periods(valid_from, valid_to))
    return qs.exists()


@transaction.atomic
def category_assign(
    *,
    actor: Actor,
    person: Person,
    kind: CategoryKind,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    basis_document: str = "",
    source: str = "",
    external_key: str | None = None,
) -> PersonCategory:
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(
            "period_reversed",
            _("The category ends before it starts."),
            details={"valid_to": [_("Check the dates.")]},
        )
    if _overlapping(person, kind, valid_from, valid_to):
        raise DomainError(
            "category_overlaps",
            _("%(person)s already holds %(category)s for part of this period.")
            % {"person": person, "category": kind},
            details={"valid_from": [_("The periods overlap.")]},
            status=409,
        )
    holding = validated(
        PersonCategory(
            person=person,
            kind=kind,
            valid_from=valid_from,
            valid_to=valid_to,
            basis_document=basis_document,
            source=source,
            external_key=external_key or None,
        )
    )
    holding.save()
    audit.record(
        actor=actor,
        action=actions.CATEGORY_ASSIGNED,
        obj=person,
        data={
            "category": kind.name,
            "category_code": kind.code,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat() if valid_to else "",
        },
        reason=basis_document,
    )
    return holding


@transaction.atomic
def category_end(
    *, actor: Actor, holding: PersonCategory, valid_to: dt.date, reason: str = ""
) -> PersonCategory:
    if valid_to < holding.valid_from:
        raise DomainError(
            "period_reversed",
            _("The category ends before it starts."),
            details={"valid_to": [_("Check the dates.")]},
        )
    before = holding.valid_to
    holding.valid_to = valid_to
    holding.save(update_fields=["valid_to", "updated_at"])
    audit.record(
        actor=actor,
        action=actions.CATEGORY_ENDED,
        obj=holding.person,
        reason=reason,
        data={"category": holding.kind.name},
        changes={"valid_to": [before, valid_to]},
    )
    return holding


@transaction.atomic
def income_record(
    *, actor: Actor, person: Person, month: dt.date, kind: str, amount: Decimal, source: str = ""
) -> Income:
    month = month.replace(day=1)
    if amount < 0:
        raise DomainError(
            "negative_income",
            _("An income cannot be negative."),
            details={"amount": [_("Enter zero or more.")]},
        )
    income, created = Income.objects.get_or_create(
        person=person, month=month, kind=kind, source=source, defaults={"amount": amount}
    )
    before = None if created else income.amount
    if not created and income.amount != amount:
        income.amount = amount
        income.save(update_fields=["amount", "updated_at"])
    if created or before != amount:
        audit.record(
            actor=actor,
            action=actions.INCOME_RECORDED,
            obj=person,
            changes={"amount": [before, amount]},
            data={"month": month.strftime("%m.%Y"), "kind": kind},
        )
    return income
