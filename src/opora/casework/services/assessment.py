"""The assessment of the person's circumstances by a scale, and the decision on recognition as
needing social services or the refusal (442-FZ art. 15). Recognition sets the deadline of the
individual programme, counted from the application (art. 16 part 4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, require_choice, validated
from opora.rules import selectors as rules

from .. import audit_actions as actions
from ..models import Assessment, AssessmentScale, CareLevel, Case, NeedDecision, Outcome
from .common import _locked, _not_before, _not_future, _refuse_closed, _require_case
from .lifecycle import TRANSITIONS, S, _move, illegal_step

__all__ = [
    "assessment_record",
    "level_for",
    "need_decide",
    "programme_due_of",
    "scored_answers",
]


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
    actor: Actor,
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


def programme_due_of(case: Case) -> dt.date:
    """The last day to hand the individual programme to the recipient: the working days of the
    rule in force on the day of the application, counted from the application whatever day
    the decision is taken (442-FZ art. 16 part 4)."""
    return rules.programme_due(case.applied_on)


@transaction.atomic
def need_decide(
    *,
    actor: Actor,
    case: Case,
    outcome: str,
    decided_on: dt.date,
    reasons: str = "",
    care_level: CareLevel | None = None,
) -> NeedDecision:
    """Recognise the person as needing social services, or refuse with reasons (art. 15;
    the decision is due within the working days of the rule from the application, art. 15
    part 2). Recognition sets the deadline of the individual programme."""
    _require_case(actor, case)
    case = _locked(case)
    if case.status == S.CLOSED:
        raise Conflict(
            "case_closed",
            _("The case %(number)s was closed: no decision can be taken in it any more.")
            % {"number": case.number},
            details={"outcome": [_("The case is closed.")]},
        )
    require_choice(
        outcome,
        Outcome,
        field="outcome",
        code="unknown_outcome",
        message=_("Choose to recognise or to refuse."),
        hint=_("Choose a decision."),
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
        case.programme_due = programme_due_of(case)
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
