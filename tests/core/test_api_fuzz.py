"""Schemathesis over the whole published schema, in process (WSGI), on PostgreSQL.

Every operation is called with data drawn from its schema, valid and invalid, as an
administrator and as a social worker: no answer may be a server error, every status must be
documented and every body must match its schema. The budget is a few examples per operation,
so the module runs within the suite's time; the demo is loaded once for the module.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from opora.api import api
from opora.core import services as core_services
from opora.core.actors import SYSTEM
from opora.core.models import User
from opora.demo.steps.accounts import load_accounts, load_synthetic_staff
from opora.demo.steps.assistance import load_assistance
from opora.demo.steps.catalogue import load_catalogue
from opora.demo.steps.cooperation import load_cooperation
from opora.demo.steps.institutions import load_institutions
from opora.demo.steps.registry import load_population
from opora.demo.steps.reports import load_demo_figures
from opora.demo.steps.rules import load_demo_rules
from tests.demo_support import demo_loaded

ON_POSTGRESQL = "postgresql" in django_settings.DATABASES["default"]["ENGINE"]

pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRESQL,
        reason="the fuzzer runs on PostgreSQL, where NUL bytes and ranges are enforced",
    ),
]

# Examples per operation and role: enough to reach each class of input (valid, out of range,
# wrong type, missing) without making the module the slowest of the suite.
EXAMPLES_PER_OPERATION = 3
ROLES = ("admin", "worker")

demo = demo_loaded(
    load_institutions,
    load_demo_rules,
    load_accounts,
    load_synthetic_staff,
    load_population,
    load_catalogue,
    load_cooperation,
    load_assistance,
    load_demo_figures,
)

# What the runs answered, by role and status; and which operations each role reached.
answered: Counter[tuple[str, int]] = Counter()
reached: dict[str, set[str]] = {role: set() for role in ROLES}


@pytest.fixture(scope="module")
def connection_kept():
    """The calls go to the WSGI application itself, not through Django's test client, which
    would keep the connection open: without this, the end of the first request would close
    the connection and the module's transaction with it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def tokens(demo, django_db_blocker, connection_kept) -> dict[str, str]:
    with django_db_blocker.unblock():
        return {
            role: core_services.api_token_issue(
                actor=SYSTEM, user=User.objects.get(username=role), name="fuzz"
            )[1]
            for role in ROLES
        }


def _published_schema():
    # Read at collection, without the database; on SQLite an empty schema, so nothing is built
    # for a module that is skipped there.
    document = (
        api.get_openapi_schema()
        if ON_POSTGRESQL
        else {"openapi": "3.1.0", "info": {"title": "-", "version": "-"}, "paths": {}}
    )
    schema = schemathesis.openapi.from_dict(document)
    schema.app = get_wsgi_application()
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=EXAMPLES_PER_OPERATION,
        deterministic=True,
    )
    # The coverage phase draws every boundary of every field (some sixty cases an operation,
    # most of them 405s and 422s of the same shape) and would make this the slowest module of
    # the suite; the classes it probes (NUL, ranges, lengths, nulls, dates) have their own tests
    # in test_api_validation.py, so the suite keeps the explicit examples and the fuzzing.
    schema.config.phases.update(phases=["examples", "fuzzing"])
    return schema


fuzzed = _published_schema()
# Schemathesis refuses to parametrize over a schema without operations, which is what SQLite
# gets: there the test stays as it is, and the module's skip mark skips it.
over_every_operation = fuzzed.parametrize() if ON_POSTGRESQL else (lambda test: test)


@over_every_operation
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema(case, tokens, db):
    # Each example is sent as both roles: the drawing of examples is the costly part.
    for role in ROLES:
        response = case.call(headers={"Authorization": f"Bearer {tokens[role]}"})
        answered[(role, response.status_code)] += 1
        reached[role].add(f"{case.method.upper()} {case.path}")
        case.validate_response(
            response,
            checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
        )


def test_the_fuzzer_reached_every_operation_without_a_server_error(capsys):
    operations = {
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method in methods
    }
    for role in ROLES:
        assert operations - {op.replace("/api/v1", "", 1) for op in reached[role]} == set(), role
    server_errors = sum(count for (_role, status), count in answered.items() if status >= 500)
    assert server_errors == 0
    with capsys.disabled():
        by_status = sorted(answered.items())
        print(
            f"\nfuzzer: {len(operations)} operations, {sum(answered.values())} responses, "
            f"{server_errors} server errors; by role and status: {by_status}"
        )
