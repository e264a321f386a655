"""Demo data of cooperation: the seeds' partners and their people, partnerships, the Helsinki
programme and the Moscow–Lugansk agreement with their action plans, the visits (with the
itineraries through the demo's institutions), the Moscow–Berlin seminar series, the
Vitebsk–Smolensk telebridge, the theatre festival, the III Forum of Social Innovations with its
stands, the Helsinki letter with its two disagreeing versions (flagged and resolved by the
demo's cooperation officer) and a reply, the exchanges of the staff who received the Lugansk
delegation, the partners' needs and the aid handed over to the LNR and the DNR — all from
``opora.demo.data.facts``, written through the services.

What the demo makes up (a day the seed gives only to the month, the hours of a stop, a reply no
seed has) is marked in the data: each fact's ``example`` becomes the record's ``is_example`` and
``example_note`` (``core.models.ExampleMark``). The step runs once: when the seeds' partners
exist it adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from opora.cooperation import services
from opora.cooperation.models import Direction, LetterVersion, Partner, PartnerPerson
from opora.core.actors import Actor
from opora.core.models import User
from opora.demo.data import facts
from opora.demo.loading import DemoContext, step
from opora.institutions.models import Employment, Institution


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _per_language(name: str, values: dict[str, str] | None) -> dict[str, Any]:
    """Keywords for a service's ``**translations``: ``title_ru=…, title_en=…``. Typed ``Any``
    as mypy matches a ``**`` dict against every keyword of the service, not only those."""
    return {f"{name}_{code}": text for code, text in (values or {}).items()}


def _example(fact: dict[str, Any]) -> dict[str, Any]:
    """The example mark of a fact: what of it the demo made up, if anything."""
    note = fact.get("example", "")
    return {"is_example": bool(note), "example_note": note}


def demo_partners_exist() -> bool:
    return Partner.objects.filter(code__in=[p["code"] for p in facts.COOPERATION_PARTNERS]).exists()


def _partners(actor: Actor) -> dict[str, Partner]:
    partners: dict[str, Partner] = {}
    for fact in facts.COOPERATION_PARTNERS:  # a parent comes before its units
        partners[fact["code"]] = services.partner_create(
            actor=actor,
            code=fact["code"],
            kind=fact["kind"],
            country=fact["country"],
            parent=partners.get(fact.get("parent", "")),
            languages=fact["languages"],
            website=fact.get("website", ""),
            notes=fact.get("notes", ""),
            **_per_language("name", fact["name"]),
            **_per_language("short_name", fact.get("short_name")),
            **_per_language("city", fact.get("city")),
        )
    for fact in facts.COOPERATION_PARTNERSHIPS:
        services.partnership_add(
            actor=actor,
            partner=partners[fact["partner"]],
            kind=fact["kind"],
            since=_day(fact["since"]),
            since_precision=fact["since_precision"],
            **_per_language("description", fact["description"]),
        )
    return partners


def _people(actor: Actor, partners: dict[str, Partner]) -> dict[str, PartnerPerson]:
    people = {}
    for fact in facts.COOPERATION_PEOPLE:
        person = services.person_add(
            actor=actor,
            partner=partners[fact["partner"]],
            full_name=fact["full_name"],
            full_name_ru=fact["full_name_ru"],
            notes=fact.get("notes", ""),
        )
        for position in fact["positions"]:
            services.position_add(
                actor=actor,
                person=person,
                valid_from=_day(position["valid_from"]),
                **_per_language("title", position["title"]),
            )
        people[fact["key"]] = person
    return people


def _agreements(actor: Actor, partners: dict[str, Partner]) -> dict[str, Any]:
    agreements = {}
    for fact in facts.COOPERATION_AGREEMENTS:
        agreements[fact["key"]] = services.agreement_create(
            actor=actor,
            kind=fact["kind"],
            signed_on=_day(fact["signed_on"]),
            dates_precision=fact.get("dates_precision", "day"),
            valid_from=_day(fact["valid_from"]),
            status=fact["status"],
            themes=fact["themes"],
            parties=[{"partner": partners[code] if code else None} for code in fact["parties"]],
            **_example(fact),
            **_per_language("title", fact["title"]),
            **_per_language("description", fact["description"]),
        )
    return agreements


def _events(
    actor: Actor,
    partners: dict[str, Partner],
    people: dict[str, PartnerPerson],
    agreements: dict[str, Any],
) -> dict[str, Any]:
    first_held_on = facts.BERLIN_SEMINAR_SERIES["first_held_on"]
    series = services.series_create(
        actor=actor,
        partner=partners[facts.BERLIN_SEMINAR_SERIES["partner"]],
        alternates=facts.BERLIN_SEMINAR_SERIES["alternates"],
        first_host=facts.BERLIN_SEMINAR_SERIES["first_host"],
        first_held_on=_day(first_held_on) if first_held_on else None,
        notes=facts.BERLIN_SEMINAR_SERIES["notes"],
        **_per_language("name", facts.BERLIN_SEMINAR_SERIES["name"]),
    )
    institutions = {i.code: i for i in Institution.objects.all()}
    events = {}
    for fact in facts.COOPERATION_EVENTS:
        edition = fact.get("series_edition")
        event = services.event_create(
            actor=actor,
            kind=fact["kind"],
            starts_on=_day(fact["starts_on"]),
            ends_on=_day(fact["ends_on"]),
            host=fact["host"],
            partners=[(partners[code], role) for code, role in fact["partners"]],
            agreement=agreements.get(fact.get("agreement", "")),
            series=series if edition else None,
            edition=edition,
            topics=fact.get("topics", []),
            participant_count=fact.get("participant_count"),
            status=fact["status"],
            **_example(fact),
            **_per_language("title", fact["title"]),
            **_per_language("description", fact.get("description")),
            **_per_language("place", fact.get("place")),
            **_per_language("city", fact.get("city")),
            **_per_language("outcome", fact.get("outcome")),
        )
        for side, person, name, role in fact["participants"]:
            services.participant_add(
                actor=actor,
                event=event,
                side=side,
                partner_person=people[person] if person else None,
                name=name,
                role=role,
            )
        for stop in fact["stops"]:
            services.itinerary_stop_add(
                actor=actor,
                event=event,
                day=_day(stop["day"]),
                starts_at=_time(stop["starts_at"]),
                ends_at=_time(stop["ends_at"]),
                kind=stop["kind"],
                institution=institutions[stop["institution"]] if stop["institution"] else None,
                host_name=stop["host_name"],
                **_example(stop),
                **_per_language("title", stop["title"]),
            )
        for stand in fact.get("stands", ()):
            services.stand_add(
                actor=actor,
                event=event,
                institutions=[institutions[c] for c in stand["institutions"] if c in institutions],
                **_per_language("title", stand["title"]),
                **_per_language("project", stand["project"]),
                **_per_language("description", stand["description"]),
            )
        events[fact["key"]] = event
    return events


def _exchanges(actor: Actor, partners: dict[str, Partner], events: dict[str, Any]) -> int:
    """The staff who received a delegation (an event's ``exchange``): everyone in the given
    positions at an institution of the itinerary, employed there for the whole event, each
    recorded as an incoming exchange of specialists and entered in their training records with
    the event's dates, marked as an example (who took part, the hours)."""
    recorded = 0
    for fact in facts.COOPERATION_EVENTS:
        exchange = fact.get("exchange")
        if not exchange:
            continue
        event = events[fact["key"]]
        codes = {stop["institution"] for stop in fact["stops"] if stop["institution"]}
        employments = (
            Employment.objects.filter(
                institution__code__in=codes,
                position__code__in=exchange["positions"],
                hired_on__lte=event.starts_on,
            )
            .exclude(left_on__lt=event.ends_on)
            .select_related("employee")
            .order_by("institution__code", "employee__personnel_number", "pk")
        )
        seen: set[int] = set()
        for employment in employments:
            if employment.employee_id in seen:
                continue
            seen.add(employment.employee_id)
            services.exchange_record(
                actor=actor,
                employee=employment.employee,
                direction=Direction.INCOMING,
                partner=partners[exchange["partner"]],
                starts_on=event.starts_on,
                ends_on=event.ends_on,
                event=event,
                hours=exchange["hours"],
                **_example(exchange),
                **_per_language("place", exchange["place"]),
                **_per_language("purpose", exchange["purpose"]),
            )
            recorded += 1
    return recorded


def _actions(actor: Actor, agreements: dict[str, Any], events: dict[str, Any]) -> None:
    for fact in facts.COOPERATION_AGREEMENTS:
        for action in fact["actions"]:
            services.action_item_add(
                actor=actor,
                agreement=agreements[fact["key"]],
                owner=action["owner"],
                status=action["status"],
                events=[events[key] for key in action["events"]],
                **_per_language("title", action["title"]),
            )


def _officer(ctx: DemoContext, username: str) -> Any:
    """The demo account who acts in a record (the cooperation officer who resolves the
    discrepancy of a letter); the step's actor when the accounts are not loaded."""
    user = User.objects.filter(username=username).first()
    if user is None:
        ctx.log(f"cooperation: no demo account {username!r}, the system acts instead")
        return ctx.actor
    return user


def _letters(
    ctx: DemoContext,
    partners: dict[str, Partner],
    people: dict[str, PartnerPerson],
    agreements: dict[str, Any],
    events: dict[str, Any],
) -> None:
    actor = ctx.actor
    letters: dict[str, Any] = {}
    for fact in facts.COOPERATION_LETTERS:
        original, *translations = sorted(fact["versions"], key=lambda v: not v["is_original"])
        letter = services.letter_register(
            actor=actor,
            direction=fact["direction"],
            partner=partners[fact["partner"]],
            dated_on=_day(fact["dated_on"]),
            number=fact["number"],
            subject=fact["subject"],
            language=original["language"],
            text=original["text"],
            signatory=people.get(fact["signatory"]),
            signatory_name=fact["signatory_name"],
            our_person=fact["our_person"],
            in_reply_to=letters.get(fact.get("in_reply_to", "")),
            events=[events[key] for key in fact["events"]],
            agreements=[agreements[key] for key in fact["agreements"]],
            **_example(fact),
        )
        for version in translations:
            services.letter_version_add(
                actor=actor,
                letter=letter,
                language=version["language"],
                text=version["text"],
            )
        discrepancy = fact.get("discrepancy")
        if discrepancy:
            # The officer who noticed the discrepancy records it and resolves it, with reasons.
            officer = _officer(ctx, discrepancy["resolved_by"])
            versions = list(LetterVersion.objects.filter(letter=letter))
            flagged = services.discrepancy_flag(
                actor=officer,
                letter=letter,
                versions=versions,
                description=discrepancy["description"],
            )
            services.discrepancy_resolve(
                actor=officer,
                discrepancy=flagged,
                correct_version=next(
                    v for v in versions if v.language == discrepancy["correct_language"]
                ),
                resolution=discrepancy["resolution"],
            )
        letters[fact["key"]] = letter


def _needs_and_aid(actor: Actor, partners: dict[str, Partner], events: dict[str, Any]) -> None:
    needs = {}
    for fact in facts.COOPERATION_NEEDS:
        need = services.need_raise(
            actor=actor,
            partner=partners[fact["partner"]],
            kind=fact["kind"],
            raised_on=_day(fact["raised_on"]),
            raised_at_event=events.get(fact["raised_at_event"]),
            **_example(fact),
            **_per_language("title", fact["title"]),
            **_per_language("description", fact["description"]),
        )
        needs[fact["key"]] = need
    for fact in facts.COOPERATION_AID:
        services.aid_deliver(
            actor=actor,
            partner=partners[fact["partner"]],
            need=needs.get(fact["need"]),
            handed_over_on=_day(fact["handed_over_on"]),
            document=fact["document"],
            notes=fact["notes"],
            **_example(fact),
            items=[
                {
                    "quantity": Decimal(item["quantity"]),
                    "unit": item["unit"],
                    **_per_language("name", item["name"]),
                }
                for item in fact["items"]
            ],
        )
    # The statuses after the aid: aid is not delivered against a need already met. A need
    # moves one step at a time: raised → accepted → in progress → met.
    path = ("accepted", "in_progress", "met")
    for fact in facts.COOPERATION_NEEDS:
        need = needs[fact["key"]]
        steps = path[: path.index(fact["status"]) + 1] if fact["status"] in path else ()
        for status in steps:
            need = services.need_status_change(actor=actor, need=need, status=status)


@step("cooperation", "Partners, agreements, events, letters, needs and aid of the seeds", order=70)
def load_cooperation(ctx: DemoContext) -> None:
    if demo_partners_exist():
        ctx.log("cooperation: the seeds' partners exist, nothing added")
        return
    actor = ctx.actor
    with transaction.atomic():
        partners = _partners(actor)
        people = _people(actor, partners)
        agreements = _agreements(actor, partners)
        events = _events(actor, partners, people, agreements)
        _actions(actor, agreements, events)
        _letters(ctx, partners, people, agreements, events)
        _needs_and_aid(actor, partners, events)
        exchanges = _exchanges(actor, partners, events)
    ctx.log(f"cooperation: {len(partners)} partners, {len(events)} events, {exchanges} exchanges")
