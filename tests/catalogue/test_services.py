"""The catalogue's services and their forms: the rules, and what the audit log keeps."""

import pytest
from django.utils import translation

from opora.catalogue import selectors, services
from opora.catalogue.models import Service, ServiceFormLink
from opora.core.actors import SYSTEM
from opora.core.audit import sentence
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.core.tabs import history_rows


def refused(expected, call, **kwargs):
    with pytest.raises(DomainError) as error:
        call(**kwargs)
    assert error.value.code == expected, error.value.as_body()
    return error.value


def test_a_service_is_created_with_its_forms_in_the_order_of_the_law(make_service, admin_user):
    service = make_service(forms=["residential", "home", "home"])
    assert service.forms == ["home", "residential"]
    entry = AuditEntry.objects.get(action="catalogue.service.created", object_id=str(service.pk))
    assert entry.data == {"forms": "home,residential"}
    assert entry.changes["code"] == [None, service.code]
    with translation.override("en"):
        assert sentence(entry).endswith("given at home, residential")


def test_an_unknown_form_is_refused_and_nothing_is_written(make_service):
    entries = AuditEntry.objects.count()
    with pytest.raises(DomainError) as error:
        make_service(code="1.50", forms=["home", "in a boat"])
    assert error.value.code == "unknown_form"
    assert "forms" in error.value.details
    assert not Service.objects.filter(code="1.50").exists()
    assert AuditEntry.objects.count() == entries


def test_a_service_needs_a_form(make_service):
    with pytest.raises(DomainError) as error:
        make_service(forms=[])
    assert error.value.code == "no_forms"


def test_the_code_is_unique(make_service, service):
    with pytest.raises(DomainError) as error:
        make_service(code=service.code)
    assert (error.value.code, error.value.status) == ("code_taken", 409)


@pytest.mark.parametrize("code", ["", "1 08", "уборка", "-1"])
def test_a_code_of_other_characters_is_refused(make_service, code):
    with pytest.raises(DomainError) as error:
        make_service(code=code)
    assert "code" in error.value.details


def test_a_periodic_service_states_how_often(make_service):
    with pytest.raises(DomainError) as error:
        make_service(regime="periodic", periodicity_times=None, periodicity_unit="")
    assert {"periodicity_times", "periodicity_unit"} <= set(error.value.details)


def test_only_a_periodic_service_states_how_often(make_service):
    with pytest.raises(DomainError) as error:
        make_service(regime="one_time", periodicity_times=2, periodicity_unit="week")
    assert "regime" in error.value.details


def test_a_service_of_the_urgent_kind_is_urgent(make_service, kinds):
    with pytest.raises(DomainError) as error:
        make_service(kind=kinds["urgent"], regime="one_time", urgent_allowed=False)
    assert "urgent_allowed" in error.value.details
    assert make_service(kind=kinds["urgent"], regime="one_time", urgent_allowed=True).pk


@pytest.mark.parametrize("minutes", [0, 24 * 60 + 1])
def test_the_standard_duration_is_within_a_day(make_service, minutes):
    with pytest.raises(DomainError) as error:
        make_service(standard_duration_minutes=minutes)
    assert "standard_duration_minutes" in error.value.details


def test_regime_reads_as_a_sentence(make_service):
    service = make_service(regime="periodic", periodicity_times=2, periodicity_unit="week")
    with translation.override("en"):
        assert service.regime_label() == "periodic, 2 times per week"


def test_an_update_records_only_what_changed(service, admin_user):
    services.service_update(actor=admin_user, service=service, name=service.name)
    assert not AuditEntry.objects.filter(action="catalogue.service.updated").exists()
    services.service_update(
        actor=admin_user, service=service, standard_duration_minutes=90, reason="Приказ № 12"
    )
    entry = AuditEntry.objects.get(action="catalogue.service.updated")
    assert entry.changes == {"standard_duration_minutes": [60, 90]}
    assert entry.reason == "Приказ № 12"
    assert entry.actor == admin_user


def test_changing_the_forms_is_its_own_entry(service, admin_user):
    services.service_update(actor=admin_user, service=service, forms=["home"])
    assert list(ServiceFormLink.objects.filter(service=service).values_list("form", flat=True)) == [
        "home"
    ]
    entry = AuditEntry.objects.get(action="catalogue.service.forms_set")
    assert entry.data == {"forms": "home"}  # codes, rendered in the reader's language
    with translation.override("en"):
        assert sentence(entry).endswith(": at home")


def test_an_update_refuses_fields_it_does_not_own(service, admin_user):
    refused(
        "unknown_fields",
        services.service_update,
        actor=admin_user,
        service=service,
        search_text="x",
    )


def test_a_code_taken_by_another_service_is_refused_on_update(make_service, service, admin_user):
    other = make_service()
    refused("code_taken", services.service_update, actor=admin_user, service=other, code="1.08")


def test_the_search_finds_cyrillic_in_any_case_and_english(service, make_service):
    make_service(code="2.01", name="Измерение температуры тела", name_en="Measuring temperature")
    found = selectors.service_list(actor=SYSTEM, q="УБОРКА")
    assert [s.code for s in found] == ["1.08"]
    assert [s.code for s in selectors.service_list(actor=SYSTEM, q="measuring")] == ["2.01"]
    assert [s.code for s in selectors.service_list(actor=SYSTEM, q="2.01")] == ["2.01"]


def test_a_retired_service_keeps_its_history(service, admin_user):
    services.service_update(actor=admin_user, service=service, is_active=False)
    with translation.override("en"):
        sentences = [row["sentence"] for row in history_rows(service)]
    assert sentences[0] == "root-admin changed the service Уборка жилых помещений"
    assert sentences[-1].startswith("System added the service")
