"""The events: the list, the month calendar and its iCalendar feed, the event page with a
visit's itinerary, a series edition's number, a forum's stands and sessions, and the printable
programme of a visit in the visitors' language."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opora.core.errors import DomainError
from opora.core.forms import form_page
from opora.core.permissions import PUBLIC, has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page
from opora.core.tabs import HISTORY, OVERVIEW, Tab, chosen_tab, history_rows

from .. import ical, selectors, services
from ..access import COOPERATION_MANAGE, COOPERATION_VIEW
from ..forms import EventFilterForm, EventForm, StopForm, VisitPlanForm
from ..models import Event, EventKind
from ..selectors import pages
from .common import stored_file

EVENT_COLUMNS = [
    Column("starts_on", gettext_lazy("Dates"), "starts_on"),
    Column("title", gettext_lazy("Event"), "title"),
    Column("kind", gettext_lazy("Kind"), "kind"),
    Column("place", gettext_lazy("Place")),
    Column("partners", gettext_lazy("Partners")),
    Column("status", gettext_lazy("Status"), "status"),
]

VISITS = (EventKind.INCOMING_VISIT, EventKind.OUTGOING_VISIT)
PRINT_LANGUAGES = [code for code, _name in settings.LANGUAGES]


def event_tabs(event: Event) -> list[Tab]:
    tabs = [OVERVIEW]
    if event.kind in VISITS:
        tabs.append(Tab("itinerary", gettext_lazy("Itinerary")))
    if event.kind == EventKind.FORUM:
        tabs.append(Tab("forum", gettext_lazy("Stands and sessions")))
    tabs += [Tab("files", gettext_lazy("Photos and documents")), HISTORY]
    return tabs


def event_url(event: Event, tab: str = "") -> str:
    url = reverse("cooperation:event", args=[event.pk])
    return f"{url}?tab={tab}" if tab else url


def event_crumbs(event: Event, tab: str = "") -> list[tuple[str, str]]:
    return [(_("Events"), reverse("cooperation:events")), (str(event.title), event_url(event, tab))]


# --- The list and the calendar ------------------------------------------------------------------


@require(COOPERATION_VIEW)
def event_list(request):
    form = EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.event_list(
        actor=request.user,
        kind=filters.get("kind", ""),
        partner=filters.get("partner"),
        year=filters.get("year"),
        q=filters.get("q", ""),
    )
    context = {
        "table": sorted_page(request, qs, EVENT_COLUMNS, default_sort="-starts_on"),
        "form": form,
        "filtered": any(filters.get(key) for key in form.fields),
        "can_manage": has_permission(request.user, COOPERATION_MANAGE),
    }
    return render_page(request, "cooperation/events/list.html", context, partial="results")


def _month(request) -> dt.date:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        return dt.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _calendar_page(request, **extra: Any):
    first = _month(request)
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start, end = weeks[0][0], weeks[-1][-1]
    events = list(selectors.calendar(start=start, end=end))
    grid = [
        [
            {
                "day": day,
                "in_month": day.month == first.month,
                "events": [e for e in events if e.starts_on <= day <= e.ends_on],
            }
            for day in week
        ]
        for week in weeks
    ]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    context = {
        "first": first,
        "grid": grid,
        "weekdays": [weeks[0][i] for i in range(7)],
        "previous": previous,
        "following": following,
        "today": timezone.localdate(),
        "can_manage": has_permission(request.user, COOPERATION_MANAGE),
        "feed_token": selectors.feed_token_of(request.user),
        "feed_months_back": FEED_MONTHS_BACK,
        **extra,
    }
    if not events:
        context["earlier"], context["later"] = selectors.events_around(start, end)
    return render_page(request, "cooperation/events/calendar.html", context)


@require(COOPERATION_VIEW)
def event_calendar(request):
    return _calendar_page(request)


def _given_date(request, name: str) -> dt.date | None:
    try:
        return parse_date(request.GET.get(name, ""))
    except ValueError:
        return None  # a day that does not exist: the default range instead


# A feed's default range: the events from the first day of the month this many months ago,
# and every one to come. ``?from=`` and ``?to=`` (YYYY-MM-DD) choose another.
FEED_MONTHS_BACK = 12


def _feed_range(request) -> tuple[dt.date, dt.date | None]:
    today = timezone.localdate()
    months = today.year * 12 + today.month - 1 - FEED_MONTHS_BACK
    start = _given_date(request, "from") or dt.date(months // 12, months % 12 + 1, 1)
    end = _given_date(request, "to")
    if end is not None and end < start:
        start, end = end, start
    return start, end


def _feed_response(request, language: str | None = None) -> HttpResponse:
    start, end = _feed_range(request)
    content = ical.calendar_feed(selectors.calendar(start=start, end=end), language=language)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cooperation.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@require(COOPERATION_VIEW)
def calendar_ics(request):
    return _feed_response(request)


@require(PUBLIC)
def calendar_feed(request, secret: str):
    """The feed by its secret address alone, for calendar applications without a session: the
    events its owner may see, in her language. A revoked or unknown address does not exist."""
    owner = selectors.feed_owner(services.feed_secret_hash(secret))
    if owner is None or not has_permission(owner, COOPERATION_VIEW):
        raise Http404
    return _feed_response(request, language=owner.preferred_language or None)


@require(COOPERATION_VIEW)
@require_POST
def feed_make(request):
    """A new secret address, shown once in the answer to this request: only its hash is kept."""
    try:
        _token, secret = services.feed_token_make(actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("cooperation:calendar")
    url = request.build_absolute_uri(reverse("cooperation:calendar_feed", args=[secret]))
    return _calendar_page(request, feed_url=url)


@require(COOPERATION_VIEW)
@require_POST
def feed_revoke(request):
    try:
        revoked = services.feed_token_revoke(actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        if revoked:
            messages.success(request, _("The feed address is revoked: it no longer works."))
    return redirect("cooperation:calendar")


# --- The event ----------------------------------------------------------------------------------


@require(COOPERATION_VIEW)
def event_detail(request, pk: int):
    event = pages.event_page(pk)
    tabs = event_tabs(event)
    tab = chosen_tab(request, tabs)
    can_manage = has_permission(request.user, COOPERATION_MANAGE)
    context: dict[str, Any] = {
        "event": event,
        "tab": tab,
        "tabs": tabs,
        "is_visit": event.kind in VISITS,
        "can_manage": can_manage,
        "print_languages": settings.LANGUAGES,
    }
    if tab == "itinerary":
        context["days"] = selectors.itinerary(event, every_day=True)
    elif tab == HISTORY.key:
        context["history"] = history_rows(event)
    return render_page(request, "cooperation/events/detail.html", context, partial="tab-body")


@require(COOPERATION_VIEW)
def event_file(request, pk: int, file: int):
    event = pages.event_page(pk)
    return stored_file(pages.event_file_get(event=event, pk=file))


def _event_fields(form: EventForm, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": data["kind"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "online_url": data["online_url"],
        "host": data["host"],
        "agreement": data["agreement"],
        "series": data["series"],
        "edition": data["edition"],
        "host_override_reason": data["host_override_reason"],
        "topics": data["topics"],
        "participant_count": data["participant_count"],
        "status": data["status"],
        **form.translations(data),
    }


@require(COOPERATION_MANAGE)
def event_create(request):
    initial: dict[str, Any] = {}
    if request.GET.get("kind") in EventKind.values:
        initial["kind"] = request.GET["kind"]
    form = EventForm(request.POST or None, initial=initial)

    def save(data):
        return services.event_create(
            actor=request.user, partners=list(data["partners"]), **_event_fields(form, data)
        )

    return form_page(
        request,
        form,
        save,
        title=_("New event"),
        crumbs=[(_("Events"), reverse("cooperation:events"))],
        done=event_url,
        saved=_("The event is added."),
    )


@require(COOPERATION_MANAGE)
def event_edit(request, pk: int):
    event = pages.event_page(pk)
    initial = {
        "kind": event.kind,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "online_url": event.online_url,
        "host": event.host,
        "partners": [link.partner_id for link in event.event_partners.all()],
        "agreement": event.agreement_id,
        "series": event.series_id,
        "edition": event.edition,
        "host_override_reason": event.host_override_reason,
        "topics": event.topics,
        "participant_count": event.participant_count,
        "status": event.status,
        **EventForm.initial_of(event),
    }
    form = EventForm(request.POST or None, initial=initial)

    def save(data):
        # A partner kept keeps its role; one added takes part.
        roles = {link.partner: link.role for link in event.event_partners.all()}
        partners = [(partner, roles.get(partner, "participant")) for partner in data["partners"]]
        return services.event_update(
            actor=request.user, event=event, partners=partners, **_event_fields(form, data)
        )

    return form_page(
        request,
        form,
        save,
        title=_("Change the event"),
        crumbs=event_crumbs(event),
        done=event_url(event),
    )


@require(COOPERATION_MANAGE)
def visit_plan(request):
    form = VisitPlanForm(request.POST or None)

    def save(data):
        return services.event_create(
            actor=request.user,
            kind=EventKind.INCOMING_VISIT,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            host="ours",
            partners=[data["partner"]],
            topics=data["topics"],
            **form.translations(data),
        )

    return form_page(
        request,
        form,
        save,
        title=_("Plan a delegation visit"),
        crumbs=[(_("Events"), reverse("cooperation:events"))],
        done=lambda event: event_url(event, "itinerary"),
        saved=_("The visit is planned. Add the stops of its programme."),
        intro=_(
            "A delegation of a partner comes to us: give its dates and title in the languages "
            "the visitors read, then add the stops day by day."
        ),
    )


# --- The itinerary ------------------------------------------------------------------------------


def _visit(pk: int) -> Event:
    event = pages.event_page(pk)
    if event.kind not in VISITS:
        raise Http404
    return event


def _stop_fields(form: StopForm, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "day": data["day"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "kind": data["kind"],
        "institution": data["institution"],
        "host_name": data["host_name"],
        **form.translations(data),
    }


def _with_the_reason(save):
    """The field a refusal names shows the whole refusal too: which stop overlaps, and when."""

    def wrapped(data):
        try:
            return save(data)
        except DomainError as error:
            details = {
                name: [error.message, *problems]
                for name, problems in (error.details or {}).items()
                if isinstance(problems, list)
            }
            raise DomainError(error.code, error.message, details=details) from error

    return wrapped


def _stop_page(request, event: Event, form: StopForm, save, title: str) -> HttpResponse:
    return form_page(
        request,
        form,
        _with_the_reason(save),
        title=title,
        crumbs=event_crumbs(event, "itinerary"),
        done=event_url(event, "itinerary"),
        template="cooperation/events/stop_form.html",
        context={"event": event, "days": selectors.itinerary(event, every_day=True)},
    )


@require(COOPERATION_MANAGE)
def stop_add(request, pk: int):
    event = _visit(pk)
    form = StopForm(request.POST or None, event=event)

    def save(data):
        return services.itinerary_stop_add(
            actor=request.user, event=event, **_stop_fields(form, data)
        )

    return _stop_page(request, event, form, save, _("Add a stop to the programme"))


@require(COOPERATION_MANAGE)
def stop_edit(request, pk: int, stop: int):
    event = _visit(pk)
    found = pages.stop_get(event=event, pk=stop)
    initial = {
        "day": found.day,
        "starts_at": found.starts_at,
        "ends_at": found.ends_at,
        "kind": found.kind,
        "institution": found.institution_id,
        "host_name": found.host_name,
        **StopForm.initial_of(found),
    }
    form = StopForm(request.POST or None, event=event, initial=initial)

    def save(data):
        return services.itinerary_stop_change(
            actor=request.user, stop=found, **_stop_fields(form, data)
        )

    return _stop_page(request, event, form, save, _("Change a stop of the programme"))


@require(COOPERATION_MANAGE)
@require_POST
def stop_remove(request, pk: int, stop: int):
    event = _visit(pk)
    found = pages.stop_get(event=event, pk=stop)
    try:
        services.itinerary_stop_remove(actor=request.user, stop=found)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The stop is removed from the programme."))
    return redirect(event_url(event, "itinerary"))


@require(COOPERATION_VIEW)
def itinerary_print(request, pk: int):
    """The programme handed to the visitors, in their language: the page's own words through
    the catalogs, the content through the per-language fields with the Russian fallback."""
    event = _visit(pk)
    requested = request.GET.get("lang", "")
    language = requested if requested in PRINT_LANGUAGES else translation.get_language()
    with translation.override(language):
        context = {
            "event": event,
            "days": selectors.itinerary(event),
            "language": language,
            "print_languages": settings.LANGUAGES,
        }
        response = render_page(request, "cooperation/events/itinerary_print.html", context)
        # Rendered here, while the visitors' language is active.
        response.render()
    return response


urlpatterns = [
    path("events/", event_list, name="events"),
    path("events/calendar/", event_calendar, name="calendar"),
    path("calendar.ics", calendar_ics, name="calendar_ics"),
    path("calendar/feed/<str:secret>.ics", calendar_feed, name="calendar_feed"),
    path("calendar/feed/new/", feed_make, name="feed_make"),
    path("calendar/feed/revoke/", feed_revoke, name="feed_revoke"),
    path("events/new/", event_create, name="event_create"),
    path("events/plan-visit/", visit_plan, name="visit_plan"),
    path("events/<int:pk>/", event_detail, name="event"),
    path("events/<int:pk>/edit/", event_edit, name="event_edit"),
    path("events/<int:pk>/files/<int:file>/", event_file, name="event_file"),
    path("events/<int:pk>/stops/add/", stop_add, name="stop_add"),
    path("events/<int:pk>/stops/<int:stop>/edit/", stop_edit, name="stop_edit"),
    path("events/<int:pk>/stops/<int:stop>/remove/", stop_remove, name="stop_remove"),
    path("events/<int:pk>/programme/", itinerary_print, name="itinerary_print"),
]
