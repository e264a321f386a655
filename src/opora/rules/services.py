"""Every write of the rules in force, and the fee calculation that reads them.

A new value never changes an old one: it is a new version from a later (or earlier) date, and
the versions of one rule end each other. Two versions of one rule from the same day are refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.errors import Conflict, DomainError, validated

from . import audit_actions as actions
from . import selectors
from .catalog import FEE_CAP_SHARE, FREE_THRESHOLD_MULTIPLIER, RuleKind, rule_spec
from .fees import FeeResult, calculate_fee
from .models import (
    CalendarDay,
    CalendarYear,
    DayKind,
    Region,
    RuleVersion,
    SubsistenceGroup,
    SubsistenceMinimum,
)
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
    actor: Any,
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
    *, actor: Any, code: str, name: str, name_en: str = "", is_home: bool = False
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
    actor: Any,
    region: Region,
    valid_from: dt.date,
    per_capita: Decimal,
    working_age: Decimal,
    pensioner: Decimal,
    child: Decimal,
    basis: str = "",
    is_example: bool = False,
) -> SubsistenceMinimum:
    amounts = {
        "per_capita": per_capita,
        "working_age": working_age,
        "pensioner": pensioner,
        "child": child,
    }
    wrong = {
        name: [_("Enter an amount greater than zero.")]
        for name, amount in amounts.items()
        if not amount.is_finite() or amount <= 0
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
            **{name: _neutral(amount) for name, amount in amounts.items()},
            "is_example": is_example,
        },
        reason=basis.strip(),
    )
    return minimum


# --- The working-day calendar -----------------------------------------------------------------


@transaction.atomic
def calendar_year_create(
    *, actor: Any, year: int, basis: str = "", is_example: bool = False
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
    *, actor: Any, date: dt.date, kind: str, name: str = "", name_en: str = ""
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
def calendar_day_remove(*, actor: Any, day: CalendarDay, reason: str = "") -> None:
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
    group: str = SubsistenceGroup.PER_CAPITA,
) -> FeeResult:
    """The fee cap for ``income`` from the rules in force on ``on`` in ``region`` (the
    department's region unless given). Reads only; writes nothing."""
    if group not in SubsistenceGroup.values:
        raise DomainError(
            "invalid_group", _("Unknown group of the population."), details={"group": [group]}
        )
    region = region or selectors.home_region()
    minimum = selectors.minimum_in_force(region, on=on)
    multiplier = selectors.version_in_force(FREE_THRESHOLD_MULTIPLIER, on=on)
    share = selectors.version_in_force(FEE_CAP_SHARE, on=on, service_form=service_form)
    result = calculate_fee(
        income=income,
        service_form=service_form,
        subsistence_minimum=minimum.for_group(group),
        multiplier=multiplier.value,
        share=share.value,
    )
    return replace(
        result,
        on=on,
        region=region,
        group_label=SubsistenceGroup(group).label,
        is_example=minimum.is_example or multiplier.is_example or share.is_example,
    )
