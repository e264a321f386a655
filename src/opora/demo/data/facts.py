"""Facts taken from the five source documents (../shared/seeds), with the seed each comes from.

Apps' demo steps read these so the demo shows the real partners, institutions, events and figures.
"""

from typing import Any

DEPARTMENT: dict[str, Any] = {
    "code": "dtszn-moscow",
    "name": "Департамент труда и социальной защиты населения города Москвы",
    "name_en": "Moscow Department of Labour and Social Protection",
    "short_name": "ДТСЗН",
    "kind": "governing-body",
    "website": "https://www.mos.ru/dszn/",
    "seed": "000, 001, 004",
    "seed_words": "Департамента труда и социальной защиты населения города Москвы",
}

# The districts the institutions below stand in are in ``opora.demo.population.DISTRICTS``,
# the one list of Moscow's districts the demo uses.

# Institutions named in the seeds (domain.md §4); Moscow unless said. ``parent`` is the code of
# the governing body, ``district`` the code of a district above; an address only where the seed
# gives one. ``status`` is open unless said.
#
# ``seed_words``: the words of the seed that name the institution, exactly as the seed has them
# (inflected); the name is a fact. ``example``: what of the institution the demo made up (a name
# the seed does not give, a district): the institution is marked as an example in the data and
# its page shows it (``core.models.ExampleMark``). An institution has one or the other for its
# name, and tests/demo/test_facts.py holds them to it.
INSTITUTIONS: list[dict[str, Any]] = [
    DEPARTMENT,
    {
        "code": "crisis-centre-women-children",
        "name": "Кризисный центр помощи женщинам и детям",
        "name_en": "Crisis Centre for Women and Children",
        "kind": "crisis-centre",
        "parent": "dtszn-moscow",
        "seed": "000",
        "seed_words": "Кризисного центра помощи женщинам и детям",
    },
    {
        "code": "family-childhood-resource-centre",
        "name": "Ресурсный центр поддержки семьи и детства",
        "name_en": "Resource Centre for Family and Childhood Support",
        "kind": "family-support-centre",
        "parent": "dtszn-moscow",
        "seed": "000",
        "seed_words": "Ресурсного центра поддержки семьи и детства",
    },
    {
        "code": "family-upbringing-centre-1",
        "name": "Центр содействия семейному воспитанию «Берег»",
        "name_en": "Centre for the Promotion of Family Upbringing «Bereg»",
        "kind": "family-upbringing-centre",
        "parent": "dtszn-moscow",
        "seed": "001 (centres for the promotion of family upbringing, not named)",
        "example": "Название «Берег» — пример: источник 001 упоминает центры содействия "
        "семейному воспитанию без названий",
    },
    {
        "code": "family-upbringing-centre-2",
        "name": "Центр содействия семейному воспитанию «Юнона»",
        "name_en": "Centre for the Promotion of Family Upbringing «Yunona»",
        "kind": "family-upbringing-centre",
        "parent": "dtszn-moscow",
        "seed": "001 (centres for the promotion of family upbringing, not named)",
        "example": "Название «Юнона» — пример: источник 001 упоминает центры содействия "
        "семейному воспитанию без названий",
    },
    {
        "code": "boarding-school-blind-1",
        "name": "Школа-интернат № 1 для обучения и реабилитации слепых",
        "name_en": "Boarding School No. 1 for the Education and Rehabilitation of the Blind",
        "kind": "boarding-school",
        "parent": "dtszn-moscow",
        "seed": "001",
        "seed_words": "школу-интернат № 1 для обучения и реабилитации слепых",
    },
    {
        "code": "complex-rehabilitation-educational-centre",
        "name": "Комплексный реабилитационно-образовательный центр",
        "name_en": "Complex Rehabilitation and Educational Centre",
        "kind": "rehabilitation-education-centre",
        "parent": "dtszn-moscow",
        "seed": "001",
        "seed_words": "Комплексный реабилитационно-образовательный центр",
    },
    {
        "code": "moscow-city-rehabilitation-centre",
        "name": "Московский городской центр реабилитации",
        "name_en": "Moscow City Rehabilitation Centre",
        "kind": "rehabilitation-centre",
        "parent": "dtszn-moscow",
        "seed": "001",
        "seed_words": "Московский городской центр реабилитации",
    },
    {
        "code": "rehabilitation-education-centre-7",
        "name": "Центр реабилитации и образования № 7",
        "name_en": "Centre for Rehabilitation and Education No. 7",
        "kind": "rehabilitation-education-centre",
        "parent": "dtszn-moscow",
        "seed": "001",
        "seed_words": "центр реабилитации и образования № 7",
    },
    {
        "code": "tcso-tverskoy",
        "name": "ТЦСО «Тверской» — «Мой социальный центр»",
        "name_en": "Territorial Social Service Centre «Tverskoy» (My Social Centre)",
        "short_name": "ТЦСО «Тверской»",
        "kind": "tcso",
        "parent": "dtszn-moscow",
        "district": "tverskoy",
        "seed": "004 (TCSO, «My Social Centre»; not named)",
        "example": "Название и район — пример: источник 004 говорит о ТЦСО («Мой социальный "
        "центр») без названий и адресов",
    },
    {
        "code": "tcso-maryino",
        "name": "ТЦСО «Марьино» — «Мой социальный центр»",
        "name_en": "Territorial Social Service Centre «Maryino» (My Social Centre)",
        "short_name": "ТЦСО «Марьино»",
        "kind": "tcso",
        "parent": "dtszn-moscow",
        "district": "maryino",
        "seed": "004 (TCSO, «My Social Centre»; not named)",
        "example": "Название и район — пример: источник 004 говорит о ТЦСО («Мой социальный "
        "центр») без названий и адресов",
    },
    {
        "code": "moscow-longevity-tverskoy",
        "name": "Центр «Московское долголетие» при ТЦСО «Тверской»",
        "name_en": "«Moscow Longevity» centre at the TCSO «Tverskoy»",
        "short_name": "«Московское долголетие»",
        "kind": "longevity-centre",
        "parent": "tcso-tverskoy",
        "district": "tverskoy",
        "seed": "004 (the project runs since March 2018; its centres are not named)",
        "example": "Центр и его название — пример: источник 004 описывает проект «Московское "
        "долголетие» (с марта 2018 года), а не его центры",
    },
    {
        "code": "my-work-flagship",
        "name": "Флагманский центр «Моя работа»",
        "name_en": "Flagship centre «My Work»",
        "kind": "flagship-employment-centre",
        "parent": "dtszn-moscow",
        "seed": "004 (opened in April; three more flagships by the end of the year)",
        "seed_words": "флагманский центр «Моя работа»",
    },
    {
        "code": "my-career-centre",
        "name": "Центр «Моя карьера»",
        "name_en": "Centre «My Career»",
        "kind": "specialised-employment-centre",
        "parent": "dtszn-moscow",
        "seed": "004 (opened on 13 June)",
        "seed_words": "центр «Моя карьера»",
    },
    {
        "code": "employment-dept-my-documents-tverskoy",
        "name": "Отдел трудоустройства в центре госуслуг «Мои Документы» района Тверской",
        "name_en": "Employment department at the «My Documents» centre, Tverskoy district",
        "kind": "employment-department",
        "parent": "dtszn-moscow",
        "district": "tverskoy",
        "seed": "004 (46 departments moved into «My Documents»; not named)",
        "example": "Район и название — пример: источник 004 называет 46 отделов трудоустройства "
        "в центрах «Мои Документы», но не их районы",
    },
    {
        # Seed 004: «Московского государственного педагогического университета» — МПГУ, not the
        # city pedagogical university (МГПУ).
        "code": "mpgu",
        "name": "Московский государственный педагогический университет",
        "name_en": "Moscow State Pedagogical University",
        "short_name": "МПГУ",
        "kind": "partner-university",
        "website": "https://mpgu.su/",
        "seed": "004 (Silver University partner)",
        "seed_words": "Московского государственного педагогического университета",
    },
    {
        "code": "mguu",
        "name": "Московский городской университет управления Правительства Москвы",
        "name_en": "Moscow City University of Management of the Moscow Government",
        "kind": "partner-university",
        "website": "https://mguu.ru/",
        "seed": "004 (Silver University partner)",
        "seed_words": "Московского городского университета управления правительства Москвы",
    },
    {
        "code": "lugansk-republican-hospital-1",
        "name": "Республиканская больница № 1, Луганск",
        "name_en": "Republican Hospital No. 1, Lugansk",
        "kind": "partner-institution",
        "address": "г. Луганск",
        "seed": "001",
        "seed_words": "республиканской больнице № 1 города Луганска",
    },
    {
        "code": "lugansk-hospital-1-issuing-point",
        "name": (
            "Пункт выдачи технических средств реабилитации"
            " при Республиканской больнице № 1, Луганск"
        ),
        "name_en": (
            "Assistive device issuing point at Republican Hospital No. 1, Lugansk (proposed)"
        ),
        "kind": "assistive-device-point",
        "address": "г. Луганск, Республиканская больница № 1",
        "status": "planned",
        "seed": "001 (proposed)",
        "seed_words": (
            "пункт выдачи технических средств реабилитации",
            "республиканской больнице № 1 города Луганска",
        ),
    },
    {
        "code": "lugansk-nezabudka",
        "name": "Луганское детское учреждение санаторного типа «Незабудка»",
        "name_en": "Lugansk sanatorium-type children's institution «Nezabudka»",
        "kind": "partner-institution",
        "address": "г. Луганск",
        "seed": "001 (its director, Alexander Shabanov, is quoted)",
        "seed_words": "Луганского детского учреждения санаторного типа «Незабудка»",
    },
]

# One demo account per role: (username, role, institution code or None).
DEMO_ACCOUNTS = [
    ("admin", "administrator", None),
    ("analyst", "analyst", None),
    ("manager", "institution_manager", "crisis-centre-women-children"),
    ("worker", "social_worker", "tcso-tverskoy"),
    ("employment", "employment_specialist", "my-work-flagship"),
    ("cooperation", "cooperation_officer", "dtszn-moscow"),
    # The payroll's maker and checker: one generates it, the other approves it.
    ("accountant", "accountant", None),
    ("accountant2", "accountant", None),
]
# Accounts whose person the demo names, because the demo's records say who did something (the
# cooperation officer resolves the discrepancy of the Helsinki letter): username → (last name,
# first name, patronymic). A demo person, like every account above.
DEMO_ACCOUNT_NAMES: dict[str, tuple[str, str, str]] = {
    "cooperation": ("Соколова", "Марина", "Андреевна")
}
# Shown by `opora demo`; a demo database is for trying Opora, never for real data.
DEMO_PASSWORD = "opora-demo-2026"  # noqa: S105 - printed to whoever runs the demo


# =================================================================================================
# Cooperation (issue 6): partners, people, agreements, events, letters, needs and aid of the seeds.
# Per-language content is a dict {language: text}; Russian is always given (the fallback).
# Where a seed does not give a day, the fact says which day stands for it and why.
# Our own people are not partner people: they appear as names (signers, participants, addressees).
# =================================================================================================

OUR_MINISTER_2017_2019 = (
    "Петросян Владимир Аршакович, Министр Правительства Москвы, руководитель Департамента труда "
    "и социальной защиты населения города Москвы"
)  # seeds 000, 002, 004
OUR_MINISTER_2022 = (
    "Стружак Евгений, Министр Правительства Москвы, руководитель Департамента труда и социальной "
    "защиты населения города Москвы"
)  # seed 001 (28 November 2022)

COOPERATION_PARTNERS: list[dict[str, Any]] = [
    {
        "code": "helsinki",
        "kind": "city",
        "name": {
            "ru": "Город Хельсинки",
            "en": "City of Helsinki",
            "fi": "Helsingin kaupunki",
            "de": "Stadt Helsinki",
        },
        "short_name": {"ru": "Хельсинки", "en": "Helsinki", "fi": "Helsinki", "de": "Helsinki"},
        "country": "FI",
        "city": {"ru": "Хельсинки", "en": "Helsinki", "fi": "Helsinki", "de": "Helsinki"},
        "languages": ["fi", "sv", "en"],
        "website": "https://www.hel.fi/",
        "notes": "Seed 000: the letter of 12.07.2019 from the Deputy Mayor.",
    },
    {
        "code": "berlin-senate-social",
        "kind": "state_body",
        "name": {
            "ru": "Сенатская администрация Берлина по вопросам интеграции, труда и "
            "социальной сферы",
            "en": "Berlin Senate Department for Integration, Labour and Social Affairs",
            "de": "Senatsverwaltung für Integration, Arbeit und Soziales",
        },
        "short_name": {
            "ru": "Сенатская социальная администрация Берлина",
            "en": "Berlin Senate social administration",
            "de": "Berliner Sozialverwaltung",
        },
        "country": "DE",
        "city": {"ru": "Берлин", "en": "Berlin", "fi": "Berliini", "de": "Berlin"},
        "languages": ["de"],
        "website": "https://www.berlin.de/sen/soziales/",
        "notes": "Seed 002: the Berlin social administration, partner of the Moscow Department.",
    },
    {
        "code": "berlin-lageso",
        "kind": "agency",
        "parent": "berlin-senate-social",
        "name": {
            "ru": "Земельное ведомство здравоохранения и социальных вопросов Берлина",
            "en": "Berlin State Office for Health and Social Affairs",
            "de": "Landesamt für Gesundheit und Soziales",
        },
        "short_name": {"ru": "LAGeSo", "en": "LAGeSo", "de": "LAGeSo"},
        "country": "DE",
        "city": {"ru": "Берлин", "en": "Berlin", "fi": "Berliini", "de": "Berlin"},
        "languages": ["de"],
        "website": "https://www.berlin.de/lageso/",
        "notes": "Seed 002: co-organiser of the 18th social seminar with the Moscow Department.",
    },
    {
        "code": "lugansk-administration",
        "kind": "city",
        "name": {
            "ru": "Администрация города Луганска",
            "en": "Lugansk City Administration",
        },
        "short_name": {"ru": "Администрация Луганска", "en": "Lugansk administration"},
        # The Department keeps its records under Russian law, which counts the LNR as a region
        # of the Russian Federation since October 2022 (the seed of November 2022 names it the
        # Lugansk People's Republic and its ministry as a partner of an interregional agreement).
        "country": "RU",
        "city": {"ru": "Луганск", "en": "Lugansk"},
        "languages": ["ru"],
        "notes": "Seed 001: a party of the cooperation agreement with the Moscow Department.",
    },
    {
        # Seed 001: «Москва продолжает организацию гуманитарной помощи Донецкой и Луганской
        # народным республикам» — the aid goes to both republics.
        "code": "lnr",
        "kind": "region",
        "name": {
            "ru": "Луганская Народная Республика",
            "en": "Lugansk People's Republic",
        },
        "short_name": {"ru": "ЛНР", "en": "LNR"},
        "country": "RU",
        "city": {"ru": "Луганск", "en": "Lugansk"},
        "languages": ["ru"],
        "notes": "Seed 001: receives Moscow's humanitarian aid (special means for those in need).",
    },
    {
        "code": "dnr",
        "kind": "region",
        "name": {
            "ru": "Донецкая Народная Республика",
            "en": "Donetsk People's Republic",
        },
        "short_name": {"ru": "ДНР", "en": "DNR"},
        "country": "RU",
        "city": {"ru": "Донецк", "en": "Donetsk"},
        "languages": ["ru"],
        "notes": "Seed 001: receives Moscow's humanitarian aid, as the LNR does.",
    },
    {
        "code": "lnr-ministry-labour",
        "kind": "state_body",
        "parent": "lnr",
        "name": {
            "ru": "Министерство труда и социальной политики Луганской Народной Республики",
            "en": "Ministry of Labour and Social Policy of the Lugansk People's Republic",
        },
        "short_name": {"ru": "Минтруд ЛНР", "en": "LNR Ministry of Labour"},
        "country": "RU",
        "city": {"ru": "Луганск", "en": "Lugansk"},
        "languages": ["ru"],
        "notes": "Seed 001: a party of the cooperation agreement with the Moscow Department.",
    },
    {
        "code": "lugansk-nezabudka",
        "kind": "organisation",
        "name": {
            "ru": "Луганское детское учреждение санаторного типа «Незабудка»",
            "en": "Lugansk sanatorium-type children's institution «Nezabudka»",
        },
        "short_name": {"ru": "«Незабудка»", "en": "«Nezabudka»"},
        "country": "RU",
        "city": {"ru": "Луганск", "en": "Lugansk"},
        "languages": ["ru"],
        "notes": (
            "Seed 001: its director was in the November 2022 delegation; the seed does not name "
            "the body it reports to."
        ),
    },
    {
        "code": "vitebsk-labour-committee",
        "kind": "state_body",
        "name": {
            "ru": "Комитет по труду, занятости и социальной защите Витебского облисполкома",
            "en": (
                "Committee for Labour, Employment and Social Protection of the Vitebsk "
                "Regional Executive Committee"
            ),
        },
        "short_name": {"ru": "Комитет по труду Витебского облисполкома", "en": "Vitebsk committee"},
        "country": "BY",
        "city": {"ru": "Витебск", "en": "Vitebsk"},
        "languages": ["ru", "be"],
        "notes": "Seed 003: partner of the Smolensk department for five years (as of 2021).",
    },
    {
        "code": "smolensk-social-development",
        "kind": "region",
        "name": {
            "ru": "Департамент Смоленской области по социальному развитию",
            "en": "Department for Social Development of the Smolensk Region",
        },
        "short_name": {"ru": "Департамент Смоленской области", "en": "Smolensk department"},
        "country": "RU",
        "city": {"ru": "Смоленск", "en": "Smolensk"},
        "languages": ["ru"],
        "notes": (
            "Seed 003: over 1.5 million people receive social services or help in the region; "
            "about 5,500 staff; 57 social service institutions (2021)."
        ),
    },
]

# People of the partners with their positions; ``valid_from`` is the first day a seed shows
# them in the post (the seeds give no start of term), ``valid_to`` stays open.
COOPERATION_PEOPLE: list[dict[str, Any]] = [
    {
        "key": "vesikansa",
        "partner": "helsinki",
        "full_name": "Sanna Vesikansa",
        "full_name_ru": "Санна Весиканса",
        "positions": [
            {
                "title": {
                    "ru": "Вице-мэр города Хельсинки",
                    "en": "Deputy Mayor of Helsinki",
                    "fi": "apulaispormestari",
                    "de": "Stellvertretende Bürgermeisterin von Helsinki",
                },
                "valid_from": "2019-07-02",
            }
        ],
        "notes": "Seed 000: led the delegation of 2–3 July 2019 and signed the letter of "
        "12.07.2019.",
    },
    {
        "key": "breitenbach",
        "partner": "berlin-senate-social",
        "full_name": "Elke Breitenbach",
        "full_name_ru": "Эльке Брайтенбах",
        "positions": [
            {
                "title": {
                    "ru": "Сенатор по вопросам интеграции, труда и социальной сферы",
                    "en": "Senator for Integration, Labour and Social Affairs",
                    "de": "Senatorin für Integration, Arbeit und Soziales",
                },
                "valid_from": "2017-07-04",
            }
        ],
        "notes": "Seed 002: led the Berlin delegation at the 18th social seminar, Moscow 2017.",
    },
    {
        "key": "shabanov",
        "partner": "lugansk-nezabudka",
        "full_name": "Александр Шабанов",
        "full_name_ru": "Александр Шабанов",
        "positions": [
            {
                "title": {
                    "ru": "Директор Луганского детского учреждения санаторного типа «Незабудка»",
                    "en": "Director of the Lugansk sanatorium-type children's institution "
                    "«Nezabudka»",
                },
                "valid_from": "2022-11-28",
            }
        ],
        "notes": "Seed 001: quoted in the news of 28 November 2022 after the delegation's visit "
        "to Moscow in November 2022.",
    },
    {
        "key": "astapenko",
        "partner": "vitebsk-labour-committee",
        "full_name": "Вера Астапенко",
        "full_name_ru": "Вера Астапенко",
        "positions": [
            {
                "title": {
                    "ru": "Заместитель председателя комитета по труду, занятости и социальной "
                    "защите Витебского облисполкома",
                    "en": "Deputy Chair of the Committee for Labour, Employment and Social "
                    "Protection of the Vitebsk Regional Executive Committee",
                },
                "valid_from": "2021-09-20",
            }
        ],
        "notes": "Seed 003: spoke at the telebridge of 20 September 2021.",
    },
    {
        "key": "romanova",
        "partner": "smolensk-social-development",
        "full_name": "Елена Романова",
        "full_name_ru": "Елена Романова",
        "positions": [
            {
                "title": {
                    "ru": "Начальник Департамента Смоленской области по социальному развитию",
                    "en": "Head of the Department for Social Development of the Smolensk Region",
                },
                "valid_from": "2021-09-20",
            }
        ],
        "notes": "Seed 003: spoke at the telebridge of 20 September 2021.",
    },
]

COOPERATION_PARTNERSHIPS: list[dict[str, Any]] = [
    {
        "partner": "berlin-senate-social",
        "kind": "partner_city",
        "since": "1990-01-01",
        "since_precision": "year",
        "description": {
            "ru": "Москва и Берлин — города-партнёры с 1990 года.",
            "en": "Moscow and Berlin are partner cities since 1990.",
            "de": "Moskau und Berlin pflegen seit 1990 eine Städtepartnerschaft.",
        },
    },
    {
        # Seed 002: within the partnership of the cities «kooperiert die Berliner
        # Sozialverwaltung ... mit dem Moskauer Departement» in yearly seminars; the first was
        # ten years before 2017. LAGeSo co-organised the 18th seminar.
        "partner": "berlin-senate-social",
        "kind": "cooperation",
        "since": "2007-01-01",
        "since_precision": "year",
        "description": {
            "ru": "Ежегодные социальные семинары, поочерёдно в Берлине и Москве, с 2007 года "
            "(первый семинар — в Берлине, за десять лет до 2017 года).",
            "en": "Yearly social seminars, alternately in Berlin and Moscow, since 2007 (the first "
            "in Berlin, ten years before 2017).",
            "de": "Jährliche Sozialseminare, abwechselnd in Berlin und Moskau, seit 2007.",
        },
    },
    {
        "partner": "helsinki",
        "kind": "cooperation",
        # "Spring 2018" gives the year, not the month.
        "since": "2018-01-01",
        "since_precision": "year",
        "description": {
            "ru": "Программа сотрудничества подписана весной 2018 года; письмо называет "
            "сотрудничество городов многолетним, не называя даты его начала.",
            "en": "The Programme of Cooperation was signed in spring 2018; the letter calls the "
            "cities' cooperation long-standing without dating its start.",
            "fi": "Yhteistyöohjelma allekirjoitettiin keväällä 2018.",
        },
    },
    {
        "partner": "lugansk-administration",
        "kind": "cooperation",
        "since": "2022-10-01",
        "since_precision": "month",
        "description": {
            "ru": "Соглашение о сотрудничестве; первая встреча для обмена опытом — октябрь 2022.",
            "en": "A cooperation agreement; the first meeting to exchange experience was in "
            "October 2022.",
        },
    },
    {
        "partner": "lnr-ministry-labour",
        "kind": "cooperation",
        "since": "2022-10-01",
        "since_precision": "month",
        "description": {
            "ru": "Соглашение о сотрудничестве; специалисты на постоянной связи с коллегами.",
            "en": "A cooperation agreement; the specialists stay in constant contact.",
        },
    },
    {
        "partner": "vitebsk-labour-committee",
        "kind": "cooperation",
        "since": "2016-01-01",
        "since_precision": "year",
        "description": {
            "ru": "Сотрудничает с Департаментом Смоленской области по социальному развитию пять "
            "лет (на 2021 год); создана международная методическая школа.",
            "en": "Has cooperated with the Smolensk department for five years (as of 2021); an "
            "international methodological school was set up.",
        },
    },
    {
        "partner": "smolensk-social-development",
        "kind": "cooperation",
        "since": "2016-01-01",
        "since_precision": "year",
        "description": {
            "ru": "Партнёр Витебского комитета по труду пять лет (на 2021 год).",
            "en": "Partner of the Vitebsk committee for five years (as of 2021).",
        },
    },
]

# Agreements. ``parties``: partner codes, None for our department. ``example``: what the demo
# made up (the day of signing, the action plan); the agreement is marked as an example.
COOPERATION_AGREEMENTS: list[dict[str, Any]] = [
    {
        "key": "helsinki-programme",
        "kind": "programme",
        "title": {
            "ru": "Программа сотрудничества города Москвы и города Хельсинки",
            "en": "Programme of Cooperation between Moscow and Helsinki",
            "fi": "Moskovan ja Helsingin kaupunkien yhteistyöohjelma",
            "de": "Kooperationsprogramm der Städte Moskau und Helsinki",
        },
        # Seed 000: "signed in spring 2018"; the day is not known.
        "signed_on": "2018-04-01",
        "dates_precision": "season",
        "valid_from": "2018-04-01",
        "status": "in_force",
        "themes": [
            "социальная защита",
            "семьи с детьми",
            "профессиональное развитие",
            "обмен специалистами",
        ],
        "description": {
            "ru": "Подписана весной 2018 года (письмо от 12.07.2019); день подписания неизвестен, "
            "поэтому дата показывается с точностью до сезона.",
            "en": "Signed in spring 2018 (the letter of 12.07.2019); the day is not known, "
            "so the date is shown to the season.",
            "fi": "Allekirjoitettu keväällä 2018; päivää ei tiedetä, joten päivämäärä "
            "näytetään vuodenajan tarkkuudella.",
        },
        "parties": [None, "helsinki"],
        "example": "День подписания неизвестен: источник 000 говорит «весной 2018 года»; "
        "ответственные и статусы плана действий — примеры",
        "actions": [
            {
                "title": {
                    "ru": "Обмен специалистами",
                    "en": "Exchange of specialists",
                    "fi": "Henkilökuntavaihto",
                },
                "owner": "Департамент труда и социальной защиты населения города Москвы",
                "status": "planned",
                "events": ["helsinki-visit-2019"],
            },
            {
                "title": {
                    "ru": "Профессиональное развитие персонала, работающего с семьями",
                    "en": "Professional development of staff working with families",
                    "fi": "Perhepalveluiden toimihenkilöiden ammatillinen kehittyminen",
                },
                "owner": "Ресурсный центр поддержки семьи и детства",
                "status": "planned",
                "events": ["helsinki-visit-2019"],
            },
        ],
    },
    {
        "key": "lugansk-agreement",
        "kind": "agreement",
        "title": {
            "ru": "Соглашение о сотрудничестве Департамента труда и социальной защиты населения "
            "города Москвы, администрации города Луганска и Министерства труда и социальной "
            "политики Луганской Народной Республики",
            "en": "Cooperation agreement of the Moscow Department of Labour and Social "
            "Protection, the Lugansk City Administration and the LNR Ministry of Labour and "
            "Social Policy",
        },
        # Seed 001 names the agreement in force on 28 November 2022 without its date; the
        # first meeting was in October 2022.
        "signed_on": "2022-10-01",
        "valid_from": "2022-10-01",
        "status": "in_force",
        "themes": ["обмен опытом", "дети-сироты", "дети с инвалидностью", "реабилитация"],
        "description": {
            "ru": "Действует на 28 ноября 2022 года; дата подписания в источнике не указана, "
            "1 октября 2022 года (месяц первой встречи) указано условно.",
            "en": "In force on 28 November 2022; the seed does not date the signing, 1 October "
            "2022 (the month of the first meeting) stands for it.",
        },
        "parties": [None, "lugansk-administration", "lnr-ministry-labour"],
        "example": "Дата подписания (1 октября 2022 года) — пример: источник 001 её не называет; "
        "ответственные и статусы плана действий — тоже примеры",
        "actions": [
            {
                "title": {
                    "ru": "Образовательные мероприятия для специалистов в онлайн-формате",
                    "en": "Online training for specialists",
                },
                "owner": "Департамент труда и социальной защиты населения города Москвы",
                "status": "in_progress",
                "events": ["moscow-experts-lugansk-2022"],
            },
            {
                "title": {
                    "ru": "Обмен опытом: визиты делегаций в учреждения социальной защиты",
                    "en": "Exchange of experience: delegation visits to social institutions",
                },
                "owner": "Департамент труда и социальной защиты населения города Москвы",
                "status": "in_progress",
                "events": ["lugansk-visit-2022-10", "lugansk-visit-2022-11"],
            },
        ],
    },
]

BERLIN_SEMINAR_SERIES: dict[str, Any] = {
    "name": {
        "ru": "Социальный семинар Москва — Берлин",
        "en": "Social seminar Moscow–Berlin",
        "de": "Sozialseminar Berlin–Moskau",
    },
    "partner": "berlin-senate-social",
    "alternates": True,
    "first_host": "partner",  # the 1st was in Berlin
    # Seed 002 gives the year only (ten years before 2017): no day stands for it here; the 1st
    # edition's event carries 2007 with its day marked as an example.
    "first_held_on": None,
    "notes": "Seed 002: the first seminar was held in Berlin ten years before 2017, i.e. in 2007 "
    "(the year only); yearly since, alternately in Berlin and Moscow.",
}

# Events by key. ``example``: what of the event the demo made up (a day the seed gives only to
# the month or not at all); the event is then marked as an example in the data. ``stops``: the
# day-by-day programme of a visit, each stop a dict (day, from, to, kind, institution code or
# "", title, host, example). No seed gives the hours of a visit, so every stop is marked with
# what of it is made up.
_HOURS_EXAMPLE_HELSINKI = (
    "Дни и часы посещения — пример: источник 000 называет учреждения, но не программу визита"
)
_HOURS_EXAMPLE_LUGANSK = (
    "Дни и часы посещения — пример: источник 001 называет учреждения, но не программу визита"
)

COOPERATION_EVENTS: list[dict[str, Any]] = [
    {
        "key": "helsinki-visit-2019",
        "kind": "incoming_visit",
        "title": {
            "ru": "Визит делегации города Хельсинки",
            "en": "Visit of the City of Helsinki delegation",
            "fi": "Helsingin kaupungin delegaation vierailu",
        },
        # The dates follow the letter's Finnish original; the discrepancy with the translation
        # is recorded on the letter and resolved there by the cooperation officer, with reasons.
        "description": {
            "ru": "Знакомство с деятельностью города в сфере социальной защиты, с работой и "
            "услугами Кризисного центра помощи женщинам и детям и Ресурсного центра поддержки "
            "семьи и детства; беседа о профессиональном развитии персонала, работающего с "
            "семьями, и об обмене специалистами. Даты визита — 2–3 июля 2019 года, по финскому "
            "оригиналу письма от 12.07.2019 («2.-3.7.2019»); в русском переводе письма — "
            "«2-3 июня 2019 года» (расхождение версий записано в письме).",
            "en": "An introduction to the city's social protection and to the work and services "
            "of the Crisis Centre for Women and Children and the Resource Centre for Family and "
            "Childhood Support; a talk on the professional development of staff who work with "
            "families and on exchanging specialists. The visit was on 2–3 July 2019, as the "
            "Finnish original of the letter of 12.07.2019 has it («2.-3.7.2019»); the Russian "
            "translation of the letter says «2-3 June 2019» (the discrepancy is recorded on the "
            "letter).",
            "fi": "Tutustuminen kaupungin sosiaalipalveluihin, naisten ja lasten "
            "kriisikeskukseen sekä perhekeskukseen. 2.–3.7.2019.",
        },
        "starts_on": "2019-07-02",
        "ends_on": "2019-07-03",
        "city": {"ru": "Москва", "en": "Moscow", "fi": "Moskova", "de": "Moskau"},
        "host": "ours",
        "partners": [("helsinki", "participant")],
        "agreement": "helsinki-programme",
        "topics": [
            "профессиональное развитие персонала, работающего с семьями",
            "обмен специалистами",
        ],
        "outcome": {
            "ru": "Договорились продолжить и расширить обсуждение; Хельсинки предложил "
            "познакомить с комплексом профилактических и оздоровительных услуг для семей с детьми.",
            "en": "Agreed to continue and widen the discussion; Helsinki offered to present its "
            "preventive and health-promoting services for families with children.",
            "fi": "Keskustelua jatketaan ja syvennetään; Helsinki esittelee lapsiperheiden "
            "ennaltaehkäiseviä ja terveyttä edistäviä palveluja.",
        },
        "status": "held",
        "participants": [
            ("partner", "vesikansa", "", "head_of_delegation"),
            ("ours", "", OUR_MINISTER_2017_2019, "host"),
        ],
        # The seed names the two centres; the days and hours of the programme are examples.
        "stops": [
            {
                "day": "2019-07-02",
                "starts_at": "10:00",
                "ends_at": "12:30",
                "kind": "institution_visit",
                "institution": "crisis-centre-women-children",
                "title": {
                    "ru": "Кризисный центр помощи женщинам и детям",
                    "en": "Crisis Centre for Women and Children",
                    "fi": "Naisten ja lasten kriisikeskus",
                },
                "host_name": "",
                "example": _HOURS_EXAMPLE_HELSINKI,
            },
            {
                "day": "2019-07-02",
                "starts_at": "15:00",
                "ends_at": "16:30",
                "kind": "meeting",
                "institution": "",
                "title": {
                    "ru": "Встреча в Департаменте труда и социальной защиты населения",
                    "en": "Meeting at the Department of Labour and Social Protection",
                    "fi": "Tapaaminen työllistymisen ja sosiaaliturvan osastolla",
                },
                "host_name": "Петросян В. А.",
                "example": "Встреча, её день и часы — пример: источник 000 говорит о "
                "состоявшемся диалоге, но не о месте и времени встречи",
            },
            {
                "day": "2019-07-03",
                "starts_at": "10:00",
                "ends_at": "12:30",
                "kind": "institution_visit",
                "institution": "family-childhood-resource-centre",
                "title": {
                    "ru": "Ресурсный центр поддержки семьи и детства",
                    "en": "Resource Centre for Family and Childhood Support",
                    "fi": "Perhe- ja lapsuuden tukikeskus",
                },
                "host_name": "",
                "example": _HOURS_EXAMPLE_HELSINKI,
            },
        ],
    },
    {
        "key": "lugansk-visit-2022-10",
        "kind": "incoming_visit",
        "title": {
            "ru": "Первый визит делегации из Луганска",
            "en": "First visit of the Lugansk delegation",
        },
        "description": {
            "ru": "Первая встреча для обмена опытом и организации дальнейшего взаимодействия "
            "(октябрь 2022 года).",
            "en": "The first meeting to exchange experience and organise further work "
            "(October 2022).",
        },
        "starts_on": "2022-10-01",
        "ends_on": "2022-10-01",
        "example": "День (1 октября 2022 года) — пример: источник 001 называет только месяц, "
        "октябрь 2022 года",
        "city": {"ru": "Москва", "en": "Moscow"},
        "host": "ours",
        "partners": [
            ("lugansk-administration", "participant"),
            ("lnr-ministry-labour", "participant"),
        ],
        "agreement": "lugansk-agreement",
        "topics": ["обмен опытом"],
        "status": "held",
        "participants": [],
        "stops": [],
    },
    {
        "key": "moscow-experts-lugansk-2022",
        "kind": "outgoing_visit",
        "title": {
            "ru": "Визит московских экспертов в центры социальной защиты Луганска",
            "en": "Visit of Moscow experts to social protection centres in Lugansk",
        },
        "description": {
            "ru": "Московские эксперты посетили центры социальной защиты Луганска.",
            "en": "Moscow experts visited Lugansk's social protection centres.",
        },
        "starts_on": "2022-11-01",
        "ends_on": "2022-11-01",
        "example": "Дата (1 ноября 2022 года) — пример: источник 001 (новость от 28 ноября 2022 "
        "года) не говорит, когда эксперты были в Луганске",
        "city": {"ru": "Луганск", "en": "Lugansk"},
        "host": "partner",
        "partners": [("lugansk-administration", "host"), ("lnr-ministry-labour", "host")],
        "agreement": "lugansk-agreement",
        "topics": ["материально-техническое оснащение учреждений", "обучение специалистов онлайн"],
        "outcome": {
            "ru": "Обсудили необходимость материально-технического оснащения учреждений, "
            "проведения образовательных мероприятий для специалистов в онлайн-формате и другие "
            "потребности.",
            "en": "Discussed the need to equip the institutions, online training for "
            "specialists and other needs.",
        },
        "status": "held",
        "participants": [],
        "stops": [],
    },
    {
        "key": "lugansk-visit-2022-11",
        "kind": "incoming_visit",
        "title": {
            "ru": "Второй визит делегации работников социальной сферы из Луганска",
            "en": "Second visit of the Lugansk delegation of social workers",
        },
        "description": {
            "ru": "Программа визита подготовлена по запросу: учреждения социальной защиты для "
            "детей-сирот, реабилитационные и реабилитационно-образовательные центры Москвы "
            "(ноябрь 2022 года, новость от 28 ноября).",
            "en": "The programme was prepared on request: social institutions for orphans, "
            "rehabilitation and rehabilitation-education centres of Moscow (November 2022, news "
            "of 28 November).",
        },
        "starts_on": "2022-11-21",
        "ends_on": "2022-11-23",
        "example": "Дни 21–23 ноября 2022 года — пример: источник 001 называет только месяц, "
        "ноябрь 2022 года",
        "city": {"ru": "Москва", "en": "Moscow"},
        "host": "ours",
        "partners": [
            ("lugansk-administration", "participant"),
            ("lnr-ministry-labour", "participant"),
            ("lugansk-nezabudka", "participant"),
        ],
        "agreement": "lugansk-agreement",
        "topics": ["дети-сироты", "дети с инвалидностью", "реабилитация"],
        "outcome": {
            "ru": "Опыт Москвы будет использован в развитии системы социальной защиты ЛНР; "
            "специалисты остаются на постоянной связи.",
            "en": "Moscow's experience will be used to develop the LNR's social protection; the "
            "specialists stay in constant contact.",
        },
        "status": "held",
        "participants": [
            ("partner", "shabanov", "", "member"),
            ("ours", "", OUR_MINISTER_2022, "host"),
        ],
        # The five kinds of institution of seed 001 (the centres for the promotion of family
        # upbringing are two of the demo's, with example names); the days and hours are examples.
        "stops": [
            {
                "day": "2022-11-21",
                "starts_at": "10:00",
                "ends_at": "12:00",
                "kind": "institution_visit",
                "institution": "family-upbringing-centre-1",
                "title": {
                    "ru": "Центр содействия семейному воспитанию «Берег»",
                    "en": "Centre for the Promotion of Family Upbringing «Bereg»",
                },
                "host_name": "",
                "example": "Название центра, день и часы — пример: источник 001 говорит о "
                "центрах содействия семейному воспитанию без названий и программы",
            },
            {
                "day": "2022-11-21",
                "starts_at": "14:00",
                "ends_at": "16:00",
                "kind": "institution_visit",
                "institution": "family-upbringing-centre-2",
                "title": {
                    "ru": "Центр содействия семейному воспитанию «Юнона»",
                    "en": "Centre for the Promotion of Family Upbringing «Yunona»",
                },
                "host_name": "",
                "example": "Название центра, день и часы — пример: источник 001 говорит о "
                "центрах содействия семейному воспитанию без названий и программы",
            },
            {
                "day": "2022-11-22",
                "starts_at": "10:00",
                "ends_at": "12:00",
                "kind": "institution_visit",
                "institution": "boarding-school-blind-1",
                "title": {
                    "ru": "Школа-интернат № 1 для обучения и реабилитации слепых",
                    "en": "Boarding School No. 1 for the Education and Rehabilitation of the Blind",
                },
                "host_name": "",
                "example": _HOURS_EXAMPLE_LUGANSK,
            },
            {
                "day": "2022-11-22",
                "starts_at": "14:00",
                "ends_at": "16:00",
                "kind": "institution_visit",
                "institution": "complex-rehabilitation-educational-centre",
                "title": {
                    "ru": "Комплексный реабилитационно-образовательный центр",
                    "en": "Complex Rehabilitation and Educational Centre",
                },
                "host_name": "",
                "example": _HOURS_EXAMPLE_LUGANSK,
            },
            {
                "day": "2022-11-23",
                "starts_at": "10:00",
                "ends_at": "12:00",
                "kind": "institution_visit",
                "institution": "moscow-city-rehabilitation-centre",
                "title": {
                    "ru": "Московский городской центр реабилитации",
                    "en": "Moscow City Rehabilitation Centre",
                },
                "host_name": "",
                "example": _HOURS_EXAMPLE_LUGANSK,
            },
            {
                "day": "2022-11-23",
                "starts_at": "14:00",
                "ends_at": "16:00",
                "kind": "institution_visit",
                "institution": "rehabilitation-education-centre-7",
                "title": {
                    "ru": "Центр реабилитации и образования № 7",
                    "en": "Centre for Rehabilitation and Education No. 7",
                },
                "host_name": "",
                "example": _HOURS_EXAMPLE_LUGANSK,
            },
        ],
        # Our staff who received the delegation, as exchanges of specialists (incoming) with
        # their training records: the institutions of the stops, these positions. Who took part
        # and the hours are examples.
        "exchange": {
            "partner": "lugansk-administration",
            "positions": (
                "director",
                "deputy-director",
                "head-of-department",
                "psychologist",
                "social-pedagogue",
                "rehabilitation-specialist",
            ),
            "hours": 6,
            "place": {"ru": "Москва", "en": "Moscow"},
            "purpose": {
                "ru": "Обмен опытом с делегацией работников социальной сферы из Луганска",
                "en": "Exchange of experience with the delegation of social workers from Lugansk",
            },
            "example": "Кто из сотрудников принимал делегацию и часы — пример: источник 001 их "
            "не называет; дни 21–23 ноября 2022 года — дни визита в демонстрации",
        },
    },
    {
        "key": "berlin-seminar-1",
        "kind": "seminar",
        "series_edition": 1,
        "title": {
            "ru": "1-й социальный семинар: полноценное участие людей с инвалидностью",
            "en": "1st social seminar: full participation of people with disabilities",
            "de": "1. Sozialseminar: umfassende Teilhabe von Menschen mit Behinderung",
        },
        "description": {
            "ru": "Первый семинар серии: Берлин, за десять лет до юбилейного 2017 года.",
            "en": "The first seminar of the series: Berlin, ten years before the anniversary "
            "year 2017.",
            "de": "Das erste Seminar der Reihe: Berlin, zehn Jahre vor dem Jubiläumsjahr 2017.",
        },
        "starts_on": "2007-01-01",
        "ends_on": "2007-01-01",
        "example": "День (1 января 2007 года) — пример: источник 002 говорит только, что первый "
        "семинар прошёл в Берлине десять лет назад (от 2017 года)",
        "city": {"ru": "Берлин", "en": "Berlin", "de": "Berlin"},
        "host": "partner",
        "partners": [("berlin-senate-social", "host")],
        "topics": ["полноценное участие людей с инвалидностью"],
        "status": "held",
        "participants": [],
        "stops": [],
    },
    {
        "key": "berlin-seminar-18",
        "kind": "seminar",
        "series_edition": 18,
        "title": {
            "ru": "18-й социальный семинар Москва — Берлин",
            "en": "18th social seminar Moscow–Berlin",
            "de": "18. Sozialseminar Berlin–Moskau",
        },
        "description": {
            "ru": "Юбилейный год сотрудничества. Сенатор Эльке Брайтенбах представила сферы "
            "интеграции, труда и социальной политики, подчеркнув задачи инклюзии и занятости; "
            "В. А. Петросян рассказал о развитии социальной сферы Москвы.",
            "en": "The anniversary year of the cooperation. Senator Elke Breitenbach presented "
            "integration, labour and social affairs, stressing inclusion and employment; "
            "V. A. Petrosyan reported on social affairs in Moscow.",
            "de": "Im Jubiläumsjahr stellte Senatorin Elke Breitenbach die Bereiche Integration, "
            "Arbeit und Soziales vor und betonte die Herausforderungen auf den Gebieten Inklusion "
            "und Beschäftigung.",
        },
        "starts_on": "2017-07-04",
        "ends_on": "2017-07-09",
        "city": {"ru": "Москва", "en": "Moscow", "de": "Moskau"},
        "host": "ours",
        "partners": [("berlin-senate-social", "participant"), ("berlin-lageso", "organiser")],
        "topics": ["интеграция", "труд", "социальная сфера", "инклюзия", "занятость"],
        "outcome": {
            "ru": "Продолжить сотрудничество в социальной сфере, усилить обмен специалистами, "
            "расширить сотрудничество на сферу труда.",
            "en": "Continue the cooperation in social affairs, intensify the expert exchange and "
            "extend the cooperation to labour.",
            "de": "Die Kooperation auf dem Gebiet Soziales wird fortgesetzt, der Fachaustausch "
            "intensiviert und die Kooperation auf den Bereich Arbeit erweitert.",
        },
        "status": "held",
        "participants": [
            ("partner", "breitenbach", "", "head_of_delegation"),
            ("ours", "", OUR_MINISTER_2017_2019, "host"),
        ],
        "stops": [],
    },
    {
        "key": "vitebsk-smolensk-telebridge-2021",
        "kind": "telebridge",
        "title": {
            "ru": "Телемост «Социальная защита — единство, поддержка и помощь»",
            "en": "Telebridge «Social protection — unity, support and help»",
        },
        "description": {
            "ru": "Онлайн-встреча социальных служб Витебской и Смоленской областей, посвящённая "
            "Дню народного единства. Смоленская область: более 1,5 млн человек получают "
            "социальные услуги и помощь, почти 5,5 тыс. сотрудников, 57 учреждений "
            "социального обслуживания. В обеих областях создаются рабочие места для людей с "
            "инвалидностью, прошедших реабилитацию: в прошлом году на Витебщине 14 человек с "
            "инвалидностью получили работу. 15 тыс. нетрудоспособных граждан получают помощь "
            "на дому (источник не уточняет, в какой из областей).",
            "en": "An online meeting of the social services of the Vitebsk and Smolensk regions "
            "for the Day of National Unity. Smolensk region: over 1.5 million people receive "
            "social services or help, almost 5,500 staff, 57 social service institutions. Both "
            "regions create jobs for people with disabilities who completed rehabilitation: last "
            "year 14 people with disabilities got jobs in the Vitebsk region. 15,000 people "
            "unable to work receive help at home (the source does not say in which region).",
        },
        "starts_on": "2021-09-20",
        "ends_on": "2021-09-20",
        "place": {"ru": "Витебский облисполком", "en": "Vitebsk Regional Executive Committee"},
        "city": {"ru": "Витебск", "en": "Vitebsk"},
        "host": "partner",
        "partners": [
            ("vitebsk-labour-committee", "host"),
            ("smolensk-social-development", "participant"),
        ],
        "topics": [
            "адресная помощь",
            "профилактика социального неблагополучия",
            "адаптация и социализация людей с инвалидностью",
        ],
        "outcome": {
            "ru": "Совместные зум-конференции будут проводиться регулярно; возобновятся "
            "обучающие семинары, диалоговые площадки и встречи в учреждениях обоих регионов. "
            "Цифры: Смоленская область — более 1,5 млн получателей, почти 5,5 тыс. "
            "сотрудников, 57 учреждений; Витебская область — 14 человек с инвалидностью "
            "трудоустроены в прошлом году; 15 тыс. нетрудоспособных граждан получают помощь на "
            "дому.",
            "en": "Joint video conferences will be held regularly; training seminars, dialogue "
            "platforms and meetings in institutions of both regions will resume. Figures: "
            "Smolensk region — over 1.5 million recipients, almost 5,500 staff, 57 institutions; "
            "Vitebsk region — 14 people with disabilities employed last year; 15,000 people "
            "unable to work helped at home.",
        },
        "status": "held",
        "participants": [
            ("partner", "astapenko", "", "speaker"),
            ("partner", "romanova", "", "speaker"),
        ],
        "stops": [],
    },
    {
        "key": "smolensk-theatre-festival",
        "kind": "festival",
        "title": {
            "ru": "Белорусско-российский фестиваль театрального искусства в Смоленске",
            "en": "Belarusian-Russian theatre festival in Smolensk",
        },
        "description": {
            "ru": "Гости телемоста 20 сентября 2021 года пригласили всех желающих на фестиваль.",
            "en": "The guests of the telebridge of 20 September 2021 invited everyone to the "
            "festival.",
        },
        "starts_on": "2021-10-01",
        "ends_on": "2021-10-01",
        "example": "Дата (1 октября 2021 года) — пример: источник 003 не называет даты "
        "фестиваля; организаторы названы по месту его проведения",
        "city": {"ru": "Смоленск", "en": "Smolensk"},
        "host": "partner",
        "partners": [
            ("smolensk-social-development", "host"),
            ("vitebsk-labour-committee", "participant"),
        ],
        "topics": ["театральное искусство"],
        "status": "planned",
        "participants": [],
        "stops": [],
    },
    {
        "key": "forum-social-innovations-3",
        "kind": "forum",
        "title": {
            "ru": "III Форум социальных инноваций регионов",
            "en": "III Forum of Social Innovations of the Regions",
        },
        "description": {
            "ru": "Более 30 тысяч участников: органы власти, социально ориентированные НКО, "
            "бизнес, институты развития, наука, экспертное сообщество, волонтёры и жители "
            "Москвы. Департамент представил три стенда: трудоустройство, «Московское "
            "долголетие» и «Мой социальный центр».",
            "en": "More than 30,000 participants: authorities, NGOs, business, development "
            "institutions, science, experts, volunteers and residents of Moscow. The Department "
            "showed three stands: employment, «Moscow Longevity» and «My Social Centre».",
        },
        "starts_on": "2019-06-19",
        "ends_on": "2019-06-21",
        "example": "Год (2019) выведен для демонстрации: источник 004 называет дни (19–21 июня), "
        "но не год",
        "place": {"ru": "ВДНХ, павильон 75", "en": "VDNKh, pavilion 75"},
        "city": {"ru": "Москва", "en": "Moscow"},
        "host": "ours",
        "partners": [],
        "topics": ["трудоустройство", "активное долголетие", "территориальные центры"],
        "participant_count": 30000,
        "status": "held",
        "participants": [("ours", "", OUR_MINISTER_2017_2019, "speaker")],
        "stops": [],
        "stands": [
            {
                "title": {"ru": "Трудоустройство", "en": "Employment"},
                "project": {
                    "ru": "Службы занятости в новом формате: «Мои Документы», «Моя работа», "
                    "«Моя карьера»",
                    "en": "Employment services in a new format: «My Documents», «My Work», "
                    "«My Career»",
                },
                "institutions": [
                    "employment-dept-my-documents-tverskoy",
                    "my-work-flagship",
                    "my-career-centre",
                ],
                "description": {
                    "ru": "46 отделов трудоустройства переехали в центры «Мои Документы» (более "
                    "85 %); в апреле открылся флагманский центр «Моя работа»; 13 июня — центр "
                    "«Моя карьера».",
                    "en": "46 employment departments moved into «My Documents» centres (over "
                    "85%); the flagship centre «My Work» opened in April; «My Career» on 13 June.",
                },
            },
            {
                "title": {"ru": "«Московское долголетие»", "en": "«Moscow Longevity»"},
                "project": {
                    "ru": "«Московское долголетие» и «Серебряный университет»",
                    "en": "«Moscow Longevity» and the «Silver University»",
                },
                "institutions": ["moscow-longevity-tverskoy", "mpgu", "mguu"],
                "description": {
                    "ru": "С марта 2018 года: бесплатные занятия спортом, иностранными языками, "
                    "компьютерной грамотностью.",
                    "en": "Since March 2018: free sport, foreign languages and computer skills.",
                },
            },
            {
                "title": {"ru": "«Мой социальный центр»", "en": "«My Social Centre»"},
                "project": {
                    "ru": "Обновлённые территориальные центры социального обслуживания",
                    "en": "Renewed territorial social service centres",
                },
                "institutions": ["tcso-tverskoy", "tcso-maryino"],
                "description": {
                    "ru": "Гостиные для чтения, музыки, кино, встреч и мастер-классов; "
                    "зона здоровья с тренажёрами и оборудованием для ЛФК.",
                    "en": "Lounges for books, music, films, meetings and master classes; a "
                    "health zone with exercise and physiotherapy equipment.",
                },
            },
        ],
    },
]

# Seed 000 as filed: the Russian translation ("ПЕРЕВОД") and the Finnish original, each kept
# exactly as it is, with the month of the visit on which they disagree.
HELSINKI_LETTER_RU = (
    "ПЕРЕВОД\n"
    "\n"
    "Город Хельсинки\n"
    "\n"
    "12.07.2019\n"
    "\n"
    "Петросяну В.А.\n"
    "Министру Правительства Москвы\n"
    "Руководителю Департамента труда и социальной\n"
    "защиты населения города Москвы\n"
    "\n"
    "Уважаемый Владимир Аршакович!\n"
    "\n"
    "Позвольте от себя лично и от делегации города Хельсинки сердечно "
    "поблагодарить Вас за гостеприимство и состоявшийся диалог в ходе "
    "нашего визита в Москву 2-3 июня 2019 года.\n"
    "\n"
    "Было действительно интересно познакомиться с деятельностью города в "
    "сфере социальной защиты населения, работой и услугами Кризисного "
    "центра помощи женщинам и детям и Ресурсного центра поддержки семьи и "
    "детства. У нас состоялась интересная беседа о необходимости "
    "профессионального развития работающего с семьями персонала и о "
    "возможности сотрудничества по обмену специалистами. Кроме того, мы "
    "считаем, что можем продолжить и расширить обсуждение также и других "
    "тем, поднятых на встрече.\n"
    "\n"
    " \n"
    "В продолжение диалога мы могли бы, например, познакомить Вас с "
    "комплексом услуг социальной сферы, который предлагает своим гражданам "
    "город Хельсинки, в особенности это профилактические и оздоровительные "
    "услуги для семей с детьми (в том числе, консультирование и оказание "
    "ранней психолого-педагогической помощи в школах). С помощью этих "
    "услуг мы стремимся сократить разрыв показателей здоровья и "
    "благополучия населения.\n"
    "\n"
    "Многолетнее сотрудничество наших городов и подписанная весной 2018 "
    "года Программа сотрудничества создают необходимую базу и "
    "благоприятные условия для дальнейшей совместной эффективной и "
    "взаимовыгодной как для России, так и для Финляндии работы.\n"
    "\n"
    "С уважением,\n"
    "\n"
    "/подпись/\n"
    "\n"
    "Санна Весиканса,\n"
    "Вице Мэр\n"
    "г. Хельсинки"
)
HELSINKI_LETTER_FI = (
    "Vladimir Petrosyan\n"
    "Moskovan kaupunginhallituksen ministeri\n"
    "Työllistymisen ja sosiaaliturvan osasto\n"
    "\n"
    "Arvoisa ministeri\n"
    "\n"
    "Sallikaa minun esittää lämmin kiitos omasta sekä koko Helsingin "
    "kaupungin delegaation puolesta vieraanvaraisuudesta ja "
    "mielenkiintoisista keskusteluista Moskovan-vierailuni yhteydessä "
    "2.-3.7.2019.\n"
    "\n"
    "Oli todella kiinnostavaa tutustua kaupunkinne sosiaalipuolen "
    "palveluihin, kuten naisten ja lasten kriisikeskukseen sekä lasten "
    "tukikeskukseen ja perhekeskukseen. Kävimme mielenkiintoisia "
    "keskusteluja liittyen perhepalveluiden toimihenkilöiden ammatilliseen "
    "kehittymiseen ja mahdolliseen yhteistyöhön henkilökuntavaihdon "
    "tiimoilta. Lisäksi koemme, että voimme jatkaa ja syventää keskustelua "
    "useiden käsittelemiemme aiheiden kohdalla.\n"
    "\n"
    "Voisimme esimerkiksi mielellämme jatkossa esitellä Helsingin "
    "integroituja sosiaali- ja terveystalujamme, erityisesti "
    "lapsiperheiden ennaltaehkäiseviä ja terveyttä edistäviä palveluja "
    "(mm. neuvola ja kouluterveydenhuolto, varhainen tuki). Näillä "
    "vahvoilla palveluilla pyrimme kaventamaan väestön terveys- ja "
    "hyvinvointieroja.\n"
    "\n"
    "Pääkaupungeillamme on pitkä yhteistyön perinne ja yhteistyöohjelmamme "
    "luo jatkotyölle puitteet. Uskon vahvasti, että sekä Venäjä että Suomi "
    "hyötyvät toimivista ja suorista yhteistyösuhteista.\n"
    "\n"
    "Ystävällisin terveisin\n"
    "\n"
    "\n"
    "\n"
    "Sanna Vesikansa\n"
    "apulaispormestari"
)

COOPERATION_LETTERS: list[dict[str, Any]] = [
    {
        "key": "helsinki-letter-2019",
        "direction": "incoming",
        "number": "",  # the letter bears no number
        "dated_on": "2019-07-12",
        "partner": "helsinki",
        "signatory": "vesikansa",
        "signatory_name": "Sanna Vesikansa, apulaispormestari",
        "our_person": "Петросян В. А., Министр Правительства Москвы, руководитель Департамента "
        "труда и социальной защиты населения города Москвы",
        "subject": "Благодарность за приём делегации города Хельсинки и предложения о "
        "продолжении диалога",
        "events": ["helsinki-visit-2019"],
        "agreements": ["helsinki-programme"],
        "versions": [
            {"language": "fi", "is_original": True, "text": HELSINKI_LETTER_FI},
            {"language": "ru", "is_original": False, "text": HELSINKI_LETTER_RU},
        ],
        # Flagged and resolved by the demo's cooperation officer (the account "cooperation" of
        # DEMO_ACCOUNTS, named in DEMO_ACCOUNT_NAMES), with her reasons; no text is changed.
        "discrepancy": {
            "description": "Месяц визита: в русском переводе — «2-3 июня 2019 года», в финском "
            "оригинале — «2.-3.7.2019» (2–3 июля 2019 года).",
            "resolution": "Верен финский оригинал: визит состоялся 2–3 июля 2019 года. "
            "Основания: финский текст — оригинал письма, подписанный вице-мэром; русский текст "
            "помечен «ПЕРЕВОД» и сделан с него; в оригинале дата дана числами (2.-3.7.2019), "
            "а месяц «июня» появился при переводе. Тексты обеих версий оставлены как получены.",
            "correct_language": "fi",
            "resolved_by": "cooperation",
        },
    },
    {
        # Seed 000 has no reply: the demo's reply is marked as an example in the data.
        "key": "helsinki-reply-2019",
        "direction": "outgoing",
        "number": "ДТСЗН-01-19/демо",
        "dated_on": "2019-07-26",
        "partner": "helsinki",
        "signatory": "",
        "signatory_name": "",
        "our_person": "Петросян В. А., Министр Правительства Москвы, руководитель Департамента "
        "труда и социальной защиты населения города Москвы",
        "subject": "Ответ на письмо вице-мэра г. Хельсинки от 12.07.2019",
        "in_reply_to": "helsinki-letter-2019",
        "events": ["helsinki-visit-2019"],
        "agreements": ["helsinki-programme"],
        "example": "Ответ целиком — пример: в источнике 000 ответа нет (номер, дата и текст "
        "составлены для демонстрации)",
        "versions": [
            {
                "language": "ru",
                "is_original": True,
                "text": "Уважаемая госпожа Весиканса!\n\nБлагодарим Вас за письмо и за визит "
                "делегации города Хельсинки 2–3 июля 2019 года. Мы с интересом познакомимся с "
                "профилактическими и оздоровительными услугами для семей с детьми и готовы "
                "обсудить обмен специалистами в рамках Программы сотрудничества 2018 года.\n\n"
                "С уважением,\nВ. А. Петросян",
            },
        ],
    },
]

# Needs raised by the partners of seed 001 and the aid handed over. ``example``: what the demo
# made up (a day, a status, a quantity); the record is marked as an example in the data.
_NEED_AT_EXPERTS_VISIT = (
    "Партнёр, дата и статус — пример: источник 001 говорит, что потребность обсуждалась при "
    "визите московских экспертов в Луганск, не называя ни стороны, ни даты, ни хода работы"
)
_HUMANITARIAN_NEED = (
    "Дата и статус — пример: источник 001 (новость от 28 ноября 2022 года) говорит, что "
    "Москва продолжает гуманитарную помощь, без дат"
)
_HUMANITARIAN_AID = (
    "Дата и количество — пример: источник 001 говорит, что Москва передаёт спецсредства "
    "нуждающимся, но не когда и сколько"
)

COOPERATION_NEEDS: list[dict[str, Any]] = [
    {
        "key": "lugansk-equipment",
        "partner": "lnr-ministry-labour",
        "kind": "equipment",
        "title": {
            "ru": "Материально-техническое оснащение учреждений социальной защиты",
            "en": "Material and technical equipment of social protection institutions",
        },
        "description": {
            "ru": "Обсуждено с московскими экспертами в центрах социальной защиты Луганска.",
            "en": "Discussed with the Moscow experts at Lugansk's social protection centres.",
        },
        "raised_on": "2022-11-01",
        "raised_at_event": "moscow-experts-lugansk-2022",
        "status": "accepted",
        "example": _NEED_AT_EXPERTS_VISIT,
    },
    {
        "key": "lugansk-online-training",
        "partner": "lnr-ministry-labour",
        "kind": "training",
        "title": {
            "ru": "Образовательные мероприятия для специалистов в онлайн-формате",
            "en": "Online training for specialists",
        },
        "description": {
            "ru": "Обсуждено с московскими экспертами; специалисты на постоянной связи.",
            "en": "Discussed with the Moscow experts; the specialists stay in constant contact.",
        },
        "raised_on": "2022-11-01",
        "raised_at_event": "moscow-experts-lugansk-2022",
        "status": "in_progress",
        "example": _NEED_AT_EXPERTS_VISIT,
    },
    {
        "key": "lugansk-assistive-point",
        "partner": "lugansk-administration",
        "kind": "assistive_devices",
        "title": {
            "ru": "Пункт выдачи технических средств реабилитации при Республиканской больнице "
            "№ 1 г. Луганска",
            "en": "An assistive device issuing point at Republican Hospital No. 1, Lugansk",
        },
        "description": {
            "ru": "Предложение открыть пункт выдачи (новость от 28 ноября 2022 года).",
            "en": "A proposal to open an issuing point (news of 28 November 2022).",
        },
        # The date of the news: the proposal is known by then.
        "raised_on": "2022-11-28",
        "raised_at_event": "",
        "status": "raised",
        "example": "Партнёр — пример: источник 001 не говорит, кто предложил открыть пункт "
        "выдачи; дата — день новости",
    },
    {
        "key": "lnr-humanitarian",
        "partner": "lnr",
        "kind": "humanitarian",
        "title": {
            "ru": "Гуманитарная помощь: специальные средства для нуждающихся",
            "en": "Humanitarian aid: special means for those in need",
        },
        "description": {
            "ru": "Москва продолжает организацию гуманитарной помощи Донецкой и Луганской "
            "народным республикам.",
            "en": "Moscow continues to organise humanitarian aid to the Donetsk and Lugansk "
            "People's Republics.",
        },
        "raised_on": "2022-11-01",
        "raised_at_event": "",
        "status": "met",
        "example": _HUMANITARIAN_NEED,
    },
    {
        "key": "dnr-humanitarian",
        "partner": "dnr",
        "kind": "humanitarian",
        "title": {
            "ru": "Гуманитарная помощь: специальные средства для нуждающихся",
            "en": "Humanitarian aid: special means for those in need",
        },
        "description": {
            "ru": "Москва продолжает организацию гуманитарной помощи Донецкой и Луганской "
            "народным республикам.",
            "en": "Moscow continues to organise humanitarian aid to the Donetsk and Lugansk "
            "People's Republics.",
        },
        "raised_on": "2022-11-01",
        "raised_at_event": "",
        "status": "met",
        "example": _HUMANITARIAN_NEED,
    },
]

# Seed 001: «Мы не только передаем спецсредства нуждающимся» — to both republics.
_SPECIAL_MEANS: dict[str, Any] = {
    "name": {
        "ru": "Специальные средства для нуждающихся",
        "en": "Special means for those in need",
    },
    "quantity": "1",
    "unit": "комплект",
}
COOPERATION_AID: list[dict[str, Any]] = [
    {
        "partner": "lnr",
        "need": "lnr-humanitarian",
        "handed_over_on": "2022-11-28",
        "document": "",
        "notes": "Гуманитарная помощь Луганской Народной Республике (новость от 28.11.2022).",
        "items": [_SPECIAL_MEANS],
        "example": _HUMANITARIAN_AID,
    },
    {
        "partner": "dnr",
        "need": "dnr-humanitarian",
        "handed_over_on": "2022-11-28",
        "document": "",
        "notes": "Гуманитарная помощь Донецкой Народной Республике (новость от 28.11.2022).",
        "items": [_SPECIAL_MEANS],
        "example": _HUMANITARIAN_AID,
    },
]
