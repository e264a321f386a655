"""The kinds of background job, declared by the apps' task modules.

Apart from ``jobs`` so that the audit sentences about jobs can name a kind without importing
the module that writes them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Job


@dataclass(frozen=True)
class JobKind:
    code: str
    label: Any
    task: Any  # a django_tasks Task taking job_id
    exclusive: bool = False  # at most one job of this kind at a time
    # Called inside the failing transaction whenever a job of this kind is marked failed from
    # outside its work (``job_abandon``, the reclaim of a job whose worker died), so the kind
    # can put what the work left half-done (an import's batch) into a restartable state.
    on_failure: Callable[[Job], None] | None = None


_KINDS: dict[str, JobKind] = {}


def declare_job_kind(
    code: str,
    label: Any,
    task: Any,
    *,
    exclusive: bool = False,
    on_failure: Callable[[Job], None] | None = None,
) -> JobKind:
    kind = JobKind(code=code, label=label, task=task, exclusive=exclusive, on_failure=on_failure)
    _KINDS[code] = kind
    return kind


def job_kind(code: str) -> JobKind | None:
    return _KINDS.get(code)


def kind_label(code: str) -> str:
    kind = _KINDS.get(code)
    return str(kind.label) if kind else code
