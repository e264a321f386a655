"""The reads the API throughput benchmark drives (bench/bench_api.py) cost a fixed number of
queries, however many rows a page shows: an N+1 that crept into a selector or a schema fails
here, long before it shows as a slow page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opora.core import services
from opora.core.actors import SYSTEM
from opora.core.models import User
from opora.demo.loading import load
from tests.demo_support import demo_loaded

demo = demo_loaded(load)

# Queries of one request as the demo's social worker with a token, transaction statements and
# the search's per-transaction settings aside: the token with its account, her institutions,
# then the page itself.
LIMITS = {
    "/api/v1/casework/cases": 4,  # token, institutions, count, the page with its joins
    "/api/v1/cooperation/partners": 3,  # token, count, the page
    "/api/v1/registry/search?q={surname}": 6,  # token, institutions, candidates, the people
}


@pytest.fixture
def worker_client(demo, db, client):
    worker = User.objects.get(username="worker")
    _, key = services.api_token_issue(actor=SYSTEM, user=worker, name="queries")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def statements(queries) -> list[str]:
    skipped = ("SAVEPOINT", "RELEASE SAVEPOINT", "SELECT current_setting", "SELECT set_config")
    return [q["sql"] for q in queries if not q["sql"].startswith(skipped)]


@pytest.mark.parametrize("path", list(LIMITS))
def test_each_benchmarked_read_costs_a_fixed_number_of_queries(worker_client, path):
    cases = worker_client.get("/api/v1/casework/cases").json()["items"]
    surname = cases[0]["person"].split()[0]
    url = path.format(surname=surname)
    with CaptureQueriesContext(connection) as queries:
        response = worker_client.get(url)
    assert response.status_code == 200
    body = response.json()
    rows = body["items"] if isinstance(body, dict) else body
    assert len(rows) > 1  # enough rows that a query per row would show
    assert len(statements(queries)) <= LIMITS[path], statements(queries)
