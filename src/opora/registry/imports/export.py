"""Export of people, households, categories and incomes, in the columns the import reads.

Rows are the actor's (registry.selectors.people); SNILS is masked unless she may see personal
data. Both formats stream: CSV straight to the response, XLSX through openpyxl's write-only
workbook into a temporary file (a workbook is a zip written at the end), so memory stays
bounded. Text that a spreadsheet would run as a formula (=, +, -, @ at the start) is written so
that it stays text: a leading apostrophe in CSV, a string cell in XLSX; characters XML cannot
hold are escaped in XLSX as Excel escapes them. cells.py says how, and how the import undoes
it, so that an exported file imports back exactly as it was.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from opora.core.actors import Actor, is_system
from opora.core.errors import DomainError, require_choice
from opora.core.permissions import has_permission

from .. import selectors as registry_selectors
from ..access import PERSONAL_DATA_VIEW
from ..models import (
    Address,
    AddressKind,
    HouseholdMember,
    ImportEntity,
    Income,
    Person,
    PersonCategory,
    PersonInstitution,
)
from ..names import snils_format, snils_masked
from .cells import guarded, xml_escaped
from .columns import COLUMNS
from .plan import actor_scope

FORMATS = ("csv", "xlsx")
XLSX_MAX_ROWS = 1_048_576  # a worksheet's limit, the header included


@dataclass(frozen=True)
class Export:
    entity: str
    header: list[str]
    rows: Iterator[list[Any]]
    # A workbook's sheet is named after the registry file unless the export says what it holds.
    sheet_title: str = ""


def _day(value: Any) -> str:
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}" if value else ""


def _people(actor: Actor) -> QuerySet:
    if is_system(actor):  # every current record
        return Person.objects.filter(merged_into__isnull=True)
    return registry_selectors.people(actor=actor)


def export_rows(*, actor: Actor, entity: str) -> Export:
    require_choice(
        entity,
        ImportEntity,
        field="entity",
        code="invalid_entity",
        message=_("Choose what to export."),
        hint=_("Choose one of the list."),
    )
    header = list(COLUMNS[entity])
    people = _people(actor)
    rows = {
        ImportEntity.PEOPLE: _people_rows,
        ImportEntity.HOUSEHOLDS: _household_rows,
        ImportEntity.CATEGORIES: _category_rows,
        ImportEntity.INCOMES: _income_rows,
    }[ImportEntity(entity)](actor, people)
    return Export(entity, header, rows)


def _people_rows(actor: Actor, people: QuerySet) -> Iterator[list[Any]]:
    unmasked = has_permission(actor, PERSONAL_DATA_VIEW)
    address = Address.objects.filter(person=OuterRef("pk"), kind=AddressKind.REGISTRATION)
    links = PersonInstitution.objects.filter(person=OuterRef("pk"))
    scope = actor_scope(actor)
    if scope is not None:
        links = links.filter(institution_id__in=scope)
    qs = (
        people.annotate(
            address_text=Subquery(address.values("text")[:1]),
            district_code=Subquery(address.values("district__code")[:1]),
            institution_code=Subquery(
                links.order_by("institution__code").values("institution__code")[:1]
            ),
        )
        .order_by("pk")
        .values_list(
            "external_key",
            "last_name",
            "first_name",
            "patronymic",
            "sex",
            "birth_date",
            "snils",
            "phone",
            "email",
            "district_code",
            "address_text",
            "institution_code",
        )
    )
    for (
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
        text,
        inst,
    ) in qs.iterator(chunk_size=2000):
        shown = (snils_format(snils) if unmasked else snils_masked(snils)) if snils else ""
        yield [
            key or "",
            last,
            first,
            patronymic,
            sex,
            _day(born),
            shown,
            phone,
            email,
            district or "",
            text or "",
            inst or "",
        ]


def _household_rows(actor: Actor, people: QuerySet) -> Iterator[list[Any]]:
    qs = (
        HouseholdMember.objects.filter(left_on__isnull=True, person__in=people.values("pk"))
        .order_by("household_id", "-is_applicant", "id")
        .values_list(
            "household__external_key",
            "person__external_key",
            "relation",
            "is_applicant",
            "joined_on",
        )
    )
    for household, person, relation, applicant, joined in qs.iterator(chunk_size=2000):
        yield [household or "", person or "", relation, "1" if applicant else "0", _day(joined)]


def _category_rows(actor: Actor, people: QuerySet) -> Iterator[list[Any]]:
    qs = (
        PersonCategory.objects.filter(person__in=people.values("pk"))
        .order_by("pk")
        .values_list(
            "external_key",
            "person__external_key",
            "kind__code",
            "valid_from",
            "valid_to",
            "basis_document",
            "source",
        )
    )
    for key, person, code, start, end, basis, source in qs.iterator(chunk_size=2000):
        yield [key or "", person or "", code, _day(start), _day(end), basis, source]


def _income_rows(actor: Actor, people: QuerySet) -> Iterator[list[Any]]:
    qs = (
        Income.objects.filter(person__in=people.values("pk"))
        .order_by("person_id", "month", "kind", "source")
        .values_list("person__external_key", "month", "kind", "source", "amount")
    )
    for person, month, kind, source, amount in qs.iterator(chunk_size=2000):
        yield [person or "", f"{month.month:02d}.{month.year:04d}", kind, source, f"{amount:.2f}"]


def as_text(value: Any) -> str:
    """A CSV cell that no spreadsheet runs as a formula."""
    return guarded("" if value is None else str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(export: Export, *, delimiter: str = ";") -> Iterator[bytes]:
    """UTF-8 with a BOM and semicolons: what Excel opens as is, and what the import reads."""
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator="\r\n")
    yield ("\ufeff" + writer.writerow(export.header)).encode()
    lines = []
    for row in export.rows:
        lines.append(writer.writerow([as_text(value) for value in row]))
        if len(lines) >= 1000:
            yield "".join(lines).encode()
            lines = []
    if lines:
        yield "".join(lines).encode()


SHEET_TITLE_REFUSED = set("\\/?*:[]")  # what a worksheet's name may not hold


def sheet_title(title: str) -> str:
    """A worksheet's name as Excel takes it: at most 31 characters, none of \\ / ? * : [ ]."""
    return "".join(c for c in title if c not in SHEET_TITLE_REFUSED)[:31] or "Sheet1"


def write_xlsx(export: Export) -> IO[bytes]:
    """The workbook in a temporary file, positioned at its start."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    title = export.sheet_title or str(ImportEntity(export.entity).label)
    sheet = workbook.create_sheet(title=sheet_title(title))
    sheet.append(export.header)
    count = 1
    for row in export.rows:
        count += 1
        if count > XLSX_MAX_ROWS:
            raise DomainError(
                "too_many_rows",
                _("There are more rows than a worksheet holds; export as CSV instead."),
            )
        cells = []
        for value in row:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=xml_escaped(value))
                cell.data_type = "s"  # text, never a formula
            else:
                cell = WriteOnlyCell(sheet, value=value)
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the caller closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
