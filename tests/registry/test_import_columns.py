"""One list of each file's columns (imports/columns.py): the import's fields and the export's
header follow it, and it is the files the tests write."""

from __future__ import annotations

import pytest

from opora.core.actors import SYSTEM
from opora.registry.imports import export, validation
from opora.registry.imports.columns import COLUMNS, PERSON_COLUMNS
from opora.registry.models import ImportEntity

from .test_import_helpers import HEADERS, PEOPLE_HEADER


def test_every_kind_of_file_has_its_columns():
    assert set(COLUMNS) == set(ImportEntity.values)
    assert PERSON_COLUMNS == COLUMNS[ImportEntity.PEOPLE] == tuple(PEOPLE_HEADER)
    assert {entity: list(columns) for entity, columns in COLUMNS.items()} == HEADERS


@pytest.mark.parametrize("entity", ImportEntity.values)
def test_the_import_reads_the_columns_in_their_order(entity):
    assert [f.name for f in validation.fields_of(entity)] == list(COLUMNS[entity])


@pytest.mark.django_db
@pytest.mark.parametrize("entity", ImportEntity.values)
def test_the_export_writes_the_columns_in_their_order(entity):
    assert export.export_rows(actor=SYSTEM, entity=entity).header == list(COLUMNS[entity])
