"""Reference data every role reads: the classifier of occupations, the service points, and
the bounds of the unemployment benefit in force on a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from opora.core.actors import Actor
from opora.core.scoping import Scope
from opora.rules.catalog import KOPECK
from opora.rules.selectors import value_in_force

from ..legal import BENEFIT_MAXIMUM, BENEFIT_MINIMUM
from ..models import Occupation, ServicePoint


def occupations(*, query: str = "") -> QuerySet[Occupation]:
    """The groups whose code starts with ``query`` or whose name contains it, in any case.

    SQLite folds the case of ASCII letters only, so the comparison is made here: the whole
    classifier is some hundreds of rows."""
    qs = Occupation.objects.all()
    text = " ".join(query.split()).casefold()
    if text:
        rows = qs.values_list("pk", "code", "name", "name_en")
        qs = qs.filter(
            pk__in=[
                pk
                for pk, code, name, name_en in rows
                if code.startswith(text) or text in name.casefold() or text in name_en.casefold()
            ]
        )
    return qs.order_by("code")


def occupation_get(*, code: str) -> Occupation:
    return get_object_or_404(Occupation, code=code)


def service_points(*, actor: Actor, in_my_documents: bool | None = None) -> QuerySet[ServicePoint]:
    """Service points hold no personal data: analysts see them all, staff their own."""
    qs = Scope.of(actor).rows(ServicePoint.objects.all(), via="pk", personal=False)
    if in_my_documents is not None:
        qs = qs.filter(in_my_documents=in_my_documents)
    return qs.select_related("institution__kind", "institution__district").order_by(
        "institution__name", "pk"
    )


def service_point_get(*, actor: Actor, pk: int) -> ServicePoint:
    return get_object_or_404(service_points(actor=actor), pk=pk)


@dataclass(frozen=True)
class BenefitBounds:
    on: dt.date
    minimum: Decimal
    maximum: Decimal


def benefit_bounds(*, on: dt.date) -> BenefitBounds:
    """The minimum and maximum of the unemployment benefit in force on ``on``."""
    return BenefitBounds(
        on=on,
        minimum=value_in_force(BENEFIT_MINIMUM, on=on).quantize(KOPECK),
        maximum=value_in_force(BENEFIT_MAXIMUM, on=on).quantize(KOPECK),
    )
