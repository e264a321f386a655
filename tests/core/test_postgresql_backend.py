"""The health check of kept PostgreSQL connections (core/postgresql/base.py): no round trip on a
connection in steady use, the full check on a connection the server has closed or one idle
for long."""

from __future__ import annotations

import select
import time

import pytest
from django.db import connection, connections

from opora.core.postgresql import base

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the backend serves PostgreSQL only"
)


@pytest.fixture
def kept(db):
    """A second connection to the test database, as a web worker keeps one between requests."""
    other = connections.create_connection("default")
    # Its own settings: the dict is the default connection's own.
    other.settings_dict = {**other.settings_dict, "CONN_HEALTH_CHECKS": True, "CONN_MAX_AGE": 60}
    other.ensure_connection()
    yield other
    other.close()


def next_request(wrapper) -> None:
    """What Django does between requests, then before the first query of the next one."""
    wrapper.close_if_unusable_or_obsolete()
    wrapper.close_if_health_check_failed()


def counting_full_checks(wrapper, monkeypatch) -> list[bool]:
    calls: list[bool] = []
    real = wrapper.is_usable

    def is_usable():
        calls.append(True)
        return real()

    monkeypatch.setattr(wrapper, "is_usable", is_usable)
    return calls


def test_a_connection_in_steady_use_is_not_sent_select_1(kept, monkeypatch):
    assert isinstance(kept, base.DatabaseWrapper)
    next_request(kept)  # the first reuse has no recent check to go by: the full one
    full = counting_full_checks(kept, monkeypatch)
    for _ in range(3):
        next_request(kept)
        with kept.cursor() as cursor:
            cursor.execute("SELECT 1")
    assert full == []
    assert kept.connection is not None


def test_a_connection_idle_for_long_gets_the_full_check(kept, monkeypatch):
    next_request(kept)
    full = counting_full_checks(kept, monkeypatch)
    kept._checked_at = time.monotonic() - base.FULL_CHECK_AFTER_IDLE_SECONDS
    next_request(kept)
    assert full == [True]
    assert kept.connection is not None


def test_a_connection_the_server_ended_is_replaced_before_a_query_fails(kept):
    next_request(kept)
    server_pid = kept.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [server_pid])
    # The server says goodbye and closes the socket; wait until it has arrived.
    select.select([kept.connection.fileno()], [], [], 5)
    next_request(kept)
    assert kept.connection is None  # closed by the check, not by a failed query
    with kept.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != server_pid
