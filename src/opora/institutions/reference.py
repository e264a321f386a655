"""Reference data every installation starts with: kinds of institution, accessibility features
and positions. A data migration loads them; administrators may add more in the admin site."""

from __future__ import annotations

from typing import Any

INSTITUTION_KINDS = [
    # code, name, name in English, position in lists
    ("governing-body", "Департамент, орган управления", "Department or governing body", 10),
    (
        "tcso",
        "Территориальный центр социального обслуживания (ТЦСО)",
        "Territorial social service centre",
        20,
    ),
    (
        "crisis-centre",
        "Кризисный центр помощи женщинам и детям",
        "Crisis centre for women and children",
        30,
    ),
    (
        "family-support-centre",
        "Центр поддержки семьи и детства",
        "Family and childhood support centre",
        31,
    ),
    (
        "family-upbringing-centre",
        "Центр содействия семейному воспитанию",
        "Centre for the promotion of family upbringing",
        32,
    ),
    (
        "social-rehabilitation-centre-minors",
        "Социально-реабилитационный центр для несовершеннолетних",
        "Social rehabilitation centre for minors",
        33,
    ),
    ("rehabilitation-centre", "Реабилитационный центр", "Rehabilitation centre", 40),
    (
        "rehabilitation-education-centre",
        "Реабилитационно-образовательный центр",
        "Rehabilitation and education centre",
        41,
    ),
    ("boarding-school", "Школа-интернат", "Boarding school", 42),
    (
        "psychoneurological-home",
        "Психоневрологический интернат",
        "Residential home (psycho-neurological)",
        50,
    ),
    (
        "gerontological-home",
        "Геронтологический центр, дом-интернат для пожилых",
        "Residential home (gerontological)",
        51,
    ),
    ("longevity-centre", "Центр «Московское долголетие»", "Social centre «Moscow Longevity»", 60),
    (
        "employment-department",
        "Отдел трудоустройства в центре госуслуг «Мои Документы»",
        "Employment department in a «My Documents» centre",
        70,
    ),
    ("flagship-employment-centre", "Флагманский центр занятости", "Flagship employment centre", 71),
    (
        "specialised-employment-centre",
        "Специализированный центр занятости",
        "Specialised employment centre",
        72,
    ),
    (
        "assistive-device-point",
        "Пункт выдачи технических средств реабилитации",
        "Assistive-device issuing point",
        80,
    ),
    ("partner-university", "Вуз-партнёр", "Partner university", 90),
    (
        "partner-institution",
        "Учреждение-партнёр (вне сети департамента)",
        "Partner institution (outside the department's network)",
        91,
    ),
]

ACCESSIBILITY_FEATURES = [
    # code, name, name in English
    ("step-free-entrance", "Вход без ступеней", "Step-free entrance"),
    ("ramp", "Пандус", "Ramp"),
    ("lift", "Лифт", "Lift"),
    ("wide-doors", "Широкие дверные проёмы", "Wide doorways"),
    ("tactile-signs", "Тактильные указатели", "Tactile signs"),
    ("braille", "Надписи шрифтом Брайля", "Braille labels"),
    ("induction-loop", "Индукционная петля", "Induction loop"),
    ("sign-language", "Услуги сурдопереводчика", "Sign-language interpreter"),
    ("accessible-toilet", "Доступный туалет", "Accessible toilet"),
    ("parking", "Парковка для людей с инвалидностью", "Accessible parking"),
]

POSITIONS = [
    # code, name, name in English, serves a caseload at home
    ("director", "Директор", "Director", False),
    ("deputy-director", "Заместитель директора", "Deputy director", False),
    ("head-of-department", "Заведующий отделением", "Head of department", False),
    ("social-worker", "Социальный работник", "Social worker (home care)", True),
    ("social-work-specialist", "Специалист по социальной работе", "Social work specialist", False),
    ("psychologist", "Психолог", "Psychologist", False),
    ("social-pedagogue", "Социальный педагог", "Social pedagogue", False),
    ("educator", "Воспитатель", "Educator", False),
    ("rehabilitation-specialist", "Специалист по реабилитации", "Rehabilitation specialist", False),
    ("exercise-instructor", "Инструктор-методист по ЛФК", "Exercise therapy instructor", False),
    ("nurse", "Медицинская сестра", "Nurse", False),
    ("lawyer", "Юрисконсульт", "Legal adviser", False),
    ("employment-specialist", "Специалист по трудоустройству", "Employment specialist", False),
    ("career-consultant", "Карьерный консультант", "Career consultant", False),
    (
        "cooperation-specialist",
        "Специалист по международному сотрудничеству",
        "International cooperation specialist",
        False,
    ),
    ("lecturer", "Преподаватель", "Lecturer", False),
    ("accountant", "Бухгалтер", "Accountant", False),
]


def load_reference_data(
    kind_model: Any, feature_model: Any, position_model: Any, *, replace: bool
) -> None:
    """Create the reference rows; ``replace`` also resets the names of existing ones (the data
    migration), otherwise they are left as administrators changed them (the demo, tests).

    Takes the model classes so the migration can pass its historical models."""
    rows: list[tuple[Any, list[dict[str, Any]]]] = [
        (
            kind_model,
            [
                {"code": c, "name": n, "name_en": e, "position": p}
                for c, n, e, p in INSTITUTION_KINDS
            ],
        ),
        (
            feature_model,
            [{"code": c, "name": n, "name_en": e} for c, n, e in ACCESSIBILITY_FEATURES],
        ),
        (
            position_model,
            [{"code": c, "name": n, "name_en": e, "has_caseload": h} for c, n, e, h in POSITIONS],
        ),
    ]
    for model, values in rows:
        for fields in values:
            code = fields.pop("code")
            if replace:
                model.objects.update_or_create(code=code, defaults=fields)
            else:
                model.objects.get_or_create(code=code, defaults=fields)


def ensure_reference_data() -> None:
    """The reference rows, created again where missing (a database flushed by a transactional
    test has none). Reference data: no audit entries, as for the registry's kinds."""
    from django.db import transaction

    from .models import AccessibilityFeature, InstitutionKind, Position

    with transaction.atomic():
        load_reference_data(InstitutionKind, AccessibilityFeature, Position, replace=False)
