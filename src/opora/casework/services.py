"""Every write of casework: intake, urgent services, documents, assessment, the decision, the
individual programme and its versions, deliveries, missed visits, the home-care worker, acts.

Each step of a case goes through ``_move``, which checks the step against ``TRANSITIONS``,
records it on the case's timeline and writes its audit entry in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opora.catalogue.models import ProviderEntry, Service
from opora.catalogue.selectors import provider_price
from opora.core import audit
from opora.core.errors import Conflict, DomainError, NotFound, validated
from opora.core.scoping import Reach, Scope
from opora.institutions.models import Employee, Employment, Institution, ServiceForm
from opora.registry.models import Person, PersonInstitution
from opora.rules import selectors as rules
from opora.rules.services import fee_calculate

from . import audit_actions as actions
from .files import detected_type
from .models import (
    CASELOAD_STATUSES,
    Applicant,
    ApplicationGround,
    Assessment,
    AssessmentScale,
    CareLevel,
    Case,
    CaseDocument,
    CaseStatus,
    CaseTransition,
    Channel,
    Delivery,
    DocumentKind,
    MissedReason,
    MissedVisit,
    NeedDecision,
    Outcome,
    Programme,
    ProgrammeItem,
    ProgrammeReason,
    ProgrammeStatus,
    ServiceAct,
)
from .selectors import act_figures, delivered_volume, month_start, programme_in_force

S = CaseStatus
# The steps a case may take. Reaching "assessed", "recognised", "refused", "programme drafted",
# "agreed" and "in service" is the work of their own services; suspending, resuming and closing
# are asked for directly.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.APPLIED: frozenset({S.ASSESSED, S.REFUSED, S.CLOSED}),
    S.ASSESSED: frozenset({S.RECOGNISED, S.REFUSED, S.CLOSED}),
    S.RECOGNISED: frozenset({S.PROGRAMME_DRAFTED, S.CLOSED}),
    S.REFUSED: frozenset({S.CLOSED}),
    S.PROGRAMME_DRAFTED: frozenset({S.AGREED, S.CLOSED}),
    S.AGREED: frozenset({S.IN_SERVICE, S.SUSPENDED, S.CLOSED}),
    S.IN_SERVICE: frozenset({S.SUSPENDED, S.CLOSED}),
    S.SUSPENDED: frozenset({S.IN_SERVICE, S.CLOSED}),
    S.CLOSED: frozenset(),
}
# Statuses in which a programme is in force and services are delivered against it.
SERVING = (S.AGREED, S.IN_SERVICE)
WITH_PROGRAMME = (S.AGREED, S.IN_SERVICE, S.SUSPENDED)
ONE_DAY = dt.timedelta(days=1)


# --- Checks shared by the services ------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def require_institution(actor: Any, institution: Institution) -> None:
    """The actor works at ``institution`` (the system and administrators everywhere)."""
    if actor is None:
        return
    scope = Scope.of(actor)
    if scope.reach is Reach.ALL:
        return
    if scope.reach is Reach.INSTITUTIONS and institution.pk in scope.institution_ids:
        return
    raise DomainError(
        "not_your_institution",
        _("You do not work at %(institution)s.") % {"institution": institution},
        details={"institution": [_("Choose one of your institutions.")]},
        status=403,
    )


def _require_case(actor: Any, case: Case) -> None:
    """A case outside the actor's institutions does not exist for her."""
    try:
        require_institution(actor, case.institution)
    except DomainError as exc:
        raise NotFound("not_found", _("No such case.")) from exc


def _not_future(day: dt.date, field: str) -> None:
    if day > _today():
        raise DomainError(
            "date_in_future",
            _("The date %(date)s is in the future.") % {"date": day.strftime("%d.%m.%Y")},
            details={field: [_("Enter today or an earlier day.")]},
        )


def _not_before(day: dt.date, earliest: dt.date, field: str, message: str) -> None:
    if day < earliest:
        raise DomainError("date_too_early", message, details={field: [message]})


def _locked(case: Case) -> Case:
    """The case row, locked for this transaction: two steps of one case never interleave."""
    return Case.objects.select_for_update().select_related("institution").get(pk=case.pk)


def _refuse_closed(case: Case, field: str = "__all__") -> None:
    if case.status == S.CLOSED:
        raise Conflict(
            "case_closed",
            _("The case %(number)s is closed: nothing more can be recorded in it.")
            % {"number": case.number},
            details={field: [_("The case is closed.")]},
        )


def illegal_step(case: Case, to_status: str) -> Conflict:
    return Conflict(
        "illegal_transition",
        _("A case that is “%(current)s” cannot become “%(target)s”.")
        % {"current": S(case.status).label, "target": S(to_status).label},
        details={"status": [case.status, to_status]},
    )


def next_due_of(case: Case, status: str) -> dt.date | None:
    """The deadline of the step a case in ``status`` waits for."""
    if status in (S.APPLIED, S.ASSESSED):
        return case.decision_due
    if status in (S.RECOGNISED, S.PROGRAMME_DRAFTED):
        return case.programme_due
    if status in WITH_PROGRAMME:
        programme = programme_in_force(case)
        return programme.review_due if programme else None
    return None


def _move(*, actor: Any, case: Case, to_status: str, on: dt.date, note: str = "") -> CaseTransition:
    if to_status not in TRANSITIONS[case.status]:
        raise illegal_step(case, to_status)
    from_status = case.status
    case.status = to_status
    case.status_since = on
    case.next_due = next_due_of(case, to_status)
    case.save(update_fields=["status", "status_since", "next_due", "updated_at"])
    step = CaseTransition.objects.create(
        case=case,
        from_status=from_status,
        to_status=to_status,
        on=on,
        actor=audit.acting_user(actor),
        note=note,
    )
    audit.record(
        actor=actor,
        action=actions.CASE_MOVED,
        obj=case,
        changes={"status": [from_status, to_status]},
        data={"from_status": from_status, "to_status": to_status},
        reason=note,
    )
    return step


# --- Intake -------------------------------------------------------------------------------------


def _checked_grounds(grounds: Iterable[ApplicationGround]) -> list[ApplicationGround]:
    chosen = list(grounds)
    if not chosen:
        raise DomainError(
            "no_grounds",
            _("Choose at least one ground on which the person applies."),
            details={"grounds": [_("Choose at least one ground.")]},
        )
    retired = [g for g in chosen if not g.is_active]
    if retired:
        raise DomainError(
            "ground_retired",
            _("The ground “%(ground)s” is no longer in use.") % {"ground": retired[0]},
            details={"grounds": [_("Choose a ground in use.")]},
        )
    return chosen


def _checked_applicant(applicant: str, representative_name: str, channel: str, referred_by: str):
    if channel not in Channel.values:
        raise DomainError(
            "unknown_channel",
            _("Unknown channel of the application."),
            details={"channel": [_("Choose how the application came.")]},
        )
    if applicant not in Applicant.values:
        raise DomainError(
            "unknown_applicant",
            _("State who applied."),
            details={"applicant": [_("Choose who applied.")]},
        )
    if applicant == Applicant.REPRESENTATIVE and not representative_name.strip():
        raise DomainError(
            "representative_unnamed",
            _("Name the representative who applied."),
            details={"representative_name": [_("Enter the representative's name.")]},
        )
    if channel == Channel.REFERRAL and not referred_by.strip():
        raise DomainError(
            "referral_unnamed",
            _("Name the body that referred the person."),
            details={"referred_by": [_("Enter who referred the person.")]},
        )


@dataclass(frozen=True)
class UrgentEntry:
    """An urgent service given at intake."""

    service: Service
    quantity: int = 1
    minutes: int | None = None
    note: str = ""


@transaction.atomic
def case_register(
    *,
    actor: Any,
    person: Person,
    institution: Institution,
    channel: str,
    applied_on: dt.date,
    grounds: Iterable[ApplicationGround],
    requested_services: Iterable[Service] = (),
    requested_form: str = "",
    applicant: str = Applicant.SELF,
    representative_name: str = "",
    representative_basis: str = "",
    referred_by: str = "",
    circumstances: str = "",
    urgent: Sequence[UrgentEntry] = (),
) -> Case:
    """Register an application; urgent services given at once are recorded with it."""
    require_institution(actor, institution)
    if person.merged_into_id is not None:
        raise DomainError(
            "person_merged",
            _("This record was merged into another: register the application on that one."),
            details={"person": [_("Choose the surviving record.")]},
        )
    _checked_applicant(applicant, representative_name, channel, referred_by)
    chosen_grounds = _checked_grounds(grounds)
    if requested_form and requested_form not in ServiceForm.values:
        raise DomainError(
            "unknown_form",
            _("Unknown form of social service."),
            details={"requested_form": [_("Choose a form.")]},
        )
    _not_future(applied_on, "applied_on")
    services = list(requested_services)
    case = Case(
        number=f"tmp-{secrets.token_hex(8)}",
        person=person,
        institution=institution,
        channel=channel,
        applicant=applicant,
        representative_name=representative_name.strip(),
        representative_basis=representative_basis.strip(),
        referred_by=referred_by.strip(),
        applied_on=applied_on,
        requested_form=requested_form,
        circumstances=circumstances.strip(),
        status=S.APPLIED,
        status_since=applied_on,
        decision_due=rules.need_decision_due(applied_on),
        registered_by=audit.acting_user(actor),
    )
    case.next_due = case.decision_due
    validated(case).save()
    case.number = f"{applied_on.year}-{case.pk:07d}"
    case.save(update_fields=["number"])
    case.grounds.set(chosen_grounds)
    case.requested_services.set(services)
    # The institution serves the person from now on: its staff see her.
    PersonInstitution.objects.get_or_create(
        person=person, institution=institution, defaults={"since": applied_on}
    )
    CaseTransition.objects.create(
        case=case,
        from_status="",
        to_status=S.APPLIED,
        on=applied_on,
        actor=audit.acting_user(actor),
    )
    audit.record(
        actor=actor,
        action=actions.CASE_REGISTERED,
        obj=case,
        data={
            "channel": channel,
            "person": person.pk,
            "grounds": [g.code for g in chosen_grounds],
            "services": [s.code for s in services],
        },
    )
    for entry in urgent:
        _deliver_urgent(actor=actor, case=case, entry=entry, delivered_on=applied_on)
    return case


def _deliver_urgent(*, actor: Any, case: Case, entry: UrgentEntry, delivered_on: dt.date):
    service = entry.service
    if not (service.urgent_allowed and service.is_active):
        raise DomainError(
            "not_urgent",
            _("%(service)s is not given as an urgent social service.") % {"service": service},
            details={"service": [_("Choose an urgent service of the catalogue.")]},
        )
    if entry.quantity < 1:
        raise DomainError(
            "quantity_not_positive",
            _("Enter at least one unit."),
            details={"quantity": [_("Enter at least one unit.")]},
        )
    delivery = Delivery(
        case=case,
        service=service,
        is_urgent=True,
        delivered_on=delivered_on,
        minutes=entry.minutes,
        quantity=entry.quantity,
        # Urgent social services are free of charge (442-FZ art. 31 part 1).
        unit_price=Decimal("0"),
        note=entry.note.strip(),
        recorded_by=audit.acting_user(actor),
    )
    validated(delivery).save()
    audit.record(
        actor=actor,
        action=actions.URGENT_DELIVERED,
        obj=case,
        data={"service": service.code, "quantity": entry.quantity, "delivery": delivery.pk},
    )
    return delivery


@transaction.atomic
def urgent_service_deliver(
    *, actor: Any, case: Case, entry: UrgentEntry, delivered_on: dt.date
) -> Delivery:
    """An urgent service given at once (art. 21), without an individual programme."""
    _require_case(actor, case)
    case = _locked(case)
    _refuse_closed(case)
    _not_future(delivered_on, "delivered_on")
    _not_before(
        delivered_on,
        case.applied_on,
        "delivered_on",
        _("A service cannot be given before the application."),
    )
    return _deliver_urgent(actor=actor, case=case, entry=entry, delivered_on=delivered_on)


# --- Documents -------------------------------------------------------------------------------


def _max_upload_bytes() -> int:
    return int(settings.CASEWORK_MAX_UPLOAD_BYTES)


@transaction.atomic
def document_attach(
    *, actor: Any, case: Case, kind: str, upload: Any, title: str = ""
) -> CaseDocument:
    """Store an uploaded file with the case: its type read from its first bytes, its size
    limited, its name random. Everything is checked before the file is written, and the file
    is removed again if its row cannot be saved: a refused upload leaves nothing behind."""
    _require_case(actor, case)
    case = _locked(case)
    _refuse_closed(case, "file")
    if kind not in DocumentKind.values:
        raise DomainError(
            "unknown_document_kind",
            _("Unknown kind of document."),
            details={"kind": [_("Choose a kind.")]},
        )
    size = getattr(upload, "size", None) or 0
    limit = _max_upload_bytes()
    if size == 0:
        raise DomainError(
            "file_empty", _("The file is empty."), details={"file": [_("Choose a file.")]}
        )
    if size > limit:
        raise DomainError(
            "file_too_large",
            _("The file is %(size)s MB; the largest accepted is %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
            details={"file": [_("Choose a smaller file or scan at a lower resolution.")]},
        )
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    found = detected_type(head)
    if found is None:
        raise DomainError(
            "file_type_refused",
            _("Only PDF, JPEG and PNG files are accepted; this file is none of them."),
            details={"file": [_("Save the document as PDF, JPEG or PNG.")]},
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    stored_name = f"{secrets.token_hex(16)}.{found.extension}"
    document = CaseDocument(
        case=case,
        kind=kind,
        title=title.strip()[:300],
        stored_name=stored_name,
        original_name=(getattr(upload, "name", "") or stored_name)[-255:],
        content_type=found.content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=audit.acting_user(actor),
    )
    validated(document, exclude=["file"])
    document.file.save(stored_name, upload, save=False)
    try:
        document.save()
        audit.record(
            actor=actor,
            action=actions.DOCUMENT_ATTACHED,
            obj=case,
            data={"name": document.original_name, "kind": kind, "document": document.pk},
        )
    except Exception:
        document.file.storage.delete(str(document.file.name))
        raise
    return document


# --- Assessment and decision -------------------------------------------------------------------


def scored_answers(scale: AssessmentScale, answers: Mapping[str, Any]) -> dict[str, int]:
    """Every item of the scale answered with one of its options; refused otherwise."""
    items = list(scale.items.all())
    known = {item.code for item in items}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise DomainError(
            "unknown_items",
            _("The scale has no item %(item)s.") % {"item": unknown[0]},
            details={code: [_("Not an item of this scale.")] for code in unknown},
        )
    checked: dict[str, int] = {}
    problems: dict[str, list[str]] = {}
    for item in items:
        value = answers.get(item.code)
        try:
            points = int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            points = None
        if points is None:
            problems[item.code] = [_("Choose an answer.")]
        elif points not in item.points():
            problems[item.code] = [_("Choose one of the answers of this item.")]
        else:
            checked[item.code] = points
    if problems:
        raise DomainError(
            "assessment_incomplete",
            _("Answer every item of the scale with one of its answers."),
            details=problems,
        )
    return checked


def level_for(scale: AssessmentScale, score: int) -> CareLevel | None:
    return scale.levels.filter(min_score__lte=score, max_score__gte=score).first()


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    case: Case,
    scale: AssessmentScale,
    answers: Mapping[str, Any],
    assessed_on: dt.date,
    living_conditions: str = "",
    conclusion: str = "",
) -> Assessment:
    """An assessment of the person's circumstances; the first moves the case to "assessed".
    A later one (a review, changed circumstances) is kept with the case as it is."""
    _require_case(actor, case)
    case = _locked(case)
    _refuse_closed(case)
    if case.status == S.REFUSED:
        raise illegal_step(case, S.ASSESSED)
    if not scale.is_active:
        raise DomainError(
            "scale_retired",
            _("The scale %(scale)s is no longer in use.") % {"scale": scale},
            details={"scale": [_("Choose a scale in use.")]},
        )
    _not_future(assessed_on, "assessed_on")
    _not_before(
        assessed_on,
        case.applied_on,
        "assessed_on",
        _("The assessment cannot be earlier than the application."),
    )
    checked = scored_answers(scale, answers)
    score = sum(checked.values())
    assessment = Assessment(
        case=case,
        assessed_on=assessed_on,
        scale=scale,
        answers=checked,
        score=score,
        care_level=level_for(scale, score),
        living_conditions=living_conditions.strip(),
        conclusion=conclusion.strip(),
        assessor=audit.acting_user(actor),
    )
    validated(assessment).save()
    audit.record(
        actor=actor,
        action=actions.ASSESSMENT_RECORDED,
        obj=case,
        data={
            "score": score,
            "scale": scale.code,
            "level": assessment.care_level.code if assessment.care_level else "",
        },
    )
    if case.status == S.APPLIED:
        _move(actor=actor, case=case, to_status=S.ASSESSED, on=assessed_on)
    return assessment


@transaction.atomic
def need_decide(
    *,
    actor: Any,
    case: Case,
    outcome: str,
    decided_on: dt.date,
    reasons: str = "",
    care_level: CareLevel | None = None,
) -> NeedDecision:
    """Recognise the person as needing social services, or refuse with reasons (art. 15)."""
    _require_case(actor, case)
    case = _locked(case)
    if case.status == S.CLOSED:
        raise Conflict(
            "case_closed",
            _("The case %(number)s was closed: no decision can be taken in it any more.")
            % {"number": case.number},
            details={"outcome": [_("The case is closed.")]},
        )
    if outcome not in Outcome.values:
        raise DomainError(
            "unknown_outcome",
            _("Choose to recognise or to refuse."),
            details={"outcome": [_("Choose a decision.")]},
        )
    target = S.RECOGNISED if outcome == Outcome.RECOGNISED else S.REFUSED
    if NeedDecision.objects.filter(case=case).exists() or target not in TRANSITIONS[case.status]:
        if case.status == S.APPLIED and target == S.RECOGNISED:
            raise Conflict(
                "assessment_missing",
                _("Record the assessment of the person's circumstances before recognising."),
                details={"outcome": [_("Assess first.")]},
            )
        raise illegal_step(case, target)
    if outcome == Outcome.REFUSED and not reasons.strip():
        raise DomainError(
            "refusal_without_reasons",
            _("A refusal states its reasons."),
            details={"reasons": [_("Enter the reasons for the refusal.")]},
        )
    _not_future(decided_on, "decided_on")
    _not_before(
        decided_on,
        case.applied_on,
        "decided_on",
        _("The decision cannot be earlier than the application."),
    )
    assessment = case.assessments.order_by("-assessed_on", "-id").first()
    if care_level is None and assessment is not None:
        care_level = assessment.care_level
    decision = NeedDecision(
        case=case,
        outcome=outcome,
        decided_on=decided_on,
        due_on=case.decision_due or decided_on,
        assessment=assessment,
        care_level=care_level if outcome == Outcome.RECOGNISED else None,
        reasons=reasons.strip(),
        decided_by=audit.acting_user(actor),
    )
    validated(decision).save()
    if target == S.RECOGNISED:
        case.programme_due = rules.programme_due(decided_on)
        case.save(update_fields=["programme_due"])
    audit.record(
        actor=actor,
        action=actions.NEED_DECIDED,
        obj=case,
        data={"outcome": outcome, "late": decision.late, "decision": decision.pk},
        reason=reasons.strip(),
    )
    _move(actor=actor, case=case, to_status=target, on=decided_on)
    return decision


# --- The individual programme ------------------------------------------------------------------


@transaction.atomic
def programme_draft(
    *,
    actor: Any,
    case: Case,
    form: str,
    drawn_up_on: dt.date,
    income: Decimal,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    reason: str | None = None,
    copy_items: bool = True,
) -> Programme:
    """Draw up a version of the programme: the first after recognition, a later one on review
    or when circumstances change (the version in force stays until the new one is agreed)."""
    _require_case(actor, case)
    case = _locked(case)
    _refuse_closed(case)
    first = case.status == S.RECOGNISED
    if not first and case.status not in WITH_PROGRAMME:
        raise illegal_step(case, S.PROGRAMME_DRAFTED)
    if case.programmes.filter(status=ProgrammeStatus.DRAFT).exists():
        raise Conflict(
            "draft_exists",
            _("A draft version of the programme is already being drawn up: finish it first."),
            details={"form": [_("A draft exists.")]},
        )
    if form not in ServiceForm.values:
        raise DomainError(
            "unknown_form",
            _("Unknown form of social service."),
            details={"form": [_("Choose a form.")]},
        )
    reason = reason or (ProgrammeReason.FIRST if first else ProgrammeReason.REVIEW)
    if reason not in ProgrammeReason.values or (reason == ProgrammeReason.FIRST) != first:
        raise DomainError(
            "wrong_reason",
            _(
                "The first version is drawn up after recognition; later ones on review or when "
                "circumstances change."
            ),
            details={"reason": [_("Choose the reason for this version.")]},
        )
    _not_future(drawn_up_on, "drawn_up_on")
    decision = getattr(case, "decision", None)
    earliest = decision.decided_on if decision else case.applied_on
    _not_before(
        drawn_up_on,
        earliest,
        "drawn_up_on",
        _("The programme cannot be drawn up before the decision on recognition."),
    )
    fee = fee_calculate(income=Decimal(income), service_form=form, on=drawn_up_on)
    review_due = rules.review_due(drawn_up_on)
    valid_from = valid_from or drawn_up_on
    valid_to = valid_to or (review_due - ONE_DAY)
    if valid_to < valid_from:
        raise DomainError(
            "period_reversed",
            _("The programme ends before it starts."),
            details={"valid_to": [_("Check the dates.")]},
        )
    if valid_to >= review_due:
        raise DomainError(
            "term_past_review",
            _("A programme is reviewed at least by %(date)s: its term must end before that.")
            % {"date": review_due.strftime("%d.%m.%Y")},
            details={"valid_to": [_("Choose an earlier end.")]},
        )
    version = (case.programmes.aggregate(top=Max("version"))["top"] or 0) + 1
    programme = Programme(
        case=case,
        version=version,
        reason=reason,
        form=form,
        drawn_up_on=drawn_up_on,
        valid_from=valid_from,
        valid_to=valid_to,
        review_due=review_due,
        income=fee.income,
        fee_cap=fee.fee_cap,
        is_free=fee.is_free,
        fee_is_example=fee.is_example,
        drawn_up_by=audit.acting_user(actor),
    )
    validated(programme).save()
    audit.record(
        actor=actor,
        action=actions.PROGRAMME_DRAFTED,
        obj=case,
        data={
            "version": version,
            "reason": reason,
            "form": form,
            "fee_cap": fee.fee_cap,
            "programme": programme.pk,
        },
    )
    previous = programme_in_force(case)
    if copy_items and previous is not None:
        for item in previous.items.filter(refused_on__isnull=True).select_related(
            "service", "provider"
        ):
            if item.provider.form == form and item.provider.covers(valid_from):
                _add_item(
                    actor=actor,
                    programme=programme,
                    service=item.service,
                    provider=item.provider,
                    volume=item.volume,
                    times=item.times,
                    per=item.per,
                    note=item.note,
                )
    if first:
        _move(actor=actor, case=case, to_status=S.PROGRAMME_DRAFTED, on=drawn_up_on)
    return programme


def _require_draft(programme: Programme) -> None:
    if programme.status != ProgrammeStatus.DRAFT:
        raise Conflict(
            "programme_not_draft",
            _("Version %(version)s of the programme is agreed: draw up a new version to change it.")
            % {"version": programme.version},
            details={"service": [_("Only a draft can be changed.")]},
        )


def _add_item(
    *,
    actor: Any,
    programme: Programme,
    service: Service,
    provider: ProviderEntry,
    volume: int,
    times: int | None = None,
    per: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    note: str = "",
) -> ProgrammeItem:
    starts_on = starts_on or programme.valid_from
    ends_on = ends_on or programme.valid_to
    if provider.service_id != service.pk or provider.form != programme.form:
        raise DomainError(
            "provider_does_not_offer",
            _("%(institution)s does not offer %(service)s %(form)s.")
            % {
                "institution": provider.institution,
                "service": service,
                "form": ServiceForm(programme.form).label,
            },
            details={"provider": [_("Choose a provider of this service in this form.")]},
        )
    if not service.is_active:
        raise DomainError(
            "service_retired",
            _("%(service)s is no longer in the catalogue.") % {"service": service},
            details={"service": [_("Choose a service of the catalogue.")]},
        )
    if not (provider.covers(starts_on) and provider.covers(ends_on)):
        raise DomainError(
            "provider_not_in_register",
            _(
                "%(institution)s is not in the register of providers of %(service)s for the whole "
                "term of the programme."
            )
            % {"institution": provider.institution, "service": service},
            details={"provider": [_("Choose a provider registered for the whole term.")]},
        )
    if not (programme.valid_from <= starts_on <= ends_on <= programme.valid_to):
        raise DomainError(
            "item_outside_term",
            _("A service of the programme is given within the programme's term."),
            details={"starts_on": [_("Check the dates.")]},
        )
    if volume is None or int(volume) < 1:
        raise DomainError(
            "volume_not_positive",
            _("State the volume: at least one unit over the term."),
            details={"volume": [_("Enter at least 1.")]},
        )
    if (times is None) != (not per):
        raise DomainError(
            "periodicity_incomplete",
            _("State how many times and per what, or neither."),
            details={"times": [_("Enter both or neither.")]},
        )
    price = provider_price(provider, starts_on)
    if price is None:
        raise DomainError(
            "no_tariff",
            _("%(service)s has no tariff in force on %(date)s at this provider.")
            % {"service": service, "date": starts_on.strftime("%d.%m.%Y")},
            details={"provider": [_("Add a tariff in the catalogue first.")]},
        )
    if programme.items.filter(service=service).exists():
        raise Conflict(
            "service_already_in_programme",
            _("%(service)s is already in this version of the programme.") % {"service": service},
            details={"service": [_("Change the volume of the line already there.")]},
        )
    item = ProgrammeItem(
        programme=programme,
        service=service,
        provider=provider,
        times=times,
        per=per,
        volume=int(volume),
        unit_price=price,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip(),
    )
    validated(item).save()
    audit.record(
        actor=actor,
        action=actions.PROGRAMME_ITEM_ADDED,
        obj=programme.case,
        data={"service": service.code, "version": programme.version, "item": item.pk},
    )
    return item


@transaction.atomic
def programme_item_add(
    *,
    actor: Any,
    programme: Programme,
    service: Service,
    provider: ProviderEntry,
    volume: int,
    times: int | None = None,
    per: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    note: str = "",
) -> ProgrammeItem:
    """A service of the catalogue added to a draft, from a provider that gives it in the
    programme's form, at the provider's price in force."""
    _require_case(actor, programme.case)
    _locked(programme.case)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _require_draft(programme)
    return _add_item(
        actor=actor,
        programme=programme,
        service=service,
        provider=provider,
        volume=volume,
        times=times,
        per=per,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
    )


@transaction.atomic
def programme_item_remove(*, actor: Any, item: ProgrammeItem) -> None:
    _require_case(actor, item.programme.case)
    _locked(item.programme.case)
    # Read again under the lock: the caller's copy may predate the agreement of the version.
    programme = Programme.objects.select_for_update().get(pk=item.programme_id)
    _require_draft(programme)
    audit.record(
        actor=actor,
        action=actions.PROGRAMME_ITEM_REMOVED,
        obj=programme.case,
        data={"service": item.service.code, "version": programme.version},
    )
    item.delete()


@transaction.atomic
def programme_agree(
    *,
    actor: Any,
    programme: Programme,
    agreed_on: dt.date,
    refused_items: Iterable[ProgrammeItem] = (),
    refusal: str = "",
) -> Programme:
    """The recipient's agreement to a draft, with her written refusal of some services. The
    version in force before it is superseded."""
    case = programme.case
    _require_case(actor, case)
    case = _locked(case)
    _refuse_closed(case)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _require_draft(programme)
    items = list(programme.items.all())
    refused_ids = {item.pk for item in refused_items}
    if not refused_ids <= {item.pk for item in items}:
        raise DomainError(
            "item_not_in_programme",
            _("A refused service is not in this version of the programme."),
            details={"refused_items": [_("Choose services of this version.")]},
        )
    if not items or len(refused_ids) == len(items):
        raise DomainError(
            "programme_empty",
            _("The programme lists no service the recipient agrees to."),
            details={
                "refused_items": [
                    _("Keep at least one service she agrees to; refusing them all ends the case.")
                ]
            },
        )
    if refused_ids and not refusal.strip():
        raise DomainError(
            "refusal_not_written",
            _("A refusal of services is recorded with its written text."),
            details={"refusal": [_("Enter the recipient's written refusal.")]},
        )
    _not_future(agreed_on, "agreed_on")
    _not_before(
        agreed_on,
        programme.drawn_up_on,
        "agreed_on",
        _("The agreement cannot be earlier than the programme."),
    )
    previous = programme_in_force(case)
    if previous is not None:
        previous.status = ProgrammeStatus.SUPERSEDED
        previous.ended_on = agreed_on
        previous.save(update_fields=["status", "ended_on", "updated_at"])
    ProgrammeItem.objects.filter(pk__in=refused_ids).update(refused_on=agreed_on)
    programme.status = ProgrammeStatus.AGREED
    programme.agreed_on = agreed_on
    programme.refusal = refusal.strip()
    programme.save(update_fields=["status", "agreed_on", "refusal", "updated_at"])
    audit.record(
        actor=actor,
        action=actions.PROGRAMME_AGREED,
        obj=case,
        data={
            "version": programme.version,
            "refused": sorted(i.service.code for i in items if i.pk in refused_ids),
            "programme": programme.pk,
        },
        reason=refusal.strip(),
    )
    if case.status == S.PROGRAMME_DRAFTED:
        _move(actor=actor, case=case, to_status=S.AGREED, on=agreed_on)
    else:
        case.next_due = programme.review_due
        case.save(update_fields=["next_due", "updated_at"])
    return programme


@transaction.atomic
def programme_service_refuse(
    *, actor: Any, item: ProgrammeItem, refused_on: dt.date, refusal: str
) -> ProgrammeItem:
    """The recipient refuses, in writing, a service of the programme in force."""
    _require_case(actor, item.programme.case)
    case = _locked(item.programme.case)
    _refuse_closed(case)
    item = (
        ProgrammeItem.objects.select_for_update()
        .select_related("programme", "service")
        .get(pk=item.pk)
    )
    programme = item.programme
    if programme.status != ProgrammeStatus.AGREED:
        raise Conflict(
            "programme_not_in_force",
            _("Only a service of the programme in force can be refused."),
            details={"item": [_("Not in force.")]},
        )
    if item.refused_on is not None:
        raise Conflict(
            "already_refused",
            _("The recipient has already refused %(service)s.") % {"service": item.service},
        )
    if not refusal.strip():
        raise DomainError(
            "refusal_not_written",
            _("A refusal of services is recorded with its written text."),
            details={"refusal": [_("Enter the recipient's written refusal.")]},
        )
    _not_future(refused_on, "refused_on")
    # Deliveries are refused from the day of the refusal on, so it comes after the agreement
    # and after every delivery already recorded: the record never contradicts itself.
    last_delivery = item.deliveries.aggregate(last=Max("delivered_on"))["last"]
    earliest = programme.agreed_on or programme.drawn_up_on
    if last_delivery is not None:
        earliest = max(earliest, last_delivery + ONE_DAY)
    _not_before(
        refused_on,
        earliest,
        "refused_on",
        _(
            "A refusal is dated %(date)s or later: not before the agreement, nor on or before "
            "a day with a delivery."
        )
        % {"date": earliest.strftime("%d.%m.%Y")},
    )
    item.refused_on = refused_on
    item.note = (item.note + " " + refusal.strip()).strip()[:500]
    item.save(update_fields=["refused_on", "note"])
    audit.record(
        actor=actor,
        action=actions.PROGRAMME_SERVICE_REFUSED,
        obj=programme.case,
        data={"service": item.service.code, "version": programme.version},
        reason=refusal.strip(),
    )
    return item


# --- Delivery ---------------------------------------------------------------------------------


@contextmanager
def _refusal_names(key: str, value: Any) -> Iterator[None]:
    """A refusal of one line of a batch says which line it was (``details[key]``), so that a
    form or an API client can put the message next to it."""
    try:
        yield
    except DomainError as error:
        error.details = {**error.details, key: value}
        raise


@dataclass(frozen=True)
class DeliveryEntry:
    item: ProgrammeItem
    delivered_on: dt.date
    quantity: int = 1
    minutes: int | None = None
    started_at: dt.time | None = None
    worker: Employee | None = None
    note: str = ""


def _check_entry(case: Case, programme: Programme, entry: DeliveryEntry, left: int) -> None:
    item = entry.item
    service = item.service
    if item.programme_id != programme.pk:
        raise DomainError(
            "item_not_in_force",
            _("%(service)s is not in the programme in force of the case %(number)s.")
            % {"service": service, "number": case.number},
            details={"item": [_("Choose a service of the programme in force.")]},
        )
    if item.refused_on is not None and entry.delivered_on >= item.refused_on:
        raise Conflict(
            "service_refused",
            _("The recipient refused %(service)s in writing on %(date)s.")
            % {"service": service, "date": item.refused_on.strftime("%d.%m.%Y")},
            details={"item": [_("Refused by the recipient.")]},
        )
    if not (item.starts_on <= entry.delivered_on <= item.ends_on):
        raise DomainError(
            "outside_term",
            _("%(service)s is given from %(start)s to %(end)s by the programme.")
            % {
                "service": service,
                "start": item.starts_on.strftime("%d.%m.%Y"),
                "end": item.ends_on.strftime("%d.%m.%Y"),
            },
            details={"delivered_on": [_("Choose a day within the term.")]},
        )
    _not_future(entry.delivered_on, "delivered_on")
    if entry.quantity < 1:
        raise DomainError(
            "quantity_not_positive",
            _("Enter at least one unit."),
            details={"quantity": [_("Enter at least one unit.")]},
        )
    if entry.quantity > left:
        raise Conflict(
            "beyond_volume",
            _(
                "The programme provides %(volume)s units of %(service)s; %(left)s are left, "
                "%(asked)s were entered."
            )
            % {"volume": item.volume, "service": service, "left": left, "asked": entry.quantity},
            details={"quantity": [_("Enter at most %(left)s.") % {"left": left}]},
        )


def _record_deliveries(
    *, actor: Any, case: Case, entries: Sequence[DeliveryEntry]
) -> list[Delivery]:
    if case.status not in SERVING:
        if case.status == S.CLOSED:
            _refuse_closed(case)
        raise Conflict(
            "not_in_service",
            _(
                "Services are recorded against an agreed programme; the case %(number)s is "
                "“%(status)s”."
            )
            % {"number": case.number, "status": S(case.status).label},
            details={"status": [case.status]},
        )
    programme = programme_in_force(case)
    if programme is None:  # pragma: no cover - agreed and in service always have one
        raise illegal_step(case, S.IN_SERVICE)
    # Locked, so two entries of the same day cannot both take the last units.
    items = {
        item.pk: item
        for item in ProgrammeItem.objects.select_for_update()
        .select_related("service")
        .filter(programme=programme)
    }
    left = {pk: item.volume - delivered_volume([item]).get(pk, 0) for pk, item in items.items()}
    deliveries = []
    for line, entry in enumerate(entries):
        item = items.get(entry.item.pk, entry.item)
        checked = DeliveryEntry(**{**entry.__dict__, "item": item})
        with _refusal_names("line", line):
            _check_entry(case, programme, checked, left.get(item.pk, 0))
            if checked.worker is not None:
                _require_staff_of(checked.worker, case)
        left[item.pk] -= checked.quantity
        delivery = Delivery(
            case=case,
            item=item,
            service=item.service,
            delivered_on=checked.delivered_on,
            started_at=checked.started_at,
            minutes=checked.minutes,
            quantity=checked.quantity,
            unit_price=item.unit_price,
            worker=checked.worker or case.worker,
            note=checked.note.strip(),
            recorded_by=audit.acting_user(actor),
        )
        deliveries.append(validated(delivery, exclude=["case", "item", "service"]))
    if not deliveries:
        raise DomainError(
            "nothing_delivered",
            _("Enter at least one delivered service."),
            details={"item": [_("Choose a service.")]},
        )
    Delivery.objects.bulk_create(deliveries)
    audit.record(
        actor=actor,
        action=actions.DELIVERIES_RECORDED,
        obj=case,
        data={
            "count": len(deliveries),
            "services": sorted({d.service.code for d in deliveries}),
            "days": sorted({d.delivered_on for d in deliveries}),
        },
    )
    if case.status == S.AGREED:
        # A late entry may be dated before the agreement; the timeline never goes back.
        first_day = max(min(d.delivered_on for d in deliveries), case.status_since)
        _move(actor=actor, case=case, to_status=S.IN_SERVICE, on=first_day)
    return deliveries


@transaction.atomic
def deliveries_record(
    *, actor: Any, case: Case, entries: Sequence[DeliveryEntry]
) -> list[Delivery]:
    """Services delivered against the programme in force, within its volume. The first moves
    an agreed case into service."""
    _require_case(actor, case)
    case = _locked(case)
    return _record_deliveries(actor=actor, case=case, entries=entries)


@transaction.atomic
def visit_miss(
    *,
    actor: Any,
    case: Case,
    planned_on: dt.date,
    reason: str,
    note: str = "",
    worker: Employee | None = None,
) -> MissedVisit:
    _require_case(actor, case)
    case = _locked(case)
    _refuse_closed(case)
    if reason not in MissedReason.values:
        raise DomainError(
            "unknown_reason",
            _("Choose why the visit did not happen."),
            details={"reason": [_("Choose a reason.")]},
        )
    if reason == MissedReason.OTHER and not note.strip():
        raise DomainError(
            "reason_unexplained",
            _("Say what the other reason was."),
            details={"note": [_("Describe the reason.")]},
        )
    if case.status not in (*SERVING, S.SUSPENDED):
        raise Conflict(
            "not_in_service",
            _("Visits are planned for recipients in service."),
            details={"status": [case.status]},
        )
    _not_future(planned_on, "planned_on")
    first_agreed = case.programmes.exclude(status=ProgrammeStatus.DRAFT).aggregate(
        first=Min("agreed_on")
    )["first"]
    _not_before(
        planned_on,
        first_agreed or case.applied_on,
        "planned_on",
        _("No visit was planned before the programme was agreed."),
    )
    if worker is not None:
        _require_staff_of(worker, case)
    if MissedVisit.objects.filter(case=case, planned_on=planned_on).exists():
        raise Conflict(
            "missed_visit_recorded",
            _("A missed visit on %(date)s is already recorded.")
            % {"date": planned_on.strftime("%d.%m.%Y")},
            details={"planned_on": [_("Already recorded.")]},
        )
    missed = MissedVisit(
        case=case,
        planned_on=planned_on,
        reason=reason,
        note=note.strip(),
        worker=worker or case.worker,
        recorded_by=audit.acting_user(actor),
    )
    validated(missed).save()
    audit.record(
        actor=actor,
        action=actions.VISIT_MISSED,
        obj=case,
        data={"reason": reason, "planned_on": planned_on},
        reason=note.strip(),
    )
    return missed


@dataclass(frozen=True)
class DayLine:
    """One recipient's line of a day's quick entry: the services delivered, or why not."""

    case: Case
    delivered: Sequence[tuple[ProgrammeItem, int, int | None]] = ()  # (item, units, minutes)
    missed_reason: str = ""
    note: str = ""


@transaction.atomic
def day_record(
    *, actor: Any, worker: Employee, day: dt.date, lines: Sequence[DayLine]
) -> dict[str, int]:
    """A social worker's whole day at once: every line or none. Returns the counts written."""
    delivered = missed = 0
    for line in lines:
        with _refusal_names("case", line.case.pk):
            if line.missed_reason:
                visit_miss(
                    actor=actor,
                    case=line.case,
                    planned_on=day,
                    reason=line.missed_reason,
                    note=line.note,
                    worker=worker,
                )
                missed += 1
            elif line.delivered:
                entries = [
                    DeliveryEntry(
                        item=item,
                        delivered_on=day,
                        quantity=units,
                        minutes=minutes,
                        worker=worker,
                        note=line.note,
                    )
                    for item, units, minutes in line.delivered
                ]
                delivered += len(deliveries_record(actor=actor, case=line.case, entries=entries))
    if not (delivered or missed):
        raise DomainError(
            "nothing_entered",
            _("Tick a delivered service or choose why a visit did not happen."),
        )
    return {"delivered": delivered, "missed": missed}


# --- Suspending, resuming, closing -----------------------------------------------------------


def _require_staff_of(employee: Employee, case: Case) -> None:
    """Whoever delivers or misses a visit is on the staff of the case's institution."""
    if not Employment.objects.filter(employee=employee, institution=case.institution_id).exists():
        raise DomainError(
            "not_staff_of_institution",
            _("%(employee)s does not work at %(institution)s.")
            % {"employee": employee, "institution": case.institution},
            details={"worker": [_("Choose a member of the institution's staff.")]},
        )


def _simple_step(actor: Any, case: Case, to_status: str, on: dt.date, note: str) -> Case:
    _require_case(actor, case)
    case = _locked(case)
    _not_future(on, "on")
    _not_before(on, case.status_since, "on", _("A step cannot be earlier than the one before."))
    _move(actor=actor, case=case, to_status=to_status, on=on, note=note.strip())
    return case


def _reason_given(note: str) -> None:
    if not note.strip():
        raise DomainError(
            "reason_missing", _("State the reason."), details={"note": [_("Enter the reason.")]}
        )


@transaction.atomic
def case_suspend(*, actor: Any, case: Case, on: dt.date, note: str) -> Case:
    """Services stop for a while (a stay in hospital, a trip)."""
    _require_case(actor, case)
    _reason_given(note)
    return _simple_step(actor, case, S.SUSPENDED, on, note)


@transaction.atomic
def case_resume(*, actor: Any, case: Case, on: dt.date, note: str = "") -> Case:
    return _simple_step(actor, case, S.IN_SERVICE, on, note)


@transaction.atomic
def case_close(*, actor: Any, case: Case, on: dt.date, note: str) -> Case:
    """Close a case: withdrawn, services ended, the recipient moved away or died."""
    # Out of scope first: another institution's case is not found, closed or not.
    _require_case(actor, case)
    _reason_given(note)
    _refuse_closed(_locked(case))
    case = _simple_step(actor, case, S.CLOSED, on, note)
    case.programmes.filter(status=ProgrammeStatus.AGREED).update(
        status=ProgrammeStatus.ENDED, ended_on=on
    )
    case.programmes.filter(status=ProgrammeStatus.DRAFT).delete()
    return case


# --- Home care: the social worker of a case ---------------------------------------------------


def caseload_of(employee: Employee, *, excluding: Case | None = None) -> int:
    cases = Case.objects.filter(worker=employee, status__in=CASELOAD_STATUSES)
    if excluding is not None:
        cases = cases.exclude(pk=excluding.pk)
    return cases.count()


@transaction.atomic
def case_assign_worker(*, actor: Any, case: Case, employee: Employee) -> Case:
    """Give the case to a home-care social worker of its institution, within her caseload
    limit. Her employment row is locked so two assignments cannot both take the last place."""
    _require_case(actor, case)
    case = _locked(case)
    _refuse_closed(case, "employee")
    today = _today()
    employment = (
        Employment.objects.select_for_update()
        .select_related("position")
        .filter(employee=employee, institution=case.institution, hired_on__lte=today)
        .exclude(left_on__lt=today)
        .first()
    )
    if employment is None or not employment.position.has_caseload:
        raise DomainError(
            "not_a_home_care_worker",
            _("%(employee)s is not a home-care social worker of %(institution)s.")
            % {"employee": employee, "institution": case.institution},
            details={"employee": [_("Choose a social worker of the institution.")]},
        )
    if case.worker_id == employee.pk:
        return case
    limit = employment.caseload_limit
    current = caseload_of(employee, excluding=case)
    # Checked whatever the case's status: a case given to her at the application counts as
    # soon as its programme is drawn up, and nothing asks again then.
    if limit is not None and current >= limit:
        raise Conflict(
            "caseload_full",
            ngettext(
                "%(employee)s already serves %(count)s recipient, her limit.",
                "%(employee)s already serves %(count)s recipients, her limit.",
                current,
            )
            % {"employee": employee, "count": current},
            details={"employee": [_("Choose another social worker.")]},
        )
    before = case.worker_id
    case.worker = employee
    case.save(update_fields=["worker", "updated_at"])
    audit.record(
        actor=actor,
        action=actions.CASE_WORKER_SET,
        obj=case,
        changes={"worker": [before, employee.pk]},
        data={"worker": employee.full_name},
    )
    return case


# --- Monthly acts ---------------------------------------------------------------------------


@transaction.atomic
def act_issue(*, actor: Any, case: Case, month: dt.date) -> ServiceAct:
    """The act of services delivered in a month, once per month, for a month begun."""
    _require_case(actor, case)
    case = _locked(case)
    first = month_start(month)
    if first > month_start(_today()):
        raise DomainError(
            "month_not_begun",
            _("An act is issued for a month that has begun."),
            details={"month": [_("Choose this month or an earlier one.")]},
        )
    if ServiceAct.objects.filter(case=case, month=first).exists():
        raise Conflict(
            "act_exists",
            _("The act for %(month)s is already issued.") % {"month": first.strftime("%m.%Y")},
            details={"month": [_("Already issued.")]},
        )
    figures = act_figures(case, first)
    if figures.programme is None:
        raise Conflict(
            "no_programme_that_month",
            _("No programme was in force in %(month)s.") % {"month": first.strftime("%m.%Y")},
            details={"month": [_("Choose a month with an agreed programme.")]},
        )
    if not figures.deliveries:
        raise Conflict(
            "nothing_delivered",
            _("No service was delivered in %(month)s.") % {"month": first.strftime("%m.%Y")},
            details={"month": [_("Choose a month with delivered services.")]},
        )
    act = ServiceAct(
        case=case,
        programme=figures.programme,
        month=first,
        cost=figures.cost,
        fee=figures.fee,
        deliveries=len(figures.deliveries),
        issued_on=_today(),
        issued_by=audit.acting_user(actor),
    )
    validated(act).save()
    audit.record(
        actor=actor,
        action=actions.ACT_ISSUED,
        obj=case,
        data={"month": first.strftime("%m.%Y"), "cost": act.cost, "fee": act.fee, "act": act.pk},
    )
    return act


# --- Printed documents -------------------------------------------------------------------------

PRINTED_DOCUMENTS = tuple(actions.PRINTED_DOCUMENTS)


@transaction.atomic
def document_printed(
    *, actor: Any, case: Case, document: str, details: Mapping[str, Any] | None = None
) -> None:
    """Record that a document of the case was printed: a printed decision or programme leaves
    the system with personal data in it, so who printed what, and when, is on the case."""
    _require_case(actor, case)
    if document not in PRINTED_DOCUMENTS:
        raise DomainError(
            "unknown_document",
            _("Unknown kind of printed document."),
            details={"document": [document]},
        )
    audit.record(
        actor=actor,
        action=actions.CASE_DOCUMENT_ISSUED,
        obj=case,
        data={**(details or {}), "document": document},
    )
