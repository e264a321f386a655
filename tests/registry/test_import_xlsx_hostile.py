"""Workbooks that lie or blow up: every row the sheet holds is read whatever its stored
dimension says, and a workbook past a bound (cells in a row, columns, rows, length of a cell,
unpacked size) is refused with a message saying which, in memory that does not grow with it."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from collections.abc import Iterable
from pathlib import Path

import openpyxl
import pytest

from opora.registry.imports import reading
from opora.registry.imports.reading import FileRejected
from opora.registry.models import ImportStatus, Person

from .test_import_helpers import PEOPLE_HEADER, person_row, run

SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def workbook_bytes(rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(PEOPLE_HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_sheet(data: bytes, sheet_xml: Iterable[bytes]) -> bytes:
    """The workbook ``data`` with its first sheet's XML replaced, streamed piece by piece."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename == SHEET:
                with target.open(SHEET, "w", force_zip64=True) as handle:
                    for piece in sheet_xml:
                        handle.write(piece)
            else:
                target.writestr(info, source.read(info))
    return out.getvalue()


def edited(data: bytes, name: str, edit) -> bytes:
    """The workbook with one part's XML changed by ``edit`` (text to text)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        text = source.read(name).decode()
    return with_sheet(data, [edit(text).encode()]) if name == SHEET else data


def inline_row(number: int, values: list[str]) -> bytes:
    cells = "".join(
        f'<c r="{openpyxl.utils.get_column_letter(i + 1)}{number}" t="inlineStr">'
        f"<is><t>{value}</t></is></c>"
        for i, value in enumerate(values)
        if value
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def read_all(tmp_path: Path, data: bytes) -> list[reading.Row]:
    path = tmp_path / "people.xlsx"
    path.write_bytes(data)
    info = reading.inspect_file(path, "people.xlsx")
    return list(reading.read_rows(path, info))


def refusal(tmp_path: Path, data: bytes) -> FileRejected:
    with pytest.raises(FileRejected) as error:
        read_all(tmp_path, data)
    return error.value


def peak_while(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.django_db
def test_rows_past_the_stored_dimension_are_loaded(admin_user):
    rows = [person_row(f"P{i}") for i in range(10)]
    lying = edited(
        workbook_bytes(rows),
        SHEET,
        lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:L3"', xml),
    )
    assert b'ref="A1:L3"' in zipfile.ZipFile(io.BytesIO(lying)).read(SHEET)
    batch = run(admin_user, lying, name="people.xlsx")
    assert (batch.status, batch.total_rows) == (ImportStatus.LOADED, 10)
    assert Person.objects.count() == 10


def test_a_dimension_claiming_the_whole_sheet_pads_nothing(tmp_path):
    data = edited(
        workbook_bytes([person_row("P1")]),
        SHEET,
        lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml),
    )
    [row] = read_all(tmp_path, data)
    assert row.values[0] == "P1" and len(row.values) == len(PEOPLE_HEADER)


def test_a_row_of_too_many_cells_is_refused_in_bounded_memory(tmp_path):
    """200,000 empty cells in one row (a few MB unpacked, a few KB packed): refused at the
    format's 16,384, without building the row."""

    def sheet() -> Iterable[bytes]:
        yield SHEET_START + b"<sheetData>" + inline_row(1, PEOPLE_HEADER) + b'<row r="2">'
        for _ in range(200):
            yield b"<c/>" * 1000
        yield b"</row></sheetData></worksheet>"

    data = with_sheet(workbook_bytes([]), sheet())
    assert len(data) < 100_000
    errors: list[FileRejected] = []
    peak = peak_while(lambda: errors.append(refusal(tmp_path, data)))
    assert errors[0].code == "xlsx_too_many_cells" and errors[0].row == 2
    assert "16384" in str(errors[0].message)
    assert peak < 5 * 1024 * 1024, peak


def test_a_value_past_the_columns_read_is_refused_with_its_row(tmp_path):
    far = SHEET_START + b"<sheetData>" + inline_row(1, PEOPLE_HEADER)
    far += b'<row r="2"><c r="ZZ2" t="inlineStr"><is><t>x</t></is></c></row>'
    far += b"</sheetData></worksheet>"
    error = refusal(tmp_path, with_sheet(workbook_bytes([]), [far]))
    assert (error.code, error.row) == ("too_many_columns", 2)


def test_blank_rows_by_the_hundred_thousand_are_read_past_in_bounded_memory(tmp_path):
    """300,000 blank rows (about 6 MB unpacked) before the one row of data: read past, none
    kept. (A million take the same memory and five times as long.)"""
    last = 300_002

    def sheet() -> Iterable[bytes]:
        yield SHEET_START + b"<sheetData>" + inline_row(1, PEOPLE_HEADER)
        for start in range(2, last, 10_000):
            yield b"".join(b'<row r="%d"/>' % n for n in range(start, start + 10_000))
        yield inline_row(last, person_row("P1")) + b"</sheetData></worksheet>"

    path = tmp_path / "people.xlsx"
    path.write_bytes(with_sheet(workbook_bytes([]), sheet()))
    info = reading.inspect_file(path, "people.xlsx")
    found: list[reading.Row] = []
    peak = peak_while(lambda: found.extend(reading.read_rows(path, info)))
    assert [(row.number, row.values[0]) for row in found] == [(last, "P1")]
    assert peak < 2 * 1024 * 1024, peak


def test_a_row_past_the_last_row_of_a_sheet_is_refused(tmp_path):
    data = SHEET_START + b"<sheetData>" + inline_row(1, PEOPLE_HEADER)
    data += inline_row(1_048_577, person_row("P1")) + b"</sheetData></worksheet>"
    error = refusal(tmp_path, with_sheet(workbook_bytes([]), [data]))
    assert (error.code, error.row) == ("xlsx_too_many_rows", 1_048_577)


def test_a_cell_longer_than_a_spreadsheet_holds_is_refused(tmp_path):
    long = ["P1", "И" * 40_000, *person_row("P1")[2:]]
    data = SHEET_START + b"<sheetData>" + inline_row(1, PEOPLE_HEADER)
    data += inline_row(2, long) + b"</sheetData></worksheet>"
    error = refusal(tmp_path, with_sheet(workbook_bytes([]), [data]))
    assert (error.code, error.row) == ("xlsx_cell_too_long", 2)


def with_shared_strings(data: bytes, strings: list[str]) -> bytes:
    """The workbook with a shared strings part (openpyxl writes every string inline)."""
    rels = "xl/_rels/workbook.xml.rels"
    relation = (
        '<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
    )
    table = "".join(f"<si><t>{text}</t></si>" for text in strings)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == rels:
                part = part.decode().replace("</Relationships>", relation).encode()
            target.writestr(info, part)
        target.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{table}</sst>',
        )
    return out.getvalue()


def test_shared_strings_are_read_and_one_longer_than_a_cell_holds_is_refused(tmp_path):
    shared = SHEET_START + b"<sheetData>" + inline_row(1, PEOPLE_HEADER)
    shared += b'<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>0</v></c></row>'
    shared += b"</sheetData></worksheet>"
    data = with_sheet(workbook_bytes([]), [shared])
    [row] = read_all(tmp_path, with_shared_strings(data, ["Иванова", "P1"]))
    assert row.values[:2] == ["P1", "Иванова"]
    error = refusal(tmp_path, with_shared_strings(data, ["Ж" * 40_000, "P1"]))
    assert error.code == "xlsx_cell_too_long"


def test_a_document_type_declaration_is_refused(tmp_path):
    """No entity is ever expanded: a DTD (the billion laughs' vehicle) is refused outright."""
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + inline_row(1, PEOPLE_HEADER) + b"</sheetData></worksheet>"
    )
    assert refusal(tmp_path, with_sheet(workbook_bytes([]), [bomb])).code == "damaged_xlsx"


def test_escaped_characters_and_dates_are_read_as_a_spreadsheet_shows_them(tmp_path):
    import datetime as dt

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(PEOPLE_HEADER)
    sheet.append(["P1", "_x0041_nna", "Мария", "", "F", dt.date(1956, 3, 8), 1234567890])
    buffer = io.BytesIO()
    workbook.save(buffer)
    [row] = read_all(tmp_path, buffer.getvalue())
    assert row.values[:7] == ["P1", "Anna", "Мария", "", "F", "08.03.1956", "1234567890"]
