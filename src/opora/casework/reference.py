"""Reference data of casework every installation needs: the grounds of 442-FZ art. 15 and the
Barthel index of activities of daily living with the care levels it proposes.

Loaded by the data migration 0002 and, in a database flushed by tests, by ``ensure_reference``;
administrators change or add grounds and scales (a region's own scale) in the admin site."""

from __future__ import annotations

from typing import Any

ART_15 = "442-ФЗ, ст. 15 ч. 1 / 442-FZ art. 15(1)"

GROUNDS = [
    # code, name, name in English
    (
        "self-care-loss",
        "Полная или частичная утрата способности либо возможности осуществлять "
        "самообслуживание, самостоятельно передвигаться, обеспечивать основные жизненные "
        "потребности в силу заболевания, травмы, возраста или наличия инвалидности",
        "Full or partial loss of the ability to care for oneself, to move or to meet basic "
        "needs because of illness, injury, age or disability",
    ),
    (
        "disabled-family-member",
        "Наличие в семье инвалида или инвалидов, в том числе ребенка-инвалида или детей-"
        "инвалидов, нуждающихся в постоянном постороннем уходе",
        "A disabled family member, a disabled child included, who needs constant care",
    ),
    (
        "child-adaptation",
        "Наличие ребенка или детей, испытывающих трудности в социальной адаптации",
        "A child or children with difficulties of social adaptation",
    ),
    (
        "no-care-possible",
        "Отсутствие возможности обеспечения ухода (в том числе временного) за инвалидом, "
        "ребенком, детьми, а также отсутствие попечения над ними",
        "No possibility of care (temporary care included) for a disabled person or a child",
    ),
    (
        "family-violence",
        "Наличие внутрисемейного конфликта, в том числе с лицами с наркотической или "
        "алкогольной зависимостью, игровой зависимостью, психическими расстройствами, "
        "наличие насилия в семье",
        "Conflict or violence in the family, addiction, gambling or a mental disorder included",
    ),
    (
        "no-fixed-residence",
        "Отсутствие определенного места жительства, в том числе у лица, не достигшего "
        "возраста двадцати трех лет и завершившего пребывание в организации для детей-сирот",
        "No fixed place of residence, a care leaver under twenty-three included",
    ),
    (
        "no-work-no-means",
        "Отсутствие работы и средств к существованию",
        "No work and no means of living",
    ),
    (
        "regional",
        "Иные обстоятельства, признанные ухудшающими или способными ухудшить условия "
        "жизнедеятельности (установлены субъектом Российской Федерации)",
        "Other circumstances that worsen or may worsen living conditions (set by the region)",
    ),
]

BARTHEL = {
    "code": "barthel",
    "name": "Индекс Бартел (активность в повседневной жизни)",
    "name_en": "Barthel index of activities of daily living",
    "description": "10 видов повседневной активности, от 0 (полная зависимость) до 100 баллов "
    "(независимость).",
}

# code, name, name in English, [(points, label, label in English), ...]
BARTHEL_ITEMS = [
    (
        "feeding",
        "Приём пищи",
        "Feeding",
        [
            (0, "не в состоянии самостоятельно", "unable"),
            (5, "нуждается в помощи", "needs help"),
            (10, "самостоятельно", "independent"),
        ],
    ),
    (
        "bathing",
        "Приём ванны",
        "Bathing",
        [(0, "нуждается в помощи", "dependent"), (5, "самостоятельно", "independent")],
    ),
    (
        "grooming",
        "Личная гигиена",
        "Grooming",
        [(0, "нуждается в помощи", "needs help"), (5, "самостоятельно", "independent")],
    ),
    (
        "dressing",
        "Одевание",
        "Dressing",
        [
            (0, "не в состоянии самостоятельно", "dependent"),
            (5, "нуждается в помощи", "needs help"),
            (10, "самостоятельно", "independent"),
        ],
    ),
    (
        "bowels",
        "Контроль дефекации",
        "Bowels",
        [
            (0, "недержание", "incontinent"),
            (5, "случайные инциденты", "occasional accident"),
            (10, "полный контроль", "continent"),
        ],
    ),
    (
        "bladder",
        "Контроль мочеиспускания",
        "Bladder",
        [
            (0, "недержание", "incontinent"),
            (5, "случайные инциденты", "occasional accident"),
            (10, "полный контроль", "continent"),
        ],
    ),
    (
        "toilet",
        "Пользование туалетом",
        "Toilet use",
        [
            (0, "зависим от помощи", "dependent"),
            (5, "нуждается в некоторой помощи", "needs some help"),
            (10, "самостоятельно", "independent"),
        ],
    ),
    (
        "transfers",
        "Перемещение с кровати на стул",
        "Transfers (bed to chair and back)",
        [
            (0, "не в состоянии", "unable"),
            (5, "нуждается в значительной помощи", "major help"),
            (10, "нуждается в небольшой помощи", "minor help"),
            (15, "самостоятельно", "independent"),
        ],
    ),
    (
        "mobility",
        "Передвижение",
        "Mobility on level surfaces",
        [
            (0, "не в состоянии", "immobile"),
            (5, "с помощью инвалидного кресла", "wheelchair independent"),
            (10, "с помощью другого человека", "walks with help of one person"),
            (15, "самостоятельно", "independent"),
        ],
    ),
    (
        "stairs",
        "Подъём по лестнице",
        "Stairs",
        [
            (0, "не в состоянии", "unable"),
            (5, "нуждается в помощи", "needs help"),
            (10, "самостоятельно", "independent"),
        ],
    ),
]

# code, name, name in English, lowest, highest, proposed form, home visits a week
BARTHEL_LEVELS = [
    ("total", "Полная зависимость", "Total dependency", 0, 20, "residential", 0),
    ("severe", "Выраженная зависимость", "Severe dependency", 21, 60, "home", 5),
    ("moderate", "Умеренная зависимость", "Moderate dependency", 61, 90, "home", 3),
    ("slight", "Лёгкая зависимость", "Slight dependency", 91, 99, "home", 2),
    ("independent", "Независимость", "Independent", 100, 100, "semi_residential", 0),
]


def load_reference(ground_model: Any, scale_model: Any, item_model: Any, level_model: Any) -> None:
    """Create what is missing; keep what administrators changed."""
    for order, (code, name, name_en) in enumerate(GROUNDS, start=1):
        ground_model.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "basis": ART_15, "order": order}
        )
    scale, created = scale_model.objects.get_or_create(
        code=BARTHEL["code"], defaults={k: v for k, v in BARTHEL.items() if k != "code"}
    )
    if not created:
        return
    for order, (code, name, name_en, options) in enumerate(BARTHEL_ITEMS, start=1):
        item_model.objects.create(
            scale=scale,
            code=code,
            name=name,
            name_en=name_en,
            order=order,
            options=[{"points": p, "label": ru, "label_en": en} for p, ru, en in options],
        )
    for code, name, name_en, low, high, form, visits in BARTHEL_LEVELS:
        level_model.objects.create(
            scale=scale,
            code=code,
            name=name,
            name_en=name_en,
            min_score=low,
            max_score=high,
            proposed_form=form,
            visits_per_week=visits,
        )


def ensure_reference() -> None:
    from .models import ApplicationGround, AssessmentScale, CareLevel, ScaleItem

    load_reference(ApplicationGround, AssessmentScale, ScaleItem, CareLevel)
