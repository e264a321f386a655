"""The commands, without a browser: registry_import and registry_export, in this process and
end to end through ``opora manage`` in a child process."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from opora.core.models import AuditEntry
from opora.registry.models import ImportBatch, ImportStatus, Income, Person

from .conftest import valid_snils
from .test_import_helpers import (
    INCOME_HEADER,
    PEOPLE_HEADER,
    csv_bytes,
    manager_a_fixture,  # noqa: F401 - fixture
    media_fixture,  # noqa: F401 - fixture
    person_row,
    write,
)

pytestmark = pytest.mark.django_db


def people(count: int = 5) -> list[list[str]]:
    return [person_row(f"C{i}", snils=valid_snils(9_000_000 + i)) for i in range(count)]


def test_import_a_file_then_the_same_file_again(tmp_path, media, capsys):
    path = write(tmp_path / "people.csv", csv_bytes(people(), PEOPLE_HEADER))
    call_command("registry_import", str(path), entity="people", verbosity=0)
    assert "5 new, 0 changed, 0 unchanged; 0 with problems" in capsys.readouterr().out
    call_command("registry_import", str(path), entity="people", verbosity=0)
    assert "0 new, 0 changed, 5 unchanged" in capsys.readouterr().out
    assert Person.objects.count() == 5
    assert not (tmp_path / "people.errors.csv").exists()
    entry = AuditEntry.objects.filter(action="registry.import.loaded").first()
    assert entry.source == "cli" and entry.actor is None


def test_a_rejected_file_writes_its_problems_next_to_it(tmp_path, media):
    rows = people()
    rows[2][6] = "123-456-789 00"
    path = write(tmp_path / "people.csv", csv_bytes(rows, PEOPLE_HEADER))
    with pytest.raises(CommandError) as error:
        call_command("registry_import", str(path), entity="people", verbosity=0)
    assert "Rejected" in str(error.value) and "people.errors.csv" in str(error.value)
    with open(tmp_path / "people.errors.csv", encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    assert lines == [
        ["row", "column", "value", "message"],
        [
            "4",
            "snils",
            "123-456-789 00",
            "The SNILS check number does not match: check the number.",
        ],
    ]
    assert not Person.objects.exists()
    call_command("registry_import", str(path), entity="people", mode="valid_only", verbosity=0)
    assert Person.objects.count() == 4


def test_a_file_refused_at_once_also_writes_its_problem(tmp_path, media):
    path = write(tmp_path / "people.csv", csv_bytes([], PEOPLE_HEADER))
    with pytest.raises(CommandError, match="header but no rows"):
        call_command("registry_import", str(path), entity="people", verbosity=0)
    assert (tmp_path / "people.errors.csv").read_text("utf-8-sig").splitlines()[1] == (
        "0;;;The file has a header but no rows."
    )
    assert not ImportBatch.objects.exists()


def test_columns_named_otherwise_are_mapped_on_the_command_line(
    tmp_path, media, institution_a, manager_a
):
    header = ["Код", "Фам", "Имя", "Отчество", "Пол", "Дата рождения", "СНИЛС"]
    rows = [["C1", "Иванова", "Мария", "Петровна", "Ж", "08.03.1956", valid_snils(9_100_000)]]
    path = write(tmp_path / "люди.csv", csv_bytes(rows, header, delimiter=";", encoding="cp1251"))
    with pytest.raises(CommandError, match=r"external key|last_name|external_key"):
        call_command(
            "registry_import",
            str(path),
            entity="people",
            verbosity=0,
            user=manager_a.username,
            institution="alpha",
        )
    call_command(
        "registry_import",
        str(path),
        "--mapping",
        "Код=external_key",
        "Фам=last_name",
        entity="people",
        verbosity=0,
        user=manager_a.username,
        institution="alpha",
    )
    person = Person.objects.get()
    assert (person.external_key, person.last_name, person.sex) == ("C1", "Иванова", "F")
    assert list(person.served_by.all()) == [institution_a]


def test_incomes_from_the_command_line(tmp_path, media, make_person):
    make_person(external_key="C1")
    path = write(
        tmp_path / "incomes.csv",
        csv_bytes([["C1", "03.2024", "pension", "", "21 500,00"]], INCOME_HEADER),
    )
    call_command("registry_import", str(path), entity="incomes", verbosity=0)
    assert str(Income.objects.get().amount) == "21500.00"


def test_export_csv_and_xlsx_then_import_them_again(tmp_path, media, capsys):
    path = write(tmp_path / "people.csv", csv_bytes(people(), PEOPLE_HEADER))
    call_command("registry_import", str(path), entity="people", verbosity=0)
    capsys.readouterr()
    out_csv, out_xlsx = tmp_path / "out.csv", tmp_path / "out.xlsx"
    call_command("registry_export", entity="people", output=str(out_csv))
    call_command("registry_export", entity="people", format="xlsx", output=str(out_xlsx))
    with open(out_csv, encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    assert lines[0] == PEOPLE_HEADER and len(lines) == 6
    snils = valid_snils(9_000_000)
    assert lines[1][6] == f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}"  # the system
    sheet = openpyxl.load_workbook(out_xlsx, read_only=True).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows())] == PEOPLE_HEADER
    for exported in (out_csv, out_xlsx):
        call_command("registry_import", str(exported), entity="people", verbosity=0)
        assert "0 new, 0 changed, 5 unchanged" in capsys.readouterr().out
    call_command("registry_export", entity="people")
    assert "C4" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="registry.export.downloaded").count() == 3


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings["USER"] or "root"
        return (
            f"postgres://{user}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    return f"sqlite:///{settings['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_end_to_end_through_opora_manage(tmp_path, media):
    """A child process runs ``opora manage registry_import`` against the test database, as an
    operator would; the progress bar goes to stderr."""
    path = write(tmp_path / "people.csv", csv_bytes(people(3), PEOPLE_HEADER))
    env = {
        **os.environ,
        "OPORA_DATABASE_URL": _database_url(),
        "OPORA_MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "opora.settings",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "opora.cli",
            "manage",
            "registry_import",
            str(path),
            "--entity",
            "people",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip()  # the summary, in the installation's language
    assert "Import people.csv" in result.stderr  # the progress bar
    assert Person.objects.count() == 3
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.LOADED and batch.inserted == 3
