"""The kinds of background job, declared by the apps' task modules.

Apart from ``jobs`` so that the audit sentences about jobs can name a kind without importing
the module that writes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class JobKind:
    code: str
    label: Any
    task: Any  # a django_tasks Task taking job_id
    exclusive: bool = False  # at most one job of this kind at a time


_KINDS: dict[str, JobKind] = {}


def declare_job_kind(code: str, label: Any, task: Any, *, exclusive: bool = False) -> JobKind:
    kind = JobKind(code=code, label=label, task=task, exclusive=exclusive)
    _KINDS[code] = kind
    return kind


def job_kind(code: str) -> JobKind | None:
    return _KINDS.get(code)


def kind_label(code: str) -> str:
    kind = _KINDS.get(code)
    return str(kind.label) if kind else code
