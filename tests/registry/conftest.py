"""Registry fixtures: people built through the services, with valid SNILS numbers."""

import datetime as dt
import itertools
import random

import pytest

from opora.core.actors import SYSTEM
from opora.registry import services
from opora.registry.names import snils_check_number, snils_issuable

_numbers = itertools.count(2_000_000)


def _without_repeats(number: int) -> str:
    """Nine digits, 9 and then ``number``'s base-9 digits each moved past the digit before it:
    no digit twice in a row, and a different number gives different digits."""
    digits, previous, rest = ["9"], 9, number % 9**8
    for _position in range(8):
        rest, digit = divmod(rest, 9)
        previous = digit if digit < previous else digit + 1
        digits.append(str(previous))
    return "".join(digits)


def valid_snils(seed: int | None = None) -> str:
    """A SNILS with a correct check number, unique per call unless ``seed`` is given."""
    base = f"{(seed if seed is not None else next(_numbers)) % 10**9:09d}"
    if int(base) <= 1001998:
        base = f"{int(base) + 2_000_000:09d}"
    if snils_issuable(base) != base:  # a digit three times in a row: never issued
        base = _without_repeats(seed if seed is not None else int(base))
    return base + f"{snils_check_number(base):02d}"


@pytest.fixture
def make_person(db, institution_a):
    """Register a person served by ``institution`` (institution A unless said)."""

    def make(institution=None, **fields):
        fields.setdefault("last_name", "Иванова")
        fields.setdefault("first_name", "Мария")
        fields.setdefault("patronymic", "Петровна")
        fields.setdefault("sex", "F")
        fields.setdefault("birth_date", dt.date(1956, 3, 8))
        return services.person_register(
            actor=SYSTEM, institution=institution or institution_a, **fields
        )

    return make


@pytest.fixture
def rng():
    return random.Random(20261123)


@pytest.fixture(autouse=True)
def english_import_messages(request, settings):
    """The import tests read the importer's messages in English (the source language)."""
    if not request.module.__name__.rsplit(".", 1)[-1].startswith("test_import"):
        yield
        return
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
