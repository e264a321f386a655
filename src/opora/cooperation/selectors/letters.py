"""Reads of correspondence: the register of letters with its filters, one letter with its
versions (the original first), the discrepancies still open and the replies to a letter."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from ..models import Direction, Letter, LetterDiscrepancy, LetterStatus, LetterVersion

__all__ = [
    "discrepancy_detail",
    "letter_get",
    "letter_list",
    "letters_awaiting_answer",
    "open_discrepancies",
    "replies_of",
    "versions_in_order",
]


def versions_in_order() -> QuerySet[LetterVersion]:
    """The original first, then the translations by language."""
    return LetterVersion.objects.order_by("-is_original", "language", "pk")


def _open_discrepancy_of_letter() -> Exists:
    return Exists(LetterDiscrepancy.objects.filter(letter=OuterRef("pk"), resolved_at__isnull=True))


def letter_list(
    *,
    direction: str | None = None,
    partner: Any = None,
    year: int | None = None,
    q: str = "",
    unresolved: bool = False,
) -> QuerySet[Letter]:
    """Letters newest first, each marked ``has_open_discrepancy``; ``q`` finds a number, a
    subject or a signatory; ``unresolved`` keeps the letters whose versions still disagree."""
    letters = (
        Letter.objects.select_related("partner", "signatory", "in_reply_to")
        .annotate(has_open_discrepancy=_open_discrepancy_of_letter())
        .order_by("-dated_on", "-pk")
    )
    if direction:
        letters = letters.filter(direction=direction)
    if partner is not None:
        letters = letters.filter(partner=partner)
    if year:
        letters = letters.filter(dated_on__year=year)
    if q and q.strip():
        term = q.strip()
        letters = letters.filter(
            Q(number__icontains=term)
            | Q(subject__icontains=term)
            | Q(signatory_name__icontains=term)
            | Q(our_person__icontains=term)
        )
    if unresolved:
        letters = letters.filter(has_open_discrepancy=True)
    return letters


def letter_get(*, pk: int) -> Letter:
    """One letter with what its page shows: versions (the original first), discrepancies with
    their versions, attachments, replies, events and agreements."""
    letter = (
        Letter.objects.select_related("partner", "signatory", "in_reply_to")
        .prefetch_related(
            Prefetch("versions", queryset=versions_in_order()),
            Prefetch(
                "discrepancies",
                queryset=LetterDiscrepancy.objects.select_related(
                    "correct_version", "flagged_by", "resolved_by"
                ).prefetch_related(Prefetch("versions", queryset=versions_in_order())),
            ),
            "attachments",
            Prefetch("replies", queryset=Letter.objects.order_by("dated_on", "pk")),
            "events",
            "agreements",
        )
        .filter(pk=pk)
        .first()
    )
    if letter is None:
        raise Http404
    return letter


def discrepancy_detail(*, letter: Letter, pk: int) -> LetterDiscrepancy:
    """One discrepancy of the letter with the versions it names (the original first)."""
    discrepancy = (
        LetterDiscrepancy.objects.filter(letter=letter, pk=pk)
        .select_related("correct_version", "flagged_by", "resolved_by")
        .prefetch_related(Prefetch("versions", queryset=versions_in_order()))
        .first()
    )
    if discrepancy is None:
        raise Http404
    return discrepancy


def open_discrepancies() -> QuerySet[LetterDiscrepancy]:
    """Discrepancies nobody has resolved yet, the oldest first: they wait longest."""
    return (
        LetterDiscrepancy.objects.filter(resolved_at__isnull=True)
        .select_related("letter__partner", "flagged_by")
        .prefetch_related(Prefetch("versions", queryset=versions_in_order()))
        .order_by("flagged_at", "pk")
    )


def letters_awaiting_answer() -> QuerySet[Letter]:
    """Incoming letters still registered: neither answered nor marked as needing no reply, the
    oldest first, since they have waited longest."""
    return (
        Letter.objects.filter(direction=Direction.INCOMING, status=LetterStatus.REGISTERED)
        .select_related("partner")
        .order_by("dated_on", "pk")
    )


def replies_of(letter: Letter) -> QuerySet[Letter]:
    return (
        Letter.objects.filter(in_reply_to=letter)
        .select_related("partner", "signatory")
        .order_by("dated_on", "pk")
    )
