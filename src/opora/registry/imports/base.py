"""What both loaders share: the interface the driver (loader.py) runs them through, the
progress bar's phases, the problems found, the counts of a load, and the audit of renames.

Phases (the progress bar's share of each in brackets): read and stage (0–50 %), check
(50–65 %), load (65–100 %); loader.py says what each does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.jobs import Progress

from .. import audit_actions as registry_actions
from ..dedup.services import candidate_queue
from ..models import ImportBatch, ImportIssue, Person
from . import validation as v
from .plan import Plan
from .reading import Position

READ_SHARE, CHECK_SHARE = 500, 650  # of 1000: reading ends at 50 %, checking at 65 %


class Loader(Protocol):
    """A way to stage, check and load one plan's rows (portable.py, postgres.py)."""

    name: str

    def __init__(self, plan: Plan, issues: Issues, reporter: Reporter) -> None: ...

    def stage(self, rows: Iterable[tuple[int, list]], position: Position) -> int:
        """Take the rows in; the number taken."""

    def validate(self) -> None:
        """Run every rule; each problem goes to the issues."""

    def error_rows(self) -> int:
        """How many rows have at least one problem."""

    def load(self) -> Counts:
        """Write the rows without problems (inside the caller's transaction)."""

    def close(self) -> None:
        """Remove what staging left behind."""


# --- Progress ---------------------------------------------------------------------------------


class Reporter:
    """Progress in thousandths, and a context for the load transaction that progress sinks
    which write to the database can follow (``transaction_started`` / ``transaction_ended``)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def __call__(self, permille: float, message: str) -> None:
        self.progress(int(min(1000, max(0, permille))), 1000, message)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        started = getattr(self.progress, "transaction_started", None)
        ended = getattr(self.progress, "transaction_ended", None)
        try:
            with transaction.atomic():
                if started:
                    started()
                yield
        finally:
            if ended:
                ended()  # after the commit (or the rollback)


def count_text(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


# --- Problems ---------------------------------------------------------------------------------


class Issues:
    """Problems, written in bulk as they are found (committed at once: outside the load)."""

    def __init__(self, batch: ImportBatch) -> None:
        self.batch_id = batch.pk
        self.buffer: list[ImportIssue] = []
        self.listeners: list[Any] = []
        self.count = 0
        self.holding = False

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Problems are kept in memory meanwhile (the database connection is busy: a COPY)."""
        self.holding = True
        try:
            yield
        finally:
            self.holding = False

    def add(
        self, row: int, column: str, value: str | None, message: str, *, warning: bool = False
    ) -> None:
        self.buffer.append(
            ImportIssue(
                batch_id=self.batch_id,
                row=row,
                column=(column or "")[:100],
                value=(value or "")[: v.ISSUE_TEXT],
                message=message[: v.ISSUE_TEXT],
                warning=warning,
            )
        )
        if len(self.buffer) >= 2000 and not self.holding:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        ImportIssue.objects.bulk_create(self.buffer, batch_size=2000)
        self.count += len(self.buffer)
        rows = {issue.row for issue in self.buffer if not issue.warning}  # a warning keeps them
        self.buffer = []
        for listener in self.listeners:
            listener(rows)


@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    extra: dict[str, int] = field(default_factory=dict)


# --- Renames --------------------------------------------------------------------------------


def rename_reason(batch: ImportBatch) -> str:
    return (_("Import of %(file)s") % {"file": batch.original_name})[:200]


def audit_renames(plan: Plan, renamed: list[tuple[Person, tuple[str, str, str]]]) -> None:
    """Renames are audited one by one, as person_update does (with the former name kept)."""
    changes = {
        person.pk: audit.diff(
            dict(zip(v.NAME_FIELDS, was, strict=True)),
            {n: getattr(person, n) for n in v.NAME_FIELDS},
        )
        for person, was in renamed
    }
    audit.record_many(
        actor=plan.actor,
        action=registry_actions.PERSON_RENAMED,
        objects=[p for p, _was in renamed],
        changes_by_pk=changes,
        data={"batch": plan.batch.pk},
        reason=rename_reason(plan.batch),
    )


# --- Rows of one file sharing a SNILS -----------------------------------------------------------


@dataclass(frozen=True)
class SharedSnils:
    """A row loaded without its SNILS because the record of ``keeper_key`` keeps it: the first
    valid row of the file with that SNILS (``keeper_row``), or the record that already holds it
    in the registry when its key is in the file too."""

    row: int
    key: str
    snils: str  # the digits, as they would have been stored
    value: str  # the cell as written, kept in the warning
    keeper_key: str
    keeper_row: int


def queue_shared_snils(plan: Plan, shared: list[SharedSnils], counts: Counts) -> None:
    """Put each pair (the keeper's record, the row's record) on the review queue, once the rows
    are written, and count the rows in the batch's audit entry. A loop over the rows that share
    a SNILS only (they are few); candidate_queue returns a pair already waiting, so running the
    same file again queues nothing twice."""
    if not shared:
        return
    counts.extra["loaded_without_snils"] = len(shared)
    keys = {s.key for s in shared} | {s.keeper_key for s in shared}
    people = {p.external_key: p for p in Person.objects.filter(external_key__in=keys)}
    for item in shared:
        candidate_queue(
            actor=plan.actor,
            person_a=people[item.keeper_key],
            person_b=people[item.key],
            reason=v.m_snils_shared_reason(plan.batch.pk, item.keeper_row, item.row, item.snils),
        )
