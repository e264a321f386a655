"""Every write of the rules in force, and the fee calculation that reads them.

A new value never changes an old one: it is a new version from a later (or earlier) date, and
the versions of one rule end each other. Two versions of one rule from the same day are refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import replace
from decimal import Decimal
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, reject_unknown_fields, validated

from . import audit_actions as actions
from . import selectors
from .catalog import FEE_CAP_SHARE, FREE_THRESHOLD_MULTIPLIER, RuleKind, rule_spec
from .fees import FeeResult, calculate_fee, checked_form, checked_income, free_of_charge
from .models import (
    CalendarDay,
    CalendarYear,
    DayKind,
    FreeGround,
    Region,
    RuleVersion,
    SubsistenceGroup,
    SubsistenceMinimum,
)
from .recipients import GroupChoice, GroupReason, Recipient, choose_group
from .workdays import calendar_missing

T = TypeVar("T", bound=Model)

# The years a calendar may be kept for: a typo such as 20026 is refused.
FIRST_CALENDAR_YEAR = 1992
LAST_CALENDAR_YEAR = 2100


def _saved(instance: T, conflict: Callable[[], DomainError]) -> T:
    """Save, turning the unique constraint a simultaneous writer may hit into the same
    DomainError the check before gives (the check is for the message, the constraint for
    the race)."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise conflict() from None
    return instance


def _neutral(value: Decimal) -> str:
    """A decimal for the audit data: no trailing zeros, a point whatever the writer's language."""
    return format(value.normalize(), "f")


# --- Rules ------------------------------------------------------------------------------------


@transaction.atomic
def rule_version_add(
    *,
    actor: Actor,
    code: str,
    valid_from: dt.date,
    value: Decimal,
    service_form: str = "",
    basis: str = "",
    note: str = "",
    is_example: bool = False,
) -> RuleVersion:
    spec = rule_spec(code)
    service_form = selectors.checked_form(spec, service_form or "")
    spec.check(value)

    def taken() -> DomainError:
        return Conflict(
            "version_exists",
            _("«%(rule)s» already has a version from %(date)s: choose another date.")
            % {"rule": spec.label, "date": valid_from.strftime("%d.%m.%Y")},
            details={"valid_from": [_("A version from this date exists.")]},
        )

    if RuleVersion.objects.filter(
        code=code, service_form=service_form, valid_from=valid_from
    ).exists():
        raise taken()
    version = validated(
        RuleVersion(
            code=code,
            service_form=service_form,
            valid_from=valid_from,
            value=value,
            basis=basis.strip(),
            note=note.strip(),
            is_example=is_example,
        )
    )
    _saved(version, taken)
    shown = f"{_neutral(value * 100)} %" if spec.kind is RuleKind.SHARE else _neutral(value)
    audit.record(
        actor=actor,
        action=actions.RULE_VERSION_ADDED,
        obj=version,
        data={
            "rule": code,
            "service_form": service_form,
            "value": shown,
            "valid_from": valid_from.isoformat(),
            "is_example": is_example,
        },
        reason=basis.strip(),
    )
    return version


# --- Regions and subsistence minimums ---------------------------------------------------------


@transaction.atomic
def region_create(
    *, actor: Actor, code: str, name: str, name_en: str = "", is_home: bool = False
) -> Region:
    def taken() -> DomainError:
        return Conflict(
            "region_exists",
            _("A region with the code %(code)s already exists.") % {"code": code},
            details={"code": [_("Choose another code.")]},
        )

    if Region.objects.filter(code=code).exists():
        raise taken()
    if is_home and Region.objects.filter(is_home=True).exists():
        raise Conflict(
            "home_region_exists",
            _("The department's region is already set: only one region can be it."),
            details={"is_home": [_("Another region is the department's region.")]},
        )
    region = validated(
        Region(code=code, name=name.strip(), name_en=name_en.strip(), is_home=is_home)
    )
    _saved(region, taken)
    audit.record(
        actor=actor,
        action=actions.REGION_CREATED,
        obj=region,
        changes=audit.diff({}, audit.snapshot(region, ("code", "name", "name_en", "is_home"))),
    )
    return region


MINIMUM_GROUPS = tuple(SubsistenceGroup.values)


@transaction.atomic
def subsistence_minimum_add(
    *,
    actor: Actor,
    region: Region,
    valid_from: dt.date,
    per_capita: Decimal,
    working_age: Decimal | None = None,
    pensioner: Decimal | None = None,
    child: Decimal | None = None,
    basis: str = "",
    is_example: bool = False,
) -> SubsistenceMinimum:
    """The minimums a region's act sets from a date: the per-capita one always, each group's
    where the act sets one (where it does not, the fee calculator uses the per-capita one)."""
    amounts = {
        "per_capita": per_capita,
        "working_age": working_age,
        "pensioner": pensioner,
        "child": child,
    }
    wrong = {
        name: [_("Enter an amount greater than zero.")]
        for name, amount in amounts.items()
        if (amount is not None or name == "per_capita")
        and (amount is None or not amount.is_finite() or amount <= 0)
    }
    if wrong:
        raise DomainError(
            "invalid_minimum", _("A subsistence minimum is more than zero roubles."), details=wrong
        )

    def taken() -> DomainError:
        return Conflict(
            "minimum_exists",
            _("%(region)s already has a subsistence minimum from %(date)s: choose another date.")
            % {"region": region, "date": valid_from.strftime("%d.%m.%Y")},
            details={"valid_from": [_("A subsistence minimum from this date exists.")]},
        )

    if SubsistenceMinimum.objects.filter(region=region, valid_from=valid_from).exists():
        raise taken()
    minimum = validated(
        SubsistenceMinimum(
            region=region,
            valid_from=valid_from,
            basis=basis.strip(),
            is_example=is_example,
            **amounts,
        )
    )
    _saved(minimum, taken)
    audit.record(
        actor=actor,
        action=actions.MINIMUM_ADDED,
        obj=region,
        data={
            "valid_from": valid_from.isoformat(),
            **{
                name: _neutral(amount) if amount is not None else None
                for name, amount in amounts.items()
            },
            "is_example": is_example,
        },
        reason=basis.strip(),
    )
    return minimum


# --- Free-of-charge grounds (442-FZ art. 31 part 1) -------------------------------------------

GROUND_FIELDS = (
    "code",
    "name",
    "name_en",
    "citation",
    "citation_en",
    "valid_from",
    "valid_to",
    "age_under",
    "category_code",
    "note",
)
# What an administrator may change of a ground: its words and its end. The code, the start and
# the criterion stay: a new criterion is a new period of the code.
GROUND_CHANGEABLE = ("name", "name_en", "citation", "citation_en", "valid_to", "note")


def _refuse_overlap(ground: FreeGround) -> None:
    """A period of a code may not share a day with another period of the same code."""
    clash = ground.overlapping().first()
    if clash is not None:
        raise Conflict(
            "ground_overlaps",
            _("The ground %(code)s is already in force from %(start)s to %(end)s.")
            % {
                "code": ground.code,
                "start": clash.valid_from.strftime("%d.%m.%Y"),
                "end": clash.valid_to.strftime("%d.%m.%Y") if clash.valid_to else "…",
            },
            details={"valid_from": [_("The periods overlap.")]},
        )


@transaction.atomic
def free_ground_add(
    *,
    actor: Actor,
    code: str,
    name: str,
    citation: str,
    valid_from: dt.date,
    name_en: str = "",
    citation_en: str = "",
    valid_to: dt.date | None = None,
    age_under: int | None = None,
    category_code: str = "",
    note: str = "",
) -> FreeGround:
    """A ground on which services are free whatever the income, in force from ``valid_from``
    (to ``valid_to`` inclusive): for those younger than ``age_under`` on the date, or holding
    the registry category ``category_code`` on the date. A period of a code overlapping
    another of the same code is refused."""
    code = code.strip()

    def taken() -> DomainError:
        return Conflict(
            "ground_exists",
            _("The ground %(code)s already has a period from %(date)s.")
            % {"code": code, "date": valid_from.strftime("%d.%m.%Y")},
            details={"valid_from": [_("A period from this date exists.")]},
        )

    ground = FreeGround(
        code=code,
        name=name.strip(),
        name_en=name_en.strip(),
        citation=citation.strip(),
        citation_en=citation_en.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        age_under=age_under,
        category_code=category_code.strip(),
        note=note.strip(),
    )
    if code and (valid_to is None or valid_to >= valid_from):
        _refuse_overlap(ground)
    validated(ground)
    _saved(ground, taken)
    audit.record(
        actor=actor,
        action=actions.GROUND_ADDED,
        obj=ground,
        changes=audit.diff({}, audit.snapshot(ground, GROUND_FIELDS)),
        reason=citation.strip(),
    )
    return ground


@transaction.atomic
def free_ground_update(
    *, actor: Actor, ground: FreeGround, reason: str = "", **fields: Any
) -> FreeGround:
    """Change a ground's names, citations, note or end (``valid_to``; None: open-ended)."""
    reject_unknown_fields(fields, GROUND_CHANGEABLE)
    ground = FreeGround.objects.select_for_update().get(pk=ground.pk)
    before = audit.snapshot(ground, GROUND_FIELDS)
    for name, value in fields.items():
        setattr(ground, name, value.strip() if isinstance(value, str) else value)
    if ground.valid_to is None or ground.valid_to >= ground.valid_from:
        _refuse_overlap(ground)
    validated(ground)
    ground.save()
    audit.record_changes(
        actor=actor,
        action=actions.GROUND_CHANGED,
        obj=ground,
        before=before,
        after=audit.snapshot(ground, GROUND_FIELDS),
        reason=reason.strip(),
    )
    return ground


# --- The working-day calendar -----------------------------------------------------------------


@transaction.atomic
def calendar_year_create(
    *, actor: Actor, year: int, basis: str = "", is_example: bool = False
) -> CalendarYear:
    if not FIRST_CALENDAR_YEAR <= year <= LAST_CALENDAR_YEAR:
        raise DomainError(
            "invalid_year",
            _("Enter a year from %(first)s to %(last)s.")
            % {"first": FIRST_CALENDAR_YEAR, "last": LAST_CALENDAR_YEAR},
            details={"year": [_("Check the year.")]},
        )

    def taken() -> DomainError:
        return Conflict(
            "calendar_exists",
            _("The calendar of %(year)s already exists.") % {"year": year},
            details={"year": [_("This year is already open.")]},
        )

    if CalendarYear.objects.filter(year=year).exists():
        raise taken()
    calendar = validated(CalendarYear(year=year, basis=basis.strip(), is_example=is_example))
    _saved(calendar, taken)
    audit.record(
        actor=actor,
        action=actions.CALENDAR_YEAR_CREATED,
        obj=calendar,
        data={"is_example": is_example},
        reason=basis.strip(),
    )
    return calendar


@transaction.atomic
def calendar_day_add(
    *, actor: Actor, date: dt.date, kind: str, name: str = "", name_en: str = ""
) -> CalendarDay:
    if kind not in DayKind.values:
        raise DomainError(
            "invalid_day_kind", _("Unknown kind of calendar day."), details={"kind": [kind]}
        )
    calendar = CalendarYear.objects.select_for_update().filter(year=date.year).first()
    if calendar is None:
        raise calendar_missing(date.year)
    weekend = date.weekday() >= 5
    if kind == DayKind.WORKING and not weekend:
        raise DomainError(
            "working_day_on_weekday",
            _("%(date)s is a weekday and a working day already.")
            % {"date": date.strftime("%d.%m.%Y")},
            details={"kind": [_("Only a Saturday or Sunday can be made a working day.")]},
        )
    if kind == DayKind.DAY_OFF and weekend:
        raise DomainError(
            "day_off_on_weekend",
            _("%(date)s is a Saturday or Sunday and a day off already.")
            % {"date": date.strftime("%d.%m.%Y")},
            details={"kind": [_("Only a weekday can be made a day off.")]},
        )

    def taken() -> DomainError:
        return Conflict(
            "day_marked",
            _("%(date)s is already marked in the calendar: remove that mark first.")
            % {"date": date.strftime("%d.%m.%Y")},
            details={"date": [_("This day is already marked.")]},
        )

    if CalendarDay.objects.filter(date=date).exists():
        raise taken()
    day = validated(
        CalendarDay(
            calendar=calendar, date=date, kind=kind, name=name.strip(), name_en=name_en.strip()
        )
    )
    _saved(day, taken)
    audit.record(
        actor=actor,
        action=actions.CALENDAR_DAY_ADDED,
        obj=calendar,
        data={"date": date.isoformat(), "kind": kind, "name": day.name},
    )
    return day


@transaction.atomic
def calendar_day_remove(*, actor: Actor, day: CalendarDay, reason: str = "") -> None:
    day = CalendarDay.objects.select_related("calendar").select_for_update().get(pk=day.pk)
    audit.record(
        actor=actor,
        action=actions.CALENDAR_DAY_REMOVED,
        obj=day.calendar,
        data={"date": day.date.isoformat(), "kind": day.kind, "name": day.name},
        reason=reason.strip(),
    )
    day.delete()


# --- The fee calculator -----------------------------------------------------------------------


def fee_calculate(
    *,
    income: Decimal,
    service_form: str,
    on: dt.date,
    region: Region | None = None,
    group: str | None = None,
    birth_date: dt.date | None = None,
    age: int | None = None,
    sex: str = "",
    categories: Iterable[str] | None = None,
) -> FeeResult:
    """The fee cap for ``income`` from the rules in force on ``on`` in ``region`` (the
    department's region unless given), for a recipient with these facts on ``on``. Reads only;
    writes nothing.

    The facts are plain values: ``birth_date`` (or ``age`` in full years on ``on``), ``sex``
    ("M", "F" or "" as the registry keeps it) and ``categories``, the registry category codes
    the recipient holds on ``on`` (an empty list: holds none; None: not known).

    1. A free-of-charge ground in force on ``on`` that the recipient qualifies for (art. 31
       part 1: a minor, a person affected by an emergency or an armed inter-ethnic conflict)
       makes the fee zero whatever the income.
    2. Otherwise the income limit is the multiple in force of the region's subsistence minimum
       for the recipient's socio-demographic group (``recipients.choose_group``; ``group``
       chooses it by hand), the per-capita one where the group is not known or the region set
       no figure for it; the explanation names the group and the figure.
    """
    service_form = checked_form(service_form)
    income = checked_income(income)
    recipient = Recipient.of(
        on=on, birth_date=birth_date, age=age, sex=sex or "", categories=categories
    )
    ground = selectors.free_ground_applying(
        on=on, age=recipient.age, categories=recipient.categories
    )
    if ground is not None:
        return replace(
            free_of_charge(income=income, service_form=service_form, ground=ground),
            on=on,
            region=region,
            age_checked=recipient.knows_age,
            categories_checked=recipient.knows_categories,
        )

    rules_read: list[RuleVersion] = []

    def rule(code: str) -> RuleVersion:
        version = selectors.version_in_force(code, on=on)
        rules_read.append(version)
        return version

    if group:
        if group not in SubsistenceGroup.values:
            raise DomainError(
                "invalid_group",
                _("Unknown group of the population."),
                details={"group": [group]},
            )
        choice = GroupChoice(group, GroupReason.GIVEN, recipient.age)
    else:
        choice = choose_group(recipient, rule=rule)
    region = region or selectors.home_region()
    minimum = selectors.minimum_in_force(region, on=on)
    figure, used = selectors.group_minimum(minimum, choice.group)
    multiplier = rule(FREE_THRESHOLD_MULTIPLIER)
    share = selectors.version_in_force(FEE_CAP_SHARE, on=on, service_form=service_form)
    result = calculate_fee(
        income=income,
        service_form=service_form,
        subsistence_minimum=figure,
        multiplier=multiplier.value,
        share=share.value,
    )
    return replace(
        result,
        on=on,
        region=region,
        group=used,
        group_label=SubsistenceGroup(used).label,
        group_choice=choice,
        fell_back_from=choice.group if used != choice.group else "",
        is_example=minimum.is_example
        or share.is_example
        or any(version.is_example for version in rules_read),
        age_checked=recipient.knows_age,
        categories_checked=recipient.knows_categories,
    )
