"""What the benchmarks share: their PostgreSQL database, ``opora manage`` in a subprocess,
Django in the benchmark's own process, and the quantiles of a series of latencies."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

BENCH_DATABASE_URL = os.environ.get(
    "OPORA_BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/opora_bench"
)


def bench_database_url(database: str | None = None) -> str:
    """The URL of OPORA_BENCH_DATABASE_URL, or of the same server with the database
    ``database``: each benchmark drops and creates its database, so each needs its own."""
    if database is None:
        return BENCH_DATABASE_URL
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(BENCH_DATABASE_URL)._replace(path=f"/{database}"))


def bench_env(database_url: str, var_dir: str, **settings: str) -> dict[str, str]:
    """The environment of ``opora manage`` and of Django in this process; ``settings`` are
    further OPORA_* variables without their prefix."""
    return {
        **os.environ,
        "OPORA_DATABASE_URL": database_url,
        "OPORA_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "opora.settings",
        **{f"OPORA_{name}": value for name, value in settings.items()},
    }


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "opora.cli", "manage", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"opora manage {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def setup_django(env: dict[str, str]) -> None:
    """Django in this process, on the bench database, for what is measured from the inside."""
    os.environ.update({k: v for k, v in env.items() if k.startswith(("OPORA_", "DJANGO_"))})
    import django

    django.setup()


def connect(database_url: str, *, server: bool = False, autocommit: bool = False):
    """A psycopg connection to the bench database (``server``: to the server's own
    ``postgres`` database, to drop and create the bench one)."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(database_url)
    return psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        dbname="postgres" if server else config["NAME"],
        autocommit=autocommit,
    )


def recreate_database(database_url: str) -> None:
    import dj_database_url

    name = dj_database_url.parse(database_url)["NAME"]
    with connect(database_url, server=True, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def vacuum(database_url: str, tables: list[str]) -> None:
    """What autovacuum does within a minute of a bulk load (statistics, the visibility map for
    index-only scans), done at once so that reads are measured on settled tables."""
    with connect(database_url, autocommit=True) as connection:
        for table in tables:
            connection.execute(f"VACUUM (ANALYZE) {table}")


def quantiles_ms(timings: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile of latencies in milliseconds."""
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return round(cuts[49], 2), round(cuts[94], 2)
