"""Every read of the rules in force.

Rules carry no personal data and are the same for every reader, so these selectors take no
actor: the views and endpoints check the declared permission, and other apps' services (the
casework deadlines, the fee of a programme) read the rules without one.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from opora.core.errors import DomainError, NotFound
from opora.institutions.models import ServiceForm

from .catalog import (
    NEED_DECISION_DAYS,
    PROGRAMME_DAYS,
    PROGRAMME_REVIEW_YEARS,
    RuleSpec,
    rule_spec,
    rule_specs,
)
from .models import (
    CalendarDay,
    CalendarYear,
    DayKind,
    FreeGround,
    FreeGroundTest,
    Region,
    RuleVersion,
    SubsistenceGroup,
    SubsistenceMinimum,
)
from .workdays import ONE_DAY, WorkCalendar

# --- Rules ------------------------------------------------------------------------------------


def forms_of(spec: RuleSpec) -> list[str]:
    """The lines of versions a rule has: one per form of service, or one without a form."""
    return list(ServiceForm.values) if spec.per_service_form else [""]


def checked_form(spec: RuleSpec, service_form: str) -> str:
    if spec.per_service_form and service_form not in ServiceForm.values:
        raise DomainError(
            "service_form_required",
            _("«%(rule)s» is set per form of social service: choose the form.")
            % {"rule": spec.label},
            details={"service_form": [_("Choose the form of social service.")]},
        )
    if not spec.per_service_form and service_form:
        raise DomainError(
            "service_form_not_applicable",
            _("«%(rule)s» is the same for every form of social service.") % {"rule": spec.label},
            details={"service_form": [_("Leave the form empty.")]},
        )
    return service_form


def rule_versions(code: str, *, service_form: str = "") -> QuerySet[RuleVersion]:
    """The versions of one line of a rule, newest first."""
    spec = rule_spec(code)
    return RuleVersion.objects.filter(
        code=spec.code, service_form=checked_form(spec, service_form)
    ).order_by("-valid_from")


def version_in_force(code: str, *, on: dt.date, service_form: str = "") -> RuleVersion:
    """The version of a rule in force on ``on``: the latest that began on or before that day."""
    spec = rule_spec(code)
    version = rule_versions(code, service_form=service_form).filter(valid_from__lte=on).first()
    if version is None:
        label = spec.label
        if service_form:
            label = f"{label} ({ServiceForm(service_form).label})"
        raise NotFound(
            "rule_not_in_force",
            _(
                "No value of «%(rule)s» is in force on %(date)s: an administrator adds one "
                "under Rules in force."
            )
            % {"rule": label, "date": on.strftime("%d.%m.%Y")},
            details={"rule": code, "on": on.isoformat()},
        )
    return version


def value_in_force(code: str, *, on: dt.date, service_form: str = "") -> Decimal:
    return version_in_force(code, on=on, service_form=service_form).value


@dataclass
class VersionRow:
    version: RuleVersion
    valid_to: dt.date | None  # the day before the next version begins; None: open-ended
    in_force: bool
    upcoming: bool


@dataclass
class RuleLine:
    """One line of versions: a rule, or a rule for one form of service."""

    spec: RuleSpec
    service_form: str
    rows: list[VersionRow] = field(default_factory=list)

    @property
    def form_label(self) -> str:
        return str(ServiceForm(self.service_form).label) if self.service_form else ""

    @property
    def current(self) -> VersionRow | None:
        return next((row for row in self.rows if row.in_force), None)

    @property
    def next(self) -> VersionRow | None:
        upcoming = [row for row in self.rows if row.upcoming]
        return upcoming[-1] if upcoming else None


def ends_of(starts: list[dt.date]) -> list[dt.date | None]:
    """For valid-from dates sorted newest first, the day each ends: the day before the next
    one (the one before it in the list) begins; the newest is open-ended."""
    return [None, *(start - ONE_DAY for start in starts[:-1])] if starts else []


def in_force(valid_from: dt.date, valid_to: dt.date | None, today: dt.date) -> bool:
    return valid_from <= today and (valid_to is None or today <= valid_to)


def _timeline(versions: list[RuleVersion], today: dt.date) -> list[VersionRow]:
    """Versions newest first, each ended by the one after it."""
    versions = sorted(versions, key=lambda v: v.valid_from, reverse=True)
    ends = ends_of([v.valid_from for v in versions])
    return [
        VersionRow(
            version=version,
            valid_to=valid_to,
            in_force=in_force(version.valid_from, valid_to, today),
            upcoming=version.valid_from > today,
        )
        for version, valid_to in zip(versions, ends, strict=True)
    ]


def rule_lines(*, today: dt.date, code: str | None = None) -> list[RuleLine]:
    """Every rule (or one) with its versions, in the order of the catalogue; two queries."""
    specs = [rule_spec(code)] if code else rule_specs()
    versions = RuleVersion.objects.filter(code__in=[s.code for s in specs])
    by_line: dict[tuple[str, str], list[RuleVersion]] = {}
    for version in versions:
        by_line.setdefault((version.code, version.service_form), []).append(version)
    return [
        RuleLine(spec, form, _timeline(by_line.get((spec.code, form), []), today))
        for spec in specs
        for form in forms_of(spec)
    ]


# --- Regions and subsistence minimums ---------------------------------------------------------


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("-is_home", "name")


def region_get(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound(
            "unknown_region",
            _("There is no region with the code %(code)s.") % {"code": code},
            details={"region": [code]},
        )
    return region


def home_region() -> Region:
    """The department's own region, which the fee calculator uses unless told otherwise."""
    region = Region.objects.filter(is_home=True).first()
    if region is None:
        raise NotFound(
            "home_region_missing",
            _(
                "The department's region is not set: an administrator marks it under Rules in "
                "force."
            ),
        )
    return region


def minimums(
    *, region: Region | None = None, on: dt.date | None = None
) -> QuerySet[SubsistenceMinimum]:
    """Subsistence minimums, of one region or all; with ``on``, only those in force that day."""
    qs = SubsistenceMinimum.objects.select_related("region")
    if region is not None:
        qs = qs.filter(region=region)
    if on is not None:
        latest = (
            SubsistenceMinimum.objects.filter(region=OuterRef("region"), valid_from__lte=on)
            .order_by("-valid_from")
            .values("pk")[:1]
        )
        qs = qs.filter(valid_from__lte=on, pk=Subquery(latest))
    return qs.order_by("-region__is_home", "region__name", "-valid_from")


def minimum_in_force(region: Region, *, on: dt.date) -> SubsistenceMinimum:
    minimum = (
        SubsistenceMinimum.objects.filter(region=region, valid_from__lte=on)
        .order_by("-valid_from")
        .first()
    )
    if minimum is None:
        raise NotFound(
            "minimum_not_in_force",
            _(
                "No subsistence minimum of %(region)s is in force on %(date)s: an administrator "
                "adds it under Rules in force."
            )
            % {"region": region, "date": on.strftime("%d.%m.%Y")},
            details={"region": region.code, "on": on.isoformat()},
        )
    return minimum


def subsistence_minimum(
    region: Region, *, on: dt.date, group: str = SubsistenceGroup.PER_CAPITA
) -> Decimal:
    """The minimum of ``group`` in force; the per-capita one where the region set none for the
    group (``group_minimum`` tells which was used)."""
    return group_minimum(minimum_in_force(region, on=on), group)[0]


def group_minimum(minimum: SubsistenceMinimum, group: str) -> tuple[Decimal, str]:
    """The figure of ``group`` in a region's minimum, and the group it is of: ``group`` itself,
    or the per-capita group where the region set no figure for ``group``."""
    figure = minimum.for_group(group)
    if figure is None:
        return minimum.per_capita, SubsistenceGroup.PER_CAPITA
    return figure, group


# --- Free-of-charge grounds (442-FZ art. 31 part 1) -------------------------------------------


def in_force_on(day: dt.date) -> Q:
    """Rows with ``valid_from`` / ``valid_to`` (inclusive, open-ended when empty) in force on
    ``day``."""
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def free_grounds(*, on: dt.date | None = None, test: str = "", q: str = "") -> QuerySet[FreeGround]:
    """Free-of-charge grounds, every period of each; with ``on``, those in force that day;
    ``test`` keeps the grounds by age or by category; ``q`` looks in the code, the names and
    the category code."""
    qs = FreeGround.objects.all()
    if on is not None:
        qs = qs.filter(in_force_on(on))
    if test == FreeGroundTest.AGE_UNDER:
        qs = qs.filter(age_under__isnull=False)
    elif test == FreeGroundTest.CATEGORY:
        qs = qs.filter(age_under__isnull=True)
    q = " ".join(q.split())
    if q:
        qs = qs.filter(
            Q(code__icontains=q)
            | Q(name__icontains=q)
            | Q(name_en__icontains=q)
            | Q(category_code__icontains=q)
        )
    return qs.order_by("valid_from", "code", "pk")


def free_ground_get(pk: int) -> FreeGround:
    ground = FreeGround.objects.filter(pk=pk).first()
    if ground is None:
        raise NotFound("unknown_ground", _("There is no such free-of-charge ground."))
    return ground


def free_ground_applying(
    *, on: dt.date, age: int | None, categories: frozenset[str] | None
) -> FreeGround | None:
    """The first ground in force on ``on`` that a recipient of ``age`` holding ``categories``
    qualifies for (those by age first, then by category; the oldest first); None if none.
    An unknown fact (None) qualifies for nothing. One query."""
    if age is None and not categories:
        return None
    candidates = Q()
    if age is not None:
        candidates |= Q(age_under__gt=age)
    if categories:
        candidates |= Q(age_under__isnull=True, category_code__in=sorted(categories))
    return (
        FreeGround.objects.filter(in_force_on(on))
        .filter(candidates)
        .order_by(F("age_under").asc(nulls_last=True), "valid_from", "code")
        .first()
    )


# --- The working-day calendar -----------------------------------------------------------------


def calendar_years() -> QuerySet[CalendarYear]:
    return CalendarYear.objects.order_by("-year")


def calendar_days(*, year: int | None = None) -> QuerySet[CalendarDay]:
    qs = CalendarDay.objects.select_related("calendar")
    if year is not None:
        qs = qs.filter(date__year=year)
    return qs.order_by("date")


def work_calendar() -> WorkCalendar:
    """Every loaded year with its exceptions (a few dozen rows a year), in two queries."""
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    days_off: set[dt.date] = set()
    working: set[dt.date] = set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (working if kind == DayKind.WORKING else days_off).add(day)
    return WorkCalendar(
        years=years, days_off=frozenset(days_off), working_weekend_days=frozenset(working)
    )


def is_working_day(day: dt.date) -> bool:
    return work_calendar().is_working_day(day)


def add_working_days(start: dt.date, count: int) -> dt.date:
    return work_calendar().add_working_days(start, count)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return work_calendar().working_days_between(start, end)


@dataclass(frozen=True)
class GridCell:
    date: dt.date
    is_working: bool
    entry: CalendarDay | None


def month_grid(year: int) -> list[dict]:
    """Twelve months of weeks (Monday first) for the calendar page; days outside the month are
    None. Works for a year without a calendar too: then every day is shown by its weekday."""
    calendar = work_calendar()
    entries = {d.date: d for d in calendar_days(year=year)}
    loaded = year in calendar.years
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells: list[GridCell | None] = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                working = calendar.is_working_day(day) if loaded else day.weekday() < 5
                cells.append(GridCell(date=day, is_working=working, entry=entries.get(day)))
            weeks.append(cells)
        working_count = sum(1 for week in weeks for c in week if c is not None and c.is_working)
        months.append({"month": dt.date(year, month, 1), "weeks": weeks, "working": working_count})
    return months


# --- Deadlines of 442-FZ, from the rules and the calendar -------------------------------------


def need_decision_due(applied_on: dt.date) -> dt.date:
    """The last day to decide on recognition as needing social services: the working days of
    the rule counted from the application (art. 15)."""
    days = value_in_force(NEED_DECISION_DAYS, on=applied_on)
    return add_working_days(applied_on, int(days))


def programme_due(applied_on: dt.date) -> dt.date:
    """The last day to draw up the individual programme and hand it to the recipient: the
    working days of the rule counted from the application, not from the decision on need
    (art. 16 part 4)."""
    days = value_in_force(PROGRAMME_DAYS, on=applied_on)
    return add_working_days(applied_on, int(days))


def review_due(drawn_up_on: dt.date) -> dt.date:
    """The latest date of the next review of an individual programme: at least once in the
    years of the rule (art. 16 part 2); 29 February moves to 28 February in a common year."""
    years = int(value_in_force(PROGRAMME_REVIEW_YEARS, on=drawn_up_on))
    try:
        return drawn_up_on.replace(year=drawn_up_on.year + years)
    except ValueError:
        return drawn_up_on.replace(year=drawn_up_on.year + years, day=28)
