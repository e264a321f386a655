"""Numbered seminar series with their editions and the host of the next one."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Schema

from opora.core.api_support import api_require

from .. import selectors
from ..access import COOPERATION_VIEW
from ..models import Host
from .common import LangQuery, router, series_named, speak
from .events import EventOut

# --- Schemas ------------------------------------------------------------------------------------


class SeriesOut(Schema):
    id: int
    name: str
    partner_id: int
    alternates: bool
    first_host: Host
    first_held_on: dt.date | None
    notes: str


class SeriesDetailOut(SeriesOut):
    editions: list[EventOut]

    @staticmethod
    def resolve_editions(obj):
        return [row.event for row in selectors.series_editions(obj)]


class NextEditionOut(Schema):
    edition: int
    host: Host


# --- Endpoints ----------------------------------------------------------------------------------


@router.get("/series", response=list[SeriesOut], summary="Numbered seminar series")
@api_require(COOPERATION_VIEW)
def series_list(request, query: Query[LangQuery]):
    speak(request, query.lang)
    return list(selectors.series_list())


@router.get("/series/{series_id}", response=SeriesDetailOut, summary="A series with its editions")
@api_require(COOPERATION_VIEW)
def series_detail(request, series_id: int, query: Query[LangQuery]):
    speak(request, query.lang)
    return series_named(series_id)


@router.get(
    "/series/{series_id}/next",
    response=NextEditionOut,
    summary="The number of the next edition and who should host it",
)
@api_require(COOPERATION_VIEW)
def series_next(request, series_id: int):
    edition, host = selectors.series_next_edition(series_named(series_id))
    return {"edition": edition, "host": host}
