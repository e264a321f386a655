"""The demo's targeted social assistance: the measures a Moscow-like department runs, the city's
pensioner standard, the goods handed out in kind, and the applications told about them.

The seeds give none of the figures here: every amount, threshold, term and the standard itself
is an example, loaded with ``is_example`` and an ``example_note`` saying what is made up. The
legal basis names the federal law only (178-FZ), never a city act the seeds do not quote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from opora.rules.catalog import CITY_PENSIONER_STANDARD

LEGAL_BASIS = "178-ФЗ «О государственной социальной помощи»; пример для демонстрации"
DECISION_WORKING_DAYS = 10  # 178-FZ art. 9: ten days to decide (here counted in working days)

# The city's standard of a non-working pensioner's income, roubles a month: (valid from, value).
# The synthetic population's incomes already carry a city top-up to 25 000 ₽ (the generator's
# example, ``population.people.CITY_SOCIAL_STANDARD``); the demo's 2026 standard is higher, so a
# pensioner applying now is topped up by the difference.
CITY_STANDARD_NOTE = "Пример для демонстрации: величина стандарта придумана / example for the demo"
CITY_STANDARD = (
    (dt.date(2025, 1, 1), Decimal("25000.00")),
    (dt.date(2026, 1, 1), Decimal("26000.00")),
)


@dataclass(frozen=True)
class MeasureFact:
    """A measure and its first (published) version; ``draft`` changes some fields of it in a
    second version left as a draft, valid from the next 1 January."""

    code: str
    name: str
    name_en: str
    kind: str
    beneficiary: str
    description: str
    description_en: str
    eligibility: dict
    amount: dict | None
    periodicity: str
    documents: tuple[str, ...]
    example_note: str
    term_months: int | None = None
    review_months: int | None = None
    amount_ceiling: Decimal | None = None
    draft: dict[str, Any] = field(default_factory=dict)
    draft_note: str = ""


CHILD_BENEFIT = "child-benefit-low-income"
PENSION_TOP_UP = "pension-top-up-city-standard"
ONE_TIME_HELP = "one-time-help-difficult-situation"
SOCIAL_CONTRACT = "social-contract"
FOOD_SETS = "food-sets"

_INCOME = {
    "id": "income",
    "clause": "income",
    "months": 3,
    "below": {"minimum": "members", "times": "1.0"},
    "missing_months": "zero",
}
_RESIDENCE = {"id": "residence", "clause": "residence"}

MEASURES = (
    MeasureFact(
        code=CHILD_BENEFIT,
        name="Ежемесячное пособие на ребёнка малообеспеченной семье",
        name_en="Monthly benefit for a child of a low-income family",
        kind="cash_benefit",
        beneficiary="household",
        description="Семьям с детьми до 18 лет, среднедушевой доход которых ниже прожиточного "
        "минимума, на каждого ребёнка ежемесячно.",
        description_en="For families with children under 18 whose income per member is below "
        "the subsistence minimum, monthly for each child.",
        eligibility={
            "all": [
                {"id": "children", "clause": "children", "under_age": 18, "at_least": 1},
                _INCOME,
                _RESIDENCE,
            ]
        },
        amount={"per_child": {"minimum": "child", "times": "0.5"}, "under_age": 18},
        periodicity="monthly",
        term_months=12,
        documents=(
            "Паспорт заявителя",
            "Свидетельства о рождении детей",
            "Сведения о доходах членов семьи за три месяца",
        ),
        example_note="Размер (половина прожиточного минимума ребёнка на каждого ребёнка), порог "
        "дохода и срок назначения — примеры для демонстрации / The amount (half the child "
        "minimum per child), the income threshold and the term are examples for the demo.",
        draft={
            "eligibility": {
                "all": [
                    {"id": "children", "clause": "children", "under_age": 18, "at_least": 1},
                    {**_INCOME, "below": {"minimum": "members", "times": "1.1"}},
                    _RESIDENCE,
                ]
            },
        },
        draft_note="Проект: порог дохода 1,1 прожиточного минимума вместо 1,0 (пример).",
    ),
    MeasureFact(
        code=PENSION_TOP_UP,
        name="Региональная социальная доплата к пенсии до городского социального стандарта",
        name_en="Regional top-up of a pension to the city's social standard",
        kind="monthly_payment",
        beneficiary="person",
        description="Пенсионерам, зарегистрированным в Москве не менее 10 лет: "
        "доплата собственного дохода до городского социального стандарта.",
        description_en="For pensioners registered in Moscow for 10 years or more: their own "
        "income topped up to the city's social standard.",
        eligibility={
            "all": [
                {
                    "any": [
                        {"id": "pensioner", "clause": "category", "code": "pensioner"},
                        {
                            "all": [
                                {"id": "man", "clause": "sex", "is": "M"},
                                {"id": "age-men", "clause": "age", "at_least": 65},
                            ]
                        },
                        {
                            "all": [
                                {"id": "woman", "clause": "sex", "is": "F"},
                                {"id": "age-women", "clause": "age", "at_least": 60},
                            ]
                        },
                    ]
                },
                {**_RESIDENCE, "years": 10},
            ]
        },
        amount={"top_up": {"to": {"rule": CITY_PENSIONER_STANDARD}, "income": "own", "months": 3}},
        periodicity="monthly",
        review_months=12,
        documents=("Паспорт", "Пенсионное удостоверение или сведения СФР", "Сведения о доходах"),
        example_note="Стандарт (правило city_pensioner_income_standard), срок регистрации 10 лет "
        "и пересмотр раз в год — примеры для демонстрации / The standard, the ten years of "
        "registration and the yearly review are examples for the demo.",
    ),
    MeasureFact(
        code=ONE_TIME_HELP,
        name="Единовременная материальная помощь в трудной жизненной ситуации",
        name_en="One-time payment in a difficult life situation",
        kind="one_time_payment",
        beneficiary="person",
        description="Гражданам с доходом ниже прожиточного минимума, оказавшимся в трудной "
        "жизненной ситуации (пожар, утрата имущества, тяжёлая болезнь).",
        description_en="For people with an income below the subsistence minimum in a difficult "
        "life situation (a fire, a loss of property, a grave illness).",
        eligibility={"all": [_INCOME, _RESIDENCE]},
        amount={"fixed": "15000.00"},
        periodicity="one_time",
        documents=(
            "Паспорт",
            "Документы, подтверждающие трудную жизненную ситуацию",
            "Сведения о доходах за три месяца",
        ),
        example_note="Сумма 15 000 ₽ и порог дохода — примеры для демонстрации / The sum of "
        "15 000 roubles and the income threshold are examples for the demo.",
    ),
    MeasureFact(
        code=SOCIAL_CONTRACT,
        name="Государственная социальная помощь на основании социального контракта",
        name_en="State social assistance under a social contract",
        kind="social_contract",
        beneficiary="household",
        description="Малоимущим семьям: поиск работы, собственное дело, личное подсобное "
        "хозяйство или выход из трудной ситуации по программе социальной адаптации.",
        description_en="For low-income households: a job search, an own business, a smallholding "
        "or overcoming a difficult situation under an adaptation plan.",
        eligibility={"all": [_INCOME, _RESIDENCE]},
        amount={"fixed": "350000.00"},
        periodicity="one_time",
        term_months=12,
        amount_ceiling=Decimal("350000.00"),
        documents=(
            "Паспорт заявителя",
            "Сведения о доходах членов семьи за три месяца",
            "Бизнес-план (для собственного дела)",
        ),
        example_note="Сумма 350 000 ₽ на открытие собственного дела, срок 12 месяцев и порог "
        "дохода — примеры для демонстрации / 350 000 roubles for an own business, the twelve "
        "months and the income threshold are examples for the demo.",
    ),
    MeasureFact(
        code=FOOD_SETS,
        name="Продуктовые наборы",
        name_en="Food sets",
        kind="in_kind",
        beneficiary="person",
        description="Продуктовый набор раз в месяц малоимущим семьям и пенсионерам; выдаётся в "
        "центре социального обслуживания.",
        description_en="A food set once a month for low-income families and pensioners, handed "
        "out at the social service centre.",
        eligibility={
            "any": [
                {
                    "id": "low-income",
                    "clause": "category",
                    "code": "low-income",
                    "who": "any_member",
                },
                {"id": "pensioner", "clause": "category", "code": "pensioner"},
            ]
        },
        amount=None,
        periodicity="monthly",
        term_months=6,
        documents=("Паспорт", "Документ о статусе малоимущей семьи или пенсионера"),
        example_note="Срок назначения 6 месяцев и круг получателей — примеры для демонстрации / "
        "The six months and who receives the sets are examples for the demo.",
    ),
)

# What a refusal says, by measure and the clause that failed (the clause ids of the rules above).
_NO_INCOME = "Среднедушевой доход семьи за три месяца не ниже прожиточного минимума."
_NOT_REGISTERED = "Нет регистрации по месту жительства в городе Москве."
REFUSAL_REASONS: dict[str, dict[str, str]] = {
    CHILD_BENEFIT: {
        "children": "В семье нет детей в возрасте до 18 лет.",
        "income": _NO_INCOME,
        "residence": _NOT_REGISTERED,
    },
    PENSION_TOP_UP: {
        "pensioner": "Заявитель не является пенсионером и не достиг пенсионного возраста.",
        "residence": "Регистрация по месту жительства в городе Москве менее 10 лет.",
    },
    ONE_TIME_HELP: {"income": _NO_INCOME, "residence": _NOT_REGISTERED},
    SOCIAL_CONTRACT: {"income": _NO_INCOME, "residence": _NOT_REGISTERED},
    FOOD_SETS: {
        "low-income": "Семья заявителя не признана малоимущей, и заявитель не является "
        "пенсионером.",
    },
}

# Goods in kind: (code, name, name in English, unit); what the centres received: (institution,
# goods, quantity, days before the demo's day, note).
GOODS = (
    ("food-set", "Продуктовый набор", "Food set", "set"),
    ("clothing-set", "Комплект одежды", "Set of clothes", "set"),
)
STOCK = (
    ("tcso-tverskoy", "food-set", 60, 120, "Поставка по государственному контракту (пример)"),
    ("tcso-tverskoy", "clothing-set", 20, 120, "Благотворительное пожертвование (пример)"),
    ("tcso-maryino", "food-set", 40, 110, "Поставка по государственному контракту (пример)"),
)

# --- The applications ---------------------------------------------------------------------------

SUBMITTED, EVALUATED, ASSIGNED, REFUSED, WITHDRAWN = (
    "submitted",
    "evaluated",
    "assigned",
    "refused",
    "withdrawn",
)


@dataclass(frozen=True)
class Story:
    """One application: the measure, the centre, where it ends, and what follows.

    ``applied``: working days before the demo's day; ``decided``: working days after the
    application (the measures give 10, so more is late); ``then``: what happens to the
    assignment (suspended, terminated, recalculated, overpayment, contract, handouts)."""

    measure: str
    centre: str
    outcome: str
    applied: int = 0
    decided: int = 5
    overdue: bool = False
    due_today: bool = False
    then: str = ""
    prefer_failed: str = ""  # a refusal citing this clause, where someone fails it
    channel: str = "in_person"


TVERSKOY, MARYINO = "tcso-tverskoy", "tcso-maryino"

STORIES = (
    # The monthly benefit for children of low-income families.
    Story(CHILD_BENEFIT, TVERSKOY, ASSIGNED, applied=45, decided=6, channel="my_documents"),
    Story(CHILD_BENEFIT, TVERSKOY, ASSIGNED, applied=62, decided=8, then="recalculated"),
    Story(CHILD_BENEFIT, MARYINO, ASSIGNED, applied=50, decided=7, then="suspended"),
    Story(CHILD_BENEFIT, MARYINO, ASSIGNED, applied=40, decided=5, then="overpayment"),
    Story(CHILD_BENEFIT, TVERSKOY, REFUSED, applied=30, decided=7, prefer_failed="income"),
    Story(CHILD_BENEFIT, TVERSKOY, EVALUATED, applied=3, channel="portal"),
    Story(CHILD_BENEFIT, MARYINO, SUBMITTED, applied=16, overdue=True),
    Story(CHILD_BENEFIT, MARYINO, WITHDRAWN, applied=20, decided=4),
    # The pension top-up to the city standard.
    Story(PENSION_TOP_UP, TVERSKOY, ASSIGNED, applied=42, decided=12),  # decided late
    Story(PENSION_TOP_UP, TVERSKOY, ASSIGNED, applied=62, decided=5, then="terminated"),
    Story(PENSION_TOP_UP, MARYINO, ASSIGNED, applied=40, decided=6, channel="my_documents"),
    Story(PENSION_TOP_UP, MARYINO, REFUSED, applied=25, decided=8, prefer_failed="residence"),
    Story(PENSION_TOP_UP, TVERSKOY, SUBMITTED, due_today=True),
    Story(PENSION_TOP_UP, TVERSKOY, EVALUATED, applied=4),
    # The one-time payment in a difficult situation.
    Story(ONE_TIME_HELP, TVERSKOY, ASSIGNED, applied=35, decided=4),
    Story(ONE_TIME_HELP, MARYINO, ASSIGNED, applied=22, decided=6),
    Story(ONE_TIME_HELP, TVERSKOY, REFUSED, applied=28, decided=5, prefer_failed="income"),
    Story(ONE_TIME_HELP, MARYINO, SUBMITTED, applied=14, overdue=True, channel="phone"),
    Story(ONE_TIME_HELP, TVERSKOY, WITHDRAWN, applied=12, decided=2),
    Story(ONE_TIME_HELP, MARYINO, SUBMITTED, applied=2),
    # The social contract.
    Story(SOCIAL_CONTRACT, TVERSKOY, ASSIGNED, applied=62, decided=8, then="contract"),
    Story(SOCIAL_CONTRACT, MARYINO, REFUSED, applied=30, decided=9, prefer_failed="income"),
    Story(SOCIAL_CONTRACT, TVERSKOY, EVALUATED, applied=5),
    # Food sets.
    Story(FOOD_SETS, TVERSKOY, ASSIGNED, applied=44, decided=3, then="handouts"),
    Story(FOOD_SETS, TVERSKOY, ASSIGNED, applied=30, decided=3, then="handouts"),
    Story(FOOD_SETS, MARYINO, ASSIGNED, applied=40, decided=4, then="handouts"),
    Story(FOOD_SETS, MARYINO, REFUSED, applied=20, decided=3),
    Story(FOOD_SETS, TVERSKOY, SUBMITTED, applied=1),
)

WITHDRAWN_REASONS = (
    "Заявитель отозвал заявление: семья переезжает в другой регион.",
    "Заявитель отозвал заявление: трудная ситуация разрешилась, помощь не нужна.",
)
SUSPEND_REASON = "Не представлены сведения о доходах при плановой проверке."
TERMINATE_REASON = "Снятие с регистрационного учёта по месту жительства в городе Москве."
RECALCULATE_REASON = "Плановый пересмотр: доходы семьи за последние три месяца."
OVERPAYMENT_REASON = "При назначении не был заявлен доход от сдачи жилья в наём."

# The social contract on an own business: its plan (title, who, months after the contract is
# concluded; None: two weeks before it ends) and instalments (amount, the step each is tied to).
CONTRACT_KIND = "own_business"
CONTRACT_PLAN = (
    ("Пройти обучение основам предпринимательской деятельности", "recipient", 1),
    ("Зарегистрироваться в качестве индивидуального предпринимателя", "recipient", 3),
    ("Приобрести оборудование по бизнес-плану и отчитаться о расходах", "recipient", 5),
    ("Представить сведения о доходах от предпринимательской деятельности", "recipient", None),
)
CONTRACT_INSTALMENTS = (
    (Decimal("100000.00"), 0),
    (Decimal("150000.00"), 1),
    (Decimal("100000.00"), 2),
)
CONTRACT_DONE_NOTE = "Сертификат об окончании курса «Азбука предпринимателя»."
CONTRACT_VISIT = (
    "Обучение пройдено; подготовлен пакет документов для регистрации ИП, выбрано помещение "
    "для мастерской."
)

# The outreach worklist made from the run of the child benefit: how the centre's worker got on
# with the first tasks of her centre (status, note). The notes are examples.
OUTREACH_OUTCOMES = (
    ("contacted", "Позвонили, рассказали о пособии; семья соберёт справки о доходах (пример)."),
    ("applied", "Подали заявление через МФЦ после звонка центра (пример)."),
    ("declined", "Отказались: семья не хочет оформлять пособие (пример)."),
)
