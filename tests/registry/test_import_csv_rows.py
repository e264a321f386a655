"""CSV problems far into a file are reported at their own row: a NUL byte is a problem of its
cell (not a traceback, not a refused file), a switch of encoding names the row that switched."""

from __future__ import annotations

import pytest

from opora.registry.models import ImportStatus, Person

from .test_import_helpers import PEOPLE_HEADER, csv_bytes, messages, person_row, run

pytestmark = pytest.mark.django_db

# Past the bytes read to recognise the encoding (256 KB), as far as a real file goes.
MANY = 5000


@pytest.mark.parametrize("strategy", ["portable", None])
def test_a_nul_byte_deep_in_a_file_is_a_problem_of_its_cell(admin_user, strategy):
    rows = [person_row(f"P{i}", address="ул. Ленина, д. 1") for i in range(MANY)]
    rows[MANY - 10][1] = "Ива\x00нова"
    data = csv_bytes(rows, PEOPLE_HEADER)
    assert data.index(b"\x00") > 256 * 1024
    batch = run(admin_user, data, mode="valid_only", strategy=strategy)
    assert batch.status == ImportStatus.LOADED
    row = MANY - 10 + 2  # the header is row 1
    assert messages(batch) == [
        (
            row,
            "last_name",
            "The cell holds a NUL character: the file is damaged or not a text file.",
        )
    ]
    assert Person.objects.count() == MANY - 1


def test_a_switch_of_encoding_names_the_row_that_switched(admin_user):
    rows = [person_row(f"P{i}", address="ул. Ленина, д. 1") for i in range(MANY)]
    data = csv_bytes(rows, PEOPLE_HEADER)
    data += "P9,Ёжиков,Ёж,,M,,,,,,,\n".encode("cp1251")
    data += csv_bytes([person_row("P10")])
    batch = run(admin_user, data)
    assert batch.status == ImportStatus.REJECTED
    [(row, _column, message)] = messages(batch)
    assert row == MANY + 2 and f"Row {MANY + 2} cannot be read as UTF-8" in message
    assert not Person.objects.exists()
