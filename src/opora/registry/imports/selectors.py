"""Every read of registry imports a page, endpoint or command needs, scoped to the actor.

An actor sees the imports she started and those for her institutions; administrators see all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.db.models import Q, QuerySet
from django.http import Http404

from opora.core.actors import Actor
from opora.core.permissions import has_permission
from opora.institutions.models import Institution

from ..access import IMPORT
from ..models import ImportBatch, ImportIssue
from .conf import limit
from .plan import actor_scope
from .reading import FileRejected, Row, inspect_file, preview


def batches(*, actor: Actor) -> QuerySet:
    qs = ImportBatch.objects.select_related("created_by", "institution", "job")
    if not has_permission(actor, IMPORT):
        return qs.none()
    scope = actor_scope(actor)
    if scope is None:
        return qs
    return qs.filter(Q(created_by=actor) | Q(institution_id__in=scope))


def batch_get(*, actor: Actor, pk: int) -> ImportBatch:
    batch = batches(actor=actor).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


def batch_issues(*, batch: ImportBatch) -> QuerySet:
    """The problems of a batch the caller already fetched through ``batch_get``."""
    return ImportIssue.objects.filter(batch=batch)


def issue_rows(*, batch: ImportBatch) -> Iterator[tuple[int, str, str, str]]:
    """(row, column, value, message) in the file's order, streamed."""
    return (
        ImportIssue.objects.filter(batch=batch)
        .order_by("row", "id")
        .values_list("row", "column", "value", "message")
        .iterator(chunk_size=5000)
    )


def batch_preview(*, batch: ImportBatch) -> tuple[list[str], list[Row], str]:
    """The header and the first rows of the stored file, and a message if it cannot be read."""
    try:
        info = inspect_file(Path(batch.file.path), batch.original_name)
        return list(batch.header), preview(Path(batch.file.path), info, limit("PREVIEW_ROWS")), ""
    except (FileRejected, OSError) as exc:
        return list(batch.header), [], str(getattr(exc, "message", exc))


def institutions_for_import(*, actor: Actor) -> QuerySet:
    """The institutions the actor may import people for."""
    qs = Institution.objects.order_by("name")
    scope = actor_scope(actor)
    return qs if scope is None else qs.filter(pk__in=scope)
