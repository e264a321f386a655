"""Fixtures of the reports tests: a figure's fields as a person enters them, and figures
recorded through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from opora.core.actors import SYSTEM
from opora.reports import services

SEED_QUOTE = (
    "По ее словам, в Смоленской области более 1,5 млн человек получают те или иные "
    "социальные услуги и помощь."
)


def figure_fields(**overrides: Any) -> dict[str, Any]:
    """The fields of a figure from a source document, valid as they stand."""
    fields: dict[str, Any] = {
        "code": "recipients",
        "name": "Получатели социальных услуг",
        "name_en": "Recipients of social services",
        "value": Decimal(1_500_000),
        "unit": "people",
        "qualifier": "more_than",
        "as_of": dt.date(2021, 9, 20),
        "as_of_precision": "day",
        "source_kind": "seed",
        "source_document": "003_2dc4b0f59ac4381b.txt",
        "source_title": "Службы соцзащиты Витебской и Смоленской областей провели телемост",
        "source_date": dt.date(2021, 9, 20),
        "quotation": SEED_QUOTE,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_figure(db):
    def make(actor=SYSTEM, **overrides):
        return services.figure_create(actor=actor, **figure_fields(**overrides))

    return make
