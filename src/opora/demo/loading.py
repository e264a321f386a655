"""The demo data entry point. The steps live in ``opora.demo.steps``, one module per app; every
step writes through the owning app's services and is idempotent, so loading twice changes
nothing."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from opora.core.actors import SYSTEM, Actor
from opora.core.audit import current_source
from opora.core.errors import DomainError
from opora.core.jobs import Progress, no_progress


@dataclass
class DemoContext:
    actor: Actor = SYSTEM
    seed: int = 2026
    progress: Progress = no_progress
    log: Callable[[str], None] = lambda message: None
    rng: random.Random = field(init=False)
    # Steps leave what later steps need here (e.g. the demo accounts and their passwords).
    shared: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)


@dataclass(frozen=True)
class DemoStep:
    name: str
    label: str
    run: Callable[[DemoContext], None]
    order: int


_STEPS: dict[str, DemoStep] = {}


def step(name: str, label: str, order: int) -> Callable:
    def decorator(func: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        _STEPS[name] = DemoStep(name=name, label=label, run=func, order=order)
        return func

    return decorator


def steps() -> list[DemoStep]:
    import_module("opora.demo.steps")
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))


def ensure_allowed() -> None:
    if settings.PRODUCTION:
        raise DomainError(
            "demo_in_production", _("Demo data is never loaded into a production database.")
        )


def load(context: DemoContext) -> dict[str, Any]:
    """Run every registered step in order; progress counts steps.

    Refused in production: the demo accounts have published passwords.
    """
    ensure_allowed()
    token = current_source.set("demo")
    try:
        all_steps = steps()
        for index, demo_step in enumerate(all_steps):
            context.progress(index, len(all_steps), demo_step.label)
            context.log(demo_step.label)
            demo_step.run(context)
        context.progress(len(all_steps), len(all_steps), "")
    finally:
        current_source.reset(token)
    return {"steps": [s.name for s in all_steps], "accounts": context.shared.get("accounts", [])}
