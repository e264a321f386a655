"""Numbered seminar series: the list, one series with its editions and the host each should
have had by the alternation, a new series, and the next edition planned with its number and
host filled in."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext as _

from opora.core.forms import form_page
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page

from .. import selectors, services
from ..access import COOPERATION_MANAGE, COOPERATION_VIEW
from ..forms import EventForm, SeriesForm
from ..models import EventKind, SeminarSeries
from ..selectors import pages
from .events import _event_fields, event_url


def series_url(series: SeminarSeries) -> str:
    return reverse("cooperation:series", args=[series.pk])


def _crumbs(series: SeminarSeries | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Seminar series"), reverse("cooperation:series_list"))]
    if series is not None:
        crumbs.append((str(series.name), series_url(series)))
    return crumbs


@require(COOPERATION_VIEW)
def series_list(request):
    context = {
        "series_list": selectors.series_list(),
        "can_manage": has_permission(request.user, COOPERATION_MANAGE),
    }
    return render_page(request, "cooperation/series/list.html", context)


@require(COOPERATION_VIEW)
def series_detail(request, pk: int):
    series = selectors.series_get(pk=pk)
    number, host = selectors.series_next_edition(series)
    context = {
        "series": series,
        "editions": selectors.series_editions(series),
        "next_number": number,
        "next_host": host,
        "can_manage": has_permission(request.user, COOPERATION_MANAGE),
    }
    return render_page(request, "cooperation/series/detail.html", context)


@require(COOPERATION_MANAGE)
def series_create(request):
    form = SeriesForm(request.POST or None)

    def save(data):
        return services.series_create(
            actor=request.user,
            partner=data["partner"],
            alternates=data["alternates"],
            first_host=data["first_host"],
            first_held_on=data["first_held_on"],
            notes=data["notes"],
            **form.translations(data),
        )

    return form_page(
        request,
        form,
        save,
        title=_("New seminar series"),
        crumbs=_crumbs(),
        done=series_url,
        saved=_("The series is added; plan its first edition."),
    )


@require(COOPERATION_MANAGE)
def edition_plan(request, pk: int):
    """The event form with the series, the next number and the host by the alternation filled
    in; a host chosen against the alternation needs its reason, as the service says."""
    series = pages.series_page(pk)
    number, host = selectors.series_next_edition(series)
    initial: dict[str, Any] = {
        "kind": EventKind.SEMINAR,
        "series": series.pk,
        "edition": number,
        "host": host,
        "partners": [series.partner_id],
    }
    form = EventForm(request.POST or None, initial=initial)

    def save(data):
        return services.event_create(
            actor=request.user, partners=list(data["partners"]), **_event_fields(form, data)
        )

    return form_page(
        request,
        form,
        save,
        title=_("Plan edition %(number)s of “%(series)s”") % {"number": number, "series": series},
        crumbs=_crumbs(series),
        done=event_url,
        saved=_("The edition is planned."),
    )


urlpatterns = [
    path("series/", series_list, name="series_list"),
    path("series/new/", series_create, name="series_create"),
    path("series/<int:pk>/", series_detail, name="series"),
    path("series/<int:pk>/plan/", edition_plan, name="edition_plan"),
]
