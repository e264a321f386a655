"""Helpers for the import tests: files written on the fly, and running an import to its end
through the services (as the task does)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from opora.core.roles import Role
from opora.institutions.models import District
from opora.registry.imports import services
from opora.registry.models import ImportBatch, ImportIssue

from .conftest import valid_snils

PEOPLE_HEADER = [
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
]
HOUSEHOLD_HEADER = ["household_key", "person_key", "relation", "is_applicant", "joined_on"]
CATEGORY_HEADER = [
    "external_key",
    "person_key",
    "category",
    "valid_from",
    "valid_to",
    "basis_document",
    "source",
]
INCOME_HEADER = ["person_key", "month", "kind", "source", "amount"]
HEADERS = {
    "people": PEOPLE_HEADER,
    "households": HOUSEHOLD_HEADER,
    "categories": CATEGORY_HEADER,
    "incomes": INCOME_HEADER,
}

ON_POSTGRES = connection.vendor == "postgresql"


def csv_bytes(
    rows: list[list[Any]],
    header: list[str] | None = None,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def person_row(
    key: str,
    last: str = "Иванова",
    first: str = "Мария",
    patronymic: str = "Петровна",
    sex: str = "F",
    born: str = "08.03.1956",
    snils: str = "",
    phone: str = "",
    email: str = "",
    district: str = "",
    address: str = "",
    institution: str = "",
) -> list[str]:
    return [
        key,
        last,
        first,
        patronymic,
        sex,
        born,
        snils,
        phone,
        email,
        district,
        address,
        institution,
    ]


def upload(
    actor: Any,
    data: bytes,
    *,
    name: str = "people.csv",
    entity: str = "people",
    mode: str = "all_or_nothing",
    institution: Any = None,
) -> ImportBatch:
    return services.import_upload(
        actor=actor,
        file=io.BytesIO(data),
        original_name=name,
        entity=entity,
        mode=mode,
        institution=institution,
        size=len(data),
    )


def run(actor: Any, data: bytes, *, strategy: str | None = None, **kwargs: Any) -> ImportBatch:
    """Upload, map by the header, and load now; the batch as it ends."""
    batch = upload(actor, data, **kwargs)
    batch = services.import_set_mapping(actor=actor, batch=batch, mapping=batch.mapping)
    services.import_run(actor=actor, batch=batch, strategy=strategy)
    batch.refresh_from_db()
    return batch


def issues(batch: ImportBatch) -> list[tuple[int, str, str, str]]:
    return sorted(
        ImportIssue.objects.filter(batch=batch).values_list("row", "column", "value", "message")
    )


def messages(batch: ImportBatch) -> list[tuple[int, str, str]]:
    return [(row, column, message) for row, column, _value, message in issues(batch)]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.fixture(name="manager_a")
def manager_a_fixture(make_user, institution_a):
    return make_user(Role.INSTITUTION_MANAGER, institutions=[institution_a])


@pytest.fixture(name="manager_b")
def manager_b_fixture(make_user, institution_b):
    return make_user(Role.INSTITUTION_MANAGER, institutions=[institution_b])


@pytest.fixture(name="district")
def district_fixture(db):
    return District.objects.create(code="arbat", name="Арбат")


@pytest.fixture(name="media")
def media_fixture(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root: Path) -> list[Path]:
    root = Path(media_root) / "imports"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


__all__ = ["valid_snils"]
