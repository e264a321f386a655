"""Measures and their versions: a draft is edited, compared with the version in force and
published; a published version never changes, and a version an evaluation or a decision used
is never discarded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import (
    Conflict,
    DomainError,
    reject_unknown_fields,
    require_choice,
    validated,
)

from .. import audit_actions as actions
from .. import criteria
from ..models import (
    Application,
    Beneficiary,
    Evaluation,
    Measure,
    MeasureKind,
    MeasureVersion,
    Periodicity,
    VersionStatus,
)
from .common import require_manage

__all__ = [
    "VERSION_FIELDS",
    "measure_create",
    "measure_end",
    "measure_update",
    "version_copy",
    "version_discard",
    "version_draft",
    "version_publish",
    "version_update",
]

MEASURE_FIELDS = ("code", "name", "name_en", "kind", "beneficiary", "description", "description_en")
# The code names the measure in every link and export, and who applies decides how every
# application was evaluated: both stay once given.
MEASURE_CHANGEABLE = ("name", "name_en", "kind", "description", "description_en")
VERSION_FIELDS = (
    "valid_from",
    "legal_basis",
    "eligibility",
    "amount",
    "periodicity",
    "term_months",
    "review_months",
    "documents",
    "decision_working_days",
    "amount_floor",
    "amount_ceiling",
    "note",
    "is_example",
    "example_note",
)


def _locked_measure(measure: Measure) -> Measure:
    return Measure.objects.select_for_update().get(pk=measure.pk)


def _locked_version(version: MeasureVersion) -> MeasureVersion:
    return MeasureVersion.objects.select_for_update().select_related("measure").get(pk=version.pk)


@transaction.atomic
def measure_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    beneficiary: str,
    name_en: str = "",
    description: str = "",
    description_en: str = "",
) -> Measure:
    require_manage(actor)
    require_choice(kind, MeasureKind, field="kind", hint=_("Choose the kind of measure."))
    require_choice(beneficiary, Beneficiary, field="beneficiary", hint=_("Choose who applies."))
    measure = validated(
        Measure(
            code=code.strip(),
            name=name.strip(),
            name_en=name_en.strip(),
            kind=kind,
            beneficiary=beneficiary,
            description=description.strip(),
            description_en=description_en.strip(),
        )
    )
    measure.save()
    audit.record(
        actor=actor,
        action=actions.MEASURE_CREATED,
        obj=measure,
        data={"code": measure.code, "kind": kind, "beneficiary": beneficiary},
    )
    return measure


@transaction.atomic
def measure_update(*, actor: Actor, measure: Measure, **changes: Any) -> Measure:
    require_manage(actor)
    reject_unknown_fields(changes, MEASURE_CHANGEABLE)
    if "kind" in changes:
        require_choice(changes["kind"], MeasureKind, field="kind")
    measure = _locked_measure(measure)
    before = audit.snapshot(measure, MEASURE_CHANGEABLE)
    for name, value in changes.items():
        setattr(measure, name, value.strip() if isinstance(value, str) else value)
    validated(measure).save()
    audit.record_changes(
        actor=actor,
        action=actions.MEASURE_CHANGED,
        obj=measure,
        before=before,
        after=audit.snapshot(measure, MEASURE_CHANGEABLE),
    )
    return measure


@transaction.atomic
def measure_end(*, actor: Actor, measure: Measure, ended_on: dt.date | None) -> Measure:
    """No application is accepted on or after ``ended_on`` (None: granted again). Assignments
    already made run their course."""
    require_manage(actor)
    measure = _locked_measure(measure)
    first = (
        measure.versions.filter(status=VersionStatus.PUBLISHED)
        .order_by("valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    if ended_on is not None and first is not None and ended_on < first:
        raise DomainError(
            "ended_before_first_version",
            _(
                "The measure is granted from %(date)s, when its first version comes into force: "
                "it cannot end before that day."
            )
            % {"date": first.strftime("%d.%m.%Y")},
            details={
                "ended_on": [
                    _("Choose a day on or after %(date)s.") % {"date": first.strftime("%d.%m.%Y")}
                ]
            },
        )
    before = audit.snapshot(measure, ["ended_on"])
    measure.ended_on = ended_on
    measure.save(update_fields=["ended_on", "updated_at"])
    audit.record_changes(
        actor=actor,
        action=actions.MEASURE_CHANGED,
        obj=measure,
        before=before,
        after=audit.snapshot(measure, ["ended_on"]),
    )
    return measure


# --- Versions ----------------------------------------------------------------------------------


def _money(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(
            "invalid_amount",
            _("Enter an amount in roubles."),
            details={field: [_("Enter an amount in roubles.")]},
        ) from exc
    if not amount.is_finite() or amount < 0:
        raise DomainError(
            "invalid_amount",
            _("An amount is zero roubles or more."),
            details={field: [_("Enter zero or more.")]},
        )
    return amount


def _documents(documents: Iterable[str]) -> list[str]:
    if isinstance(documents, str):
        documents = documents.splitlines()
    names: list[str] = []
    for document in documents:
        name = " ".join(str(document).split())
        if name and name not in names:
            names.append(name)
    return names


def _positive(value: Any, field: str, *, optional: bool) -> int | None:
    if value is None or value == "":
        if optional:
            return None
        raise DomainError(
            "required", _("Some fields are not valid."), details={field: [_("Enter a number.")]}
        )
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise DomainError(
            "not_positive",
            _("Some fields are not valid."),
            details={field: [_("Enter a whole number greater than zero.")]},
        )
    return value


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    """The fields of a version, validated and normalised: the rules through the rule
    language's schema (a clause on a fact that does not exist, an amount that can go negative
    are refused there), the bounds of the amount in order."""
    require_choice(
        values["periodicity"], Periodicity, field="periodicity", hint=_("Choose how often.")
    )
    checked = dict(values)
    checked["eligibility"] = criteria.check_eligibility(values["eligibility"])
    checked["amount"] = criteria.check_amount(values.get("amount"))
    checked["documents"] = _documents(values.get("documents") or ())
    checked["legal_basis"] = " ".join(str(values.get("legal_basis") or "").split())
    checked["note"] = str(values.get("note") or "").strip()
    checked["example_note"] = " ".join(str(values.get("example_note") or "").split())
    checked["decision_working_days"] = _positive(
        values.get("decision_working_days"), "decision_working_days", optional=False
    )
    for field in ("term_months", "review_months"):
        checked[field] = _positive(values.get(field), field, optional=True)
    floor = checked["amount_floor"] = _money(values.get("amount_floor"), "amount_floor")
    ceiling = checked["amount_ceiling"] = _money(values.get("amount_ceiling"), "amount_ceiling")
    if floor is not None and ceiling is not None and floor > ceiling:
        raise DomainError(
            "bounds_reversed",
            _("The smallest amount is larger than the largest."),
            details={"amount_ceiling": [_("Must be at least the smallest amount.")]},
        )
    if checked["example_note"] and not values.get("is_example"):
        raise DomainError(
            "example_note_without_mark",
            _("Only a record marked as an example says what of it is made up."),
            details={"example_note": [_("Mark the record as an example, or leave this empty.")]},
        )
    return checked


@transaction.atomic
def version_draft(
    *,
    actor: Actor,
    measure: Measure,
    valid_from: dt.date,
    legal_basis: str,
    eligibility: Any,
    periodicity: str,
    decision_working_days: int,
    amount: Any = None,
    term_months: int | None = None,
    review_months: int | None = None,
    documents: Iterable[str] = (),
    amount_floor: Decimal | None = None,
    amount_ceiling: Decimal | None = None,
    note: str = "",
    is_example: bool = False,
    example_note: str = "",
) -> MeasureVersion:
    """A new draft version of ``measure``, numbered after its last one."""
    require_manage(actor)
    values = _checked(
        {
            "valid_from": valid_from,
            "legal_basis": legal_basis,
            "eligibility": eligibility,
            "amount": amount,
            "periodicity": periodicity,
            "term_months": term_months,
            "review_months": review_months,
            "documents": documents,
            "decision_working_days": decision_working_days,
            "amount_floor": amount_floor,
            "amount_ceiling": amount_ceiling,
            "note": note,
            "is_example": bool(is_example),
            "example_note": example_note,
        }
    )
    # The lock on the measure numbers its versions one after another, never twice.
    measure = _locked_measure(measure)
    last = measure.versions.aggregate(last=Max("number"))["last"] or 0
    version = validated(
        MeasureVersion(measure=measure, number=last + 1, status=VersionStatus.DRAFT, **values)
    )
    version.save()
    audit.record(
        actor=actor,
        action=actions.VERSION_DRAFTED,
        obj=version,
        data={"measure": measure.code, "number": version.number, "valid_from": valid_from},
    )
    return version


@transaction.atomic
def version_copy(*, actor: Actor, version: MeasureVersion, valid_from: dt.date) -> MeasureVersion:
    """A new draft with everything of ``version`` but its day: how a published version is
    changed."""
    values = {name: getattr(version, name) for name in VERSION_FIELDS}
    values["valid_from"] = valid_from
    values["note"] = ""
    return version_draft(actor=actor, measure=version.measure, **values)


def _refuse_published(version: MeasureVersion) -> None:
    if version.status == VersionStatus.PUBLISHED:
        raise Conflict(
            "version_published",
            _(
                "Version %(number)s is published and no longer changes: copy it into a new "
                "draft with its own valid-from date."
            )
            % {"number": version.number},
        )


@transaction.atomic
def version_update(*, actor: Actor, version: MeasureVersion, **changes: Any) -> MeasureVersion:
    require_manage(actor)
    reject_unknown_fields(changes, VERSION_FIELDS)
    version = _locked_version(version)
    _refuse_published(version)
    before = audit.snapshot(version, VERSION_FIELDS)
    values = _checked({**{name: getattr(version, name) for name in VERSION_FIELDS}, **changes})
    for name, value in values.items():
        setattr(version, name, value)
    validated(version).save()
    audit.record_changes(
        actor=actor,
        action=actions.VERSION_CHANGED,
        obj=version,
        before=before,
        after=audit.snapshot(version, VERSION_FIELDS),
    )
    return version


def _overlap(version: MeasureVersion) -> Conflict:
    return Conflict(
        "version_overlap",
        _(
            "Another version of this measure is published from %(date)s: two versions from one "
            "day would leave the version in force undecided. Choose another valid-from date."
        )
        % {"date": version.valid_from.strftime("%d.%m.%Y")},
        details={"valid_from": [_("A published version from this date exists.")]},
    )


@transaction.atomic
def version_publish(*, actor: Actor, version: MeasureVersion) -> MeasureVersion:
    """From its valid-from date, applications are decided by this version."""
    require_manage(actor)
    version = _locked_version(version)
    _refuse_published(version)
    # The rules are read again: a draft saved before the schema changed is not published blind.
    _checked({name: getattr(version, name) for name in VERSION_FIELDS})
    same_day = MeasureVersion.objects.filter(
        measure=version.measure_id, valid_from=version.valid_from, status=VersionStatus.PUBLISHED
    )
    if same_day.exists():
        raise _overlap(version)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = audit.acting_user(actor)
    try:
        # The unique constraint settles two publications racing past the check above.
        with transaction.atomic():
            version.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    except IntegrityError as exc:
        raise _overlap(version) from exc
    audit.record(
        actor=actor,
        action=actions.VERSION_PUBLISHED,
        obj=version,
        data={"measure": version.measure.code, "number": version.number},
    )
    return version


@transaction.atomic
def version_discard(*, actor: Actor, version: MeasureVersion) -> None:
    require_manage(actor)
    version = _locked_version(version)
    _refuse_published(version)
    used = (
        Evaluation.objects.filter(version=version).exists()
        or Application.objects.filter(version=version).exists()
    )
    if used:
        raise Conflict(
            "version_in_use",
            _("Version %(number)s was used to check eligibility: it is kept as it is.")
            % {"number": version.number},
        )
    audit.record(
        actor=actor,
        action=actions.VERSION_DISCARDED,
        obj=version,
        data={"measure": version.measure.code, "number": version.number},
    )
    version.delete()
