"""The apps' chores: the worker's heartbeat runs each on start, then again only when its
interval has passed, and one failing chore neither stops the others nor the heartbeat."""

from __future__ import annotations

import pytest

from opora.core import registry
from opora.core.management.commands.opora_worker import Heartbeat


@pytest.fixture
def chore_log(monkeypatch):
    log: list[str] = []
    monkeypatch.setattr(registry, "_registry", registry._Registry())

    def broken() -> None:
        log.append("broken")
        raise RuntimeError("the chore failed")

    registry.add_chore(registry.Chore("often", lambda: log.append("often"), every_seconds=0))
    registry.add_chore(registry.Chore("hourly", lambda: log.append("hourly"), every_seconds=3600))
    registry.add_chore(registry.Chore("broken", broken, every_seconds=0))
    return log


def test_each_chore_runs_on_start_then_when_due(chore_log, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(
        "opora.core.management.commands.opora_worker.time.monotonic", lambda: clock[0]
    )
    heartbeat = Heartbeat("worker-1", "django_tasks_db")
    heartbeat.run_chores()
    assert sorted(chore_log) == ["broken", "hourly", "often"]
    chore_log.clear()
    clock[0] += 60
    heartbeat.run_chores()
    assert sorted(chore_log) == ["broken", "often"]
    chore_log.clear()
    clock[0] += 3600
    heartbeat.run_chores()
    assert sorted(chore_log) == ["broken", "hourly", "often"]


def test_the_assistance_app_closes_ended_periods_as_a_chore():
    keys = {chore.key for chore in registry.chores()}
    assert "assistance-end-expired" in keys
