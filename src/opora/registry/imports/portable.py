"""The portable path of the import: the rules in Python, row by row, the rows staged in a private
SQLite file on disk (so memory stays bounded whatever the size), the load through the ORM.

Works on any database Django supports; used on SQLite. postgres.py states the same rules in
SQL; a test runs one messy file through both and compares every problem and every record.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from opora.institutions.models import District, Institution

from ..models import (
    Address,
    AddressKind,
    CategoryKind,
    FormerName,
    Household,
    HouseholdMember,
    ImportEntity,
    Income,
    Person,
    PersonCategory,
    PersonInstitution,
    Relation,
)
from . import validation as v
from .base import (
    CHECK_SHARE,
    READ_SHARE,
    Counts,
    Issues,
    Reporter,
    SharedSnils,
    audit_renames,
    count_text,
    queue_shared_snils,
    rename_reason,
)
from .conf import limit
from .liveness import staging_prefix
from .plan import Plan
from .reading import Position

SEP = "\x1f"  # between the parts of a compound key in the staging structure


# --- Lookups ------------------------------------------------------------------------------------


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class PersonRef:
    id: int
    merged: bool
    in_scope: bool


def person_refs(keys: Iterable[str], scope: frozenset[int] | None) -> dict[str, PersonRef]:
    keys = list({k for k in keys if k})
    found: dict[str, PersonRef] = {}
    for part in chunks(keys, 2000):
        rows = list(
            Person.objects.filter(external_key__in=part).values_list(
                "external_key", "id", "merged_into_id"
            )
        )
        served: set[int] = set()
        if scope is not None and rows:
            served = set(
                PersonInstitution.objects.filter(
                    person_id__in=[r[1] for r in rows], institution_id__in=scope
                ).values_list("person_id", flat=True)
            )
        for key, pk, merged_into in rows:
            if key is not None:  # always: the rows were found by their key
                found[key] = PersonRef(pk, merged_into is not None, scope is None or pk in served)
    return found


# --- Staging ----------------------------------------------------------------------------------

_INVALID = "\x00invalid"


def _encode(typed: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in typed.items():
        if value is v.INVALID:
            out[name] = _INVALID
        elif isinstance(value, dt.date):
            out[name] = {"d": value.isoformat()}
        elif isinstance(value, Decimal):
            out[name] = {"n": str(value)}
        else:
            out[name] = value
    return out


def _decode(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in data.items():
        if value == _INVALID:
            out[name] = v.INVALID
        elif isinstance(value, dict):
            out[name] = dt.date.fromisoformat(value["d"]) if "d" in value else Decimal(value["n"])
        else:
            out[name] = value
    return out


@dataclass
class Staged:
    row: int
    typed: dict[str, Any]
    raw: dict[str, str | None]

    def ok(self, *names: str) -> bool:
        return v.valid(self.typed, *names)

    def get(self, name: str) -> Any:
        return self.typed.get(name)


class PortableLoader:
    """Rules in Python, row by row, staged in a private SQLite file; the load through the ORM.

    Works on any database Django supports; used on SQLite. Its staging file lives in a
    temporary directory and is removed when the run ends."""

    name = "portable"

    def __init__(self, plan: Plan, issues: Issues, reporter: Reporter) -> None:
        self.plan = plan
        self.issues = issues
        self.reporter = reporter
        self.chunk = limit("CHUNK_ROWS")
        # Named after the batch, so that what a killed import leaves behind can be found.
        self.directory = tempfile.TemporaryDirectory(prefix=staging_prefix(plan.batch.pk))
        self.db = sqlite3.connect(os.path.join(self.directory.name, "staging.sqlite3"))
        self.db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE rows (row_no INTEGER PRIMARY KEY, data TEXT NOT NULL,
                               g1 TEXT, g2 TEXT, g3 TEXT, f TEXT, t TEXT,
                               owner TEXT);
            CREATE TABLE bad (row_no INTEGER PRIMARY KEY);
            """
        )
        issues.listeners.append(self._mark_bad)
        self.total = 0
        self.shared: dict[int, SharedSnils] = {}

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.db.close()
        self.directory.cleanup()

    def _mark_bad(self, rows: set[int]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO bad VALUES (?)", [(r,) for r in rows])

    def report(self, row: Staged, name: str, message: str) -> None:
        self.issues.add(row.row, self.plan.column(name), row.raw.get(name), message)

    # --- 1. Read and stage -----------------------------------------------------------------

    def stage(self, rows: Iterable[tuple[int, list]], position: Position) -> int:
        fields = self.plan.fields
        names = [f.name for f in fields]
        buffer = []
        for number, values in rows:
            typed, problems = v.parse_cells(fields, values)
            staged = Staged(number, typed, dict(zip(names, values, strict=True)))
            for name, raw, message in problems:
                self.issues.add(number, self.plan.column(name), raw, message)
            self.row_rules(staged)
            g1, g2, g3, f, t = self.groups(staged)
            buffer.append((number, json.dumps([_encode(typed), staged.raw]), g1, g2, g3, f, t))
            self.total += 1
            if len(buffer) >= self.chunk:
                self._stage(buffer)
                self.reporter(
                    position.fraction * READ_SHARE,
                    _("Reading rows: %(rows)s") % {"rows": count_text(self.total)},
                )
        self._stage(buffer)
        self.db.executescript(
            "CREATE INDEX rows_g1 ON rows (g1); CREATE INDEX rows_g2 ON rows (g2);"
            "CREATE INDEX rows_g3 ON rows (g3);"
        )
        return self.total

    def _stage(self, buffer: list) -> None:
        self.issues.flush()
        self.db.executemany(
            "INSERT INTO rows (row_no, data, g1, g2, g3, f, t) VALUES (?, ?, ?, ?, ?, ?, ?)",
            buffer,
        )
        buffer.clear()

    def row_rules(self, row: Staged) -> None:
        """The rules about several cells of one row."""
        entity = self.plan.entity
        if entity == ImportEntity.PEOPLE:
            if row.ok("district") and row.get("registration_address") is None:
                self.report(row, "district", v.m_district_needs_address())
        elif entity == ImportEntity.HOUSEHOLDS:
            applicant = None
            if row.ok("relation") and row.get("is_applicant") is not v.INVALID:
                is_applicant = row.get("is_applicant")
                named = row.get("relation") == Relation.APPLICANT
                if is_applicant is not None and is_applicant != named:
                    self.report(row, "relation", v.m_applicant_relation())
                else:
                    applicant = named
            row.typed["_applicant"] = applicant
        elif entity == ImportEntity.CATEGORIES:
            reversed_ = row.ok("valid_from", "valid_to") and row.get("valid_to") < row.get(
                "valid_from"
            )
            if reversed_:
                self.report(row, "valid_to", v.m_period_reversed())
            row.typed["_period"] = (
                row.ok("valid_from") and row.get("valid_to") is not v.INVALID and not reversed_
            )

    def groups(self, row: Staged) -> tuple:
        """The values the rules across rows compare: (g1, g2, g3, from, to)."""
        entity = self.plan.entity
        if entity == ImportEntity.PEOPLE:
            return (
                row.get("external_key") if row.ok("external_key") else None,
                row.get("snils") if row.ok("snils") else None,
                None,
                None,
                None,
            )
        if entity == ImportEntity.HOUSEHOLDS:
            household = row.get("household_key") if row.ok("household_key") else None
            member = (
                household + SEP + row.get("person_key")
                if household and row.ok("person_key")
                else None
            )
            applicant = household if household and row.get("_applicant") else None
            return member, household, applicant, None, None
        if entity == ImportEntity.CATEGORIES:
            key = row.get("external_key") if row.ok("external_key") else None
            holding = None
            if row.ok("person_key", "category") and row.get("_period"):
                holding = row.get("person_key") + SEP + row.get("category")
            end = row.get("valid_to")
            return (
                key,
                holding,
                None,
                row.get("valid_from").isoformat() if holding else None,
                end.isoformat() if holding and end else None,
            )
        # incomes
        income = None
        if row.ok("person_key", "month", "kind") and row.get("source") is not v.INVALID:
            income = SEP.join(
                (
                    row.get("person_key"),
                    row.get("month").isoformat(),
                    row.get("kind"),
                    row.get("source") or "",
                )
            )
        return income, None, None, None, None

    # --- 2. Check ------------------------------------------------------------------------------

    def staged(self, where: str = "", params: tuple = ()) -> Iterator[list[Staged]]:
        cursor = self.db.execute(
            f"SELECT row_no, data FROM rows {where} ORDER BY row_no",  # noqa: S608
            params,
        )
        while batch := cursor.fetchmany(self.chunk):
            out = []
            for number, data in batch:
                typed, raw = json.loads(data)
                out.append(Staged(number, _decode(typed), raw))
            yield out

    def _raw_of(self, numbers: list[int]) -> dict[int, Staged]:
        found = {}
        for part in chunks(numbers, 500):
            marks = ",".join("?" * len(part))
            for staged in next(self.staged(f"WHERE row_no IN ({marks})", tuple(part)), []):
                found[staged.row] = staged
        return found

    def repeated(self, group: str, name: str, message: Any) -> None:
        """Each row whose ``group`` value another row shares gets ``message(rows)``."""
        cursor = self.db.execute(
            f"SELECT group_concat(row_no) FROM rows WHERE {group} IS NOT NULL "  # noqa: S608
            f"GROUP BY {group} HAVING count(*) > 1"
        )
        while groups := cursor.fetchmany(1000):
            for (numbers,) in groups:
                rows = sorted(int(n) for n in numbers.split(","))
                text = v.rows_text(rows)
                for staged in self._raw_of(rows).values():
                    self.report(staged, name, message(text))
        self.issues.flush()

    def validate(self) -> None:
        entity = self.plan.entity
        if entity == ImportEntity.PEOPLE:
            self.repeated("g1", "external_key", v.m_repeated)
        elif entity == ImportEntity.HOUSEHOLDS:
            self.repeated("g1", "person_key", v.m_member_repeated)
            self.repeated("g3", "relation", v.m_applicants_repeated)
        elif entity == ImportEntity.CATEGORIES:
            self.repeated("g1", "external_key", v.m_repeated)
            self._overlaps_in_file()
        else:
            self.repeated("g1", "person_key", v.m_income_repeated)
        check = getattr(self, f"_check_{entity}")
        done = 0
        for rows in self.staged():
            check(rows)
            self.issues.flush()
            done += len(rows)
            self.reporter(
                READ_SHARE + (CHECK_SHARE - READ_SHARE) * done / max(self.total, 1),
                _("Checking rows: %(rows)s") % {"rows": count_text(done)},
            )
        if entity == ImportEntity.HOUSEHOLDS:
            self._households_without_applicant()
        self.issues.flush()

    def error_rows(self) -> int:
        self.issues.flush()
        return self.db.execute("SELECT count(*) FROM bad").fetchone()[0]

    def _person_rules(self, rows: list[Staged], name: str = "person_key") -> dict[str, PersonRef]:
        refs = person_refs((r.get(name) for r in rows if r.ok(name)), self.plan.scope)
        for row in rows:
            if not row.ok(name):
                continue
            ref = refs.get(row.get(name))
            if ref is not None and ref.merged:
                self.report(row, name, v.m_merged())
            elif ref is None or not ref.in_scope:
                self.report(row, name, v.m_person_unknown())
        return {k: r for k, r in refs.items() if not r.merged and r.in_scope}

    def _check_people(self, rows: list[Staged]) -> None:
        scope = self.plan.scope
        districts = self._codes(District, [r.get("district") for r in rows if r.ok("district")])
        institutions = self._codes(
            Institution, [r.get("institution") for r in rows if r.ok("institution")]
        )
        refs = person_refs((r.get("external_key") for r in rows if r.ok("external_key")), scope)
        snils = [r.get("snils") for r in rows if r.ok("snils")]
        owners = dict(Person.objects.filter(snils__in=snils).values_list("snils", "external_key"))
        owner_refs = person_refs((o for o in owners.values() if o), scope)
        kept_by_owner = []
        for row in rows:
            if row.ok("district") and row.get("district") not in districts:
                self.report(row, "district", v.m_district_unknown())
            if row.ok("institution"):
                pk = institutions.get(row.get("institution"))
                if pk is None:
                    self.report(row, "institution", v.m_institution_unknown())
                elif scope is not None and pk not in scope:
                    self.report(row, "institution", v.m_institution_scope())
            if row.ok("external_key"):
                ref = refs.get(row.get("external_key"))
                if ref is not None and ref.merged:
                    self.report(row, "external_key", v.m_merged())
                elif ref is not None and not ref.in_scope:
                    self.report(row, "external_key", v.m_key_out_of_scope())
            if row.ok("snils") and row.get("snils") in owners:
                key = row.get("external_key") if row.ok("external_key") else None
                owner = owners[row.get("snils")]
                if owner == key or self._owner_in_file(owner, row.get("snils"), owner_refs):
                    kept_by_owner.append((owner, row.row))
                else:
                    self.report(row, "snils", v.m_snils_taken())
        self.db.executemany("UPDATE rows SET owner = ? WHERE row_no = ?", kept_by_owner)

    def _owner_in_file(self, owner: str | None, snils: str, refs: dict[str, PersonRef]) -> bool:
        """The record holding this SNILS is a row of the file with the same SNILS, one the
        actor may touch: it keeps the SNILS, and this row shares it (no refusal)."""
        ref = refs.get(owner or "")
        if ref is None or ref.merged or not ref.in_scope:
            return False
        found = self.db.execute(
            "SELECT 1 FROM rows WHERE g1 = ? AND g2 = ? LIMIT 1", (owner, snils)
        ).fetchone()
        return found is not None

    def _shared_snils(self) -> dict[int, SharedSnils]:
        """The valid rows that load without their SNILS: all but the keeper of each SNILS (the
        record already holding it, else the first valid row with it), by a window function."""
        found = self.db.execute(
            """SELECT x.row_no, x.g1, x.g2, x.keeper,
                      (SELECT min(k.row_no) FROM rows k WHERE k.g2 = x.g2 AND k.g1 = x.keeper)
               FROM (SELECT row_no, g1, g2, coalesce(owner, first_value(g1)
                            OVER (PARTITION BY g2 ORDER BY row_no)) AS keeper
                     FROM rows WHERE g2 IS NOT NULL
                     AND row_no NOT IN (SELECT row_no FROM bad)) x
               WHERE x.g1 <> x.keeper ORDER BY x.row_no"""
        ).fetchall()
        raw = self._raw_of([row for row, *_rest in found])
        return {
            row: SharedSnils(row, key, snils, raw[row].raw.get("snils") or "", keeper, first)
            for row, key, snils, keeper, first in found
        }

    @staticmethod
    def _codes(model: Any, codes: list[str]) -> dict[str, int]:
        return dict(model.objects.filter(code__in=set(codes)).values_list("code", "id"))

    def _check_households(self, rows: list[Staged]) -> None:
        self._person_rules(rows)
        applicants = [
            r for r in rows if r.get("_applicant") and r.ok("household_key", "person_key")
        ]
        current = dict(
            HouseholdMember.objects.filter(
                household__external_key__in={r.get("household_key") for r in applicants},
                is_applicant=True,
                left_on__isnull=True,
            ).values_list("household__external_key", "person__external_key")
        )
        for row in applicants:
            holder = current.get(row.get("household_key"), row.get("person_key"))
            if holder != row.get("person_key"):
                self.report(row, "relation", v.m_other_applicant())

    def _households_without_applicant(self) -> None:
        self.issues.flush()
        cursor = self.db.execute("SELECT DISTINCT g2 FROM rows WHERE g2 IS NOT NULL ORDER BY g2")
        while part := [k for (k,) in cursor.fetchmany(2000)]:
            existing = set(
                Household.objects.filter(external_key__in=part).values_list(
                    "external_key", flat=True
                )
            )
            new = [k for k in part if k not in existing]
            if not new:
                continue
            marks = ",".join("?" * len(new))
            led = {
                k
                for (k,) in self.db.execute(
                    f"SELECT DISTINCT g3 FROM rows WHERE g3 IN ({marks}) "  # noqa: S608
                    "AND row_no NOT IN (SELECT row_no FROM bad)",
                    new,
                )
            }
            for key in new:
                if key in led:
                    continue
                for rows in self.staged("WHERE g2 = ?", (key,)):
                    for row in rows:
                        self.report(row, "household_key", v.m_no_applicant())
        self.issues.flush()

    def _check_categories(self, rows: list[Staged]) -> None:
        refs = self._person_rules(rows)
        kinds = self._codes(CategoryKind, [r.get("category") for r in rows if r.ok("category")])
        for row in rows:
            if row.ok("category") and row.get("category") not in kinds:
                self.report(row, "category", v.m_category_unknown())
        owners = dict(
            PersonCategory.objects.filter(
                external_key__in=[r.get("external_key") for r in rows if r.ok("external_key")]
            ).values_list("external_key", "person__external_key")
        )
        for row in rows:
            key = row.get("external_key") if row.ok("external_key", "person_key") else None
            if key in owners and owners[key] != row.get("person_key"):
                self.report(row, "external_key", v.m_key_other_person())
        candidates = [
            r
            for r in rows
            if r.ok("person_key", "category")
            and r.get("_period")
            and r.get("person_key") in refs
            and r.get("category") in kinds
        ]
        held = defaultdict(list)
        for person, kind, start, end, key in PersonCategory.objects.filter(
            person_id__in={refs[r.get("person_key")].id for r in candidates},
            kind_id__in={kinds[r.get("category")] for r in candidates},
        ).values_list("person_id", "kind_id", "valid_from", "valid_to", "external_key"):
            held[(person, kind)].append((start, end, key))
        for row in candidates:
            key = row.get("external_key") if row.ok("external_key") else None
            start, end = row.get("valid_from"), row.get("valid_to")
            for other_start, other_end, other_key in held[
                (refs[row.get("person_key")].id, kinds[row.get("category")])
            ]:
                if other_key != key and _overlap(start, end, other_start, other_end):
                    self.report(row, "valid_from", v.m_overlap_registered())
                    break

    def _overlaps_in_file(self) -> None:
        cursor = self.db.execute(
            """SELECT a.row_no, group_concat(b.row_no) FROM rows a JOIN rows b
               ON a.g2 = b.g2 AND a.row_no <> b.row_no
               AND a.f <= coalesce(b.t, '9999-12-31') AND b.f <= coalesce(a.t, '9999-12-31')
               WHERE a.g2 IS NOT NULL GROUP BY a.row_no"""
        )
        while pairs := cursor.fetchmany(1000):
            found = {row: [row, *(int(n) for n in others.split(","))] for row, others in pairs}
            for number, staged in self._raw_of(sorted(found)).items():
                message = v.m_overlap_in_file(v.rows_text(found[number]))
                self.report(staged, "valid_from", message)
        self.issues.flush()

    def _check_incomes(self, rows: list[Staged]) -> None:
        self._person_rules(rows)

    # --- 4. Load -------------------------------------------------------------------------------

    def load(self) -> Counts:
        counts = Counts()
        loader = getattr(self, f"_load_{self.plan.entity}")
        valid = self.db.execute(
            "SELECT count(*) FROM rows WHERE row_no NOT IN (SELECT row_no FROM bad)"
        ).fetchone()[0]
        done = 0
        if self.plan.entity == ImportEntity.PEOPLE:
            self.shared = self._shared_snils()
        for rows in self.staged("WHERE row_no NOT IN (SELECT row_no FROM bad)"):
            loader(rows, counts)
            done += len(rows)
            self.reporter(
                CHECK_SHARE + (1000 - CHECK_SHARE) * done / max(valid, 1),
                _("Loading rows: %(rows)s") % {"rows": count_text(done)},
            )
        for item in self.shared.values():
            self.issues.add(
                item.row,
                self.plan.column("snils"),
                item.value,
                v.m_snils_shared(item.keeper_row),
                warning=True,
            )
        self.issues.flush()
        queue_shared_snils(self.plan, list(self.shared.values()), counts)
        counts.unchanged = valid - counts.inserted - counts.updated
        return counts

    def _load_people(self, rows: list[Staged], counts: Counts) -> None:
        plan = self.plan
        now = timezone.now()
        compared = [
            f.name
            for f in plan.mapped_fields
            if f.name not in ("district", "registration_address", "institution")
        ]
        existing = {
            p.external_key: p
            for p in Person.objects.filter(external_key__in=[r.get("external_key") for r in rows])
        }
        new, changed, renamed, former = [], [], [], []
        for row in rows:
            if row.row in self.shared:
                row.typed["snils"] = None
            person = existing.get(row.get("external_key"))
            values = {name: _model_value(name, row.get(name)) for name in compared}
            if person is None:
                person = Person(created_at=now, updated_at=now, **values)
                for name in v.NAME_FIELDS:
                    setattr(person, f"{name}_latin", v.latin(getattr(person, name)))
                new.append(person)
            else:
                if {name: getattr(person, name) for name in compared} == values:
                    continue
                was = (person.last_name, person.first_name, person.patronymic)
                for name, value in values.items():
                    setattr(person, name, value)
                if was != (person.last_name, person.first_name, person.patronymic):
                    renamed.append((person, was))
                    former.append(
                        FormerName(
                            person_id=person.pk,
                            last_name=was[0],
                            first_name=was[1],
                            patronymic=was[2],
                            changed_on=plan.today,
                            reason=rename_reason(plan.batch),
                        )
                    )
                    # The Latin spelling follows the new name (as person_update does).
                    for name in v.NAME_FIELDS:
                        if plan.mapped(name):
                            setattr(person, f"{name}_latin", "")
                for name in v.NAME_FIELDS:
                    if not getattr(person, f"{name}_latin"):
                        setattr(person, f"{name}_latin", v.latin(getattr(person, name)))
                person.updated_at = now
                changed.append(person)
            person.search_key = v.person_search_key(
                person.last_name, person.first_name, person.patronymic
            )
        Person.objects.bulk_create(new)
        Person.objects.bulk_update(
            changed,
            sorted(
                {
                    *compared,
                    "last_name_latin",
                    "first_name_latin",
                    "patronymic_latin",
                    "search_key",
                    "updated_at",
                }
            ),
        )
        FormerName.objects.bulk_create(former)
        if renamed:
            audit_renames(plan, renamed)
        counts.inserted += len(new)
        counts.updated += len(changed)
        ids = dict(
            Person.objects.filter(
                external_key__in=[r.get("external_key") for r in rows]
            ).values_list("external_key", "id")
        )
        self._links_and_addresses(rows, ids)

    def _links_and_addresses(self, rows: list[Staged], ids: dict[str | None, int]) -> None:
        plan = self.plan
        institutions = self._codes(
            Institution, [r.get("institution") for r in rows if r.get("institution")]
        )
        links = set()
        for row in rows:
            person = ids[row.get("external_key")]
            if plan.batch.institution_id:
                links.add((person, plan.batch.institution_id))
            if row.get("institution"):
                links.add((person, institutions[row.get("institution")]))
        PersonInstitution.objects.bulk_create(
            [
                PersonInstitution(person_id=p, institution_id=i, since=plan.today)
                for p, i in sorted(links)
            ],
            ignore_conflicts=True,
        )
        if not plan.mapped("registration_address"):
            return
        districts = self._codes(District, [r.get("district") for r in rows if r.get("district")])
        given = {ids[r.get("external_key")]: r for r in rows if r.get("registration_address")}
        current = {
            a.person_id: a
            for a in Address.objects.filter(
                person_id__in=list(given), kind=AddressKind.REGISTRATION
            )
        }
        addresses = []
        for person, row in given.items():
            district = (
                districts.get(row.get("district"))
                if plan.mapped("district")
                else getattr(current.get(person), "district_id", None)
            )
            address = current.get(person)
            if address and (address.text, address.district_id) == (
                row.get("registration_address"),
                district,
            ):
                continue
            addresses.append(
                Address(
                    person_id=person,
                    kind=AddressKind.REGISTRATION,
                    text=row.get("registration_address"),
                    district_id=district,
                    postal_code="",
                )
            )
        Address.objects.bulk_create(
            addresses,
            update_conflicts=True,
            unique_fields=["person", "kind"],
            update_fields=["text", "district"],
        )

    def _load_households(self, rows: list[Staged], counts: Counts) -> None:
        plan = self.plan
        keys = {r.get("household_key") for r in rows}
        homes = dict(
            Household.objects.filter(external_key__in=keys).values_list("external_key", "id")
        )
        now = timezone.now()
        new = [
            Household(external_key=k, created_at=now, updated_at=now, address="")
            for k in sorted(keys - set(homes))
        ]
        Household.objects.bulk_create(new)
        counts.extra["households_created"] = counts.extra.get("households_created", 0) + len(new)
        homes.update(
            Household.objects.filter(external_key__in=[h.external_key for h in new]).values_list(
                "external_key", "id"
            )
        )
        people = person_refs((r.get("person_key") for r in rows), None)
        members = {
            (m.household_id, m.person_id): m
            for m in HouseholdMember.objects.filter(
                household_id__in=set(homes.values()), left_on__isnull=True
            )
        }
        created, updated = [], []
        for row in rows:
            household, person = homes[row.get("household_key")], people[row.get("person_key")].id
            applicant = bool(row.get("_applicant"))
            joined = row.get("joined_on") if plan.mapped("joined_on") else None
            member = members.get((household, person))
            if member is None:
                member = HouseholdMember(
                    household_id=household,
                    person_id=person,
                    relation=row.get("relation"),
                    is_applicant=applicant,
                    joined_on=joined or plan.today,
                )
                members[(household, person)] = member
                created.append(member)
                continue
            values = (row.get("relation"), applicant, joined or member.joined_on)
            if (member.relation, member.is_applicant, member.joined_on) == values:
                continue
            member.relation, member.is_applicant, member.joined_on = values
            updated.append(member)
        # Members who stop being applicants first, so that the new applicant fits the rule of
        # one current applicant per household.
        HouseholdMember.objects.bulk_update(
            [m for m in updated if not m.is_applicant], ["relation", "is_applicant", "joined_on"]
        )
        HouseholdMember.objects.bulk_update(
            [m for m in updated if m.is_applicant], ["relation", "is_applicant", "joined_on"]
        )
        HouseholdMember.objects.bulk_create(created)
        counts.inserted += len(created)
        counts.updated += len(updated)

    def _load_categories(self, rows: list[Staged], counts: Counts) -> None:
        plan = self.plan
        now = timezone.now()
        people = person_refs((r.get("person_key") for r in rows), None)
        kinds = self._codes(CategoryKind, [r.get("category") for r in rows])
        existing = {
            c.external_key: c
            for c in PersonCategory.objects.filter(
                external_key__in=[r.get("external_key") for r in rows]
            )
        }
        optional = [n for n in ("valid_to", "basis_document", "source") if plan.mapped(n)]
        new, changed = [], []
        for row in rows:
            values = {
                "person_id": people[row.get("person_key")].id,
                "kind_id": kinds[row.get("category")],
                "valid_from": row.get("valid_from"),
            }
            for name in optional:
                values[name] = _model_value(name, row.get(name))
            holding = existing.get(row.get("external_key"))
            if holding is None:
                new.append(
                    PersonCategory(
                        external_key=row.get("external_key"),
                        created_at=now,
                        updated_at=now,
                        **values,
                    )
                )
            elif any(getattr(holding, n) != value for n, value in values.items()):
                for name, value in values.items():
                    setattr(holding, name, value)
                holding.updated_at = now
                changed.append(holding)
        PersonCategory.objects.bulk_create(new)
        PersonCategory.objects.bulk_update(
            changed, ["person", "kind", "valid_from", *optional, "updated_at"]
        )
        counts.inserted += len(new)
        counts.updated += len(changed)

    def _load_incomes(self, rows: list[Staged], counts: Counts) -> None:
        now = timezone.now()
        people = person_refs((r.get("person_key") for r in rows), None)
        ids = [people[r.get("person_key")].id for r in rows]
        existing = {
            (i.person_id, i.month, i.kind, i.source): i
            for i in Income.objects.filter(
                person_id__in=set(ids), month__in={r.get("month") for r in rows}
            )
        }
        new, changed = [], []
        for row, person in zip(rows, ids, strict=True):
            key = (person, row.get("month"), row.get("kind"), row.get("source") or "")
            income = existing.get(key)
            if income is None:
                new.append(
                    Income(
                        person_id=person,
                        month=key[1],
                        kind=key[2],
                        source=key[3],
                        amount=row.get("amount"),
                        created_at=now,
                        updated_at=now,
                    )
                )
            elif income.amount != row.get("amount"):
                income.amount = row.get("amount")
                income.updated_at = now
                changed.append(income)
        Income.objects.bulk_create(new)
        Income.objects.bulk_update(changed, ["amount", "updated_at"])
        counts.inserted += len(new)
        counts.updated += len(changed)


def _overlap(
    start: dt.date, end: dt.date | None, other_start: dt.date, other_end: dt.date | None
) -> bool:
    return start <= (other_end or dt.date.max) and other_start <= (end or dt.date.max)


def _model_value(name: str, value: Any) -> Any:
    """The value a model field stores for an empty cell: NULL for these, else ''."""
    if value is None and name not in ("birth_date", "snils", "valid_to", "external_key"):
        return ""
    return value
