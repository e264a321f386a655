"""The personal address of the events' feed: made and revoked by its owner, kept as a hash, read
by a calendar application with the secret alone; the default range holds every event from a
year back and all to come; a revoked address or a person who may no longer see the events is a
404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from opora.cooperation import audit_actions as actions
from opora.cooperation import services
from opora.cooperation.models import CalendarFeedToken, EventKind
from opora.core import services as core_services
from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.core.roles import Role

pytestmark = pytest.mark.django_db


def _event(title: str, starts_on: dt.date):
    return services.event_create(
        actor=SYSTEM, kind=EventKind.SEMINAR, title_ru=title, starts_on=starts_on
    )


@pytest.fixture
def events():
    today = timezone.localdate()
    return {
        "long_ago": _event("Семинар давних лет", today - dt.timedelta(days=800)),
        "last_spring": _event("Семинар прошлого года", today - dt.timedelta(days=200)),
        "far_ahead": _event("Форум через три года", today + dt.timedelta(days=1100)),
    }


def summaries(content: bytes) -> set[str]:
    return {str(c["summary"]) for c in Calendar.from_ical(content).walk("VEVENT")}


def test_the_address_reads_the_feed_without_a_session(events, officer):
    token, secret = services.feed_token_make(actor=officer)
    assert token.key_hash == services.feed_secret_hash(secret)
    assert secret not in token.key_hash
    response = Client().get(reverse("cooperation:calendar_feed", args=[secret]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    # A year back and everything to come, not the one before.
    assert summaries(response.content) == {"Семинар прошлого года", "Форум через три года"}
    assert AuditEntry.objects.filter(action=actions.FEED_ADDRESS_MADE).count() == 1


def test_a_range_asked_for_replaces_the_default(events, officer):
    _token, secret = services.feed_token_make(actor=officer)
    url = reverse("cooperation:calendar_feed", args=[secret])
    long_ago = events["long_ago"].starts_on
    response = Client().get(url, {"from": long_ago.isoformat(), "to": long_ago.isoformat()})
    assert summaries(response.content) == {"Семинар давних лет"}


def test_the_signed_in_feed_is_not_empty_by_default(events, login, officer):
    response = login(officer).get(reverse("cooperation:calendar_ics"))
    assert summaries(response.content) == {"Семинар прошлого года", "Форум через три года"}


def test_a_revoked_or_replaced_address_is_not_found(events, officer):
    _old, old_secret = services.feed_token_make(actor=officer)
    _new, new_secret = services.feed_token_make(actor=officer)
    client = Client()
    assert client.get(reverse("cooperation:calendar_feed", args=[old_secret])).status_code == 404
    assert client.get(reverse("cooperation:calendar_feed", args=[new_secret])).status_code == 200
    assert services.feed_token_revoke(actor=officer) is True
    assert client.get(reverse("cooperation:calendar_feed", args=[new_secret])).status_code == 404
    assert CalendarFeedToken.objects.filter(revoked_at__isnull=True).count() == 0
    assert AuditEntry.objects.filter(action=actions.FEED_ADDRESS_REVOKED).count() == 2
    assert client.get(reverse("cooperation:calendar_feed", args=["guessed"])).status_code == 404


def test_a_deactivated_owner_has_no_feed(events, officer):
    _token, secret = services.feed_token_make(actor=officer)
    core_services.user_update(actor=SYSTEM, user=officer, is_active=False)
    assert Client().get(reverse("cooperation:calendar_feed", args=[secret])).status_code == 404


def test_only_a_person_has_a_feed():
    with pytest.raises(DomainError) as refused:
        services.feed_token_make(actor=SYSTEM)
    assert refused.value.status == 403


def test_the_calendar_page_shows_the_new_address_once_and_revokes_it(login, make_user):
    worker = make_user(Role.SOCIAL_WORKER)
    client = login(worker)
    made = client.post(reverse("cooperation:feed_make"))
    assert made.status_code == 200
    url = made.context["feed_url"]
    secret = url.rsplit("/", 1)[-1].removesuffix(".ics")
    assert Client().get(url).status_code == 200
    page = client.get(reverse("cooperation:calendar")).content.decode()
    assert secret not in page
    assert client.post(reverse("cooperation:feed_revoke")).status_code == 302
    assert Client().get(reverse("cooperation:calendar_feed", args=[secret])).status_code == 404
