from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import access, audit
from .actors import Actor
from .models import AuditEntry, Job, JobStatus, User, WorkerHeartbeat
from .permissions import has_permission


def audit_for_object(*, obj: Model) -> QuerySet:
    """The history of one object. Callers fetch ``obj`` through their own scoped selector first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor", "content_type")


def audit_search(
    *,
    actor: Actor,
    text: str = "",
    actor_id: int | None = None,
    action: str = "",
    object_type: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet:
    """Search the log; ``text`` matches the object (a person's or institution's name) or the
    reason, ``object_type`` is ``app_label.model``."""
    if not has_permission(actor, access.AUDIT_SEARCH):
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.select_related("content_type")
    if object_type and "." in object_type:
        app_label, model = object_type.split(".", 1)
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model)
    if text:
        qs = qs.filter(Q(object_repr__icontains=text) | Q(reason__icontains=text))
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if action:
        qs = qs.filter(action__startswith=action)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs


def audit_object_types() -> list[tuple[str, str]]:
    """The kinds of object the log has entries for, as (``app_label.model``, verbose name)."""
    types = ContentType.objects.filter(
        pk__in=AuditEntry.objects.values("content_type_id").distinct()
    )
    choices = []
    for content_type in types:
        model = content_type.model_class()
        label = str(model._meta.verbose_name) if model else content_type.model
        choices.append((f"{content_type.app_label}.{content_type.model}", label))
    return sorted(choices, key=lambda choice: choice[1])


def audit_actors() -> QuerySet:
    return User.objects.filter(pk__in=AuditEntry.objects.values("actor_id")).order_by("username")


def recent_activity(*, actor: Actor, limit: int = 8) -> list[AuditEntry]:
    """Administrators see the latest changes anywhere; others their own."""
    qs = AuditEntry.objects.select_related("content_type")
    if not has_permission(actor, access.AUDIT_SEARCH):
        qs = qs.filter(actor=audit.acting_user(actor))
    return list(qs[:limit])


def job_list(*, actor: Actor) -> QuerySet:
    qs = Job.objects.select_related("created_by")
    if has_permission(actor, access.ALL_JOBS_VIEW):
        return qs
    user = audit.acting_user(actor)
    return qs.filter(created_by=user) if user is not None else qs.none()


def job_get(*, actor: Actor, pk: Any) -> Job:
    return get_object_or_404(job_list(actor=actor), pk=pk)


# The migration check of the health report, per process: (monotonic time, pending names).
_migrations_checked: tuple[float, list[str]] | None = None
# Recheck a pending state sooner: it ends with the deployment's migrate.
_PENDING_RECHECK_SECONDS = 5.0


def _pending_migrations() -> list[str]:
    """The migrations the code has and the database lacks, kept for
    HEALTH_MIGRATIONS_TTL_SECONDS: building the migration graph reads every migration module,
    far too much for a check a load balancer calls every few seconds, and the graph cannot
    change while the process runs."""
    global _migrations_checked
    from django.conf import settings

    now = time.monotonic()
    if _migrations_checked is not None:
        checked_at, pending = _migrations_checked
        ttl = _PENDING_RECHECK_SECONDS if pending else settings.HEALTH_MIGRATIONS_TTL_SECONDS
        if now - checked_at < ttl:
            return pending
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    _migrations_checked = (now, pending)
    return pending


def jobs_in_trouble() -> list[Job]:
    """Running jobs that are silent (no heartbeat) or stuck (no progress); see Job.trouble."""
    running = Job.objects.filter(status=JobStatus.RUNNING).only(
        "id", "kind", "status", "started_at", "heartbeat_at", "progress_at"
    )
    return [job for job in running if job.trouble]


def _unreachable() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return True
    return False


def health() -> dict[str, Any]:
    """Database reachable, migrations applied, the freshest worker heartbeat, and no running
    job silent or stuck."""
    from django.conf import settings

    report: dict[str, Any] = {"database": "ok", "migrations": "ok", "worker": "unknown"}
    # The first query is the probe of the database: no "SELECT 1" round trip while all is well.
    try:
        beat = WorkerHeartbeat.objects.order_by("-last_seen_at").first()
        troubled = jobs_in_trouble()
    except DatabaseError as exc:
        if _unreachable():
            report.update(
                database="unreachable",
                migrations="unknown",
                status="error",
                error=exc.__class__.__name__,
            )
            return report
        beat, troubled = None, []  # the tables themselves may be among the pending migrations
    pending = _pending_migrations()
    if pending:
        report["migrations"] = "pending"
        report["pending_migrations"] = pending
    if beat is not None:
        age = (timezone.now() - beat.last_seen_at).total_seconds()
        alive = age <= 3 * settings.WORKER_HEARTBEAT_SECONDS
        report["worker"] = "ok" if alive else "stale"
        report["worker_last_seen"] = beat.last_seen_at.isoformat()
    else:
        report["worker"] = "missing"
    if troubled:
        # The worker beats, but its work does not move: not "ok", whatever its heartbeat says.
        report["worker"] = "stuck"
        report["stuck_jobs"] = [str(job.pk) for job in troubled]
    if pending:
        report["status"] = "error"
    else:
        report["status"] = "ok" if report["worker"] == "ok" else "degraded"
    return report


def user_list(
    *,
    actor: Actor,
    q: str = "",
    role: str = "",
    institution_id: int | None = None,
    active: bool | None = None,
) -> QuerySet:
    if not has_permission(actor, access.USERS_MANAGE):
        return User.objects.none()
    qs = User.objects.prefetch_related("institutions")
    if q:
        qs = qs.filter(
            Q(username__icontains=q)
            | Q(last_name__icontains=q)
            | Q(first_name__icontains=q)
            | Q(email__icontains=q)
        )
    if role:
        qs = qs.filter(role=role)
    if institution_id:
        qs = qs.filter(institutions=institution_id)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def user_get(*, actor: Actor, pk: int) -> User:
    return get_object_or_404(user_list(actor=actor), pk=pk)


def api_tokens_of(*, actor: Actor, user: User) -> QuerySet:
    if not has_permission(actor, access.USERS_MANAGE):
        return user.api_tokens.none()
    return user.api_tokens.order_by("-created_at")
