#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL. With CI=true PostgreSQL is mandatory.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=opora.settings
PG_URL="${OPORA_TEST_POSTGRES_URL:-postgres://root@127.0.0.1:5432/opora}"

echo "== lint =="
.venv/bin/ruff check .
.venv/bin/mypy
$PY -m django makemigrations --check --dry-run --verbosity 1

echo "== tests on SQLite =="
env -u OPORA_DATABASE_URL $PY -m pytest "$@"

echo "== tests on PostgreSQL =="
if $PY - "$PG_URL" <<'PYEOF'
import sys, psycopg, dj_database_url
c = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(host=c["HOST"], port=c["PORT"] or 5432, user=c["USER"], dbname="postgres",
                    password=c["PASSWORD"] or None, connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL is not reachable at {c['HOST']}:{c['PORT']}: {exc}")
    sys.exit(1)
PYEOF
then
  OPORA_DATABASE_URL="$PG_URL" $PY -m pytest "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true: PostgreSQL is mandatory and it is not reachable." >&2
  exit 1
else
  echo "SKIPPED: the PostgreSQL run (no server reachable; set OPORA_TEST_POSTGRES_URL)."
fi
