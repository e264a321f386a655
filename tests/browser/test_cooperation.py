import datetime as dt

import pytest
from playwright.sync_api import expect

from opora.cooperation import services
from opora.cooperation.models import Event, EventKind, ItineraryStop
from opora.core.actors import SYSTEM
from opora.core.roles import Role
from opora.institutions.reference import ensure_reference_data
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARRIVES = dt.date(2022, 11, 21)


@pytest.fixture
def lugansk(db):
    """What a transactional test starts without: the reference data, and the visiting partner."""
    ensure_reference_data()
    return services.partner_create(
        actor=SYSTEM,
        code="lugansk",
        kind="city",
        country="RU",
        name_ru="Администрация города Луганска",
        name_en="Lugansk City Administration",
        languages=["ru"],
    )


def submit(page):
    page.click("main form button[type=submit]")


def add_stop(page, event, *, starts_at, ends_at, institution, title):
    page.click(f"a[href$='/cooperation/events/{event.pk}/stops/add/']")
    page.fill("#id_day", ARRIVES.isoformat())
    page.fill("#id_starts_at", starts_at)
    page.fill("#id_ends_at", ends_at)
    page.select_option("#id_kind", "institution_visit")
    page.select_option("#id_institution", str(institution.pk))
    page.fill("#id_title_ru", title)
    page.fill("#id_host_name", "Директор центра")
    submit(page)


def test_an_officer_plans_a_delegation_visit_and_prints_its_programme(
    page, make_user, institution_a, institution_b, lugansk
):
    officer = make_user(Role.COOPERATION_OFFICER)
    sign_in(page, officer.username, PASSWORD)

    page.goto(f"{page.base_url}/cooperation/events/")
    page.click("a[href$='/cooperation/events/plan-visit/']")
    page.select_option("#id_partner", str(lugansk.pk))
    page.fill("#id_title_ru", "Визит делегации Луганска")
    page.fill("#id_title_en", "Visit of the Lugansk delegation")
    page.fill("#id_starts_on", ARRIVES.isoformat())
    page.fill("#id_ends_on", (ARRIVES + dt.timedelta(days=1)).isoformat())
    submit(page)
    event = Event.objects.get(kind=EventKind.INCOMING_VISIT)
    page.wait_for_url(f"**/cooperation/events/{event.pk}/?tab=itinerary")
    assert list(event.partners.all()) == [lugansk]

    add_stop(
        page,
        event,
        starts_at="10:00",
        ends_at="12:00",
        institution=institution_a,
        title="Центр «Альфа»",
    )
    page.wait_for_url(f"**/cooperation/events/{event.pk}/?tab=itinerary")
    add_stop(
        page,
        event,
        starts_at="13:00",
        ends_at="15:00",
        institution=institution_b,
        title="Центр «Бета»",
    )
    page.wait_for_url(f"**/cooperation/events/{event.pk}/?tab=itinerary")
    expect(page.locator("#tab-body")).to_contain_text("Центр «Бета»")

    # A third stop in the middle of the first is refused at its time, naming the first.
    add_stop(
        page,
        event,
        starts_at="11:00",
        ends_at="12:30",
        institution=institution_b,
        title="Ещё раз «Бета»",
    )
    error = page.locator(".field-error").filter(has=page.locator("#id_starts_at"))
    expect(error).to_contain_text("Центр «Альфа»")
    assert ItineraryStop.objects.filter(event=event).count() == 2

    page.goto(f"{page.base_url}/cooperation/events/{event.pk}/?tab=itinerary")
    page.click(f"a[href$='/cooperation/events/{event.pk}/programme/?lang=en']")
    expect(page.locator("main h1")).to_have_text("Visit of the Lugansk delegation")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text("10:00–12:00")
    expect(page.locator("main")).to_contain_text("Центр «Альфа»")
    expect(page.locator("main")).to_contain_text("Programme of the visit")
