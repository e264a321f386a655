"""Demo data of the institutions app: the districts and institutions of the seeds, and a few
hundred synthetic employees with their positions and training, all through the services.

Everything is keyed (districts and institutions by code, employees by personnel number or by
their account), so loading twice adds nothing. Capacities, opening hours, accessibility and
staff are examples: the seeds do not give them. What is made up is marked in the data
(``core.models.ExampleMark``): an institution with example hours, capacity or accessibility, or
a name the seeds do not give, says so in its ``example_note``; every training record of the
synthetic staff is an example (who took part, the hours), the seed events' records carry the
dates of those events.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from opora.core.actors import SYSTEM, Actor
from opora.core.models import User
from opora.core.roles import Role
from opora.demo.data.facts import COOPERATION_EVENTS, DEMO_ACCOUNTS, INSTITUTIONS
from opora.demo.loading import DemoContext, step
from opora.demo.population import DISTRICTS
from opora.demo.population.names import random_name
from opora.institutions import services
from opora.institutions.models import (
    AccessibilityFeature,
    District,
    Employee,
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Position,
    TrainingKind,
)
from opora.institutions.reference import ensure_reference_data

# --- Examples per kind of institution ---------------------------------------------------------

EXAMPLE_CAPACITY = {
    "tcso": {"home": 1500, "semi_residential": 120},
    "crisis-centre": {"residential": 60, "semi_residential": 30},
    "family-support-centre": {"semi_residential": 80},
    "family-upbringing-centre": {"residential": 90},
    "boarding-school": {"residential": 150},
    "rehabilitation-centre": {"residential": 100, "semi_residential": 150},
    "rehabilitation-education-centre": {"semi_residential": 200},
    "longevity-centre": {"semi_residential": 300},
}
EXAMPLE_HOURS = {
    "governing-body": "пн–чт 8:00–17:00, пт 8:00–15:45",
    "tcso": "пн–пт 8:00–20:00, сб 10:00–16:00",
    "crisis-centre": "круглосуточно",
    "family-upbringing-centre": "круглосуточно",
    "boarding-school": "круглосуточно",
    "family-support-centre": "пн–пт 9:00–20:00",
    "rehabilitation-centre": "пн–пт 8:00–20:00",
    "rehabilitation-education-centre": "пн–пт 8:00–19:00",
    "longevity-centre": "пн–сб 9:00–21:00",
    "flagship-employment-centre": "пн–пт 9:00–20:00, сб 10:00–17:00",
    "specialised-employment-centre": "пн–пт 9:00–20:00",
    "employment-department": "пн–вс 8:00–20:00",
}
_BASIC_ACCESS = ("step-free-entrance", "ramp", "accessible-toilet", "parking")
EXAMPLE_ACCESSIBILITY = {
    "governing-body": (*_BASIC_ACCESS, "lift", "induction-loop"),
    "tcso": (*_BASIC_ACCESS, "lift", "tactile-signs", "induction-loop"),
    "crisis-centre": _BASIC_ACCESS,
    "family-support-centre": _BASIC_ACCESS,
    "family-upbringing-centre": (*_BASIC_ACCESS, "wide-doors"),
    "boarding-school": (*_BASIC_ACCESS, "tactile-signs", "braille", "lift"),
    "rehabilitation-centre": (*_BASIC_ACCESS, "lift", "wide-doors", "tactile-signs", "braille"),
    "rehabilitation-education-centre": (*_BASIC_ACCESS, "lift", "wide-doors", "sign-language"),
    "longevity-centre": (*_BASIC_ACCESS, "induction-loop"),
    "flagship-employment-centre": (*_BASIC_ACCESS, "lift", "sign-language"),
    "specialised-employment-centre": (*_BASIC_ACCESS, "lift", "sign-language", "induction-loop"),
    "employment-department": (*_BASIC_ACCESS, "lift"),
}

# Synthetic staff per kind: (position code, how many).
EXAMPLE_STAFF = {
    "governing-body": [
        ("director", 1),
        ("deputy-director", 3),
        ("head-of-department", 8),
        ("social-work-specialist", 12),
        ("lawyer", 4),
        ("accountant", 6),
        ("cooperation-specialist", 3),
    ],
    "tcso": [
        ("director", 1),
        ("deputy-director", 2),
        ("head-of-department", 5),
        ("social-worker", 30),
        ("social-work-specialist", 10),
        ("psychologist", 2),
        ("exercise-instructor", 2),
        ("nurse", 2),
        ("lawyer", 1),
        ("accountant", 2),
    ],
    "crisis-centre": [
        ("director", 1),
        ("deputy-director", 1),
        ("head-of-department", 2),
        ("psychologist", 5),
        ("social-pedagogue", 3),
        ("social-work-specialist", 5),
        ("lawyer", 2),
        ("nurse", 2),
    ],
    "family-support-centre": [
        ("director", 1),
        ("head-of-department", 2),
        ("psychologist", 4),
        ("social-pedagogue", 3),
        ("social-work-specialist", 4),
    ],
    "family-upbringing-centre": [
        ("director", 1),
        ("deputy-director", 1),
        ("educator", 10),
        ("social-pedagogue", 3),
        ("psychologist", 2),
        ("nurse", 2),
    ],
    "boarding-school": [
        ("director", 1),
        ("deputy-director", 1),
        ("educator", 8),
        ("rehabilitation-specialist", 3),
        ("social-pedagogue", 2),
        ("nurse", 2),
    ],
    "rehabilitation-centre": [
        ("director", 1),
        ("deputy-director", 1),
        ("rehabilitation-specialist", 8),
        ("exercise-instructor", 4),
        ("psychologist", 3),
        ("nurse", 4),
        ("social-work-specialist", 2),
    ],
    "rehabilitation-education-centre": [
        ("director", 1),
        ("rehabilitation-specialist", 5),
        ("educator", 5),
        ("psychologist", 2),
        ("social-pedagogue", 2),
    ],
    "longevity-centre": [("head-of-department", 1), ("social-work-specialist", 3)],
    "flagship-employment-centre": [
        ("director", 1),
        ("career-consultant", 10),
        ("employment-specialist", 6),
        ("psychologist", 1),
    ],
    "specialised-employment-centre": [
        ("director", 1),
        ("career-consultant", 6),
        ("employment-specialist", 4),
        ("psychologist", 2),
    ],
    "employment-department": [("head-of-department", 1), ("employment-specialist", 4)],
}
# Some people work at two places: (institution, position, second institution, how many).
SHARED_STAFF = [("tcso-tverskoy", "psychologist", "moscow-longevity-tverskoy", 2)]
# Demo accounts become employees too, in a position that fits their role.
POSITION_BY_ROLE: dict[str, str] = {
    Role.INSTITUTION_MANAGER: "head-of-department",
    Role.SOCIAL_WORKER: "social-worker",
    Role.EMPLOYMENT_SPECIALIST: "employment-specialist",
    Role.COOPERATION_OFFICER: "cooperation-specialist",
}
QUALIFICATIONS = [
    "Высшая квалификационная категория",
    "Первая квалификационная категория",
    "Вторая квалификационная категория",
    "Высшее образование по направлению «Социальная работа»",
    "Среднее профессиональное образование",
]
PERSONNEL_PREFIX = "demo-"
LEFT_SHARE = 0.05  # former staff, so that "active" means something in the lists
TRAINING_SHARE = 0.4
IDPO = "ГАУ «Институт дополнительного профессионального образования работников социальной сферы»"


@dataclass(frozen=True)
class TrainingFact:
    title: str
    kind: str
    organiser: str
    hours: int | None
    started_on: dt.date | None  # None: a date drawn for each person
    ended_on: dt.date | None
    source: str
    institutions: tuple[str, ...] = ()  # for the staff of these institutions only
    positions: tuple[str, ...] = ()  # for these positions only
    # What of the record is made up: every training record of the synthetic staff is marked.
    example: str = "Курс, его даты и часы — пример: сотрудник и его обучение синтетические"


def _event(key: str) -> dict[str, Any]:
    """An event of the seeds (``facts.COOPERATION_EVENTS``): its title and dates are the ones the
    training records made from it carry."""
    return next(fact for fact in COOPERATION_EVENTS if fact["key"] == key)


def _seed_training(
    key: str, kind: str, organiser: str, hours: int, source: str, example: str, **more: Any
) -> TrainingFact:
    event = _event(key)
    return TrainingFact(
        title=event["title"]["ru"],
        kind=kind,
        organiser=organiser,
        hours=hours,
        started_on=dt.date.fromisoformat(event["starts_on"]),
        ended_on=dt.date.fromisoformat(event["ends_on"]),
        source=source,
        example=example,
        **more,
    )


# Events of the seeds, for the staff of the institutions they name; the title and the dates are
# the event's. The second Lugansk visit (November 2022) enters the training records of the staff
# who received the delegation through cooperation's exchanges of specialists
# (``opora.demo.steps.cooperation``), with the event's dates.
SEED_TRAININGS = [
    _seed_training(
        "helsinki-visit-2019",
        TrainingKind.EXCHANGE,
        "ДТСЗН города Москвы",
        16,
        "Seed 000: the Helsinki letter of 12.07.2019; the visit on 2.-3.7.2019 as in the "
        "Finnish original",
        "Кто из сотрудников участвовал и часы — пример: источник 000 называет учреждения, "
        "но не участников",
        institutions=("crisis-centre-women-children", "family-childhood-resource-centre"),
    ),
    _seed_training(
        "berlin-seminar-18",
        TrainingKind.SEMINAR,
        "ДТСЗН города Москвы и LAGeSo Berlin",
        36,
        "Seed 002: the 18th social seminar, Moscow, 4–9 July 2017",
        "Кто из сотрудников участвовал и часы — пример: источник 002 называет только главу "
        "делегации Берлина и министра",
        institutions=("dtszn-moscow", "moscow-city-rehabilitation-centre"),
    ),
]
# Courses anyone in a position may take, on a drawn date (examples).
COURSE_TRAININGS = [
    TrainingFact(
        "Технологии социальной работы с семьями в трудной жизненной ситуации",
        TrainingKind.COURSE,
        IDPO,
        72,
        None,
        None,
        "",
        positions=("social-work-specialist", "social-pedagogue", "head-of-department"),
    ),
    TrainingFact(
        "Школа ухода: помощь на дому пожилым людям и людям с инвалидностью",
        TrainingKind.COURSE,
        IDPO,
        36,
        None,
        None,
        "",
        positions=("social-worker",),
    ),
    TrainingFact(
        "Оказание первой помощи",
        TrainingKind.TRAINING,
        IDPO,
        16,
        None,
        None,
        "",
        positions=("social-worker", "nurse", "educator", "exercise-instructor"),
    ),
    TrainingFact(
        "Экстренная психологическая помощь пострадавшим от насилия",
        TrainingKind.COURSE,
        IDPO,
        36,
        None,
        None,
        "",
        positions=("psychologist",),
    ),
    TrainingFact(
        "Карьерное консультирование людей старшего возраста и людей с инвалидностью",
        TrainingKind.TRAINING,
        "Центр «Моя карьера»",
        24,
        None,
        None,
        "",
        positions=("career-consultant", "employment-specialist"),
    ),
    TrainingFact(
        "Ранняя помощь детям с ограничениями здоровья и их семьям",
        TrainingKind.WEBINAR,
        IDPO,
        18,
        None,
        None,
        "",
        positions=("rehabilitation-specialist", "educator", "psychologist"),
    ),
]


# --- Institutions -----------------------------------------------------------------------------

_EXAMPLE_PARTS = (
    (EXAMPLE_HOURS, "часы работы"),
    (EXAMPLE_CAPACITY, "вместимость"),
    (EXAMPLE_ACCESSIBILITY, "доступная среда"),
    (EXAMPLE_STAFF, "сотрудники"),
)


def example_note(fact: dict[str, Any]) -> str:
    """What of an institution the demo made up, in words: its own (``fact["example"]``: a
    name, a district) and the details every institution of its kind is given (hours,
    capacity, accessibility, synthetic staff). Empty when nothing is."""
    kind = fact.get("kind", "")
    made_up = [words for examples, words in _EXAMPLE_PARTS if examples.get(kind)]
    notes = [fact["example"]] if fact.get("example") else []
    if made_up:
        listed = " и ".join([", ".join(made_up[:-1]), made_up[-1]] if len(made_up) > 1 else made_up)
        notes.append(f"{listed} — примеры: в источниках их нет")
    note = "; ".join(notes)
    return note[:1].upper() + note[1:]


def load_districts(actor: Actor = SYSTEM) -> dict[str, District]:
    """The districts of the one list the demo uses (``opora.demo.population.DISTRICTS``), created
    through the institutions' service where missing; the population lives in them."""
    existing = set(District.objects.values_list("code", flat=True))
    for fact in DISTRICTS:
        if fact.code not in existing:
            services.district_create(
                actor=actor,
                code=fact.code,
                name=fact.name,
                name_en=fact.name_en,
                population=fact.population,
            )
    return {d.code: d for d in District.objects.filter(code__in=[f.code for f in DISTRICTS])}


@step("institutions", "Institutions named in the seeds", order=10)
def load_institutions(ctx: DemoContext) -> None:
    ensure_reference_data()
    with transaction.atomic():
        districts = load_districts(ctx.actor)
        kinds = {k.code: k for k in InstitutionKind.objects.all()}
        features = {f.code: f for f in AccessibilityFeature.objects.all()}
        known = {i.code: i for i in Institution.objects.all()}
        # Parents come before their units in the list of facts.
        for fact in INSTITUTIONS:
            if fact["code"] in known:
                continue
            kind = fact.get("kind", "")
            known[fact["code"]] = services.institution_create(
                actor=ctx.actor,
                code=fact["code"],
                name=fact["name"],
                name_en=fact.get("name_en", ""),
                short_name=fact.get("short_name", ""),
                kind=kinds.get(kind),
                parent=known.get(fact.get("parent", "")),
                district=districts.get(fact.get("district", "")),
                address=fact.get("address", ""),
                website=fact.get("website", ""),
                opening_hours=EXAMPLE_HOURS.get(kind, ""),
                status=fact.get("status", InstitutionStatus.OPEN),
                accessibility=[features[c] for c in EXAMPLE_ACCESSIBILITY.get(kind, ())],
                capacities=EXAMPLE_CAPACITY.get(kind, {}),
                is_example=bool(example_note(fact)),
                example_note=example_note(fact),
            )


# --- Staff ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedEmployee:
    number: str
    institution: str
    position: str
    last_name: str
    first_name: str
    patronymic: str
    hired_on: dt.date
    left_on: dt.date | None
    caseload_limit: int | None
    phone: str
    qualification: str
    also_at: str = ""


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange(max(1, (last - first).days)))


def _phone(rng: random.Random) -> str:
    digits = f"{rng.randrange(10**9):09d}"
    return f"+7 9{digits[:2]} {digits[2:5]}-{digits[5:7]}-{digits[7:]}"


def staff_plan(rng: random.Random, institutions: dict[str, str], today: dt.date) -> Iterator:
    """The synthetic staff, drawn in a fixed order: the same seed gives the same people, so a
    second load finds every personnel number of the first. ``institutions`` maps the code of
    each institution to the code of its kind."""
    number = 0
    for code, kind in sorted(institutions.items()):
        shared = {p: (other, n) for c, p, other, n in SHARED_STAFF if c == code}
        for position, count in EXAMPLE_STAFF.get(kind, []):
            for index in range(count):
                number += 1
                name = random_name(rng)
                hired_on = _day_between(rng, dt.date(2005, 1, 10), today - dt.timedelta(days=30))
                left = rng.random() < LEFT_SHARE and position != "director"
                other, shared_count = shared.get(position, ("", 0))
                yield PlannedEmployee(
                    number=f"{PERSONNEL_PREFIX}{number:05d}",
                    institution=code,
                    position=position,
                    last_name=name.last_name,
                    first_name=name.first_name,
                    patronymic=name.patronymic,
                    hired_on=hired_on,
                    left_on=_day_between(rng, hired_on, today) if left else None,
                    caseload_limit=rng.randint(8, 14) if position == "social-worker" else None,
                    phone=_phone(rng),
                    qualification=rng.choice(QUALIFICATIONS),
                    also_at=other if index < shared_count else "",
                )


def _trainings_for(rng: random.Random, planned: PlannedEmployee, today: dt.date) -> list:
    """The seed events of the person's institution she was there for, and now and then a
    course of her position."""
    chosen = [
        fact
        for fact in SEED_TRAININGS
        if planned.institution in fact.institutions
        and fact.started_on is not None
        and planned.hired_on <= fact.started_on
        and (planned.left_on is None or planned.left_on >= fact.started_on)
    ]
    courses = [fact for fact in COURSE_TRAININGS if planned.position in fact.positions]
    if courses and rng.random() < TRAINING_SHARE:
        chosen.append(rng.choice(courses))
    return chosen


def _record_training(
    ctx: DemoContext,
    rng: random.Random,
    employee: Employee,
    fact: TrainingFact,
    planned: PlannedEmployee,
) -> None:
    until = planned.left_on or timezone.localdate()
    started_on = fact.started_on or _day_between(rng, planned.hired_on, until)
    ended_on = fact.ended_on
    if fact.started_on is None and fact.hours and fact.hours > 8:
        # A course of eight hours a day.
        ended_on = min(started_on + dt.timedelta(days=fact.hours // 8 - 1), until)
    services.training_record(
        actor=ctx.actor,
        employee=employee,
        title=fact.title,
        kind=fact.kind,
        started_on=started_on,
        ended_on=ended_on,
        hours=fact.hours,
        organiser=fact.organiser,
        source=fact.source,
        is_example=True,
        example_note=fact.example,
    )


def _hire_planned(
    ctx: DemoContext,
    planned: PlannedEmployee,
    institutions: dict[str, Institution],
    positions: dict[str, Position],
    today: dt.date,
) -> None:
    employee = services.employee_hire(
        actor=ctx.actor,
        institution=institutions[planned.institution],
        position=positions[planned.position],
        hired_on=planned.hired_on,
        caseload_limit=planned.caseload_limit,
        last_name=planned.last_name,
        first_name=planned.first_name,
        patronymic=planned.patronymic,
        personnel_number=planned.number,
        phone=planned.phone,
        qualification=planned.qualification,
    )
    if planned.left_on is not None:
        services.employment_end(
            actor=ctx.actor,
            employment=employee.employments.get(),
            left_on=planned.left_on,
            reason="Увольнение по собственному желанию",
        )
    elif planned.also_at in institutions:
        services.employment_add(
            actor=ctx.actor,
            employee=employee,
            institution=institutions[planned.also_at],
            position=positions[planned.position],
            hired_on=max(planned.hired_on, today - dt.timedelta(days=365)),
        )
    # Each person's training is drawn from a stream of her own: the plan's draws stay the same
    # whether or not she is created in this run.
    rng = random.Random(f"{ctx.seed}:{planned.number}")
    for fact in _trainings_for(rng, planned, today):
        _record_training(ctx, rng, employee, fact, planned)


def _demo_usernames(codes: list[str]) -> set[str]:
    """The accounts the demo made: one per role, and the synthetic staff of core's demo step
    (``<institution code>-<n>``)."""
    pattern = re.compile("|".join(rf"{re.escape(c[:40])}-\d+" for c in codes))
    accounts = {username for username, _role, _institution in DEMO_ACCOUNTS}
    return accounts | {
        username
        for username in User.objects.filter(employee__isnull=True).values_list(
            "username", flat=True
        )
        if pattern.fullmatch(username)
    }


def _link_accounts(
    ctx: DemoContext, positions: dict[str, Position], today: dt.date, codes: list[str]
) -> None:
    """The demo's staff accounts get a staff record at each of their institutions."""
    accounts = (
        User.objects.filter(
            username__in=_demo_usernames(codes),
            role__in=list(POSITION_BY_ROLE),
            employee__isnull=True,
        )
        .prefetch_related("institutions")
        .order_by("username")
    )
    for user in accounts:
        position = positions[POSITION_BY_ROLE[user.role]]
        open_ones = [i for i in user.institutions.all() if i.is_active]
        if not open_ones:
            continue
        employee = services.employee_hire(
            actor=ctx.actor,
            institution=open_ones[0],
            position=position,
            hired_on=today - dt.timedelta(days=400),
            caseload_limit=10 if position.has_caseload else None,
            last_name=user.last_name or user.username,
            first_name=user.first_name or user.username,
            patronymic=user.patronymic,
            user=user,
            email=user.email,
        )
        for institution in open_ones[1:]:
            services.employment_add(
                actor=ctx.actor,
                employee=employee,
                institution=institution,
                position=position,
                hired_on=today - dt.timedelta(days=400),
            )


@step("institution-staff", "Staff records of the institutions, with training", order=35)
def load_staff(ctx: DemoContext) -> None:
    ensure_reference_data()
    today = timezone.localdate()
    # A stream of its own (not the shared ctx.rng), so that the plan stays the same whatever
    # earlier steps draw.
    rng = random.Random(ctx.seed * 100 + 35)
    institutions = {
        i.code: i for i in Institution.objects.filter(is_active=True).select_related("kind")
    }
    positions = {p.code: p for p in Position.objects.all()}
    kinds = {code: i.kind.code for code, i in institutions.items() if i.kind is not None}
    existing = set(
        Employee.objects.filter(personnel_number__startswith=PERSONNEL_PREFIX).values_list(
            "personnel_number", flat=True
        )
    )
    created = 0
    with transaction.atomic():
        for planned in staff_plan(rng, kinds, today):
            if planned.number in existing:
                continue
            _hire_planned(ctx, planned, institutions, positions, today)
            created += 1
        _link_accounts(ctx, positions, today, sorted(institutions))
    ctx.log(f"Staff records: {created} new")
