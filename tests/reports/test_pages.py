"""The pages of the published figures: every role reads the list and a figure's page in Russian
and in English, with the source's quotation and the example badge; the list filters, answers
HTMX with its results alone and says why it is empty; analysts and administrators record,
correct and retire figures through the forms, and every other role gets 403 with nothing
written and no controls shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.core.roles import ALL_ROLES, Role
from opora.reports import services
from opora.reports.models import PublishedFigure

from .conftest import SEED_QUOTE

pytestmark = pytest.mark.django_db

HTMX_RESULTS = {"HX-Request": "true", "HX-Target": "results"}
HTMX_TAB = {"HX-Request": "true", "HX-Target": "tab-body"}
WRITERS = sorted({Role.ADMINISTRATOR, Role.ANALYST})
READERS_ONLY = sorted(ALL_ROLES - {Role.ADMINISTRATOR, Role.ANALYST})

FORM = {
    "code": "staff",
    "name": "Сотрудники социальной сферы",
    "name_en": "Social services staff",
    "qualifier": "almost",
    "value": "5 500",
    "unit": "staff",
    "as_of": "2021-09-20",
    "as_of_precision": "day",
    "source_kind": "seed",
    "source_title": "Службы соцзащиты Витебской и Смоленской областей провели телемост",
    "source_document": "003_2dc4b0f59ac4381b.txt",
    "source_date": "2021-09-20",
    "quotation": "Это ежедневная работа почти 5,5 тыс. сотрудников.",
}


def url(name: str, *args) -> str:
    return reverse(f"reports:{name}", args=args)


def codes(response) -> list[str]:
    return [figure.code for figure in response.context["table"].rows]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_every_role_reads_the_figures_in_both_languages(
    make_figure, make_user, login, role, language, institution_a
):
    figure = make_figure(
        institution=institution_a, is_example=True, example_note="День выбран условно."
    )
    client = login(make_user(role, preferred_language=language))
    listing = client.get(url("figures"))
    content = listing.content.decode()
    assert listing.status_code == 200 and f'<html lang="{language}"' in content
    assert codes(listing) == ["recipients"]
    assert (figure.name if language == "ru" else figure.name_en) in content
    assert "1\xa0500\xa0000" in content or "1 500 000" in content or "1,500,000" in content

    detail = client.get(url("figure", figure.pk))
    content = detail.content.decode()
    assert detail.status_code == 200 and f'<html lang="{language}"' in content
    assert SEED_QUOTE in content and 'data-testid="example-badge"' in content
    assert "День выбран условно." in content and "003_2dc4b0f59ac4381b.txt" in content
    assert institution_a.display_name in content or institution_a.name in content
    history = client.get(url("figure", figure.pk), {"tab": "history"}, headers=HTMX_TAB)
    assert history.status_code == 200 and "<html" not in history.content.decode()


def test_the_russian_pages_use_russian_words_and_formats(make_figure, make_user, login):
    figure = make_figure(as_of=dt.date(2020, 5, 5), as_of_precision="year")
    client = login(make_user(Role.SOCIAL_WORKER, preferred_language="ru"))
    content = client.get(url("figure", figure.pk)).content.decode()
    assert "История" in content  # the History tab, in core's catalogue
    assert "20.09.2021" in content  # the source's date, dd.mm.yyyy
    assert "2020" in content and "01.01.2020" not in content  # a year is shown as a year
    english = login(make_user(Role.SOCIAL_WORKER, preferred_language="en"))
    assert "History" in english.get(url("figure", figure.pk)).content.decode()


def test_the_list_filters_and_answers_htmx_with_its_results(make_figure, worker_a, login):
    make_figure()
    make_figure(
        code="share",
        name="Доля отделов трудоустройства",
        unit="percent",
        value=Decimal(85),
        as_of=dt.date(2019, 6, 19),
        source_document="004_3589eba934f5f979.txt",
        source_title="Форум",
        quotation="… более 85 % от всего количества.",
    )
    client = login(worker_a)
    assert codes(client.get(url("figures"))) == ["recipients", "share"]
    assert codes(client.get(url("figures"), {"unit": "percent"})) == ["share"]
    assert codes(client.get(url("figures"), {"year": "2021"})) == ["recipients"]
    assert codes(client.get(url("figures"), {"source": "004_3589eba934f5f979.txt"})) == ["share"]
    assert codes(client.get(url("figures"), {"q": "доля"})) == ["share"]
    assert codes(client.get(url("figures"), {"sort": "value"})) == ["share", "recipients"]
    response = client.get(url("figures"), {"q": "нет такого"}, headers=HTMX_RESULTS)
    content = response.content.decode()
    assert "<html" not in content and 'class="empty"' in content
    with translation.override("ru"):
        none_match = translation.gettext("No figures match")
    assert "No figures match" in content or none_match in content


def test_an_empty_list_says_who_records_figures(make_user, login):
    reader = login(make_user(Role.SOCIAL_WORKER, preferred_language="en"))
    content = reader.get(url("figures")).content.decode()
    assert 'class="empty"' in content and "An analyst or an administrator records them." in content
    assert url("figure_add") not in content
    writer = login(make_user(Role.ANALYST, preferred_language="en"))
    content = writer.get(url("figures")).content.decode()
    assert url("figure_add") in content and "Record the figures" in content


@pytest.mark.parametrize("role", WRITERS)
def test_analysts_and_administrators_record_correct_and_retire(make_user, login, role):
    client = login(make_user(role, preferred_language="en"))
    assert client.get(url("figure_add")).status_code == 200
    response = client.post(url("figure_add"), FORM)
    figure = PublishedFigure.objects.get(code="staff")
    assert response.status_code == 302 and response["Location"] == url("figure", figure.pk)
    assert figure.value == Decimal(5500) and figure.qualifier == "almost"

    detail = client.get(url("figure", figure.pk)).content.decode()
    assert url("figure_edit", figure.pk) in detail and url("figure_retire", figure.pk) in detail

    edit = client.get(url("figure_edit", figure.pk))
    assert edit.status_code == 200 and "5500" in edit.content.decode().replace("\xa0", "")
    response = client.post(
        url("figure_edit", figure.pk), {**FORM, "qualifier": "", "reason": "The text says so."}
    )
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.qualifier == ""
    assert AuditEntry.objects.get(action="reports.figure.changed").reason == "The text says so."

    assert client.get(url("figure_retire", figure.pk)).status_code == 200
    refused = client.post(url("figure_retire", figure.pk), {"reason": ""})
    assert refused.status_code == 200 and not PublishedFigure.objects.get().is_retired
    response = client.post(url("figure_retire", figure.pk), {"reason": "Withdrawn."})
    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.is_retired and figure.retired_reason == "Withdrawn."
    # A retired figure is shown with its reason, and can no longer be corrected or retired.
    detail = client.get(url("figure", figure.pk)).content.decode()
    assert "Withdrawn." in detail and url("figure_edit", figure.pk) not in detail
    assert client.get(url("figure_edit", figure.pk)).status_code == 404
    assert client.get(url("figure_retire", figure.pk)).status_code == 404


def test_a_refused_figure_is_shown_next_to_its_field_and_nothing_is_written(
    analyst, login, make_figure
):
    make_figure(code="taken", as_of=dt.date(2021, 9, 20))
    client = login(analyst)
    before = (PublishedFigure.objects.count(), AuditEntry.objects.count())
    for change, field in [
        ({"quotation": ""}, "quotation"),
        ({"unit": "percent", "value": "101"}, "value"),
        ({"value": "-3"}, "value"),
        ({"code": "taken"}, "as_of"),  # the same code as of the same date
        ({"as_of_end": "2021-01-01"}, "as_of_end"),
    ]:
        response = client.post(url("figure_add"), {**FORM, **change})
        assert response.status_code == 200, change
        errors = response.context["form"].errors
        assert errors.get(field), (change, errors)
    assert (PublishedFigure.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize("role", READERS_ONLY)
def test_roles_that_may_not_write_get_403_and_nothing_is_written(
    make_figure, make_user, login, role
):
    figure = make_figure()
    client = login(make_user(role))
    before = (PublishedFigure.objects.count(), AuditEntry.objects.count())
    for page, data in [
        (url("figure_add"), {**FORM, "code": "new"}),
        (url("figure_edit", figure.pk), {**FORM, "value": "1"}),
        (url("figure_retire", figure.pk), {"reason": "no"}),
    ]:
        assert client.get(page).status_code == 403, page
        assert client.post(page, data).status_code == 403, page
    assert (PublishedFigure.objects.count(), AuditEntry.objects.count()) == before
    figure.refresh_from_db()
    assert figure.value == Decimal(1_500_000) and not figure.is_retired
    detail = client.get(url("figure", figure.pk)).content.decode()
    assert url("figure_edit", figure.pk) not in detail
    assert url("figure_add") not in client.get(url("figures")).content.decode()


def test_the_dashboard_and_the_navigation_show_the_figures(make_figure, worker_a, login):
    figure = make_figure(is_example=True, example_note="an example")
    services.figure_retire(actor=SYSTEM, figure=make_figure(code="retired-one"), reason="gone")
    content = login(worker_a).get(reverse("core:dashboard")).content.decode()
    assert 'data-widget="reports-figures"' in content
    assert url("figure", figure.pk) in content and url("figures") in content
    assert "retired-one" not in content


def test_an_unknown_figure_is_not_found(worker_a, login):
    assert login(worker_a).get(url("figure", 2_000_000_000)).status_code == 404
