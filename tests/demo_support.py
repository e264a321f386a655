"""Demo steps loaded once per test module: each test reads them inside a transaction that is
rolled back, so the module pays for one load, not one per test."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction

from opora.core.actors import SYSTEM
from opora.demo.loading import DemoContext


def demo_loaded(*steps: Callable[[DemoContext], None]):
    """A module-scoped fixture that runs ``steps`` in order and yields their context."""

    @pytest.fixture(scope="module")
    def demo(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            context = DemoContext(actor=SYSTEM)
            for demo_step in steps:
                demo_step(context)
            yield context
            transaction.set_rollback(True)

    return demo
