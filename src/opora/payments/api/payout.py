"""Payout details: listed, read, recorded, ended."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import ExampleMarkOut, PageNumberPagination, api_require

from .. import selectors, services
from ..access import PAYOUT_EDIT, PAYOUT_VIEW
from ..models import PayoutChannel, PayoutDetails
from .common import found, person_of, router


class PaymentsPayoutOut(ExampleMarkOut):
    id: int
    person_id: int
    channel: PayoutChannel
    bik: str
    account: str
    postal_index: str
    address: str
    valid_from: dt.date
    valid_to: dt.date | None
    note: str


class PaymentsPayoutFilter(Schema):
    person: int | None = Field(None, description="the id of a person")
    channel: PayoutChannel | None = None
    on: dt.date | None = Field(None, description="only the details in force on this day")


class PaymentsPayoutIn(Schema):
    stored_in: ClassVar[type[PayoutDetails]] = PayoutDetails

    person_id: int
    channel: PayoutChannel
    valid_from: dt.date
    bik: str = Field("", max_length=9, description="bank: 9 digits")
    account: str = Field("", max_length=20, description="bank: 20 digits, the check digit right")
    postal_index: str = Field("", max_length=6, description="post office: 6 digits")
    address: str = Field("", max_length=300, description="post office: the address")
    note: str = Field("", max_length=300)


class PaymentsPayoutEndIn(Schema):
    valid_to: dt.date


def _details_of(request, details_id: int) -> PayoutDetails:
    return found(
        lambda: selectors.payout_details_get(actor=request.user, pk=details_id),
        _("No such payout details in your scope."),
    )


@router.get(
    "/payout-details",
    response=list[PaymentsPayoutOut],
    summary="Payout details of the people in the caller's scope",
)
@api_require(PAYOUT_VIEW)
@paginate(PageNumberPagination, page_size=50)
def payout_list(request, filters: Query[PaymentsPayoutFilter]):
    return selectors.payout_details(
        actor=request.user,
        person=person_of(request, filters.person) if filters.person else None,
        channel=filters.channel.value if filters.channel else "",
        on=filters.on,
    )


@router.post(
    "/payout-details",
    response={201: PaymentsPayoutOut},
    summary="Record how a person is paid (the details in force end the day before)",
)
@api_require(PAYOUT_EDIT)
def payout_record(request, payload: PaymentsPayoutIn):
    details = services.payout_details_record(
        actor=request.user,
        person=person_of(request, payload.person_id),
        channel=payload.channel.value,
        valid_from=payload.valid_from,
        bik=payload.bik,
        account=payload.account,
        postal_index=payload.postal_index,
        address=payload.address,
        note=payload.note,
    )
    return Status(201, details)


@router.get(
    "/payout-details/{details_id}", response=PaymentsPayoutOut, summary="One record of details"
)
@api_require(PAYOUT_VIEW)
def payout_detail(request, details_id: int):
    return _details_of(request, details_id)


@router.post(
    "/payout-details/{details_id}/end",
    response=PaymentsPayoutOut,
    summary="End the details on a day (an account closed)",
)
@api_require(PAYOUT_EDIT)
def payout_end(request, details_id: int, payload: PaymentsPayoutEndIn):
    return services.payout_details_end(
        actor=request.user, details=_details_of(request, details_id), valid_to=payload.valid_to
    )
