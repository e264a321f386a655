"""The first sheet of an XLSX workbook, streamed cell by cell, trusting nothing it declares.

Why not openpyxl: its read-only mode believes the sheet's stored dimension (``<dimension
ref="A1:L3"/>``), so a workbook whose dimension claims fewer rows than it holds loses the rest
without a word, and one that claims 16,384 columns pads every row to that width; and it builds
each ``<row>`` element whole before giving it out, so one row of millions of cells takes
gigabytes. Here the XML is pushed through expat in small pieces and every bound is checked as
the bytes arrive:

- the rows are those the sheet holds, whatever its dimension says;
- at most ``MAX_XLSX_CELLS_PER_ROW`` cells in a row (the format's own limit of columns), at
  most ``MAX_COLUMNS`` columns holding a value, at most ``MAX_XLSX_CELL_CHARS`` characters in
  a cell (Excel's own limit), at most ``MAX_XLSX_ROWS`` as the row number (a sheet's limit);
- what the archive unpacks to is bounded (reading.py checks the declared sizes, and zipfile
  stops at the declared size of each part, failing its checksum if the part is longer);
- the shared strings go to a temporary file with an index of their offsets, so a workbook
  with millions of distinct strings holds only 8 bytes per string in memory.

The XML is parsed with no DTD, no entity and no external reference (what defusedxml does).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import posixpath
import re
import tempfile
import zipfile
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, NoReturn
from xml.parsers import expat

from django.utils.translation import gettext as _

from .cells import xml_unescaped
from .conf import limit

READ_BYTES = 64 * 1024
WORKBOOK = "xl/workbook.xml"
PART_BYTES = 16 * 1024 * 1024  # workbook, relationships and styles: small parts, read whole
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]+)$")
# Built-in number formats that show a date or a time (ECMA-376 part 1, 18.8.30).
_DATE_FORMAT_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})


class Unreadable(Exception):
    """The workbook breaks a bound or is not a workbook; ``code`` and ``message`` say which,
    ``row`` where (0: not known)."""

    def __init__(self, code: str, message: str, row: int = 0) -> None:
        super().__init__(message)
        self.code, self.message, self.row = code, message, row


def formula_message() -> str:
    return _("The cell holds a formula; put its value in the cell instead.")


def cell_error_message() -> str:
    return _("The cell holds an error value.")


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _parser(start: Callable, end: Callable, text: Callable | None) -> Any:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def forbidden(*_args: Any) -> NoReturn:
        raise Unreadable("damaged_xlsx", _("The XLSX file is damaged and cannot be read."))

    parser.StartDoctypeDeclHandler = forbidden
    parser.EntityDeclHandler = forbidden
    parser.UnparsedEntityDeclHandler = forbidden
    parser.ExternalEntityRefHandler = forbidden
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    parser.buffer_text = True
    return parser


def _feed(parser: Any, handle: IO[bytes], after_each: Callable[[], Iterator] | None = None):
    """Push the part through the parser; after each piece, what ``after_each`` yields."""
    while chunk := handle.read(READ_BYTES):
        try:
            parser.Parse(chunk, False)
        except expat.ExpatError as exc:
            raise Unreadable(
                "damaged_xlsx", _("The XLSX file is damaged and cannot be read.")
            ) from exc
        if after_each is not None:
            yield from after_each()
    try:
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise Unreadable("damaged_xlsx", _("The XLSX file is damaged and cannot be read.")) from exc
    if after_each is not None:
        yield from after_each()


def _elements(archive: zipfile.ZipFile, name: str) -> list[tuple[str, dict[str, str]]]:
    """The elements of a small part, in order, with their attributes (local names)."""
    found: list[tuple[str, dict[str, str]]] = []
    try:
        info = archive.getinfo(name)
    except KeyError:
        return found
    if info.file_size > PART_BYTES:
        raise Unreadable("damaged_xlsx", _("The XLSX file is damaged and cannot be read."))

    def start(tag: str, attributes: dict[str, str]) -> None:
        found.append((_local(tag), {_local(k): v for k, v in attributes.items()}))

    with archive.open(info) as handle:
        for _nothing in _feed(_parser(start, lambda _tag: None, None), handle):
            pass
    return found


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _target(part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


class StringTable:
    """The workbook's shared strings in a temporary file, found by their index."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.offsets = array("q", [0])

    def add(self, text: str) -> None:
        self.offsets.append(self.offsets[-1] + self.file.write(text.encode("utf-8")))

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self.offsets) - 1:
            raise IndexError(index)
        start = self.offsets[index]
        self.file.seek(start)
        return self.file.read(self.offsets[index + 1] - start).decode("utf-8")

    def close(self) -> None:
        self.file.close()


def _cell_too_long(row: int = 0) -> Unreadable:
    return Unreadable(
        "xlsx_cell_too_long",
        _("A cell holds more than %(limit)s characters, more than a spreadsheet cell can hold.")
        % {"limit": limit("MAX_XLSX_CELL_CHARS")},
        row,
    )


def _shared_strings(archive: zipfile.ZipFile, part: str | None) -> StringTable:
    table = StringTable()
    if part is None or part not in archive.namelist():
        return table
    most = limit("MAX_XLSX_CELL_CHARS")
    state = {"depth": 0, "phonetic": 0, "in_text": False}
    pieces: list[str] = []
    length = [0]

    def start(tag: str, _attributes: dict) -> None:
        name = _local(tag)
        if name == "si":
            pieces.clear()
            length[0] = 0
        elif name == "rPh":  # the phonetic reading of East Asian text is not the value
            state["phonetic"] += 1
        elif name == "t" and not state["phonetic"]:
            state["in_text"] = True

    def end(tag: str) -> None:
        name = _local(tag)
        if name == "si":
            table.add(xml_unescaped("".join(pieces)))
        elif name == "rPh":
            state["phonetic"] -= 1
        elif name == "t":
            state["in_text"] = False

    def text(data: str) -> None:
        if state["in_text"]:
            length[0] += len(data)
            if length[0] > most:
                raise _cell_too_long()
            pieces.append(data)

    try:
        with archive.open(part) as handle:
            for _nothing in _feed(_parser(start, end, text), handle):
                pass
    except BaseException:
        table.close()
        raise
    return table


def _date_styles(archive: zipfile.ZipFile, part: str | None) -> frozenset[int]:
    """The indexes of the cell formats that show a number as a date or a time."""
    from openpyxl.styles.numbers import is_date_format

    if part is None:
        return frozenset()
    custom: dict[int, str] = {}
    formats: list[int] = []
    inside_cell_formats = False
    for name, attributes in _elements(archive, part):
        if name == "numFmt":
            with contextlib.suppress(KeyError, ValueError):
                custom[int(attributes["numFmtId"])] = attributes.get("formatCode", "")
        elif name == "cellXfs":
            inside_cell_formats = True
        elif name == "cellStyles":
            inside_cell_formats = False
        elif name == "xf" and inside_cell_formats:
            try:
                formats.append(int(attributes.get("numFmtId", "0")))
            except ValueError:
                formats.append(0)
    return frozenset(
        index
        for index, format_id in enumerate(formats)
        if format_id in _DATE_FORMAT_IDS
        or (format_id in custom and is_date_format(custom[format_id]))
    )


class Workbook:
    """The parts of the workbook needed to read its first sheet."""

    def __init__(self, path: Path) -> None:
        try:
            self.archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise Unreadable(
                "damaged_xlsx", _("The XLSX file is damaged and cannot be read.")
            ) from exc
        try:
            self._open()
        except BaseException:
            self.archive.close()
            raise

    def _open(self) -> None:
        workbook = _elements(self.archive, WORKBOOK)
        sheets = [attributes for name, attributes in workbook if name == "sheet"]
        if not sheets:
            raise Unreadable("empty_file", _("The workbook has no sheet with data."))
        properties = next((a for n, a in workbook if n == "workbookPr"), {})
        self.epoch_1904 = properties.get("date1904", "0") in ("1", "true")
        relations = {
            a.get("Id", ""): a
            for n, a in _elements(self.archive, _rels_path(WORKBOOK))
            if n == "Relationship"
        }
        by_type: dict[str, str] = {}
        for relation in relations.values():
            kind = relation.get("Type", "").rpartition("/")[2]
            by_type.setdefault(kind, _target(WORKBOOK, relation.get("Target", "")))
        first = relations.get(sheets[0].get("id", ""))
        if first is None:
            raise Unreadable("damaged_xlsx", _("The XLSX file is damaged and cannot be read."))
        self.sheet = _target(WORKBOOK, first.get("Target", ""))
        if self.sheet not in self.archive.namelist():
            raise Unreadable("damaged_xlsx", _("The XLSX file is damaged and cannot be read."))
        self.date_styles = _date_styles(self.archive, by_type.get("styles"))
        self.strings = _shared_strings(self.archive, by_type.get("sharedStrings"))

    def close(self) -> None:
        self.strings.close()
        self.archive.close()


class _SheetParser:
    """Turns the events of a sheet's XML into rows: (number, values, problems)."""

    def __init__(self, workbook: Workbook, cell_text: Callable[[Any], str]) -> None:
        self.workbook = workbook
        self.cell_text = cell_text
        self.most_cells = limit("MAX_XLSX_CELLS_PER_ROW")
        self.most_columns = limit("MAX_COLUMNS")
        self.most_chars = limit("MAX_XLSX_CELL_CHARS")
        self.most_rows = limit("MAX_XLSX_ROWS")
        self.ready: deque[tuple[int, list[str], list | None]] = deque()
        self.row = 0
        self.cells_in_row = 0
        self.values: list[str] = []
        self.problems: list | None = None
        self.column = 0
        self.kind = ""
        self.style = 0
        self.formula = False
        self.text: list[str] = []
        self.length = 0
        self.capture = False
        self.in_formula = False
        self.formula_text: list[str] = []
        self.phonetic = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        name = _local(tag)
        if name == "c":
            self._cell_start(attributes)
        elif name == "row":
            self._row_start(attributes)
        elif name in ("v", "t") and not self.phonetic:
            self.capture = True
        elif name == "f":
            self.formula = True
            self.in_formula = True
        elif name == "rPh":
            self.phonetic += 1

    def _row_start(self, attributes: dict[str, str]) -> None:
        number = self.row + 1
        if "r" in attributes:
            try:
                number = int(attributes["r"])
            except ValueError:
                raise self._damaged(number) from None
        if number > self.most_rows:
            raise Unreadable(
                "xlsx_too_many_rows",
                _("The sheet has rows past row %(limit)s, more than a worksheet holds.")
                % {"limit": self.most_rows},
                number,
            )
        self.row = number
        self.cells_in_row = 0
        self.values = []
        self.problems = None
        self.column = -1

    def _cell_start(self, attributes: dict[str, str]) -> None:
        self.cells_in_row += 1
        if self.cells_in_row > self.most_cells:
            raise Unreadable(
                "xlsx_too_many_cells",
                _("Row %(row)s has more than %(limit)s cells, more than a worksheet holds.")
                % {"row": self.row, "limit": self.most_cells},
                self.row,
            )
        reference = attributes.get("r")
        if reference:
            match = _CELL_REF.match(reference)
            if match is None:
                raise self._damaged(self.row)
            self.column = _column_index(match[1])
        else:
            self.column += 1
        self.kind = attributes.get("t", "n")
        try:
            self.style = int(attributes.get("s", "0"))
        except ValueError:
            self.style = 0
        self.formula = False
        self.formula_text = []
        self.text = []
        self.length = 0

    def data(self, text: str) -> None:
        if self.in_formula:
            if sum(map(len, self.formula_text)) < self.most_chars:
                self.formula_text.append(text)
        elif self.capture:
            self.length += len(text)
            if self.length > self.most_chars:
                raise _cell_too_long(self.row)
            self.text.append(text)

    def end(self, tag: str) -> None:
        name = _local(tag)
        if name in ("v", "t"):
            self.capture = False
        elif name == "f":
            self.in_formula = False
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "c":
            self._cell_end()
        elif name == "row" and (self.values or self.problems):
            self.ready.append((self.row, self.values, self.problems))

    def _cell_end(self) -> None:
        raw = "".join(self.text)
        if self.formula:
            formula = "=" + "".join(self.formula_text)
            self._put(self._problem(formula[: self.most_chars], formula_message()))
            return
        if self.kind == "e":
            self._put(self._problem(raw, cell_error_message()))
            return
        if not raw:
            return
        self._put(self._value(raw))

    def _problem(self, raw: str, message: str) -> str:
        self.problems = self.problems or []
        self.problems.append((self.column, raw, message))
        return ""

    def _value(self, raw: str) -> str:
        kind = self.kind
        if kind == "s":
            try:
                return self.workbook.strings[int(raw)]
            except (ValueError, IndexError):
                raise self._damaged(self.row) from None
        if kind in ("inlineStr", "str"):
            return xml_unescaped(raw)
        if kind == "b":
            return "1" if raw.strip() in ("1", "true") else "0"
        if kind == "d":
            return self._iso_date(raw)
        try:
            number = float(raw)
        except ValueError:
            raise self._damaged(self.row) from None
        if self.style in self.workbook.date_styles:
            return self._serial_date(number)
        return self.cell_text(int(number) if raw.lstrip("-").isdigit() else number)

    def _iso_date(self, raw: str) -> str:
        try:
            return self.cell_text(dt.datetime.fromisoformat(raw.strip().rstrip("Z")))
        except ValueError:
            return raw

    def _serial_date(self, number: float) -> str:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

        epoch = CALENDAR_MAC_1904 if self.workbook.epoch_1904 else CALENDAR_WINDOWS_1900
        try:
            return self.cell_text(from_excel(number, epoch))
        except (ValueError, OverflowError):
            return self.cell_text(number)

    def _put(self, value: str) -> None:
        if not value and self.column >= len(self.values):
            return
        if self.column >= self.most_columns:
            raise Unreadable(
                "too_many_columns",
                _("Row %(row)s has a value in column %(column)s; at most %(limit)s are read.")
                % {"row": self.row, "column": self.column + 1, "limit": self.most_columns},
                self.row,
            )
        if self.column >= len(self.values):
            self.values.extend([""] * (self.column + 1 - len(self.values)))
        self.values[self.column] = value

    @staticmethod
    def _damaged(row: int) -> Unreadable:
        return Unreadable(
            "damaged_xlsx",
            _("The XLSX file is damaged and cannot be read from row %(row)s on.") % {"row": row},
            row,
        )


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


class _Counted:
    """A part's stream that says how many of its unpacked bytes have been read."""

    def __init__(self, handle: IO[bytes], on_read: Callable[[int], None]) -> None:
        self.handle = handle
        self.on_read = on_read
        self.done = 0

    def read(self, size: int) -> bytes:
        data = self.handle.read(size)
        self.done += len(data)
        self.on_read(self.done)
        return data


def sheet_rows(
    path: Path,
    cell_text: Callable[[Any], str],
    on_size: Callable[[int], None] | None = None,
    on_read: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, list[str], list | None]]:
    """Each row of the first sheet that holds a cell: its number, its values, its problems
    (column index, the cell's text, the message)."""
    workbook = Workbook(path)
    try:
        info = workbook.archive.getinfo(workbook.sheet)
        if on_size is not None:
            on_size(info.file_size)
        rows = _SheetParser(workbook, cell_text)
        parser = _parser(rows.start, rows.end, rows.data)

        def drain() -> Iterator[tuple[int, list[str], list | None]]:
            while rows.ready:
                yield rows.ready.popleft()

        with workbook.archive.open(info) as handle:
            stream: Any = _Counted(handle, on_read) if on_read is not None else handle
            try:
                yield from _feed(parser, stream, drain)
            except zipfile.BadZipFile as exc:
                raise rows._damaged(rows.row + 1) from exc
    finally:
        workbook.close()
