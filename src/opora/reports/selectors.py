"""Every read of the published figures.

Figures are public facts, not personal data: every role with the view permission reads all of
them, so the actor only decides whether anything is shown at all (None: the system, which reads
everything). The institution or partner a figure is about comes with it in the same query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opora.cooperation.models import Partner
from opora.core.actors import Actor
from opora.core.errors import DomainError, NotFound
from opora.core.permissions import has_permission
from opora.institutions.models import Institution

from .access import FIGURES_VIEW
from .models import PublishedFigure

# The years a figure may be asked for: a typo such as 20021 is refused, not searched.
FIRST_YEAR = 1900
LAST_YEAR = 2100


def _figures(actor: Actor) -> QuerySet[PublishedFigure]:
    if not has_permission(actor, FIGURES_VIEW):
        return PublishedFigure.objects.none()
    return PublishedFigure.objects.all()


def of_source(source: str) -> Q:
    """The figures of one source: its document, or its title where it names no document."""
    return Q(source_document=source) | (Q(source_document="") & Q(source_title=source))


def of_year(year: int) -> Q:
    """The figures as of a day of ``year``, or of a period that takes in part of it."""
    return Q(as_of__year=year) | Q(as_of__year__lt=year, as_of_end__year__gte=year)


def checked_year(year: int | None) -> int | None:
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(
            "invalid_year",
            _("Enter a year from %(first)s to %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            details={"year": [_("Check the year.")]},
        )
    return year


def figure_list(
    *,
    actor: Actor,
    source: str = "",
    source_kind: str = "",
    unit: str = "",
    year: int | None = None,
    q: str = "",
    retired: bool = False,
) -> QuerySet[PublishedFigure]:
    """Figures matching the filters, newest first; retired ones only with ``retired``.

    ``source`` is a source's document (or its title where it names none), ``unit`` and
    ``source_kind`` are codes, ``year`` keeps the figures as of that year, ``q`` keeps those with
    every one of its words in the code, the quantity in either language, the source's title or
    the quotation, whatever the case."""
    qs = _figures(actor).select_related("institution", "partner")
    if not retired:
        qs = qs.filter(retired_at__isnull=True)
    if source:
        qs = qs.filter(of_source(source))
    if source_kind:
        qs = qs.filter(source_kind=source_kind)
    if unit:
        qs = qs.filter(unit=unit)
    year = checked_year(year)
    if year is not None:
        qs = qs.filter(of_year(year))
    for word in (q or "").casefold().split():
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("-as_of", "code", "pk")


def figure_get(*, actor: Actor, pk: int) -> PublishedFigure:
    figure = _figures(actor).select_related("institution", "partner").filter(pk=pk).first()
    if figure is None:
        raise NotFound("unknown_figure", _("There is no such published figure."))
    return figure


def latest_figures(*, actor: Actor, limit: int = 5) -> list[PublishedFigure]:
    """The most recent figures in force, for the dashboard."""
    return list(figure_list(actor=actor)[:limit])


@dataclass(frozen=True)
class SourceChoice:
    key: str  # what ``figure_list(source=…)`` takes
    title: str
    date: dt.date | None
    kind: str
    count: int

    @property
    def label(self) -> str:
        when = f" ({date_format(self.date, 'SHORT_DATE_FORMAT')})" if self.date else ""
        return f"{self.title}{when}"


def figure_sources(*, actor: Actor) -> list[SourceChoice]:
    """The sources the figures come from, each once with its number of figures in force."""
    rows = (
        _figures(actor)
        .filter(retired_at__isnull=True)
        .values("source_document", "source_title", "source_date", "source_kind")
        .annotate(count=Count("pk"))
        .order_by("source_date", "source_title", "source_document")
    )
    sources: dict[str, SourceChoice] = {}
    for row in rows:
        key = row["source_document"] or row["source_title"]
        if key in sources:
            known = sources[key]
            sources[key] = SourceChoice(
                key, known.title, known.date, known.kind, known.count + row["count"]
            )
            continue
        sources[key] = SourceChoice(
            key, row["source_title"], row["source_date"], row["source_kind"], row["count"]
        )
    return list(sources.values())


def figure_years(*, actor: Actor) -> list[int]:
    """The years the figures in force are as of, newest first."""
    days = _figures(actor).filter(retired_at__isnull=True).dates("as_of", "year", order="DESC")
    return [day.year for day in days]


# --- What a figure is about, by code (the API names them so) ---------------------------------


def institution_by_code(code: str) -> Institution:
    institution = Institution.objects.filter(code=code).first()
    if institution is None:
        raise DomainError(
            "unknown_institution",
            _("There is no institution with the code %(code)s.") % {"code": code},
            details={"institution": [_("Check the code.")]},
        )
    return institution


def partner_by_code(code: str) -> Partner:
    partner = Partner.objects.filter(code=code).first()
    if partner is None:
        raise DomainError(
            "unknown_partner",
            _("There is no partner with the code %(code)s.") % {"code": code},
            details={"partner": [_("Check the code.")]},
        )
    return partner


def institution_choices() -> QuerySet[Institution]:
    """Every institution a figure may be about: figures are public, so not only the reader's."""
    return Institution.objects.order_by("name", "pk")


def partner_choices() -> QuerySet[Partner]:
    return Partner.objects.order_by("name", "pk")
