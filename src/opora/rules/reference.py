"""The figures of the law that the demo (and the tests) load into the rules in force, with
where each comes from.

The 442-FZ figures and the production calendars are the law as published (domain.md §2), so
they are not marked as examples. The pension ages and the children's age of the subsistence
minimum are not retold in domain.md: they are loaded as examples, to be checked against the
acts named. The free-of-charge grounds of 442-FZ art. 31 part 1 (``FREE_GROUNDS``) are loaded
by the data migration ``0003_free_grounds`` (law in every installation, not demo data); the
regional subsistence minimums of the demo are examples and live with the demo
(``opora.demo.steps.rules``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple

from opora.institutions.models import ServiceForm

from .catalog import (
    CHILD_GROUP_AGE,
    FEE_CAP_SHARE,
    FREE_THRESHOLD_MULTIPLIER,
    NEED_DECISION_DAYS,
    OVERPAYMENT_OFFSET_SHARE,
    PENSION_AGE_MEN,
    PENSION_AGE_WOMEN,
    PROGRAMME_DAYS,
    PROGRAMME_REVIEW_YEARS,
)
from .models import DayKind

LAW_442_IN_FORCE = dt.date(2015, 1, 1)
BASIS_442 = "Федеральный закон от 28.12.2013 № 442-ФЗ"
BASIS_400 = "Федеральный закон от 28.12.2013 № 400-ФЗ «О страховых пенсиях», ст. 8"
BASIS_134 = "Федеральный закон от 24.10.1997 № 134-ФЗ «О прожиточном минимуме в РФ»"


class RuleValue(NamedTuple):
    code: str
    service_form: str
    valid_from: dt.date
    value: Decimal
    basis: str
    is_example: bool = False
    note: str = ""


PENSION_AGE_NOTE = (
    "Пример: общеустановленный пенсионный возраст по году его достижения, округлённый до "
    "целого года; переходные сроки зависят от года рождения (400-ФЗ, прил. 6). Категория "
    "«пенсионер» в регистре решает раньше возраста. / Example: the general pension age by the "
    "year it is reached, in whole years; the transitional ages depend on the year of birth. "
    "The registry's pensioner category decides before the age."
)
CHILD_AGE_NOTE = (
    "Пример: дети — до 16 лет, как в методике расчёта прожиточного минимума; проверьте по "
    "закону субъекта РФ. / Example: children are under 16, as in the subsistence minimum's "
    "method; check against the regional law."
)


def _pension_ages() -> list[RuleValue]:
    # (from, men, women): 60/55 before the 2019 reform, then rising to 65/60 from 2028.
    steps = [
        (LAW_442_IN_FORCE, 60, 55),
        (dt.date(2020, 1, 1), 61, 56),
        (dt.date(2022, 1, 1), 62, 57),
        (dt.date(2024, 1, 1), 63, 58),
        (dt.date(2026, 1, 1), 64, 59),
        (dt.date(2028, 1, 1), 65, 60),
    ]
    return [
        RuleValue(code, "", start, Decimal(age), BASIS_400, True, PENSION_AGE_NOTE)
        for start, men, women in steps
        for code, age in ((PENSION_AGE_MEN, men), (PENSION_AGE_WOMEN, women))
    ]


RULE_VALUES: list[RuleValue] = [
    RuleValue(
        FREE_THRESHOLD_MULTIPLIER, "", LAW_442_IN_FORCE, Decimal("1.5"), f"{BASIS_442}, ст. 31 ч. 5"
    ),
    RuleValue(
        FEE_CAP_SHARE,
        ServiceForm.HOME,
        LAW_442_IN_FORCE,
        Decimal("0.5"),
        f"{BASIS_442}, ст. 32 ч. 4",
    ),
    RuleValue(
        FEE_CAP_SHARE,
        ServiceForm.SEMI_RESIDENTIAL,
        LAW_442_IN_FORCE,
        Decimal("0.5"),
        f"{BASIS_442}, ст. 32 ч. 4",
    ),
    RuleValue(
        FEE_CAP_SHARE,
        ServiceForm.RESIDENTIAL,
        LAW_442_IN_FORCE,
        Decimal("0.75"),
        f"{BASIS_442}, ст. 32 ч. 5",
    ),
    RuleValue(NEED_DECISION_DAYS, "", LAW_442_IN_FORCE, Decimal(5), f"{BASIS_442}, ст. 15"),
    RuleValue(PROGRAMME_DAYS, "", LAW_442_IN_FORCE, Decimal(10), f"{BASIS_442}, ст. 16 ч. 4"),
    RuleValue(
        PROGRAMME_REVIEW_YEARS, "", LAW_442_IN_FORCE, Decimal(3), f"{BASIS_442}, ст. 16 ч. 2"
    ),
    *_pension_ages(),
    RuleValue(CHILD_GROUP_AGE, "", LAW_442_IN_FORCE, Decimal(16), BASIS_134, True, CHILD_AGE_NOTE),
    # Shipped in every installation by the migration 0004_overpayment_offset_share; here too so
    # that a database emptied since its migrations (the tests' flushes) gets it back with the
    # demo's rules. The same version: loading it where the migration left it changes nothing.
    RuleValue(
        OVERPAYMENT_OFFSET_SHARE,
        "",
        LAW_442_IN_FORCE,
        Decimal("0.2"),
        "Акт города о порядке удержания излишне выплаченных сумм",
        True,
        "Пример: доля удержания устанавливается актом города; проверьте по действующему акту. / "
        "Example: the city's act sets the share withheld; check it against the act in force.",
    ),
]

# The grounds of 442-FZ art. 31 part 1 on which social services are free whatever the income,
# in force since the law (1 January 2015): (code, name, English name, younger than (years),
# registry category code). The category codes are the registry's to define: a person affected
# by an emergency or an armed inter-ethnic conflict holds that category on the date.
FREE_GROUND_CITATION = ("442-ФЗ, ст. 31 ч. 1", "442-FZ art. 31 part 1")
FREE_GROUNDS = [
    ("minor", "Несовершеннолетний", "A minor", 18, ""),
    (
        "emergency-victim",
        "Пострадавший в результате чрезвычайной ситуации",
        "A person affected by an emergency",
        None,
        "emergency-victim",
    ),
    (
        "armed-conflict-victim",
        "Пострадавший в результате вооружённого межнационального (межэтнического) конфликта",
        "A person affected by an armed inter-ethnic (interethnic) conflict",
        None,
        "armed-conflict-victim",
    ),
]


def ensure_free_grounds(model: Any = None) -> None:
    """The grounds of art. 31 part 1 from the day the law came into force, where no period of
    that code begins that day; what an administrator changed is left alone. Run by the data
    migration (with its historical model) and by the tests after a database is emptied."""
    from .models import FreeGround

    grounds = model if model is not None else FreeGround
    citation, citation_en = FREE_GROUND_CITATION
    for code, name, name_en, age_under, category_code in FREE_GROUNDS:
        grounds.objects.get_or_create(
            code=code,
            valid_from=LAW_442_IN_FORCE,
            defaults={
                "name": name,
                "name_en": name_en,
                "citation": citation,
                "citation_en": citation_en,
                "age_under": age_under,
                "category_code": category_code,
            },
        )


# The regions the seeds name: Moscow (the department's own), the Lugansk People's Republic
# (seed 001) and the Smolensk region (seed 003). (code, name, English name, is the home region)
REGIONS = [
    ("moscow", "Москва", "Moscow", True),
    ("lugansk-pr", "Луганская Народная Республика", "Lugansk People's Republic", False),
    ("smolensk-oblast", "Смоленская область", "Smolensk Region", False),
]

# Public holidays of the Labour Code, art. 112 part 1: (month, day, name, English name).
PUBLIC_HOLIDAYS = [
    *[(1, day, "Новогодние каникулы", "New Year holidays") for day in range(1, 7)],
    (1, 7, "Рождество Христово", "Orthodox Christmas"),
    (1, 8, "Новогодние каникулы", "New Year holidays"),
    (2, 23, "День защитника Отечества", "Defender of the Fatherland Day"),
    (3, 8, "Международный женский день", "International Women's Day"),
    (5, 1, "Праздник Весны и Труда", "Spring and Labour Day"),
    (5, 9, "День Победы", "Victory Day"),
    (6, 12, "День России", "Russia Day"),
    (11, 4, "День народного единства", "Unity Day"),
]


def _moved_off(year: int, month: int, day: int, source: str, source_en: str) -> tuple:
    """A weekday made a day off in place of a holiday that fell on a weekend."""
    return (
        dt.date(year, month, day),
        DayKind.DAY_OFF,
        f"Перенос с {source}",
        f"Moved from {source_en}",
    )


# year → (the act, the moved days: (date, kind, name, English name))
CALENDARS = {
    2025: (
        "Постановление Правительства РФ от 04.10.2024 № 1335",
        [
            _moved_off(2025, 5, 2, "4 января", "4 January"),
            _moved_off(2025, 5, 8, "23 февраля", "23 February"),
            _moved_off(2025, 6, 13, "8 марта", "8 March"),
            (
                dt.date(2025, 11, 1),
                DayKind.WORKING,
                "Рабочая суббота (перенос на 3 ноября)",
                "Working Saturday (moved to 3 November)",
            ),
            _moved_off(2025, 11, 3, "1 ноября", "1 November"),
            _moved_off(2025, 12, 31, "5 января", "5 January"),
        ],
    ),
    # 8 March 2026 is a Sunday and 9 May a Saturday: the Labour Code itself moves those days
    # off to the next Monday.
    2026: (
        "Постановление Правительства РФ от 24.09.2025 о переносе выходных дней в 2026 году; "
        "ТК РФ ст. 112 ч. 2",
        [
            _moved_off(2026, 1, 9, "3 января", "3 January"),
            _moved_off(2026, 3, 9, "8 марта (воскресенье)", "8 March (a Sunday)"),
            _moved_off(2026, 5, 11, "9 мая (суббота)", "9 May (a Saturday)"),
            _moved_off(2026, 12, 31, "4 января", "4 January"),
        ],
    ),
    # Provisional until the government's act for 2027 is entered: 1 May and 12 June fall on a
    # Saturday and 9 May on a Sunday, so the Labour Code moves them to the next Monday; the
    # January days off that fall on a weekend are moved only by the government's act.
    2027: (
        "ТК РФ ст. 112 ч. 2 (предварительно: переносы по постановлению Правительства РФ "
        "на 2027 год не внесены)",
        [
            _moved_off(2027, 5, 3, "1 мая (суббота)", "1 May (a Saturday)"),
            _moved_off(2027, 5, 10, "9 мая (воскресенье)", "9 May (a Sunday)"),
            _moved_off(2027, 6, 14, "12 июня (суббота)", "12 June (a Saturday)"),
        ],
    ),
}


def calendar_days(year: int) -> list[tuple[dt.date, str, str, str]]:
    """Every marked day of a shipped year: the public holidays and the moved days."""
    _act, moved = CALENDARS[year]
    holidays = [
        (dt.date(year, month, day), DayKind.HOLIDAY, name, name_en)
        for month, day, name, name_en in PUBLIC_HOLIDAYS
    ]
    return sorted(holidays + moved)
