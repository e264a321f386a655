"""Every write of deduplication: searching, reviewing pairs, merging and unmerging records.

A merge moves every reference to the merged record — found through Django's model meta across
all installed apps, so that what later apps attach to a person moves too — to the survivor, in
one UPDATE per foreign key, and records what it moved so that an unmerge puts back exactly that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import DomainError
from opora.core.jobs import ACTIVE, Progress, job_start, no_progress
from opora.core.models import Job

from ..models import (
    CandidateStatus,
    DedupRun,
    DuplicateCandidate,
    Person,
    PersonMerge,
)
from ..names import search_key
from ..selectors import people as visible_people
from . import linkage
from .audit_actions import (
    DUPLICATE_CONFIRMED,
    DUPLICATE_QUEUED,
    DUPLICATE_REJECTED,
    PERSON_MERGED,
    PERSON_UNMERGED,
)

JOB_KIND = "registry.dedup"  # declared with its task in tasks.py; job_start finds it by name
# The match probabilities are calibrated (of the pairs scored 0.8 to 0.9, most are
# duplicates), and every pair goes to a person's review: at 0.8 the search finds the pairs
# whose only evidence is a shared name and district with a date missing on one side, which 0.9
# left out, while precision stays above 0.98 on both synthetic generators (docs/registry.md §7).
DEFAULT_THRESHOLD = 0.8

# --- Searching --------------------------------------------------------------------------------


def _checked_threshold(threshold: float) -> float:
    try:
        value = float(threshold)
    except (TypeError, ValueError):
        value = -1.0
    if not 0.5 <= value < 1:
        raise DomainError(
            "invalid_threshold",
            _("The threshold is a match probability from 0.5 to below 1."),
            details={"threshold": [_("Enter a number from 0.5 to 0.999.")]},
        )
    return value


@transaction.atomic
def dedup_start(*, actor: Actor, threshold: float = DEFAULT_THRESHOLD) -> DedupRun:
    """Queue a search of the whole registry; one at a time (the job kind is exclusive)."""
    run = DedupRun.objects.create(
        created_by=audit.acting_user(actor),
        threshold=_checked_threshold(threshold),
    )
    job = job_start(actor=actor, kind=JOB_KIND, params={"run": run.pk})
    run.job = job
    run.save(update_fields=["job"])
    return run


def dedup_execute(
    *,
    run: DedupRun,
    actor: Actor,
    progress: Progress = no_progress,
    train: bool | None = None,
    truth: Path | None = None,
) -> dict[str, Any]:
    """Run the search of ``run`` here and now (from its task, or from the command line)."""
    return linkage.run_dedup(run=run, actor=actor, progress=progress, train=train, truth=truth)


def dedup_run_here(
    *,
    actor: Actor,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Progress = no_progress,
    train: bool | None = None,
    truth: Path | None = None,
) -> dict[str, Any]:
    """A search in this process (the command line), refused while a queued one runs."""
    threshold = _checked_threshold(threshold)
    running = Job.objects.filter(kind=JOB_KIND, status__in=ACTIVE).first()
    if running is not None:
        raise DomainError(
            "job_already_running",
            _("This job is already running; follow its progress instead."),
            details={"job": [str(running.pk)]},
            status=409,
        )
    run = DedupRun.objects.create(
        created_by=audit.acting_user(actor),
        threshold=threshold,
    )
    return dedup_execute(run=run, actor=actor, progress=progress, train=train, truth=truth)


# --- Queueing a pair found elsewhere ---------------------------------------------------------


@transaction.atomic
def candidate_queue(
    *, actor: Actor, person_a: Person, person_b: Person, reason: str
) -> DuplicateCandidate:
    """Put two records on the review queue outside a search, for ``reason`` (an import that
    met two rows with one SNILS, a worker who noticed them). The pair keeps its place when a
    later search does not find it; a pair already waiting or decided is returned as it is."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "reason_required",
            _("Say why these records may be the same person."),
            details={"reason": [_("This field is required.")]},
        )
    if person_a.pk == person_b.pk:
        raise DomainError("pair_same", _("A record cannot be a duplicate of itself."))
    low, high = sorted((person_a.pk, person_b.pk))
    pair = {p.pk: p for p in visible_people(actor=actor).filter(pk__in=(low, high))}
    if len(pair) != 2:
        raise DomainError("not_found", _("One of the records does not exist."), status=404)
    existing = (
        # A rejected pair counts too: a reviewer said they are two people, and a file imported
        # again must not reopen that.
        DuplicateCandidate.objects.filter(person_a_id=low, person_b_id=high)
        .order_by("-run__created_at")
        .first()
    )
    if existing is not None:
        return existing
    run = DedupRun.objects.create(
        created_by=audit.acting_user(actor),
        finished_at=timezone.now(),
        threshold=1.0,
        people=2,
        candidates=1,
        clusters=1,
        seconds=0,
        params={"source": linkage.QUEUED, "reason": reason[:300]},
    )
    candidate = DuplicateCandidate(
        run=run, person_a=pair[low], person_b=pair[high], probability=1.0, cluster=low
    )
    candidate.full_clean()
    candidate.save()
    _record_on_both(actor, DUPLICATE_QUEUED, candidate, reason=reason)
    return candidate


# --- Reviewing pairs --------------------------------------------------------------------------


def _locked_candidate(candidate: DuplicateCandidate) -> DuplicateCandidate:
    return (
        DuplicateCandidate.objects.select_for_update()
        .select_related("person_a", "person_b")
        .get(pk=candidate.pk)
    )


def _both_live(candidate: DuplicateCandidate) -> None:
    if candidate.person_a.merged_into_id or candidate.person_b.merged_into_id:
        raise DomainError(
            "person_merged",
            _("One of these records has been merged into another one since."),
            status=409,
        )


def _record_on_both(
    actor: Actor, action: str, candidate: DuplicateCandidate, reason: str = "", **data: Any
) -> None:
    pair = (candidate.person_a, candidate.person_b)
    for person, other in (pair, pair[::-1]):
        audit.record(
            actor=actor,
            action=action,
            obj=person,
            reason=reason,
            data={
                "other": str(other),
                "other_id": other.pk,
                "candidate": candidate.pk,
                "probability": round(candidate.probability, 4),
                **data,
            },
        )


@transaction.atomic
def candidate_confirm(*, actor: Actor, candidate: DuplicateCandidate) -> DuplicateCandidate:
    """The two records are the same person; merging them is a separate step."""
    candidate = _locked_candidate(candidate)
    if candidate.status == CandidateStatus.MERGED:
        raise DomainError("candidate_merged", _("These records are already merged."), status=409)
    if candidate.status == CandidateStatus.CONFIRMED:
        return candidate
    _both_live(candidate)
    before = candidate.status
    candidate.status = CandidateStatus.CONFIRMED
    candidate.reviewed_by = audit.acting_user(actor)
    candidate.reviewed_at = timezone.now()
    candidate.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    _record_on_both(actor, DUPLICATE_CONFIRMED, candidate, before=before)
    return candidate


@transaction.atomic
def candidate_reject(
    *, actor: Actor, candidate: DuplicateCandidate, reason: str
) -> DuplicateCandidate:
    """The two records are different people: a later search does not ask again."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "reason_required",
            _("Say why these records are different people."),
            details={"reason": [_("This field is required.")]},
        )
    candidate = _locked_candidate(candidate)
    if candidate.status == CandidateStatus.MERGED:
        raise DomainError("candidate_merged", _("These records are already merged."), status=409)
    before = candidate.status
    candidate.status = CandidateStatus.REJECTED
    candidate.reviewed_by = audit.acting_user(actor)
    candidate.reviewed_at = timezone.now()
    candidate.rejection_reason = reason[:300]
    candidate.save(update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason"])
    _record_on_both(actor, DUPLICATE_REJECTED, candidate, reason=reason, before=before)
    return candidate


# --- What refers to a person ------------------------------------------------------------------

# References that stay where they are, and why:
NOT_MOVED = {
    # A merged record's redirect: a chain (B into A, later A into C) is followed by
    # resolve_redirect(), and undoing one merge leaves the others as they are.
    ("registry.person", "merged_into"): "redirect",
    # A pair the search found is about those two records (and must stay ordered a < b).
    ("registry.duplicatecandidate", "person_a"): "pair",
    ("registry.duplicatecandidate", "person_b"): "pair",
    # The history of merges itself.
    ("registry.personmerge", "survivor"): "history",
    ("registry.personmerge", "merged"): "history",
    # What the intake check saw and why the record was registered anyway: evidence about those
    # two records as they were (moving it could even pair a record with itself).
    ("registry.intakeoverride", "person"): "evidence",
    ("registry.intakeoverride", "matched"): "evidence",
}

# Uniqueness the database does not enforce but a merge must respect: one current membership of
# a person in a household. The merged record keeps its own (the survivor is already there).
EXTRA_UNIQUE: dict[tuple[str, str], list[tuple[tuple[str, ...], Q | None]]] = {
    ("registry.householdmember", "person"): [(("household", "person"), Q(left_on__isnull=True))],
}


@dataclass(frozen=True)
class PersonReference:
    model: type[models.Model]
    field: models.Field

    @property
    def model_label(self) -> str:
        return self.model._meta.label_lower

    @property
    def key(self) -> tuple[str, str]:
        return (self.model_label, self.field.name)

    def unique_sets(self) -> list[tuple[tuple[str, ...], Q | None]]:
        """Field sets, including this one, that are unique together (with a condition)."""
        meta = self.model._meta
        names = {self.field.name, self.field.attname}
        sets: list[tuple[tuple[str, ...], Q | None]] = []
        if self.field.unique:
            sets.append(((self.field.name,), None))
        for together in meta.unique_together:
            if names & set(together):
                sets.append((tuple(together), None))
        for constraint in meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and names & set(constraint.fields):
                sets.append((tuple(constraint.fields), constraint.condition))
        sets.extend(EXTRA_UNIQUE.get(self.key, []))
        return sets


def person_references(*, include_not_moved: bool = False) -> list[PersonReference]:
    """Every foreign key (and one-to-one, and many-to-many table) of every installed app that
    points at Person, hidden ones (``related_name="+"``) included."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        for field in meta.local_concrete_fields:
            if not field.is_relation or field.related_model is not Person:
                continue
            if getattr(field.remote_field, "parent_link", False):
                continue
            reference = PersonReference(model, field)
            if include_not_moved or reference.key not in NOT_MOVED:
                found.append(reference)
    return found


def _jsonable_pks(values: Iterable[Any]) -> list[Any]:
    return [audit.to_jsonable(v) for v in values]


def _move_references(survivor: Person, merged: Person) -> list[dict[str, Any]]:
    """One UPDATE per reference; rows that would break a uniqueness the survivor already
    holds (the same institution, the same month's income) stay with the merged record."""
    moved = []
    for reference in person_references():
        manager = reference.model._base_manager
        column = reference.field.attname
        mine = manager.filter(**{column: merged.pk})
        if not mine.exists():
            continue
        kept: set[Any] = set()
        for names, condition in reference.unique_sets():
            theirs = manager.filter(**{column: survivor.pk})
            candidates = mine
            if condition is not None:
                theirs, candidates = theirs.filter(condition), candidates.filter(condition)
            fields: list[Any] = [reference.model._meta.get_field(n) for n in names]
            same = {f.attname: OuterRef(f.attname) for f in fields if f != reference.field}
            kept.update(
                candidates.filter(Exists(theirs.filter(**same))).values_list("pk", flat=True)
            )
        moving = mine.exclude(pk__in=kept)
        pks = list(moving.values_list("pk", flat=True))
        if pks:
            moving.update(**{column: survivor.pk})
        moved.append(
            {
                "model": reference.model_label,
                "field": reference.field.name,
                "pks": _jsonable_pks(sorted(pks)),
                "kept": _jsonable_pks(sorted(kept)),
            }
        )
    return moved


# The survivor's empty fields taken from the merged record. SNILS is unique: it moves (the
# merged record gives it up). The external key stays: it names the other system's record.
FILL_FIELDS = (
    "patronymic",
    "last_name_latin",
    "first_name_latin",
    "patronymic_latin",
    "birth_date",
    "snils",
    "phone",
    "email",
    "preferred_language",
    "death_date",
    "consent_date",
    "consent_scope",
)
NAME_FIELDS = ("last_name", "first_name", "patronymic")


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _empty_value(name: str) -> Any:
    return None if Person._meta.get_field(name).null else ""


def _lock_people(*people: Person) -> dict[int, Person]:
    """Both rows locked, in key order so that two merges never wait on each other."""
    pks = sorted({p.pk for p in people})
    return {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=pks).order_by("pk")}


def _pair_rows(survivor: Person, merged: Person):
    a, b = sorted((survivor.pk, merged.pk))
    return DuplicateCandidate.objects.filter(person_a_id=a, person_b_id=b)


@transaction.atomic
def person_merge(
    *,
    actor: Actor,
    survivor: Person,
    merged: Person,
    candidate: DuplicateCandidate | None = None,
    reason: str = "",
) -> PersonMerge:
    """Merge ``merged`` into ``survivor``; ``merged`` stays as a redirect to it."""
    if survivor.pk == merged.pk:
        raise DomainError("merge_same", _("A record cannot be merged into itself."))
    locked = _lock_people(survivor, merged)
    if len(locked) != 2:
        raise DomainError("not_found", _("One of the records does not exist."), status=404)
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    if merged.merged_into_id:
        raise DomainError(
            "already_merged",
            _("%(name)s has already been merged into another record.") % {"name": merged},
            status=409,
        )
    if survivor.merged_into_id:
        raise DomainError(
            "survivor_merged",
            _("%(name)s has been merged into another record: merge into that one.")
            % {"name": survivor},
            status=409,
        )
    if candidate is not None:
        candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
        if {candidate.person_a_id, candidate.person_b_id} != {survivor.pk, merged.pk}:
            raise DomainError("candidate_mismatch", _("This pair is about other records."))
        if candidate.status == CandidateStatus.MERGED:
            raise DomainError(
                "candidate_merged", _("These records are already merged."), status=409
            )

    try:
        with transaction.atomic():
            moved = _move_references(survivor, merged)
    except IntegrityError as exc:
        raise DomainError(
            "merge_conflict",
            _("The records cannot be merged: %(problem)s") % {"problem": exc},
            status=409,
        ) from exc

    # The pair's rows in the review queue (of every run) are done with.
    now = timezone.now()
    reviewer = audit.acting_user(actor)
    rows = _pair_rows(survivor, merged).exclude(status=CandidateStatus.MERGED)
    statuses = {
        str(pk): [status, reviewed_by, audit.to_jsonable(reviewed_at)]
        for pk, status, reviewed_by, reviewed_at in rows.values_list(
            "pk", "status", "reviewed_by_id", "reviewed_at"
        )
    }
    rows.update(status=CandidateStatus.MERGED, reviewed_by=reviewer, reviewed_at=now)
    moved.append(
        {
            "model": "registry.duplicatecandidate",
            "field": "status",
            "pks": [],
            "kept": [],
            "statuses": statuses,
        }
    )

    filled: dict[str, Any] = {}
    before = audit.snapshot(survivor, FILL_FIELDS)
    for name in FILL_FIELDS:
        if _empty(getattr(survivor, name)) and not _empty(getattr(merged, name)):
            filled[name] = getattr(merged, name)
    merged_fields = ["merged_into", "updated_at"]
    if "snils" in filled:
        # SNILS is unique: the merged record gives it up first.
        Person.objects.filter(pk=merged.pk).update(snils=None)
        merged.snils = None
        merged_fields.append("snils")
    if filled:
        for name, value in filled.items():
            setattr(survivor, name, value)
        survivor.search_key = search_key(*(getattr(survivor, n) for n in NAME_FIELDS))
        survivor.save(update_fields=[*filled, "search_key", "updated_at"])
    merged.merged_into = survivor
    merged.save(update_fields=merged_fields)

    record = PersonMerge.objects.create(
        survivor=survivor,
        merged=merged,
        candidate=candidate,
        merged_by=reviewer,
        moved=moved,
        filled=audit.to_jsonable(filled),
        reason=(reason or "").strip(),
    )
    data = {
        "survivor": str(survivor),
        "survivor_id": survivor.pk,
        "merged": f"{merged} (#{merged.pk})",
        "merged_id": merged.pk,
        "merge": record.pk,
        "moved": sum(len(entry["pks"]) for entry in moved),
    }
    changes = audit.diff(before, audit.snapshot(survivor, FILL_FIELDS))
    audit.record(
        actor=actor,
        action=PERSON_MERGED,
        obj=survivor,
        changes=changes,
        reason=record.reason,
        data=data,
    )
    audit.record(
        actor=actor,
        action=PERSON_MERGED,
        obj=merged,
        changes={"merged_into": [None, survivor.pk]},
        reason=record.reason,
        data=data,
    )
    return record


@transaction.atomic
def person_unmerge(*, actor: Actor, merge: PersonMerge, reason: str) -> PersonMerge:
    """Undo a merge: what it moved goes back, what it filled is emptied, the redirect goes."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "reason_required",
            _("Say why the merge is undone."),
            details={"reason": [_("This field is required.")]},
        )
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise DomainError("merge_undone", _("This merge has already been undone."), status=409)
    locked = _lock_people(merge.survivor, merge.merged)
    survivor, merged = locked[merge.survivor_id], locked[merge.merged_id]
    if survivor.merged_into_id:
        raise DomainError(
            "survivor_merged",
            _("%(name)s has since been merged into another record: undo that merge first.")
            % {"name": survivor},
            status=409,
        )
    if merged.merged_into_id != survivor.pk:
        raise DomainError(
            "merge_changed", _("The merged record no longer points to the survivor."), status=409
        )

    try:
        with transaction.atomic():
            for entry in merge.moved:
                if entry["model"] == "registry.duplicatecandidate" and entry["field"] == "status":
                    _restore_statuses(entry.get("statuses", {}))
                    continue
                model = apps.get_model(entry["model"])
                column = model._meta.get_field(entry["field"]).attname
                pks = entry["pks"]
                for start in range(0, len(pks), 1000):
                    model._base_manager.filter(
                        pk__in=pks[start : start + 1000], **{column: survivor.pk}
                    ).update(**{column: merged.pk})
    except (IntegrityError, LookupError) as exc:
        raise DomainError(
            "unmerge_conflict",
            _("The merge cannot be undone: %(problem)s") % {"problem": exc},
            status=409,
        ) from exc

    before = audit.snapshot(survivor, FILL_FIELDS)
    emptied = []
    for name, value in (merge.filled or {}).items():
        if audit.to_jsonable(getattr(survivor, name)) == value:
            setattr(survivor, name, _empty_value(name))
            emptied.append(name)
    if emptied:
        survivor.search_key = search_key(*(getattr(survivor, n) for n in NAME_FIELDS))
        survivor.save(update_fields=[*emptied, "search_key", "updated_at"])
    merged_fields = ["merged_into", "updated_at"]
    snils = (merge.filled or {}).get("snils")
    if snils and "snils" in emptied and not Person.objects.filter(snils=snils).exists():
        merged.snils = snils
        merged_fields.append("snils")
    merged.merged_into = None
    merged.save(update_fields=merged_fields)

    merge.undone_at = timezone.now()
    merge.undone_by = audit.acting_user(actor)
    merge.save(update_fields=["undone_at", "undone_by"])
    data = {
        "survivor": str(survivor),
        "survivor_id": survivor.pk,
        "merged": f"{merged} (#{merged.pk})",
        "merged_id": merged.pk,
        "merge": merge.pk,
    }
    changes = audit.diff(before, audit.snapshot(survivor, FILL_FIELDS))
    audit.record(
        actor=actor, action=PERSON_UNMERGED, obj=survivor, changes=changes, reason=reason, data=data
    )
    audit.record(
        actor=actor,
        action=PERSON_UNMERGED,
        obj=merged,
        changes={"merged_into": [survivor.pk, None]},
        reason=reason,
        data=data,
    )
    return merge


def _restore_statuses(statuses: dict[str, list[Any]]) -> None:
    for pk, (status, reviewed_by, reviewed_at) in statuses.items():
        DuplicateCandidate.objects.filter(pk=int(pk), status=CandidateStatus.MERGED).update(
            status=status,
            reviewed_by_id=reviewed_by,
            reviewed_at=dt.datetime.fromisoformat(reviewed_at) if reviewed_at else None,
        )
