"""Demo data of targeted social assistance: the measures of a Moscow-like department (a monthly
benefit for children of low-income families, a pension top-up to the city standard, a one-time
payment in a difficult situation, a social contract, food sets), each with a published version
and one with a draft to compare; the city's pensioner standard the top-up reads; applications of
the demo population in every state at the two territorial centres; what follows the decisions
(a suspension, a termination, a recalculation, an overpayment, a social contract with its plan,
goods received and handed out); a run of every measure over the registry on the demo's day, the
outreach worklist of the child benefit with a few outcomes, and the what-if of its draft.

Everything goes through the services. The department's records (measures, the rule, the goods,
the registration dates) are written by ``ctx.actor``; what a centre does (applications, their
evaluations and decisions, the steps of an assignment, the stock) by a social worker of the
centre — a decision is signed by a person, never by the system: the demo account ``worker`` at
the Tverskoy centre, the first synthetic social worker at Maryino.

People are not forced into an outcome: each story picks someone whose facts give it (the rule is
evaluated for the centre's residents first), the application is evaluated, and the decision
follows the evaluation. The days are counted back from the day the population was loaded (its
records' creation), so a later load finds the same days. Keyed: measures by code, versions by
measure and number, applications by person, measure and day, stock receipts by centre, goods and
day; loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from opora.assistance import criteria, services
from opora.assistance.audit_actions import OUTREACH_CREATED
from opora.assistance.models import (
    Application,
    Assignment,
    Beneficiary,
    EligibilityRun,
    Evaluation,
    GoodsKind,
    Measure,
    MeasureVersion,
    MovementKind,
    Outreach,
    OutreachStatus,
    RunStatus,
    StockMovement,
    VersionStatus,
)
from opora.assistance.selectors.measures import version_in_force
from opora.core.errors import DomainError
from opora.core.models import User
from opora.core.selectors import audit_for_object
from opora.demo.data import assistance as data
from opora.demo.loading import DemoContext, step
from opora.demo.steps.casework import Days
from opora.demo.steps.rules import EXAMPLE_BASIS
from opora.institutions.models import Institution
from opora.registry import services as registry
from opora.registry.models import Address, AddressKind, HouseholdMember, Person
from opora.rules import selectors as rules
from opora.rules import services as rules_services
from opora.rules.catalog import CITY_PENSIONER_STANDARD
from opora.rules.models import RuleVersion

KEY_PREFIX = "demo-"  # the registry's demo residents
# Who signs at each centre: the demo account at Tverskoy, a synthetic worker at Maryino
# (accounts.SYNTHETIC_STAFF names them "<centre>-<n>").
DECIDERS = {data.TVERSKOY: "worker", data.MARYINO: "tcso-maryino-1"}
DISTRICT_OF = {data.TVERSKOY: "tverskoy", data.MARYINO: "maryino"}


# --- The department's records -------------------------------------------------------------------


def _city_standard(ctx: DemoContext) -> None:
    existing = set(
        RuleVersion.objects.filter(code=CITY_PENSIONER_STANDARD).values_list(
            "valid_from", flat=True
        )
    )
    for valid_from, value in data.CITY_STANDARD:
        if valid_from not in existing:
            rules_services.rule_version_add(
                actor=ctx.actor,
                code=CITY_PENSIONER_STANDARD,
                valid_from=valid_from,
                value=value,
                basis=EXAMPLE_BASIS,
                note=data.CITY_STANDARD_NOTE,
                is_example=True,
            )


def _measures(ctx: DemoContext, day: dt.date) -> dict[str, Measure]:
    """Every measure with its published version from 1 January of the year before the demo's
    day (so every application finds it in force) and, where the data gives one, a draft from
    the next 1 January."""
    measures = {m.code: m for m in Measure.objects.filter(code__in=[f.code for f in data.MEASURES])}
    numbers = defaultdict(set)
    for measure_id, number in MeasureVersion.objects.filter(
        measure__in=list(measures.values())
    ).values_list("measure_id", "number"):
        numbers[measure_id].add(number)
    for fact in data.MEASURES:
        measure = measures.get(fact.code)
        if measure is None:
            measure = measures[fact.code] = services.measure_create(
                actor=ctx.actor,
                code=fact.code,
                name=fact.name,
                name_en=fact.name_en,
                kind=fact.kind,
                beneficiary=fact.beneficiary,
                description=fact.description,
                description_en=fact.description_en,
            )
        fields: dict[str, Any] = {
            "legal_basis": data.LEGAL_BASIS,
            "eligibility": fact.eligibility,
            "amount": fact.amount,
            "periodicity": fact.periodicity,
            "decision_working_days": data.DECISION_WORKING_DAYS,
            "term_months": fact.term_months,
            "review_months": fact.review_months,
            "documents": fact.documents,
            "amount_ceiling": fact.amount_ceiling,
            "is_example": True,
            "example_note": fact.example_note,
        }
        if 1 not in numbers[measure.pk]:
            version = services.version_draft(
                actor=ctx.actor, measure=measure, valid_from=dt.date(day.year - 1, 1, 1), **fields
            )
            services.version_publish(actor=ctx.actor, version=version)
        if fact.draft and 2 not in numbers[measure.pk]:
            services.version_draft(
                actor=ctx.actor,
                measure=measure,
                valid_from=dt.date(day.year + 1, 1, 1),
                **{**fields, **fact.draft, "note": fact.draft_note},
            )
    return measures


def _registration_dates(ctx: DemoContext) -> int:
    """The generator gives no day of registration; the demo takes the day each resident joined
    the household she lives in (the household's address is her registration address: the day
    it was formed, or her birth in it). Registry rows carry no example mark, so this invented
    day is marked nowhere but here. A record with no household (a duplicate another system
    sent) keeps no day: the residence clause then says it is unknown, as it would."""
    addresses = list(
        Address.objects.filter(
            kind=AddressKind.REGISTRATION,
            registered_on__isnull=True,
            person__external_key__startswith=KEY_PREFIX,
        ).select_related("person", "district")
    )
    joined = dict(
        HouseholdMember.objects.filter(
            person__in=[a.person_id for a in addresses], joined_on__isnull=False
        )
        .values_list("person_id")
        .annotate(first=Min("joined_on"))
        .values_list("person_id", "first")
    )
    count = 0
    for address in addresses:
        since = joined.get(address.person_id)
        if since is None:
            continue
        registry.address_set(
            actor=ctx.actor,
            person=address.person,
            kind=AddressKind.REGISTRATION,
            text=address.text,
            district=address.district,
            postal_code=address.postal_code,
            registered_on=since,
        )
        count += 1
    return count


def _goods(ctx: DemoContext) -> dict[str, GoodsKind]:
    goods = {g.code: g for g in GoodsKind.objects.filter(code__in=[g[0] for g in data.GOODS])}
    for code, name, name_en, unit in data.GOODS:
        if code not in goods:
            goods[code] = services.goods_kind_create(
                actor=ctx.actor, code=code, name=name, name_en=name_en, unit=unit
            )
    return goods


# --- The centres ----------------------------------------------------------------------------------


@dataclass
class Setting:
    ctx: DemoContext
    days: Days
    measures: dict[str, Measure]
    versions: dict[str, MeasureVersion]
    goods: dict[str, GoodsKind]
    centres: dict[str, Institution]
    deciders: dict[str, User]
    candidates: dict[tuple[str, bool], list[int]]  # (centre, household applicants only) → people
    outcomes: dict[tuple[str, int, int], dict[int, criteria.Outcome]] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    used_in: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    log: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def day(self) -> dt.date:
        return self.days.today


def _demo_day() -> dt.date | None:
    """The day the demo population was loaded: its people's records were created then."""
    first = Person.objects.filter(external_key__startswith=KEY_PREFIX).aggregate(
        first=Min("created_at")
    )["first"]
    return None if first is None else min(timezone.localdate(first), timezone.localdate())


def _candidates(day: dt.date) -> dict[tuple[str, bool], list[int]]:
    """The adult residents registered in each centre's district, alive and not merged, in the
    order of their keys; and those of them who are the applicant of their household."""
    adult = dt.date(day.year - 18, day.month, min(day.day, 28 if day.month == 2 else 31))
    people = Person.objects.filter(
        external_key__startswith=KEY_PREFIX,
        merged_into__isnull=True,
        death_date__isnull=True,
        birth_date__lte=adult,
    )
    applicants = set(
        HouseholdMember.objects.filter(is_applicant=True, left_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    found: dict[tuple[str, bool], list[int]] = {}
    for centre, district in DISTRICT_OF.items():
        pks = list(
            people.filter(
                addresses__kind=AddressKind.REGISTRATION, addresses__district__code=district
            )
            .order_by("external_key")
            .values_list("pk", flat=True)
        )
        found[centre, False] = pks
        found[centre, True] = [pk for pk in pks if pk in applicants]
    return found


def _outcomes(setting: Setting, measure: str, on: dt.date) -> dict[int, criteria.Outcome]:
    """The measure's rule for the residents of both centres, evaluated once a month (the
    incomes it reads are by whole months; the day of the first story of the month stands for
    the others, and each application is evaluated again on its own day anyway)."""
    key = (measure, on.year, on.month)
    if key not in setting.outcomes:
        version = setting.versions[measure]
        household = setting.measures[measure].beneficiary == Beneficiary.HOUSEHOLD
        people = [pk for centre in DISTRICT_OF for pk in setting.candidates[centre, household]]
        setting.outcomes[key] = {
            o.person_id: o for o in criteria.evaluate(version=version, on=on, people=people)
        }
    return setting.outcomes[key]


# --- A story ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """A story's days: applied, decided, and the day of what follows (if any)."""

    applied: dt.date
    decided: dt.date
    then: dt.date | None = None


def _plan(setting: Setting, story: data.Story) -> Plan:
    days = setting.days
    applied = _due_today(setting) if story.due_today else days.back(story.applied)
    decided = days.after(applied, story.decided)
    then = None
    if story.then == "recalculated":
        # The first day of the last month: a review of the last three months' incomes.
        then = _first_of_month_before(setting.day)
    elif story.then == "terminated":
        then = max(decided, setting.day - dt.timedelta(days=40))
    elif story.then == "suspended":
        then = min(setting.day, decided + dt.timedelta(days=30))
    return Plan(applied, decided, then)


def _first_of_month_before(day: dt.date) -> dt.date:
    first = day.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def _due_today(setting: Setting) -> dt.date:
    """The latest day an application is due today from (the version's working days), or the
    day of an application due on the last working day when today is not one."""
    days = setting.days
    target = days.back(0)
    calendar = days.calendar
    for back in range(1, 40):
        day = target - dt.timedelta(days=back)
        if days.working(day) and (
            calendar.add_working_days(day, data.DECISION_WORKING_DAYS) == target
        ):
            return day
    return days.back(data.DECISION_WORKING_DAYS)


def _choose(setting: Setting, story: data.Story, plan: Plan) -> Person | None:
    """Someone of the centre whose facts give the story's outcome: eligible (with an amount
    above zero where the measure pays one, eligible on the day of a recalculation too) for an
    assignment, not eligible for a refusal (failing ``prefer_failed`` alone where someone
    does); anyone for the rest. People in no other story come first; no one applies twice for
    one measure, nor one household twice."""
    household = setting.measures[story.measure].beneficiary == Beneficiary.HOUSEHOLD
    own = set(setting.candidates[story.centre, household])
    outcomes = _outcomes(setting, story.measure, plan.applied)
    later = (
        _outcomes(setting, story.measure, plan.then)
        if story.then == "recalculated" and plan.then
        else None
    )
    pays = bool(setting.versions[story.measure].amount)

    def fits(outcome: criteria.Outcome) -> bool:
        if story.outcome == data.ASSIGNED:
            if outcome.eligible is not True or (pays and not outcome.amount):
                return False
            return later is None or (
                outcome.person_id in later and later[outcome.person_id].eligible is True
            )
        if story.outcome == data.REFUSED:
            return outcome.eligible is False
        if story.outcome == data.EVALUATED:
            return outcome.eligible is not None
        return True

    taken = setting.used_in[story.measure]
    households = {outcomes[pk].household_id for pk in taken if pk in outcomes}
    fitting = [
        o
        for o in outcomes.values()
        if o.person_id in own
        and o.person_id not in taken
        and (o.household_id is None or o.household_id not in households)
        and fits(o)
    ]
    if story.prefer_failed:
        version = setting.versions[story.measure]
        alone = [o for o in fitting if _blamed_clauses(version, o) == {story.prefer_failed}]
        fitting = alone or fitting
    # People in no other story first, then in the order of their keys (the query's order).
    fitting.sort(key=lambda o: o.person_id in setting.used)
    if not fitting:
        return None
    chosen = fitting[0].person_id
    setting.used.add(chosen)
    taken.add(chosen)
    return Person.objects.get(pk=chosen)


def _blamed(rule: dict, held: dict[str, bool | None]) -> tuple[bool | None, list[str]]:
    """Whether ``rule`` holds, and the clauses that make it fail: of a failed group of all,
    its failed members; of a failed group of any, every member (a clause of a group that held
    is not to blame, though it failed)."""
    if "clause" in rule:
        state = held.get(rule["id"])
        return state, [rule["id"]] if state is False else []
    if "not" in rule:
        state, _ids = _blamed(rule["not"], held)
        return (None if state is None else not state), []
    kind, children = next(iter(rule.items()))
    results = [_blamed(child, held) for child in children]
    states = [state for state, _ids in results]
    failed = [clause for state, ids in results if state is False for clause in ids]
    if kind == "all":
        if False in states:
            return False, failed
        return (None if None in states else True), []
    if True in states:
        return True, []
    return (False, failed) if all(state is False for state in states) else (None, [])


def _blamed_clauses(version: MeasureVersion, outcome: criteria.Outcome) -> set[str]:
    return set(_blamed(version.eligibility, {c.id: c.held for c in outcome.clauses})[1])


def _refusal_reason(story: data.Story, version: MeasureVersion, evaluation: Evaluation) -> str:
    outcome = criteria.Outcome.from_json(evaluation.explanation)
    known = data.REFUSAL_REASONS[story.measure]
    blamed = _blamed_clauses(version, outcome)
    reasons = [known[c.id] for c in outcome.clauses if c.id in blamed and c.id in known]
    return " ".join(dict.fromkeys(reasons)) or "Условия назначения меры не выполнены."


def _tell(setting: Setting, story: data.Story, plan: Plan, person: Person) -> Application:
    worker = setting.deciders[story.centre]
    version = setting.versions[story.measure]
    documents = version.documents if story.outcome != data.SUBMITTED else version.documents[:1]
    application = services.application_register(
        actor=worker,
        measure=setting.measures[story.measure],
        person=person,
        institution=setting.centres[story.centre],
        channel=story.channel,
        applied_on=plan.applied,
        documents_received=documents,
    )
    if story.outcome == data.SUBMITTED:
        return application
    if story.outcome == data.WITHDRAWN:
        reasons = data.WITHDRAWN_REASONS
        services.application_withdraw(
            actor=worker, application=application, reason=reasons[application.pk % len(reasons)]
        )
        return application
    evaluation = services.application_evaluate(actor=worker, application=application)
    if story.outcome == data.EVALUATED:
        return application
    # The decision follows the evaluation, whatever the story planned.
    if evaluation.eligible is True:
        services.application_decide(
            actor=worker, application=application, outcome="assign", decided_on=plan.decided
        )
        if story.outcome != data.ASSIGNED:
            setting.log.append(f"{story.measure}: {person} is eligible after all, assigned")
        _follow(setting, story, plan, Assignment.objects.get(application=application))
    else:
        services.application_decide(
            actor=worker,
            application=application,
            outcome="refuse",
            decided_on=plan.decided,
            reason=_refusal_reason(story, version, evaluation),
        )
        if story.outcome != data.REFUSED:
            setting.log.append(f"{story.measure}: {person} is not eligible after all, refused")
    return application


def _follow(setting: Setting, story: data.Story, plan: Plan, assignment: Assignment) -> None:
    worker = setting.deciders[story.centre]
    if story.then == "suspended" and plan.then:
        services.assignment_suspend(
            actor=worker, assignment=assignment, on=plan.then, reason=data.SUSPEND_REASON
        )
    elif story.then == "terminated" and plan.then:
        services.assignment_terminate(
            actor=worker, assignment=assignment, on=plan.then, reason=data.TERMINATE_REASON
        )
    elif story.then == "recalculated" and plan.then:
        services.assignment_recalculate(
            actor=worker, assignment=assignment, on=plan.then, reason=data.RECALCULATE_REASON
        )
    elif story.then == "overpayment":
        _overpayment(setting, worker, assignment)
    elif story.then == "contract":
        _contract(setting, worker, assignment, plan)
    elif story.then == "handouts":
        _handouts(setting, worker, assignment, plan)


def _overpayment(setting: Setting, worker: User, assignment: Assignment) -> None:
    """Two months paid that were not due, found in the last days."""
    found_on = setting.day - dt.timedelta(days=5)
    period_to = min(
        services.add_months(assignment.starts_on, 2) - dt.timedelta(days=1),
        found_on - dt.timedelta(days=1),
    )
    if period_to < assignment.starts_on:
        setting.log.append("overpayment: the assignment is too recent")
        return
    services.overpayment_record(
        actor=worker,
        assignment=assignment,
        period_from=assignment.starts_on,
        period_to=period_to,
        amount=assignment.amount * 2,
        reason=data.OVERPAYMENT_REASON,
        found_on=found_on,
    )


def _contract(setting: Setting, worker: User, assignment: Assignment, plan: Plan) -> None:
    """The contract concluded a few days after the decision: its first step done and the
    instalment tied to it paid, a monitoring visit two months in."""
    concluded = min(setting.day, plan.decided + dt.timedelta(days=3))
    ends = assignment.ends_on or services.add_months(concluded, 12) - dt.timedelta(days=1)
    steps = [
        {
            "title": title,
            "owner": owner,
            "due_on": services.add_months(concluded, months)
            if months is not None
            else ends - dt.timedelta(days=14),
        }
        for title, owner, months in data.CONTRACT_PLAN
    ]
    contract = services.contract_conclude(
        actor=worker,
        assignment=assignment,
        kind=data.CONTRACT_KIND,
        concluded_on=concluded,
        ends_on=ends,
        milestones=steps,
        instalments=[{"amount": a, "milestone_index": i} for a, i in data.CONTRACT_INSTALMENTS],
    )
    first = contract.milestones.order_by("order").first()
    done = concluded + dt.timedelta(days=25)
    if first is None or done > setting.day:
        return
    services.milestone_done(actor=worker, milestone=first, on=done, note=data.CONTRACT_DONE_NOTE)
    instalment = contract.instalments.filter(milestone=first).first()
    paid = done + dt.timedelta(days=5)
    if instalment is not None and paid <= setting.day:
        services.instalment_pay(actor=worker, instalment=instalment, on=paid)
    visited = concluded + dt.timedelta(days=60)
    if visited <= setting.day:
        services.contract_visit(
            actor=worker, contract=contract, visited_on=visited, findings=data.CONTRACT_VISIT
        )


def _handouts(setting: Setting, worker: User, assignment: Assignment, plan: Plan) -> None:
    """A food set a month from two days after the decision (at most three), and a set of
    clothes with the first one for the first recipient of the centre."""
    first = plan.decided + dt.timedelta(days=2)
    days = [services.add_months(first, n) for n in range(3)]
    days = [
        d for d in days if d <= setting.day and (not assignment.ends_on or d <= assignment.ends_on)
    ]
    clothes = (
        not StockMovement.objects.filter(
            institution=assignment.institution_id,
            goods=setting.goods["clothing-set"],
            kind=MovementKind.ISSUE,
        ).exists()
        and StockMovement.objects.filter(
            institution=assignment.institution_id,
            goods=setting.goods["clothing-set"],
            kind=MovementKind.RECEIPT,
        ).exists()
    )
    for index, day in enumerate(days):
        services.stock_issue(
            actor=worker, assignment=assignment, goods=setting.goods["food-set"], quantity=1, on=day
        )
        if clothes and index == 0:
            services.stock_issue(
                actor=worker,
                assignment=assignment,
                goods=setting.goods["clothing-set"],
                quantity=1,
                on=day,
            )


def _stock(setting: Setting) -> None:
    received = set(
        StockMovement.objects.filter(kind=MovementKind.RECEIPT).values_list(
            "institution__code", "goods__code", "on"
        )
    )
    for centre, goods, quantity, back, note in data.STOCK:
        on = setting.day - dt.timedelta(days=back)
        if (centre, goods, on) in received or centre not in setting.deciders:
            continue
        services.stock_receive(
            actor=setting.deciders[centre],
            institution=setting.centres[centre],
            goods=setting.goods[goods],
            quantity=quantity,
            on=on,
            note=note,
        )


def _safely(setting: Setting, call: Callable[[], object], what: str) -> object | None:
    """A story the data cannot tell is left out, and said so, rather than failing the demo."""
    try:
        with transaction.atomic():
            return call()
    except DomainError as exc:
        setting.log.append(f"{what}: {exc.code} {exc.message}")
        return None


# --- Runs over the registry, the what-if and the outreach worklist -----------------------------


def _run(ctx: DemoContext, start: Callable[[], EligibilityRun], found: Any) -> EligibilityRun:
    """A run done on the demo's day, once: a run found done is kept, else one is started and
    its work done here (its job, when a worker takes it, finds it done)."""
    existing = found.filter(status=RunStatus.DONE).order_by("-pk").first()
    if existing is not None:
        return existing
    run = start()
    services.run_execute(run=run, actor=ctx.actor)
    run.refresh_from_db()
    return run


def _runs(setting: Setting) -> None:
    """A run of every published measure on the demo's day, the outreach worklist made from the
    child benefit's with a few outcomes recorded by the centres' workers, and the what-if of
    the draft against the version in force."""
    ctx, day = setting.ctx, setting.day
    runs = {}
    for code, version in setting.versions.items():
        runs[code] = _run(
            ctx,
            partial(services.run_start, actor=ctx.actor, version=version, on=day),
            EligibilityRun.objects.filter(version=version, on=day, baseline__isnull=True),
        )
        setting.counts["runs"] += 1
    child = runs.get(data.CHILD_BENEFIT)
    if child is not None:
        made = audit_for_object(obj=child).filter(action=OUTREACH_CREATED).exists()
        if not made:
            setting.counts["outreach"] = services.outreach_from_run(actor=ctx.actor, run=child)
        _outreach_outcomes(setting, child)
    measure = setting.measures.get(data.CHILD_BENEFIT)
    draft = (
        MeasureVersion.objects.filter(measure=measure, status=VersionStatus.DRAFT)
        .order_by("-number")
        .first()
    )
    if measure is not None and draft is not None and data.CHILD_BENEFIT in setting.versions:
        _run(
            ctx,
            partial(services.whatif_start, actor=ctx.actor, measure=measure, on=day, draft=draft),
            EligibilityRun.objects.filter(
                version=draft, on=day, baseline=setting.versions[data.CHILD_BENEFIT]
            ),
        )
        setting.counts["whatifs"] += 1


def _outreach_outcomes(setting: Setting, run: EligibilityRun) -> None:
    """The first tasks of each centre with a worker get the outcomes of the data, once."""
    tasks = Outreach.objects.filter(run=run)
    if tasks.exclude(status=OutreachStatus.TO_CONTACT).exists():
        return
    for centre, worker in setting.deciders.items():
        institution = setting.centres.get(centre)
        mine = list(tasks.filter(institution=institution).order_by("person__external_key"))
        for task, (status, note) in zip(mine, data.OUTREACH_OUTCOMES, strict=False):
            recorded = _safely(
                setting,
                partial(
                    services.outreach_record,
                    actor=worker,
                    outreach=task,
                    status=status,
                    note=note,
                    on=timezone.localdate(),
                ),
                f"outreach {centre} {status}",
            )
            if recorded:
                setting.counts["outcomes"] += 1


# --- The step -----------------------------------------------------------------------------------


def _setting(ctx: DemoContext, day: dt.date, measures: dict[str, Measure], goods) -> Setting | None:
    calendar = rules.work_calendar()
    if day.year not in calendar.years:
        ctx.log(f"assistance: no working-day calendar for {day.year}, no applications")
        return None
    centres = {i.code: i for i in Institution.objects.filter(code__in=list(DECIDERS))}
    deciders = {}
    for centre, username in DECIDERS.items():
        user = User.objects.filter(username=username, institutions__code=centre).first()
        if centre in centres and user is not None:
            deciders[centre] = user
        else:
            ctx.log(f"assistance: {centre} or its worker {username} is missing")
    versions = {}
    for code, measure in measures.items():
        version = version_in_force(measure=measure, on=day)
        if version is not None:
            versions[code] = version
    return Setting(
        ctx=ctx,
        days=Days(today=day, calendar=calendar),
        measures=measures,
        versions=versions,
        goods=goods,
        centres=centres,
        deciders=deciders,
        candidates=_candidates(day),
    )


def _stories(setting: Setting) -> None:
    """Each story once: its measure, centre and day of application name it (no two stories
    share them), so a story told before is found without choosing its person again."""
    told = set(
        Application.objects.filter(person__external_key__startswith=KEY_PREFIX).values_list(
            "measure__code", "institution__code", "applied_on"
        )
    )
    for story in data.STORIES:
        if story.centre not in setting.deciders or story.measure not in setting.versions:
            continue
        plan = _plan(setting, story)
        if (story.measure, story.centre, plan.applied) in told:
            continue
        what = f"{story.measure} {story.centre} {story.outcome}"
        person = _choose(setting, story, plan)
        if person is None:
            setting.log.append(f"{what}: no resident fits")
            continue
        if _safely(setting, partial(_tell, setting, story, plan, person), what):
            setting.counts["applications"] += 1


@step("assistance", "Measures of targeted social assistance and applications for them", order=65)
def load_assistance(ctx: DemoContext) -> None:
    started = time.perf_counter()
    day = _demo_day()
    if day is None:
        ctx.log("assistance: no demo population, nothing added")
        return
    with transaction.atomic():
        _city_standard(ctx)
        measures = _measures(ctx, day)
        dated = _registration_dates(ctx)
        goods = _goods(ctx)
        setting = _setting(ctx, day, measures, goods)
        if setting is None:
            return
        _stock(setting)
        _stories(setting)
    with transaction.atomic():
        _runs(setting)
    for line in setting.log:
        ctx.log(f"assistance: {line}")
    ctx.log(
        f"assistance: {setting.counts['applications']} applications, {dated} registration days, "
        f"{setting.counts['runs']} runs, {setting.counts['whatifs']} what-if, "
        f"{setting.counts['outreach']} outreach tasks, {setting.counts['outcomes']} outcomes "
        f"({time.perf_counter() - started:.1f} s)"
    )
