"""Facts taken from the five source documents (../shared/seeds), with the seed each comes from.

Apps' demo steps read these so the demo shows the real partners, institutions, events and figures.
"""

DEPARTMENT = {
    "code": "dtszn-moscow",
    "name": "Департамент труда и социальной защиты населения города Москвы",
    "name_en": "Moscow Department of Labour and Social Protection",
    "short_name": "ДТСЗН",
    "kind": "governing-body",
    "website": "https://www.mos.ru/dszn/",
    "seed": "000, 001, 004",
}

# The districts the institutions below stand in, with rounded populations (the registry's
# synthetic population adds the other districts of Moscow).
DISTRICTS = [
    {"code": "tverskoy", "name": "Тверской", "name_en": "Tverskoy", "population": 76_000},
    {"code": "maryino", "name": "Марьино", "name_en": "Maryino", "population": 250_000},
]

# Institutions named in the seeds (domain.md §4); Moscow unless said. ``parent`` is the code of
# the governing body, ``district`` the code of a district above; an address only where the seed
# gives one. ``status`` is open unless said.
INSTITUTIONS = [
    DEPARTMENT,
    {
        "code": "crisis-centre-women-children",
        "name": "Кризисный центр помощи женщинам и детям",
        "name_en": "Crisis Centre for Women and Children",
        "kind": "crisis-centre",
        "parent": "dtszn-moscow",
        "seed": "000",
    },
    {
        "code": "family-childhood-resource-centre",
        "name": "Ресурсный центр поддержки семьи и детства",
        "name_en": "Resource Centre for Family and Childhood Support",
        "kind": "family-support-centre",
        "parent": "dtszn-moscow",
        "seed": "000",
    },
    {
        "code": "family-upbringing-centre-1",
        "name": "Центр содействия семейному воспитанию «Берег»",
        "name_en": "Centre for the Promotion of Family Upbringing «Bereg»",
        "kind": "family-upbringing-centre",
        "parent": "dtszn-moscow",
        "seed": "001 (centres for the promotion of family upbringing; the name is an example)",
    },
    {
        "code": "family-upbringing-centre-2",
        "name": "Центр содействия семейному воспитанию «Юнона»",
        "name_en": "Centre for the Promotion of Family Upbringing «Yunona»",
        "kind": "family-upbringing-centre",
        "parent": "dtszn-moscow",
        "seed": "001 (the seed names several such centres; the name is an example)",
    },
    {
        "code": "boarding-school-blind-1",
        "name": "Школа-интернат № 1 для обучения и реабилитации слепых",
        "name_en": "Boarding School No. 1 for the Education and Rehabilitation of the Blind",
        "kind": "boarding-school",
        "parent": "dtszn-moscow",
        "seed": "001",
    },
    {
        "code": "complex-rehabilitation-educational-centre",
        "name": "Комплексный реабилитационно-образовательный центр",
        "name_en": "Complex Rehabilitation and Educational Centre",
        "kind": "rehabilitation-education-centre",
        "parent": "dtszn-moscow",
        "seed": "001",
    },
    {
        "code": "moscow-city-rehabilitation-centre",
        "name": "Московский городской центр реабилитации",
        "name_en": "Moscow City Rehabilitation Centre",
        "kind": "rehabilitation-centre",
        "parent": "dtszn-moscow",
        "seed": "001",
    },
    {
        "code": "rehabilitation-education-centre-7",
        "name": "Центр реабилитации и образования № 7",
        "name_en": "Centre for Rehabilitation and Education No. 7",
        "kind": "rehabilitation-education-centre",
        "parent": "dtszn-moscow",
        "seed": "001",
    },
    {
        "code": "tcso-tverskoy",
        "name": "ТЦСО «Тверской» — «Мой социальный центр»",
        "name_en": "Territorial Social Service Centre «Tverskoy» (My Social Centre)",
        "short_name": "ТЦСО «Тверской»",
        "kind": "tcso",
        "parent": "dtszn-moscow",
        "district": "tverskoy",
        "seed": "004 (TCSO; the district is an example)",
    },
    {
        "code": "tcso-maryino",
        "name": "ТЦСО «Марьино» — «Мой социальный центр»",
        "name_en": "Territorial Social Service Centre «Maryino» (My Social Centre)",
        "short_name": "ТЦСО «Марьино»",
        "kind": "tcso",
        "parent": "dtszn-moscow",
        "district": "maryino",
        "seed": "004 (TCSO; the district is an example)",
    },
    {
        "code": "moscow-longevity-tverskoy",
        "name": "Центр «Московское долголетие» при ТЦСО «Тверской»",
        "name_en": "«Moscow Longevity» centre at the TCSO «Tverskoy»",
        "short_name": "«Московское долголетие»",
        "kind": "longevity-centre",
        "parent": "tcso-tverskoy",
        "district": "tverskoy",
        "seed": "004 (the project runs since March 2018; the centre is an example)",
    },
    {
        "code": "my-work-flagship",
        "name": "Флагманский центр занятости «Моя работа»",
        "name_en": "Flagship employment centre «My Work»",
        "kind": "flagship-employment-centre",
        "parent": "dtszn-moscow",
        "seed": "004",
    },
    {
        "code": "my-career-centre",
        "name": "Центр «Моя карьера»",
        "name_en": "Centre «My Career»",
        "kind": "specialised-employment-centre",
        "parent": "dtszn-moscow",
        "seed": "004",
    },
    {
        "code": "employment-dept-my-documents-tverskoy",
        "name": "Отдел трудоустройства в центре госуслуг «Мои Документы» района Тверской",
        "name_en": "Employment department at the «My Documents» centre, Tverskoy district",
        "kind": "employment-department",
        "parent": "dtszn-moscow",
        "district": "tverskoy",
        "seed": "004 (46 departments moved into «My Documents»; the district is an example)",
    },
    {
        "code": "mgpu",
        "name": "Московский городской педагогический университет",
        "name_en": "Moscow City Pedagogical University",
        "kind": "partner-university",
        "website": "https://www.mgpu.ru/",
        "seed": "004 (Silver University partner)",
    },
    {
        "code": "mguu",
        "name": "Московский городской университет управления Правительства Москвы",
        "name_en": "Moscow City University of Management of the Moscow Government",
        "kind": "partner-university",
        "website": "https://mguu.ru/",
        "seed": "004 (Silver University partner)",
    },
    {
        "code": "lugansk-republican-hospital-1",
        "name": "Республиканская больница № 1, Луганск",
        "name_en": "Republican Hospital No. 1, Lugansk",
        "kind": "partner-institution",
        "address": "г. Луганск",
        "seed": "001",
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
    },
    {
        "code": "lugansk-nezabudka",
        "name": "Луганское детское учреждение санаторного типа «Незабудка»",
        "name_en": "Lugansk sanatorium-type children's institution «Nezabudka»",
        "kind": "partner-institution",
        "address": "г. Луганск",
        "seed": "001 (its director, Alexander Shabanov, is quoted)",
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
]
# Shown by `opora demo`; a demo database is for trying Opora, never for real data.
DEMO_PASSWORD = "opora-demo-2026"  # noqa: S105 - printed to whoever runs the demo
