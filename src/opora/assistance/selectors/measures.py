"""Reads of the measures and their versions. Measures are the department's published policy:
every role allowed to see them sees all of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import formats

from opora.core.actors import Actor
from opora.core.permissions import has_permission

from .. import criteria
from ..access import MEASURE_VIEW
from ..models import Measure, MeasureVersion, VersionStatus

__all__ = [
    "Comparison",
    "FieldRow",
    "measure_get",
    "measures",
    "version_comparison",
    "version_get",
    "version_in_force",
    "versions_of",
]


def measures(*, actor: Actor, q: str = "", kind: str = "") -> QuerySet[Measure]:
    if not has_permission(actor, MEASURE_VIEW):
        return Measure.objects.none()
    qs = Measure.objects.all()
    if q.strip():
        text = q.strip()
        qs = qs.filter(
            Q(name__icontains=text) | Q(name_en__icontains=text) | Q(code__icontains=text)
        )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name", "pk")


def measure_get(*, actor: Actor, pk: int) -> Measure:
    return get_object_or_404(measures(actor=actor), pk=pk)


def _versions(actor: Actor) -> QuerySet[MeasureVersion]:
    if not has_permission(actor, MEASURE_VIEW):
        return MeasureVersion.objects.none()
    return MeasureVersion.objects.select_related("measure", "published_by")


def versions_of(*, actor: Actor, measure: Measure) -> QuerySet[MeasureVersion]:
    return _versions(actor).filter(measure=measure).order_by("-valid_from", "-number")


def version_get(*, actor: Actor, pk: int) -> MeasureVersion:
    return get_object_or_404(_versions(actor), pk=pk)


def version_in_force(*, measure: Measure, on: dt.date) -> MeasureVersion | None:
    """The published version with the latest valid-from date not after ``on``."""
    return (
        MeasureVersion.objects.filter(
            measure=measure, status=VersionStatus.PUBLISHED, valid_from__lte=on
        )
        .select_related("measure")
        .order_by("-valid_from", "-number")
        .first()
    )


# --- The draft beside the version in force ----------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    in_force: str
    draft: str
    changed: bool


@dataclass(frozen=True)
class Comparison:
    """A version beside the one it would follow: field by field, and the rules as sentences.
    ``base`` is None for a measure's first version (everything is new)."""

    version: MeasureVersion
    base: MeasureVersion | None
    fields: list[FieldRow]
    eligibility: list[Any]
    base_eligibility: list[Any]
    amount: list[Any]
    base_amount: list[Any]
    eligibility_changed: bool
    amount_changed: bool

    @property
    def changed(self) -> bool:
        return (
            self.eligibility_changed
            or self.amount_changed
            or any(row.changed for row in self.fields)
        )


_COMPARED = (
    "valid_from",
    "legal_basis",
    "periodicity",
    "term_months",
    "review_months",
    "decision_working_days",
    "amount_floor",
    "amount_ceiling",
    "documents",
    "note",
)


def _shown(version: MeasureVersion | None, name: str) -> str:
    if version is None:
        return ""
    value = getattr(version, name)
    if value is None or value == "" or value == []:
        return "—"
    if name == "periodicity":
        return str(version.get_periodicity_display())  # type: ignore[attr-defined]
    if name == "documents":
        return "; ".join(value)
    if isinstance(value, dt.date | Decimal):
        return str(formats.localize(value))
    return str(value)


def _base_of(version: MeasureVersion) -> MeasureVersion | None:
    """The published version this one would follow: the version in force on its first day,
    or, for a published version, the one it took over from."""
    return (
        MeasureVersion.objects.filter(
            measure=version.measure_id,
            status=VersionStatus.PUBLISHED,
            valid_from__lte=version.valid_from,
        )
        .exclude(pk=version.pk)
        .exclude(valid_from=version.valid_from, status=version.status, number__gt=version.number)
        .order_by("-valid_from", "-number")
        .first()
    )


def _amount_lines(data: Any) -> list[Any]:
    return criteria.describe_amount(data) if data else []


def version_comparison(*, actor: Actor, version: MeasureVersion) -> Comparison:
    version = version_get(actor=actor, pk=version.pk)
    base = _base_of(version)
    rows = []
    for name in _COMPARED:
        label = str(getattr(MeasureVersion._meta.get_field(name), "verbose_name", name))
        old, new = _shown(base, name), _shown(version, name)
        rows.append(
            FieldRow(name, label[:1].upper() + label[1:], old, new, base is None or old != new)
        )
    return Comparison(
        version=version,
        base=base,
        fields=rows,
        eligibility=criteria.describe(version.eligibility),
        base_eligibility=criteria.describe(base.eligibility) if base else [],
        amount=_amount_lines(version.amount),
        base_amount=_amount_lines(base.amount) if base else [],
        eligibility_changed=base is None or base.eligibility != version.eligibility,
        amount_changed=base is None or base.amount != version.amount,
    )
