"""What the areas of the payments API share: the router and the lookups by id."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.http import Http404
from django.utils.translation import gettext as _

from opora.core.api_support import Router
from opora.core.errors import NotFound

from .. import selectors

router = Router(tags=["payments"])
T = TypeVar("T")


def found(lookup: Callable[[], T], message: str) -> T:
    try:
        return lookup()
    except Http404:
        raise NotFound("not_found", message) from None


def payroll_of(request, payroll_id: int):
    return found(
        lambda: selectors.payroll_get(actor=request.user, pk=payroll_id), _("No such payroll.")
    )


def person_of(request, person_id: int):
    return found(
        lambda: selectors.payout_person_get(actor=request.user, pk=person_id),
        _("No such person in your scope."),
    )
