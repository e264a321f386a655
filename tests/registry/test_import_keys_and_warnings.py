"""A people file without keys gets generated ones (and says so); a file missing sex says why
sex is needed; a name mixing Latin and Cyrillic is a warning, not a refusal; the template of
each kind of file can be downloaded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opora.core.errors import DomainError
from opora.registry.imports import services
from opora.registry.imports.columns import COLUMNS
from opora.registry.models import ImportIssue, ImportStatus, Person

from .test_import_helpers import PEOPLE_HEADER, csv_bytes, messages, person_row, run, upload

pytestmark = pytest.mark.django_db

WITHOUT_KEY = PEOPLE_HEADER[1:]


@pytest.mark.parametrize("strategy", ["portable", None])
def test_a_file_without_keys_gets_generated_ones_and_updates_when_imported_again(
    admin_user, strategy
):
    data = csv_bytes(
        [person_row("")[1:], person_row("", "Петров", "Юрий", sex="M")[1:]], WITHOUT_KEY
    )
    batch = run(admin_user, data, strategy=strategy)
    assert batch.status == ImportStatus.LOADED and batch.keys_generated
    keys = sorted(Person.objects.values_list("external_key", flat=True))
    assert keys == [f"G-{batch.sha256[:16]}-2", f"G-{batch.sha256[:16]}-3"]
    again = run(admin_user, data, strategy=strategy)
    assert (again.inserted, again.updated, Person.objects.count()) == (0, 0, 2)


def test_the_report_says_the_keys_were_generated(login, admin_user):
    batch = run(admin_user, csv_bytes([person_row("")[1:]], WITHOUT_KEY))
    page = login(admin_user).get(reverse("registry:registry_import:detail", args=[batch.pk]))
    assert 'data-testid="keys-generated"' in page.content.decode()


def test_a_file_without_sex_is_told_why_sex_is_needed(admin_user):
    header = [c for c in PEOPLE_HEADER if c != "sex"]
    batch = upload(
        admin_user,
        csv_bytes(
            [[v for c, v in zip(PEOPLE_HEADER, person_row("P1"), strict=True) if c != "sex"]],
            header,
        ),
    )
    with pytest.raises(DomainError) as error:
        services.import_set_mapping(actor=admin_user, batch=batch, mapping=batch.mapping)
    [hint] = error.value.details["sex"]
    assert hint.startswith("Choose the column that holds it.") and "pension age" in hint


@pytest.mark.parametrize("strategy", ["portable", None])
def test_a_name_mixing_alphabets_is_loaded_with_a_warning(admin_user, strategy):
    mixed = "Ивaнова"  # a Latin "a" among Cyrillic letters
    rows = [person_row("P1", last=mixed), person_row("P2", last="Smith", first="John")]
    batch = run(admin_user, csv_bytes(rows, PEOPLE_HEADER), strategy=strategy)
    assert batch.status == ImportStatus.LOADED  # "the whole file or nothing": still loaded
    assert (batch.inserted, batch.error_rows) == (2, 0)
    assert [m[:2] for m in messages(batch)] == [(2, "last_name")]
    assert ImportIssue.objects.get().warning
    assert Person.objects.get(external_key="P1").last_name == mixed


@pytest.mark.parametrize("entity", list(COLUMNS))
def test_the_template_of_each_kind_of_file_imports_as_its_header(login, admin_user, entity):
    response = login(admin_user).get(reverse("registry:registry_import:template", args=[entity]))
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").strip().split(";") == list(COLUMNS[entity])
