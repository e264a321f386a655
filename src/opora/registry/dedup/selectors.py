"""Every read of deduplication, scoped to the actor.

Administrators see every pair; an institution's staff see a pair only when both records are
in their scope (a pair half outside it would show a stranger's record)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from opora.core.actors import Actor

from ..models import CandidateStatus, DedupRun, DuplicateCandidate, Person, PersonMerge
from ..selectors import people
from . import services
from .linkage import searches
from .services import person_references

PAIR_FIELDS = (
    "last_name",
    "first_name",
    "patronymic",
    "birth_date",
    "sex",
    "snils",
    "phone",
    "email",
    "death_date",
    "external_key",
)


def runs(*, actor: Actor) -> QuerySet:
    """The searches; the runs that only hold a pair queued outside a search are not among
    them."""
    return DedupRun.objects.select_related("created_by", "job").filter(searches())


def run_get(*, actor: Actor, pk: int) -> DedupRun:
    run = DedupRun.objects.select_related("created_by", "job").filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def _visible(actor: Actor) -> QuerySet:
    return people(actor=actor, include_merged=True).values("pk")


def candidates(
    *,
    actor: Actor,
    status: str = "",
    min_probability: float | None = None,
    run: int | None = None,
) -> QuerySet:
    """Pairs in the actor's scope. A pair one of whose records was merged away since (into a
    third record) is left out, except the merged pairs themselves."""
    visible = _visible(actor)
    qs = DuplicateCandidate.objects.filter(person_a__in=visible, person_b__in=visible)
    live = Q(person_a__merged_into__isnull=True, person_b__merged_into__isnull=True)
    qs = qs.filter(live | Q(status=CandidateStatus.MERGED))
    if status:
        qs = qs.filter(status=status)
    if min_probability is not None:
        qs = qs.filter(probability__gte=min_probability)
    if run:
        qs = qs.filter(run_id=run)
    return qs.select_related("person_a", "person_b", "reviewed_by", "run")


def candidate_get(*, actor: Actor, pk: int) -> DuplicateCandidate:
    visible = _visible(actor)
    candidate = (
        DuplicateCandidate.objects.filter(pk=pk, person_a__in=visible, person_b__in=visible)
        .select_related("person_a", "person_b", "reviewed_by", "run")
        .first()
    )
    if candidate is None:
        raise Http404
    return candidate


def pair_rows(candidate: DuplicateCandidate) -> list[dict[str, Any]]:
    """The two records side by side, field by field, with differences marked."""
    rows = []
    a, b = candidate.person_a, candidate.person_b
    for name in PAIR_FIELDS:
        field: Any = Person._meta.get_field(name)
        left, right = getattr(a, name), getattr(b, name)
        if field.choices:
            left = dict(field.flatchoices).get(left, left)
            right = dict(field.flatchoices).get(right, right)
        empty = (None, "")
        rows.append(
            {
                "name": name,
                "label": field.verbose_name,
                "a": left,
                "b": right,
                # The other system's key differs by nature: shown, not marked.
                "differs": name != "external_key"
                and left != right
                and not (left in empty and right in empty),
                "one_missing": (left in empty) != (right in empty),
            }
        )
    return rows


def likely_survivor(candidate: DuplicateCandidate) -> Person:
    """The record to keep by default: the one with more filled in and more linked to it."""

    def richness(person: Person) -> tuple[int, int, int]:
        filled = sum(1 for name in services.FILL_FIELDS if getattr(person, name) not in ("", None))
        linked = sum(item["count"] for item in reference_counts(person))
        return (linked, filled, -person.pk)

    return max((candidate.person_a, candidate.person_b), key=richness)


def reference_counts(person: Person) -> list[dict[str, Any]]:
    """What refers to the record, by kind: what a merge would move."""
    counts = []
    for reference in person_references():
        count = reference.model._base_manager.filter(**{reference.field.attname: person.pk}).count()
        if count:
            counts.append({"label": reference.model._meta.verbose_name_plural, "count": count})
    return counts


def merges(*, actor: Actor) -> QuerySet:
    """Merges whose survivor is in the actor's scope."""
    visible = _visible(actor)
    return PersonMerge.objects.filter(survivor__in=visible).select_related(
        "survivor", "merged", "merged_by", "undone_by"
    )


def merge_get(*, actor: Actor, pk: int) -> PersonMerge:
    merge = merges(actor=actor).filter(pk=pk).first()
    if merge is None:
        raise Http404
    return merge


def queue_counts(*, actor: Actor) -> dict[str, int]:
    qs = candidates(actor=actor).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in qs}
