"""Applications for a measure: registered against the version in force on the day, documents
attached, eligibility checked (each check stored with its explanation), decided within the
working days of the version (a late decision is kept and marked), or withdrawn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from opora.casework.models import Channel
from opora.core import audit, uploads
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, NotFound, require_choice, validated
from opora.institutions.models import Institution
from opora.registry import selectors as registry
from opora.registry.models import Person
from opora.registry.services import person_serve
from opora.rules import selectors as rules

from .. import audit_actions as actions
from .. import criteria
from ..models import (
    Application,
    ApplicationFile,
    ApplicationStatus,
    Assignment,
    AssignmentEvent,
    AssignmentEventKind,
    Beneficiary,
    Decision,
    DecisionOutcome,
    Evaluation,
    Measure,
    MeasureVersion,
    Periodicity,
)
from ..selectors.households import household_fingerprint, household_of
from ..selectors.measures import version_in_force
from .common import (
    ONE_DAY,
    add_months,
    not_before,
    not_future,
    require_in_scope,
    required_text,
)

__all__ = [
    "application_attach_file",
    "application_decide",
    "application_evaluate",
    "application_register",
    "application_withdraw",
    "check_amount_bounds",
    "evaluation_store",
]

# The household an evaluation counted, kept beside the explanation the rule language writes.
FINGERPRINT_KEY = "household_fingerprint"


def _no_application() -> str:
    return _("No such application.")


def _require_application(actor: Actor, application: Application) -> None:
    require_in_scope(actor, application.institution, _no_application())


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("measure", "version", "institution", "person")
        .get(pk=application.pk)
    )


def _refuse_closed(application: Application) -> None:
    if application.status != ApplicationStatus.SUBMITTED:
        raise Conflict(
            "application_closed",
            _("The application %(number)s is already %(status)s.")
            % {"number": application.pk, "status": application.get_status_display()},
        )


def _require_person_in_scope(actor: Actor, person: Person) -> None:
    """The registry decides who the actor may see; a person she may not see is never named."""
    if not registry.people(actor=actor).filter(pk=person.pk).exists():
        raise NotFound(
            "person_not_found",
            _("No such person in your institutions' records."),
            details={"person": [_("Choose a person your institution serves.")]},
        )
    if person.merged_into_id is not None:
        raise DomainError(
            "person_merged",
            _("This record was merged into another: register the application on that one."),
            details={"person": [_("Choose the surviving record.")]},
        )


def _version_for(measure: Measure, applied_on: dt.date) -> MeasureVersion:
    if measure.ended_on is not None and applied_on >= measure.ended_on:
        raise DomainError(
            "measure_ended",
            _("%(measure)s is not granted from %(date)s.")
            % {"measure": measure, "date": measure.ended_on.strftime("%d.%m.%Y")},
            details={"measure": [_("Choose a measure that is granted.")]},
        )
    version = version_in_force(measure=measure, on=applied_on)
    if version is None:
        raise DomainError(
            "no_version_in_force",
            _("No version of %(measure)s is in force on %(date)s.")
            % {"measure": measure, "date": applied_on.strftime("%d.%m.%Y")},
            details={"applied_on": [_("No version of the measure is in force on this day.")]},
        )
    return version


def _checked_documents(version: MeasureVersion, documents: Iterable[str]) -> list[str]:
    received = list(dict.fromkeys(" ".join(str(d).split()) for d in documents))
    unknown = [name for name in received if name not in version.documents]
    if unknown:
        raise DomainError(
            "unknown_document",
            _("“%(document)s” is not among the documents this measure needs.")
            % {"document": unknown[0]},
            details={"documents_received": [_("Choose from the documents the measure needs.")]},
        )
    return received


def _refuse_open(measure: Measure, person: Person, household_id: int | None) -> None:
    open_applications = Application.objects.filter(
        measure=measure, status=ApplicationStatus.SUBMITTED
    )
    if open_applications.filter(person=person).exists():
        raise Conflict(
            "application_open",
            _("%(person)s already has an application for %(measure)s waiting for a decision.")
            % {"person": person, "measure": measure},
        )
    if household_id is not None and open_applications.filter(household_id=household_id).exists():
        raise Conflict(
            "application_open",
            _("The household already has an application for %(measure)s waiting for a decision.")
            % {"measure": measure},
        )


@transaction.atomic
def application_register(
    *,
    actor: Actor,
    measure: Measure,
    person: Person,
    institution: Institution,
    channel: str,
    applied_on: dt.date,
    documents_received: Iterable[str] = (),
    note: str = "",
) -> Application:
    """Register an application; everything is checked before anything is written."""
    require_in_scope(actor, institution, _("No such institution."))
    _require_person_in_scope(actor, person)
    require_choice(
        channel,
        Channel,
        field="channel",
        code="unknown_channel",
        message=_("Unknown channel of the application."),
        hint=_("Choose how the application came."),
    )
    not_future(applied_on, "applied_on")
    measure = Measure.objects.get(pk=measure.pk)  # its end as stored, not as the caller read it
    version = _version_for(measure, applied_on)
    # Two registrations of one person never pass the check below side by side.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    household_id = household_of(person.pk, applied_on)
    if measure.beneficiary == Beneficiary.HOUSEHOLD and household_id is None:
        raise DomainError(
            "no_household",
            _(
                "%(measure)s is granted to a household, and %(person)s belongs to no household "
                "on %(date)s: record her household in the registry first."
            )
            % {"measure": measure, "person": person, "date": applied_on.strftime("%d.%m.%Y")},
            details={"person": [_("The applicant belongs to no household on this day.")]},
        )
    if measure.beneficiary != Beneficiary.HOUSEHOLD:
        household_id = None
    _refuse_open(measure, person, household_id)
    received = _checked_documents(version, documents_received)
    due_on = rules.add_working_days(applied_on, version.decision_working_days)
    application = validated(
        Application(
            measure=measure,
            version=version,
            person=person,
            household_id=household_id,
            institution=institution,
            channel=channel,
            applied_on=applied_on,
            due_on=due_on,
            documents_received=received,
            note=note.strip(),
        )
    )
    application.save()
    # The institution serves the person from now on: its staff see her (the registry writes the
    # link and its audit entry).
    person_serve(actor=actor, person=person, institution=institution, since=applied_on)
    audit.record(
        actor=actor,
        action=actions.APPLICATION_REGISTERED,
        obj=application,
        data={
            "measure": measure.code,
            "version": version.number,
            "person": person.pk,
            "household": household_id,
            "channel": channel,
            "due_on": due_on,
        },
    )
    return application


@transaction.atomic
def application_attach_file(
    *, actor: Actor, application: Application, title: str, upload: Any
) -> ApplicationFile:
    """Store a scan with the application, its type read from its content; a refused upload
    leaves nothing behind."""
    _require_application(actor, application)
    application = _locked(application)
    if application.status == ApplicationStatus.WITHDRAWN:
        _refuse_closed(application)
    title = required_text(title, "title", _("Name the document."))[:300]
    facts = uploads.checked(
        upload, allowed=uploads.SCANS, max_bytes=int(settings.CASEWORK_MAX_UPLOAD_BYTES)
    )
    attached = ApplicationFile(
        application=application,
        title=title,
        original_name=facts.original_name,
        content_type=facts.content_type,
        size=facts.size,
        uploaded_by=audit.acting_user(actor),
    )
    validated(attached, exclude=["file"])
    attached.file.save(facts.stored_name, upload, save=False)
    try:
        attached.save()
        audit.record(
            actor=actor,
            action=actions.APPLICATION_FILE_ATTACHED,
            obj=application,
            data={"title": title, "name": facts.original_name, "file": attached.pk},
        )
    except Exception:
        attached.file.storage.delete(str(attached.file.name))
        raise
    return attached


# --- Evaluations -------------------------------------------------------------------------------


def evaluation_store(
    *,
    actor: Actor,
    version: MeasureVersion,
    person: Person,
    on: dt.date,
    application: Application | None = None,
    institution: Institution | None = None,
) -> Evaluation:
    """Evaluate ``version`` for ``person`` on ``on`` and keep what came out, with the household
    it counted (callers run it inside their transaction and audit it)."""
    outcomes = criteria.evaluate(version=version, on=on, people=[person.pk], detail=True)
    if not outcomes:
        raise DomainError(
            "not_evaluated",
            _("%(person)s cannot be evaluated on %(date)s: she is not in the registry then.")
            % {"person": person, "date": on.strftime("%d.%m.%Y")},
        )
    outcome = outcomes[0]
    explanation = {**outcome.as_json(), FINGERPRINT_KEY: household_fingerprint(person.pk, on)}
    return Evaluation.objects.create(
        version=version,
        application=application,
        person=person,
        household_id=outcome.household_id,
        institution=institution or (application.institution if application else None),
        on=on,
        eligible=outcome.eligible,
        amount=outcome.amount,
        explanation=explanation,
        evaluated_by=audit.acting_user(actor),
    )


def _record_evaluation(
    actor: Actor, application: Application, evaluation: Evaluation, why: str = ""
) -> None:
    audit.record(
        actor=actor,
        action=actions.APPLICATION_EVALUATED,
        obj=application,
        data={
            "evaluation": evaluation.pk,
            "on": evaluation.on,
            "eligible": evaluation.eligible,
            "amount": evaluation.amount,
            "why": why,
        },
    )


@transaction.atomic
def application_evaluate(
    *, actor: Actor, application: Application, on: dt.date | None = None
) -> Evaluation:
    """Check the application's version for its applicant as of ``on`` (the day of the
    application unless given) and keep the result with its explanation."""
    _require_application(actor, application)
    application = _locked(application)
    if application.status == ApplicationStatus.WITHDRAWN:
        _refuse_closed(application)
    evaluation = evaluation_store(
        actor=actor,
        version=application.version,
        person=application.person,
        on=on or application.applied_on,
        application=application,
    )
    _record_evaluation(actor, application, evaluation)
    return evaluation


def _household_changed(evaluation: Evaluation, on: dt.date) -> bool:
    counted = (evaluation.explanation or {}).get(FINGERPRINT_KEY)
    return counted != household_fingerprint(evaluation.person_id, on)


def _evaluation_for_decision(
    actor: Actor, application: Application, decided_on: dt.date
) -> Evaluation:
    """The latest evaluation, unless there is none or the household changed since it was
    taken: then a new one on the day of the decision (a member joined or left during the
    application, and the decision rests on the household as it is)."""
    latest = application.evaluations.order_by("-evaluated_at", "-pk").first()
    if latest is not None and not _household_changed(latest, decided_on):
        return latest
    why = "first" if latest is None else "household_changed"
    on = application.applied_on if latest is None else decided_on
    evaluation = evaluation_store(
        actor=actor,
        version=application.version,
        person=application.person,
        on=on,
        application=application,
    )
    _record_evaluation(actor, application, evaluation, why)
    return evaluation


def check_amount_bounds(version: MeasureVersion, amount: Decimal) -> None:
    """The amount of an assignment lies within the version's smallest and largest amounts."""
    floor, ceiling = version.amount_floor, version.amount_ceiling
    if (floor is not None and amount < floor) or (ceiling is not None and amount > ceiling):
        raise DomainError(
            "amount_out_of_bounds",
            _(
                "The amount %(amount)s is outside the bounds of the measure: from %(floor)s to "
                "%(ceiling)s roubles."
            )
            % {
                "amount": amount,
                "floor": floor if floor is not None else "—",
                "ceiling": ceiling if ceiling is not None else "—",
            },
            details={"amount": [_("Outside the smallest and largest amounts.")]},
        )


def _period(
    version: MeasureVersion,
    application: Application,
    decided_on: dt.date,
    starts_on: dt.date | None,
) -> tuple[dt.date, dt.date | None, dt.date | None]:
    """From when, to when, and when to review: a monthly or yearly payment from the first day
    of the month of the application, a one-time payment on the day of the decision."""
    if starts_on is not None:
        not_before(
            starts_on,
            application.applied_on.replace(day=1),
            "starts_on",
            _("An assignment cannot start before the month of the application."),
        )
    else:
        if version.periodicity == Periodicity.ONE_TIME:
            starts_on = decided_on
        else:
            starts_on = application.applied_on.replace(day=1)
    if version.term_months:
        ends_on: dt.date | None = add_months(starts_on, version.term_months) - ONE_DAY
    elif version.periodicity == Periodicity.ONE_TIME:
        ends_on = starts_on
    else:
        ends_on = None
    review_on = add_months(starts_on, version.review_months) if version.review_months else None
    return starts_on, ends_on, review_on


def _assign(
    actor: Actor,
    application: Application,
    evaluation: Evaluation,
    decided_on: dt.date,
    starts_on: dt.date | None,
) -> Assignment:
    version = application.version
    if (
        application.measure.beneficiary == Beneficiary.HOUSEHOLD
        and evaluation.household_id != application.household_id
    ):
        # The household applied; its applicant left it during the application. What to grant
        # to whom is for a new application of the household (or hers), not for this one.
        raise DomainError(
            "household_left",
            _(
                "%(person)s no longer belongs to the household that applied: refuse or record "
                "the withdrawal of this application, and register a new one."
            )
            % {"person": application.person},
            details={"outcome": [_("The applicant left the household that applied.")]},
        )
    if evaluation.eligible is not True:
        outcome = criteria.Outcome.from_json(evaluation.explanation)
        not_met = [c.text for c in [*outcome.failed, *outcome.unknown]]
        raise DomainError(
            "not_eligible",
            _("The applicant is not found eligible: %(reasons)s")
            % {"reasons": "; ".join(not_met) or _("the rule did not hold")},
            details={"failed_clauses": [c.id for c in [*outcome.failed, *outcome.unknown]]},
        )
    if evaluation.amount is None and version.amount:
        raise DomainError(
            "amount_unknown",
            _("The amount could not be worked out from the registry's facts."),
        )
    amount = evaluation.amount if evaluation.amount is not None else Decimal("0")
    check_amount_bounds(version, amount)
    starts_on, ends_on, review_on = _period(version, application, decided_on, starts_on)
    assignment = validated(
        Assignment(
            application=application,
            version=version,
            measure=application.measure,
            person=application.person,
            household_id=evaluation.household_id,
            institution=application.institution,
            amount=amount,
            starts_on=starts_on,
            ends_on=ends_on,
            review_on=review_on,
        )
    )
    assignment.save()
    AssignmentEvent.objects.create(
        assignment=assignment,
        kind=AssignmentEventKind.ASSIGNED,
        on=starts_on,
        amount_after=amount,
        evaluation=evaluation,
        recorded_by=audit.acting_user(actor),
    )
    return assignment


@transaction.atomic
def application_decide(
    *,
    actor: Actor,
    application: Application,
    outcome: str,
    decided_on: dt.date,
    reason: str = "",
    starts_on: dt.date | None = None,
) -> Decision:
    """Assign the measure (only when the latest evaluation says eligible) or refuse it citing
    the clauses not met. A decision after the due day is kept and marked late."""
    _require_application(actor, application)
    if audit.acting_user(actor) is None:
        # A decision is signed by the specialist who takes it, never by the system.
        raise DomainError(
            "decider_required",
            _("A decision is taken by a signed-in specialist, not by the system."),
            status=403,
        )
    require_choice(outcome, DecisionOutcome, field="outcome", hint=_("Assign or refuse."))
    application = _locked(application)
    _refuse_closed(application)
    not_future(decided_on, "decided_on")
    not_before(
        decided_on,
        application.applied_on,
        "decided_on",
        _("A decision cannot come before the application."),
    )
    evaluation = _evaluation_for_decision(actor, application, decided_on)
    reason = reason.strip()
    assignment = None
    failed: list[str] = []
    if outcome == DecisionOutcome.ASSIGN:
        assignment = _assign(actor, application, evaluation, decided_on, starts_on)
        application.status = ApplicationStatus.ASSIGNED
    else:
        if evaluation.eligible is True and not reason:
            raise DomainError(
                "reason_required",
                _("The applicant is found eligible: say why the measure is refused."),
                details={"reason": [_("Give the reasons for the refusal.")]},
            )
        found = criteria.Outcome.from_json(evaluation.explanation)
        failed = [c.id for c in [*found.failed, *found.unknown]]
        application.status = ApplicationStatus.REFUSED
    decision = validated(
        Decision(
            application=application,
            evaluation=evaluation,
            outcome=outcome,
            decided_on=decided_on,
            decided_by=audit.acting_user(actor),
            is_late=decided_on > application.due_on,
            failed_clauses=failed,
            reason=reason,
        )
    )
    decision.save()
    application.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action=actions.APPLICATION_DECIDED,
        obj=application,
        data={
            "outcome": outcome,
            "decided_on": decided_on,
            "is_late": decision.is_late,
            "evaluation": evaluation.pk,
            "failed_clauses": failed,
            "assignment": assignment.pk if assignment else None,
            "amount": assignment.amount if assignment else None,
        },
        reason=reason,
    )
    return decision


@transaction.atomic
def application_withdraw(*, actor: Actor, application: Application, reason: str) -> Application:
    _require_application(actor, application)
    application = _locked(application)
    _refuse_closed(application)
    reason = required_text(reason, "reason", _("Say why the application is withdrawn."))
    before = audit.snapshot(application, ["status", "withdrawn_reason"])
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_reason = reason[:300]
    application.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    audit.record_changes(
        actor=actor,
        action=actions.APPLICATION_WITHDRAWN,
        obj=application,
        before=before,
        after=audit.snapshot(application, ["status", "withdrawn_reason"]),
        reason=reason,
    )
    return application
