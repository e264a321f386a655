#!/usr/bin/env bash
# The whole suite on SQLite and on PostgreSQL, side by side (two cores). With CI=true PostgreSQL
# is mandatory.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=opora.settings
PG_URL="${OPORA_TEST_POSTGRES_URL:-postgres://root@127.0.0.1:5432/opora}"

echo "== lint =="
.venv/bin/ruff check .
.venv/bin/lint-imports --no-cache
.venv/bin/mypy
$PY -m django makemigrations --check --dry-run --verbosity 1

pg_reachable() {
  $PY - "$PG_URL" <<'PYEOF'
import sys, psycopg, dj_database_url
c = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(host=c["HOST"], port=c["PORT"] or 5432, user=c["USER"], dbname="postgres",
                    password=c["PASSWORD"] or None, connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL is not reachable at {c['HOST']}:{c['PORT']}: {exc}")
    sys.exit(1)
PYEOF
}

# Each run keeps its files (test database, uploads) in a var directory of its own.
sqlite_run() { env -u OPORA_DATABASE_URL OPORA_VAR_DIR="$PWD/var/test-sqlite" $PY -m pytest "$@"; }
postgres_run() {
  OPORA_DATABASE_URL="$PG_URL" OPORA_VAR_DIR="$PWD/var/test-postgres" \
    OPORA_DATABASE_SYNCHRONOUS_COMMIT=off $PY -m pytest "$@"
}

# Each run's output is shown as it comes, every line marked with its database, and kept in a log
# whose end (the failures, the slowest tests, the counts) is shown again once both are done.
logged() {
  local name=$1; shift
  "$@" 2>&1 | tee "$logs/$name.log" | sed -u "s/^/[$name] /"
  return "${PIPESTATUS[0]}"
}

if pg_reachable; then
  # Two databases, two cores: the runs go side by side.
  logs=$(mktemp -d)
  logged sqlite sqlite_run "$@" & sqlite_pid=$!
  logged postgres postgres_run "$@" & postgres_pid=$!
  sqlite_status=0; postgres_status=0
  wait $sqlite_pid || sqlite_status=$?
  wait $postgres_pid || postgres_status=$?
  echo "== tests on SQLite (the end of its log) =="; tail -n 60 "$logs/sqlite.log"
  echo "== tests on PostgreSQL (the end of its log) =="; tail -n 60 "$logs/postgres.log"
  rm -rf "$logs"
  if [ $sqlite_status -ne 0 ] || [ $postgres_status -ne 0 ]; then
    echo "FAILED: SQLite exit $sqlite_status, PostgreSQL exit $postgres_status" >&2
    exit 1
  fi
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true: PostgreSQL is mandatory and it is not reachable." >&2
  exit 1
else
  echo "== tests on SQLite =="
  sqlite_run "$@"
  echo "SKIPPED: the PostgreSQL run (no server reachable; set OPORA_TEST_POSTGRES_URL)."
fi
