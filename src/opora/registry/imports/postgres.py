# ruff: noqa: S608 - statements are built from this module's identifiers (table and column
# names of the models and of its TEMP tables); every value goes in as a bound parameter.
"""The PostgreSQL path of the import: COPY into a TEMP table, the rules in set-based SQL, and
the upsert as INSERT … ON CONFLICT (stable key) DO UPDATE.

Vendor SQL is kept here and in postgres_sql.py (the expressions: names and the rules about one
cell) so that the rest of the import is portable. Every rule mirrors validation.py — same
conditions, same messages.

Staging and checking run outside any transaction (TEMP tables are private to the session and
write no WAL; the problems found are committed as they are found). The load is the caller's
one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AddressKind, ImportEntity, ImportIssue, Person
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
from .plan import Plan
from .postgres_sql import CellRules, Sql, sql_search_key, sql_transliterate
from .reading import Position

ROWS_MARK = "\x01"  # where a message's list of rows goes, replaced in SQL


# --- The loader -------------------------------------------------------------------------------


class PostgresLoader:
    name = "postgres"

    def __init__(self, plan: Plan, issues: Issues, reporter: Reporter) -> None:
        self.plan = plan
        self.issues = issues
        self.reporter = reporter
        suffix = plan.batch.pk
        self.stage_table = f"import_stage_{suffix}"
        self.typed = f"import_typed_{suffix}"
        self.bad = f"import_bad_{suffix}"
        self.shared = f"import_shared_{suffix}"
        self.names = f"import_names_{suffix}"
        self.issue_table = ImportIssue._meta.db_table
        self.total = 0
        self.errors = 0
        self._drop()
        # Hash joins and aggregates over the whole file stay in memory (reset at the end).
        self.execute(f"SET work_mem = '{limit('WORK_MEM_MB')}MB'")

    def _drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("RESET work_mem")
            for table in (self.stage_table, self.typed, self.bad, self.names, self.shared):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def close(self) -> None:
        try:
            self._drop()
        except Exception:  # the session may be gone; TEMP tables go with it
            connection.close()

    def execute(self, sql: str, params: dict | None = None) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or None)
            return cursor.rowcount

    def fetch(self, sql: str, params: dict | None = None) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or None)
            return cursor.fetchall()

    def column(self, name: str) -> str:
        return self.plan.column(name)

    def mapped(self, name: str) -> bool:
        return self.plan.mapped(name)

    # --- 1. COPY into the staging table ----------------------------------------------------

    def stage(self, rows: Iterable[tuple[int, list]], position: Position) -> int:
        fields = self.plan.mapped_fields
        positions = [i for i, f in enumerate(self.plan.fields) if f in fields]
        columns = ", ".join(f"f_{f.name} text" for f in fields)
        names = ", ".join(["row_no", *(f"f_{f.name}" for f in fields)])
        total = 0
        rows = iter(rows)
        chunk = limit("CHUNK_ROWS")
        # Each COPY in its own transaction (a savepoint inside another): a file found
        # unreadable halfway aborts the COPY, and the session must stay usable to record why.
        # One COPY per chunk of rows: while a COPY is open its connection takes nothing else
        # (psycopg waits for the COPY to end, which waits for this very thread: a hang), so the
        # problems found are held during each COPY, and they and the progress are written
        # between two.
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE {self.stage_table} (row_no integer NOT NULL, {columns})"
            )
            while True:
                copied = 0
                with (
                    transaction.atomic(),
                    self.issues.held(),
                    cursor.copy(f"COPY {self.stage_table} ({names}) FROM STDIN") as copy,
                ):
                    write = copy.write_row
                    for number, values in islice(rows, chunk):
                        write([number, *[values[i] for i in positions]])
                        copied += 1
                total += copied
                self.issues.flush()
                self.reporter(
                    position.fraction * READ_SHARE,
                    _("Reading rows: %(rows)s") % {"rows": count_text(total)},
                )
                if copied < chunk:
                    break
        self.total = total
        return total

    # --- 2. The rules, set-based -------------------------------------------------------------

    def _issue_insert(self, q: Sql, select: str) -> str:
        """``select`` gives row_no, column, value, message."""
        return (
            f'INSERT INTO {self.issue_table} (batch_id, "row", "column", value, message) '
            f"SELECT {q.p(self.plan.batch.pk)}, row_no, col, left(coalesce(val, ''), 300), "
            f"left(msg, 300) FROM ({select}) found"
        )

    def add_issues(
        self,
        name: str,
        where: str,
        message: str,
        q: Sql | None = None,
        joins: str = "",
        value: str | None = None,
    ) -> None:
        """A problem in the column of ``name`` for each row of the typed table meeting
        ``where`` (``t`` is the typed table)."""
        q = q or Sql()
        select = (
            f"SELECT t.row_no, {q.p(self.column(name))} AS col, "
            f"{value or f't.{name}__raw'} AS val, {message} AS msg "
            f"FROM {self.typed} t {joins} WHERE {where}"
        )
        self.execute(self._issue_insert(q, select), q.params)

    def repeated(self, name: str, group: list[str], message: Any, where: str = "") -> None:
        """Rows meeting ``where`` (over ``t``) and sharing the values of ``group`` (all not
        NULL) each get ``message(rows)``."""
        q = Sql()
        keys = ", ".join(group)
        condition = " AND ".join(
            [*(f"t.{g} IS NOT NULL" for g in group), *([where] if where else [])]
        )
        template = q.p(message(ROWS_MARK))
        joins = (
            f"JOIN (SELECT {keys}, string_agg(row_no::text, ', ' ORDER BY row_no) AS rows "
            f"FROM {self.typed} t WHERE {condition} GROUP BY {keys} "
            f"HAVING count(*) > 1) g USING ({keys})"
        )
        self.add_issues(name, condition, f"replace({template}, chr(1), g.rows)", q, joins)

    def validate(self) -> None:
        plan = self.plan
        q = Sql()
        rules = CellRules(q, plan)
        select = rules.build(self.stage_table)
        extra, cross = self._row_rules(q)
        self.execute(
            f"CREATE TEMP TABLE {self.typed} AS SELECT c.*{extra} FROM ({select}) c", q.params
        )
        # Statistics for the columns the checks join on (TEMP tables are never auto-analysed).
        joined = [
            n
            for n in (
                "external_key",
                "person_key",
                "household_key",
                "snils",
                "category",
                "district",
                "institution",
            )
            if self.mapped(n)
        ]
        self.execute(f"ANALYZE {self.typed} (row_no, {', '.join(joined)})")
        self.reporter(READ_SHARE + 30, _("Checking the cells"))
        # Every cell rule (and the rules about several cells of a row) in one pass.
        q = Sql()
        values = [
            f"({q.p(self.column(f.name))}, t.{f.name}__raw, t.{f.name}__err)"
            for f in plan.mapped_fields
        ]
        for name, condition, message in cross:
            values.append(
                f"({q.p(self.column(name))}, t.{name}__raw, CASE WHEN {condition} "
                f"THEN {q.p(message)} END)"
            )
        select = (
            f"SELECT t.row_no, x.col, x.val, x.msg FROM {self.typed} t CROSS JOIN LATERAL "
            f"(VALUES {', '.join(values)}) x(col, val, msg) WHERE x.msg IS NOT NULL"
        )
        self.execute(self._issue_insert(q, select), q.params)
        self.reporter(READ_SHARE + 80, _("Checking against the registry"))
        getattr(self, f"_check_{plan.entity}")()
        self._collect_bad()
        if plan.entity == ImportEntity.HOUSEHOLDS:
            self._households_without_applicant()
            self._collect_bad()
        self.reporter(CHECK_SHARE, _("Checked"))

    def _collect_bad(self) -> None:
        self.execute(f"DROP TABLE IF EXISTS {self.bad}")
        self.execute(
            f'CREATE TEMP TABLE {self.bad} AS SELECT DISTINCT "row" AS row_no '
            f"FROM {self.issue_table} WHERE batch_id = %(batch)s AND NOT warning",
            {"batch": self.plan.batch.pk},
        )
        self.execute(f"CREATE UNIQUE INDEX ON {self.bad} (row_no)")
        self.execute(f"ANALYZE {self.bad}")
        self.errors = self.fetch(f"SELECT count(*) FROM {self.bad}")[0][0]

    def error_rows(self) -> int:
        return self.errors

    def _col(self, name: str) -> str:
        return f"c.{name}" if self.mapped(name) else "NULL"

    def _row_rules(self, q: Sql) -> tuple[str, list[tuple[str, str, str]]]:
        """Extra columns of the typed table, and the rules about several cells of a row:
        (the column reported, the condition over ``t``, the message)."""
        entity = self.plan.entity
        if entity == ImportEntity.PEOPLE:
            cross = []
            if self.mapped("district"):
                address = (
                    "t.registration_address IS NULL AND t.registration_address__err IS NULL"
                    if self.mapped("registration_address")
                    else "true"
                )
                cross.append(
                    (
                        "district",
                        f"t.district IS NOT NULL AND {address}",
                        v.m_district_needs_address(),
                    )
                )
            return "", cross
        if entity == ImportEntity.HOUSEHOLDS:
            is_app = self._col("is_applicant")
            is_app_err = "c.is_applicant__err" if self.mapped("is_applicant") else "NULL"
            named = "(c.relation = 'applicant')"
            extra = (
                f", CASE WHEN c.relation IS NOT NULL AND {is_app_err} IS NULL THEN "
                f"CASE WHEN {is_app} IS NOT NULL AND {is_app} <> {named} THEN NULL "
                f"ELSE {named} END END AS _applicant"
            )
            cross = []
            if self.mapped("is_applicant"):
                cross.append(
                    (
                        "relation",
                        "t.relation IS NOT NULL AND t.is_applicant IS NOT NULL "
                        "AND t.is_applicant <> (t.relation = 'applicant')",
                        v.m_applicant_relation(),
                    )
                )
            return extra, cross
        if entity == ImportEntity.CATEGORIES:
            to, to_err = (
                self._col("valid_to"),
                ("c.valid_to__err" if self.mapped("valid_to") else "NULL"),
            )
            reversed_ = f"({to} IS NOT NULL AND c.valid_from IS NOT NULL AND {to} < c.valid_from)"
            extra = (
                f", (c.valid_from IS NOT NULL AND {to_err} IS NULL AND NOT {reversed_}) AS _period"
            )
            cross = []
            if self.mapped("valid_to"):
                cross.append(
                    (
                        "valid_to",
                        "t.valid_to IS NOT NULL AND t.valid_from IS NOT NULL "
                        "AND t.valid_to < t.valid_from",
                        v.m_period_reversed(),
                    )
                )
            return extra, cross
        return "", []

    def _scope_condition(self, q: Sql, person: str) -> str:
        scope = self.plan.scope
        if scope is None:
            return "true"
        return (
            f"EXISTS (SELECT 1 FROM registry_personinstitution pi WHERE pi.person_id = "
            f"{person}.id AND pi.institution_id = ANY({q.p(sorted(scope))}::bigint[]))"
        )

    def _person_rules(self, name: str = "person_key") -> None:
        q = Sql()
        self.add_issues(
            name,
            f"t.{name} IS NOT NULL AND p.merged_into_id IS NOT NULL",
            q.p(v.m_merged()),
            q,
            f"JOIN registry_person p ON p.external_key = t.{name}",
        )
        q = Sql()
        self.add_issues(
            name,
            f"t.{name} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM registry_person p WHERE "
            f"p.external_key = t.{name} AND (p.merged_into_id IS NOT NULL OR "
            f"{self._scope_condition(q, 'p')}))",
            q.p(v.m_person_unknown()),
            q,
        )

    def _check_people(self) -> None:
        self.repeated("external_key", ["external_key"], v.m_repeated)
        if self.mapped("district"):
            q = Sql()
            self.add_issues(
                "district",
                "t.district IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                "institutions_district d WHERE d.code = t.district)",
                q.p(v.m_district_unknown()),
                q,
            )
        if self.mapped("institution"):
            q = Sql()
            self.add_issues(
                "institution",
                "t.institution IS NOT NULL AND NOT EXISTS (SELECT 1 "
                "FROM institutions_institution i WHERE i.code = t.institution)",
                q.p(v.m_institution_unknown()),
                q,
            )
            if self.plan.scope is not None:
                q = Sql()
                self.add_issues(
                    "institution",
                    f"NOT i.id = ANY({q.p(sorted(self.plan.scope))}::bigint[])",
                    q.p(v.m_institution_scope()),
                    q,
                    "JOIN institutions_institution i ON i.code = t.institution",
                )
        q = Sql()
        self.add_issues(
            "external_key",
            "p.merged_into_id IS NOT NULL",
            q.p(v.m_merged()),
            q,
            "JOIN registry_person p ON p.external_key = t.external_key",
        )
        if self.plan.scope is not None:
            q = Sql()
            self.add_issues(
                "external_key",
                f"p.merged_into_id IS NULL AND NOT {self._scope_condition(q, 'p')}",
                q.p(v.m_key_out_of_scope()),
                q,
                "JOIN registry_person p ON p.external_key = t.external_key",
            )
        if self.mapped("snils"):
            # Not taken when the holder is a row of the file with the same SNILS that the
            # actor may touch: it keeps the SNILS and this row shares it (_shared_snils).
            q = Sql()
            self.add_issues(
                "snils",
                f"p.external_key IS DISTINCT FROM t.external_key AND NOT ("
                f"p.merged_into_id IS NULL AND {self._scope_condition(q, 'p')} AND EXISTS "
                f"(SELECT 1 FROM {self.typed} o WHERE o.snils = t.snils "
                f"AND o.external_key = p.external_key))",
                q.p(v.m_snils_taken()),
                q,
                "JOIN registry_person p ON p.snils = t.snils",
            )

    def _check_households(self) -> None:
        self.repeated("person_key", ["household_key", "person_key"], v.m_member_repeated)
        self.repeated("relation", ["household_key"], v.m_applicants_repeated, "t._applicant")
        self._person_rules()
        q = Sql()
        self.add_issues(
            "relation",
            "t._applicant AND t.person_key IS NOT NULL "
            "AND p.external_key IS DISTINCT FROM t.person_key",
            q.p(v.m_other_applicant()),
            q,
            "JOIN registry_household h ON h.external_key = t.household_key "
            "JOIN registry_householdmember m ON m.household_id = h.id AND m.is_applicant "
            "AND m.left_on IS NULL JOIN registry_person p ON p.id = m.person_id",
        )

    def _households_without_applicant(self) -> None:
        q = Sql()
        self.add_issues(
            "household_key",
            f"t.household_key IS NOT NULL AND NOT EXISTS (SELECT 1 FROM registry_household h "
            f"WHERE h.external_key = t.household_key) AND NOT EXISTS (SELECT 1 FROM "
            f"{self.typed} a WHERE a.household_key = t.household_key AND a._applicant AND NOT "
            f"EXISTS (SELECT 1 FROM {self.bad} b WHERE b.row_no = a.row_no))",
            q.p(v.m_no_applicant()),
            q,
        )

    def _check_categories(self) -> None:
        self.repeated("external_key", ["external_key"], v.m_repeated)
        self._person_rules()
        q = Sql()
        self.add_issues(
            "category",
            "t.category IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
            "registry_categorykind k WHERE k.code = t.category)",
            q.p(v.m_category_unknown()),
            q,
        )
        q = Sql()
        self.add_issues(
            "external_key",
            "t.person_key IS NOT NULL AND p.external_key IS DISTINCT FROM t.person_key",
            q.p(v.m_key_other_person()),
            q,
            "JOIN registry_personcategory pc ON pc.external_key = t.external_key "
            "JOIN registry_person p ON p.id = pc.person_id",
        )
        to = "t.valid_to" if self.mapped("valid_to") else "NULL::date"
        candidates = "t.person_key IS NOT NULL AND t.category IS NOT NULL AND t._period"
        q = Sql()
        template = q.p(v.m_overlap_in_file(ROWS_MARK))
        to_b = "b.valid_to" if self.mapped("valid_to") else "NULL::date"
        joins = (
            f"JOIN (SELECT a.row_no, (SELECT string_agg(x::text, ', ' ORDER BY x) FROM "
            f"unnest(array_append(array_agg(b.row_no), a.row_no)) x) AS rows "
            f"FROM {self.typed} a JOIN {self.typed} b ON b.person_key = a.person_key "
            f"AND b.category = a.category AND b.row_no <> a.row_no AND b._period "
            f"AND a.valid_from <= coalesce({to_b}, 'infinity') "
            f"AND b.valid_from <= coalesce({to.replace('t.', 'a.')}, 'infinity') "
            f"WHERE a.person_key IS NOT NULL AND a.category IS NOT NULL AND a._period "
            f"GROUP BY a.row_no) o ON o.row_no = t.row_no"
        )
        self.add_issues("valid_from", "true", f"replace({template}, chr(1), o.rows)", q, joins)
        q = Sql()
        key = "t.external_key"
        self.add_issues(
            "valid_from",
            f"{candidates} AND p.merged_into_id IS NULL AND {self._scope_condition(q, 'p')} "
            f"AND EXISTS (SELECT 1 FROM registry_personcategory pc WHERE pc.person_id = p.id "
            f"AND pc.kind_id = k.id AND pc.external_key IS DISTINCT FROM {key} "
            f"AND t.valid_from <= coalesce(pc.valid_to, 'infinity') "
            f"AND pc.valid_from <= coalesce({to}, 'infinity'))",
            q.p(v.m_overlap_registered()),
            q,
            "JOIN registry_person p ON p.external_key = t.person_key "
            "JOIN registry_categorykind k ON k.code = t.category",
        )

    def _check_incomes(self) -> None:
        source = "t.source__err IS NULL" if self.mapped("source") else ""
        group = ["person_key", "month", "kind"]
        if self.mapped("source"):
            self.execute(f"ALTER TABLE {self.typed} ADD COLUMN _source text")
            self.execute(
                f"UPDATE {self.typed} SET _source = coalesce(source, '') WHERE source__err IS NULL"
            )
            group.append("_source")
        self.repeated("person_key", group, v.m_income_repeated, source)
        self._person_rules()

    # --- 4. Load -----------------------------------------------------------------------------

    @property
    def ok(self) -> str:
        return (
            f"(SELECT * FROM {self.typed} t WHERE NOT EXISTS "
            f"(SELECT 1 FROM {self.bad} b WHERE b.row_no = t.row_no)) t"
        )

    def load(self) -> Counts:
        counts = Counts()
        getattr(self, f"_load_{self.plan.entity}")(counts)
        valid = self.fetch(f"SELECT count(*) FROM {self.ok}")[0][0]
        counts.unchanged = valid - counts.inserted - counts.updated
        return counts

    def _upsert(self, sql: str, params: dict) -> tuple[int, int]:
        """Run an INSERT … ON CONFLICT … RETURNING (xmax = 0); (inserted, updated)."""
        rows = self.fetch(
            f"WITH up AS ({sql} RETURNING (xmax = 0) AS inserted) "
            f"SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
            f"FROM up",
            params,
        )
        return rows[0][0], rows[0][1]

    def _text_value(self, name: str) -> str:
        """The value the model stores: '' for an empty text cell (NULL for nullable ones)."""
        if name in ("birth_date", "snils", "valid_to"):
            return f"t.{name}"
        return f"coalesce(t.{name}, '')"

    def _names_table(self) -> None:
        """The Latin spelling and the search key of each distinct name in the file, computed
        once per name rather than once per person (a city has a few thousand surnames). The
        key of a whole name is the keys of its parts joined by spaces: every step of
        names.search_key works on single letters or on neighbours within a word."""
        mapped = [n for n in v.NAME_FIELDS if self.mapped(n)]
        parts = " UNION ".join(f"SELECT {n} AS part FROM {self.ok}" for n in mapped)
        q = Sql()
        self.execute(
            f"CREATE TEMP TABLE {self.names} AS SELECT part, {sql_transliterate(q, 'part')} "
            f"AS latin, {sql_search_key(q, 'part')} AS key FROM ({parts}) parts "
            f"WHERE part IS NOT NULL",
            q.params,
        )
        self.execute(f"CREATE UNIQUE INDEX ON {self.names} (part)")
        self.execute(f"ANALYZE {self.names}")

    def _load_people(self, counts: Counts) -> None:
        plan = self.plan
        compared = [
            f.name
            for f in plan.mapped_fields
            if f.name not in ("district", "registration_address", "institution")
        ]
        names = {n: (self._text_value(n) if self.mapped(n) else "''") for n in v.NAME_FIELDS}
        shared = self._shared_snils() if self.mapped("snils") else []
        self.reporter(CHECK_SHARE + 10, _("Spelling the names"))
        self._names_table()
        self.reporter(CHECK_SHARE + 30, _("Recording former names"))
        # Former names first, while the records still hold them.
        q = Sql()
        renamed_rows = self.fetch(
            f"WITH renamed AS (INSERT INTO registry_formername (person_id, last_name, "
            f"first_name, patronymic, changed_on, reason) SELECT p.id, p.last_name, "
            f"p.first_name, p.patronymic, {q.p(plan.today)}, {q.p(rename_reason(plan.batch))} "
            f"FROM {self.ok} JOIN registry_person p ON p.external_key = t.external_key "
            f"WHERE (p.last_name, p.first_name, p.patronymic) IS DISTINCT FROM "
            f"({names['last_name']}, {names['first_name']}, "
            f"{names['patronymic'] if self.mapped('patronymic') else 'p.patronymic'}) "
            f"RETURNING person_id, last_name, first_name, patronymic) SELECT * FROM renamed",
            q.params,
        )
        self.reporter(CHECK_SHARE + 50, _("Writing the records"))
        q = Sql()
        now = q.p(timezone.now())
        insert_columns = [
            *compared,
            "last_name_latin",
            "first_name_latin",
            "patronymic_latin",
            "search_key",
            "preferred_language",
            "consent_scope",
            "created_at",
            "updated_at",
        ]
        insert_columns += [n for n in ("patronymic", "phone", "email") if n not in compared]
        values = {n: self._text_value(n) for n in compared}
        values.update({n: "''" for n in insert_columns if n not in values})
        joins, keys = [], []
        for n in v.NAME_FIELDS:
            if self.mapped(n):
                joins.append(f"LEFT JOIN {self.names} n_{n} ON n_{n}.part = t.{n}")
                values[f"{n}_latin"] = f"coalesce(n_{n}.latin, '')"
                keys.append(f"nullif(n_{n}.key, '')")
        values["search_key"] = f"concat_ws(' ', {', '.join(keys)})"
        values["created_at"] = values["updated_at"] = f"{now}::timestamptz"
        select = ", ".join(values[c] for c in insert_columns)
        # On update: the mapped fields, the Latin spelling (new when renamed, kept otherwise
        # unless empty) and the search key of the names the record ends up with.
        effective = {n: (f"EXCLUDED.{n}" if self.mapped(n) else f"p.{n}") for n in v.NAME_FIELDS}
        renamed = (
            f"((p.last_name, p.first_name, p.patronymic) IS DISTINCT FROM "
            f"({effective['last_name']}, {effective['first_name']}, "
            f"{effective['patronymic']}))"
        )
        sets = [f"{n} = EXCLUDED.{n}" for n in compared if n != "external_key"]
        for n in v.NAME_FIELDS:
            if self.mapped(n):
                sets.append(
                    f"{n}_latin = CASE WHEN {renamed} OR p.{n}_latin = '' "
                    f"THEN EXCLUDED.{n}_latin ELSE p.{n}_latin END"
                )
            else:  # rare: a file without this name; the record keeps its own
                sets.append(
                    f"{n}_latin = CASE WHEN p.{n}_latin = '' THEN "
                    f"{sql_transliterate(q, f'p.{n}')} ELSE p.{n}_latin END"
                )
        if all(self.mapped(n) for n in v.NAME_FIELDS):
            sets.append("search_key = EXCLUDED.search_key")
        else:
            sets.append(f"search_key = {sql_search_key(q, *effective.values())}")
        sets.append("updated_at = EXCLUDED.updated_at")
        changed = (
            f"({', '.join(f'p.{n}' for n in compared)}) IS DISTINCT FROM "
            f"({', '.join(f'EXCLUDED.{n}' for n in compared)})"
        )
        inserted, updated = self._upsert(
            f"INSERT INTO registry_person AS p ({', '.join(insert_columns)}) SELECT {select} "
            f"FROM {self.ok} {' '.join(joins)} ON CONFLICT (external_key) DO UPDATE SET "
            f"{', '.join(sets)} WHERE {changed}",
            q.params,
        )
        counts.inserted, counts.updated = inserted, updated
        if renamed_rows:
            self._audit_renames(renamed_rows)
        queue_shared_snils(plan, shared, counts)
        self.reporter(CHECK_SHARE + 250, _("Linking people to institutions"))
        self._links()
        if self.mapped("registration_address"):
            self.reporter(CHECK_SHARE + 300, _("Writing addresses"))
            self._addresses()

    def _shared_snils(self) -> list[SharedSnils]:
        """The valid rows that load without their SNILS: all but the keeper of each SNILS (the
        record already holding it, else the first valid row with it), found by a window
        function and cleared in the typed table, set-based; the rows found are few."""
        self.execute(
            f"CREATE TEMP TABLE {self.shared} AS SELECT x.row_no, x.external_key, x.snils, "
            f"x.snils__raw, x.keeper, (SELECT min(k.row_no) FROM {self.typed} k "
            f"WHERE k.snils = x.snils AND k.external_key = x.keeper) AS keeper_row "
            f"FROM (SELECT t.row_no, t.external_key, t.snils, t.snils__raw, "
            f"coalesce(p.external_key, first_value(t.external_key) OVER "
            f"(PARTITION BY t.snils ORDER BY t.row_no)) AS keeper FROM {self.ok} "
            f"LEFT JOIN registry_person p ON p.snils = t.snils WHERE t.snils IS NOT NULL) x "
            f"WHERE x.external_key <> x.keeper"
        )
        self.execute(
            f"UPDATE {self.typed} t SET snils = NULL FROM {self.shared} s WHERE s.row_no = t.row_no"
        )
        q = Sql()
        message = q.p(v.m_snils_shared(ROWS_MARK))
        self.execute(
            f'INSERT INTO {self.issue_table} (batch_id, "row", "column", value, message, '
            f"warning) SELECT {q.p(self.plan.batch.pk)}, row_no, {q.p(self.column('snils'))}, "
            f"left(coalesce(snils__raw, ''), 300), "
            f"left(replace({message}, chr(1), keeper_row::text), 300), true FROM {self.shared}",
            q.params,
        )
        return [
            SharedSnils(row, key, snils, value or "", keeper, keeper_row)
            for row, key, snils, value, keeper, keeper_row in self.fetch(
                f"SELECT row_no, external_key, snils, snils__raw, keeper, keeper_row "
                f"FROM {self.shared} ORDER BY row_no"
            )
        ]

    def _audit_renames(self, rows: list[tuple]) -> None:
        was = {pk: (last, first, patronymic) for pk, last, first, patronymic in rows}
        for start in range(0, len(rows), 2000):
            part = list(was)[start : start + 2000]
            people = Person.objects.filter(pk__in=part).order_by("pk")
            audit_renames(self.plan, [(p, was[p.pk]) for p in people])

    def _links(self) -> None:
        q = Sql()
        sources = []
        if self.plan.batch.institution_id:
            sources.append(
                f"SELECT p.id AS person_id, {q.p(self.plan.batch.institution_id)}"
                f"::bigint AS institution_id FROM {self.ok} "
                f"JOIN registry_person p ON p.external_key = t.external_key"
            )
        if self.mapped("institution"):
            sources.append(
                f"SELECT p.id AS person_id, i.id AS institution_id FROM {self.ok} "
                f"JOIN registry_person p ON p.external_key = t.external_key "
                f"JOIN institutions_institution i ON i.code = t.institution"
            )
        if not sources:
            return
        self.execute(
            f"INSERT INTO registry_personinstitution (person_id, institution_id, since) "
            f"SELECT DISTINCT person_id, institution_id, {q.p(self.plan.today)}::date FROM "
            f"({' UNION ALL '.join(sources)}) links "
            f"ON CONFLICT (person_id, institution_id) DO NOTHING",
            q.params,
        )

    def _addresses(self) -> None:
        q = Sql()
        if self.mapped("district"):
            district, join = "d.id", "LEFT JOIN institutions_district d ON d.code = t.district"
            update = "district_id = EXCLUDED.district_id, "
            compare = (
                "(a.text, a.district_id) IS DISTINCT FROM (EXCLUDED.text, EXCLUDED.district_id)"
            )
        else:
            district, join, update = "NULL::bigint", "", ""
            compare = "a.text IS DISTINCT FROM EXCLUDED.text"
        self.execute(
            f"INSERT INTO registry_address AS a (person_id, kind, district_id, text, postal_code) "
            f"SELECT p.id, {q.p(AddressKind.REGISTRATION)}, {district}, t.registration_address, "
            f"'' FROM {self.ok} JOIN registry_person p ON p.external_key = t.external_key {join} "
            f"WHERE t.registration_address IS NOT NULL "
            f"ON CONFLICT (person_id, kind) DO UPDATE SET {update}text = EXCLUDED.text "
            f"WHERE {compare}",
            q.params,
        )

    def _load_households(self, counts: Counts) -> None:
        plan = self.plan
        q = Sql()
        now = q.p(timezone.now())
        created = self.fetch(
            f"WITH made AS (INSERT INTO registry_household (external_key, address, created_at, "
            f"updated_at) SELECT DISTINCT t.household_key, '', {now}::timestamptz, "
            f"{now}::timestamptz FROM {self.ok} ON CONFLICT (external_key) DO NOTHING "
            f"RETURNING 1) SELECT count(*) FROM made",
            q.params,
        )[0][0]
        counts.extra["households_created"] = created
        joined = "t.joined_on" if self.mapped("joined_on") else "NULL::date"
        source = (
            f"SELECT h.id AS household_id, p.id AS person_id, t.relation, "
            f"t._applicant AS is_applicant, {joined} AS joined_on FROM {self.ok} "
            f"JOIN registry_household h ON h.external_key = t.household_key "
            f"JOIN registry_person p ON p.external_key = t.person_key"
        )
        updated = 0
        # Members who stop being applicants first, so that the new applicant fits the rule of
        # one current applicant per household.
        for applicant in ("false", "true"):
            updated += self.execute(
                f"UPDATE registry_householdmember m SET relation = s.relation, "
                f"is_applicant = s.is_applicant, joined_on = coalesce(s.joined_on, m.joined_on) "
                f"FROM ({source}) s WHERE m.household_id = s.household_id "
                f"AND m.person_id = s.person_id AND m.left_on IS NULL "
                f"AND s.is_applicant = {applicant} AND (m.relation, m.is_applicant, m.joined_on) "
                f"IS DISTINCT FROM (s.relation, s.is_applicant, coalesce(s.joined_on, m.joined_on))"
            )
        q = Sql()
        inserted = self.execute(
            f"INSERT INTO registry_householdmember (household_id, person_id, relation, "
            f"is_applicant, joined_on) SELECT s.household_id, s.person_id, s.relation, "
            f"s.is_applicant, coalesce(s.joined_on, {q.p(plan.today)}::date) FROM ({source}) s "
            f"WHERE NOT EXISTS (SELECT 1 FROM registry_householdmember m WHERE "
            f"m.household_id = s.household_id AND m.person_id = s.person_id "
            f"AND m.left_on IS NULL)",
            q.params,
        )
        counts.inserted, counts.updated = inserted, updated

    def _load_categories(self, counts: Counts) -> None:
        q = Sql()
        now = q.p(timezone.now())
        optional = [n for n in ("valid_to", "basis_document", "source") if self.mapped(n)]
        columns = [
            "external_key",
            "person_id",
            "kind_id",
            "valid_from",
            *optional,
            "created_at",
            "updated_at",
        ]
        if "basis_document" not in optional:
            columns.append("basis_document")
        if "source" not in optional:
            columns.append("source")
        values = {
            "external_key": "t.external_key",
            "person_id": "p.id",
            "kind_id": "k.id",
            "valid_from": "t.valid_from",
            "created_at": f"{now}::timestamptz",
            "updated_at": f"{now}::timestamptz",
            "basis_document": "''",
            "source": "''",
        }
        values.update({n: self._text_value(n) for n in optional})
        updated = ["person_id", "kind_id", "valid_from", *optional]
        inserted, changed = self._upsert(
            f"INSERT INTO registry_personcategory AS c ({', '.join(columns)}) "
            f"SELECT {', '.join(values[c] for c in columns)} FROM {self.ok} "
            f"JOIN registry_person p ON p.external_key = t.person_key "
            f"JOIN registry_categorykind k ON k.code = t.category "
            f"ON CONFLICT (external_key) DO UPDATE SET "
            f"{', '.join(f'{n} = EXCLUDED.{n}' for n in updated)}, "
            f"updated_at = EXCLUDED.updated_at "
            f"WHERE ({', '.join(f'c.{n}' for n in updated)}) IS DISTINCT FROM "
            f"({', '.join(f'EXCLUDED.{n}' for n in updated)})",
            q.params,
        )
        counts.inserted, counts.updated = inserted, changed

    def _load_incomes(self, counts: Counts) -> None:
        q = Sql()
        now = q.p(timezone.now())
        source = "coalesce(t.source, '')" if self.mapped("source") else "''"
        inserted, changed = self._upsert(
            f"INSERT INTO registry_income AS i (person_id, month, kind, source, amount, "
            f"created_at, updated_at) SELECT p.id, t.month, t.kind, {source}, t.amount, "
            f"{now}::timestamptz, {now}::timestamptz FROM {self.ok} "
            f"JOIN registry_person p ON p.external_key = t.person_key "
            f"ON CONFLICT (person_id, month, kind, source) DO UPDATE SET "
            f"amount = EXCLUDED.amount, updated_at = EXCLUDED.updated_at "
            f"WHERE i.amount IS DISTINCT FROM EXCLUDED.amount",
            q.params,
        )
        counts.inserted, counts.updated = inserted, changed
