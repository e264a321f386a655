"""A synthetic population of Moscow for the demo, the tests and the benchmarks.

``generate()`` yields the population chunk by chunk (never more than ``CHUNK_PEOPLE`` people in
memory); ``write_csv()`` writes it into a directory as five CSV files, in parallel processes
when asked. The same seed gives the same files, whatever the number of processes.

Files (UTF-8, comma-separated, a header row, dates as dd.mm.yyyy, empty cells for no value):

- ``people.csv``: external_key, last_name, first_name, patronymic, sex (M/F),
  birth_date (dd.mm.yyyy), snils ("123-456-789 01", valid check number, unique; empty for
  about 3 % of people, and for one record of each duplicate pair: about 4 % of all rows),
  phone (Russian numbers in the forms people type them), email (some), district (a code of
  ``DISTRICTS``), registration_address, institution (code of the district's territorial social
  service centre, "tcso-<district>").
- ``households.csv``: household_key, person_key, relation (registry ``Relation`` values:
  applicant, spouse, child, parent, sibling, grandchild, ward, other), is_applicant (1/0),
  joined_on (dd.mm.yyyy). Exactly one applicant per household, listed first.
- ``categories.csv``: external_key, person_key, category (a code of reference.CATEGORY_KINDS),
  valid_from, valid_to (dd.mm.yyyy; valid_to empty when open-ended), basis_document, source.
  Household-level categories (large family, low income, difficult situation) are held by one
  person of the household: the applicant, or for a large family the mother.
- ``incomes.csv``: person_key, month (mm.yyyy), kind (salary/pension/benefit/other), source,
  amount (roubles, two decimals, a dot). The twelve whole months before ``as_of``; one row per
  person, month, kind and source.
- ``truth.csv``: duplicate_key, original_key: every injected duplicate record and the person it
  duplicates.

Keys (after an optional prefix): people "P00000001" (numbered in file order, duplicates among
them), households "H0000-00001" and categories "C0000-000001" (chunk, then number).

A duplicate is a bare person record such as another system would send (no household or income;
sometimes one of the original's categories). It differs from its original in one or two of
these ways: a typo (one edit) in the surname or first name; the whole name typed in Latin by a
foreign system (``LATIN_HABITS``); day and month of birth swapped; no patronymic; surname and
first name swapped; another phone (or none). Its email is the original's or none; its sex,
district, address and institution are the original's. Its SNILS is never a different number:
at most one of the pair carries the SNILS (the registry refuses a second record with the same
SNILS, so the duplicates that reach it are the ones where one side lacks it).

Figures (salaries, pensions, benefits, rates) are plausible examples, not official values.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import multiprocessing
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opora.demo import synthetic

from .names import snils_check_number, transliterate

# ---------------------------------------------------------------------------------------------
# Districts


@dataclass(frozen=True)
class DistrictFact:
    code: str
    name: str
    name_en: str
    okrug: str
    population: int  # approximate, rounded; weights where people live
    streets: tuple[str, ...]

    @property
    def institution(self) -> str:
        """The territorial social service centre (ТЦСО) serving the district."""
        return f"tcso-{self.code}"


def _district(
    code: str, name: str, name_en: str, okrug: str, population: int, streets: str
) -> DistrictFact:
    return DistrictFact(
        code, name, name_en, okrug, population, tuple(s.strip() for s in streets.split(";"))
    )


# Real districts of Moscow with rounded populations and some of their real streets.
DISTRICTS: tuple[DistrictFact, ...] = (
    _district(
        "tverskoy",
        "Тверской",
        "Tverskoy",
        "ЦАО",
        76_000,
        "ул. Тверская; ул. Малая Дмитровка; ул. Новослободская; Страстной бул.; ул. Каретный Ряд",
    ),
    _district(
        "arbat",
        "Арбат",
        "Arbat",
        "ЦАО",
        36_000,
        "ул. Арбат; ул. Новый Арбат; пер. Сивцев Вражек; Староконюшенный пер.",
    ),
    _district(
        "presnensky",
        "Пресненский",
        "Presnensky",
        "ЦАО",
        130_000,
        "ул. Красная Пресня; ул. Большая Грузинская; ул. Зоологическая; ул. Пресненский Вал",
    ),
    _district(
        "basmanny",
        "Басманный",
        "Basmanny",
        "ЦАО",
        110_000,
        "ул. Старая Басманная; ул. Покровка; ул. Бауманская; ул. Доброслободская",
    ),
    _district(
        "khamovniki",
        "Хамовники",
        "Khamovniki",
        "ЦАО",
        110_000,
        "Комсомольский просп.; ул. Льва Толстого; ул. Плющиха; ул. Усачёва",
    ),
    _district(
        "maryino",
        "Марьино",
        "Maryino",
        "ЮВАО",
        250_000,
        "ул. Братиславская; ул. Люблинская; Новочеркасский бул.; ул. Перерва;"
        " ул. Маршала Голованова",
    ),
    _district(
        "vykhino-zhulebino",
        "Выхино-Жулебино",
        "Vykhino-Zhulebino",
        "ЮВАО",
        225_000,
        "ул. Ферганская; Рязанский просп.; ул. Хлобыстова; ул. Генерала Кузнецова;"
        " Лермонтовский просп.",
    ),
    _district(
        "lyublino",
        "Люблино",
        "Lyublino",
        "ЮВАО",
        180_000,
        "ул. Краснодонская; ул. Совхозная; ул. Армавирская; ул. Ставропольская",
    ),
    _district(
        "tekstilshchiki",
        "Текстильщики",
        "Tekstilshchiki",
        "ЮВАО",
        105_000,
        "ул. Артюхиной; Волгоградский просп.; ул. Чистова; ул. Грайвороновская",
    ),
    _district(
        "kuzminki",
        "Кузьминки",
        "Kuzminki",
        "ЮВАО",
        145_000,
        "ул. Маршала Чуйкова; ул. Зеленодольская; ул. Юных Ленинцев; ул. Шумилова",
    ),
    _district(
        "yasenevo",
        "Ясенево",
        "Yasenevo",
        "ЮЗАО",
        180_000,
        "Новоясеневский просп.; ул. Паустовского; ул. Голубинская; Литовский бул.; ул. Вильнюсская",
    ),
    _district(
        "tyoply-stan",
        "Тёплый Стан",
        "Tyoply Stan",
        "ЮЗАО",
        135_000,
        "ул. Профсоюзная; ул. Тёплый Стан; ул. Островитянова; ул. Академика Виноградова",
    ),
    _district(
        "konkovo",
        "Коньково",
        "Konkovo",
        "ЮЗАО",
        155_000,
        "ул. Бутлерова; ул. Академика Волгина; ул. Миклухо-Маклая; ул. Профсоюзная",
    ),
    _district(
        "chertanovo-yuzhnoye",
        "Чертаново Южное",
        "Chertanovo Yuzhnoye",
        "ЮАО",
        150_000,
        "ул. Чертановская; ул. Кировоградская; ул. Днепропетровская; ул. Подольских Курсантов",
    ),
    _district(
        "orekhovo-borisovo-yuzhnoye",
        "Орехово-Борисово Южное",
        "Orekhovo-Borisovo Yuzhnoye",
        "ЮАО",
        150_000,
        "Каширское ш.; ул. Генерала Белова; Ореховый бул.; ул. Ясеневая; ул. Домодедовская",
    ),
    _district(
        "bibirevo",
        "Бибирево",
        "Bibirevo",
        "СВАО",
        155_000,
        "ул. Пришвина; ул. Бибиревская; ул. Плещеева; ул. Лескова; ул. Белозерская",
    ),
    _district(
        "otradnoye",
        "Отрадное",
        "Otradnoye",
        "СВАО",
        185_000,
        "ул. Декабристов; ул. Римского-Корсакова; Алтуфьевское ш.; Северный бул.",
    ),
    _district(
        "khoroshyovo-mnyovniki",
        "Хорошёво-Мнёвники",
        "Khoroshyovo-Mnyovniki",
        "СЗАО",
        180_000,
        "ул. Народного Ополчения; ул. Мнёвники; ул. Генерала Глаголева;"
        " ул. Демьяна Бедного; ул. Маршала Тухачевского",
    ),
    _district(
        "mitino",
        "Митино",
        "Mitino",
        "СЗАО",
        200_000,
        "Пятницкое ш.; ул. Митинская; ул. Дубравная; ул. Барышиха",
    ),
    _district(
        "strogino",
        "Строгино",
        "Strogino",
        "СЗАО",
        160_000,
        "ул. Твардовского; ул. Исаковского; ул. Кулакова; Строгинский бул.; ул. Маршала Катукова",
    ),
    _district(
        "solntsevo",
        "Солнцево",
        "Solntsevo",
        "ЗАО",
        130_000,
        "ул. Богданова; ул. Главмосстроя; ул. Щорса; ул. Волынская; Солнцевский просп.",
    ),
    _district(
        "ramenki",
        "Раменки",
        "Ramenki",
        "ЗАО",
        140_000,
        "Мичуринский просп.; ул. Раменки; Ломоносовский просп.; ул. Удальцова; ул. Винницкая",
    ),
    _district(
        "golyanovo",
        "Гольяново",
        "Golyanovo",
        "ВАО",
        165_000,
        "Щёлковское ш.; ул. Уральская; ул. Хабаровская; ул. Алтайская; ул. Байкальская",
    ),
    _district(
        "izmaylovo",
        "Измайлово",
        "Izmaylovo",
        "ВАО",
        110_000,
        "Измайловский просп.; ул. Первомайская; 3-я Парковая ул.; Измайловский бул.",
    ),
    _district(
        "perovo",
        "Перово",
        "Perovo",
        "ВАО",
        140_000,
        "ул. Плеханова; Зелёный просп.; ул. Перовская; ул. Кусковская",
    ),
    _district(
        "novokosino",
        "Новокосино",
        "Novokosino",
        "ВАО",
        105_000,
        "ул. Новокосинская; ул. Суздальская; ул. Салтыковская; ул. Городецкая",
    ),
    _district("kryukovo", "Крюково", "Kryukovo", "ЗелАО", 100_000, "Зеленоград"),
)
DISTRICTS_BY_CODE = {d.code: d for d in DISTRICTS}

# ---------------------------------------------------------------------------------------------
# Files

PEOPLE_COLUMNS = (
    "external_key",
    "last_name",
    "first_name",
    "patronymic",
    "sex",
    "birth_date",
    "snils",
    "phone",
    "email",
    "district",
    "registration_address",
    "institution",
)
HOUSEHOLD_COLUMNS = ("household_key", "person_key", "relation", "is_applicant", "joined_on")
CATEGORY_COLUMNS = (
    "external_key",
    "person_key",
    "category",
    "valid_from",
    "valid_to",
    "basis_document",
    "source",
)
INCOME_COLUMNS = ("person_key", "month", "kind", "source", "amount")
TRUTH_COLUMNS = ("duplicate_key", "original_key")
FILES = {
    "people": ("people.csv", PEOPLE_COLUMNS),
    "households": ("households.csv", HOUSEHOLD_COLUMNS),
    "categories": ("categories.csv", CATEGORY_COLUMNS),
    "incomes": ("incomes.csv", INCOME_COLUMNS),
    "truth": ("truth.csv", TRUTH_COLUMNS),
}
CHUNK_PEOPLE = 20_000

# ---------------------------------------------------------------------------------------------
# Names: demo/synthetic.py's lists, extended, and weighted by popularity and generation.


def _words(text: str) -> list[str]:
    return text.split()


def _weighted(names: Sequence[str], skew: float = 0.7, scale: int = 60) -> tuple[str, ...]:
    """Each name repeated in proportion to 1/(rank+2)^skew: earlier names are commoner."""
    out: list[str] = []
    for rank, name in enumerate(names):
        out.extend([name] * max(1, round(scale / (rank + 2) ** skew)))
    return tuple(out)


_MALE_OLD = _words(
    "Александр Владимир Николай Виктор Анатолий Юрий Василий Иван Михаил Геннадий Борис"
    " Валерий Евгений Леонид Вячеслав Пётр Григорий Станислав Фёдор Аркадий Эдуард Степан"
    " Лев Семён Павел Олег Игорь Константин Виталий Ростислав"
)
_MALE_MID = _words(
    "Андрей Сергей Алексей Дмитрий Александр Игорь Олег Владимир Евгений Михаил Павел Роман"
    " Денис Максим Антон Константин Вадим Юрий Виктор Николай Илья Кирилл Руслан Станислав"
    " Вячеслав Артём Иван Виталий Тимур Григорий Леонид Эдуард Ярослав Глеб Рустам Ильдар"
)
_MALE_YOUNG = _words(
    "Александр Максим Артём Михаил Иван Даниил Дмитрий Кирилл Матвей Никита Егор Андрей Илья"
    " Алексей Марк Лев Тимофей Роман Фёдор Глеб Арсений Владислав Ярослав Степан Богдан Тимур"
    " Захар Семён Георгий Платон Мирон Давид Савва Всеволод Святослав Демид Артур Арсен"
)
_FEMALE_OLD = _words(
    "Валентина Галина Нина Тамара Людмила Лидия Антонина Зинаида Раиса Вера Надежда Любовь"
    " Мария Анна Татьяна Екатерина Клавдия Александра Зоя Елена Ольга Лариса Нелли Маргарита"
)
_FEMALE_MID = _words(
    "Елена Ольга Наталья Ирина Татьяна Светлана Марина Юлия Анна Екатерина Оксана Лариса"
    " Людмила Жанна Инна Алла Евгения Мария Надежда Вера Галина Анастасия Виктория Ксения"
    " Кристина Дарья Лилия Эльвира Диана Яна Алёна Маргарита"
)
_FEMALE_YOUNG = _words(
    "Анастасия Мария Дарья Анна Екатерина Полина София Виктория Алина Ксения Елизавета"
    " Александра Валерия Варвара Алиса Ева Арина Вероника Милана Ульяна Василиса Кристина"
    " Юлия Ангелина Таисия Яна Диана Камила Алёна Есения Мирослава Злата Амелия"
)
# The demo's lists join the mid generation so that every name of demo/synthetic.py occurs.
MALE_NAMES_BY_ERA = (
    _weighted(_MALE_OLD),
    _weighted(_MALE_MID + [n for n in synthetic.MALE_NAMES if n not in _MALE_MID]),
    _weighted(_MALE_YOUNG),
)
FEMALE_NAMES_BY_ERA = (
    _weighted(_FEMALE_OLD),
    _weighted(_FEMALE_MID + [n for n in synthetic.FEMALE_NAMES if n not in _FEMALE_MID]),
    _weighted(_FEMALE_YOUNG),
)
EXTRA_SURNAMES = _words(
    "Ершов Жданов Зуев Зимин Игнатьев Калашников Кравченко Лаптев Лысенко Мухин Носков"
    " Рябов Савченко Субботин Суханов Тарасенко Уваров Ушаков Фадеев Хромов Цыганков Чистяков"
    " Шаров Шестаков Шилов Широков Щукин Яшин Агафонов Бурцев Вавилов Гордеев Дорофеев"
    " Евдокимов Ерофеев Жилин Зотов Капустин Карасёв Кожевников Комиссаров Лапин Лобанов Лукин"
    " Мамонтов Мясников Некрасов Одинцов Пахомов Пименов Рожков Рыжов Сазонов Селезнёв Силин"
    " Трифонов Туманов Устинов Фокин Блинов Бобров Веселов Виноградский Гладков Горелов"
    " Грибов Дьяконов Ефимов Зиновьев Измайлов Кабанов Козырев Кондаков Корнилов Кошелев"
    " Кудряшов Ларионов Лихачёв Лопатин Макеев Мартынюк Мещеряков Мишин Муравьёв Никонов"
    " Новосёлов Овсянников Орехов Панкратов Пестов Пичугин Полковников Родин Русаков Рыбкин"
    " Самойлов Сахаров Северов Скворцов Смолин Соколовский Спиридонов Стрельцов Сурков Тетерин"
    " Третьяков Туров Тюрин Ульянов Фирсов Хомяков Цветаев Чеботарёв Черкасов Шапошников"
    " Шубин Юсупов Ямщиков Введенский Покровский Богословский Вишневский Троицкий Островский"
    " Жуковский Садовский Яворский Крутицкий Луговой Боровой Береговой Толстой Белый Сафин"
    " Хабибуллин Галиев Ахметов Исмаилов Алиев Мамедов Гасанов Арутюнян Саакян Григорян"
    " Оганесян Беридзе Гелашвили Ким Пак Лысенко Мельниченко Ткаченко Коваленко Бойко"
    " Петренко Литвиненко Гайдамак Кириленко Руденко Сидоренко"
)
SURNAMES = _weighted(
    list(dict.fromkeys(list(synthetic.SURNAMES) + EXTRA_SURNAMES)), skew=0.6, scale=40
)

# demo/synthetic.patronymic() forms "Михаилович"; these names take a softened stem.
_PATRONYMIC_EXCEPTIONS = {"Михаил": ("Михайлович", "Михайловна")}


def patronymic(father: str, sex: str) -> str:
    if father in _PATRONYMIC_EXCEPTIONS:
        male, female = _PATRONYMIC_EXCEPTIONS[father]
        return male if sex == "M" else female
    return synthetic.patronymic(father, sex)


def surname_for(base: str, sex: str) -> str:
    """``base`` is the male form; women take the female form."""
    return base if sex == "M" else synthetic.female_surname(base)


# ---------------------------------------------------------------------------------------------
# Latin spellings a foreign system may type, and one-edit typos.

_BGN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_VOWELS = set("аеёиоуыэюяъь")


def _latin(text: str, table: dict[str, str], *, ye: bool, english: bool) -> str:
    out: list[str] = []
    lower = text.lower()
    for i, char in enumerate(lower):
        previous = lower[i - 1] if i else " "
        following = lower[i + 1 : i + 2]
        if english and char == "и" and following == "й" and i + 2 == len(lower):
            latin = "i"  # "Юрий" → "Yuri"
        elif english and char == "й" and previous == "и" and i + 1 == len(lower):
            latin = ""
        elif english and char == "ь" and following == "я":
            latin = "i"  # "Наталья" → "Natalia"
        elif english and char == "я" and previous in ("и", "ь"):
            latin = "a"  # "Мария" → "Maria"
        elif english and char == "к" and following == "с":
            latin = "x"  # "Алексей" → "Alexey"
        elif english and char == "с" and previous == "к":
            latin = ""
        elif ye and char == "е" and (previous in _VOWELS or not previous.isalpha()):
            latin = "ye"  # "Евгений" → "Yevgeniy"
        else:
            latin = table.get(char, char)
        if text[i] != char and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
    return "".join(out)


LATIN_HABITS: dict[str, Callable[[str], str]] = {
    "passport": transliterate,  # ICAO, the Russian passport since 2014: "Iurii"
    "bgn": lambda text: _latin(text, _BGN, ye=True, english=False),  # "Yuriy"
    "english": lambda text: _latin(text, _BGN, ye=False, english=True),  # "Yuri"
}

_KEYBOARD_ROWS = ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS: dict[str, str] = {}
for _row in _KEYBOARD_ROWS:
    for _i, _c in enumerate(_row):
        _NEIGHBOURS[_c] = _row[max(0, _i - 1) : _i] + _row[_i + 1 : _i + 2]
for _a, _b in ("ао", "еи", "её", "иы", "сз", "тд", "вф", "бп", "ie", "ao", "yi", "sz"):
    _NEIGHBOURS[_a] = _NEIGHBOURS.get(_a, "") + _b
    _NEIGHBOURS[_b] = _NEIGHBOURS.get(_b, "") + _a


def typo(word: str, rng: random.Random) -> str:
    """One edit (substitution by a neighbouring key or a like-sounding letter, deletion,
    doubling, or swapping two neighbours), never on the first letter; always differs."""
    if len(word) < 3:
        return word + word[-1]
    for _attempt in range(10):
        i = rng.randrange(1, len(word))
        operation = rng.random()
        if operation < 0.4:
            choices = _NEIGHBOURS.get(word[i].lower(), "")
            if not choices:
                continue
            result = word[:i] + rng.choice(choices) + word[i + 1 :]
        elif operation < 0.6:
            result = word[:i] + word[i + 1 :]
        elif operation < 0.75:
            result = word[:i] + word[i] + word[i:]
        else:
            if i + 1 >= len(word) or word[i] == word[i + 1]:
                continue
            result = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if result != word:
            return result
    return word + word[-1]


# ---------------------------------------------------------------------------------------------
# Rules and example figures


def retirement_age(sex: str, birth_year: int) -> int:
    """The old-age pension age under the 2019 reform, simplified to one year per cohort:
    60 for men born up to 1958 (55 for women up to 1963), then one more year per year of birth
    up to 65 (60)."""
    base, last_year = (60, 1958) if sex == "M" else (55, 1963)
    return base + min(5, max(0, birth_year - last_year))


# Example figures in roubles a month (not official values).
MINIMUM_WAGE = 29_389
MEDIAN_SALARY = 85_000
CITY_SOCIAL_STANDARD = 25_000  # a Moscow pensioner's income is topped up to this
CHILD_SUBSISTENCE_MINIMUM = 21_000
PENSION_INDEXATION = 1.073  # from January of the current year

EMPLOYERS = (
    "ГБОУ «Школа № {n}»", "ГБУЗ «Городская поликлиника № {n}»", "ГБУ «Жилищник района»",
    "ГБДОУ «Детский сад № {n}»", "ООО «Вектор»", "ООО «Стройинвест»", "АО «Мосэнергосбыт»",
    "ООО «Торговый дом «Северный»", "ПАО «Банк»", "ООО «Логистик-Сервис»", "ГУП «Мосгортранс»",
    "ООО «ИТ Решения»", "ООО «Ромашка»", "АО «Московский завод № {n}»", "ИП {surname}",
    "ГБУ ТЦСО «Мой социальный центр»", "ООО «Альфа-Ритейл»", "ГКУ «Центр занятости населения»",
    "ФГБУ «НИИ № {n}»", "ООО «Кафе на углу»",
)  # fmt: skip

EMAIL_DOMAINS = _words(
    "mail.ru mail.ru yandex.ru yandex.ru gmail.com bk.ru list.ru inbox.ru rambler.ru"
)

# Household kinds and their weights (shares of households).
HOUSEHOLD_KINDS = (
    ("single", 0.130),
    ("pensioner_alone", 0.160),
    ("young_couple", 0.055),
    ("couple", 0.065),
    ("elderly_couple", 0.105),
    ("family", 0.200),
    ("single_parent", 0.065),
    ("three_generations", 0.045),
    ("adult_with_parents", 0.055),
    ("with_adult_children", 0.085),
    ("siblings", 0.025),
    ("guardian", 0.005),
)

# Disability by age: (upper age, probability); groups I, II, III share.
DISABILITY_BY_AGE = ((18, 0.015), (40, 0.03), (60, 0.075), (70, 0.14), (80, 0.22), (200, 0.32))
DISABILITY_GROUPS = ((0.1, "disability-1"), (0.55, "disability-2"), (1.0, "disability-3"))


# ---------------------------------------------------------------------------------------------
# Generation


@dataclass
class Chunk:
    """One chunk of the population: rows as the CSV files hold them (tuples of strings)."""

    index: int
    people: list[tuple[str, ...]] = field(default_factory=list)
    households: list[tuple[str, ...]] = field(default_factory=list)
    categories: list[tuple[str, ...]] = field(default_factory=list)
    incomes: list[tuple[str, ...]] = field(default_factory=list)
    truth: list[tuple[str, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class ChunkPlan:
    index: int
    originals: int  # people in households
    duplicates: int  # duplicate records added
    first_record: int  # 0-based number of the chunk's first record among all records
    first_original: int  # 0-based number of the chunk's first original person


def plan(
    people: int, duplicate_share: float = 0.02, chunk_people: int = CHUNK_PEOPLE
) -> list[ChunkPlan]:
    """Split ``people`` records (originals plus ``duplicate_share`` of duplicates) into chunks."""
    if people < 0:
        raise ValueError("people must not be negative")
    if not 0 <= duplicate_share < 0.5:
        raise ValueError("duplicate_share must be at least 0 and below 0.5")
    duplicates = round(people * duplicate_share)
    originals = people - duplicates
    plans: list[ChunkPlan] = []
    done = 0
    while done < originals:
        count = min(chunk_people, originals - done)
        dup_before = round(done * duplicates / originals)
        dup_after = round((done + count) * duplicates / originals)
        plans.append(ChunkPlan(len(plans), count, dup_after - dup_before, done + dup_before, done))
        done += count
    return plans


class _Person:
    __slots__ = (
        "address",
        "age",
        "birth",
        "district",
        "email",
        "first",
        "key",
        "last",
        "patr",
        "phone",
        "sex",
        "snils",
        "work",
    )

    def __init__(self) -> None:
        self.email = ""
        self.phone = ""
        self.snils = ""
        self.work = ""


def _fmt(ordinal: int) -> str:
    d = dt.date.fromordinal(ordinal)
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def _add_years(ordinal: int, years: int) -> int:
    d = dt.date.fromordinal(ordinal)
    try:
        return d.replace(year=d.year + years).toordinal()
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28).toordinal()


_YEAR = 365.2425
# An affine bijection over this many numbers gives unique SNILS without remembering them.
_SNILS_SPACE = 997_000_000
_SNILS_FLOOR = 2_000_000


class _ChunkGenerator:
    def __init__(
        self,
        *,
        seed: int,
        chunk: ChunkPlan,
        as_of: dt.date,
        districts: Sequence[DistrictFact],
        key_prefix: str,
    ) -> None:
        self.rng = random.Random(f"opora-synth:{seed}:{chunk.index}")
        self.random = self.rng.random
        self.plan = chunk
        self.today = as_of.toordinal()
        self.as_of = as_of
        self.prefix = key_prefix
        self.chunk = Chunk(chunk.index)
        total = chunk.originals + chunk.duplicates
        self.dup_slots = sorted(self.rng.sample(range(total), chunk.duplicates))
        dup_set = set(self.dup_slots)
        self.original_slots = (s for s in range(total) if s not in dup_set)
        self.originals: list[_Person] = []
        self.household_no = 0
        self.category_no = 0
        # SNILS: number = floor + (a * serial + b) mod space, a coprime with the space.
        snils_rng = random.Random(f"opora-synth-snils:{seed}")
        self.snils_a = snils_rng.randrange(1_000_001, _SNILS_SPACE, 2)
        while math.gcd(self.snils_a, _SNILS_SPACE) != 1:
            self.snils_a += 2
        self.snils_b = snils_rng.randrange(_SNILS_SPACE)
        total_population = sum(d.population for d in districts)
        self.districts: list[DistrictFact] = []
        for district in districts:
            self.districts.extend(
                [district] * max(1, round(200 * district.population / total_population))
            )
        self.household_kinds: list[str] = []
        for kind, weight in HOUSEHOLD_KINDS:
            self.household_kinds.extend([kind] * round(weight * 1000))
        # The twelve whole months before as_of: ("mm.yyyy", month ordinal, in the new year).
        self.months = []
        year, month = as_of.year, as_of.month
        for _ in range(12):
            month -= 1
            if month == 0:
                year, month = year - 1, 12
            self.months.append(
                (
                    f"{month:02d}.{year}",
                    dt.date(year, month, 1).toordinal(),
                    year == as_of.year,
                    month,
                )
            )
        self.months.reverse()

    # --- small draws -----------------------------------------------------------------------

    def pick(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.random() * len(seq))]

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.random()

    def chance(self, p: float) -> bool:
        return self.random() < p

    def tri(self, low: float, high: float, mode: float) -> float:
        return self.rng.triangular(low, high, mode)

    def first_name(self, sex: str, birth_year: int) -> str:
        era = 0 if birth_year < 1962 else 1 if birth_year < 1992 else 2
        pool = MALE_NAMES_BY_ERA if sex == "M" else FEMALE_NAMES_BY_ERA
        return self.pick(pool[era])

    # --- people ----------------------------------------------------------------------------

    def person(self, sex: str, age: float, surname: str, father: str | None = None) -> _Person:
        p = _Person()
        p.sex = sex
        p.age = age
        p.birth = self.today - int(age * _YEAR) - 1 if age >= 0.01 else self.today - 1
        birth_year = dt.date.fromordinal(p.birth).year
        p.last = surname_for(surname, sex)
        p.first = self.first_name(sex, birth_year)
        if father is None:
            father = self.first_name("M", birth_year - 28)
        p.patr = patronymic(father, sex)
        return p

    # --- households ------------------------------------------------------------------------
    # Each builder returns [(person, relation)], the applicant first, and the kinds of link
    # that the categories need ("mother" and "children").

    def build(self, kind: str) -> tuple[list[tuple[_Person, str]], dict[str, Any]]:
        return getattr(self, f"_hh_{kind}")()

    def _surname(self) -> str:
        return self.pick(SURNAMES)

    def _hh_single(self):
        sex = "M" if self.chance(0.52) else "F"
        age = self.tri(18, 62, 30)
        return [(self.person(sex, age, self._surname()), "applicant")], {}

    def _hh_pensioner_alone(self):
        sex = "F" if self.chance(0.74) else "M"
        age = self.tri(60, 98, 66) if sex == "F" else self.tri(63, 95, 67)
        return [(self.person(sex, age, self._surname()), "applicant")], {}

    def _couple(self, low: float, high: float, mode: float) -> tuple[_Person, _Person, str]:
        surname = self._surname()
        husband_age = self.tri(low, high, mode)
        wife_age = max(18.0, husband_age - self.rng.gauss(2.5, 3.0))
        wife_surname = self._surname() if self.chance(0.1) else surname
        husband = self.person("M", husband_age, surname)
        wife = self.person("F", wife_age, wife_surname)
        return husband, wife, surname

    def _pair(self, husband: _Person, wife: _Person) -> list[tuple[_Person, str]]:
        if self.chance(0.62):
            return [(wife, "applicant"), (husband, "spouse")]
        return [(husband, "applicant"), (wife, "spouse")]

    def _hh_young_couple(self):
        husband, wife, _ = self._couple(21, 42, 29)
        return self._pair(husband, wife), {}

    def _hh_couple(self):
        husband, wife, _ = self._couple(42, 72, 60)
        return self._pair(husband, wife), {}

    def _hh_elderly_couple(self):
        husband, wife, _ = self._couple(62, 92, 67)
        return self._pair(husband, wife), {}

    def _children(self, mother_age: float, count: int, surname: str, father: str) -> list[_Person]:
        oldest = max(0.0, min(17.9, mother_age - 19))
        # Skewed towards the older end: mothers' ages cap the eldest, not the youngest.
        ages = sorted((oldest * self.random() ** 0.7 for _ in range(count)), reverse=True)
        return [self.person("M" if self.chance(0.51) else "F", a, surname, father) for a in ages]

    def _children_count(self) -> int:
        r = self.random()
        return 1 if r < 0.47 else 2 if r < 0.85 else 3 if r < 0.96 else 4 if r < 0.99 else 5

    def _hh_family(self):
        husband, wife, surname = self._couple(22, 56, 38)
        kids = self._children(wife.age, self._children_count(), surname, husband.first)
        members = self._pair(husband, wife) + [(k, "child") for k in kids]
        return members, {"mother": wife, "children": kids}

    def _hh_single_parent(self):
        count = 1 if self.chance(0.65) else 2 if self.chance(0.86) else 3
        if self.chance(0.88):
            surname = self._surname()
            mother = self.person("F", self.tri(20, 52, 34), surname)
            father = self.first_name("M", dt.date.fromordinal(mother.birth).year - 2)
            kids = self._children(mother.age, count, surname, father)
            return (
                [(mother, "applicant")] + [(k, "child") for k in kids],
                {"mother": mother, "children": kids, "single_parent": True},
            )
        surname = self._surname()
        father = self.person("M", self.tri(24, 56, 40), surname)
        kids = self._children(father.age - 2, count, surname, father.first)
        return (
            [(father, "applicant")] + [(k, "child") for k in kids],
            {"children": kids, "single_parent": True},
        )

    def _hh_three_generations(self):
        husband, wife, surname = self._couple(23, 48, 33)
        kids = self._children(wife.age, 1 if self.chance(0.6) else 2, surname, husband.first)
        husbands_side = self.chance(0.55)
        child = husband if husbands_side else wife
        grandmother_age = min(96.0, child.age + self.tri(19, 38, 26))
        grand_surname = surname if husbands_side else self._surname()
        grandmother = self.person("F", grandmother_age, grand_surname)
        elders = [grandmother]
        if self.chance(0.45):
            grandfather = self.person(
                "M", min(95.0, grandmother_age + self.uniform(0, 5)), grand_surname
            )
            elders.append(grandfather)
            child.patr = patronymic(grandfather.first, child.sex)
        members = self._pair(husband, wife)
        applicant = members[0][0]
        elder_relation = "parent" if applicant is child else "other"
        members += [(k, "child") for k in kids] + [(e, elder_relation) for e in elders]
        if self.chance(0.25):  # the grandmother applies for the household
            relation = {id(child): "child", id(grandmother): "applicant"}
            members = [(grandmother, "applicant")] + [
                (
                    p,
                    relation.get(
                        id(p), "grandchild" if p in kids else "spouse" if p in elders else "other"
                    ),
                )
                for p, _ in members
                if p is not grandmother
            ]
        return members, {"mother": wife, "children": kids}

    def _hh_adult_with_parents(self):
        surname = self._surname()
        sex = "M" if self.chance(0.45) else "F"
        age = self.tri(24, 60, 38)
        parent_age = min(97.0, age + self.tri(20, 36, 26))
        mother = self.person("F", parent_age, surname)
        elders = [mother]
        father_name = None
        if self.chance(0.35):
            father = self.person("M", min(95.0, parent_age + self.uniform(0, 4)), surname)
            elders.append(father)
            father_name = father.first
        adult = self.person(sex, age, surname, father_name)
        if self.chance(0.5):
            return [(adult, "applicant")] + [(e, "parent") for e in elders], {}
        members = [(mother, "applicant"), (adult, "child")]
        if len(elders) > 1:
            members.append((elders[1], "spouse"))
        return members, {}

    def _hh_with_adult_children(self):
        husband, wife, surname = self._couple(42, 66, 52)
        oldest_age = max(18.5, min(34.0, wife.age - 19))
        kids = [
            self.person(
                "M" if self.chance(0.5) else "F",
                self.tri(18, oldest_age, 19),
                surname,
                husband.first,
            )
            for _ in range(1 if self.chance(0.7) else 2)
        ]
        members = self._pair(husband, wife) + [(k, "child") for k in kids]
        if self.chance(0.2) and wife.age < 50:
            members += [(k, "child") for k in self._children(wife.age, 1, surname, husband.first)]
        return members, {"mother": wife, "children": [p for p, r in members if r == "child"]}

    def _hh_siblings(self):
        surname = self._surname()
        age = self.tri(20, 65, 35)
        first = self.person("M" if self.chance(0.5) else "F", age, surname)
        father = self.first_name("M", dt.date.fromordinal(first.birth).year - 28)
        first.patr = patronymic(father, first.sex)
        second = self.person(
            "M" if self.chance(0.5) else "F", max(18.0, age + self.uniform(-8, 8)), surname, father
        )
        return [(first, "applicant"), (second, "sibling")], {}

    def _hh_guardian(self):
        grandmother = self.person("F", self.tri(50, 78, 60), self._surname())
        surname = self._surname()
        father = self.first_name("M", 1990)
        wards = self._children(grandmother.age - 24, 1 if self.chance(0.7) else 2, surname, father)
        members = [(grandmother, "applicant")] + [(w, "ward") for w in wards]
        return members, {"wards": wards}

    # --- one household: members, contacts, categories, incomes ---------------------------

    def household(self, room: int) -> int:
        kind = self.pick(self.household_kinds)
        members, links = self.build(kind)
        members = members[:room]
        district = self.pick(self.districts)
        address = self.address(district)
        self.household_no += 1
        hh_key = f"{self.prefix}H{self.plan.index:04d}-{self.household_no:05d}"
        oldest_adult = max(p.age for p, _ in members)
        formed = self.today - int(self.uniform(0.2, max(0.5, min(oldest_adult - 18, 40))) * _YEAR)
        present = {id(p) for p, _ in members}
        # The last household of a chunk may have been cut short: links keep only who is left.
        for name in ("children", "wards"):
            if name in links:
                links[name] = [c for c in links[name] if id(c) in present]
        if "mother" in links and id(links["mother"]) not in present:
            del links["mother"]
        low_income = self.low_income(kind, links)
        shared_phone = ""
        for number, (p, relation) in enumerate(members):
            p.key = self.next_key()
            p.district = district
            p.address = address
            self.contacts(p, shared_phone)
            if number == 0:
                shared_phone = p.phone
            p.snils = self.snils(len(self.originals)) if self.chance(0.98) else ""
            self.originals.append(p)
            joined = max(formed, p.birth)
            self.chunk.households.append(
                (hh_key, p.key, relation, "1" if number == 0 else "0", _fmt(joined))
            )
        self.categories(members, links, low_income)
        self.incomes(members, links, low_income)
        return len(members)

    def next_key(self) -> str:
        return f"{self.prefix}P{self.plan.first_record + next(self.original_slots) + 1:08d}"

    def snils(self, local_index: int) -> str:
        serial = self.plan.first_original + local_index
        number = _SNILS_FLOOR + (self.snils_a * serial + self.snils_b) % _SNILS_SPACE
        digits = f"{number:09d}"
        check = snils_check_number(digits)
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:9]} {check:02d}"

    def address(self, district: DistrictFact) -> str:
        if district.streets == ("Зеленоград",):
            return (
                f"г. Москва, г. Зеленоград, корп. {self.rng.randint(1100, 2050)}, "
                f"кв. {self.rng.randint(1, 280)}"
            )
        street = self.pick(district.streets)
        house = f"д. {self.rng.randint(1, 120)}"
        if self.chance(0.3):
            house += f", корп. {self.rng.randint(1, 4)}"
        return f"г. Москва, {street}, {house}, кв. {self.rng.randint(1, 400)}"

    def phone(self, landline: bool = False) -> str:
        if landline:
            code = "495" if self.chance(0.8) else "499"
        else:
            code = f"9{self.rng.randint(0, 99):02d}"
        rest = f"{self.rng.randint(0, 9_999_999):07d}"
        style = self.random()
        if style < 0.35:
            return f"+7 ({code}) {rest[:3]}-{rest[3:5]}-{rest[5:]}"
        if style < 0.6:
            return f"8 {code} {rest[:3]} {rest[3:5]} {rest[5:]}"
        if style < 0.85:
            return f"+7{code}{rest}"
        return f"8{code}{rest}"

    def contacts(self, p: _Person, shared_phone: str) -> None:
        if p.age < 12:
            return
        if p.age >= 75 and shared_phone and self.chance(0.15):
            p.phone = shared_phone
        elif self.chance(0.9 if p.age < 70 else 0.75):
            p.phone = self.phone(landline=p.age >= 65 and self.chance(0.4))
        if self.chance(0.4 if 16 <= p.age < 50 else 0.2 if p.age < 70 else 0.04):
            p.email = self.email(p)

    def email(self, p: _Person) -> str:
        last = transliterate(p.last).lower().replace("'", "")
        first = transliterate(p.first).lower()
        year = dt.date.fromordinal(p.birth).year
        style = self.random()
        if style < 0.3:
            login = f"{first}.{last}"
        elif style < 0.6:
            login = f"{last}.{first[0]}{year % 100:02d}"
        elif style < 0.8:
            login = f"{first[0]}{last}{year}"
        else:
            login = f"{last}{self.rng.randint(1, 999)}"
        return f"{login}@{self.pick(EMAIL_DOMAINS)}"

    # --- categories ------------------------------------------------------------------------

    def holding(
        self, p: _Person, code: str, valid_from: int, valid_to: int | None, basis: str, source: str
    ) -> None:
        valid_from = min(valid_from, self.today)
        if valid_to is not None and valid_to < valid_from:
            valid_to = valid_from
        self.category_no += 1
        self.chunk.categories.append(
            (
                f"{self.prefix}C{self.plan.index:04d}-{self.category_no:06d}",
                p.key,
                code,
                _fmt(valid_from),
                _fmt(valid_to) if valid_to is not None else "",
                basis,
                source,
            )
        )

    def number(self, digits: int) -> str:
        return f"{self.rng.randrange(10 ** (digits - 1), 10**digits)}"

    def recent(self, days: int) -> int:
        """A day within the last ``days`` days."""
        return self.today - self.rng.randrange(days)

    def low_income(self, kind: str, links: dict) -> bool:
        if kind in ("pensioner_alone", "elderly_couple"):
            return False
        p = 0.14 if links.get("single_parent") else 0.045
        if len(links.get("children", [])) >= 3:
            p = 0.25
        if kind == "single":
            p = 0.03
        return self.chance(p)

    def categories(self, members: list[tuple[_Person, str]], links: dict, low_income: bool) -> None:
        applicant = members[0][0]
        for p, _relation in members:
            birth_year = dt.date.fromordinal(p.birth).year
            retires = _add_years(p.birth, retirement_age(p.sex, birth_year))
            p.work = ""
            if retires <= self.today:
                p.work = "pension"
                self.holding(
                    p,
                    "pensioner",
                    retires,
                    None,
                    f"Сведения СФР о назначении страховой пенсии по старости от {_fmt(retires)}",
                    "СФР",
                )
                if self.chance(0.35):
                    self.holding(
                        p,
                        "veteran",
                        _add_years(p.birth, 60 if p.sex == "M" else 55),
                        None,
                        f"Удостоверение ветерана труда серия Т-I № {self.number(6)}",
                        "ДТСЗН",
                    )
                if p.age >= 70 and self.chance(0.05 if p.age < 80 else 0.15):
                    start = self.recent(900)
                    self.holding(
                        p,
                        "needs-home-care",
                        start,
                        _add_years(start, 3) - 1,
                        f"Решение о признании нуждающимся в социальном обслуживании "
                        f"на дому № {self.number(5)}",
                        "ТЦСО",
                    )
            elif _add_years(retires, -5) <= self.today:
                self.holding(
                    p,
                    "pre-retirement",
                    _add_years(retires, -5),
                    retires - 1,
                    "Сведения СФР об отнесении к лицам предпенсионного возраста",
                    "СФР",
                )
            self.disability(p)
            if 14 <= p.age < 25 and self.chance(0.04):
                start = self.recent(200)
                self.holding(
                    p,
                    "young-jobseeker",
                    start,
                    min(_add_years(start, 1), _add_years(p.birth, 25)) - 1,
                    f"Заявление в центр «Моя карьера» от {_fmt(start)}",
                    "ЦЗН «Моя работа»",
                )
                p.work = "jobseeker"
        children = links.get("children", [])
        minors = sorted((c for c in children if c.age < 18), key=lambda c: -c.birth)
        mother = links.get("mother")
        if len(minors) >= 3:
            holder = mother or applicant
            self.holding(
                holder,
                "large-family",
                minors[2].birth,
                _add_years(minors[2].birth, 18) - 1,
                f"Удостоверение многодетной семьи города Москвы № {self.number(7)}",
                "ДТСЗН",
            )
        if mother is not None and minors and minors[0].age < 1.5 and mother.work != "pension":
            self.holding(
                mother,
                "parental-leave",
                minors[0].birth,
                _add_years(minors[0].birth, 3) - 1,
                "Приказ работодателя об отпуске по уходу за ребёнком",
                "Работодатель",
            )
            mother.work = "leave"
        if low_income:
            start = dt.date.fromordinal(self.recent(330)).replace(day=1).toordinal()
            self.holding(
                applicant,
                "low-income",
                start,
                _add_years(start, 1) - 1,
                f"Решение о назначении государственной социальной помощи "
                f"№ {self.number(6)} от {_fmt(start)}",
                "ТЦСО",
            )
        if minors and self.chance(0.12 if links.get("single_parent") else 0.012):
            start = self.recent(300)
            self.holding(
                applicant,
                "difficult-situation",
                start,
                start + 182,
                f"Акт обследования условий жизни семьи от {_fmt(start)}",
                "ТЦСО",
            )
        for ward in links.get("wards", []):
            self.holding(
                ward,
                "orphan",
                max(ward.birth, self.recent(3650)),
                _add_years(ward.birth, 18) - 1,
                f"Распоряжение органа опеки и попечительства № {self.number(4)}",
                "Органы опеки и попечительства",
            )
        for child in minors:
            if child.age >= 3 and self.chance(0.03):
                start = max(child.birth, self.recent(1000))
                self.holding(
                    child,
                    "limited-health",
                    start,
                    min(_add_years(start, 3), _add_years(child.birth, 18)) - 1,
                    f"Заключение ЦПМПК № {self.number(5)} от {_fmt(start)}",
                    "ЦПМПК",
                )

    def mse_certificate(self, issued: int) -> str:
        """A certificate of the medical and social expert commission (МСЭ)."""
        return (
            f"Справка МСЭ-{dt.date.fromordinal(issued).year} № {self.number(7)} от {_fmt(issued)}"
        )

    def disability(self, p: _Person) -> None:
        chance = next(c for upper, c in DISABILITY_BY_AGE if p.age < upper)
        if not self.chance(chance):
            return
        if p.age < 18:
            start = max(p.birth, self.recent(1500))
            self.holding(
                p,
                "disabled-child",
                start,
                min(_add_years(start, 2), _add_years(p.birth, 18)) - 1,
                self.mse_certificate(start),
                "МСЭ",
            )
            return
        r = self.random()
        code = next(c for share, c in DISABILITY_GROUPS if r < share)
        if p.work == "pension" or (code == "disability-1" and self.chance(0.5)):
            start = max(_add_years(p.birth, 18), self.today - int(self.uniform(0, 15) * _YEAR))
            self.holding(p, code, start, None, self.mse_certificate(start), "МСЭ")
        else:
            start = self.recent(365)
            self.holding(
                p, code, start, _add_years(start, 1) - 1, self.mse_certificate(start), "МСЭ"
            )
        if p.work != "pension":
            p.work = code

    # --- incomes ---------------------------------------------------------------------------

    def income_rows(
        self,
        p: _Person,
        kind: str,
        source: str,
        amount: float,
        months: Iterable[tuple[str, int, bool, int]] | None = None,
        index_new_year: bool = False,
        december_bonus: float = 0.0,
    ) -> None:
        rows = self.chunk.incomes
        for label, _ordinal, new_year, month in months if months is not None else self.months:
            value = amount
            if index_new_year and not new_year:
                value = amount / PENSION_INDEXATION
            if december_bonus and month == 12:
                value *= 1 + december_bonus
            rows.append((p.key, label, kind, source, f"{value:.2f}"))

    def employer(self) -> str:
        template = self.pick(EMPLOYERS)
        return template.format(
            n=self.rng.randint(1, 2100), surname=surname_for(self.pick(SURNAMES), "M")
        )

    def incomes(self, members: list[tuple[_Person, str]], links: dict, low_income: bool) -> None:
        earners = 0
        for p, _relation in members:
            if p.age < 16:
                continue
            if p.work == "pension":
                pension = max(9_000.0, self.rng.lognormvariate(math.log(23_500), 0.3))
                working = p.age < 70 and self.chance(0.22)
                self.income_rows(
                    p, "pension", "СФР: страховая пенсия", pension, index_new_year=True
                )
                if working:
                    self.income_rows(
                        p,
                        "salary",
                        self.employer(),
                        self.rng.lognormvariate(math.log(60_000), 0.45),
                    )
                elif pension < CITY_SOCIAL_STANDARD:
                    self.income_rows(
                        p, "benefit", "ДТСЗН: доплата к пенсии", CITY_SOCIAL_STANDARD - pension
                    )
                continue
            if p.work.startswith("disability"):
                factor = {"disability-1": 2.0, "disability-2": 1.0, "disability-3": 0.85}
                self.income_rows(
                    p,
                    "pension",
                    "СФР: пенсия по инвалидности",
                    16_000 * factor[p.work] * self.uniform(0.9, 1.3),
                    index_new_year=True,
                )
                self.income_rows(p, "benefit", "СФР: ЕДВ", 3_900 * factor[p.work])
                if p.work == "disability-1" or self.chance(0.5):
                    continue
            if p.work == "leave":
                self.income_rows(
                    p, "benefit", "СФР: пособие по уходу за ребёнком", self.uniform(9_000, 45_000)
                )
                continue
            if p.age < 18 or p.work == "jobseeker":
                if p.work == "jobseeker" and p.age >= 18:
                    months = self.months[-self.rng.randint(2, 6) :]
                    self.income_rows(
                        p,
                        "benefit",
                        "ЦЗН: пособие по безработице",
                        self.uniform(1_500, 15_000),
                        months,
                    )
                continue
            employed = 0.5 if p.age < 22 else 0.86
            if low_income:
                employed = 0.6 if earners == 0 else 0.15
            if not self.chance(employed):
                if self.chance(0.2):
                    months = self.months[-self.rng.randint(2, 6) :]
                    self.income_rows(
                        p,
                        "benefit",
                        "ЦЗН: пособие по безработице",
                        self.uniform(1_500, 15_000),
                        months,
                    )
                continue
            earners += 1
            if low_income:
                salary = self.uniform(MINIMUM_WAGE, MINIMUM_WAGE * 1.35)
            else:
                salary = max(MINIMUM_WAGE, self.rng.lognormvariate(math.log(MEDIAN_SALARY), 0.5))
            self.income_rows(
                p,
                "salary",
                self.employer(),
                salary,
                december_bonus=0.5 if self.chance(0.3) else 0.0,
            )
            if self.chance(0.04):
                self.income_rows(p, "other", "Сдача жилья в наём", self.uniform(35_000, 75_000))
        minors = [c for c in links.get("children", []) if c.age < 18]
        holder = links.get("mother") or members[0][0]
        if minors and low_income:
            per_child = CHILD_SUBSISTENCE_MINIMUM * self.pick((0.5, 0.75, 1.0))
            self.income_rows(holder, "benefit", "СФР: единое пособие", per_child * len(minors))
        if len(minors) >= 3:
            self.income_rows(
                holder, "benefit", "ДТСЗН: выплата многодетной семье", 1_500.0 * len(minors)
            )
        if links.get("single_parent") and minors and self.chance(0.4):
            self.income_rows(holder, "other", "Алименты", self.uniform(8_000, 30_000))

    # --- duplicates ------------------------------------------------------------------------

    def duplicate(self, original: _Person, key: str) -> tuple[str, ...]:
        last, first, patr = original.last, original.first, original.patr
        birth = original.birth
        phone, email = original.phone, original.email if self.chance(0.5) else ""
        snils = ""
        if original.snils and self.chance(0.5):
            # The duplicate brings the SNILS and the earlier record lacks it.
            snils, original.snils = original.snils, ""
        ways = ["typo", "latin", "date", "patronymic", "swap", "phone"]
        weights = (0.3, 0.18, 0.12, 0.18, 0.07, 0.15)
        chosen = set(self.rng.choices(ways, weights, k=1 if self.chance(0.6) else 2))
        if "swap" in chosen:
            last, first = first, last
        if "latin" in chosen:
            habit = LATIN_HABITS[self.pick(tuple(LATIN_HABITS))]
            last, first, patr = habit(last), habit(first), habit(patr)
        if "typo" in chosen:
            if self.chance(0.6):
                last = typo(last, self.rng)
            else:
                first = typo(first, self.rng)
        if "patronymic" in chosen:
            patr = ""
        if "date" in chosen:
            d = dt.date.fromordinal(birth)
            if d.day <= 12 and d.day != d.month:
                swapped = d.replace(day=d.month, month=d.day).toordinal()
                birth = swapped if swapped <= self.today else birth
            if birth == original.birth:  # not swappable: no patronymic instead
                patr = ""
        if "phone" in chosen:
            phone = self.phone() if not phone or self.chance(0.7) else ""
        d = original.district
        return (
            key,
            last,
            first,
            patr,
            original.sex,
            _fmt(birth),
            snils,
            phone,
            email,
            d.code,
            original.address,
            d.institution,
        )

    def run(self) -> Chunk:
        plan_ = self.plan
        while len(self.originals) < plan_.originals:
            self.household(plan_.originals - len(self.originals))
        dup_rows: list[tuple[str, ...]] = []
        originals = self.originals
        chosen = self.rng.sample(range(len(originals)), plan_.duplicates)
        # Categories a duplicate may bring along, by person.
        portable: dict[str, list[tuple[str, ...]]] = {}
        for row in self.chunk.categories if chosen else ():
            if row[2] in ("pensioner", "veteran", "disability-2", "disability-3"):
                portable.setdefault(row[1], []).append(row)
        for slot, index in zip(self.dup_slots, chosen, strict=True):
            key = f"{self.prefix}P{plan_.first_record + slot + 1:08d}"
            original = originals[index]
            dup_rows.append(self.duplicate(original, key))
            self.chunk.truth.append((key, original.key))
            if self.chance(0.3):
                held = portable.get(original.key)
                if held:
                    row = self.pick(held)
                    self.category_no += 1
                    self.chunk.categories.append(
                        (
                            f"{self.prefix}C{plan_.index:04d}-{self.category_no:06d}",
                            key,
                            *row[2:6],
                            "Сведения другой информационной системы",
                        )
                    )
        people = self.chunk.people
        dups = iter(zip(self.dup_slots, dup_rows, strict=True))
        next_dup = next(dups, None)
        for p in originals:
            while next_dup is not None and next_dup[1][0] < p.key:
                people.append(next_dup[1])
                next_dup = next(dups, None)
            d = p.district
            people.append(
                (
                    p.key,
                    p.last,
                    p.first,
                    p.patr,
                    p.sex,
                    _fmt(p.birth),
                    p.snils,
                    p.phone,
                    p.email,
                    d.code,
                    p.address,
                    d.institution,
                )
            )
        while next_dup is not None:
            people.append(next_dup[1])
            next_dup = next(dups, None)
        return self.chunk


def _districts(codes: Iterable[str] | None) -> tuple[DistrictFact, ...]:
    if codes is None:
        return DISTRICTS
    chosen = tuple(DISTRICTS_BY_CODE[c] for c in codes)
    if not chosen:
        raise ValueError("choose at least one district")
    return chosen


def generate_chunk(
    chunk: ChunkPlan,
    *,
    seed: int = 1,
    as_of: dt.date | None = None,
    districts: Iterable[str] | None = None,
    key_prefix: str = "",
) -> Chunk:
    return _ChunkGenerator(
        seed=seed,
        chunk=chunk,
        as_of=as_of or dt.date.today(),
        districts=_districts(districts),
        key_prefix=key_prefix,
    ).run()


def generate(
    people: int,
    *,
    seed: int = 1,
    duplicate_share: float = 0.02,
    as_of: dt.date | None = None,
    districts: Iterable[str] | None = None,
    key_prefix: str = "",
    chunk_people: int = CHUNK_PEOPLE,
) -> Iterator[Chunk]:
    """The population, one chunk at a time. ``people`` counts every record of people.csv,
    duplicates included; ``districts`` limits where people live (codes of ``DISTRICTS``)."""
    as_of = as_of or dt.date.today()
    codes = tuple(districts) if districts is not None else None
    for chunk in plan(people, duplicate_share, chunk_people):
        yield generate_chunk(chunk, seed=seed, as_of=as_of, districts=codes, key_prefix=key_prefix)


# ---------------------------------------------------------------------------------------------
# Writing CSV files


def _csv_text(rows: list[tuple[str, ...]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _chunk_texts(
    args: tuple[ChunkPlan, int, dt.date, tuple[str, ...] | None, str],
) -> tuple[int, dict[str, str], dict[str, int]]:
    chunk_plan, seed, as_of, districts, key_prefix = args
    chunk = generate_chunk(
        chunk_plan, seed=seed, as_of=as_of, districts=districts, key_prefix=key_prefix
    )
    texts, counts = {}, {}
    for name in FILES:
        rows = getattr(chunk, name)
        texts[name] = _csv_text(rows)
        counts[name] = len(rows)
    return chunk_plan.originals + chunk_plan.duplicates, texts, counts


@dataclass
class Summary:
    out_dir: Path
    rows: dict[str, int]
    seconds: float
    seed: int
    as_of: dt.date


def write_csv(
    out_dir: str | os.PathLike[str],
    people: int,
    *,
    seed: int = 1,
    duplicate_share: float = 0.02,
    as_of: dt.date | None = None,
    districts: Iterable[str] | None = None,
    key_prefix: str = "",
    workers: int = 1,
    chunk_people: int = CHUNK_PEOPLE,
    progress: Callable[[int, int, str], None] | None = None,
) -> Summary:
    """Write the five files into ``out_dir`` (created if missing; files replaced).

    ``workers`` > 1 generates chunks in that many processes; the files are the same."""
    started = time.perf_counter()
    as_of = as_of or dt.date.today()
    codes = tuple(districts) if districts is not None else None
    _districts(codes)  # unknown codes fail before any work
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plans = plan(people, duplicate_share, chunk_people)
    jobs = [(p, seed, as_of, codes, key_prefix) for p in plans]
    counts = dict.fromkeys(FILES, 0)
    handles = {}
    try:
        for name, (filename, columns) in FILES.items():
            handle = open(out / filename, "w", encoding="utf-8", newline="")  # noqa: SIM115
            handles[name] = handle
            csv.writer(handle, lineterminator="\n").writerow(columns)
        done = 0
        if progress:
            progress(0, people, "")
        pool = None
        if workers > 1 and len(jobs) > 1:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            pool = context.Pool(min(workers, len(jobs)))
            results: Iterable = pool.imap(_chunk_texts, jobs)
        else:
            results = map(_chunk_texts, jobs)
        try:
            for records, texts, chunk_counts in results:
                for name, text in texts.items():
                    handles[name].write(text)
                    counts[name] += chunk_counts[name]
                done += records
                if progress:
                    progress(done, people, "")
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
    finally:
        for handle in handles.values():
            handle.close()
    return Summary(out, counts, time.perf_counter() - started, seed, as_of)
