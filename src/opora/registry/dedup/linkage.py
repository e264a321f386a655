# ruff: noqa: S608 - statements are built from model identifiers, quoted, and this module's
# constants; values go as parameters.
"""One search of the whole registry for duplicates: export the live records into DuckDB, score
them (scoring.py), and write the pairs to review.

The export is set-based: PostgreSQL streams ``COPY … TO STDOUT`` (CSV) into a file DuckDB reads;
SQLite is read in key ranges of ``EXPORT_CHUNK`` rows into the same kind of file. Nothing loops
over ORM objects; the pairs go back with ``bulk_create`` in batches.
"""

from __future__ import annotations

import csv
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.jobs import Progress, no_progress

from ..models import Address, AddressKind, CandidateStatus, DedupRun, DuplicateCandidate, Person
from . import scoring
from .audit_actions import DEDUP_FINISHED

EXPORT_CHUNK = 50_000
WRITE_BATCH = 5_000
DECIDED = (CandidateStatus.CONFIRMED, CandidateStatus.REJECTED, CandidateStatus.MERGED)
# The ``source`` of a run that holds a pair queued by hand or by an import
# (services.candidate_queue), not found by a search: a later search does not replace it.
QUEUED = "queued"


def searches(via: str = "") -> Q:
    """The runs that are searches, through the lookup ``via`` ("run__" from a pair): every run
    but those holding a queued pair. A search's ``params`` has no source, and a missing JSON
    key compares as NULL, so an exclusion alone would drop the searches too."""
    source = f"{via}params__source"
    return Q(**{f"{source}__isnull": True}) | ~Q(**{source: QUEUED})


# Shares of the whole run, for one progress bar: export, scoring, writing.
EXPORT_SHARE, SCORE_SHARE = 0.2, 0.7


def _column(name: str, model: Any = Person) -> str:
    field: Any = model._meta.get_field(name)
    return str(field.column)


def _select(*, dates_as_text: bool) -> tuple[str, str]:
    """The select list of ``scoring.RAW_COLUMNS`` and the FROM clause: the live records, each
    with the district of its registration address (at most one, a constraint says so)."""
    q = connection.ops.quote_name
    columns = []
    for name, _kind in scoring.RAW_COLUMNS:
        if name == "district":
            columns.append(f"a.{q(_column('district', Address))}")
        elif name == "address":
            columns.append(f"a.{q(_column('text', Address))}")
        elif name == "birth_date" and dates_as_text:
            columns.append(f"to_char(p.{q(_column(name))}, 'YYYY-MM-DD')")
        else:
            columns.append(f"p.{q(_column(name))}")
    source = (
        f"{q(Person._meta.db_table)} p LEFT JOIN {q(Address._meta.db_table)} a"
        f" ON a.{q(_column('person', Address))} = p.{q(_column('id'))}"
        f" AND a.{q(_column('kind', Address))} = {_sql_string(AddressKind.REGISTRATION)}"
        f" WHERE p.{q(_column('merged_into'))} IS NULL"
    )
    return ", ".join(columns), source


def _sql_string(value: Any) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _read_csv_sql(path: Path) -> str:
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in scoring.RAW_COLUMNS)
    return (
        f"INSERT INTO people_raw SELECT * FROM read_csv({_sql_string(path)}, header = false,"
        f" auto_detect = false, columns = {{{columns}}}, quote = '\"', escape = '\"',"
        " allow_quoted_nulls = false, dateformat = '%Y-%m-%d')"
    )


def _export_postgres(path: Path) -> None:
    columns, source = _select(dates_as_text=True)
    sql = f"COPY (SELECT {columns} FROM {source}) TO STDOUT WITH (FORMAT csv)"
    with connection.cursor() as cursor, open(path, "wb") as out:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(sql) as copy:
            for data in copy:
                out.write(data)


def _export_portable(path: Path, progress: Any) -> None:
    """Key ranges of ``EXPORT_CHUNK`` rows, written as CSV as they come."""
    columns, source = _select(dates_as_text=False)
    pk = f"p.{connection.ops.quote_name(_column('id'))}"
    sql = f"SELECT {columns} FROM {source} AND {pk} > %s ORDER BY {pk} LIMIT %s"
    total = Person.objects.filter(merged_into__isnull=True).count()
    done, last = 0, 0
    with connection.cursor() as cursor, open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        while True:
            cursor.execute(sql, [last, EXPORT_CHUNK])
            rows = cursor.fetchall()
            if not rows:
                break
            writer.writerows(rows)
            last = rows[-1][0]
            done += len(rows)
            progress(done / max(total, 1))


def export_people(con: duckdb.DuckDBPyConnection, workdir: Path, progress: Any) -> int:
    """Fill ``people_raw`` with the live records (``merged_into`` empty)."""
    scoring.create_raw_table(con)
    path = workdir / "people.csv"
    if connection.vendor == "postgresql":
        _export_postgres(path)
    else:
        _export_portable(path, progress)
    scoring.run_sql(con, _read_csv_sql(path))
    path.unlink()
    return int(scoring.run_sql(con, "SELECT count(*) FROM people_raw")[0][0])


@contextmanager
def duckdb_session() -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """An in-memory DuckDB that spills into a scratch directory under the var directory."""
    scratch = Path(settings.VAR_DIR) / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dedup-", dir=scratch) as workdir:
        con = duckdb.connect(":memory:")
        try:
            scoring.run_sql(con, f"SET temp_directory = {_sql_string(Path(workdir) / 'spill')}")
            scoring.run_sql(con, "SET preserve_insertion_order = false")
            yield con, Path(workdir)
        finally:
            con.close()


def _load_decided(con: duckdb.DuckDBPyConnection) -> int:
    """Pairs a person already decided on (any run): a new search does not ask again."""
    import pyarrow as pa

    scoring.run_sql(con, "CREATE OR REPLACE TABLE decided (a BIGINT, b BIGINT)")
    pairs = DuplicateCandidate.objects.filter(status__in=DECIDED).values_list(
        "person_a_id", "person_b_id"
    )
    count, chunk = 0, []
    for pair in pairs.iterator(chunk_size=WRITE_BATCH):
        chunk.append(pair)
        if len(chunk) == WRITE_BATCH:
            count += _append_decided(con, pa, chunk)
            chunk = []
    if chunk:
        count += _append_decided(con, pa, chunk)
    return count


def _append_decided(con: duckdb.DuckDBPyConnection, pa: Any, chunk: list[tuple]) -> int:
    table = pa.table({"a": [a for a, _b in chunk], "b": [b for _a, b in chunk]})
    con.register("decided_chunk", table)
    scoring.run_sql(con, "INSERT INTO decided SELECT a, b FROM decided_chunk")
    con.unregister("decided_chunk")
    return len(chunk)


def write_candidates(
    run: DedupRun, con: duckdb.DuckDBPyConnection, progress: Any
) -> dict[str, int]:
    """The run's pairs, less those decided earlier; earlier runs' undecided pairs give way."""
    _load_decided(con)
    carried = int(
        scoring.run_sql(
            con,
            "SELECT count(*) FROM scored_pairs s JOIN decided d ON d.a = s.id_l AND d.b = s.id_r",
        )[0][0]
    )
    total = int(scoring.run_sql(con, "SELECT count(*) FROM scored_pairs")[0][0]) - carried
    cursor = con.execute(
        "SELECT s.id_l, s.id_r, s.probability, s.cluster FROM scored_pairs s"
        " WHERE NOT EXISTS (SELECT 1 FROM decided d WHERE d.a = s.id_l AND d.b = s.id_r)"
        " ORDER BY s.id_l, s.id_r"
    )
    written = 0
    with transaction.atomic():
        superseded, _ = (
            DuplicateCandidate.objects.filter(status=CandidateStatus.PENDING)
            .exclude(run=run)
            .filter(searches("run__"))
            .delete()
        )
        while True:
            rows = cursor.fetchmany(WRITE_BATCH)
            if not rows:
                break
            DuplicateCandidate.objects.bulk_create(
                [
                    DuplicateCandidate(
                        run_id=run.pk,
                        person_a_id=a,
                        person_b_id=b,
                        probability=float(p),
                        cluster=int(c),
                    )
                    for a, b, p, c in rows
                ],
                batch_size=WRITE_BATCH,
            )
            written += len(rows)
            progress(written / max(total, 1))
    return {"written": written, "carried_over": carried, "superseded": superseded}


def evaluate(con: duckdb.DuckDBPyConnection, truth: Path) -> dict[str, Any]:
    """Precision and recall of the scored pairs against a truth file (duplicate_key,
    original_key): two records are the same person when they share an original."""
    scoring.run_sql(
        con,
        f"CREATE OR REPLACE TABLE truth AS SELECT * FROM read_csv({_sql_string(truth)},"
        " header = true, all_varchar = true)",
    )
    columns = {row[0] for row in scoring.run_sql(con, "DESCRIBE truth")}
    if not {"duplicate_key", "original_key"} <= columns:
        raise ValueError("The truth file needs the columns duplicate_key and original_key.")
    scoring.run_sql(
        con,
        """
        CREATE OR REPLACE TABLE entity AS
        SELECT p.id, coalesce(t.original_key, p.external_key, 'id:' || p.id) AS entity
        FROM people_raw p
        LEFT JOIN (SELECT DISTINCT duplicate_key, original_key FROM truth) t
            ON t.duplicate_key = p.external_key
        """,
    )
    true_pairs = int(
        scoring.run_sql(
            con,
            "SELECT coalesce(sum(n * (n - 1) // 2), 0)"
            " FROM (SELECT count(*) AS n FROM entity GROUP BY entity)",
        )[0][0]
    )
    found, correct = scoring.run_sql(
        con,
        """
        SELECT count(*), count(*) FILTER (WHERE a.entity = b.entity)
        FROM scored_pairs s JOIN entity a ON a.id = s.id_l JOIN entity b ON b.id = s.id_r
        """,
    )[0]
    return {
        "true_pairs": true_pairs,
        "found_pairs": int(found),
        "correct_pairs": int(correct),
        "precision": round(correct / found, 4) if found else None,
        "recall": round(correct / true_pairs, 4) if true_pairs else None,
    }


def run_dedup(
    *,
    run: DedupRun,
    actor: Actor,
    progress: Progress = no_progress,
    train: bool | None = None,
    truth: Path | None = None,
) -> dict[str, Any]:
    """Search the registry for ``run``: fills its pairs and totals; returns a summary."""
    started = time.monotonic()
    phases = {
        "export": _("Reading the registry"),
        "prior": _("Estimating how common duplicates are"),
        "u": _("Learning how often strangers agree"),
        "em": _("Learning how duplicates differ"),
        "predict": _("Comparing likely pairs"),
        "cluster": _("Grouping pairs"),
        "write": _("Saving the pairs to review"),
    }

    def report(share: float, phase: str) -> None:
        progress(min(int(share * 1000), 1000), 1000, str(phases[phase]))

    timings: dict[str, float] = {}
    with duckdb_session() as (con, workdir):
        report(0, "export")
        mark = time.monotonic()
        people = export_people(con, workdir, lambda share: report(share * EXPORT_SHARE, "export"))
        scoring.prepare_people(con)
        timings["export"] = round(time.monotonic() - mark, 2)
        scored = scoring.score(
            con,
            threshold=run.threshold,
            train=train,
            progress=lambda phase, share: report(EXPORT_SHARE + share * SCORE_SHARE, phase),
        )
        timings.update(scored.timings)
        mark = time.monotonic()
        report(EXPORT_SHARE + SCORE_SHARE, "write")
        written = write_candidates(
            run,
            con,
            lambda share: report(EXPORT_SHARE + SCORE_SHARE + share * 0.1, "write"),
        )
        timings["write"] = round(time.monotonic() - mark, 2)
        evaluation = evaluate(con, truth) if truth is not None else None
    seconds = round(time.monotonic() - started, 2)
    params = {
        "trained": scored.trained,
        "rejected_training": scored.rejected_training,
        "prior": scored.prior,
        "found_pairs": scored.pairs,
        "carried_over": written["carried_over"],
        "superseded": written["superseded"],
        "timings": timings,
        "model": scored.parameters,
    }
    with transaction.atomic():
        DedupRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(),
            people=people,
            candidates=written["written"],
            clusters=scored.clusters,
            seconds=seconds,
            params=params,
        )
        run.refresh_from_db()
        audit.record(
            actor=actor,
            action=DEDUP_FINISHED,
            obj=run,
            data={
                "candidates": written["written"],
                "people": people,
                "threshold": run.threshold,
                "seconds": seconds,
            },
        )
    report(1, "write")
    summary: dict[str, Any] = {
        "run": run.pk,
        "threshold": run.threshold,
        "people": people,
        "found_pairs": scored.pairs,
        "candidates": written["written"],
        "carried_over": written["carried_over"],
        "superseded": written["superseded"],
        "clusters": scored.clusters,
        "trained": scored.trained,
        "seconds": seconds,
        "timings": timings,
    }
    if evaluation is not None:
        summary["evaluation"] = evaluation
    return summary
