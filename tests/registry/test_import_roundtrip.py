"""An exported file imports back exactly as it was: import(export(x)) = x for random registries,
text that looks like a formula, apostrophes, and control characters included, in CSV and XLSX;
and an export that fails is not audited as downloaded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.registry import services as registry_services
from opora.registry.imports import cells
from opora.registry.imports import export as exporting
from opora.registry.models import ImportBatch, ImportStatus, Person

from .conftest import valid_snils
from .test_import_helpers import media_fixture, run  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

# What a name may hold: any character but whitespace (a name's words are joined by single
# spaces), NUL (no database stores it) and lone surrogates (not text).
NAME_CHARACTERS = st.characters(exclude_categories=("Cs",), exclude_characters=["\x00"]).filter(
    lambda c: not c.isspace()
)
TRICKY_START = st.sampled_from(["", "=", "+", "-", "@", "'", "''", "'=", "_x0041_", "\x07"])
WORD = st.text(NAME_CHARACTERS, min_size=1, max_size=8)


@st.composite
def names(draw, required: bool = True) -> str:
    words = draw(st.lists(WORD, min_size=1 if required else 0, max_size=3))
    text = draw(TRICKY_START) + " ".join(words)
    return " ".join(text.split())[:100]


@st.composite
def keys(draw) -> str:
    key = draw(TRICKY_START) + draw(
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters=["\x00"]), min_size=1)
    )
    return key.strip()[:64] or "k"


@st.composite
def registries(draw) -> list[dict]:
    people = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "external_key": keys(),
                    "last_name": names().filter(bool),
                    "first_name": names().filter(bool),
                    "patronymic": names(required=False),
                    "sex": st.sampled_from(["M", "F"]),
                    "birth_date": st.one_of(
                        st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2020, 12, 31))
                    ),
                    "snils": st.one_of(st.none(), st.integers(2_000_000, 999_999_999)),
                }
            ),
            min_size=1,
            max_size=5,
            unique_by=(
                lambda p: p["external_key"],
                lambda p: valid_snils(p["snils"]) if p["snils"] else p["external_key"],
            ),
        )
    )
    return [{**p, "snils": valid_snils(p["snils"]) if p["snils"] else None} for p in people]


FIELDS = ("external_key", "last_name", "first_name", "patronymic", "sex", "birth_date", "snils")


def registry_now() -> list[tuple]:
    return list(Person.objects.order_by("external_key").values_list(*FIELDS))


def exported(file_format: str) -> bytes:
    rows = exporting.export_rows(actor=SYSTEM, entity="people")
    if file_format == "xlsx":
        with exporting.write_xlsx(rows) as handle:
            return handle.read()
    return b"".join(exporting.csv_chunks(rows))


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(admin_user, media, file_format):
    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(people=registries())
    def round_trip(people: list[dict]) -> None:
        ImportBatch.objects.all().delete()
        Person.objects.all().delete()
        for fields in people:
            registry_services.person_register(actor=SYSTEM, institution=None, **fields)
        before = registry_now()
        batch = run(admin_user, exported(file_format), name=f"people.{file_format}")
        problems = list(batch.issues.values_list("row", "message"))
        assert batch.status == ImportStatus.LOADED, problems
        assert (batch.inserted, batch.updated, batch.total_rows) == (0, 0, len(people))
        assert registry_now() == before

    round_trip()


@given(text=st.text(st.characters(exclude_categories=("Cs",))))
def test_the_guard_against_formulas_and_the_xml_escape_undo_exactly(text):
    assert cells.unguarded(cells.guarded(text)) == text
    assert cells.xml_unescaped(cells.xml_escaped(text)) == text
    assert not cells.guarded(text).startswith(("=", "@", "\t", "\r"))


def test_a_failed_xlsx_export_is_not_audited(login, admin_user, make_person, monkeypatch):
    make_person(external_key="P1")

    def broken(rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exporting, "write_xlsx", broken)
    client = login(admin_user)
    client.raise_request_exception = False
    response = client.get(
        reverse("registry:registry_import:export"), {"entity": "people", "format": "xlsx"}
    )
    assert response.status_code == 500
    assert not AuditEntry.objects.filter(action="registry.export.downloaded").exists()
