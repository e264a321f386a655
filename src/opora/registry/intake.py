"""The instant duplicate check at intake: before a person is registered, the records that are
probably the same person.

``likely_matches`` looks across the whole registry, not the actor's scope: a person registered
by another institution is still a duplicate. What the actor may be shown is decided afterwards
by ``visible_matches``, which splits the matches into those she may see and a count of the
others (enough to tell her to ask, without disclosing whom).

The database narrows the candidates with indexed conditions only (never the whole table):

* the same SNILS (unique index);
* the same date of birth, or the date with day and month swapped (``person_birth_idx``);
* the same name from the surname on (a range on ``person_search_key_idx``: the key begins
  with the surname, first name and patronymic given), for records whose date of birth is
  unknown, or in the same year, or on the same day and month of another year (a typo).

A typo in the name together with a missing date of birth is therefore not found: that pair
would need a fuzzy scan of every namesake's neighbours, which the batch deduplication does.

Each candidate is then scored in Python with rapidfuzz (see ``match_score``). Batch
deduplication of the whole registry is a different job (registry/dedup, Splink).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from opora.core.actors import Actor
from opora.core.errors import DomainError

from . import selectors
from .models import FormerName, Person
from .names import search_key, snils_digits

LIKELY_MATCH_THRESHOLD = 0.8
"""Matches scoring at least this are shown before saving (and need an override reason).

The score is name similarity times date agreement (see ``match_score``). At 0.8:

* the same name and date of birth (1.0), one typo in a name and the same date (about 0.94),
  or the same name with day and month swapped (0.88) are flagged;
* the same name with no date of birth on one side scores 0.9 — flagged, since nothing tells
  them apart;
* the same name with a different date of birth (0.6: a namesake, common in a city of a
  million) and a different name with the same date of birth (0.5 or less) are not;
* two different SNILS numbers mark two different people: at most 0.7, not flagged.

Lower values flood the form with namesakes at every "Иванова Мария"; higher ones miss a typo
combined with a swapped date.
"""

# Weights of the surname, first name and patronymic in the name similarity.
NAME_WEIGHTS = (0.45, 0.35, 0.20)
# First name and surname typed the other way round still count, slightly less.
SWAPPED_NAMES_WEIGHT = 0.95
# Date agreement: the same date 1.0; day and month swapped; one digit different; else 0.
TRANSPOSED_DATE_AGREEMENT = 0.7
ONE_DIGIT_DATE_AGREEMENT = 0.5
# Score = name similarity × (DATE_FLOOR + (1 - DATE_FLOOR) × date agreement); unknown dates:
UNKNOWN_DATE_FACTOR = 0.9
DATE_FLOOR = 0.6
# Two different SNILS numbers: the score is multiplied by this.
DIFFERENT_SNILS_FACTOR = 0.7
# Candidates loaded per path, at most.
CANDIDATES_PER_PATH = 300
# The name's key must be at least this long to be looked up by its beginning.
NAME_PREFIX_MIN = 3


def likely_matches(
    *,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    birth_date: dt.date | None = None,
    snils: str | None = None,
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[tuple[Person, float]]:
    """Existing records probably the same person, best first, each with its score (0..1)
    at least ``LIKELY_MATCH_THRESHOLD``. Unscoped: pass the result to ``visible_matches``."""
    names = _keys(last_name, first_name, patronymic)
    digits = snils_digits(snils or "")
    snils_value = digits if len(digits) == 11 else None

    candidates: dict[int, Person] = {}
    for qs in _candidate_querysets(names, birth_date, snils_value):
        if exclude_pk is not None:
            qs = qs.exclude(pk=exclude_pk)
        qs = qs.prefetch_related(
            Prefetch(
                "former_names",
                FormerName.objects.only("person_id", "last_name", "first_name", "patronymic"),
            )
        )
        for person in qs[:CANDIDATES_PER_PATH]:
            candidates.setdefault(person.pk, person)

    scored = []
    for person in candidates.values():
        score = match_score(
            names,
            birth_date,
            snils_value,
            candidate_names=[_keys(person.last_name, person.first_name, person.patronymic)]
            + [_keys(f.last_name, f.first_name, f.patronymic) for f in person.former_names.all()],
            candidate_birth_date=person.birth_date,
            candidate_snils=person.snils,
        )
        if score >= LIKELY_MATCH_THRESHOLD:
            scored.append((person, round(score, 4)))
    scored.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return scored[:limit]


def visible_matches(
    actor: Actor, matches: Sequence[tuple[Person, float]]
) -> tuple[list[tuple[Person, float]], int]:
    """The matches the actor may see (in order) and how many others there are."""
    if not matches:
        return [], 0
    pks = [person.pk for person, _score in matches]
    seen = set(selectors.people(actor=actor).filter(pk__in=pks).values_list("pk", flat=True))
    visible = [(person, score) for person, score in matches if person.pk in seen]
    return visible, len(matches) - len(visible)


def duplicate_refusal(actor: Actor, matches: Sequence[tuple[Person, float]]) -> DomainError:
    """The 409 for a registration that probably repeats a record: the numbers of the matches
    the actor may see, and only how many others there are (no number, no name)."""
    visible, others = visible_matches(actor, matches)
    details: dict[str, Any] = {"matches": [str(person.pk) for person, _score in visible]}
    if others:
        details["others_outside_scope"] = others
    if visible:
        message = _(
            "This person may already be registered. Open the existing record, or give a "
            "reason to register a new one."
        )
    else:
        message = _(
            "A person with these details may already be registered in another institution. "
            "Ask that institution or the registry's administrator, or give a reason to "
            "register a new record."
        )
    return DomainError("likely_duplicate", message, details=details, status=409)


def snils_refusal(actor: Actor, holder: Person) -> DomainError:
    """The 409 for a SNILS that another record holds: its number only if the actor may see it."""
    if selectors.people(actor=actor).filter(pk=holder.pk).exists():
        return DomainError(
            "snils_taken",
            _("This SNILS already belongs to another record."),
            details={"snils": [_("Already registered.")], "person": [str(holder.pk)]},
            status=409,
        )
    return DomainError(
        "snils_taken",
        _(
            "A person with this SNILS is already registered in another institution. Ask that "
            "institution or the registry's administrator."
        ),
        details={"snils": [_("Already registered in another institution.")]},
        status=409,
    )


def _keys(last_name: str, first_name: str, patronymic: str) -> tuple[str, str, str]:
    return (search_key(last_name or ""), search_key(first_name or ""), search_key(patronymic or ""))


def _candidate_querysets(
    names: tuple[str, str, str], birth_date: dt.date | None, snils: str | None
) -> Iterable[Any]:
    people = Person.objects.filter(merged_into__isnull=True)
    if snils:
        yield people.filter(snils=snils)
    if birth_date is not None:
        yield people.filter(birth_date__in=_dates_close_to(birth_date)).order_by("pk")
    # The same name, from the surname on, as a range on the search-key index: the record
    # whose date of birth is missing, or a year or a day away (a typo).
    prefix = " ".join(part for part in names if part)
    if not names[0] or len(prefix) < NAME_PREFIX_MIN:
        return
    by_name = people.filter(search_key__gte=prefix, search_key__lt=_next_prefix(prefix))
    if birth_date is not None:
        by_name = by_name.filter(
            Q(birth_date__isnull=True)
            | Q(birth_date__year=birth_date.year)
            | Q(birth_date__month=birth_date.month, birth_date__day=birth_date.day)
        )
    yield by_name.order_by("search_key", "pk")


def _next_prefix(prefix: str) -> str:
    """The smallest string after every string starting with ``prefix`` (keys are [a-z ])."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _dates_close_to(day: dt.date) -> list[dt.date]:
    dates = [day]
    if day.day <= 12 and day.day != day.month:
        dates.append(day.replace(day=day.month, month=day.day))
    return dates


def date_agreement(a: dt.date | None, b: dt.date | None) -> float | None:
    """1 for the same date, partial for day and month swapped or one digit typed wrong, else 0;
    None when either is unknown."""
    if a is None or b is None:
        return None
    if a == b:
        return 1.0
    if (a.day, a.month, a.year) == (b.month, b.day, b.year):
        return TRANSPOSED_DATE_AGREEMENT
    da, db = a.strftime("%d%m%Y"), b.strftime("%d%m%Y")
    if sum(x != y for x, y in zip(da, db, strict=True)) == 1:
        return ONE_DIGIT_DATE_AGREEMENT
    return 0.0


def name_similarity(a: tuple[str, str, str], b: tuple[str, str, str]) -> float:
    """Weighted rapidfuzz ratio of surname, first name and patronymic keys (0..1). A patronymic
    missing on either side is left out; surname and first name swapped count slightly less."""

    def weighted(x: Sequence[str], y: Sequence[str]) -> float:
        total = weight_sum = 0.0
        for index, (part_x, part_y) in enumerate(zip(x, y, strict=True)):
            if not part_x or not part_y:
                if index == 2:
                    continue  # no patronymic to compare
                return 0.0
            weight = NAME_WEIGHTS[index]
            total += weight * fuzz.ratio(part_x, part_y) / 100.0
            weight_sum += weight
        return total / weight_sum if weight_sum else 0.0

    direct = weighted(a, b)
    swapped = weighted((a[1], a[0], a[2]), b) * SWAPPED_NAMES_WEIGHT
    return max(direct, swapped)


def match_score(
    names: tuple[str, str, str],
    birth_date: dt.date | None,
    snils: str | None,
    *,
    candidate_names: Sequence[tuple[str, str, str]],
    candidate_birth_date: dt.date | None,
    candidate_snils: str | None,
) -> float:
    """How likely a candidate is the person being registered (0..1).

    The same SNILS is certain (1.0). Otherwise the best name similarity over the candidate's
    current and former names, times a factor for the dates of birth: from ``DATE_FLOOR`` (they
    differ) to 1 (the same), ``UNKNOWN_DATE_FACTOR`` when one is unknown. Different SNILS
    numbers multiply it by ``DIFFERENT_SNILS_FACTOR``.
    """
    if snils and candidate_snils and snils == candidate_snils:
        return 1.0
    name = max((name_similarity(names, other) for other in candidate_names), default=0.0)
    agreement = date_agreement(birth_date, candidate_birth_date)
    factor = UNKNOWN_DATE_FACTOR if agreement is None else DATE_FLOOR + (1 - DATE_FLOOR) * agreement
    score = name * factor
    if snils and candidate_snils and snils != candidate_snils:
        score *= DIFFERENT_SNILS_FACTOR
    return score
