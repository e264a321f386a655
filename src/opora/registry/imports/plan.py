"""What a load will do: the batch with its file checked again, the fields it maps to which
columns, whose people the actor may touch, and the decision taken once the file is checked.

Both loaders (portable.py, postgres.py) read the plan; nothing here touches the rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core.actors import Actor
from opora.core.scoping import Reach, Scope

from ..models import ImportBatch, ImportEntity, ImportMode
from . import validation as v
from .reading import FileInfo, FileRejected, inspect_file


@dataclass
class Plan:
    batch: ImportBatch
    actor: Actor
    info: FileInfo
    fields: tuple[v.Field, ...]
    # For each field of ``fields``: the index of its column in the file, or None (not mapped).
    indexes: list[int | None]
    scope: frozenset[int] | None  # institutions whose people the actor may touch; None: all
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def entity(self) -> str:
        return self.batch.entity

    @property
    def generates_keys(self) -> bool:
        return generates_keys(self.batch.entity, self.batch.mapping)

    def column(self, name: str) -> str:
        """The file's name for the column mapped to the field ``name``."""
        if name == GENERATED_KEY_FIELD and self.generates_keys:
            return str(_("(generated key)"))[:100]
        return self.batch.mapping.get(name, "")[:100]

    def mapped(self, name: str) -> bool:
        return name in self.batch.mapping or (name == GENERATED_KEY_FIELD and self.generates_keys)

    def generated_key(self, row: int) -> str:
        """A row's key when the file has none: the same file imported again gives the same
        keys, so it updates the people it added instead of adding them twice."""
        return f"G-{self.batch.sha256[:16]}-{row}"

    @property
    def mapped_fields(self) -> list[v.Field]:
        return [f for f, i in zip(self.fields, self.indexes, strict=True) if i is not None]

    def rejects(self, *, total: int, errors: int) -> bool:
        """With problems, "the whole file or nothing" stops before the load; "the valid rows"
        goes on without the rows that have problems, unless no row is left."""
        return bool(errors) and (self.batch.mode == ImportMode.ALL_OR_NOTHING or errors >= total)


# A people file may come without keys; its rows then get generated ones (one per row).
GENERATED_KEY_FIELD = "external_key"
GENERATED = -1  # the index of a generated column in Plan.indexes


def generates_keys(entity: str, mapping: dict[str, str]) -> bool:
    return entity == ImportEntity.PEOPLE and GENERATED_KEY_FIELD not in mapping


def actor_scope(actor: Actor) -> frozenset[int] | None:
    """None for the system (commands) and administrators; else the actor's institutions."""
    scope = Scope.of(actor)
    if scope.reach is Reach.ALL:
        return None
    if scope.reach is Reach.INSTITUTIONS:
        return scope.institution_ids
    return frozenset()


def make_plan(batch: ImportBatch, actor: Actor) -> Plan:
    path = Path(batch.file.path)
    info = inspect_file(path, batch.original_name)
    if info.header != list(batch.header):
        raise FileRejected("file_changed", _("The stored file no longer matches its header."))
    fields = v.fields_of(batch.entity)
    position = {name: i for i, name in enumerate(info.header)}
    indexes = [position.get(batch.mapping.get(f.name, "")) for f in fields]
    if generates_keys(batch.entity, batch.mapping):
        indexes[[f.name for f in fields].index(GENERATED_KEY_FIELD)] = GENERATED
    return Plan(
        batch=batch,
        actor=actor,
        info=info,
        fields=fields,
        indexes=indexes,
        scope=actor_scope(actor),
    )
