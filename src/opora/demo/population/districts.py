"""The districts of Moscow the synthetic population lives in, with rounded populations."""

from __future__ import annotations

from dataclasses import dataclass


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
