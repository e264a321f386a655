"""Reference data the registry needs in every installation: kinds of identity document and the
categories of domain.md §3. Loaded by a data migration; administrators may add more."""

DOCUMENT_KINDS = [
    # code, name, name_en, series pattern, number pattern
    ("passport-rf", "Паспорт гражданина РФ", "Russian passport", r"\d{4}", r"\d{6}"),
    (
        "birth-certificate",
        "Свидетельство о рождении",
        "Birth certificate",
        r"[IVXLC]{1,4}-[А-ЯЁ]{2}",
        r"\d{6}",
    ),
    (
        "foreign-passport-rf",
        "Заграничный паспорт гражданина РФ",
        "Russian travel passport",
        r"\d{2}",
        r"\d{7}",
    ),
    (
        "foreign-id",
        "Документ иностранного гражданина",
        "Foreign citizen's identity document",
        "",
        r"[0-9A-Za-zА-Яа-я\-]{3,20}",
    ),
    ("residence-permit", "Вид на жительство", "Residence permit", r"\d{2}", r"\d{7}"),
]

CATEGORY_KINDS = [
    # code, name, name_en, household level, review days
    ("pensioner", "Пенсионер", "Pensioner", False, 30),
    ("pre-retirement", "Лицо предпенсионного возраста", "Pre-retirement age", False, 30),
    ("disability-1", "Инвалид I группы", "Disability group I", False, 60),
    ("disability-2", "Инвалид II группы", "Disability group II", False, 60),
    ("disability-3", "Инвалид III группы", "Disability group III", False, 60),
    ("disabled-child", "Ребёнок-инвалид", "Disabled child", False, 60),
    (
        "limited-health",
        "Лицо с ограниченными возможностями здоровья",
        "Person with limited health capacities",
        False,
        60,
    ),
    ("veteran", "Ветеран", "Veteran", False, 30),
    ("large-family", "Многодетная семья", "Large family", True, 60),
    (
        "parental-leave",
        "Родитель в отпуске по беременности и родам или по уходу за ребёнком",
        "Parent on maternity or childcare leave",
        False,
        30,
    ),
    (
        "orphan",
        "Ребёнок-сирота или ребёнок, оставшийся без попечения родителей",
        "Orphan or child left without parental care",
        False,
        60,
    ),
    (
        "difficult-situation",
        "Семья в трудной жизненной ситуации",
        "Family in a difficult life situation",
        True,
        30,
    ),
    (
        "low-income",
        "Малоимущая семья (одиноко проживающий гражданин)",
        "Low-income family or person living alone",
        True,
        30,
    ),
    (
        "needs-home-care",
        "Нетрудоспособный гражданин, нуждающийся в помощи на дому",
        "Person unable to work needing help at home",
        False,
        60,
    ),
    (
        "young-jobseeker",
        "Молодой человек от 14 лет, ищущий работу",
        "Young person (from 14) seeking work",
        False,
        30,
    ),
    # Free social services whatever the income (442-FZ art. 31 part 1; rules.FreeGround).
    (
        "emergency-victim",
        "Лицо, пострадавшее в результате чрезвычайной ситуации",
        "Person affected by an emergency",
        False,
        60,
    ),
    (
        "armed-conflict-victim",
        "Лицо, пострадавшее в результате вооружённого межнационального (межэтнического) конфликта",
        "Person affected by an armed inter-ethnic conflict",
        False,
        60,
    ),
]


def ensure_reference_data() -> None:
    """The kinds of document and category that the registry's data migration loads, created
    again where missing (a database flushed by a transactional test has none); existing ones are
    left as administrators changed them. Reference data: no audit entries, as for the
    institutions' kinds (``institutions.reference.ensure_reference_data``)."""
    from django.db import transaction

    from .models import CategoryKind, DocumentKind

    with transaction.atomic():
        for code, name, name_en, series, number in DOCUMENT_KINDS:
            DocumentKind.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "series_pattern": series,
                    "number_pattern": number,
                },
            )
        for code, name, name_en, household_level, review_days in CATEGORY_KINDS:
            CategoryKind.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "household_level": household_level,
                    "review_days": review_days,
                },
            )
