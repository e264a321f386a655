"""Names, their Latin spellings and typos, and the example figures people are drawn with."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from opora.registry.names import transliterate

from . import names as synthetic


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
# The demo's lists join the mid generation so that every name of demo/population/names.py occurs.
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

# names.patronymic() forms "Михаилович"; these names take a softened stem.
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
