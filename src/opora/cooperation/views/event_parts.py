"""What is added to an event from its page: a participant of either side, a photo or a
document, and a forum's stands and sessions."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _

from opora.core.forms import form_page
from opora.core.permissions import require

from .. import services
from ..access import COOPERATION_MANAGE
from ..forms import EventFileForm, ParticipantForm, SessionForm, StandForm
from ..models import Event, EventKind
from ..selectors import pages
from .events import event_crumbs, event_url


def _forum(pk: int) -> Event:
    event = pages.event_page(pk)
    if event.kind != EventKind.FORUM:
        raise Http404
    return event


@require(COOPERATION_MANAGE)
def participant_add(request, pk: int):
    event = pages.event_page(pk)
    form = ParticipantForm(request.POST or None, event=event)

    def save(data):
        return services.participant_add(
            actor=request.user,
            event=event,
            employee=data["employee"],
            partner_person=data["partner_person"],
            name=data["name"],
            side=data["side"] or None,
            role=data["role"],
        )

    return form_page(
        request,
        form,
        save,
        title=_("Add a participant"),
        crumbs=event_crumbs(event),
        done=event_url(event),
        saved=_("The participant is added."),
        intro=_(
            "Choose one of our staff, or a representative of a partner of the event, or type "
            "the name of someone who is neither."
        ),
    )


@require(COOPERATION_MANAGE)
def event_file_add(request, pk: int):
    event = pages.event_page(pk)
    form = EventFileForm(request.POST or None, request.FILES or None)

    def save(data):
        return services.event_file_add(
            actor=request.user,
            event=event,
            kind=data["kind"],
            upload=data["file"],
            **form.translations(data),
        )

    return form_page(
        request,
        form,
        save,
        title=_("Add a photo or a document"),
        crumbs=event_crumbs(event, "files"),
        done=event_url(event, "files"),
        saved=_("The file is added."),
    )


@require(COOPERATION_MANAGE)
def stand_add(request, pk: int):
    event = _forum(pk)
    form = StandForm(request.POST or None)

    def save(data):
        return services.stand_add(
            actor=request.user,
            event=event,
            institutions=list(data["institutions"]),
            **form.translations(data),
        )

    return form_page(
        request,
        form,
        save,
        title=_("Add a stand"),
        crumbs=event_crumbs(event, "forum"),
        done=event_url(event, "forum"),
        saved=_("The stand is added."),
    )


@require(COOPERATION_MANAGE)
def session_add(request, pk: int):
    event = _forum(pk)
    form = SessionForm(request.POST or None, event=event)

    def save(data):
        return services.forum_session_add(
            actor=request.user,
            event=event,
            day=data["day"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            participant_count=data["participant_count"],
            **form.translations(data),
        )

    return form_page(
        request,
        form,
        save,
        title=_("Add a session"),
        crumbs=event_crumbs(event, "forum"),
        done=event_url(event, "forum"),
        saved=_("The session is added."),
    )


urlpatterns = [
    path("events/<int:pk>/participants/add/", participant_add, name="participant_add"),
    path("events/<int:pk>/files/add/", event_file_add, name="event_file_add"),
    path("events/<int:pk>/stands/add/", stand_add, name="stand_add"),
    path("events/<int:pk>/sessions/add/", session_add, name="session_add"),
]
