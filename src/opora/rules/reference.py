"""The figures the demo loads into the rules in force, with where each comes from.

The 442-FZ figures and the production calendars are the law as published, so they are not
marked as examples; the regional subsistence minimums are illustrative and are.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from opora.institutions.models import ServiceForm

from .catalog import (
    FEE_CAP_SHARE,
    FREE_THRESHOLD_MULTIPLIER,
    NEED_DECISION_DAYS,
    PROGRAMME_DAYS,
    PROGRAMME_REVIEW_YEARS,
)
from .models import DayKind

LAW_442_IN_FORCE = dt.date(2015, 1, 1)
BASIS_442 = "Федеральный закон от 28.12.2013 № 442-ФЗ"

# (code, service form, value, basis)
RULE_VALUES = [
    (FREE_THRESHOLD_MULTIPLIER, "", Decimal("1.5"), f"{BASIS_442}, ст. 31 ч. 5"),
    (FEE_CAP_SHARE, ServiceForm.HOME, Decimal("0.5"), f"{BASIS_442}, ст. 32 ч. 4"),
    (FEE_CAP_SHARE, ServiceForm.SEMI_RESIDENTIAL, Decimal("0.5"), f"{BASIS_442}, ст. 32 ч. 4"),
    (FEE_CAP_SHARE, ServiceForm.RESIDENTIAL, Decimal("0.75"), f"{BASIS_442}, ст. 32 ч. 5"),
    (NEED_DECISION_DAYS, "", Decimal(5), f"{BASIS_442}, ст. 15 ч. 3"),
    (PROGRAMME_DAYS, "", Decimal(10), f"{BASIS_442}, ст. 16 ч. 3"),
    (PROGRAMME_REVIEW_YEARS, "", Decimal(3), f"{BASIS_442}, ст. 16 ч. 5"),
]

# The regions the seeds name: Moscow (the department's own), the Lugansk People's Republic
# (seed 001) and the Smolensk region (seed 003). (code, name, English name, is the home region)
REGIONS = [
    ("moscow", "Москва", "Moscow", True),
    ("lugansk-pr", "Луганская Народная Республика", "Lugansk People's Republic", False),
    ("smolensk-oblast", "Смоленская область", "Smolensk Region", False),
]

EXAMPLE_BASIS = "Пример для демонстрации / example for the demo"
# region code → [(valid from, per capita, working-age, pensioners, children)], roubles a month.
SUBSISTENCE_MINIMUMS = {
    "moscow": [
        (dt.date(2025, 1, 1), "24801", "27693", "18400", "19786"),
        (dt.date(2026, 1, 1), "26463", "29548", "19633", "21112"),
    ],
    "lugansk-pr": [
        (dt.date(2025, 1, 1), "15823", "17247", "13609", "15350"),
        (dt.date(2026, 1, 1), "16883", "18403", "14521", "16378"),
    ],
    "smolensk-oblast": [
        (dt.date(2025, 1, 1), "16960", "18486", "14586", "16452"),
        (dt.date(2026, 1, 1), "18096", "19725", "15563", "17554"),
    ],
}

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
