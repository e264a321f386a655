from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .roles import Role


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ExampleMark(models.Model):
    """What the demo made up, marked in the data itself: the source documents give a fact (a
    visit in July 2019) but not every detail a page shows (the day's hours, a centre's name).

    ``is_example`` is shown as an "example" badge on the object's page and in the API;
    ``example_note`` says what was made up ("the hours of the stops are examples"). Records
    entered by people leave both empty."""

    is_example = models.BooleanField(_("example"), default=False)
    example_note = models.CharField(_("what is an example"), max_length=300, blank=True)

    class Meta:
        abstract = True


class BilingualName:
    """A ``name`` in Russian and a ``name_en``: the English one for readers of other languages
    when it exists (partners read these names too)."""

    name: str
    name_en: str

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() != "ru" and self.name_en else self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    institutions = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("institutions"),
        related_name="members",
        blank=True,
    )
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    # The version for the visually impaired, remembered per account (see core/accessibility.py).
    accessibility = models.JSONField(_("accessibility settings"), default=dict, blank=True)
    is_service_account = models.BooleanField(_("service account"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        parts = [self.last_name, self.first_name, self.patronymic]
        name = " ".join(p for p in parts if p)
        return name or self.username


class AuditEntry(models.Model):
    """One change to one object, written by the service that made it, in its transaction."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=100)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(_("source"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_idx"),
            models.Index(fields=["action", "-at"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class ApiToken(models.Model):
    """A bearer token for a service account. Only a hash is stored; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("purpose"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A long piece of work run by the task worker, with the progress the UI shows."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=100)
    params = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    # Jobs sharing a key never run at the same time (empty: no such limit).
    exclusive_key = models.CharField(max_length=200, blank=True)
    # Touched by the running job's own heartbeat thread: a running job whose heartbeat is old
    # lost its worker and is reclaimed (jobs.jobs_reclaim).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # When done, total or message last changed: a job that beats but does not move is stuck.
    progress_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=255, blank=True)  # host and process that runs it

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["exclusive_key"],
                condition=models.Q(status__in=["queued", "running"]) & ~models.Q(exclusive_key=""),
                name="core_job_one_active_per_key",
            ),
        ]
        indexes = [
            # The health check and the reclaim read the running jobs on every call.
            models.Index(
                fields=["status"], condition=models.Q(status="running"), name="core_job_running"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}

    @property
    def trouble(self) -> str:
        """What is wrong with a running job: ``silent`` (no heartbeat: its worker is gone or
        blocked; the reclaim will fail it), ``stuck`` (it beats but reports no progress), or
        nothing."""
        if self.status != JobStatus.RUNNING:
            return ""
        now = timezone.now()
        beat = self.heartbeat_at or self.started_at
        if beat and (now - beat).total_seconds() > settings.JOB_RECLAIM_AFTER_SECONDS:
            return "silent"
        moved = self.progress_at or self.started_at
        if moved and (now - moved).total_seconds() > settings.JOB_STUCK_AFTER_SECONDS:
            return "stuck"
        return ""


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    backend = models.CharField(max_length=100)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id}@{self.hostname}"
