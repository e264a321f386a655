"""The demo's steps, one module per app, each registering its steps with ``loading.step``.

Importing this package registers them all; the order they run in is each step's ``order``."""

from . import (  # noqa: F401
    accounts,
    assistance,
    casework,
    catalogue,
    cooperation,
    institutions,
    payments,
    registry,
    reports,
    rules,
)
