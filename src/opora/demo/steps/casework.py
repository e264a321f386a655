"""Demo data of casework: cases in every status at the crisis centre, the family support
centre and the two territorial centres (ТЦСО), for residents of the registry's demo population,
built step by step through the services with dates in the past.

The ТЦСО cases are home care of older people assessed by the Barthel index; the demo social
worker's account is the home-care worker of a few of them, so that signing in as her shows an
inbox, a caseload, a weekly plan and a day sheet. Some cases are overdue, some programmes are
not free and have monthly acts with a fee.

The step runs once: when demo cases exist it adds nothing (they are dated from the day of the
first load, so a second load could not rebuild the same ones anyway).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from opora.casework import selectors, services
from opora.casework.models import (
    Applicant,
    ApplicationGround,
    AssessmentScale,
    Case,
    CaseStatus,
    Channel,
    MissedReason,
    Outcome,
    Programme,
    ProgrammeItem,
)
from opora.casework.reference import ensure_reference
from opora.catalogue.models import Service
from opora.core.errors import DomainError
from opora.demo.data.facts import DEMO_ACCOUNTS
from opora.demo.loading import DemoContext, step
from opora.institutions.models import Employee, Employment, Institution
from opora.registry.models import HouseholdMember, Person, PersonInstitution
from opora.rules import selectors as rules
from opora.rules.workdays import WorkCalendar

S = CaseStatus
KEY_PREFIX = "demo-"  # the registry's demo residents
CRISIS = "crisis-centre-women-children"
FAMILY = "family-childhood-resource-centre"
TVERSKOY = "tcso-tverskoy"
MARYINO = "tcso-maryino"
HOME, SEMI, RESIDENTIAL = "home", "semi_residential", "residential"
# The demo account that is a home-care social worker (core's demo accounts).
DEMO_WORKER = next(name for name, role, _code in DEMO_ACCOUNTS if role == "social_worker")


# --- The plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """One demo case: the status it ends in and how it gets there."""

    status: str
    overdue: bool = False
    due_today: bool = False
    demo_worker: bool = False  # served at home by the demo account
    level: str = ""  # Barthel care level of a home-care recipient
    form: str = ""  # form of the programme where the institution gives more than one
    from_service: bool = False  # closed after months of service, not withdrawn at intake


@dataclass(frozen=True)
class Line:
    """A service of a demo programme: code, how many times per what (none for a permanent
    service counted in days, or a one-time one)."""

    code: str
    times: int | None = None
    per: str = ""


# Home care at the ТЦСО by the care level of the Barthel index (reference.BARTHEL_LEVELS).
HOME_CARE = {
    "slight": (Line("1.01", 2, "week"), Line("1.08", 1, "week"), Line("1.04", 1, "month")),
    "moderate": (
        Line("1.01", 2, "week"),
        Line("1.02", 3, "week"),
        Line("2.01", 3, "week"),
        Line("1.08", 1, "week"),
        Line("1.13", 2, "month"),
    ),
    "severe": (
        Line("1.03", 1, "day"),
        Line("1.10", 3, "week"),
        Line("2.01", 3, "week"),
        Line("1.01", 2, "week"),
        Line("2.09", 2, "month"),
    ),
}
CRISIS_LINES = {
    RESIDENTIAL: (Line("1.14"), Line("1.15"), Line("3.05", 1, "week"), Line("3.01", 2, "month")),
    SEMI: (Line("1.15"), Line("3.05", 1, "week"), Line("3.01", 2, "month"), Line("6.02")),
}
FAMILY_LINES = {
    SEMI: (Line("4.03", 1, "week"), Line("4.04", 2, "week"), Line("3.07", 1, "week")),
    HOME: (Line("4.06", 1, "month"), Line("4.07", 1, "month"), Line("3.01", 2, "month")),
}
PROGRAMME_TERM_DAYS = {CRISIS: 120, FAMILY: 365}  # the ТЦСО's run to the review

_open = (S.APPLIED, S.ASSESSED, S.RECOGNISED, S.PROGRAMME_DRAFTED)
TCSO_TVERSKOY_STORIES = (
    Story(S.IN_SERVICE, demo_worker=True, level="severe"),
    Story(S.IN_SERVICE, demo_worker=True, level="moderate"),
    Story(S.IN_SERVICE, demo_worker=True, level="moderate"),
    Story(S.IN_SERVICE, demo_worker=True, level="slight"),
    Story(S.IN_SERVICE, demo_worker=True, level="slight"),
    Story(S.AGREED, demo_worker=True, level="moderate"),
    Story(S.SUSPENDED, demo_worker=True, level="moderate"),
    Story(S.PROGRAMME_DRAFTED, demo_worker=True, level="slight"),
    Story(S.APPLIED),
    Story(S.APPLIED, due_today=True),
    Story(S.APPLIED, overdue=True),
    Story(S.ASSESSED),
    Story(S.ASSESSED, overdue=True),
    Story(S.RECOGNISED, level="moderate"),
    Story(S.RECOGNISED, overdue=True, level="slight"),
    Story(S.PROGRAMME_DRAFTED, overdue=True, level="moderate"),
    Story(S.REFUSED),
    Story(S.IN_SERVICE, level="severe"),
    Story(S.IN_SERVICE, level="moderate"),
    Story(S.IN_SERVICE, level="slight"),
    Story(S.CLOSED, from_service=True, level="moderate"),
    Story(S.CLOSED),
)
TCSO_MARYINO_STORIES = (
    *(Story(S.IN_SERVICE, level=level) for level in ("severe", "moderate", "slight") * 3),
    Story(S.AGREED, level="moderate"),
    Story(S.AGREED, level="slight"),
    Story(S.SUSPENDED, level="severe"),
    Story(S.SUSPENDED, level="slight"),
    Story(S.APPLIED),
    Story(S.APPLIED, overdue=True),
    Story(S.ASSESSED),
    Story(S.ASSESSED, overdue=True),
    Story(S.RECOGNISED, level="moderate"),
    Story(S.RECOGNISED, overdue=True, level="severe"),
    Story(S.PROGRAMME_DRAFTED, level="moderate"),
    Story(S.PROGRAMME_DRAFTED, overdue=True, level="slight"),
    Story(S.REFUSED),
    Story(S.REFUSED),
    Story(S.CLOSED, from_service=True, level="slight"),
    Story(S.CLOSED, from_service=True, level="severe"),
    Story(S.CLOSED),
)
CRISIS_STORIES = (
    Story(S.APPLIED),
    Story(S.APPLIED, due_today=True),
    Story(S.ASSESSED, overdue=True),
    Story(S.RECOGNISED, overdue=True, form=RESIDENTIAL),
    Story(S.REFUSED),
    Story(S.PROGRAMME_DRAFTED, form=RESIDENTIAL),
    Story(S.AGREED, form=SEMI),
    Story(S.IN_SERVICE, form=RESIDENTIAL),
    Story(S.IN_SERVICE, form=RESIDENTIAL),
    Story(S.IN_SERVICE, form=SEMI),
    Story(S.SUSPENDED, form=SEMI),
    Story(S.CLOSED),
    Story(S.CLOSED, from_service=True, form=RESIDENTIAL),
)
FAMILY_STORIES = (
    Story(S.APPLIED),
    Story(S.APPLIED, overdue=True),
    Story(S.ASSESSED),
    Story(S.RECOGNISED, form=SEMI),
    Story(S.REFUSED),
    Story(S.PROGRAMME_DRAFTED, overdue=True, form=HOME),
    Story(S.AGREED, form=SEMI),
    Story(S.IN_SERVICE, form=SEMI),
    Story(S.IN_SERVICE, form=SEMI),
    Story(S.IN_SERVICE, form=HOME),
    Story(S.IN_SERVICE, form=HOME),
    Story(S.SUSPENDED, form=SEMI),
    Story(S.CLOSED, from_service=True, form=HOME),
    Story(S.CLOSED),
)
STORIES = {
    TVERSKOY: TCSO_TVERSKOY_STORIES,
    MARYINO: TCSO_MARYINO_STORIES,
    CRISIS: CRISIS_STORIES,
    FAMILY: FAMILY_STORIES,
}


# --- Working days ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Days:
    """Working days counted back from today, on the calendar loaded by the rules."""

    today: dt.date
    calendar: WorkCalendar

    def working(self, day: dt.date) -> bool:
        return day.year in self.calendar.years and self.calendar.is_working_day(day)

    def back(self, count: int) -> dt.date:
        """The ``count``-th working day before today (today itself, if a working day, for 0)."""
        day = self.today
        while not self.working(day):
            day -= dt.timedelta(days=1)
        while count:
            day -= dt.timedelta(days=1)
            if self.working(day):
                count -= 1
        return day

    def after(self, day: dt.date, count: int) -> dt.date:
        """``count`` working days after ``day``, never past today."""
        while count:
            day += dt.timedelta(days=1)
            if self.working(day):
                count -= 1
        return min(day, self.today)

    def between(self, first: dt.date, last: dt.date) -> Iterator[dt.date]:
        day = first
        while day <= last:
            yield day
            day += dt.timedelta(days=1)


# --- What the step reads -------------------------------------------------------------------


@dataclass
class Setting:
    ctx: DemoContext
    rng: random.Random
    days: Days
    institutions: dict[str, Institution]
    grounds: dict[str, ApplicationGround]
    barthel: AssessmentScale
    services: dict[str, Service]
    demo_worker: Employee | None
    workers: dict[str, list[Employment]]
    log: list[str]
    day_lines: dict[dt.date, list] = field(default_factory=lambda: defaultdict(list))


def _people(query: QuerySet[Person], used: set[int], count: int) -> list[Person]:
    return list(query.exclude(pk__in=used)[:count])


def _candidates(institution: Institution, today: dt.date) -> QuerySet[Person]:
    """Residents of the demo population the institution would serve, in a stable order."""
    people = Person.objects.filter(
        external_key__startswith=KEY_PREFIX, merged_into__isnull=True, death_date__isnull=True
    ).exclude(birth_date__isnull=True)
    served = PersonInstitution.objects.filter(institution=institution).values("person")
    if institution.code in (TVERSKOY, MARYINO):
        # The oldest residents the centre serves.
        return people.filter(pk__in=served).order_by("birth_date", "external_key")
    if institution.code == CRISIS:
        # Women of 20 to 55: first those the centre already knows.
        return people.filter(
            sex="F",
            birth_date__lte=_years_before(today, 20),
            birth_date__gt=_years_before(today, 55),
        ).order_by("external_key")
    # Children of the families the family centre serves, then other children.
    return people.filter(birth_date__gt=_years_before(today, 17)).order_by("external_key")


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _choose_people(setting: Setting) -> dict[str, list[Person]]:
    today = setting.days.today
    used: set[int] = set()
    chosen: dict[str, list[Person]] = {}
    for code, stories in STORIES.items():
        institution = setting.institutions[code]
        query = _candidates(institution, today)
        served = PersonInstitution.objects.filter(institution=institution).values("person")
        # Those the centre already serves come first.
        people = _people(query.filter(pk__in=served), used, len(stories))
        used |= {p.pk for p in people}
        if len(people) < len(stories):
            more = _people(query.exclude(pk__in=served), used, len(stories) - len(people))
            used |= {p.pk for p in more}
            people += more
        chosen[code] = people
    return chosen


def _home_care_workers(institution: Institution, today: dt.date) -> list[Employment]:
    """The centre's home-care social workers of a year's standing and more, with room in their
    caseload, the demo account's excluded."""
    return list(
        Employment.objects.filter(
            institution=institution,
            position__has_caseload=True,
            hired_on__lte=today - dt.timedelta(days=365),
            employee__user__isnull=True,
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .select_related("employee")
        .order_by("employee__personnel_number", "pk")
    )


# --- Building a case --------------------------------------------------------------------------

CHANNELS = {
    TVERSKOY: (Channel.IN_PERSON, Channel.MY_DOCUMENTS, Channel.PHONE, Channel.IN_PERSON),
    MARYINO: (Channel.IN_PERSON, Channel.MY_DOCUMENTS, Channel.PORTAL, Channel.IN_PERSON),
    CRISIS: (Channel.PHONE, Channel.REFERRAL, Channel.IN_PERSON),
    FAMILY: (Channel.IN_PERSON, Channel.REFERRAL, Channel.MY_DOCUMENTS),
}
REFERRERS = {
    CRISIS: (
        "ОМВД России по району Тверской г. Москвы",
        "ГБУЗ «Городская клиническая больница № 67»",
        "Горячая линия помощи женщинам, пострадавшим от насилия",
    ),
    FAMILY: (
        "Комиссия по делам несовершеннолетних и защите их прав района Марьино",
        "ГБОУ «Школа № 1566»",
        "Органы опеки и попечительства",
    ),
}
CIRCUMSTANCES = {
    "tcso": (
        "Проживает одна, дети живут в другом городе. После перенесённого инсульта с трудом "
        "выходит из дома.",
        "Проживает с супругом, который сам нуждается в уходе. Передвигается по квартире с "
        "ходунками.",
        "Одиноко проживающий пенсионер. Просит помочь с покупкой продуктов и уборкой.",
        "После перелома шейки бедра передвигается с трудом, родственники работают.",
    ),
    CRISIS: (
        "Обратилась после конфликта с супругом, сопровождавшегося угрозами. С ней двое детей.",
        "Покинула квартиру вместе с ребёнком, жить негде, документы остались у мужа.",
        "Систематическое психологическое давление со стороны сожителя, просит временное "
        "размещение.",
    ),
    FAMILY: (
        "Ребёнок с трудом адаптируется в новой школе, конфликты со сверстниками.",
        "Семья воспитывает ребёнка с особенностями развития, родителям нужна поддержка.",
        "Многодетная семья, старший ребёнок пропускает занятия, нужна помощь педагога.",
    ),
}
REFUSAL_REASONS = (
    "Способность к самообслуживанию сохранена; обстоятельств, ухудшающих условия "
    "жизнедеятельности, не выявлено (ст. 15 ч. 1 Федерального закона № 442-ФЗ).",
    "Заявитель не представил документы, необходимые для признания нуждающимся; рекомендовано "
    "обратиться повторно.",
)
CLOSE_NOTES = {
    "withdrawn": "Заявление отозвано по просьбе заявителя.",
    "tcso": "Снят с обслуживания: переезд к родственникам в другой район.",
    CRISIS: "Срок пребывания завершён, получательница переехала к родителям.",
    FAMILY: "Программа выполнена, адаптация ребёнка завершена.",
}
SUSPEND_NOTES = {
    "tcso": "Госпитализация в ГКБ, обслуживание приостановлено до выписки.",
    CRISIS: "Временный выезд к родственникам в другой город.",
    FAMILY: "Выезд семьи в летний оздоровительный лагерь.",
}
MISSED = (
    (MissedReason.NOT_AT_HOME, "Дверь не открыли, по телефону не ответили."),
    (MissedReason.IN_HOSPITAL, "Плановое обследование в больнице."),
    (MissedReason.REFUSED_VISIT, "Попросила перенести визит: приехали родственники."),
)
URGENT_AT_INTAKE = (("8.05", "8.03", "8.01"), ("8.05", "8.01"), ("8.05", "8.04"))


def _kind(code: str) -> str:
    return "tcso" if code in (TVERSKOY, MARYINO) else code


def _barthel_answers(setting: Setting, level: str) -> dict[str, int]:
    """Answers whose total falls in ``level``'s band: every item at its best, then one step
    down at a time on items drawn by the demo's generator."""
    band = setting.barthel.levels.get(code=level or "independent")
    options = {item.code: sorted(item.points()) for item in setting.barthel.items.all()}
    answers = {code: points[-1] for code, points in options.items()}
    while sum(answers.values()) > band.max_score:
        lowerable = [c for c, points in options.items() if answers[c] > points[0]]
        code = setting.rng.choice(sorted(lowerable))
        answers[code] = max(p for p in options[code] if p < answers[code])
    return answers


@dataclass(frozen=True)
class Timeline:
    """The days of a story's steps, as working days before today."""

    applied: int
    assessed: int | None = None
    decided: int | None = None
    drawn: int | None = None
    agreed: int | None = None
    stopped: int | None = None  # suspended or closed


def _timeline(story: Story, rng: random.Random) -> Timeline:
    """Deadlines are 5 working days for the decision and 10 for the programme, both counted
    from the application (the rules in force), so an overdue case is one whose application is
    older than that without the step."""
    status = S(story.status)
    r = rng.randint
    if status == S.APPLIED:
        applied = 5 if story.due_today else r(8, 12) if story.overdue else r(0, 3)
        return Timeline(applied)
    if status == S.ASSESSED:
        applied = r(8, 12) if story.overdue else r(2, 4)
        return Timeline(applied, applied - (2 if story.overdue else 1))
    if status == S.REFUSED:
        applied = r(12, 60)
        return Timeline(applied, applied - 2, applied - 4)
    if status == S.RECOGNISED:
        applied = r(20, 25) if story.overdue else r(6, 8)
        return Timeline(applied, applied - 1, applied - 4)
    if status == S.PROGRAMME_DRAFTED:
        applied = r(19, 24) if story.overdue else r(7, 9)
        return Timeline(applied, applied - 1, applied - 4, applied - 7)
    if status == S.AGREED:
        applied = r(11, 13)
        return Timeline(applied, applied - 1, applied - 4, applied - 7, applied - 10)
    if status == S.CLOSED and not story.from_service:
        applied = r(15, 40)
        return Timeline(applied, stopped=applied - 3)
    if story.demo_worker:
        applied = r(28, 40)
    elif status == S.CLOSED:
        applied = r(45, 70)
    else:
        applied = r(25, 50)
    stopped = {S.SUSPENDED: r(2, 6), S.CLOSED: r(5, 20)}.get(status)
    return Timeline(applied, applied - 1, applied - 4, applied - 7, applied - 9, stopped)


def _representative(person: Person) -> tuple[str, str]:
    """The adult who applies for a child: the applicant of the child's household."""
    membership = HouseholdMember.objects.filter(person=person, left_on__isnull=True).first()
    if membership is not None:
        adult = (
            HouseholdMember.objects.filter(household=membership.household, is_applicant=True)
            .exclude(person=person)
            .select_related("person")
            .first()
        )
        if adult is not None:
            return adult.person.full_name, "Законный представитель (родитель)"
    return "Законный представитель", "Свидетельство о рождении ребёнка"


def _register(setting: Setting, code: str, story: Story, person: Person, day: dt.date) -> Case:
    rng = setting.rng
    channel = rng.choice(CHANNELS[code])
    fields: dict = {}
    if channel == Channel.REFERRAL:
        fields["referred_by"] = rng.choice(REFERRERS.get(code, REFERRERS[FAMILY]))
    if code == FAMILY and person.birth_date and person.birth_date > _years_before(day, 18):
        name, basis = _representative(person)
        fields |= {
            "applicant": Applicant.REPRESENTATIVE,
            "representative_name": name,
            "representative_basis": basis,
        }
    kind = _kind(code)
    grounds = {
        "tcso": ["self-care-loss"],
        CRISIS: ["family-violence"],
        FAMILY: [rng.choice(("child-adaptation", "disabled-family-member"))],
    }[kind]
    lines = _lines(code, story)
    urgent = []
    if code == CRISIS:
        urgent = [
            services.UrgentEntry(
                service=setting.services[c],
                minutes=setting.services[c].standard_duration_minutes,
                note="Оказано при обращении",
            )
            for c in rng.choice(URGENT_AT_INTAKE)
        ]
    return services.case_register(
        actor=setting.ctx.actor,
        person=person,
        institution=setting.institutions[code],
        channel=channel,
        applied_on=day,
        grounds=[setting.grounds[g] for g in grounds],
        requested_services=[setting.services[line.code] for line in lines],
        requested_form=_form(code, story),
        circumstances=rng.choice(CIRCUMSTANCES[kind]),
        urgent=urgent,
        **fields,
    )


def _form(code: str, story: Story) -> str:
    if code in (TVERSKOY, MARYINO):
        return HOME
    return story.form or SEMI


def _lines(code: str, story: Story) -> tuple[Line, ...]:
    form = _form(code, story)
    if code == CRISIS:
        return CRISIS_LINES[form]
    if code == FAMILY:
        return FAMILY_LINES[form]
    return HOME_CARE[story.level or "moderate"]


def _volume(line: Line, programme: Programme) -> int:
    """Units over the programme's term at the line's periodicity (a day a unit for a permanent
    service, one for a one-time one)."""
    days = (programme.valid_to - programme.valid_from).days + 1
    if not line.per:
        return days if line.code in PERMANENT else 1
    per_year = {"day": 250, "week": 52, "month": 12, "year": 1}[line.per]
    return max(1, math.ceil((line.times or 1) * per_year * days / 365))


PERMANENT = {"1.14", "1.15"}  # given every day of a stay, counted in days


def _draft(setting: Setting, code: str, story: Story, case: Case, day: dt.date) -> Programme:
    form = _form(code, story)
    # Income per head of the household: half the recipients above one and a half times the
    # subsistence minimum, so their programmes are not free.
    income = Decimal(setting.rng.choice((24_000, 31_500, 36_800, 48_200, 55_600, 62_000)))
    term = PROGRAMME_TERM_DAYS.get(code)
    programme = services.programme_draft(
        actor=setting.ctx.actor,
        case=case,
        form=form,
        drawn_up_on=day,
        income=income,
        valid_to=day + dt.timedelta(days=term) if term else None,
    )
    institution = setting.institutions[code]
    offered = {
        entry.service.code: entry
        for entry in selectors.provider_options(programme).filter(institution=institution)
    }
    for line in _lines(code, story):
        entry = offered.get(line.code)
        if entry is None:
            setting.log.append(f"{institution.code} gives no {line.code} {form}")
            continue
        services.programme_item_add(
            actor=setting.ctx.actor,
            programme=programme,
            service=entry.service,
            provider=entry,
            volume=_volume(line, programme),
            times=line.times,
            per=line.per,
        )
    return programme


# --- Deliveries ------------------------------------------------------------------------------


def _visit_weekdays(case: Case, items: list[ProgrammeItem]) -> tuple[int, ...]:
    """The weekdays the visit plan gives the case (selectors.visit_plan), at least one."""
    weekly = max((selectors.weekly_visits(item) for item in items), default=0.0)
    return selectors.visit_days(case.pk, max(1, math.ceil(weekly)))


def _schedule(
    setting: Setting, case: Case, items: list[ProgrammeItem], first: dt.date, last: dt.date
) -> list[tuple[dt.date, ProgrammeItem, int]]:
    """(day, item, units) of the services given from ``first`` to ``last`` by the programme's
    periodicity, on the case's visit days."""
    weekdays = _visit_weekdays(case, items)
    visit_days = [d for d in setting.days.between(first, last) if d.weekday() in weekdays]
    visit_days = [d for d in visit_days if setting.days.working(d)]
    rows: list[tuple[dt.date, ProgrammeItem, int]] = []
    for item in items:
        if item.refused_on is not None:
            continue
        start, end = max(first, item.starts_on), min(last, item.ends_on)
        own = [d for d in visit_days if start <= d <= end]
        if item.per == "day":
            rows += [(d, item, item.times or 1) for d in own]
        elif item.per == "week":
            chosen = set(weekdays[: item.times or 1])
            rows += [(d, item, 1) for d in own if d.weekday() in chosen]
        elif item.per == "month":
            rows += [(d, item, 1) for d in _monthly(own, item.times or 1)]
        elif item.service.code in PERMANENT:
            rows += _by_week(setting, item, start, end, item.programme.form)
        elif own:
            rows.append((own[0], item, 1))
    left = {item.pk: item.volume for item in items}
    kept = []
    for day, item, units in sorted(rows, key=lambda r: (r[0], r[1].pk)):
        units = min(units, left[item.pk])
        if units:
            left[item.pk] -= units
            kept.append((day, item, units))
    return kept


def _monthly(days: list[dt.date], times: int) -> list[dt.date]:
    """``times`` visit days a month, spread over it."""
    chosen = []
    by_month: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    for day in days:
        by_month[(day.year, day.month)].append(day)
    for month_days in by_month.values():
        for k in range(times):
            target = 3 + k * (28 // times)
            later = [d for d in month_days if d.day >= target and d not in chosen]
            if later:
                chosen.append(later[0])
    return chosen


def _by_week(
    setting: Setting, item: ProgrammeItem, start: dt.date, end: dt.date, form: str
) -> list[tuple[dt.date, ProgrammeItem, int]]:
    """A stay or meals counted in days, recorded once a week (on the week's last working
    day) with that week's days; every day in residence, working days in a day centre."""
    weeks: dict[dt.date, list[dt.date]] = defaultdict(list)
    for day in setting.days.between(start, end):
        if form == RESIDENTIAL or setting.days.working(day):
            weeks[selectors.week_start(day)].append(day)
    rows = []
    for days in weeks.values():
        working = [d for d in days if setting.days.working(d)]
        if working:
            rows.append((working[-1], item, len(days)))
    return rows


def _deliver(
    setting: Setting, case: Case, programme: Programme, first: dt.date, last: dt.date
) -> None:
    """The services of ``first`` to ``last``; a recipient served at home misses a visit now
    and then (one in three misses one in the last weeks)."""
    items = list(programme.items.select_related("service", "programme"))
    rows = _schedule(setting, case, items, first, last)
    if not rows:
        return
    missed_day = None
    home = programme.form == HOME
    recent = sorted({d for d, _i, _u in rows if d >= setting.days.back(15) and d != rows[0][0]})
    if home and recent and setting.rng.random() < 0.35:
        missed_day = setting.rng.choice(recent)
    worker = case.worker
    if worker is not None and worker.user_id is not None and home:
        _deliver_by_days(setting, case, rows, missed_day)
        return
    entries = [
        services.DeliveryEntry(
            item=item,
            delivered_on=day,
            quantity=units,
            minutes=_minutes(item, units),
            started_at=_time(setting, day, case) if home else None,
            worker=worker,
        )
        for day, item, units in rows
        if day != missed_day
    ]
    if entries:
        services.deliveries_record(actor=setting.ctx.actor, case=case, entries=entries)
    if missed_day is not None:
        reason, note = setting.rng.choice(MISSED)
        services.visit_miss(
            actor=setting.ctx.actor,
            case=case,
            planned_on=missed_day,
            reason=reason,
            note=note,
        )


def _minutes(item: ProgrammeItem, units: int) -> int | None:
    if item.service.code in PERMANENT:
        return None
    return item.service.standard_duration_minutes * units


def _time(setting: Setting, day: dt.date, case: Case) -> dt.time:
    return dt.time(9 + (case.pk + day.toordinal()) % 8, 30 if case.pk % 2 else 0)


def _deliver_by_days(
    setting: Setting,
    case: Case,
    rows: list[tuple[dt.date, ProgrammeItem, int]],
    missed_day: dt.date | None,
) -> None:
    """The demo worker enters her visits a day at a time: her lines wait for the day's quick
    entry of all her recipients (``_record_demo_worker_days``)."""
    by_day: dict[dt.date, list] = defaultdict(list)
    for day, item, units in rows:
        by_day[day].append((item, units, _minutes(item, units)))
    for day, delivered in by_day.items():
        if day == missed_day:
            reason, note = setting.rng.choice(MISSED)
            line = services.DayLine(case=case, missed_reason=reason, note=note)
        else:
            line = services.DayLine(case=case, delivered=delivered)
        setting.day_lines[day].append(line)


def _record_demo_worker_days(setting: Setting) -> None:
    worker = setting.demo_worker
    if worker is None:
        return
    for day in sorted(setting.day_lines):
        services.day_record(
            actor=setting.ctx.actor, worker=worker, day=day, lines=setting.day_lines[day]
        )


def _acts(setting: Setting, case: Case, until: dt.date) -> None:
    """The monthly acts of the months before ``until``'s with services delivered."""
    months = sorted(
        {
            selectors.month_start(d)
            for d in case.deliveries.filter(is_urgent=False).values_list("delivered_on", flat=True)
        }
    )
    for month in months:
        if month < selectors.month_start(until):
            services.act_issue(actor=setting.ctx.actor, case=case, month=month)


# --- A whole story ------------------------------------------------------------------------------


def _assign(setting: Setting, code: str, story: Story, case: Case) -> None:
    if code not in (TVERSKOY, MARYINO):
        return
    if story.demo_worker:
        employee = setting.demo_worker
    else:
        pool = setting.workers[code]
        employee = pool[case.pk % len(pool)].employee if pool else None
    if employee is not None:
        services.case_assign_worker(actor=setting.ctx.actor, case=case, employee=employee)


def _tell(setting: Setting, code: str, story: Story, person: Person) -> Case:
    days, actor, rng = setting.days, setting.ctx.actor, setting.rng
    steps = _timeline(story, rng)
    status = S(story.status)
    case = _register(setting, code, story, person, days.back(steps.applied))
    if status == S.APPLIED:
        return case
    if status == S.CLOSED and steps.assessed is None:
        services.case_close(
            actor=actor,
            case=case,
            on=days.back(steps.stopped or 0),
            note=CLOSE_NOTES["withdrawn"],
        )
        return case
    kind = _kind(code)
    services.assessment_record(
        actor=actor,
        case=case,
        scale=setting.barthel,
        answers=_barthel_answers(setting, story.level if kind == "tcso" else ""),
        assessed_on=days.back(steps.assessed or 0),
        living_conditions="Квартира в многоквартирном доме, лифт есть."
        if kind == "tcso"
        else "Проживает с детьми; жилищные условия требуют обследования.",
        conclusion="Нуждается в помощи на дому." if kind == "tcso" else "",
    )
    if status == S.ASSESSED:
        return case
    if status == S.REFUSED:
        services.need_decide(
            actor=actor,
            case=case,
            outcome=Outcome.REFUSED,
            decided_on=days.back(steps.decided or 0),
            reasons=rng.choice(REFUSAL_REASONS),
        )
        return case
    services.need_decide(
        actor=actor, case=case, outcome=Outcome.RECOGNISED, decided_on=days.back(steps.decided or 0)
    )
    if status == S.RECOGNISED:
        return case
    programme = _draft(setting, code, story, case, days.back(steps.drawn or 0))
    _assign(setting, code, story, case)
    if status == S.PROGRAMME_DRAFTED:
        return case
    agreed_on = days.back(steps.agreed or 0)
    services.programme_agree(actor=actor, programme=programme, agreed_on=agreed_on)
    if status == S.AGREED:
        return case
    stopped = days.back(steps.stopped) if steps.stopped is not None else None
    last = (stopped or days.today) - dt.timedelta(days=1)
    case.refresh_from_db()
    _deliver(setting, case, programme, days.after(agreed_on, 1), last)
    return case


def _finish(setting: Setting, code: str, story: Story, case: Case) -> None:
    """What follows the deliveries: the acts, then the suspension or the closing."""
    status = S(story.status)
    if status not in (S.IN_SERVICE, S.SUSPENDED, S.CLOSED):
        return
    if status == S.CLOSED and not story.from_service:
        return
    case.refresh_from_db()
    _acts(setting, case, setting.days.today)
    kind = _kind(code)
    stopped = max(case.status_since, _last_delivery(case) or case.status_since)
    if status == S.SUSPENDED:
        services.case_suspend(
            actor=setting.ctx.actor,
            case=case,
            on=setting.days.after(stopped, 1),
            note=SUSPEND_NOTES[kind],
        )
    elif status == S.CLOSED:
        services.case_close(
            actor=setting.ctx.actor,
            case=case,
            on=setting.days.after(stopped, 1),
            note=CLOSE_NOTES[kind],
        )


def _last_delivery(case: Case) -> dt.date | None:
    return case.deliveries.order_by("-delivered_on").values_list("delivered_on", flat=True).first()


# --- The step -----------------------------------------------------------------------------------


def demo_cases_exist() -> bool:
    return Case.objects.filter(person__external_key__startswith=KEY_PREFIX).exists()


def _setting(ctx: DemoContext, today: dt.date) -> Setting | None:
    institutions = {i.code: i for i in Institution.objects.filter(code__in=list(STORIES))}
    if len(institutions) < len(STORIES):
        ctx.log("casework: the institutions of the demo are missing")
        return None
    calendar = rules.work_calendar()
    if today.year not in calendar.years:
        ctx.log(f"casework: no working-day calendar for {today.year}")
        return None
    demo_worker = Employee.objects.filter(user__username=DEMO_WORKER).first()
    return Setting(
        ctx=ctx,
        # A stream of its own (not the shared ctx.rng): the plan stays the same whatever the
        # earlier steps draw.
        rng=random.Random(f"{ctx.seed}:casework"),
        days=Days(today=today, calendar=calendar),
        institutions=institutions,
        grounds={g.code: g for g in ApplicationGround.objects.all()},
        barthel=AssessmentScale.objects.prefetch_related("items", "levels").get(code="barthel"),
        services={s.code: s for s in Service.objects.all()},
        demo_worker=demo_worker,
        workers={
            code: _home_care_workers(institutions[code], today) for code in (TVERSKOY, MARYINO)
        },
        log=[],
    )


def _tell_safely(setting: Setting, call: Callable[[], object], what: str) -> object | None:
    """A story the data in force cannot tell (a calendar or a provider missing) is left out,
    and said so, rather than failing the whole demo."""
    try:
        with transaction.atomic():
            return call()
    except DomainError as exc:
        setting.log.append(f"{what}: {exc.code} {exc.message}")
        return None


@step("casework", "Social services cases in every status", order=60)
def load_cases(ctx: DemoContext) -> None:
    ensure_reference()
    if demo_cases_exist():
        ctx.log("casework: demo cases exist, nothing added")
        return
    today = timezone.localdate()
    setting = _setting(ctx, today)
    if setting is None:
        return
    people = _choose_people(setting)
    told: list[tuple[str, Story, Case]] = []
    with transaction.atomic():
        for code, stories in STORIES.items():
            for story, person in zip(stories, people[code], strict=False):
                case = _tell_safely(
                    setting,
                    partial(_tell, setting, code, story, person),
                    f"{code} {story.status}",
                )
                if isinstance(case, Case):
                    told.append((code, story, case))
        _tell_safely(setting, partial(_record_demo_worker_days, setting), "the demo worker's days")
        for code, story, case in told:
            _tell_safely(
                setting,
                partial(_finish, setting, code, story, case),
                f"{code} {story.status} {case.number}",
            )
    for line in setting.log:
        ctx.log(f"casework: {line}")
    ctx.log(f"casework: {len(told)} demo cases")
