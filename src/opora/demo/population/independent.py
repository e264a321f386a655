"""A second synthetic population for measuring deduplication, with other habits than ours.

The generator of ``generator.py`` and the linkage model were written by the same hands, so a
model tuned on it may learn its habits rather than duplicates. This one imitates another kind
of source, after the corruption models of FEBRL and of published linkage benchmarks:

* every name is in Latin, each record in the habit of the system that typed it (passport,
  BGN or English spelling), and most records carry no patronymic at all;
* an original has one to three duplicates (1.35 on average), each corrupted one to three
  times (1.5 on average), drawn from:
  a typo of another kind than ours (a sound-alike spelling, a missing or extra letter, a
  wrong first letter), another Latin habit, surname and first name swapped, both names
  corrupted, day and month transposed, a mistyped digit of the date, the date missing, the
  patronymic missing, the phone changed or missing;
* the date of birth is missing on some originals too; SNILS is missing on many records, and
  at most one record of a person carries it (the registry refuses a second).

Rows are those of ``people.csv`` (``PEOPLE_COLUMNS``) and of ``truth.csv`` (duplicate_key,
original_key), so the registry imports them and ``registry_dedup --truth`` measures against
them, like the files of ``synth``.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from opora.registry.names import snils_check_number, snils_issuable

from .districts import DISTRICTS
from .files import FILES
from .people import (
    FEMALE_NAMES_BY_ERA,
    LATIN_HABITS,
    MALE_NAMES_BY_ERA,
    SURNAMES,
    patronymic,
    surname_for,
)

# Surnames formed from first names (Ivanov, Petrenko, Markovsky…) widen the list of ``SURNAMES``
# the way a real city's list is wider than any sample of it.
_SURNAME_SUFFIXES = ("ов", "ин", "енко", "ский", "ук")

# Corruptions of a duplicate, with their weights.
CORRUPTIONS: dict[str, float] = {
    "sound_alike": 0.18,
    "letters": 0.14,
    "first_letter": 0.04,
    "latin_habit": 0.12,
    "names_swapped": 0.07,
    "both_names": 0.06,
    "day_month": 0.08,
    "date_digit": 0.08,
    "date_missing": 0.07,
    "patronymic_missing": 0.06,
    "phone": 0.10,
}

# Spellings that sound alike in Latin renderings of Russian names.
_SOUND_ALIKE = (
    ("ks", "x"),
    ("iy", "y"),
    ("yu", "iu"),
    ("ya", "ia"),
    ("kh", "h"),
    ("ts", "tz"),
    ("e", "ye"),
    ("i", "y"),
    ("sh", "ch"),
    ("v", "w"),
    ("ov", "off"),
    ("ff", "f"),
)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Record:
    key: str
    last: str
    first: str
    patr: str
    sex: str
    birth: dt.date | None
    snils: str
    phone: str
    email: str
    district: str
    address: str
    institution: str

    def row(self) -> tuple[str, ...]:
        birth = f"{self.birth:%d.%m.%Y}" if self.birth else ""
        return (
            self.key,
            self.last,
            self.first,
            self.patr,
            self.sex,
            birth,
            self.snils,
            self.phone,
            self.email,
            self.district,
            self.address,
            self.institution,
        )


class IndependentPopulation:
    """``people`` records, about ``duplicate_share`` of them duplicates, the same for a seed."""

    def __init__(self, people: int, *, seed: int = 1, duplicate_share: float = 0.1) -> None:
        if not 0 <= duplicate_share < 0.5:
            raise ValueError("duplicate_share must be at least 0 and below 0.5")
        self.people = people
        self.duplicate_share = duplicate_share
        self.rng = random.Random(f"independent-{seed}")
        self.serial = 0
        self.snils_walk = 0
        self.today = dt.date(2026, 1, 1)
        male = [name for era in MALE_NAMES_BY_ERA for name in era]
        stems = {name.rstrip("йиаяь") for name in male}
        self.derived = sorted(stem + suffix for stem in stems for suffix in _SURNAME_SUFFIXES)

    # --- originals ------------------------------------------------------------------------

    def _key(self) -> str:
        self.serial += 1
        return f"X{self.serial:08d}"

    def _habit(self) -> Callable[[str], str]:
        return LATIN_HABITS[self.rng.choice(tuple(LATIN_HABITS))]

    def _snils(self) -> str:
        # Unique: a step coprime to the range walks it without repeating, passing over the
        # numbers that were never issued.
        while True:
            self.snils_walk += 1
            digits = f"{2_000_000 + (7_919 * self.snils_walk) % 997_000_000:09d}"
            if snils_issuable(digits) == digits:
                break
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]} {snils_check_number(digits):02d}"

    def _phone(self) -> str:
        return f"+7 9{self.rng.randrange(100):02d} {self.rng.randrange(10**7):07d}"

    def original(self) -> tuple[Record, dict[str, str]]:
        """A record, and the person behind it: her Cyrillic names (the duplicates are typed
        from them again) and the SNILS none of her records carries yet."""
        rng = self.rng
        sex = rng.choice("MF")
        birth = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(33_000))
        era = 0 if birth.year < 1962 else 1 if birth.year < 1992 else 2
        first = rng.choice((MALE_NAMES_BY_ERA if sex == "M" else FEMALE_NAMES_BY_ERA)[era])
        base = rng.choice(SURNAMES) if rng.random() < 0.6 else rng.choice(self.derived)
        person = {
            "last": surname_for(base, sex),
            "first": first,
            "patr": patronymic(rng.choice(MALE_NAMES_BY_ERA[max(era - 1, 0)]), sex),
        }
        habit = self._habit()
        district = rng.choice(DISTRICTS)
        snils, carried = self._snils(), rng.random() < 0.5
        person["snils"] = "" if carried else snils
        with_email = rng.random() < 0.3
        record = Record(
            key=self._key(),
            last=habit(person["last"]),
            first=habit(person["first"]),
            patr=habit(person["patr"]) if rng.random() < 0.25 else "",
            sex=sex,
            birth=birth if rng.random() > 0.03 else None,
            snils=snils if carried else "",
            phone=self._phone() if rng.random() < 0.6 else "",
            email=f"{habit(first).lower()}.{self.serial}@example.org" if with_email else "",
            district=district.code,
            address=f"{district.name}, {rng.randrange(1, 200)}-{rng.randrange(1, 300)}",
            institution=district.institution,
        )
        return record, person

    # --- duplicates -----------------------------------------------------------------------

    def _sound_alike(self, word: str) -> str:
        lower = word.lower()
        options = [(a, b) for a, b in _SOUND_ALIKE if a in lower[1:]]
        options += [(b, a) for a, b in _SOUND_ALIKE if b in lower[1:]]
        if not options:
            return self._letters(word)
        before, after = self.rng.choice(options)
        at = lower.index(before, 1)
        return word[:at] + after + word[at + len(before) :]

    def _letters(self, word: str) -> str:
        """A letter dropped, doubled or replaced by any letter, anywhere but the first."""
        if len(word) < 3:
            return word + word[-1:]
        at = self.rng.randrange(1, len(word))
        kind = self.rng.random()
        if kind < 0.4:
            return word[:at] + word[at + 1 :]
        if kind < 0.6:
            return word[:at] + word[at] + word[at:]
        replacement = self.rng.choice([c for c in _LETTERS if c != word[at].lower()])
        return word[:at] + replacement + word[at + 1 :]

    def _first_letter(self, word: str) -> str:
        replacement = self.rng.choice([c for c in _LETTERS.upper() if c != word[:1].upper()])
        return replacement + word[1:]

    def _name_field(self) -> str:
        return "last" if self.rng.random() < 0.6 else "first"

    def _date_digit(self, birth: dt.date) -> dt.date:
        for _attempt in range(10):
            text = f"{birth:%Y%m%d}"
            at = self.rng.choice((2, 3, 6, 7))  # the decade, the year, the day's digits
            digit = self.rng.choice([d for d in "0123456789" if d != text[at]])
            try:
                typed = dt.datetime.strptime(text[:at] + digit + text[at + 1 :], "%Y%m%d").date()
            except ValueError:
                continue
            if typed < self.today:
                return typed
        return birth

    def duplicate(self, original: Record, person: dict[str, str]) -> Record:
        rng = self.rng
        habit = self._habit()
        # The person's one SNILS, on at most one of her records (the registry refuses a second).
        snils = ""
        if person["snils"] and rng.random() < 0.3:
            snils, person["snils"] = person["snils"], ""
        record = Record(
            key=self._key(),
            last=habit(person["last"]),
            first=habit(person["first"]),
            patr=habit(person["patr"]) if original.patr or rng.random() < 0.2 else "",
            sex=original.sex,
            birth=original.birth,
            snils=snils,
            phone=original.phone if rng.random() < 0.5 else "",
            email=original.email if rng.random() < 0.5 else "",
            district=original.district,
            address=original.address,
            institution=original.institution,
        )
        count = rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0]
        for corruption in rng.choices(tuple(CORRUPTIONS), tuple(CORRUPTIONS.values()), k=count):
            self._corrupt(record, corruption, person)
        return record

    def _corrupt(self, record: Record, corruption: str, person: dict[str, str]) -> None:
        name = self._name_field()
        if corruption == "sound_alike":
            setattr(record, name, self._sound_alike(getattr(record, name)))
        elif corruption == "letters":
            setattr(record, name, self._letters(getattr(record, name)))
        elif corruption == "first_letter":
            setattr(record, name, self._first_letter(getattr(record, name)))
        elif corruption == "latin_habit":
            habit = self._habit()
            record.last, record.first = habit(person["last"]), habit(person["first"])
        elif corruption == "names_swapped":
            record.last, record.first = record.first, record.last
        elif corruption == "both_names":
            record.last = self._sound_alike(record.last)
            record.first = self._letters(record.first)
        elif corruption == "day_month" and record.birth and record.birth.day <= 12:
            if record.birth.day != record.birth.month:
                record.birth = record.birth.replace(day=record.birth.month, month=record.birth.day)
        elif corruption == "date_digit" and record.birth:
            record.birth = self._date_digit(record.birth)
        elif corruption == "date_missing":
            record.birth = None
        elif corruption == "patronymic_missing":
            record.patr = ""
        elif corruption == "phone":
            record.phone = self._phone() if self.rng.random() < 0.5 else ""

    # --- the whole --------------------------------------------------------------------------

    def records(self) -> Iterator[tuple[Record, str]]:
        """Each record with the key of its original ("" for an original)."""
        made = 0
        while made < self.people:
            original, person = self.original()
            yield original, ""
            made += 1
            # Duplicates per original: on average about share / (1 - share) of a record.
            wanted = self.duplicate_share / (1 - self.duplicate_share)
            if self.rng.random() < wanted / 1.35:
                for _ in range(self.rng.choices((1, 2, 3), (0.7, 0.25, 0.05))[0]):
                    if made >= self.people:
                        break
                    yield self.duplicate(original, person), original.key
                    made += 1


def generate_independent(
    people: int, *, seed: int = 1, duplicate_share: float = 0.1
) -> tuple[list[tuple[str, ...]], list[tuple[str, str]]]:
    """The rows of ``people.csv`` and ``truth.csv``."""
    rows, truth = [], []
    for record, original in IndependentPopulation(
        people, seed=seed, duplicate_share=duplicate_share
    ).records():
        rows.append(record.row())
        if original:
            truth.append((record.key, original))
    return rows, truth


def write_independent_csv(
    out_dir: Path, people: int, *, seed: int = 1, duplicate_share: float = 0.1
) -> dict[str, int]:
    """Write ``people.csv`` and ``truth.csv`` into ``out_dir``; returns their row counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {"people": 0, "truth": 0}
    population = IndependentPopulation(people, seed=seed, duplicate_share=duplicate_share)
    with (
        open(out_dir / FILES["people"][0], "w", encoding="utf-8", newline="") as people_file,
        open(out_dir / FILES["truth"][0], "w", encoding="utf-8", newline="") as truth_file,
    ):
        people_csv = csv.writer(people_file, lineterminator="\n")
        truth_csv = csv.writer(truth_file, lineterminator="\n")
        people_csv.writerow(FILES["people"][1])
        truth_csv.writerow(FILES["truth"][1])
        for record, original in population.records():
            people_csv.writerow(record.row())
            counts["people"] += 1
            if original:
                truth_csv.writerow((record.key, original))
                counts["truth"] += 1
    return counts
