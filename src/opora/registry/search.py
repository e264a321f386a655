"""Finding a person from one search box.

``search_people(actor=..., query=...)`` reads the query as any mix of:

* a SNILS — eleven digits, with or without separators ("123-456-789 64") → ``Person.snils``;
* a phone — "+7 912 345-67-89", "8 912 3456789" or ten digits → ``Person.phone`` (stored
  normalised, see ``names.phone_normalised``);
* a document number, with or without its series ("4510 123456", "4510123456", "123456",
  "IV-АК 123456") → ``IdentityDocument.number`` (and ``series``);
* a date of birth, "08.03.1956" (also with / or -) or "1956-03-08" → ``Person.birth_date``; on
  its own it lists the people born that day, with name words it narrows the name search
  ("Иванова 08.03.1956");
* a year ("Иванова 1956") narrows the name search to people born that year; alone it is read
  as a document number;
* name words in any alphabet and order, complete or partial, with typos. They are reduced with
  ``names.search_key`` (Cyrillic and Latin spellings fold to one Latin key), so "Ivanova Mariia",
  "Iwanowa" and "Ивонова" all meet «Иванова Мария».

An all-digit query may be read several ways at once (ten digits are a phone and a passport
series with its number); each reading is an exact, indexed lookup and the results are merged.

Results are ``PersonHit``s, ranked: exact identifier matches (score 1.0) first, then name
matches by their score, then alphabetically. ``matched_on`` is one of ``MATCHED_ON``. Merged
records are never returned, and everything starts from ``selectors.people(actor=...)``, so the
actor's scope is applied by the one mechanism every selector uses: a worker finds the people of
her institutions, an analyst (aggregates only) and an anonymous user find no one.

Names are found in two steps, the first one vendor-specific:

1. **Candidates.** On PostgreSQL, in passes from cheap to costly (``trigram_passes``); the
   next pass runs only while no candidate scores ``STRONG_SCORE`` — a name typed right stops
   after the first:

   * *as typed*: ranges on the B-tree index ``person_search_key_idx`` — the key begins with
     the query (people are usually looked up surname first, and a Latin spelling folds to the
     same key), or with the surname and the first name's initial (a typo later on); a
     one-word query may also be a first name or patronymic, ``search_key LIKE '%word%'``,
     served exactly by the GIN trigram index ``person_search_key_trgm`` (migration 0003) —
     run only when the ranges found no surname equal to the word, since its cost grows with
     the word's frequency;
   * *a typo, through the dictionary*: each of the first two words is compared with the
     dictionary of name words (``NameWord``: every word of every key once, a few thousand at a
     million people, kept by triggers, migration 0006, held in memory) by rapidfuzz, and its
     ``PG_SIMILAR_WORDS`` closest words are put in its place, the other word kept as typed,
     in both orders of the two words; the keys are then found by B-tree ranges (one BitmapOr).
     A few milliseconds at any size;
   * *one typo anywhere*, the last resort when the dictionary did not find the name: each word
     in turn is taken as the misspelt one and matched with ``word <% search_key`` (pg_trgm
     word similarity to the closest stretch of the key) at a threshold its length allows
     (``typo_threshold``), while the other words are required as typed (``LIKE``), all in one
     GIN index scan. A one-word query is matched by word similarity alone. The threshold is
     set per statement with ``set_config('pg_trgm.word_similarity_threshold', …, true)`` in
     a transaction.

   Each statement returns at most ``PG_CANDIDATE_CAP`` rows, unordered, so a broad query
   ("Иванова" among a million) costs a bounded amount: it is ranked within the rows found
   first, and typing more narrows it. Two typos in one query, or a typo in a word of three or
   four letters, are not found. The costly case is the last pass when the words required as
   typed are common (a misspelt surname with "Александр Александрович"): the GIN index then
   walks long posting lists (tens of milliseconds at a million people).

   On SQLite (the embedded demo database) there is no trigram index: the fallback scores each
   row by how many of the query's features its key contains — each word's first two letters at
   the start of a key word, and each three-letter piece of the word — with ``LIKE``, keeps the
   rows that have at least a third of them and takes the best ``FALLBACK_CANDIDATES``. That is
   a full scan of ``registry_person`` with a few ``LIKE``s per row: about a tenth of a second
   at tens of thousands of people, and linear beyond. A typo in the first two letters of every
   word, or a query whose features are all common, can push the right person past the candidate
   limit. Use PostgreSQL for a real registry.

2. **Ranking**, the same on both databases: ``name_score`` compares each query word with the
   key's words using rapidfuzz (a whole-word ratio, or a slightly discounted prefix ratio for a
   word still being typed; a one-letter word is an initial), pairs query words with key words in
   the best order, and averages. A query word that matches nothing in a record (below
   ``WORD_MIN``) drops the record; records below ``MIN_NAME_SCORE`` are dropped.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from rapidfuzz import fuzz, process

from opora.core.actors import Actor

from . import selectors
from .models import IdentityDocument, Person
from .names import phone_normalised, search_key, snils_digits

MATCHED_SNILS = "snils"
MATCHED_DOCUMENT = "document"
MATCHED_PHONE = "phone"
MATCHED_BIRTH_DATE = "birth_date"
MATCHED_NAME = "name"
MATCHED_NAME_AND_BIRTH_DATE = "name+birth_date"
MATCHED_ON = (
    MATCHED_SNILS,
    MATCHED_DOCUMENT,
    MATCHED_PHONE,
    MATCHED_BIRTH_DATE,
    MATCHED_NAME,
    MATCHED_NAME_AND_BIRTH_DATE,
)
# Exact matches come first, in this order; name matches after them.
_IDENTIFIER_ORDER = {MATCHED_SNILS: 0, MATCHED_DOCUMENT: 1, MATCHED_PHONE: 2}

# A record is shown when its names score at least this (0..1). One typo in a seven-letter
# surname scores about 0.86 (one in four letters 0.75), a different surname with the same
# ending ("Морозова" for "Козова") 0.71, "Петрова" for "Иванова" 0.43.
MIN_NAME_SCORE = 0.7
# PostgreSQL looks for typos only when no match as typed scores at least this (one typo in a
# seven-letter surname scores 0.86).
STRONG_SCORE = 0.85
# Every query word must resemble some word of the record at least this much.
WORD_MIN = 0.5
# A word still being typed ("Иван" for "Иванова") scores its prefix match times this, so that
# the whole word ("Иван" the first name) ranks first.
PREFIX_WEIGHT = 0.9
# A query word matched to a name in another position (the first name typed first) counts
# slightly less, so that "Иванова" ranks the surname Иванова before the patronymic Ивановна.
OTHER_POSITION_WEIGHT = 0.98
# A name key shorter than this (one letter) is not searched on its own.
MIN_KEY_LENGTH = 2

# PostgreSQL: at most this many rows matching the trigram conditions are ranked.
PG_CANDIDATE_CAP = 500
# A pass of ranges on the surname stops the search when a candidate matches this well: the
# words were found whole.
EXACT_SCORE = 0.999
# PostgreSQL: the dictionary's words most similar to a misspelt word that are tried in its place,
# at least this similar (rapidfuzz's ratio, 0..100; one typo in a six-letter word leaves 83).
PG_SIMILAR_WORDS = 10
PG_SIMILAR_WORD_CUTOFF = 60
# PostgreSQL word-similarity thresholds for a word with a typo (see ``typo_threshold``): never
# above this; in a one-word query, trigrams a typo may cost and the lowest threshold; with
# other words typed right to narrow the statement, the same, looser.
PG_NEAR_EXACT_THRESHOLD = 0.7
PG_SINGLE_WORD_LOST = 4
PG_SINGLE_WORD_FLOOR = 0.3
PG_BRANCH_LOST = 5
PG_BRANCH_FLOOR = 0.2
# A typo is looked for in at most this many words of a query.
PG_MAX_BRANCHES = 4
# SQLite fallback: rows ranked in Python, and the share of features a row must contain.
FALLBACK_CANDIDATES = 500
FALLBACK_MIN_SHARE = 1 / 3

_DATE_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# A year of birth typed with a name: "Иванова 1956".
_YEAR = re.compile(r"^(19|20)\d{2}$")
# The series of a Soviet-style birth certificate: a Roman number, a dash, two Cyrillic letters.
_CERTIFICATE_SERIES = re.compile(r"^[IVXLCivxlc]{1,4}-[А-ЯЁа-яё]{2}$")
_ID_SEPARATORS = re.compile(r"[\s().-]")


@dataclass(frozen=True)
class PersonHit:
    person: Person
    score: float  # 0..1
    matched_on: str  # one of MATCHED_ON


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)  # search-key words
    birth_date: dt.date | None = None
    birth_year: int | None = None
    identifier_tokens: list[str] = field(default_factory=list)

    @property
    def name_key(self) -> str:
        return " ".join(self.words)


def parse_query(query: str) -> ParsedQuery:
    """Split a query into name words (as search-key words), a date and identifier tokens."""
    parsed = ParsedQuery()
    tokens = (query or "").replace(",", " ").replace(";", " ").split()
    has_words = any(_is_word(t) and search_key(t) for t in tokens)
    for token in tokens:
        day = _parse_date(token)
        if day is not None:
            parsed.birth_date = parsed.birth_date or day
        elif has_words and _YEAR.match(token) and parsed.birth_year is None:
            parsed.birth_year = int(token)
        elif not _is_word(token):
            parsed.identifier_tokens.append(token)
        else:
            parsed.words.extend(search_key(token).split())
    return parsed


def _is_word(token: str) -> bool:
    return not any(c.isdigit() for c in token) and not _CERTIFICATE_SERIES.match(token)


def _parse_date(token: str) -> dt.date | None:
    if m := _DATE_DMY.match(token):
        day, month, year = (int(g) for g in m.groups())
    elif m := _DATE_ISO.match(token):
        year, month, day = (int(g) for g in m.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def search_people(*, actor: Actor, query: str, limit: int = 20) -> list[PersonHit]:
    """The people in the actor's scope that ``query`` finds, best first (see the module)."""
    if limit <= 0:
        return []
    parsed = parse_query(query)
    base = selectors.people(actor=actor)
    if base.query.is_empty():  # an analyst or a stranger: no rows to look through
        return []
    hits: dict[int, PersonHit] = {}

    for hit in _identifier_hits(base, parsed.identifier_tokens):
        hits.setdefault(hit.person.pk, hit)

    if len(parsed.name_key.replace(" ", "")) >= MIN_KEY_LENGTH:
        for hit in _name_hits(base, parsed, limit):
            hits.setdefault(hit.person.pk, hit)
    elif parsed.birth_date is not None:
        born = base.filter(birth_date=parsed.birth_date)
        if parsed.words:  # an initial: "И. 08.03.1956"
            born = born.filter(search_key__startswith=parsed.words[0])
        for person in born.order_by(*_NAME_ORDER)[:limit]:
            hits.setdefault(person.pk, PersonHit(person, 1.0, MATCHED_BIRTH_DATE))

    return sorted(hits.values(), key=_rank)[:limit]


_NAME_ORDER = ("last_name", "first_name", "patronymic", "pk")


def _rank(hit: PersonHit) -> tuple:
    tier = _IDENTIFIER_ORDER.get(hit.matched_on, len(_IDENTIFIER_ORDER))
    p = hit.person
    return (tier, -hit.score, p.last_name, p.first_name, p.patronymic, p.pk)


# ---------------------------------------------------------------------------------------------
# Identifiers: exact, indexed lookups


def _identifier_hits(base: QuerySet, tokens: Sequence[str]) -> list[PersonHit]:
    if not tokens:
        return []
    raw = " ".join(tokens)
    digits = snils_digits(raw)
    separators_only = all(re.fullmatch(r"[\d\s().+-]+", t) for t in tokens)
    found: list[PersonHit] = []

    if separators_only and len(digits) == 11 and not raw.lstrip().startswith("+"):
        found += [PersonHit(p, 1.0, MATCHED_SNILS) for p in base.filter(snils=digits)[:5]]

    phone = _phone_of(raw, digits) if separators_only else ""
    if phone:
        found += [PersonHit(p, 1.0, MATCHED_PHONE) for p in base.filter(phone=phone)[:50]]

    documents = _document_condition(tokens)
    if documents is not None:
        owners = IdentityDocument.objects.filter(documents).values("person_id")
        found += [
            PersonHit(p, 1.0, MATCHED_DOCUMENT)
            for p in base.filter(pk__in=owners).order_by(*_NAME_ORDER)[:20]
        ]
    return found


def _phone_of(raw: str, digits: str) -> str:
    if raw.lstrip().startswith("+"):
        return phone_normalised(raw) if len(digits) >= 10 else ""
    if (len(digits) == 11 and digits[0] in "78") or len(digits) == 10:
        return phone_normalised(raw)
    return ""


def _document_condition(tokens: Sequence[str]) -> Q | None:
    """Readings of the tokens as a document: the last token is the number, any before it the
    series ("4510 123456"); a single run of ten (nine) digits may be a passport (travel
    passport) series and number typed together."""
    parts = [
        _ID_SEPARATORS.sub("", t) if not _CERTIFICATE_SERIES.match(t) else t.upper() for t in tokens
    ]
    parts = [p for p in parts if p]
    if not parts or parts[0].startswith("+"):
        return None
    number = parts[-1].upper()
    if len(number) < 3 or not any(c.isdigit() for c in number):
        return None
    if len(parts) > 1:
        condition = Q(series__iexact="".join(parts[:-1]), number=number)
        condition |= Q(number="".join(parts))
        return condition
    condition = Q(number=number)
    if number.isdigit() and len(number) == 10:
        condition |= Q(series=number[:4], number=number[4:])
    if number.isdigit() and len(number) == 9:
        condition |= Q(series=number[:2], number=number[2:])
    return condition


# ---------------------------------------------------------------------------------------------
# Names: candidates from the database, ranked in Python


def _name_hits(base: QuerySet, parsed: ParsedQuery, limit: int) -> list[PersonHit]:
    qs = base
    matched_on = MATCHED_NAME
    if parsed.birth_date is not None:
        qs = qs.filter(birth_date=parsed.birth_date)
        matched_on = MATCHED_NAME_AND_BIRTH_DATE
    elif parsed.birth_year is not None:
        qs = qs.filter(
            birth_date__gte=dt.date(parsed.birth_year, 1, 1),
            birth_date__lte=dt.date(parsed.birth_year, 12, 31),
        )
    if connection.vendor == "postgresql":
        batches: Iterable[tuple[list[tuple[int, str]], float]] = _postgresql_candidates(
            qs, parsed.words
        )
    else:
        batches = [(_fallback_candidates(qs, parsed.words), STRONG_SCORE)]
    scored: dict[int, tuple[float, str]] = {}
    cache: dict[tuple[str, str], float] = {}
    for batch, enough in batches:
        for pk, key in batch:
            if pk not in scored:
                score = name_score(parsed.words, key, cache)
                if score >= MIN_NAME_SCORE:
                    scored[pk] = (score, key)
        if any(score >= enough for score, _key in scored.values()):
            break  # found well enough: the costlier passes are not needed
    best = sorted(scored.items(), key=lambda item: (-item[1][0], item[1][1], item[0]))[:limit]
    people = qs.order_by().in_bulk([pk for pk, _ in best])
    return [
        PersonHit(people[pk], round(score, 4), matched_on)
        for pk, (score, _key) in best
        if pk in people
    ]


def typo_threshold(word: str, lost: int, floor: float) -> float:
    """The word-similarity threshold that lets ``word`` carry a typo costing ``lost`` trigrams.

    pg_trgm pads a word with two spaces before and one after, so a word of n letters has
    n + 1 trigrams. A typo that changes L of them leaves the similarity to the intended word
    (shared trigrams over all of both words') at about (n + 1 - L) / (n + 1 + L): two letters
    swapped change four, 0.33 for a seven-letter surname; a Cyrillic letter typed for another
    can change six ("щ" is "shch"). Never below ``floor``, never above the near-exact pass.
    """
    n = len(word) + 1
    value = (n - lost) / (n + lost) - 0.01
    return round(min(PG_NEAR_EXACT_THRESHOLD, max(floor, value)), 3)


@dataclass(frozen=True)
class _TrigramStatement:
    """One statement of a pass: every word of ``contains`` is in the key (``LIKE``, served by
    the trigram index); ``similar`` is word-similar to it at ``threshold`` (``<%``)."""

    contains: tuple[str, ...] = ()
    similar: str = ""
    threshold: float = PG_NEAR_EXACT_THRESHOLD
    prefix: str = ""  # the key begins with it (a range on the B-tree index)
    # Any of these ranges on the B-tree index (a BitmapOr of them): keys beginning with one of
    # ``any_prefix``, or whose first word is one of ``any_first_word``.
    any_prefix: tuple[str, ...] = ()
    any_first_word: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Pass:
    """Statements run together; the search stops after this pass when a candidate scores at
    least ``enough``."""

    statements: tuple[_TrigramStatement, ...]
    enough: float = STRONG_SCORE


@dataclass(frozen=True)
class _DictionaryPass:
    """A typo in one of the first two words, corrected through the dictionary of name words
    (``NameWord``): each word's most similar words replace it in turn, and the key is looked up
    by B-tree ranges, in both orders of the two words (``statement``)."""

    words: tuple[str, ...]
    enough: float = STRONG_SCORE

    def statement(self, similar: dict[str, list[str]]) -> _TrigramStatement | None:
        if len(self.words) == 1:
            (word,) = self.words
            found = tuple(w for w in similar.get(word, []) if w != word)
            return _TrigramStatement(any_first_word=found) if found else None
        first, second = self.words[:2]
        prefixes: list[str] = []
        for a, b in ((first, second), (second, first)):  # surname first, or the first name
            prefixes += [f"{x} {b}" for x in similar.get(a, []) if x != a]
            prefixes += [f"{a} {x}" for x in similar.get(b, []) if x != b]
        return _TrigramStatement(any_prefix=tuple(dict.fromkeys(prefixes))) if prefixes else None


def trigram_passes(words: Sequence[str]) -> list[_Pass | _DictionaryPass]:
    """The statements of each pass on PostgreSQL.

    1. *As typed*, ranges on the B-tree index that cost next to nothing at any size (people
       are looked up surname first, and a Latin spelling folds to the same key): the key
       begins with the query ("Соколов Виктор", "Sokolov Vik"); with the surname and the
       first name's initial (a typo later on); a one-word query also with the surname less
       its last letter ("Иванова" finds Иванов); and, for a one-word query or one that does
       not begin with a surname ("М. Иванова"), the words anywhere in the key
       (``LIKE '%word%'``, served exactly by the GIN trigram index).
    2. *One typo*: each word in turn is taken as the misspelt one and matched by word
       similarity at a threshold its length allows, while the others are required as typed
       (``LIKE``), which keeps the statement selective. An exact match in another word order
       ("Мария Иванова") satisfies these statements too.

    Words of fewer than three letters have no trigram to look up: they are left to the
    ranking.
    """
    unique = tuple(dict.fromkeys(words))
    long_words = tuple(w for w in unique if len(w) >= 3)
    first = words[0]
    ranges = [_TrigramStatement(prefix=" ".join(words))]
    if len(words) > 1 and len(first) >= 3:
        ranges.append(_TrigramStatement(prefix=f"{first} {words[1][0]}"))
    if len(unique) == 1 and len(first) >= 5:
        ranges.append(_TrigramStatement(prefix=first[:-1]))
    passes: list[_Pass | _DictionaryPass] = []
    if long_words and (len(unique) == 1 or len(first) < 3):  # "Мария", "М. Иванова"
        # The word anywhere in the key costs a GIN scan that grows with the word's frequency:
        # it is skipped when the ranges found the word whole, as a surname.
        passes.append(_Pass(tuple(ranges), enough=EXACT_SCORE))
        passes.append(_Pass((_TrigramStatement(contains=long_words),)))
    else:
        passes.append(_Pass(tuple(ranges)))
    if long_words:
        passes.append(_DictionaryPass(long_words[:2]))
    if len(long_words) == 1:
        word = long_words[0]
        threshold = typo_threshold(word, PG_SINGLE_WORD_LOST, PG_SINGLE_WORD_FLOOR)
        passes.append(_Pass((_TrigramStatement(similar=word, threshold=threshold),)))
    elif long_words:
        passes.append(
            _Pass(
                tuple(
                    _TrigramStatement(
                        contains=tuple(w for w in long_words if w != word),
                        similar=word,
                        threshold=typo_threshold(word, PG_BRANCH_LOST, PG_BRANCH_FLOOR),
                    )
                    for word in long_words[:PG_MAX_BRANCHES]
                )
            )
        )
    return passes


def _postgresql_candidates(
    qs: QuerySet, words: Sequence[str]
) -> Iterator[tuple[list[tuple[int, str]], float]]:
    """Batches of (pk, search key) from pg_trgm, one per pass of ``trigram_passes``.

    The words as typed are found with ``search_key LIKE '%word%'``: the GIN trigram index
    serves it and needs every trigram of the word, so it is cheap and exact (spelling variants
    already meet in the key). A word with a typo is found with ``word <% search_key`` (word
    similarity: the word against the closest stretch of the key) at a threshold low enough for
    the typo; with the other words required as typed, that stays selective. One typo is
    allowed, in any one word. The caller asks for the next pass only while no candidate is a
    close match (``STRONG_SCORE``).
    """
    for each_pass in trigram_passes(words):
        if isinstance(each_pass, _DictionaryPass):
            statement = each_pass.statement(similar_name_words(each_pass.words))
            if statement is not None:
                yield _run_trigram_statements(qs, [statement]), each_pass.enough
        else:
            yield _run_trigram_statements(qs, each_pass.statements), each_pass.enough


class _NameWords:
    """The dictionary of name words (``NameWord``), held in this process per database and
    topped up from the ids above the last one read: words are only ever added, so a search
    costs one indexed look at the newest id. A database whose ids went back (recreated,
    flushed) is read again from the start."""

    def __init__(self) -> None:
        self._by_database: dict[str, tuple[int, list[str]]] = {}
        self._lock = threading.Lock()

    def words(self) -> list[str]:
        database = str(connection.settings_dict.get("NAME"))
        last_id, words = self._by_database.get(database, (0, []))
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM registry_nameword")
            newest = cursor.fetchone()[0]
            if newest == last_id:
                return words
            if newest < last_id:
                last_id, words = 0, []
            cursor.execute(
                "SELECT id, word FROM registry_nameword WHERE id > %s AND id <= %s ORDER BY id",
                [last_id, newest],
            )
            added = [word for _id, word in cursor.fetchall()]
        with self._lock:
            words = [*words, *added]
            self._by_database[database] = (newest, words)
        return words


_NAME_WORDS = _NameWords()


def similar_name_words(words: Sequence[str]) -> dict[str, list[str]]:
    """For each word, the ``PG_SIMILAR_WORDS`` words of the dictionary of name words most like
    it (rapidfuzz's ratio: two letters swapped in "Иавнов" leave 0.83 to "Иванов"), best first.

    The dictionary (``NameWord``, filled by triggers on ``registry_person``) holds each word of
    every search key once: 5 241 words at a million people, compared in about a millisecond in
    this process, where a typo matched against the keys themselves walks the posting lists of
    every person sharing the other words."""
    if not words:
        return {}
    dictionary = _NAME_WORDS.words()
    found: dict[str, list[str]] = {}
    for word in dict.fromkeys(words):
        matches = process.extract(
            word,
            dictionary,
            scorer=fuzz.ratio,
            limit=PG_SIMILAR_WORDS,
            score_cutoff=PG_SIMILAR_WORD_CUTOFF,
        )
        # Best first; among equals the shorter and then alphabetical, for a stable order.
        ranked = sorted(matches, key=lambda m: (-m[1], len(m[0]), m[0]))
        found[word] = [match for match, _score, _index in ranked]
    return found


def _run_trigram_statements(qs: QuerySet, statements: Sequence[_TrigramStatement]) -> list:
    """Up to ``PG_CANDIDATE_CAP`` (pk, key) pairs per statement, in one transaction.

    Unordered, so the bitmap heap scan stops at the cap: a broad query ("Иванова" among a
    million) costs a bounded amount and is ranked within the rows found first. The threshold
    is set with ``set_config(..., is_local => true)`` and put back afterwards if the caller's
    transaction goes on. So is ``enable_seqscan = off``: pg_trgm's row estimates are rough,
    and with a LIMIT the planner otherwise bets on a sequential scan finding the rows early,
    which is 60 times slower than the index when they are rare. (When it expects many
    matches it may still walk another B-tree — the one on ``merged_into`` — and filter; that
    is faster for common words and is left to it.) Parallel workers are off: these statements
    are small, and starting workers costs more than it saves.
    """
    from django.contrib.postgres.lookups import TrigramWordSimilar

    rows: list[tuple[int, str]] = []
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        previous = _set_local(cursor, {**PG_SETTINGS, _THRESHOLD: None})
        for statement in statements:
            matching = qs
            for word in statement.contains:
                matching = matching.filter(search_key__contains=word)
            if statement.prefix:
                matching = matching.filter(
                    search_key__gte=statement.prefix, search_key__lt=_after(statement.prefix)
                )
            if statement.any_prefix or statement.any_first_word:
                ranges = Q()
                for prefix in statement.any_prefix:
                    ranges |= Q(search_key__gte=prefix, search_key__lt=_after(prefix))
                for word in statement.any_first_word:
                    # The key is the word, or begins with it and a space ("!" follows " ").
                    ranges |= Q(search_key__gte=word, search_key__lt=word + "!")
                matching = matching.filter(ranges)
            if statement.similar:
                _set_local(cursor, {_THRESHOLD: str(statement.threshold)})
                matching = matching.filter(
                    TrigramWordSimilar(F("search_key"), Value(statement.similar))
                )
            rows += matching.order_by().values_list("pk", "search_key")[:PG_CANDIDATE_CAP]
        if nested:
            _restore_local(cursor, previous)
    return rows


_THRESHOLD = "pg_trgm.word_similarity_threshold"
# Planner settings for the candidate statements (see ``_run_trigram_statements``).
PG_SETTINGS = {"enable_seqscan": "off", "max_parallel_workers_per_gather": "0"}
_DEFAULTS = {_THRESHOLD: "0.6"}  # pg_trgm's own


def _after(prefix: str) -> str:
    """The smallest key after every key beginning with ``prefix`` (keys are [a-z ])."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _set_local(cursor: Any, settings: dict[str, str | None]) -> dict[str, str | None]:
    """Set ``settings`` for the current transaction (None: leave as is), in one round trip;
    returns their values before. A setting of pg_trgm's is unknown until the extension's
    library is loaded in the session: restoring it then gives pg_trgm's default."""
    names = list(settings)
    to_set = [(name, value) for name, value in settings.items() if value is not None]
    sql = ", ".join(
        ["current_setting(%s, true)"] * len(names) + ["set_config(%s, %s, true)"] * len(to_set)
    )
    params: list[str] = [*names, *itertools.chain.from_iterable(to_set)]
    cursor.execute(f"SELECT {sql}", params)
    return dict(zip(names, cursor.fetchone()[: len(names)], strict=True))


def _restore_local(cursor: Any, previous: dict[str, str | None]) -> None:
    _set_local(cursor, {name: value or _DEFAULTS.get(name) for name, value in previous.items()})


def _fallback_features(words: Iterable[str]) -> list[tuple[str, str]]:
    """("start", "iv") for each word's first two letters, ("piece", "iva") for its trigrams."""
    features: list[tuple[str, str]] = []
    for word in words:
        features.append(("start", word[:2]))
        features.extend(("piece", word[i : i + 3]) for i in range(len(word) - 2))
    return list(dict.fromkeys(features))


def _fallback_candidates(qs: QuerySet, words: Sequence[str]) -> list[tuple[int, str]]:
    """(pk, key) of the rows containing at least a third of the query's features, those with
    most first, at most ``FALLBACK_CANDIDATES``."""
    features = _fallback_features(words)
    conditions = [
        Q(search_key__startswith=text) | Q(search_key__contains=" " + text)
        if kind == "start"
        else Q(search_key__contains=text)
        for kind, text in features
    ]
    shared = sum(
        (
            Case(When(c, then=Value(1)), default=Value(0), output_field=IntegerField())
            for c in conditions
        ),
        start=Value(0, output_field=IntegerField()),
    )
    need = max(1, math.ceil(len(features) * FALLBACK_MIN_SHARE))
    return list(
        qs.annotate(shared_features=shared)
        .filter(shared_features__gte=need)
        .order_by("-shared_features", "search_key", "pk")
        .values_list("pk", "search_key")[:FALLBACK_CANDIDATES]
    )


# ---------------------------------------------------------------------------------------------
# Scoring, the same on both databases


def _ratio(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100.0


def word_score(query_word: str, key_word: str) -> float:
    """How well one query word matches one word of a name key (0..1)."""
    if len(query_word) == 1:
        return 1.0 if key_word.startswith(query_word) else 0.0
    whole = _ratio(query_word, key_word)
    if len(key_word) <= len(query_word):
        return whole
    n = len(query_word)
    prefix = max(_ratio(query_word, key_word[:m]) for m in (n - 1, n, n + 1) if m > 0)
    return max(whole, PREFIX_WEIGHT * prefix)


def name_score(
    query_words: Sequence[str], key: str, cache: dict[tuple[str, str], float] | None = None
) -> float:
    """How well the query's words match a name key (0..1).

    Each query word is paired with a different word of the key, in the best way; every pair
    must score at least ``WORD_MIN``, else the record does not match (0). Query words beyond
    the key's words (a patronymic the record lacks) stay unpaired and count as zero.
    ``cache`` keeps word scores across the keys of one search (names repeat a lot)."""
    target = key.split()
    if not query_words or not target:
        return 0.0
    if cache is None:
        cache = {}
    scores = []
    for i, q in enumerate(query_words):
        row = []
        for j, t in enumerate(target):
            score = cache.get((q, t))
            if score is None:
                score = cache[(q, t)] = word_score(q, t)
            row.append(score if i == j else score * OTHER_POSITION_WEIGHT)
        scores.append(row)
    n_query = len(query_words)
    if n_query > 6 or len(target) > 6:  # not a name: no pairing, each word's best
        best_each = [max(row) for row in scores]
        return 0.0 if min(best_each) < WORD_MIN else sum(best_each) / n_query
    slots: list[int | None] = list(range(len(target)))
    slots += [None] * max(0, n_query - len(target))
    best = 0.0
    for order in itertools.permutations(slots, n_query):
        pairs = [scores[i][j] for i, j in enumerate(order) if j is not None]
        if pairs and min(pairs) >= WORD_MIN:
            best = max(best, sum(pairs))
    return min(1.0, best / n_query)
