"""Bad files: each gives a clear error and leaves nothing half-written (no record, and for a
refused upload no batch and no stored file)."""

from __future__ import annotations

import io
import os
import tracemalloc
import zipfile

import openpyxl
import pytest

from opora.registry.imports import reading
from opora.registry.imports.reading import FileRejected
from opora.registry.models import ImportBatch, ImportStatus, Person

from .test_import_helpers import (
    PEOPLE_HEADER,
    csv_bytes,
    district_fixture,  # noqa: F401 - fixture
    media_fixture,  # noqa: F401 - fixture
    messages,
    person_row,
    run,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db

GOOD = [person_row("P1"), person_row("P2", "Петров", "Юрий", "Иванович", "M", "1960-01-31")]


def refused(admin_user, data: bytes, name: str = "people.csv") -> str:
    with pytest.raises(FileRejected) as error:
        upload(admin_user, data, name=name)
    assert not ImportBatch.objects.exists()
    assert not Person.objects.exists()
    return str(error.value.message)


def test_an_empty_file_is_refused_and_not_kept(admin_user, media):
    assert refused(admin_user, b"") == "The file is empty."
    assert refused(admin_user, b"\xef\xbb\xbf\n\n  \n") == "The file is empty."
    assert stored_files(media) == []


def test_a_file_with_only_a_header_is_refused(admin_user, media):
    assert "header but no rows" in refused(admin_user, csv_bytes([], PEOPLE_HEADER))
    assert "header but no rows" in refused(admin_user, csv_bytes([[""] * 12], PEOPLE_HEADER))
    assert stored_files(media) == []


def test_utf8_with_a_bom_is_read(admin_user):
    batch = run(admin_user, b"\xef\xbb\xbf" + csv_bytes(GOOD, PEOPLE_HEADER))
    assert batch.encoding == "utf-8-sig"
    assert batch.header[0] == "external_key"  # the BOM is not part of the first name
    assert batch.status == ImportStatus.LOADED
    assert set(Person.objects.values_list("last_name", flat=True)) == {"Иванова", "Петров"}


def test_windows_1251_is_read(admin_user):
    data = csv_bytes(GOOD, PEOPLE_HEADER, delimiter=";", encoding="cp1251")
    batch = run(admin_user, data)
    assert (batch.encoding, batch.status) == ("cp1251", ImportStatus.LOADED)
    assert Person.objects.get(external_key="P2").full_name == "Петров Юрий Иванович"


@pytest.mark.parametrize("encoding", ["utf-16", "koi8-r", "cp866"])
def test_other_encodings_are_refused_with_a_clear_error(admin_user, encoding):
    rows = [person_row(f"P{i}", "Иванова", "Мария", "Петровна") for i in range(20)]
    message = refused(admin_user, csv_bytes(rows, PEOPLE_HEADER, encoding=encoding))
    assert "UTF-8" in message


def test_a_delimiter_is_recognised(admin_user):
    for delimiter in (";", ",", "\t"):
        Person.objects.all().delete()
        batch = run(admin_user, csv_bytes(GOOD, PEOPLE_HEADER, delimiter=delimiter))
        assert batch.status == ImportStatus.LOADED, delimiter
        assert Person.objects.count() == 2


def test_malformed_csv_rejects_the_whole_file_even_in_valid_only_mode(admin_user):
    data = csv_bytes(GOOD, PEOPLE_HEADER) + b'P3,"Broken,quote\nP4,x,y\n'
    for mode in ("all_or_nothing", "valid_only"):
        batch = run(admin_user, data, mode=mode)
        assert batch.status == ImportStatus.REJECTED
        [(row, _column, message)] = messages(batch)
        assert row == 4 and "malformed" in message
        assert not Person.objects.exists()


def test_a_stray_quote_is_reported_with_its_row(admin_user):
    data = csv_bytes(GOOD, PEOPLE_HEADER) + b'P3,"Sidorov"x,Petr,,M,,,,,,,\n'
    batch = run(admin_user, data)
    assert batch.status == ImportStatus.REJECTED
    assert "row 4" in messages(batch)[0][2]


def test_a_row_of_the_wrong_width_is_a_problem_of_that_row(admin_user):
    data = csv_bytes([*GOOD, ["P3", "Сидоров", "Пётр"]], PEOPLE_HEADER)
    batch = run(admin_user, data, mode="valid_only")
    assert batch.status == ImportStatus.LOADED and batch.error_rows == 1
    assert messages(batch) == [(4, "", "The row has 3 values; the header has 12 columns.")]
    assert Person.objects.count() == 2


def test_a_file_changing_encoding_midway_is_rejected(admin_user):
    data = csv_bytes(GOOD * 5000, PEOPLE_HEADER) + "P9,Ёжиков,Ёж,,M,,,,,,,\n".encode("cp1251")
    batch = run(admin_user, data)
    assert batch.status == ImportStatus.REJECTED
    assert "mixes encodings" in messages(batch)[0][2]
    assert not Person.objects.exists()


def test_duplicate_column_names_are_refused(admin_user):
    header = [*PEOPLE_HEADER[:-1], "Last_Name"]
    assert "twice" in refused(admin_user, csv_bytes(GOOD, header))


@pytest.mark.parametrize("name", ["people.xls", "people.txt", "people"])
def test_other_kinds_of_file_are_refused(admin_user, name):
    assert refused(admin_user, csv_bytes(GOOD, PEOPLE_HEADER), name=name)


def xlsx_bytes(rows: list[list], header: list[str] = PEOPLE_HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_is_read_with_typed_cells(admin_user):
    import datetime as dt

    rows = [
        [
            "P1",
            "Иванова",
            "Мария",
            None,
            "Ж",
            dt.datetime(1956, 3, 8),
            12345678964,
            79161234567,
            None,
            None,
            None,
            None,
        ]
    ]
    batch = run(admin_user, xlsx_bytes(rows), name="people.xlsx")
    assert batch.status == ImportStatus.LOADED, messages(batch)
    person = Person.objects.get()
    assert (person.sex, person.birth_date, person.snils, person.phone) == (
        "F",
        dt.date(1956, 3, 8),
        "12345678964",
        "+79161234567",
    )


def test_xlsx_numbers_that_lost_their_leading_zeros_are_snils_again(admin_user):
    from .conftest import valid_snils

    snils = valid_snils(seed=12_345_678)  # "012345678.."
    assert snils.startswith("0")
    rows = [["P1", "Иванова", "Мария", None, "F", None, int(snils), None, None, None, None, None]]
    batch = run(admin_user, xlsx_bytes(rows), name="people.xlsx")
    assert batch.status == ImportStatus.LOADED, messages(batch)
    assert Person.objects.get().snils == snils


def test_formulas_in_xlsx_cells_are_refused_not_evaluated(admin_user):
    rows = [
        ["P1", "Иванова", "Мария", None, "F", None, None, None, None, None, None, None],
        [
            "P2",
            '=HYPERLINK("http://x","Петров")',
            "Юрий",
            None,
            "M",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ],
    ]
    data = xlsx_bytes(rows)
    batch = run(admin_user, data, name="people.xlsx")
    assert batch.status == ImportStatus.REJECTED
    assert messages(batch) == [
        (3, "last_name", "The cell holds a formula; put its value in the cell instead.")
    ]
    assert not Person.objects.exists()
    batch = run(admin_user, data, name="people.xlsx", mode="valid_only")
    assert batch.status == ImportStatus.LOADED and batch.error_rows == 1
    assert list(Person.objects.values_list("external_key", flat=True)) == ["P1"]


def test_a_formula_in_a_column_not_imported_does_not_matter(admin_user):
    header = [*PEOPLE_HEADER, "note"]
    rows = [["P1", "Иванова", "Мария", None, "F", None, None, None, None, None, None, None, "=1+2"]]
    batch = run(admin_user, xlsx_bytes(rows, header), name="people.xlsx")
    assert batch.status == ImportStatus.LOADED


def test_malformed_xlsx_files_are_refused(admin_user, media):
    assert "not an Excel workbook" in refused(admin_user, b"not a zip at all", "people.xlsx")
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert "not an Excel workbook" in refused(admin_user, packed.getvalue(), "people.xlsx")
    good = xlsx_bytes([person_row("P1")])
    assert "damaged" in refused(admin_user, good[: len(good) // 2], "people.xlsx")
    assert "name it .xlsx" in refused(admin_user, good, "people.csv")
    assert stored_files(media) == []


def test_an_xlsx_that_unpacks_too_far_is_refused(admin_user, settings):
    settings.IMPORT_MAX_XLSX_UNPACKED_BYTES = 10_000
    data = xlsx_bytes([person_row(f"P{i}") for i in range(300)])
    assert "unpacks to more than" in refused(admin_user, data, "people.xlsx")


def test_a_200_mb_file_is_refused_before_it_is_read(admin_user, settings, tmp_path, media):
    """The real size, made instantly: a sparse file of 200 MB (no disk used) against a limit
    lowered to 100 MB; the check looks at the size before reading anything."""
    settings.IMPORT_MAX_FILE_BYTES = 100 * 1024 * 1024
    path = tmp_path / "people.csv"
    with open(path, "wb") as handle:
        handle.write(csv_bytes(GOOD, PEOPLE_HEADER))
        handle.truncate(200 * 1024 * 1024)
    assert os.path.getsize(path) == 200 * 1024 * 1024
    with pytest.raises(FileRejected) as error:
        reading.inspect_file(path, "people.csv")
    assert "200 MB" in str(error.value.message) and "100 MB" in str(error.value.message)
    with open(path, "rb") as handle, pytest.raises(FileRejected):
        from opora.registry.imports import services

        services.import_upload(
            actor=admin_user,
            file=handle,
            original_name="people.csv",
            entity="people",
            size=os.path.getsize(path),
        )
    assert stored_files(media) == [] and not ImportBatch.objects.exists()


def test_reading_a_large_file_keeps_memory_bounded(tmp_path):
    """About 25 MB of rows read while tracing allocations: the peak stays far below the file's
    size, because rows are streamed and never collected."""
    path = tmp_path / "large.csv"
    address = "г. Москва, ул. Большая Очень Длинная Улица Имени Кого-то, д. 1, кв. 100" * 2
    with open(path, "wb") as handle:
        handle.write(csv_bytes([], PEOPLE_HEADER))
        chunk = csv_bytes([person_row(f"P{i}", address=address) for i in range(5000)])
        for _ in range(25):
            handle.write(chunk)
    size = path.stat().st_size
    assert size > 20 * 1024 * 1024
    info = reading.inspect_file(path, "large.csv")
    tracemalloc.start()
    try:
        count = sum(1 for _row in reading.read_rows(path, info))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 125_000
    assert peak < size / 20, (peak, size)


def test_the_upload_page_stops_a_file_over_the_limit(login, admin_user, settings, media):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.IMPORT_MAX_FILE_BYTES = 1000
    data = csv_bytes([person_row(f"P{i}") for i in range(100)], PEOPLE_HEADER)
    response = login(admin_user).post(
        reverse("registry:registry_import:upload"),
        {
            "file": SimpleUploadedFile("people.csv", data),
            "entity": "people",
            "mode": "all_or_nothing",
        },
    )
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert stored_files(media) == [] and not ImportBatch.objects.exists()
