"""What the shell shows people instead of codes: audit actions and sources in words, changes with
field names and numbers in the reader's format, country and language names; the summary of a
form's errors; the tab bar's ARIA wiring."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from opora.catalogue.models import Tariff
from opora.core.audit import action_label, declared_actions
from opora.core.models import AuditEntry
from opora.core.templatetags.opora import change_rows
from opora.core.views import AuditFilterForm

DOTTED_CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)+\.?$")


def option_labels(form) -> list[str]:
    labels = []
    for _value, label in form.fields["action"].choices:
        if isinstance(label, list | tuple):
            labels.extend(str(inner) for _code, inner in label)
        else:
            labels.append(str(label))
    return labels


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_audit_action_filter_names_actions_in_words(language):
    with translation.override(language):
        labels = option_labels(AuditFilterForm())
    assert len(labels) > len(declared_actions())  # each action, and each section's "every"
    assert not [label for label in labels if DOTTED_CODE.match(label)]


def test_an_action_label_is_its_sentence_without_the_actor():
    with translation.override("en"):
        assert action_label("core.user.created") == "Created the account … with the role …"
        assert action_label("no.such.action") == "no.such.action"


def test_a_section_of_actions_filters_the_log_by_its_prefix(login, admin_user, make_user):
    make_user("social_worker")
    client = login(admin_user)
    client.post("/language/", {"language": "en"})
    users_only = client.get(reverse("core:audit"), {"action": "core."})
    assert users_only.context["form"].is_valid()
    actions = {row["entry"].action for row in users_only.context["rows"]}
    assert actions and all(action.startswith("core.") for action in actions)
    page = users_only.content.decode()
    assert '<option value="core."' in page and "<optgroup" in page


def test_the_audit_source_column_says_where_a_change_came_from(login, admin_user):
    client = login(admin_user)
    client.post("/language/", {"language": "en"})
    # Setting the language through the page is itself a change made in the web interface.
    page = client.get(reverse("core:audit")).content.decode()
    assert "<td>Web interface</td>" in page
    assert "<td>ui</td>" not in page


def tariff_entry(changes) -> AuditEntry:
    return AuditEntry(
        action="catalogue.tariff.added",
        content_type=ContentType.objects.get_for_model(Tariff),
        object_id="1",
        changes=changes,
    )


@pytest.mark.django_db
def test_changes_show_field_names_and_numbers_and_dates_in_the_readers_format():
    entry = tariff_entry(
        {"price": ["250.00", "24801.50"], "valid_from": ["2024-01-01", "2026-12-07"]}
    )
    with translation.override("ru"):
        rows = {row["field"]: row for row in change_rows(entry)}
        price = rows.pop(str(Tariff._meta.get_field("price").verbose_name))
        start = rows.pop(str(Tariff._meta.get_field("valid_from").verbose_name))
    assert rows == {}
    assert (price["before"], price["after"]) == ("250,00", "24\xa0801,50")
    assert (start["before"], start["after"]) == ("01.01.2024", "07.12.2026")
    with translation.override("en"):
        price_en = next(row for row in change_rows(entry) if row["after"].startswith("24"))
    assert price_en["after"] == "24,801.50"


@pytest.mark.django_db
def test_a_value_that_no_longer_parses_is_shown_as_stored():
    entry = tariff_entry({"price": ["", "not a number"], "valid_from": [None, "someday"]})
    values = {(row["before"], row["after"]) for row in change_rows(entry)}
    assert values == {("", "not a number"), (None, "someday")}


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", "Финляндия · Финский"), ("en", "Finland · Finnish"), ("de", "Finnland · Finnisch")],
)
def test_country_and_language_codes_read_as_names(language, expected):
    template = Template("{% load opora %}{{ country|country_name }} · {{ lang|language_name }}")
    with translation.override(language):
        assert template.render(Context({"country": "fi", "lang": "fi"})) == expected
    unknown = Template("{% load opora %}{{ 'XX'|country_name }} {{ 'xx'|language_name }}")
    assert unknown.render(Context()) == "XX xx"


def test_a_refused_form_lists_its_errors_at_the_top_with_links_to_the_fields(login, admin_user):
    client = login(admin_user)
    client.post("/language/", {"language": "en"})
    page = client.post(reverse("core:user_create"), {"username": "", "role": ""}).content.decode()
    summary = re.search(r"<div class=\"error-summary\".*?</div>", page, re.S)
    assert summary, "no error summary"
    assert page.index("error-summary") < page.index('id="id_username"')
    links = re.findall(r'<a href="#(id_\w+)">', summary.group(0))
    assert {"id_username", "id_last_name", "id_first_name", "id_role"} <= set(links)
    for target in links:  # each link lands on a field of the form
        assert f'id="{target}"' in page


def test_the_tab_bar_names_its_panel_and_the_panel_its_tab(login, admin_user, institution_a):
    client = login(admin_user)
    url = reverse("institutions:detail", args=[institution_a.pk]) + "?tab=history"
    page = client.get(url).content.decode()
    assert 'role="tablist"' in page and "{#" not in page
    selected = re.findall(
        r'<a role="tab" id="(tab-\w+)" aria-controls="tab-body"[^>]*?'
        r'aria-selected="true"',
        page,
        re.S,
    )
    assert selected == ["tab-history"]
    assert 'role="tabpanel" tabindex="-1" aria-labelledby="tab-history"' in page
    fragment = client.get(url, headers={"HX-Request": "true", "HX-Target": "tab-body"})
    assert 'aria-labelledby="tab-history"' in fragment.content.decode()
    assert 'role="tablist"' not in fragment.content.decode()


@pytest.mark.django_db
def test_a_change_naming_a_related_objects_field_reads_that_fields_name():
    from opora.registry.models import Income, Person

    entry = AuditEntry(
        action="registry.income.recorded",
        content_type=ContentType.objects.get_for_model(Person),
        object_id="1",
        changes={"amount": [None, "107364.40"], "no_such_field": [1, 2]},
    )
    with translation.override("ru"):
        rows = {row["field"]: row["after"] for row in change_rows(entry)}
        amount = str(Income._meta.get_field("amount").verbose_name)
    assert rows == {amount: "107\xa0364,40", "no_such_field": 2}
