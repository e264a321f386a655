"""The population drawn chunk by chunk."""

from __future__ import annotations

import datetime as dt
import functools
import math
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from opora.registry.names import snils_check_number, transliterate

from .districts import DISTRICTS, DISTRICTS_BY_CODE, DistrictFact
from .files import CHUNK_PEOPLE
from .people import (
    CHILD_SUBSISTENCE_MINIMUM,
    CITY_SOCIAL_STANDARD,
    DISABILITY_BY_AGE,
    DISABILITY_GROUPS,
    EMAIL_DOMAINS,
    EMPLOYERS,
    FEMALE_NAMES_BY_ERA,
    HOUSEHOLD_KINDS,
    LATIN_HABITS,
    MALE_NAMES_BY_ERA,
    MEDIAN_SALARY,
    MINIMUM_WAGE,
    PENSION_INDEXATION,
    SURNAMES,
    patronymic,
    retirement_age,
    surname_for,
    typo,
)


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
    address: str
    age: float
    birth: int  # a date's ordinal
    district: DistrictFact
    email: str
    first: str
    key: str
    last: str
    patr: str
    phone: str
    sex: str
    snils: str
    work: str

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
_SNILS_DIGITS = 9


@functools.cache
def _issuable_endings(remaining: int, last: int, run: int) -> int:
    """How many ways `remaining` more digits can follow a digit `last` repeated `run` times
    without any digit three times in a row (such numbers are never issued)."""
    if remaining == 0:
        return 1
    return sum(
        _issuable_endings(remaining - 1, d, run + 1 if d == last else 1)
        for d in range(10)
        if not (d == last and run == 2)
    )


def _issuable_snils(rank: int) -> str:
    """The nine digits of the rank-th issuable number in ascending order: a bijection, so
    unique ranks give unique numbers that the import accepts."""
    digits, last, run = [], -1, 0
    for position in range(_SNILS_DIGITS):
        for d in range(10):
            if d == last and run == 2:
                continue
            next_run = run + 1 if d == last else 1
            endings = _issuable_endings(_SNILS_DIGITS - position - 1, d, next_run)
            if rank < endings:
                digits.append(str(d))
                last, run = d, next_run
                break
            rank -= endings
    return "".join(digits)


# The rank of 002-001-001, above the numbers never issued (up to 001-001-998) with room to
# spare; an affine bijection over the ranks above it gives unique SNILS without remembering them.
_SNILS_FLOOR = 954_261
_SNILS_SPACE = _issuable_endings(_SNILS_DIGITS, -1, 0) - _SNILS_FLOOR


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
        digits = _issuable_snils(
            _SNILS_FLOOR + (self.snils_a * serial + self.snils_b) % _SNILS_SPACE
        )
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
            born = dt.date.fromordinal(birth)
            if born.day <= 12 and born.day != born.month:
                swapped = born.replace(day=born.month, month=born.day).toordinal()
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


def select_districts(codes: Iterable[str] | None) -> tuple[DistrictFact, ...]:
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
        districts=select_districts(districts),
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
