"""What each kind of import file holds, and the rules a row must pass.

The rules are those of registry/services.py, stated once here for the import: the portable
loader (portable.py) applies them row by row in Python (``parse_cells``), the PostgreSQL loader
states the same rules in SQL (postgres.py, postgres_sql.py). Both write the same messages (the
functions below), and a test runs one messy file through both and compares every problem found
and every record written. The columns of each kind of file, in their order, are columns.py's.

A rule about one cell looks only at that cell; a rule about several cells (a district needs an
address, a category ends after it starts) applies when each of those cells is valid by itself;
a rule across rows (a key given twice, overlapping periods) or against the registry (a SNILS
already taken, a person who does not exist) applies to the rows whose cells it needs are valid.
Every failed rule is one problem, so a row may have several.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import EARLIEST_BIRTH_DATE, ImportEntity, IncomeKind, Relation
from ..names import (
    SNILS_LENGTH,
    phone_normalised,
    search_key,
    snils_masked,
    snils_problem,
    transliterate,
)
from .columns import COLUMNS

# Python's whitespace (what str.split() and str.strip() remove), for SQL to strip the same.
WHITESPACE = "".join(chr(c) for c in range(0x3100) if chr(c).isspace())

# Case folding limited to the letters the rules compare (the same table in SQL).
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
LOWER = "abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_FOLD = str.maketrans(UPPER, LOWER)

SEX_WORDS = {
    "m": "M", "м": "M", "male": "M", "муж": "M", "мужской": "M",
    "f": "F", "ж": "F", "female": "F", "жен": "F", "женский": "F",
}  # fmt: skip
BOOL_WORDS = {
    "1": True, "true": True, "yes": True, "да": True, "y": True, "д": True,
    "0": False, "false": False, "no": False, "нет": False, "n": False, "н": False,
}  # fmt: skip

DATE_DMY = r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$"
DATE_ISO = r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$"
MONTH_MY = r"^([0-9]{1,2})\.([0-9]{4})$"
MONTH_ISO = r"^([0-9]{4})-([0-9]{1,2})$"
SNILS_FORM = r"^[0-9]{3}[- ]?[0-9]{3}[- ]?[0-9]{3}[- ]?[0-9]{2}$"
SNILS_UNPADDED = r"^[0-9]{9,10}$"  # a number cell lost its leading zeros
SNILS_CHARACTERS = r"^[0-9 -]+$"  # a SNILS but for its length
SNILS_REPEATS = r"([0-9])\1\1"  # names.py's rule, for SQL
PHONE_FORM = r"^[0-9+()\- .]*$"
# Django's EmailValidator, simplified so that PostgreSQL runs it fast (no counted repetition):
# a dot-atom local part, then labels of letters, digits and inner hyphens (Cyrillic allowed),
# and a top-level domain of letters.
EMAIL_FORM = (
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9А-Яа-яЁё]([A-Za-z0-9А-Яа-яЁё-]*[A-Za-z0-9А-Яа-яЁё])?\.)+"
    r"[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё]+$"
)
AMOUNT_FORM = r"^-?[0-9]+([.,][0-9]+)?$"
AMOUNT_MAX = Decimal("9999999999.99")

_RE = {
    p: re.compile(p)
    for p in (
        DATE_DMY,
        DATE_ISO,
        MONTH_MY,
        MONTH_ISO,
        SNILS_FORM,
        SNILS_UNPADDED,
        SNILS_CHARACTERS,
        PHONE_FORM,
        EMAIL_FORM,
        AMOUNT_FORM,
    )
}
_SPACES = re.compile(f"[{re.escape(WHITESPACE)}]+")


# --- Messages (one function each, so that both loaders write the same words) -----------------


def m_required() -> str:
    return _("A value is required.")


def m_too_long(limit: int) -> str:
    return _("Too long: at most %(limit)s characters.") % {"limit": limit}


def m_date_form() -> str:
    return _("Not a date: write it as dd.mm.yyyy.")


def m_no_such_date() -> str:
    return _("There is no such date.")


def m_future() -> str:
    return _("The date is in the future.")


def m_sex() -> str:
    return _("Write the sex as M or F.")


def m_snils_form() -> str:
    return _("Not a SNILS: write it as 123-456-789 01 or as 11 digits.")


def m_snils_length(count: int | str) -> str:
    return _("A SNILS has 11 digits; this one has %(count)s.") % {"count": count}


def m_snils_not_issued() -> str:
    return _("No SNILS has this number (000-000-000, or a digit three times in a row): check it.")


def m_mixed_scripts() -> str:
    return _(
        "The name mixes Latin and Cyrillic letters that look alike (such as a Latin “a” in a "
        "Russian name): it will not be found by a search typed in one alphabet. Check it."
    )


def m_birth_too_early() -> str:
    return _("The date of birth is before %(year)s.") % {"year": EARLIEST_BIRTH_DATE.year}


def m_snils_check() -> str:
    return _("The SNILS check number does not match: check the number.")


def m_phone() -> str:
    return _("Not a phone number.")


def m_email() -> str:
    return _("Not an email address.")


def m_district_unknown() -> str:
    return _("No district has this code.")


def m_district_needs_address() -> str:
    return _("A district is given without the registration address.")


def m_institution_unknown() -> str:
    return _("No institution has this code.")


def m_institution_scope() -> str:
    return _("You cannot import people for this institution.")


def m_repeated(rows: str) -> str:
    return _("The same key is in rows %(rows)s.") % {"rows": rows}


def m_snils_shared(row: int | str) -> str:
    """A warning: the row was loaded, its SNILS left empty (another record of the file or of
    the registry keeps it) and the pair queued for review (docs/registry.md, imports)."""
    return _(
        "The same SNILS as row %(row)s: loaded without it and put on the duplicate review "
        "queue with that record."
    ) % {"row": row}


def m_snils_shared_reason(batch: int, first: int, row: int, snils: str) -> str:
    """Why the pair is on the review queue (the SNILS masked as on the person's page)."""
    return _("Import #%(batch)s: rows %(first)s and %(row)s share the SNILS %(snils)s.") % {
        "batch": batch,
        "first": first,
        "row": row,
        "snils": snils_masked(snils),
    }


def m_snils_taken() -> str:
    return _("This SNILS already belongs to another record.")


def m_key_out_of_scope() -> str:
    return _("A record with this key exists outside your institutions.")


def m_merged() -> str:
    return _("The record with this key was merged into another one.")


def m_person_unknown() -> str:
    return _("No person in your scope has this key.")


def m_relation() -> str:
    return _("Unknown relation: use one of %(choices)s.") % {"choices": ", ".join(Relation.values)}


def m_bool() -> str:
    return _("Write 1 or 0 (yes or no).")


def m_applicant_relation() -> str:
    return _("The applicant, and only the applicant, has the relation “applicant”.")


def m_applicants_repeated(rows: str) -> str:
    return _("The household has more than one applicant: rows %(rows)s.") % {"rows": rows}


def m_no_applicant() -> str:
    return _("The household is new, and no row of the file gives it a valid applicant.")


def m_other_applicant() -> str:
    return _("The household already has another applicant.")


def m_member_repeated(rows: str) -> str:
    return _("The same person is in this household in rows %(rows)s.") % {"rows": rows}


def m_category_unknown() -> str:
    return _("No category has this code.")


def m_period_reversed() -> str:
    return _("The category ends before it starts.")


def m_overlap_in_file(rows: str) -> str:
    return _("The periods of this category of this person overlap in rows %(rows)s.") % {
        "rows": rows
    }


def m_overlap_registered() -> str:
    return _("This person already holds this category for part of this period.")


def m_key_other_person() -> str:
    return _("This key belongs to a category of another person.")


def m_month() -> str:
    return _("Not a month: write it as mm.yyyy.")


def m_income_kind() -> str:
    return _("Unknown kind of income: use one of %(choices)s.") % {
        "choices": ", ".join(IncomeKind.values)
    }


def m_amount() -> str:
    return _("Not an amount: write it as 1234.56 or 1234,56.")


def m_amount_negative() -> str:
    return _("An income cannot be negative.")


def m_amount_precision() -> str:
    return _("An amount has at most two digits after the point.")


def m_amount_large() -> str:
    return _("The amount is too large.")


def m_income_repeated(rows: str) -> str:
    return _("The same person, month, kind and source are in rows %(rows)s.") % {"rows": rows}


ISSUE_TEXT = 300  # ImportIssue.value and .message hold this many characters


def rows_text(rows: list[int]) -> str:
    return ", ".join(str(r) for r in sorted(rows))


# --- The fields of each kind of file ------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    label: Any
    kind: str
    required: bool = False
    max_length: int = 0
    aliases: tuple[str, ...] = ()


_FIELDS: dict[str, tuple[Field, ...]] = {
    ImportEntity.PEOPLE: (
        Field("external_key", gettext_lazy("external key"), "key", True, 64,
              ("key", "id", "ключ", "внешний ключ", "идентификатор")),
        Field("last_name", gettext_lazy("surname"), "name", True, 100,
              ("surname", "фамилия")),
        Field("first_name", gettext_lazy("first name"), "name", True, 100, ("name", "имя")),
        Field("patronymic", gettext_lazy("patronymic"), "name", False, 100,
              ("middle_name", "отчество")),
        Field("sex", gettext_lazy("sex"), "sex", True, 0, ("gender", "пол")),
        Field("birth_date", gettext_lazy("date of birth"), "past_date", False, 0,
              ("birthdate", "date_of_birth", "дата рождения", "дата_рождения")),
        Field("snils", gettext_lazy("SNILS"), "snils", False, 0, ("снилс",)),
        Field("phone", gettext_lazy("phone"), "phone", False, 20, ("телефон",)),
        Field("email", gettext_lazy("email"), "email", False, 254,
              ("e-mail", "mail", "почта", "электронная почта")),
        Field("district", gettext_lazy("district"), "district", False, 64, ("район",)),
        Field("registration_address", gettext_lazy("registration address"), "text", False, 300,
              ("address", "адрес", "адрес регистрации", "адрес_регистрации")),
        Field("institution", gettext_lazy("institution"), "institution", False, 64,
              ("учреждение",)),
    ),
    ImportEntity.HOUSEHOLDS: (
        Field("household_key", gettext_lazy("household key"), "key", True, 64,
              ("household", "семья", "домохозяйство", "ключ семьи")),
        Field("person_key", gettext_lazy("person's key"), "person", True, 64,
              ("person", "person_external_key", "ключ человека", "человек")),
        Field("relation", gettext_lazy("relation to the applicant"), "relation", True, 0,
              ("отношение", "родство")),
        Field("is_applicant", gettext_lazy("applicant"), "bool", False, 0,
              ("applicant", "заявитель")),
        Field("joined_on", gettext_lazy("joined on"), "date", False, 0,
              ("joined", "дата включения")),
    ),
    ImportEntity.CATEGORIES: (
        Field("external_key", gettext_lazy("external key"), "key", True, 64,
              ("key", "id", "ключ")),
        Field("person_key", gettext_lazy("person's key"), "person", True, 64,
              ("person", "ключ человека", "человек")),
        Field("category", gettext_lazy("category"), "category", True, 40,
              ("category_code", "категория")),
        Field("valid_from", gettext_lazy("valid from"), "date", True, 0, ("с", "действует с")),
        Field("valid_to", gettext_lazy("valid to"), "date", False, 0, ("по", "действует по")),
        Field("basis_document", gettext_lazy("basis document"), "text", False, 300,
              ("basis", "document", "основание")),
        Field("source", gettext_lazy("source"), "text", False, 200, ("источник",)),
    ),
    ImportEntity.INCOMES: (
        Field("person_key", gettext_lazy("person's key"), "person", True, 64,
              ("person", "ключ человека", "человек")),
        Field("month", gettext_lazy("month"), "month", True, 0, ("месяц",)),
        Field("kind", gettext_lazy("kind"), "income_kind", True, 0, ("вид", "вид дохода")),
        Field("source", gettext_lazy("source"), "text", False, 200, ("источник",)),
        Field("amount", gettext_lazy("amount, roubles"), "amount", True, 0,
              ("sum", "сумма", "размер")),
    ),
}  # fmt: skip


# Why a required field is required, said where its column is missing.
REQUIRED_BECAUSE = {
    "external_key": gettext_lazy(
        "The key of the person in your own system lets a second import of the file update her "
        "record instead of adding her again."
    ),
    "sex": gettext_lazy(
        "The group whose subsistence minimum sets free service and fees (working age or "
        "pension age) depends on the sex as well as on the age."
    ),
}


def _in_column_order(entity: str, fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """The fields of a kind of file in the order of its columns (columns.py): one field for
    each column, no more."""
    by_name = {f.name: f for f in fields}
    columns = COLUMNS[entity]
    if len(by_name) != len(fields) or set(by_name) != set(columns):
        raise ValueError(f"The fields of {entity} files are not the columns of columns.py.")
    return tuple(by_name[name] for name in columns)


FIELDS: dict[str, tuple[Field, ...]] = {
    entity: _in_column_order(entity, fields) for entity, fields in _FIELDS.items()
}


def fields_of(entity: str) -> tuple[Field, ...]:
    return FIELDS[entity]


def _header_token(name: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", name.strip().casefold()).strip()


def default_mapping(entity: str, header: list[str]) -> dict[str, str]:
    """Target field -> source column, guessed from the header's names."""
    by_token = {_header_token(name): name for name in header}
    mapping: dict[str, str] = {}
    for spec in fields_of(entity):
        for candidate in (spec.name, *spec.aliases):
            source = by_token.get(_header_token(candidate))
            if source is not None and source not in mapping.values():
                mapping[spec.name] = source
                break
    return mapping


# --- Parsing one cell (the portable path; postgres_sql.py states the same in SQL) -------------


class Invalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def strip(value: str | None) -> str:
    return (value or "").strip()


def fold(value: str) -> str:
    return value.translate(_FOLD)


def collapse(value: str) -> str:
    return _SPACES.sub(" ", value).strip()


def parse_text(value: str, spec: Field) -> str | None:
    text = strip(value)
    if not text:
        return None
    if spec.max_length and len(text) > spec.max_length:
        raise Invalid(m_too_long(spec.max_length))
    return text


def parse_name(value: str, spec: Field) -> str | None:
    text = collapse(value or "")
    if not text:
        return None
    if len(text) > spec.max_length:
        raise Invalid(m_too_long(spec.max_length))
    return text


def parse_sex(value: str, spec: Field) -> str | None:
    text = strip(value)
    if not text:
        return None
    sex = SEX_WORDS.get(fold(text))
    if sex is None:
        raise Invalid(m_sex())
    return sex


def _ymd(text: str) -> tuple[int, int, int]:
    match = _RE[DATE_DMY].match(text)
    if match:
        return int(match[3]), int(match[2]), int(match[1])
    match = _RE[DATE_ISO].match(text)
    if match:
        return int(match[1]), int(match[2]), int(match[3])
    raise Invalid(m_date_form())


def parse_date(value: str, spec: Field) -> dt.date | None:
    text = strip(value)
    if not text:
        return None
    year, month, day = _ymd(text)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise Invalid(m_no_such_date()) from None


def parse_past_date(value: str, spec: Field, *, today: dt.date | None = None) -> dt.date | None:
    day = parse_date(value, spec)
    if day is not None and day > (today or timezone.localdate()):
        raise Invalid(m_future())
    if day is not None and day < EARLIEST_BIRTH_DATE:
        raise Invalid(m_birth_too_early())
    return day


def parse_month(value: str, spec: Field) -> dt.date | None:
    text = strip(value)
    if not text:
        return None
    match = _RE[MONTH_MY].match(text)
    if match:
        year, month = int(match[2]), int(match[1])
    elif match := _RE[MONTH_ISO].match(text):
        year, month = int(match[1]), int(match[2])
    else:
        try:
            year, month, day = _ymd(text)
        except Invalid:
            raise Invalid(m_month()) from None
        if day != 1:
            raise Invalid(m_month())
    if not (1 <= month <= 12 and year >= 1):
        raise Invalid(m_month())
    return dt.date(year, month, 1)


def parse_snils(value: str, spec: Field) -> str | None:
    text = strip(value)
    if not text:
        return None
    if _RE[SNILS_UNPADDED].match(text):
        text = text.zfill(11)
    if not _RE[SNILS_FORM].match(text):
        count = len(re.sub(r"[^0-9]", "", text))
        if _RE[SNILS_CHARACTERS].match(text) and count != SNILS_LENGTH:
            raise Invalid(m_snils_length(count))
        raise Invalid(m_snils_form())
    digits = re.sub(r"[^0-9]", "", text)
    problem = snils_problem(digits)
    if problem == "not_issued":
        raise Invalid(m_snils_not_issued())
    if problem:
        raise Invalid(m_snils_check())
    return digits


def parse_phone(value: str, spec: Field) -> str | None:
    text = strip(value)
    if not text:
        return None
    if not _RE[PHONE_FORM].match(text) or not re.search(r"[0-9]", text):
        raise Invalid(m_phone())
    phone = phone_normalised(text)
    if len(phone) > spec.max_length:
        raise Invalid(m_phone())
    return phone


def parse_email(value: str, spec: Field) -> str | None:
    text = strip(value)
    if not text:
        return None
    if len(text) > spec.max_length or not _RE[EMAIL_FORM].match(text):
        raise Invalid(m_email())
    return text


def parse_bool(value: str, spec: Field) -> bool | None:
    text = strip(value)
    if not text:
        return None
    result = BOOL_WORDS.get(fold(text))
    if result is None:
        raise Invalid(m_bool())
    return result


def parse_choice(choices: list[str], message: Callable[[], str]) -> Callable:
    def parse(value: str, spec: Field) -> str | None:
        text = strip(value)
        if not text:
            return None
        chosen = fold(text)
        if chosen not in choices:
            raise Invalid(message())
        return chosen

    return parse


def parse_amount(value: str, spec: Field) -> Decimal | None:
    text = _SPACES.sub("", value or "")
    if not text:
        return None
    if not _RE[AMOUNT_FORM].match(text):
        raise Invalid(m_amount())
    amount = Decimal(text.replace(",", "."))
    if amount < 0:
        raise Invalid(m_amount_negative())
    if "." in text.replace(",", ".") and len(text.replace(",", ".").split(".")[1]) > 2:
        raise Invalid(m_amount_precision())
    if amount > AMOUNT_MAX:
        raise Invalid(m_amount_large())
    try:
        return amount.quantize(Decimal("0.01"))
    except InvalidOperation:  # pragma: no cover - excluded by the checks above
        raise Invalid(m_amount_large()) from None


PARSERS: dict[str, Callable[[str, Field], Any]] = {
    "key": parse_text,
    "person": parse_text,
    "text": parse_text,
    "district": parse_text,
    "institution": parse_text,
    "category": parse_text,
    "name": parse_name,
    "sex": parse_sex,
    "date": parse_date,
    "past_date": parse_past_date,
    "month": parse_month,
    "snils": parse_snils,
    "phone": parse_phone,
    "email": parse_email,
    "bool": parse_bool,
    "relation": parse_choice(list(Relation.values), m_relation),
    "income_kind": parse_choice(list(IncomeKind.values), m_income_kind),
    "amount": parse_amount,
}


def parse_cells(
    fields: tuple[Field, ...], values: list[str | None]
) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """The typed values of one row's mapped cells and the problems: (field, raw, message).

    ``values`` follows ``fields``; None means the column is not mapped."""
    typed: dict[str, Any] = {}
    problems = []
    for spec, raw in zip(fields, values, strict=True):
        if raw is None:
            continue
        try:
            value = PARSERS[spec.kind](raw, spec)
        except Invalid as exc:
            problems.append((spec.name, raw, exc.message))
            typed[spec.name] = INVALID
            continue
        if value is None and spec.required:
            problems.append((spec.name, raw, m_required()))
            typed[spec.name] = INVALID
            continue
        typed[spec.name] = value
    return typed, problems


class _Invalid:
    """The value of a cell that failed its rule: it takes part in no further rule."""

    def __repr__(self) -> str:
        return "INVALID"

    def __bool__(self) -> bool:
        return False


INVALID = _Invalid()


def valid(typed: dict[str, Any], *names: str) -> bool:
    """Whether each named cell is mapped, filled and passed its own rule."""
    return all(typed.get(n) is not None and typed.get(n) is not INVALID for n in names)


# --- Derived values, as the services compute them ---------------------------------------------

NAME_FIELDS = ("last_name", "first_name", "patronymic")
# Letters of both alphabets side by side inside a word (a word is a run of letters, so a word
# holding both has such a pair).
_MIXED_SCRIPTS = re.compile(r"[A-Za-z][А-Яа-яЁё]|[А-Яа-яЁё][A-Za-z]")


def mixes_scripts(name: str) -> bool:
    return bool(_MIXED_SCRIPTS.search(name))


def latin(name: str | None) -> str:
    return transliterate(name or "")


def person_search_key(last_name: str, first_name: str, patronymic: str) -> str:
    return search_key(last_name, first_name, patronymic)
