"""Reading import files: CSV (UTF-8, UTF-8 with a BOM, or Windows-1251) and XLSX.

Both formats come out the same way: a header of column names and then, row by row, the row's
number as a spreadsheet shows it (the header is row 1), its values as text, and the problems
found in its cells while reading. Files are streamed; memory does not grow with their size.

Decisions:

- **Encoding.** A BOM or strict UTF-8 means UTF-8; otherwise the text must decode as
  Windows-1251 *and look like Russian text* (the Cyrillic letters have a plausible share of
  vowels and no case flips inside words). That second check is what tells Windows-1251 from
  KOI8-R or DOS-866, which decode without error but give nonsense. Anything else (UTF-16, a
  binary file, another 8-bit encoding) is refused with a message saying how to save the file.
- **Delimiter.** Whichever of ``;``, ``,`` and a tab occurs most often in the header line.
- **XLSX** is streamed by xlsx.py (expat, no DTD and no entities), never by the sheet's
  stored dimension: the rows read are the rows the sheet holds. Cells per row, columns, the
  length of a cell, the row number and what the archive unpacks to are bounded, and a
  workbook past a bound is refused with a message saying which.
- **Formulas in XLSX cells are refused, not taken as their cached values**: a workbook written
  by a program other than Excel has no cached values at all, a cached value may be stale, and
  a formula may point at other sheets or workbooks. The cell is reported ("put its value
  instead"); nothing is ever evaluated.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from opora.core.errors import DomainError

from .cells import unguarded
from .conf import MiB, limit

logger = logging.getLogger(__name__)

CSV, XLSX = "csv", "xlsx"
EXTENSIONS = {".csv": CSV, ".xlsx": XLSX}
DELIMITERS = (";", ",", "\t")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls and other old Office files
UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


class FileRejected(DomainError):
    """The file as a whole cannot be read; ``row`` says where, when it is known."""

    def __init__(self, code: str, message: Any, *, row: int = 0) -> None:
        super().__init__(code, message, details={"row": [str(row)]} if row else {})
        self.row = row


@dataclass(frozen=True)
class FileInfo:
    file_format: str
    encoding: str = ""
    delimiter: str = ","
    header: list[str] = field(default_factory=list)


@dataclass
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    values: list[str]
    # (column index or None for the whole row, the value, the message)
    problems: list[tuple[int | None, str, str]] | None = None


# --- Recognising the file ---------------------------------------------------------------------


def inspect_file(path: Path, original_name: str) -> FileInfo:
    """Check the file's size, kind, encoding and header; refuse it with a clear message."""
    path = Path(path)
    size = path.stat().st_size
    check_size(size, limit("MAX_FILE_BYTES"))
    if size == 0:
        raise FileRejected("empty_file", _("The file is empty."))
    extension = Path(original_name).suffix.lower()
    with open(path, "rb") as handle:
        head = handle.read(8)
    if extension == ".xls" or head.startswith(OLE_MAGIC):
        raise FileRejected(
            "old_excel",
            _("This is an old Excel file (.xls). Save it as .xlsx or as CSV and upload it again."),
        )
    kind = EXTENSIONS.get(extension)
    if kind is None:
        raise FileRejected("unsupported_file", _("Only CSV and XLSX files can be imported."))
    if kind == XLSX:
        if not head.startswith(ZIP_MAGIC):
            raise FileRejected(
                "not_xlsx", _("The file is named .xlsx but is not an Excel workbook.")
            )
        check_size(size, limit("MAX_XLSX_BYTES"))
        _check_archive(path)
        info = FileInfo(XLSX)
    else:
        if head.startswith(ZIP_MAGIC):
            raise FileRejected(
                "not_csv",
                _(
                    "The file is named .csv but is a packed file (perhaps an Excel workbook: "
                    "name it .xlsx)."
                ),
            )
        info = _inspect_csv(path)
    header, has_rows = _header_and_first_row(path, info)
    if not has_rows:
        raise FileRejected("no_rows", _("The file has a header but no rows."))
    return FileInfo(info.file_format, info.encoding, info.delimiter, header)


def check_size(size: int, most: int) -> None:
    if size > most:
        raise FileRejected(
            "file_too_large",
            _(
                "The file is %(size)s MB; at most %(limit)s MB can be imported at once. Split it "
                "into smaller files."
            )
            % {"size": megabytes(size), "limit": megabytes(most)},
        )


def megabytes(size: int) -> str:
    return f"{size / MiB:.1f}".rstrip("0").rstrip(".")


def _check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRejected(
            "damaged_xlsx", _("The XLSX file is damaged and cannot be read.")
        ) from exc
    if "xl/workbook.xml" not in names:
        raise FileRejected(
            "not_xlsx", _("The file is a packed file but not an Excel workbook (.xlsx).")
        )
    if unpacked > limit("MAX_XLSX_UNPACKED_BYTES"):
        raise FileRejected(
            "xlsx_too_large",
            _("The workbook unpacks to more than %(limit)s MB. Save it as CSV instead.")
            % {"limit": megabytes(limit("MAX_XLSX_UNPACKED_BYTES"))},
        )


# --- CSV: encoding and delimiter ----------------------------------------------------------------

_RUSSIAN = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")
_VOWELS = frozenset("аеёиоуыэюя")
_TYPOGRAPHY = frozenset("«»–—№…“”„‘’•·\u00a0")
_CASE_FLIP = re.compile(r"[а-яё][А-ЯЁ]")
_CYRILLIC_WORD = re.compile(r"[а-яёА-ЯЁ]{3,}")


def _inspect_csv(path: Path) -> FileInfo:
    sniff = limit("SNIFF_BYTES")
    with open(path, "rb") as handle:
        sample = handle.read(sniff)
        complete = len(handle.read(1)) == 0
    if sample.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
        text = _decode(sample, "utf-8-sig", complete)
        if text is None:
            raise _unknown_encoding()
    elif sample.startswith(UTF16_32_BOMS) or b"\x00" in sample:
        raise FileRejected(
            "unsupported_encoding",
            _(
                "The file is in UTF-16 or is not a text file. Save it as CSV in UTF-8 and upload "
                "it again."
            ),
        )
    else:
        text = _decode(sample, "utf-8", complete)
        encoding = "utf-8"
        if text is None:
            text = _decode(sample, "cp1251", complete)
            encoding = "cp1251"
            if text is None or not _looks_russian(text):
                raise _unknown_encoding()
    if not text.strip():
        raise FileRejected("empty_file", _("The file is empty."))
    first_line = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    return FileInfo(CSV, encoding, _delimiter(first_line))


def _unknown_encoding() -> FileRejected:
    return FileRejected(
        "unsupported_encoding",
        _(
            "The file's encoding is not recognised: it is neither UTF-8 nor Windows-1251. Save it "
            "as CSV in UTF-8 and upload it again."
        ),
    )


def _decode(sample: bytes, encoding: str, complete: bool) -> str | None:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        # A sample cut in the middle of a character is not an error; the rest comes later.
        return decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        return None


def _looks_russian(text: str) -> bool:
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return True
    letters = [c for c in non_ascii if c in _RUSSIAN]
    others = len(non_ascii) - len(letters) - sum(c in _TYPOGRAPHY for c in non_ascii)
    if others > max(3, len(non_ascii) // 20):
        return False
    if len(letters) < 20:
        return True
    vowels = sum(c.lower() in _VOWELS for c in letters) / len(letters)
    if not 0.25 <= vowels <= 0.65:
        return False
    words = _CYRILLIC_WORD.findall(text)
    flipped = sum(1 for word in words if _CASE_FLIP.search(word))
    return not words or flipped / len(words) <= 0.2


def _delimiter(line: str) -> str:
    counts = {d: _count_outside_quotes(line, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties keep the order of DELIMITERS
    return best if counts[best] else ","


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


# --- Records ----------------------------------------------------------------------------------


def _csv_lines(raw: IO[bytes], encoding: str, read: list[int]) -> Iterator[str]:
    """The file's lines, each decoded as it is reached: a line that does not decode fails
    while the CSV reader is on its record, so the row reported is the right one (a whole-file
    text stream decodes blocks ahead of the reader). ``read[0]`` counts the bytes read."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    most = limit("MAX_LINE_BYTES")
    while line := raw.readline(most + 1):
        if len(line) > most and not line.endswith(b"\n"):
            raise _LineTooLong
        read[0] += len(line)
        yield decoder.decode(line)
    yield decoder.decode(b"", final=True)


class _LineTooLong(Exception):
    pass


def _csv_records(
    path: Path, info: FileInfo, position: Position | None = None
) -> Iterator[tuple[int, list[str], list | None]]:
    number = 0
    read = [0]
    with open(path, "rb") as raw:
        if position is not None:
            position.total = path.stat().st_size
        lines = _csv_lines(raw, info.encoding, read)
        reader = csv.reader(lines, delimiter=info.delimiter, strict=True)
        try:
            for record in reader:
                number += 1
                if position is not None and not number % 4096:
                    position.done = read[0]
                yield number, *_csv_cells(record)
        except UnicodeDecodeError as exc:
            raise FileRejected(
                "encoding_changed",
                _(
                    "Row %(row)s cannot be read as %(encoding)s: the file mixes encodings. Save it "
                    "again as CSV in UTF-8."
                )
                % {"row": number + 1, "encoding": _encoding_label(info.encoding)},
                row=number + 1,
            ) from exc
        except _LineTooLong:
            raise FileRejected(
                "line_too_long",
                _("Row %(row)s is longer than %(limit)s MB: the file is not a table of people.")
                % {"row": number + 1, "limit": megabytes(limit("MAX_LINE_BYTES"))},
                row=number + 1,
            ) from None
        except csv.Error as exc:
            raise FileRejected(
                "malformed_csv",
                _(
                    "The CSV file is malformed at row %(row)s (%(reason)s). Check the quotes "
                    "around that row."
                )
                % {"row": number + 1, "reason": str(exc)},
                row=number + 1,
            ) from exc


def _csv_cells(record: list[str]) -> tuple[list[str], list | None]:
    """The record's cells without the export's guard against formulas (cells.py); a NUL
    character, which no text holds and no database stores, is a problem of its cell."""
    problems = None
    values = []
    for index, value in enumerate(record):
        if "\x00" in value:
            problems = problems or []
            problems.append((index, value.replace("\x00", "␀"), nul_message()))
            value = ""
        values.append(unguarded(value))
    return values, problems


def nul_message() -> str:
    return _("The cell holds a NUL character: the file is damaged or not a text file.")


def _encoding_label(encoding: str) -> str:
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1251": "Windows-1251"}.get(
        encoding, encoding
    )


def cell_text(value: Any) -> str:
    """An XLSX cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


def _xlsx_records(
    path: Path, position: Position | None = None
) -> Iterator[tuple[int, list[str], list | None]]:
    from . import xlsx

    def sized(size: int) -> None:
        if position is not None:
            position.total = size

    def read(done: int) -> None:
        if position is not None:
            position.done = done

    try:
        yield from xlsx.sheet_rows(path, cell_text, on_size=sized, on_read=read)
    except xlsx.Unreadable as exc:
        raise FileRejected(exc.code, exc.message, row=exc.row) from exc
    except (OSError, EOFError, zipfile.BadZipFile, UnicodeDecodeError, ValueError) as exc:
        logger.info("Unreadable XLSX %s: %r", path, exc)
        raise FileRejected(
            "damaged_xlsx", _("The XLSX file is damaged and cannot be read.")
        ) from exc


def _records(
    path: Path, info: FileInfo, position: Position | None = None
) -> Iterator[tuple[int, list[str], list | None]]:
    if info.file_format == XLSX:
        return _xlsx_records(path, position)
    return _csv_records(path, info, position)


def _clean_header(record: list[str]) -> list[str]:
    names = [value.replace("\ufeff", "").strip() for value in record]
    while names and not names[-1]:
        names.pop()
    return [name or f"#{index}" for index, name in enumerate(names, start=1)]


def _is_blank(values: list[str]) -> bool:
    return all(not value.strip() for value in values)


def _header_and_first_row(path: Path, info: FileInfo) -> tuple[list[str], bool]:
    records = _records(path, info)
    try:
        header: list[str] | None = None
        for _number, values, _problems in records:
            if header is None:
                if _is_blank(values):
                    continue
                header = _clean_header(values)
                _check_header(header)
                continue
            if not _is_blank(values):
                return header, True
        if header is None:
            raise FileRejected("empty_file", _("The file is empty."))
        return header, False
    finally:
        close = getattr(records, "close", None)
        if close:
            close()


def _check_header(header: list[str]) -> None:
    if len(header) > limit("MAX_COLUMNS"):
        raise FileRejected(
            "too_many_columns",
            _("The file has %(count)s columns; at most %(limit)s are read.")
            % {"count": len(header), "limit": limit("MAX_COLUMNS")},
            row=1,
        )
    seen: set[str] = set()
    for name in header:
        folded = name.casefold()
        if folded in seen:
            raise FileRejected(
                "duplicate_column",
                _("The header names the column “%(name)s” twice.") % {"name": name},
                row=1,
            )
        seen.add(folded)


class Position:
    """How far reading has got, for the progress bar: ``done`` of ``total`` (bytes or rows)."""

    def __init__(self) -> None:
        self.done = 0
        self.total = 0

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0


def read_rows(path: Path, info: FileInfo, position: Position | None = None) -> Iterator[Row]:
    """The data rows after the header, blank rows left out, each with its reading problems."""
    width = len(info.header)
    header_seen = False
    for number, values, problems in _records(path, info, position):
        if not header_seen:
            if _is_blank(values):
                continue
            header_seen = True
            continue
        if len(values) != width:
            if len(values) > width and _is_blank(values[width:]):
                del values[width:]
                if problems:
                    problems = [p for p in problems if p[0] is None or p[0] < width]
            elif len(values) < width and info.file_format == XLSX:
                values.extend([""] * (width - len(values)))  # XLSX leaves out empty cells
        if not problems and _is_blank(values):
            continue
        if len(values) != width:
            problems = [
                (
                    None,
                    "",
                    _("The row has %(found)s values; the header has %(expected)s columns.")
                    % {"found": len(values), "expected": width},
                )
            ]
        yield Row(number, values, problems or None)


def preview(path: Path, info: FileInfo, count: int) -> list[Row]:
    rows = []
    iterator = read_rows(path, info)
    try:
        for row in iterator:
            rows.append(row)
            if len(rows) >= count:
                break
    finally:
        iterator.close()  # type: ignore[attr-defined]
    return rows
