"""Every read of casework a page, an endpoint or a service needs, scoped to the actor."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.catalogue.models import ProviderEntry
from opora.core.actors import Actor
from opora.core.errors import DomainError
from opora.core.scoping import Scope
from opora.institutions.models import Employee, Employment, ServiceForm
from opora.rules import selectors as rules

from .models import (
    CASELOAD_STATUSES,
    OPEN_STATUSES,
    ApplicationGround,
    AssessmentScale,
    CareLevel,
    Case,
    CaseStatus,
    Delivery,
    MissedVisit,
    NeedDecision,
    Programme,
    ProgrammeItem,
    ProgrammeStatus,
    ScaleItem,
    ServiceAct,
)

ONE_DAY = dt.timedelta(days=1)
REVIEW_NOTICE_DAYS = 90
WORKDAYS_A_WEEK = 5


# --- Cases -----------------------------------------------------------------------------------


def cases(*, actor: Actor) -> QuerySet[Case]:
    """The cases of the actor's institutions; nothing personal for anyone else."""
    return Scope.of(actor).rows(Case.objects.all(), via="institution")


def case_list(
    *,
    actor: Actor,
    status: str = "",
    institution: int | None = None,
    worker: int | None = None,
    q: str = "",
    overdue_on: dt.date | None = None,
    open_only: bool = False,
) -> QuerySet[Case]:
    qs = cases(actor=actor).select_related("person", "institution", "worker")
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if institution:
        qs = qs.filter(institution=institution)
    if worker:
        qs = qs.filter(worker=worker)
    if overdue_on is not None:
        qs = qs.filter(next_due__lt=overdue_on)
    if q:
        text = q.strip()
        qs = qs.filter(
            Q(number__icontains=text)
            | Q(person__last_name__icontains=text)
            | Q(person__last_name__icontains=text.capitalize())
        )
    return qs


def case_get(*, actor: Actor, pk: int) -> Case:
    case = (
        cases(actor=actor)
        .select_related("person", "institution", "worker", "registered_by", "decision")
        .prefetch_related("grounds", "requested_services")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def cases_of_person(*, actor: Actor, person: Any) -> QuerySet[Case]:
    return cases(actor=actor).filter(person=person).select_related("institution")


def programmes_of(case: Case) -> list[Programme]:
    return list(
        case.programmes.prefetch_related(
            Prefetch(
                "items",
                ProgrammeItem.objects.select_related("service", "provider__institution"),
            )
        ).order_by("-version")
    )


def programme_get(*, actor: Actor, pk: int) -> Programme:
    programme = (
        Programme.objects.filter(case__in=cases(actor=actor))
        .select_related("case__person", "case__institution")
        .filter(pk=pk)
        .first()
    )
    if programme is None:
        raise Http404
    return programme


def programme_in_force(case: Case) -> Programme | None:
    return case.programmes.filter(status=ProgrammeStatus.AGREED).first()


def item_get(*, actor: Actor, pk: int) -> ProgrammeItem:
    item = (
        ProgrammeItem.objects.filter(programme__case__in=cases(actor=actor))
        .select_related("programme__case", "service")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    return item


def delivered_volume(items: Any) -> dict[int, int]:
    """Units already delivered per programme item."""
    rows = (
        Delivery.objects.filter(item__in=items)
        .values("item")
        .annotate(units=Sum("quantity"))
        .values_list("item", "units")
    )
    return {item: units or 0 for item, units in rows}


@dataclass(frozen=True)
class ItemLine:
    item: ProgrammeItem
    delivered: int
    left: int

    @property
    def share_done(self) -> int:
        return min(100, round(100 * self.delivered / self.item.volume)) if self.item.volume else 0


def item_lines(programme: Programme) -> list[ItemLine]:
    """The services of a programme with what was delivered and what is still due."""
    return item_lines_of([programme.pk]).get(programme.pk, [])


def item_lines_of(programme_ids: Any) -> dict[int, list[ItemLine]]:
    """``item_lines`` of many programmes in two queries, by programme id."""
    items = list(
        ProgrammeItem.objects.filter(programme__in=programme_ids)
        .select_related("service", "provider__institution")
        .order_by("service__code", "pk")
    )
    done = delivered_volume([i.pk for i in items])
    lines: dict[int, list[ItemLine]] = {}
    for i in items:
        delivered = done.get(i.pk, 0)
        lines.setdefault(i.programme_id, []).append(
            ItemLine(item=i, delivered=delivered, left=max(0, i.volume - delivered))
        )
    return lines


def provider_options(programme: Programme) -> QuerySet[ProviderEntry]:
    """The register's entries a draft may take its services from: the programme's form, in
    the register for its whole term, a service of the catalogue that is not urgent."""
    return (
        ProviderEntry.objects.filter(
            form=programme.form,
            valid_from__lte=programme.valid_from,
            service__is_active=True,
            service__kind__is_urgent=False,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=programme.valid_to))
        .exclude(service__in=programme.items.values("service"))
        .select_related("service", "institution", "district")
        .order_by("service__code", "institution__name")
    )


def deliveries_of(
    case: Case,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    pks: Sequence[int] | None = None,
) -> QuerySet[Delivery]:
    """The services delivered in a case, newest first: those of a period, or those named."""
    qs = case.deliveries.select_related("service", "worker")
    if date_from is not None:
        qs = qs.filter(delivered_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(delivered_on__lte=date_to)
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    return qs.order_by("-delivered_on", "-id")


def document_get(*, actor: Actor, case_pk: int, pk: int) -> Any:
    case = case_get(actor=actor, pk=case_pk)
    document = case.documents.filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def grounds() -> QuerySet[ApplicationGround]:
    return ApplicationGround.objects.filter(is_active=True)


def scales() -> QuerySet[AssessmentScale]:
    return AssessmentScale.objects.filter(is_active=True).prefetch_related(
        Prefetch("items", ScaleItem.objects.order_by("order")), "levels"
    )


# --- What a request names by code or id ---------------------------------------------------------


def grounds_by_code(codes: Sequence[str]) -> list[ApplicationGround]:
    """The grounds named by their codes, in the order given and each once; an unknown code is
    refused (a retired ground is found: the service refuses it with its own message)."""
    found = {g.code: g for g in ApplicationGround.objects.filter(code__in=list(codes))}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise DomainError(
            "unknown_ground",
            _("There is no ground with the code %(code)s.") % {"code": unknown[0]},
            details={"grounds": [_("Choose grounds from the list.")]},
        )
    return [found[code] for code in dict.fromkeys(codes)]


def scale_by_code(code: str) -> AssessmentScale:
    scale = AssessmentScale.objects.filter(code=code).first()
    if scale is None:
        raise DomainError(
            "unknown_scale",
            _("There is no assessment scale with the code %(code)s.") % {"code": code},
            details={"scale": [_("Choose a scale in use.")]},
        )
    return scale


def care_level_by_code(case: Case, code: str) -> CareLevel | None:
    """A care level of the scale of the case's latest assessment (levels are coded per scale);
    none when no code is given."""
    if not code:
        return None
    assessment = case.assessments.order_by("-assessed_on", "-id").first()
    levels = CareLevel.objects.filter(code=code)
    if assessment is not None:
        levels = levels.filter(scale=assessment.scale_id)
    found = list(levels[:2])
    if len(found) != 1:
        raise DomainError(
            "unknown_care_level",
            _("There is no care level with the code %(code)s on the scale of the assessment.")
            % {"code": code},
            details={"care_level": [_("Choose a care level of the scale.")]},
        )
    return found[0]


def decision_of(case: Case) -> NeedDecision | None:
    """The decision on recognition of a case, if one was taken (``case_get`` reads it along)."""
    return getattr(case, "decision", None)


def ground_codes(case: Case) -> list[str]:
    """The codes of the grounds of a case (``case_get`` reads them along)."""
    return [ground.code for ground in case.grounds.all()]


def requested_service_ids(case: Case) -> list[int]:
    """The services asked for in a case, by id (``case_get`` reads them along)."""
    return [service.pk for service in case.requested_services.all()]


def items_by_pk(programme: Programme) -> dict[int, ProgrammeItem]:
    """The services of a version of a programme, by id."""
    return {item.pk: item for item in programme.items.select_related("service")}


def item_line(programme: Programme, item_pk: int) -> ItemLine:
    """One service of a programme with what was delivered and what is left."""
    return next(line for line in item_lines(programme) if line.item.pk == item_pk)


# --- The timeline of a case --------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    on: dt.date
    kind: str  # step, document, assessment, decision, programme, delivery, missed, act
    obj: Any
    order: int = 0


def case_timeline(case: Case, *, deliveries_limit: int = 200) -> list[TimelineEvent]:
    """The whole story of a case, newest first."""
    events = [
        TimelineEvent(step.on, "step", step, 1) for step in case.transitions.select_related("actor")
    ]
    events += [
        TimelineEvent(timezone.localtime(d.created_at).date(), "document", d, 2)
        for d in case.documents.all()
    ]
    events += [
        TimelineEvent(a.assessed_on, "assessment", a, 3)
        for a in case.assessments.select_related("care_level")
    ]
    decision = getattr(case, "decision", None)
    if decision is not None:
        events.append(TimelineEvent(decision.decided_on, "decision", decision, 4))
    events += [TimelineEvent(p.drawn_up_on, "programme", p, 5) for p in case.programmes.all()]
    events += [
        TimelineEvent(d.delivered_on, "delivery", d, 6)
        for d in deliveries_of(case)[:deliveries_limit]
    ]
    events += [TimelineEvent(m.planned_on, "missed", m, 7) for m in case.missed_visits.all()]
    events += [TimelineEvent(a.issued_on, "act", a, 8) for a in case.acts.all()]
    return sorted(events, key=lambda e: (e.on, e.order, getattr(e.obj, "pk", 0)), reverse=True)


# --- Deadlines: the inbox and the overdue lists ------------------------------------------------


def due_cases(*, actor: Actor, on: dt.date) -> QuerySet[Case]:
    """Open cases of the actor's institutions whose next step is due by ``on``."""
    return (
        cases(actor=actor)
        .filter(next_due__lte=on)
        .select_related("person", "institution", "worker")
        .order_by("next_due", "pk")
    )


def overdue_cases(*, actor: Actor, on: dt.date, institution: int | None = None) -> QuerySet[Case]:
    """Cases whose deadline passed before ``on``: the institution's for its staff, the whole
    department's for analysts and administrators (analysts read them without names)."""
    qs = Scope.of(actor).rows(Case.objects.all(), via="institution", personal=False)
    qs = qs.filter(next_due__lt=on)
    if institution:
        qs = qs.filter(institution=institution)
    return qs.select_related("institution", "person").order_by("next_due", "pk")


def overdue_by_institution(*, actor: Actor, on: dt.date) -> list[dict[str, Any]]:
    """How many cases are overdue per institution, most first (one GROUP BY)."""
    qs = Scope.of(actor).aggregates(Case.objects.all(), via="institution")
    rows = (
        qs.filter(next_due__lt=on)
        .values("institution", "institution__name", "institution__name_en")
        .annotate(count=Count("pk"))
        .order_by("-count", "institution__name")
    )
    return list(rows)


def reviews_due(*, actor: Actor, on: dt.date, within_days: int = REVIEW_NOTICE_DAYS) -> QuerySet:
    """Programmes in force whose review is due within ``within_days``: the reminders."""
    # While a programme is in force its case waits for the review, so the case's deadline is
    # the review date: the rows are read through the institution's deadline index on the
    # cases, not from every programme of the department by its review date.
    horizon = on + dt.timedelta(days=within_days)
    programmes = Scope.of(actor).rows(Programme.objects.all(), via="case__institution")
    return (
        programmes.filter(
            status=ProgrammeStatus.AGREED,
            case__status__in=(CaseStatus.AGREED, CaseStatus.IN_SERVICE, CaseStatus.SUSPENDED),
            case__next_due__lte=horizon,
        )
        .select_related("case__person", "case__institution")
        .order_by("case__next_due", "case_id")
    )


def employee_of(user: Any) -> Employee | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Employee.objects.filter(user=user).first()


def statistics(*, actor: Actor, on: dt.date | None = None) -> dict[str, Any]:
    """Counts for the dashboard: open cases by status and overdue ones (no names)."""
    on = on or timezone.localdate()
    qs = Scope.of(actor).aggregates(Case.objects.all(), via="institution")
    by_status = dict(qs.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "open": sum(by_status.get(s, 0) for s in OPEN_STATUSES),
        "overdue": qs.filter(next_due__lt=on).count(),
        "by_status": [(CaseStatus(s).label, by_status.get(s, 0)) for s in CaseStatus],
    }


# --- Home care ---------------------------------------------------------------------------------


def home_care_workers(*, actor: Actor, on: dt.date | None = None) -> QuerySet[Employee]:
    """The home-care social workers of the actor's institutions, employed on ``on``."""
    on = on or timezone.localdate()
    employments = Scope.of(actor).rows(
        Employment.objects.filter(position__has_caseload=True, hired_on__lte=on).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=on)
        ),
        via="institution",
        personal=False,
    )
    return Employee.objects.filter(pk__in=employments.values("employee")).order_by(
        "last_name", "first_name", "pk"
    )


def worker_get(*, actor: Actor, pk: int) -> Employee:
    employee = home_care_workers(actor=actor).filter(pk=pk).first()
    if employee is None:
        raise Http404
    return employee


@dataclass
class Caseload:
    employee: Employee
    cases: list[Case]
    limit: int | None

    @property
    def count(self) -> int:
        return len(self.cases)

    @property
    def share(self) -> int:
        return min(100, round(100 * self.count / self.limit)) if self.limit else 0

    @property
    def full(self) -> bool:
        return self.limit is not None and self.count >= self.limit


def caseload(*, actor: Actor, employee: Employee) -> Caseload:
    today = timezone.localdate()
    assigned = list(
        cases(actor=actor)
        .filter(worker=employee, status__in=CASELOAD_STATUSES)
        .select_related("person", "institution")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    limits = [
        e.caseload_limit
        for e in employee.employments.filter(hired_on__lte=today)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .filter(position__has_caseload=True)
        if e.caseload_limit is not None
    ]
    return Caseload(employee=employee, cases=assigned, limit=max(limits) if limits else None)


def weekly_visits(item: ProgrammeItem) -> float:
    """How many visits a week a service of the programme asks for."""
    if not item.times or not item.per:
        return 0.0
    per_week = {"day": WORKDAYS_A_WEEK, "week": 1, "month": 12 / 52, "year": 1 / 52}
    return item.times * per_week.get(item.per, 0)


# The weekdays (0 = Monday) of n visits a week, spread out.
VISIT_PATTERNS = {1: (0,), 2: (0, 3), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4)}


def visit_days(case_pk: int, visits: int) -> tuple[int, ...]:
    """The weekdays of a recipient's visits; one or two visits a week are shifted by the case
    so that a worker's Mondays are not full and her Fridays empty."""
    visits = max(0, min(WORKDAYS_A_WEEK, visits))
    if visits == 0:
        return ()
    pattern = VISIT_PATTERNS[visits]
    if visits <= 2:
        shift = case_pk % (WORKDAYS_A_WEEK - pattern[-1])
        return tuple(day + shift for day in pattern)
    return pattern


@dataclass
class Visit:
    case: Case
    day: dt.date
    items: list[ItemLine] = field(default_factory=list)
    delivered: list[Delivery] = field(default_factory=list)
    missed: MissedVisit | None = None
    # The programme's other services that may be given that day besides the planned ones.
    extra: list[ItemLine] = field(default_factory=list)

    @property
    def recorded(self) -> bool:
        return bool(self.delivered) or self.missed is not None


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def visit_plan(
    *, actor: Actor, employee: Employee, start: dt.date, days: int = 7
) -> dict[dt.date, list[Visit]]:
    """The visits of a home-care worker from ``start`` for ``days`` days, built from her
    recipients' programmes in force (home form, services still due, periodic ones), on the
    working days of the calendar."""
    end = start + dt.timedelta(days=days - 1)
    served = list(
        cases(actor=actor)
        .filter(worker=employee, status__in=(CaseStatus.AGREED, CaseStatus.IN_SERVICE))
        .select_related("person")
        .prefetch_related("person__addresses")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    programmes = {
        p.case_id: p
        for p in Programme.objects.filter(
            case__in=[c.pk for c in served], status=ProgrammeStatus.AGREED, form=ServiceForm.HOME
        )
    }
    lines_of = item_lines_of([p.pk for p in programmes.values()])
    lines_by_case = {pk: lines_of.get(p.pk, []) for pk, p in programmes.items()}
    recorded = Delivery.objects.filter(
        case__in=list(programmes), delivered_on__range=(start, end)
    ).select_related("service")
    delivered: dict[tuple[int, dt.date], list[Delivery]] = {}
    for d in recorded:
        delivered.setdefault((d.case_id, d.delivered_on), []).append(d)
    missed = {
        (m.case_id, m.planned_on): m
        for m in MissedVisit.objects.filter(
            case__in=list(programmes), planned_on__range=(start, end)
        )
    }
    calendar = rules.work_calendar()
    plan: dict[dt.date, list[Visit]] = {start + dt.timedelta(days=i): [] for i in range(days)}
    for case in served:
        programme = programmes.get(case.pk)
        if programme is None:
            continue
        due = [
            line
            for line in lines_by_case[case.pk]
            if line.left > 0 and not line.item.is_refused and weekly_visits(line.item) > 0
        ]
        if not due:
            continue
        visits = math.ceil(max(weekly_visits(line.item) for line in due))
        weekdays = visit_days(case.pk, visits)
        for day in plan:
            if day.weekday() not in weekdays or not calendar.is_working_day(day):
                continue
            active = [line for line in due if line.item.starts_on <= day <= line.item.ends_on]
            if active:
                plan[day].append(
                    Visit(
                        case=case,
                        day=day,
                        items=active,
                        delivered=delivered.get((case.pk, day), []),
                        missed=missed.get((case.pk, day)),
                        extra=[
                            line
                            for line in lines_by_case[case.pk]
                            if line not in active
                            and line.left > 0
                            and not line.item.is_refused
                            and line.item.starts_on <= day <= line.item.ends_on
                        ],
                    )
                )
    return plan


def day_sheet(*, actor: Actor, employee: Employee, day: dt.date) -> list[Visit]:
    return visit_plan(actor=actor, employee=employee, start=day, days=1)[day]


def visit_counts(plan: dict[dt.date, list[Visit]]) -> Counter:
    return Counter({day: len(visits) for day, visits in plan.items()})


# --- Acts ------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - ONE_DAY


@dataclass(frozen=True)
class ActFigures:
    programme: Programme | None
    month: dt.date
    deliveries: list[Delivery]
    cost: Decimal
    fee: Decimal


def act_figures(case: Case, month: dt.date) -> ActFigures:
    """What an act for ``month`` says: the services delivered against a programme that month,
    their cost, and the fee — nothing for a free programme, else the cost up to the cap."""
    first = month_start(month)
    last = month_end(first)
    programme = (
        case.programmes.exclude(status=ProgrammeStatus.DRAFT)
        .filter(valid_from__lte=last, agreed_on__lte=last)
        .order_by("-version")
        .first()
    )
    deliveries = list(
        case.deliveries.filter(is_urgent=False, delivered_on__range=(first, last))
        .select_related("service", "worker", "item")
        .order_by("delivered_on", "id")
    )
    cost = sum((d.cost for d in deliveries), Decimal("0"))
    cap = Decimal("0") if programme is None or programme.is_free else programme.fee_cap
    fee = min(cost, cap)
    return ActFigures(programme=programme, month=first, deliveries=deliveries, cost=cost, fee=fee)


def acts_of(case: Case) -> QuerySet[ServiceAct]:
    return case.acts.select_related("programme").order_by("-month")


def act_get(*, actor: Actor, pk: int) -> ServiceAct:
    act = (
        ServiceAct.objects.filter(case__in=cases(actor=actor))
        .select_related("case__person", "case__institution", "programme")
        .filter(pk=pk)
        .first()
    )
    if act is None:
        raise Http404
    return act


# --- Choices of the case pages ------------------------------------------------------------------


def institutions_of(*, actor: Actor) -> QuerySet:
    """The institutions whose cases the actor works: her own, every one for administrators."""
    from opora.institutions.models import Institution

    return (
        Scope.of(actor)
        .rows(Institution.objects.filter(is_active=True), via="pk", personal=True)
        .order_by("name")
    )


def urgent_services() -> QuerySet:
    """The services of the catalogue that may be given at once, without a programme."""
    from opora.catalogue.models import Service

    return Service.objects.filter(urgent_allowed=True, is_active=True).order_by("code")


def requestable_services() -> QuerySet:
    from opora.catalogue.models import Service

    return Service.objects.filter(is_active=True).order_by("code")


# --- The worker's pages: caseloads at a glance, the days of a plan -----------------------------


@dataclass(frozen=True)
class CaseloadSummary:
    """A caseload counted, not listed; its share and fullness read as a ``Caseload``'s."""

    employee: Employee
    count: int
    limit: int | None

    share = Caseload.share
    full = Caseload.full


def caseload_summaries(*, actor: Actor, on: dt.date | None = None) -> list[CaseloadSummary]:
    """Every home-care worker of the actor's institutions with her caseload and limit, in three
    queries whatever the number of workers (``caseload`` lists one worker's recipients)."""
    on = on or timezone.localdate()
    workers = list(home_care_workers(actor=actor, on=on))
    counts = dict(
        cases(actor=actor)
        .filter(worker__in=[w.pk for w in workers], status__in=CASELOAD_STATUSES)
        .values_list("worker")
        .annotate(n=Count("pk"))
        .order_by()
    )
    limits: dict[int, int] = {}
    for employee_pk, limit in (
        Employment.objects.filter(
            employee__in=[w.pk for w in workers],
            position__has_caseload=True,
            hired_on__lte=on,
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=on))
        .values_list("employee", "caseload_limit")
    ):
        if limit is not None:
            limits[employee_pk] = max(limit, limits.get(employee_pk, 0))
    return [
        CaseloadSummary(employee=w, count=counts.get(w.pk, 0), limit=limits.get(w.pk))
        for w in workers
    ]


@dataclass(frozen=True)
class PlanDay:
    day: dt.date
    is_working: bool
    visits: list[Visit]


def plan_days(*, actor: Actor, employee: Employee, start: dt.date, days: int = 7) -> list[PlanDay]:
    """The visit plan day by day, the calendar's days off marked as such."""
    plan = visit_plan(actor=actor, employee=employee, start=start, days=days)
    calendar = rules.work_calendar()
    return [
        PlanDay(day=day, is_working=calendar.is_working_day(day), visits=visits)
        for day, visits in plan.items()
    ]


def home_care_employee_of(actor: Actor) -> Employee | None:
    """The actor's own employee record when she serves a caseload at home in her scope."""
    employee = employee_of(actor)
    if employee is None or not home_care_workers(actor=actor).filter(pk=employee.pk).exists():
        return None
    return employee


def cases_by_number(*, actor: Actor, number: str) -> QuerySet[Case]:
    return (
        cases(actor=actor)
        .filter(number__icontains=number.strip())
        .select_related("person", "institution")
        .order_by("-applied_on", "-pk")
    )


def draft_of(case: Case) -> Programme | None:
    return case.programmes.filter(status=ProgrammeStatus.DRAFT).first()


def documents_of(case: Case) -> QuerySet:
    return case.documents.select_related("uploaded_by").order_by("-created_at", "-id")


def assessments_of(case: Case) -> QuerySet:
    return case.assessments.select_related("scale", "care_level", "assessor").order_by(
        "-assessed_on", "-id"
    )


def overdue_cases_without_names(
    *, actor: Actor, on: dt.date, institution: int | None = None
) -> QuerySet[Case]:
    """The overdue list as an analyst reads it: the person is not even loaded."""
    return (
        overdue_cases(actor=actor, on=on, institution=institution)
        .select_related(None)
        .select_related("institution")
        .only("pk", "number", "status", "next_due", "institution__name", "institution__name_en")
    )


# --- Printed documents ---------------------------------------------------------------------------


def decision_for_print(case: Case) -> Any:
    """The decision with everything its printed form names, in one query; None when the case
    has no decision yet."""
    return (
        NeedDecision.objects.filter(case=case)
        .select_related("assessment__scale", "assessment__care_level", "care_level", "decided_by")
        .first()
    )


def postal_address(person: Any) -> str:
    """Where a document reaches the person: where she lives, else where she is registered."""
    by_kind = {address.kind: address for address in person.addresses.all()}
    address = by_kind.get("actual") or by_kind.get("registration")
    if address is None:
        return ""
    return ", ".join(part for part in (address.postal_code, address.text) if part)


def act_deliveries(act: ServiceAct) -> list[Delivery]:
    """The deliveries an act counted: those of its month recorded by the time it was issued
    (a delivery recorded later belongs to no printed act and must not change this one)."""
    first = month_start(act.month)
    return list(
        act.case.deliveries.filter(
            is_urgent=False,
            delivered_on__range=(first, month_end(first)),
            created_at__lte=act.created_at,
        )
        .select_related("service")
        .order_by("delivered_on", "id")
    )
