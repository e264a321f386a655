"""The figures the seeds publish (../shared/seeds), each with the document it comes from and
the sentence it is quoted from, word for word (a test finds every quotation in its file).

The value, the comparison ("более" is more than, "почти" is almost; none where the text gives
the number bare) and the precision of the date are the text's own. What a text does not say is
chosen and marked as an example, with a note saying what was chosen: the forum article (seed
004) gives no year, so its date is the one the cooperation demo infers for the forum.

Seven sentences give eight figures: the one of the employment departments gives both their
number (46) and their share of all of them (more than 85 %).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class SeedDocument:
    file: str  # the file name in ../shared/seeds
    title: str  # the headline, as the document gives it
    publisher: str
    date: dt.date | None  # None: the document gives no date


@dataclass(frozen=True)
class FigureFact:
    code: str
    name: str
    name_en: str
    value: Decimal
    unit: str
    qualifier: str  # "" where the text gives the number bare
    as_of: dt.date
    precision: str
    source: SeedDocument
    quotation: str
    as_of_end: dt.date | None = None
    institution: str = ""  # the code of an institution of the demo (data/facts.py)
    partner: str = ""  # the code of a partner of the cooperation demo (data/facts.py)
    note: str = ""
    example_note: str = ""  # not empty: something was chosen, and the figure is an example

    @property
    def is_example(self) -> bool:
        return bool(self.example_note)


TELEBRIDGE_2021 = SeedDocument(
    file="003_2dc4b0f59ac4381b.txt",
    title="Службы соцзащиты Витебской и Смоленской областей провели телемост",
    publisher="БЕЛТА",
    date=dt.date(2021, 9, 20),
)
FORUM_OF_SOCIAL_INNOVATIONS = SeedDocument(
    file="004_3589eba934f5f979.txt",
    title="В Москве стартовал III Форум социальных инноваций, с 19 по 21 июня на ВДНХ 75 павильон",
    publisher="Пресс-служба Департамента труда и социальной защиты населения города Москвы",
    date=None,
)

# The forum article says "с 19 по 21 июня" without a year; the cooperation demo holds the
# third forum on 19–21 June 2019 (the «My Career» centre opened on 13 June of that year and
# «Moscow Longevity» runs since March 2018), and so do these figures.
FORUM_OPENED = dt.date(2019, 6, 19)
FORUM_CLOSED = dt.date(2019, 6, 21)
FORUM_YEAR_NOTE = (
    "Год в тексте не указан: 2019 выведен, как и для форума в демонстрации сотрудничества. "
    "The text gives no year: 2019 is inferred, as for the forum in the cooperation demo."
)

SEED_FIGURES = [
    FigureFact(
        code="smolensk-social-service-recipients",
        name="Получатели социальных услуг и помощи в Смоленской области",
        name_en="People receiving social services or help in the Smolensk region",
        value=Decimal(1_500_000),
        unit="people",
        qualifier="more_than",
        as_of=dt.date(2021, 9, 20),
        precision="day",
        source=TELEBRIDGE_2021,
        quotation=(
            "По ее словам, в Смоленской области более 1,5 млн человек получают те или иные "
            "социальные услуги и помощь."
        ),
        partner="smolensk-social-development",
        note="Said by Elena Romanova, head of the Smolensk department, at the telebridge.",
    ),
    FigureFact(
        code="smolensk-social-protection-staff",
        name="Сотрудники социальной сферы Смоленской области",
        name_en="Staff of the social services of the Smolensk region",
        value=Decimal(5_500),
        unit="staff",
        qualifier="almost",
        as_of=dt.date(2021, 9, 20),
        precision="day",
        source=TELEBRIDGE_2021,
        quotation="Это ежедневная работа почти 5,5 тыс. сотрудников.",
        partner="smolensk-social-development",
        note="«Это» is the help of the sentence before: the Smolensk region's social services.",
    ),
    FigureFact(
        code="smolensk-social-service-institutions",
        name="Учреждения социального обслуживания Смоленской области",
        name_en="Social service institutions of the Smolensk region",
        value=Decimal(57),
        unit="institutions",
        qualifier="",
        as_of=dt.date(2021, 9, 20),
        precision="day",
        source=TELEBRIDGE_2021,
        quotation=(
            "В этом российском регионе 57 учреждений соцобслуживания занимаются, в том числе, "
            "профилактикой социального неблагополучия, помогают семьям в трудной жизненной "
            "ситуации, ветеранам."
        ),
        partner="smolensk-social-development",
    ),
    FigureFact(
        code="vitebsk-disabled-people-employed",
        name="Люди с инвалидностью, получившие работу после программ восстановления "
        "дееспособности, Витебская область",
        name_en="People with disabilities who got jobs after rehabilitation programmes, "
        "Vitebsk region",
        value=Decimal(14),
        unit="people",
        qualifier="",
        as_of=dt.date(2020, 1, 1),
        precision="year",
        source=TELEBRIDGE_2021,
        quotation=(
            "Например, в прошлом году на Витебщине 14 человек с инвалидностью получили работу."
        ),
        partner="vitebsk-labour-committee",
        note="«В прошлом году» in a text of 20.09.2021: the year 2020.",
    ),
    FigureFact(
        code="home-help-recipients",
        name="Нетрудоспособные граждане, получающие помощь на дому",
        name_en="People unable to work who receive help at home",
        value=Decimal(15_000),
        unit="people",
        qualifier="",
        as_of=dt.date(2021, 9, 20),
        precision="day",
        source=TELEBRIDGE_2021,
        quotation="15 тыс. нетрудоспособных граждан получают помощь на дому.",
        note=(
            "The text does not say which region: the sentence follows the Vitebsk example in a "
            "paragraph about both regions."
        ),
    ),
    FigureFact(
        code="moscow-employment-departments-in-my-documents",
        name="Отделы трудоустройства, переехавшие в центры госуслуг «Мои Документы»",
        name_en="Employment departments moved into «My Documents» public service centres",
        value=Decimal(46),
        unit="departments",
        qualifier="",
        as_of=FORUM_OPENED,
        precision="day",
        source=FORUM_OF_SOCIAL_INNOVATIONS,
        quotation=(
            "С начала этого года в знакомые всем центры госуслуг «Мои Документы» уже переехали "
            "46 отделов трудоустройства, это более 85 % от всего количества."
        ),
        institution="dtszn-moscow",
        note="Since the beginning of the year, said by Vladimir Petrosyan at the forum.",
        example_note=FORUM_YEAR_NOTE,
    ),
    FigureFact(
        code="moscow-employment-departments-in-my-documents-share",
        name="Доля отделов трудоустройства в центрах госуслуг «Мои Документы»",
        name_en="Share of the employment departments in «My Documents» public service centres",
        value=Decimal(85),
        unit="percent",
        qualifier="more_than",
        as_of=FORUM_OPENED,
        precision="day",
        source=FORUM_OF_SOCIAL_INNOVATIONS,
        quotation=(
            "С начала этого года в знакомые всем центры госуслуг «Мои Документы» уже переехали "
            "46 отделов трудоустройства, это более 85 % от всего количества."
        ),
        institution="dtszn-moscow",
        note="Of all the employment departments of Moscow.",
        example_note=FORUM_YEAR_NOTE,
    ),
    FigureFact(
        code="forum-of-social-innovations-participants",
        name="Участники III Форума социальных инноваций регионов",
        name_en="Participants of the III Forum of Social Innovations of the Regions",
        value=Decimal(30_000),
        unit="participants",
        qualifier="more_than",
        as_of=FORUM_OPENED,
        as_of_end=FORUM_CLOSED,
        precision="day",
        source=FORUM_OF_SOCIAL_INNOVATIONS,
        quotation=(
            "На ВДНХ в павильоне 75 стартовал III Форум социальных инноваций регионов, "
            "собравший более 30 тысяч участников из числа представителей органов власти, "
            "социально ориентированных НКО, бизнеса, институтов развития, науки, экспертного "
            "сообщества, волонтерского движения, а также жителей Москвы."
        ),
        note="The forum ran from 19 to 21 June at VDNKh, pavilion 75.",
        example_note=FORUM_YEAR_NOTE,
    ),
]
