"""What the cooperation officer sees first: upcoming events, open action items, letters awaiting
an answer and agreements due for renewal, each with an empty state; agreements and partners'
needs in the navigation; dates known only to the month or the season shown as such."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from opora.cooperation import services
from opora.cooperation.models import AgreementStatus, DatePrecision, EventKind, start_of
from opora.core.actors import SYSTEM
from opora.core.roles import Role

pytestmark = pytest.mark.django_db

WIDGETS = (
    "cooperation-events",
    "cooperation-actions",
    "cooperation-letters",
    "cooperation-renewals",
)


@pytest.fixture
def attention(helsinki):
    today = timezone.localdate()
    agreement = services.agreement_create(
        actor=SYSTEM,
        kind="agreement",
        title_ru="Соглашение, которое пора продлить",
        signed_on=today - dt.timedelta(days=700),
        valid_from=today - dt.timedelta(days=700),
        valid_to=today + dt.timedelta(days=30),
        status=AgreementStatus.IN_FORCE,
        parties=[{"partner": None}, {"partner": helsinki}],
    )
    services.agreement_create(
        actor=SYSTEM,
        kind="agreement",
        title_ru="Соглашение надолго",
        signed_on=today - dt.timedelta(days=10),
        valid_from=today - dt.timedelta(days=10),
        valid_to=today + dt.timedelta(days=1000),
        status=AgreementStatus.IN_FORCE,
    )
    services.action_item_add(
        actor=SYSTEM, agreement=agreement, title_ru="Обмен опытом", due_on=today
    )
    services.action_item_add(
        actor=SYSTEM,
        agreement=agreement,
        title_ru="Выполненный пункт",
        status="done",
        done_on=today,
    )
    services.event_create(
        actor=SYSTEM,
        kind=EventKind.SEMINAR,
        title_ru="Семинар на будущей неделе",
        starts_on=today + dt.timedelta(days=7),
    )
    services.event_create(
        actor=SYSTEM,
        kind=EventKind.SEMINAR,
        title_ru="Семинар прошлого месяца",
        starts_on=today - dt.timedelta(days=30),
    )
    waiting = services.letter_register(
        actor=SYSTEM,
        direction="incoming",
        partner=helsinki,
        dated_on=today - dt.timedelta(days=20),
        subject="Письмо без ответа",
        language="fi",
        text="Hei",
    )
    answered = services.letter_register(
        actor=SYSTEM,
        direction="incoming",
        partner=helsinki,
        dated_on=today - dt.timedelta(days=20),
        subject="Письмо с ответом",
        language="fi",
        text="Hei",
    )
    services.letter_register(
        actor=SYSTEM,
        direction="outgoing",
        partner=helsinki,
        dated_on=today,
        subject="Наш ответ",
        language="ru",
        text="Здравствуйте",
        in_reply_to=answered,
    )
    return waiting


def widget(page: str, key: str) -> str:
    start = page.index(f'data-widget="{key}"')
    return page[start : page.index("</section>", start)]


def test_the_officer_sees_what_needs_her(login, officer, attention):
    page = login(officer).get(reverse("core:dashboard")).content.decode()
    events = widget(page, "cooperation-events")
    assert "Семинар на будущей неделе" in events and "Семинар прошлого месяца" not in events
    actions = widget(page, "cooperation-actions")
    assert "Обмен опытом" in actions and "Выполненный пункт" not in actions
    letters = widget(page, "cooperation-letters")
    assert "Письмо без ответа" in letters and "Письмо с ответом" not in letters
    assert reverse("cooperation:letter", args=[attention.pk]) in letters
    renewals = widget(page, "cooperation-renewals")
    assert "Соглашение, которое пора продлить" in renewals
    assert "Соглашение надолго" not in renewals


def test_each_widget_says_so_when_it_has_nothing(login, officer):
    page = login(officer).get(reverse("core:dashboard")).content.decode()
    for key in WIDGETS:
        assert 'class="muted"' in widget(page, key), key


def test_a_role_that_does_not_keep_cooperation_sees_none_of_them(login, make_user, attention):
    page = login(make_user(Role.SOCIAL_WORKER)).get(reverse("core:dashboard")).content.decode()
    for key in WIDGETS:
        assert f'data-widget="{key}"' not in page
    assert "Письмо без ответа" not in page


def test_agreements_and_needs_are_in_the_navigation(login, make_user):
    page = login(make_user(Role.ANALYST)).get(reverse("core:dashboard")).content.decode()
    assert f'href="{reverse("cooperation:agreements")}"' in page
    assert f'href="{reverse("cooperation:needs")}"' in page


# --- Dates known to the month or the season -----------------------------------------------------


@pytest.mark.parametrize(
    "day, precision, english, russian",
    [
        (dt.date(2019, 4, 17), DatePrecision.MONTH, "April 2019", "Апрель 2019 г."),
        (dt.date(2018, 4, 1), DatePrecision.SEASON, "spring 2018", None),
        (dt.date(2019, 1, 20), DatePrecision.SEASON, "winter 2018/19", None),
        (dt.date(1990, 6, 5), DatePrecision.YEAR, "1990", "1990"),
        (dt.date(2019, 4, 17), DatePrecision.DAY, None, "17.04.2019"),
    ],
)
def test_a_date_reads_as_much_as_is_known(day, precision, english, russian):
    template = Template("{% load cooperation_dates %}{{ day|known_date:precision }}")
    stored = start_of(day, precision)
    for language, expected in (("en", english), ("ru", russian)):
        if expected is None:
            continue
        with translation.override(language):
            assert template.render(Context({"day": stored, "precision": precision})) == expected
    with translation.override("ru"):
        shown = template.render(Context({"day": stored, "precision": precision}))
    if precision != DatePrecision.DAY:
        assert "01." not in shown


def test_an_agreement_signed_in_spring_shows_the_season(login, officer, helsinki):
    agreement = services.agreement_create(
        actor=SYSTEM,
        kind="programme",
        title_ru="Программа сотрудничества",
        signed_on=dt.date(2018, 4, 1),
        dates_precision=DatePrecision.SEASON,
        valid_from=dt.date(2018, 4, 1),
        status=AgreementStatus.IN_FORCE,
        parties=[{"partner": None}, {"partner": helsinki}],
    )
    assert agreement.signed_on == dt.date(2018, 3, 1)
    client = login(officer)
    client.post(reverse("core:set_language"), {"language": "en"})
    for url in (
        reverse("cooperation:agreement", args=[agreement.pk]),
        reverse("cooperation:agreements"),
    ):
        page = client.get(url).content.decode()
        assert "spring 2018" in page, url
        assert "01.03.2018" not in page and "3/1/2018" not in page, url
