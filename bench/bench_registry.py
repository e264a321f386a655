"""Registry benchmark: import against raw COPY, search latency, batch deduplication.

    opora bench registry --people N        (or: python bench/bench_registry.py --people N)

Runs on PostgreSQL (OPORA_BENCH_DATABASE_URL, default postgres://root@127.0.0.1:5432/opora_bench;
the database is dropped and created anew). Prints one JSON object:
people, import_rows_per_s, copy_rows_per_s, import_ratio_to_copy, search_p50_ms, search_p95_ms,
search_found_share, and for each generator of people the deduplication measures
dedup_f1_<generator>, dedup_precision_<generator>, dedup_recall_<generator>,
dedup_seconds_<generator> (``ours``: the population of ``synth``; ``independent``: the second
generator, opora.demo.population.independent, with other habits, loaded into a database of its
own), dedup_seconds, dedup_precision and dedup_recall repeating those of ``ours``, and the
limits they are held against (import ≥ 0.5 of raw COPY, search p95 ≤ 50 ms, dedup F1 ≥ 0.95 and
precision ≥ 0.98 within 300 s at 1,000,000 people, on each generator).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    bench_database_url,
    bench_env,
    connect,
    manage,
    quantiles_ms,
    recreate_database,
    setup_django,
    vacuum,
)

LIMITS = {
    "import_ratio_to_copy": 0.5,
    "search_p95_ms": 50.0,
    "dedup_seconds": 300.0,
    "dedup_f1": 0.95,
    "dedup_precision": 0.98,
}


REFERENCE_SETUP = """
from django.db import transaction
from opora.core.actors import SYSTEM
from opora.institutions import services
from opora.institutions.models import Institution
from opora.demo.steps.institutions import load_districts
from opora.registry.reference import ensure_reference_data
ensure_reference_data()
for code, district in load_districts().items():
    if not Institution.objects.filter(code=f"tcso-{code}").exists():
        services.institution_create(
            actor=SYSTEM, code=f"tcso-{code}", name=f"ТЦСО «{district.name}»",
            name_en=f"TCSO {district.name_en}")
"""


INDEPENDENT_SETUP = """
from pathlib import Path
from opora.demo.population.independent import write_independent_csv
write_independent_csv(Path({out!r}), {people}, seed={seed})
"""


def _dedup_measures(env: dict[str, str], truth: Path, generator: str) -> dict[str, object]:
    """A search of the whole registry measured against the truth of its generator."""
    summary = json.loads(manage(env, "registry_dedup", "--truth", str(truth), "-v", "0"))
    evaluation = summary.get("evaluation") or {}
    precision, recall = evaluation.get("precision"), evaluation.get("recall")
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
    return {
        f"dedup_f1_{generator}": round(f1, 4) if f1 is not None else None,
        f"dedup_precision_{generator}": precision,
        f"dedup_recall_{generator}": recall,
        f"dedup_seconds_{generator}": summary.get("seconds"),
        f"dedup_trained_{generator}": summary.get("trained"),
        f"dedup_timings_{generator}": summary.get("timings"),
    }


def _dedup_on_independent(options: argparse.Namespace, work: Path) -> dict[str, object]:
    """The second generator's people, imported into a database of their own and searched."""
    database_url = options.database_url + "_independent"
    env = bench_env(database_url, str(work / "var-independent"))
    recreate_database(database_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "shell", "-v", "0", "-c", REFERENCE_SETUP)
    out = work / "independent"
    setup = INDEPENDENT_SETUP.format(out=str(out), people=options.people, seed=options.seed)
    manage(env, "shell", "-v", "0", "-c", setup)
    manage(env, "registry_import", str(out / "people.csv"), "--entity", "people", "-v", "0")
    vacuum(database_url, ["registry_person", "registry_personinstitution"])
    return _dedup_measures(env, out / "truth.csv", "independent")


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        return next(csv.reader(handle))


def _copy_file(connection, table: str, path: Path) -> None:
    """The file's bytes into ``table`` by COPY, as they are."""
    statement = f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)"
    with connection.cursor() as cursor, open(path, "rb") as data, cursor.copy(statement) as copy:
        while chunk := data.read(1 << 20):
            copy.write(chunk)


def _raw_copy_rows_per_s(database_url: str, people_csv: Path) -> float:
    """A raw COPY of the same file into a bare table of text columns: the ceiling."""
    columns = ", ".join(f'"{name}" text' for name in _header(people_csv))
    with connect(database_url) as connection:
        connection.execute(f"CREATE TABLE bench_raw_people ({columns})")
        started = time.perf_counter()
        _copy_file(connection, "bench_raw_people", people_csv)
        connection.commit()
        elapsed = time.perf_counter() - started
        rows = connection.execute("SELECT count(*) FROM bench_raw_people").fetchone()[0]
        connection.execute("DROP TABLE bench_raw_people")
        connection.commit()
    return rows / elapsed


def _copy_into_registry_rows_per_s(database_url: str, people_csv: Path) -> float:
    """A COPY of the file's rows straight into a table shaped like ``registry_person``, with
    its indexes (the trigram one too) and no checks: what the table alone costs to fill."""
    header = _header(people_csv)
    with connect(database_url) as connection:
        known = {
            row[0]
            for row in connection.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'registry_person'"
            )
        }
        connection.execute("DROP TABLE IF EXISTS bench_person")
        connection.execute(
            "CREATE TABLE bench_person (LIKE registry_person INCLUDING DEFAULTS INCLUDING INDEXES)"
        )
        connection.execute("ALTER TABLE bench_person ALTER COLUMN id SET DEFAULT 0")
        columns = [name for name in header if name in known]
        staged = ", ".join(f'"{name}" text' for name in header)
        connection.execute(f"CREATE TEMP TABLE bench_text ({staged})")
        connection.commit()
        started = time.perf_counter()
        _copy_file(connection, "bench_text", people_csv)
        nullable = {
            "birth_date": "to_date(nullif(birth_date, ''), 'DD.MM.YYYY')",
            "snils": "nullif(translate(snils, '- ', ''), '')",
            "external_key": "nullif(external_key, '')",
        }
        selected = ", ".join(nullable.get(c, f"coalesce(\"{c}\", '')") for c in columns)
        rows = connection.execute(
            f"INSERT INTO bench_person (id, {', '.join(columns)}, search_key, created_at, "
            f"updated_at, last_name_latin, first_name_latin, patronymic_latin, "
            f"preferred_language, consent_scope) SELECT row_number() OVER (), {selected}, "
            f"lower(concat_ws(' ', last_name, first_name, patronymic)), now(), now(), "
            f"'', '', '', '', '' FROM bench_text"
        ).rowcount
        connection.commit()
        elapsed = time.perf_counter() - started
        connection.execute("DROP TABLE bench_person")
        connection.commit()
    return rows / elapsed


def _search_latencies(env: dict[str, str], queries: int, seed: int) -> dict[str, float]:
    """Queries with typos and transliterations, through the API in this process."""
    setup_django(env)
    from django.db import transaction
    from django.test import Client

    from opora.core import services as core_services
    from opora.core.actors import SYSTEM
    from opora.core.models import User
    from opora.registry.models import Person
    from opora.registry.names import transliterate

    rng = random.Random(seed)
    with transaction.atomic():
        admin = User.objects.filter(username="bench-admin").first() or core_services.user_create(
            actor=SYSTEM, username="bench-admin", role="administrator", password=None
        )
        _token, key = core_services.api_token_issue(actor=SYSTEM, user=admin, name="bench")
    highest = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sample_ids = [rng.randint(1, highest) for _ in range(queries * 2)]
    sample = list(
        Person.objects.filter(pk__in=sample_ids, merged_into__isnull=True).values(
            "pk", "last_name", "first_name", "birth_date"
        )[:queries]
    )

    def typo(word: str) -> str:
        if len(word) < 4:
            return word
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]

    def query_for(person: dict) -> str:
        kind = rng.random()
        if kind < 0.35:
            return f"{typo(person['last_name'])} {person['first_name']}"
        if kind < 0.65:
            return transliterate(f"{person['last_name']} {person['first_name']}")
        if kind < 0.85 and person["birth_date"]:
            return f"{person['last_name']} {person['birth_date']:%d.%m.%Y}"
        return person["last_name"]

    client = Client()
    headers = {"Authorization": f"Bearer {key}"}
    timings, found = [], 0
    for person in sample:
        query = query_for(person)
        started = time.perf_counter()
        response = client.get("/api/v1/registry/search", {"q": query, "limit": 20}, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code == 200 and any(
            hit["person"]["id"] == person["pk"] for hit in response.json()
        ):
            found += 1
    p50, p95 = quantiles_ms(timings)
    return {
        "search_queries": len(timings),
        "search_p50_ms": p50,
        "search_p95_ms": p95,
        "search_found_share": round(found / max(len(timings), 1), 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="opora bench registry",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=bench_database_url())
    parser.add_argument(
        "--dedup-only",
        action="store_true",
        help="measure the deduplication only (no import against COPY, no search latencies)",
    )
    options = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="opora-bench-"))
    env = bench_env(options.database_url, str(work / "var"))
    recreate_database(options.database_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(
        env,
        "synth",
        "--people",
        str(options.people),
        "--out",
        str(work / "synth"),
        "--seed",
        str(options.seed),
    )
    # The districts and their territorial centres that the synthetic people refer to.
    manage(env, "shell", "-v", "0", "-c", REFERENCE_SETUP)
    people_csv = work / "synth" / "people.csv"
    with open(people_csv, encoding="utf-8") as handle:
        rows = sum(1 for _ in handle) - 1

    started = time.perf_counter()
    manage(env, "registry_import", str(people_csv), "--entity", "people", "-v", "0")
    import_seconds = time.perf_counter() - started
    result: dict[str, object] = {"people": rows}
    if not options.dedup_only:
        copy_rate = _raw_copy_rows_per_s(options.database_url, people_csv)
        import_rate = rows / import_seconds
        table_rate = _copy_into_registry_rows_per_s(options.database_url, people_csv)
        result.update(
            {
                "import_rows_per_s": round(import_rate),
                "copy_rows_per_s": round(copy_rate),
                "import_ratio_to_copy": round(import_rate / copy_rate, 3),
                # The same rows COPYed into a bare clone of registry_person with its indexes
                # and no checks: the share of the gap that the table itself accounts for.
                "copy_into_person_table_rows_per_s": round(table_rate),
                "import_ratio_to_copy_into_person_table": round(import_rate / table_rate, 3),
            }
        )

    vacuum(options.database_url, ["registry_person", "registry_personinstitution"])
    if not options.dedup_only:
        result.update(_search_latencies(env, options.queries, options.seed))
    ours = _dedup_measures(env, work / "synth" / "truth.csv", "ours")
    result.update(
        {
            "dedup_seconds": ours["dedup_seconds_ours"],
            "dedup_precision": ours["dedup_precision_ours"],
            "dedup_recall": ours["dedup_recall_ours"],
            **ours,
            **_dedup_on_independent(options, work),
            "limits": LIMITS,
        }
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
