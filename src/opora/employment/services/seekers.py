"""Job seekers: registration at a service point, the profile, and the status with its
history. The ages a status needs are rules in force on the day (``legal.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, require_choice, validated
from opora.institutions.models import District
from opora.registry.models import Person
from opora.registry.services import person_serve
from opora.rules.selectors import value_in_force

from .. import audit_actions as actions
from ..legal import SEEKER_MIN_AGE, UNEMPLOYED_MIN_AGE
from ..models import (
    SEEKER_TRANSITIONS,
    Education,
    JobSeeker,
    Occupation,
    Schedule,
    SeekerStatus,
    SeekerStatusChange,
    ServicePoint,
    TargetGroup,
)
from .common import (
    choice_list,
    not_before,
    not_future,
    require_point,
    required_text,
    short_text,
    text_list,
)

__all__ = ["age_on", "seeker_change_status", "seeker_register", "seeker_update_profile"]

PROFILE_FIELDS = [
    "education",
    "qualifications",
    "skills",
    "experience_years",
    "wanted_pay",
    "schedule",
    "district",
    "travel_limit_km",
    "restrictions",
    "target_groups",
    "occupations",
]


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Full years on ``day``: the birthday itself counts (born 29 February, 1 March in a
    common year)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _require_age(person: Person, code: str, day: dt.date, field: str, message: Any) -> None:
    if person.birth_date is None:
        text = _("The registry holds no date of birth of this person.")
        raise DomainError("birth_date_missing", text, details={field: [text]})
    least = int(value_in_force(code, on=day))
    if age_on(person.birth_date, day) < least:
        text = message % {"age": least}
        raise DomainError("too_young", text, details={field: [text]})


def _occupations(codes: Iterable[str]) -> list[Occupation]:
    wanted = list(dict.fromkeys(codes))
    found = {o.code: o for o in Occupation.objects.filter(code__in=wanted)}
    missing = [code for code in wanted if code not in found]
    if missing:
        message = _("Not in the classifier of occupations: %(codes)s.") % {
            "codes": ", ".join(missing)
        }
        raise DomainError("unknown_occupation", message, details={"occupations": [message]})
    return [found[code] for code in wanted]


def _apply_profile(seeker: JobSeeker, fields: dict[str, Any]) -> list[Occupation] | None:
    """Checks the profile's values and sets them; the occupations are returned to be set
    after the save (a many-to-many needs the row)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        message = _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        raise DomainError("unknown_fields", message)
    if "education" in fields:
        seeker.education = require_choice(fields["education"], Education, field="education")
    if "schedule" in fields:
        seeker.schedule = require_choice(fields["schedule"], Schedule, field="schedule")
    if "skills" in fields:
        seeker.skills = text_list(fields["skills"], "skills")
    if "target_groups" in fields:
        seeker.target_groups = choice_list(fields["target_groups"], TargetGroup, "target_groups")
    for name in ("qualifications", "restrictions"):
        if name in fields:
            setattr(seeker, name, (fields[name] or "").strip())
    for name in ("experience_years", "travel_limit_km", "wanted_pay", "district"):
        if name in fields:
            setattr(seeker, name, fields[name])
    return _occupations(fields["occupations"]) if "occupations" in fields else None


@transaction.atomic
def seeker_register(
    *,
    actor: Actor,
    person: Person,
    service_point: ServicePoint,
    registered_on: dt.date,
    education: str,
    schedule: str,
    occupations: Iterable[str] = (),
    skills: Iterable[str] = (),
    target_groups: Iterable[str] = (),
    qualifications: str = "",
    experience_years: int = 0,
    wanted_pay: Decimal | None = None,
    district: District | None = None,
    travel_limit_km: int | None = None,
    restrictions: str = "",
) -> JobSeeker:
    require_point(actor, service_point)
    not_future(registered_on, "registered_on")
    if person.merged_into_id or person.death_date:
        message = _("This record of the registry is merged into another or of a deceased person.")
        raise DomainError("person_not_registrable", message, details={"person": [message]})
    _require_age(
        person,
        SEEKER_MIN_AGE,
        registered_on,
        "person",
        _("A job seeker is registered from the age of %(age)s."),
    )
    if JobSeeker.objects.filter(person=person).exclude(status=SeekerStatus.REMOVED).exists():
        raise Conflict(
            "already_registered",
            _("%(person)s is already on the register of job seekers.") % {"person": person},
        )
    seeker = JobSeeker(
        person=person,
        service_point=service_point,
        registered_on=registered_on,
        status=SeekerStatus.REGISTERED,
        status_since=registered_on,
    )
    chosen = _apply_profile(
        seeker,
        {
            "education": education,
            "schedule": schedule,
            "occupations": occupations,
            "skills": skills,
            "target_groups": target_groups,
            "qualifications": qualifications,
            "experience_years": experience_years,
            "wanted_pay": wanted_pay,
            "district": district,
            "travel_limit_km": travel_limit_km,
            "restrictions": restrictions,
        },
    )
    validated(seeker)
    try:
        with transaction.atomic():
            seeker.save()
    except IntegrityError:  # a simultaneous registration of the same person
        raise Conflict(
            "already_registered",
            _("%(person)s is already on the register of job seekers.") % {"person": person},
        ) from None
    seeker.occupations.set(chosen or [])
    SeekerStatusChange.objects.create(
        seeker=seeker, status=SeekerStatus.REGISTERED, effective_on=registered_on
    )
    person_serve(
        actor=actor, person=person, institution=service_point.institution, since=registered_on
    )
    audit.record(
        actor=actor,
        action=actions.SEEKER_REGISTERED,
        obj=seeker,
        changes=audit.diff({}, audit.snapshot(seeker, PROFILE_FIELDS)),
        data={"service_point": service_point.pk, "registered_on": registered_on},
    )
    return seeker


def _locked(seeker: JobSeeker) -> JobSeeker:
    return (
        JobSeeker.objects.select_for_update()
        .select_related("person", "service_point")
        .get(pk=seeker.pk)
    )


@transaction.atomic
def seeker_update_profile(*, actor: Actor, seeker: JobSeeker, **fields: Any) -> JobSeeker:
    require_point(actor, seeker.service_point)
    seeker = _locked(seeker)
    if seeker.status == SeekerStatus.REMOVED:
        raise Conflict(
            "seeker_removed",
            _("The record is closed: the job seeker was removed from the register."),
        )
    before = audit.snapshot(seeker, PROFILE_FIELDS)
    chosen = _apply_profile(seeker, fields)
    validated(seeker)
    seeker.save()
    if chosen is not None:
        seeker.occupations.set(chosen)
    audit.record_changes(
        actor=actor,
        action=actions.SEEKER_PROFILE_CHANGED,
        obj=seeker,
        before=before,
        after=audit.snapshot(seeker, PROFILE_FIELDS),
    )
    return seeker


@transaction.atomic
def seeker_change_status(
    *, actor: Actor, seeker: JobSeeker, status: str, effective_on: dt.date, reason: str = ""
) -> JobSeeker:
    require_point(actor, seeker.service_point)
    require_choice(status, SeekerStatus, field="status")
    seeker = _locked(seeker)
    if status not in SEEKER_TRANSITIONS[seeker.status]:
        message = _("A job seeker «%(current)s» cannot become «%(status)s».") % {
            "current": SeekerStatus(seeker.status).label,
            "status": SeekerStatus(status).label,
        }
        raise Conflict("invalid_transition", message, details={"status": [message]})
    not_future(effective_on, "effective_on")
    not_before(effective_on, seeker.status_since, "effective_on")
    reason = " ".join((reason or "").split())
    if status == SeekerStatus.REMOVED:
        reason = required_text(reason, "reason", _("Say why the job seeker is removed."))
    short_text(reason, "reason")
    if status == SeekerStatus.UNEMPLOYED:
        _require_age(
            seeker.person,
            UNEMPLOYED_MIN_AGE,
            effective_on,
            "status",
            _("A person is recognised as unemployed from the age of %(age)s."),
        )
    before = audit.snapshot(seeker, ["status", "status_since"])
    seeker.status = status
    seeker.status_since = effective_on
    seeker.save(update_fields=["status", "status_since", "updated_at"])
    SeekerStatusChange.objects.create(
        seeker=seeker, status=status, effective_on=effective_on, reason=reason
    )
    audit.record(
        actor=actor,
        action=actions.SEEKER_STATUS_CHANGED,
        obj=seeker,
        changes=audit.diff(before, audit.snapshot(seeker, ["status", "status_since"])),
        data={"status": status},
        reason=reason,
    )
    return seeker
