"""Demo data of the registry: the districts of Moscow and a small synthetic population of the
two demo districts (Tverskoy and Maryino), loaded through the registry's services.

Everything is keyed (districts by code; people, households and categories by external key),
so loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from decimal import Decimal
from typing import TypeVar, cast

from django.db import transaction
from django.utils import timezone

from opora.demo import population as synth
from opora.demo.loading import DemoContext, step
from opora.demo.steps.institutions import load_districts
from opora.institutions.models import Institution
from opora.registry import services
from opora.registry.models import CategoryKind, DocumentKind, Household, Person, PersonCategory
from opora.registry.reference import ensure_reference_data

DEMO_PEOPLE = 300
DEMO_DISTRICTS = ("tverskoy", "maryino")
DEMO_DUPLICATE_SHARE = 0.02
KEY_PREFIX = "demo-"
CRISIS_CENTRE = "crisis-centre-women-children"
FAMILY_CENTRE = "family-childhood-resource-centre"
CONSENT_SCOPE = "Обработка персональных данных для предоставления социальных услуг"


def _date(text: str) -> dt.date | None:
    """ "dd.mm.yyyy" (or "mm.yyyy", the first of the month) to a date."""
    if not text:
        return None
    parts = [int(p) for p in text.split(".")]
    if len(parts) == 2:
        return dt.date(parts[1], parts[0], 1)
    return dt.date(parts[2], parts[1], parts[0])


def _required_date(text: str) -> dt.date:
    """A date the generator always writes (a category's start, an income's month)."""
    day = _date(text)
    if day is None:
        raise ValueError(f"A date is required here, not {text!r}.")
    return day


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _passport(ctx: DemoContext, person: Person, key_number: int, today: dt.date) -> None:
    """A Russian passport for two adults in three: series 45 (Moscow) and the year of issue,
    a number unique per demo key; issued at 14 and replaced at 20 and 45."""
    if person.birth_date is None or key_number % 3 == 0:
        return
    issued = None
    for age in (14, 20, 45):
        day = _add_years(person.birth_date, age) + dt.timedelta(days=10 + key_number % 40)
        if day <= today:
            issued = (age, day)
    if issued is None:
        return
    age, issued_on = issued
    services.document_add(
        actor=ctx.actor,
        person=person,
        kind=_kind(DocumentKind, "passport-rf"),
        series=f"45{issued_on.year % 100:02d}",
        number=f"{key_number * 7919 % 1_000_000:06d}",
        issued_by="ГУ МВД России по г. Москве",
        issued_on=issued_on,
        valid_to=_add_years(person.birth_date, {14: 20, 20: 45}[age]) if age < 45 else None,
    )


_K = TypeVar("_K", CategoryKind, DocumentKind)
_kinds: dict[tuple[type, str], CategoryKind | DocumentKind] = {}


def _kind(model: type[_K], code: str) -> _K:
    if (model, code) not in _kinds:
        _kinds[(model, code)] = model.objects.get(code=code)
    return cast(_K, _kinds[(model, code)])  # kept under its own model


@step("registry-population", "Districts and a synthetic population of residents", order=40)
def load_population(ctx: DemoContext) -> None:
    started = time.perf_counter()
    _kinds.clear()
    ensure_reference_data()
    districts = load_districts(ctx.actor)
    institutions = {i.code: i for i in Institution.objects.all()}
    today = timezone.localdate()
    # ctx.seed, not the shared ctx.rng: the population stays the same whatever earlier steps
    # draw, so a second load finds every key of the first.
    chunks = synth.generate(
        DEMO_PEOPLE,
        seed=ctx.seed,
        duplicate_share=DEMO_DUPLICATE_SHARE,
        as_of=today,
        districts=DEMO_DISTRICTS,
        key_prefix=KEY_PREFIX,
    )
    created: defaultdict[str, int] = defaultdict(int)
    with transaction.atomic():
        for chunk in chunks:
            _load_chunk(ctx, chunk, districts, institutions, today, created)
    added = ", ".join(f"{count} {name}" for name, count in created.items()) or "nothing new"
    ctx.log(f"Synthetic residents: {added} ({time.perf_counter() - started:.1f} s)")


def _load_chunk(ctx, chunk: synth.Chunk, districts, institutions, today, created) -> None:
    keys = [row[0] for row in chunk.people]
    existing = set(
        Person.objects.filter(external_key__in=keys).values_list("external_key", flat=True)
    )
    people: dict[str, Person] = {}
    new: set[str] = set()
    for row in chunk.people:
        fields = dict(zip(synth.PEOPLE_COLUMNS, row, strict=True))
        key = fields["external_key"]
        if key in existing:
            continue
        birth_date = _date(fields["birth_date"])
        adult = birth_date is not None and _add_years(birth_date, 18) <= today
        person = services.person_register(
            actor=ctx.actor,
            institution=institutions.get(fields["institution"]),
            external_key=key,
            last_name=fields["last_name"],
            first_name=fields["first_name"],
            patronymic=fields["patronymic"],
            sex=fields["sex"],
            birth_date=birth_date,
            snils=fields["snils"] or None,
            phone=fields["phone"],
            email=fields["email"],
            consent_date=today if adult else None,
            consent_scope=CONSENT_SCOPE if adult else "",
        )
        district = districts.get(fields["district"])
        services.address_set(
            actor=ctx.actor,
            person=person,
            kind="registration",
            text=fields["registration_address"],
            district=district,
        )
        _passport(ctx, person, int(key.removeprefix(KEY_PREFIX)[1:]), today)
        people[key] = person
        new.add(key)
        created["people"] += 1

    people.update(
        (p.external_key, p)
        for p in Person.objects.filter(external_key__in=existing)
        if p.external_key is not None  # always: found by their key
    )

    # Households: the applicant comes first in the file.
    by_household: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in chunk.households:
        by_household[row[0]].append(dict(zip(synth.HOUSEHOLD_COLUMNS, row, strict=True)))
    existing_households = set(
        Household.objects.filter(external_key__in=list(by_household)).values_list(
            "external_key", flat=True
        )
    )
    for household_key, members in by_household.items():
        if household_key in existing_households:
            continue
        applicant = people[members[0]["person_key"]]
        address = applicant.addresses.get(kind="registration")
        household = services.household_create(
            actor=ctx.actor,
            applicant=applicant,
            address=address.text,
            district=address.district,
            joined_on=_date(members[0]["joined_on"]),
            external_key=household_key,
        )
        for member in members[1:]:
            services.household_add_member(
                actor=ctx.actor,
                household=household,
                person=people[member["person_key"]],
                relation=member["relation"],
                joined_on=_date(member["joined_on"]),
            )
        created["households"] += 1

    # Categories, and the centres that serve some families.
    existing_holdings = set(
        PersonCategory.objects.filter(
            external_key__in=[row[0] for row in chunk.categories]
        ).values_list("external_key", flat=True)
    )
    household_of = {row[1]: row[0] for row in chunk.households}  # person key → household
    centre_for: dict[str, str] = {}
    for row in chunk.categories:
        fields = dict(zip(synth.CATEGORY_COLUMNS, row, strict=True))
        if fields["external_key"] in existing_holdings:
            continue
        holder = people.get(fields["person_key"])
        if holder is None:
            continue
        services.category_assign(
            actor=ctx.actor,
            person=holder,
            kind=_kind(CategoryKind, fields["category"]),
            valid_from=_required_date(fields["valid_from"]),
            valid_to=_date(fields["valid_to"]),
            basis_document=fields["basis_document"],
            source=fields["source"],
            external_key=fields["external_key"],
        )
        created["categories"] += 1
        holder_household = household_of.get(fields["person_key"])
        if holder_household and fields["category"] == "difficult-situation":
            centre_for[holder_household] = CRISIS_CENTRE
        elif holder_household and fields["category"] in (
            "large-family",
            "disabled-child",
            "limited-health",
        ):
            centre_for.setdefault(holder_household, FAMILY_CENTRE)
    for household_key, centre in centre_for.items():
        institution = institutions.get(centre)
        if institution is None:
            continue
        for member in by_household[household_key]:
            services.person_serve(
                actor=ctx.actor, person=people[member["person_key"]], institution=institution
            )

    # Incomes of the people registered now.
    for row in chunk.incomes:
        fields = dict(zip(synth.INCOME_COLUMNS, row, strict=True))
        if fields["person_key"] not in new:
            continue
        services.income_record(
            actor=ctx.actor,
            person=people[fields["person_key"]],
            month=_required_date(fields["month"]),
            kind=fields["kind"],
            amount=Decimal(fields["amount"]),
            source=fields["source"],
        )
        created["incomes"] += 1
