"""Referrals of job seekers to vacancies, and their outcome. A hire moves the seeker to
"employed" when her status allows it, in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, require_choice

from .. import audit_actions as actions
from ..models import (
    REFERRAL_TRANSITIONS,
    SEEKER_TRANSITIONS,
    JobSeeker,
    Referral,
    ReferralOutcome,
    SeekerStatus,
    Vacancy,
    VacancyStatus,
)
from .common import not_before, not_future, require_point, required_text, short_text
from .seekers import seeker_change_status

__all__ = ["referral_make", "referral_record_outcome"]


@transaction.atomic
def referral_make(
    *, actor: Actor, seeker: JobSeeker, vacancy: Vacancy, referred_on: dt.date
) -> Referral:
    require_point(actor, seeker.service_point)
    require_point(actor, vacancy.employer.service_point)
    # Both rows are read again under a lock: a removal or a closing at the same moment waits.
    seeker = JobSeeker.objects.select_for_update().get(pk=seeker.pk)
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if seeker.status == SeekerStatus.REMOVED:
        message = _("A job seeker removed from the register cannot be referred.")
        raise Conflict("seeker_removed", message, details={"seeker_id": [message]})
    if seeker.status == SeekerStatus.EMPLOYED:
        message = _("The job seeker is already employed.")
        raise Conflict("seeker_employed", message, details={"seeker_id": [message]})
    if vacancy.status != VacancyStatus.OPEN:
        message = _("The vacancy is not open.")
        raise Conflict("vacancy_not_open", message, details={"vacancy_id": [message]})
    not_future(referred_on, "referred_on")
    not_before(referred_on, max(seeker.registered_on, vacancy.opened_on), "referred_on")
    message = _("This job seeker was already referred to this vacancy.")
    if Referral.objects.filter(seeker=seeker, vacancy=vacancy).exists():
        raise Conflict("already_referred", message, details={"vacancy_id": [message]})
    referral = Referral(seeker=seeker, vacancy=vacancy, referred_on=referred_on)
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError:
        raise Conflict("already_referred", message, details={"vacancy_id": [message]}) from None
    audit.record(
        actor=actor,
        action=actions.REFERRAL_MADE,
        obj=referral,
        data={"seeker": seeker.pk, "vacancy": vacancy.pk, "referred_on": referred_on},
    )
    return referral


@transaction.atomic
def referral_record_outcome(
    *, actor: Actor, referral: Referral, outcome: str, on: dt.date, reason: str = ""
) -> Referral:
    require_point(actor, referral.seeker.service_point)
    require_choice(outcome, ReferralOutcome, field="outcome")
    referral = (
        Referral.objects.select_for_update()
        .select_related("seeker__service_point", "vacancy")
        .get(pk=referral.pk)
    )
    if outcome not in REFERRAL_TRANSITIONS[referral.outcome]:
        message = _("A referral «%(current)s» cannot become «%(outcome)s».") % {
            "current": ReferralOutcome(referral.outcome).label,
            "outcome": ReferralOutcome(outcome).label,
        }
        raise Conflict("invalid_transition", message, details={"outcome": [message]})
    not_future(on, "on")
    not_before(on, referral.outcome_on or referral.referred_on, "on")
    reason = short_text(" ".join((reason or "").split()), "reason")
    if outcome == ReferralOutcome.REFUSED:
        reason = required_text(reason, "reason", _("Say why the job seeker was refused."))
    elif reason:
        message = _("A reason is given for a refusal only.")
        raise DomainError("reason_not_expected", message, details={"reason": [message]})
    before = audit.snapshot(referral, ["outcome", "outcome_on", "refusal_reason"])
    referral.outcome = outcome
    referral.outcome_on = on
    referral.refusal_reason = reason
    referral.save(update_fields=["outcome", "outcome_on", "refusal_reason", "updated_at"])
    audit.record(
        actor=actor,
        action=actions.REFERRAL_OUTCOME,
        obj=referral,
        changes=audit.diff(
            before, audit.snapshot(referral, ["outcome", "outcome_on", "refusal_reason"])
        ),
        data={"outcome": outcome},
        reason=reason,
    )
    seeker = referral.seeker
    if (
        outcome == ReferralOutcome.HIRED
        and SeekerStatus.EMPLOYED in SEEKER_TRANSITIONS[seeker.status]
    ):
        seeker_change_status(
            actor=actor,
            seeker=seeker,
            status=SeekerStatus.EMPLOYED,
            effective_on=on,
        )
    return referral
