"""The assistance pages: each page as the worker of the institution, another institution's
worker gets 404, the analyst sees no personal rows, the comparison shows both versions side by
side, the application's explanation says each clause in words with the facts it read, and the
refusal cites the clauses not met."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.assistance import audit_actions as actions
from opora.assistance import services
from opora.assistance.models import (
    Application,
    ApplicationStatus,
    AssignmentStatus,
    Evaluation,
    Measure,
    MeasureVersion,
    VersionStatus,
)
from opora.core import services as core_services
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry

from .conftest import APPLIED_ON, DOCUMENTS, rows

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
OLD_AGE = {"all": [{"id": "age90", "clause": "age", "at_least": 90}]}
MEANS_TESTED = {
    "all": [
        {"id": "age60", "clause": "age", "at_least": 60},
        {
            "id": "poor",
            "clause": "income",
            "months": 3,
            "below": {"minimum": "members", "times": 3},
            "missing_months": "unknown",
        },
    ]
}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def evaluated(application, worker_a):
    services.application_evaluate(actor=worker_a, application=application)
    return application


# --- Measures -----------------------------------------------------------------------------------


def test_the_measures_list_and_a_measure_with_its_rules_in_words(login, worker_a, measure, version):
    client = login(worker_a)
    listed = client.get(reverse("assistance:measures"))
    assert listed.status_code == 200
    assert measure.name in text_of(listed)
    page = client.get(reverse("assistance:measure", args=[measure.pk]))
    assert page.status_code == 200
    body = text_of(page)
    assert "Постановление № 1-ПП" in body
    assert 'data-clause="age60"' in body
    versions = client.get(reverse("assistance:measure", args=[measure.pk]) + "?tab=versions")
    assert reverse("assistance:version", args=[version.pk]) in versions.content.decode()
    assert client.get(reverse("assistance:version", args=[version.pk])).status_code == 200


def test_the_analyst_creates_a_measure_drafts_compares_and_publishes(login, analyst_user, measure):
    client = login(analyst_user)
    created = client.post(
        reverse("assistance:measure_add"),
        {
            "code": "new-one",
            "name": "Новая выплата",
            "kind": "cash_benefit",
            "beneficiary": "person",
        },
    )
    assert created.status_code == 302
    editor = client.get(reverse("assistance:version_new", args=[measure.pk]))
    assert editor.status_code == 200
    # A new version starts as a copy of the latest one.
    assert "age60" in editor.content.decode()
    drafted = client.post(
        reverse("assistance:version_new", args=[measure.pk]),
        {
            "valid_from": "2027-01-01",
            "legal_basis": "Постановление № 2-ПП",
            "eligibility": '{"all": [{"id": "age65", "clause": "age", "at_least": 65}]}',
            "amount": '{"fixed": "1200.00"}',
            "periodicity": "monthly",
            "decision_working_days": "10",
            "term_months": "12",
            "documents": "Паспорт\nСправка о доходах",
        },
    )
    assert drafted.status_code == 302
    draft = MeasureVersion.objects.get(measure=measure, status=VersionStatus.DRAFT)
    assert drafted["Location"] == reverse("assistance:version_compare", args=[draft.pk])
    compare = client.get(drafted["Location"])
    body = text_of(compare)
    # Both versions side by side, the changed rows marked.
    assert 'data-testid="compare-base"' in body and 'data-testid="compare-version"' in body
    assert "Постановление № 1-ПП" in body and "Постановление № 2-ПП" in body
    assert 'data-clause="age60"' in body and 'data-clause="age65"' in body
    assert re.search(r'class="changed" data-changed="true" data-field="legal_basis"', body)
    assert not re.search(r'data-changed="true" data-field="periodicity"', body)
    published = client.post(reverse("assistance:version_publish", args=[draft.pk]))
    assert published.status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED


def test_the_draft_editor_shows_the_rule_errors_by_their_place_and_writes_nothing(
    login, analyst_user, measure
):
    client = login(analyst_user)
    before = rows(MeasureVersion, AuditEntry)
    page = client.post(
        reverse("assistance:version_new", args=[measure.pk]),
        {
            "valid_from": "2027-01-01",
            "legal_basis": "Постановление № 2-ПП",
            "eligibility": '{"all": [{"clause": "shoe_size", "at_least": 40}]}',
            "periodicity": "monthly",
            "decision_working_days": "10",
        },
    )
    assert page.status_code == 200
    body = text_of(page)
    assert "all[0]" in body
    assert "error-summary" in body
    assert rows(MeasureVersion, AuditEntry) == before


def test_json_that_does_not_parse_is_refused_at_its_line(login, analyst_user, measure):
    client = login(analyst_user)
    client.cookies["django_language"] = "en"
    page = client.post(
        reverse("assistance:version_new", args=[measure.pk]),
        {
            "valid_from": "2027-01-01",
            "legal_basis": "x",
            "eligibility": '{"all": [',
            "periodicity": "monthly",
            "decision_working_days": "10",
        },
    )
    assert page.status_code == 200
    assert "not valid JSON" in page.content.decode()


def test_a_worker_may_read_measures_but_not_draft(login, worker_a, measure):
    client = login(worker_a)
    assert client.get(reverse("assistance:version_new", args=[measure.pk])).status_code == 403
    assert client.get(reverse("assistance:measure_add")).status_code == 403


def test_the_analyst_edits_a_measure_and_ends_it(login, analyst_user, measure):
    client = login(analyst_user)
    detail = client.get(reverse("assistance:measure", args=[measure.pk])).content.decode()
    edit_url = reverse("assistance:measure_edit", args=[measure.pk])
    end_url = reverse("assistance:measure_end", args=[measure.pk])
    assert edit_url in detail and end_url in detail
    form = client.get(edit_url)
    assert form.status_code == 200 and measure.name in text_of(form)
    edited = client.post(
        edit_url,
        {
            "name": "Ежемесячная выплата пожилым",
            "name_en": "Monthly payment to the elderly",
            "kind": "cash_benefit",
            "description": "Для тех, кому 60 и больше.",
            "description_en": "For those 60 and over.",
        },
    )
    assert edited.status_code == 302
    assert edited["Location"] == reverse("assistance:measure", args=[measure.pk])
    assert client.get(end_url).status_code == 200
    ended = client.post(end_url, {"ended_on": "2027-07-01"})
    assert ended.status_code == 302
    measure.refresh_from_db()
    assert measure.name == "Ежемесячная выплата пожилым" and measure.kind == "cash_benefit"
    assert measure.description_en == "For those 60 and over."
    assert measure.ended_on == dt.date(2027, 7, 1)
    entries = AuditEntry.objects.filter(
        action=actions.MEASURE_CHANGED, object_id=str(measure.pk)
    ).order_by("at", "pk")
    assert [sorted(entry.changes) for entry in entries] == [
        ["description", "description_en", "kind", "name", "name_en"],
        ["ended_on"],
    ]


def test_a_worker_sees_no_link_to_edit_or_end_a_measure_and_gets_403(login, worker_a, measure):
    client = login(worker_a)
    detail = client.get(reverse("assistance:measure", args=[measure.pk])).content.decode()
    edit_url = reverse("assistance:measure_edit", args=[measure.pk])
    end_url = reverse("assistance:measure_end", args=[measure.pk])
    assert edit_url not in detail and end_url not in detail
    before = rows(Measure, AuditEntry)
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, {"name": "x", "kind": "cash_benefit"}).status_code == 403
    assert client.post(end_url, {"ended_on": "2027-07-01"}).status_code == 403
    assert rows(Measure, AuditEntry) == before


def test_an_empty_name_or_an_end_before_the_first_version_is_shown_and_writes_nothing(
    login, analyst_user, measure
):
    client = login(analyst_user)
    client.cookies["django_language"] = "en"
    before = rows(Measure, AuditEntry)
    empty = client.post(
        reverse("assistance:measure_edit", args=[measure.pk]),
        {"name": "   ", "kind": "monthly_payment"},
    )
    assert empty.status_code == 200 and "error-summary" in text_of(empty)
    early = client.post(
        reverse("assistance:measure_end", args=[measure.pk]), {"ended_on": "2025-12-31"}
    )
    assert early.status_code == 200
    body = text_of(early)
    assert "error-summary" in body and "01.01.2026" in body
    assert rows(Measure, AuditEntry) == before
    measure.refresh_from_db()
    assert measure.ended_on is None and measure.kind == "monthly_payment"


# --- Applications -------------------------------------------------------------------------------


def test_the_inbox_lists_marks_the_overdue_and_filters(login, worker_a, application):
    client = login(worker_a)
    page = client.get(reverse("assistance:applications"))
    assert page.status_code == 200
    body = text_of(page)
    assert application.person.last_name in body
    # Applied in March of a past year: the decision is past its due day.
    assert 'data-overdue="true"' in body
    overdue = client.get(reverse("assistance:applications") + "?overdue=on")
    assert application.person.last_name in text_of(overdue)
    refused = client.get(reverse("assistance:applications") + "?status=refused")
    assert application.person.last_name not in text_of(refused)
    partial = client.get(
        reverse("assistance:applications") + "?q=Смирнова",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="results",
    )
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()


def test_register_an_application_with_the_documents_of_the_version(
    login, worker_a, measure, person_a, household_a, institution_a
):
    client = login(worker_a)
    form = client.get(
        reverse("assistance:application_register")
        + f"?person={person_a.pk}&measure={measure.pk}&applied_on={APPLIED_ON:%Y-%m-%d}"
    )
    assert form.status_code == 200
    assert DOCUMENTS[1] in form.content.decode()
    documents = client.get(
        reverse("assistance:application_register") + f"?measure={measure.pk}",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="documents",
    )
    assert DOCUMENTS[0] in documents.content.decode()
    assert "<html" not in documents.content.decode()
    posted = client.post(
        reverse("assistance:application_register"),
        {
            "person": person_a.pk,
            "measure": measure.pk,
            "institution": institution_a.pk,
            "channel": "in_person",
            "applied_on": APPLIED_ON.isoformat(),
            "documents_received": [DOCUMENTS[0]],
        },
    )
    assert posted.status_code == 302
    application = Application.objects.get(person=person_a)
    assert posted["Location"] == reverse("assistance:application", args=[application.pk])
    assert application.documents_received == [DOCUMENTS[0]]


def test_a_refused_registration_is_shown_on_the_form_and_writes_nothing(
    login, worker_a, measure, person_a, institution_a, application
):
    client = login(worker_a)
    before = rows(Application, AuditEntry)
    page = client.post(
        reverse("assistance:application_register"),
        {
            "person": person_a.pk,
            "measure": measure.pk,
            "institution": institution_a.pk,
            "channel": "in_person",
            "applied_on": APPLIED_ON.isoformat(),
        },
    )
    assert page.status_code == 200
    assert "error-summary" in page.content.decode()
    assert rows(Application, AuditEntry) == before


def test_the_application_page_and_checking_the_eligibility_in_place(login, worker_a, application):
    client = login(worker_a)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("assistance:application", args=[application.pk]))
    assert page.status_code == 200
    assert "Eligibility not checked yet" in page.content.decode()
    swapped = client.post(
        reverse("assistance:application_evaluate", args=[application.pk]),
        {"on": ""},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="explanation",
    )
    assert swapped.status_code == 200
    body = text_of(swapped)
    assert body.lstrip().startswith('<section class="card wide" id="explanation"')
    assert 'data-eligible="true"' in body
    assert 'data-clause="age60" data-held="true"' in body
    assert re.search(r"1(\s|&nbsp;|,)?000[.,]00", body)
    assert Evaluation.objects.filter(application=application).count() == 1
    # Without JavaScript: the page again, with the explanation.
    plain = client.post(reverse("assistance:application_evaluate", args=[application.pk]))
    assert plain.status_code == 302


def test_the_explanation_says_the_failed_clause_and_the_refusal_cites_it(
    login, worker_a, make_measure, apply
):
    measure = make_measure(eligibility=OLD_AGE)
    application = apply(measure=measure)
    client = login(worker_a)
    client.post(reverse("assistance:application_evaluate", args=[application.pk]))
    page = text_of(client.get(reverse("assistance:application", args=[application.pk])))
    assert 'data-eligible="false"' in page
    assert 'data-clause="age90" data-held="false"' in page
    assert 'data-testid="failed-clauses"' in page
    assert "90" in page
    decided = client.post(
        reverse("assistance:application_decide", args=[application.pk]),
        {"outcome": "refuse", "decided_on": APPLIED_ON.isoformat(), "reason": ""},
    )
    assert decided.status_code == 302
    page = text_of(client.get(reverse("assistance:application", args=[application.pk])))
    assert 'data-outcome="refuse"' in page
    assert 'data-testid="cited-clauses"' in page


def test_the_means_test_shows_the_income_months_and_the_minimum(
    login, worker_a, make_measure, apply, household_a
):
    measure = make_measure(beneficiary="household", eligibility=MEANS_TESTED)
    application = apply(measure=measure)
    client = login(worker_a)
    client.post(reverse("assistance:application_evaluate", args=[application.pk]))
    page = text_of(client.get(reverse("assistance:application", args=[application.pk])))
    assert 'data-clause="poor"' in page
    # The incomes of the months counted are read and shown in the reader's format.
    assert re.search(r"15(\s|&nbsp;|,)?000", page)


def test_decide_assign_late_and_see_the_assignment(login, worker_a, application):
    client = login(worker_a)
    form = client.get(reverse("assistance:application_decide", args=[application.pk]))
    assert form.status_code == 200
    decided = client.post(
        reverse("assistance:application_decide", args=[application.pk]),
        {"outcome": "assign", "decided_on": dt.date.today().isoformat()},
    )
    assert decided.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ASSIGNED
    page = text_of(client.get(reverse("assistance:application", args=[application.pk])))
    assert 'data-late="true"' in page
    assignment = application.assignment
    assert reverse("assistance:assignment", args=[assignment.pk]) in page


def test_withdraw_and_attach(login, worker_a, application):
    client = login(worker_a)
    attached = client.post(
        reverse("assistance:application_attach", args=[application.pk]),
        {"title": "Паспорт", "upload": SimpleUploadedFile("p.png", PNG, content_type="image/png")},
    )
    assert attached.status_code == 302
    file = application.files.get()
    download = client.get(reverse("assistance:application_file", args=[application.pk, file.pk]))
    assert download.status_code == 200
    withdrawn = client.post(
        reverse("assistance:application_withdraw", args=[application.pk]), {"reason": "Передумала"}
    )
    assert withdrawn.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_another_institutions_worker_gets_404_everywhere(login, worker_b, application, assignment):
    client = login(worker_b)
    pk = application.pk
    for url in (
        reverse("assistance:application", args=[pk]),
        reverse("assistance:application_decide", args=[pk]),
        reverse("assistance:application_withdraw", args=[pk]),
        reverse("assistance:application_attach", args=[pk]),
        reverse("assistance:assignment", args=[assignment.pk]),
        reverse("assistance:assignment_step", args=[assignment.pk, "suspend"]),
        reverse("assistance:overpayment_add", args=[assignment.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("assistance:application_evaluate", args=[pk])).status_code == 404
    listed = text_of(client.get(reverse("assistance:applications")))
    assert application.person.last_name not in listed
    assert application.person.last_name not in text_of(
        client.get(reverse("assistance:assignments"))
    )


def test_the_analyst_sees_no_personal_rows(login, analyst_user, application, assignment):
    client = login(analyst_user)
    assert client.get(reverse("assistance:applications")).status_code == 403
    assert client.get(reverse("assistance:application", args=[application.pk])).status_code == 403
    assert client.get(reverse("assistance:assignment", args=[assignment.pk])).status_code == 403
    dashboard = text_of(client.get(reverse("core:dashboard")))
    assert application.person.last_name not in dashboard
    measure_page = text_of(client.get(reverse("assistance:measure", args=[application.measure_id])))
    assert application.person.last_name not in measure_page


# --- Assignments --------------------------------------------------------------------------------


def test_the_assignment_page_steps_and_overpayments(login, worker_a, assignment):
    client = login(worker_a)
    page = text_of(client.get(reverse("assistance:assignment", args=[assignment.pk])))
    assert 'data-testid="assignment-amount"' in page
    assert reverse("assistance:assignment_step", args=[assignment.pk, "suspend"]) in page
    on = max(assignment.starts_on, APPLIED_ON).isoformat()
    suspended = client.post(
        reverse("assistance:assignment_step", args=[assignment.pk, "suspend"]),
        {"on": on, "reason": "Выехала на лечение"},
    )
    assert suspended.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUSPENDED
    recorded = client.post(
        reverse("assistance:overpayment_add", args=[assignment.pk]),
        {
            "period_from": assignment.starts_on.isoformat(),
            "period_to": assignment.starts_on.isoformat(),
            "amount": "1 000,00",
            "reason": "Доход не заявлен",
            "found_on": on,
        },
    )
    assert recorded.status_code == 302, text_of(recorded)[-2000:]
    overpayment = assignment.overpayments.get()
    assert overpayment.amount == Decimal("1000.00")
    listed = text_of(client.get(reverse("assistance:overpayments")))
    assert "Доход не заявлен" in listed
    settled = client.post(
        reverse("assistance:overpayment_settle", args=[overpayment.pk]), {"status": "recovered"}
    )
    assert settled.status_code == 302
    overpayment.refresh_from_db()
    assert overpayment.status == "recovered"
    assert client.get(reverse("assistance:assignments")).status_code == 200
    assert (
        client.get(reverse("assistance:assignment_step", args=[assignment.pk, "nope"])).status_code
        == 404
    )


def test_the_review_list(login, worker_a, assignment):
    page = login(worker_a).get(reverse("assistance:reviews") + "?within=3660")
    assert page.status_code == 200
    assert reverse("assistance:assignment", args=[assignment.pk]) in page.content.decode()


# --- The shell ----------------------------------------------------------------------------------


def test_the_person_and_household_panels_and_the_widget(
    login, worker_a, worker_b, assignment, household_a
):
    client = login(worker_a)
    person = assignment.person
    page = text_of(client.get(reverse("registry:person", args=[person.pk])))
    assert 'data-testid="panel-assistance-person"' in page
    assert reverse("assistance:assignment", args=[assignment.pk]) in page
    household = text_of(client.get(reverse("registry:household", args=[household_a.pk])))
    assert 'data-testid="panel-assistance-household"' in household
    dashboard = text_of(client.get(reverse("core:dashboard")))
    assert reverse("assistance:applications") in dashboard
    assert reverse("assistance:applications") in dashboard


def test_the_example_badge_on_a_made_up_version(login, worker_a, make_measure):
    measure = make_measure(is_example=True, example_note="Сумма придумана для демонстрации")
    page = login(worker_a).get(reverse("assistance:measure", args=[measure.pk]))
    assert 'data-testid="example-badge"' in page.content.decode()


def test_the_application_page_in_russian(client, worker_a, application):
    core_services.preferences_update(actor=worker_a, language="ru")
    client.force_login(worker_a)
    page = client.get(reverse("assistance:application", args=[application.pk]))
    assert page.status_code == 200
    assert page["Content-Language"] == "ru"


def test_a_measure_is_described_in_the_readers_language(login, worker_a, measure):
    services.measure_update(
        actor=SYSTEM,
        measure=measure,
        description="Пенсионерам старше 60 лет.",
        description_en="For pensioners over 60.",
    )
    client = login(worker_a)
    url = reverse("assistance:measure", args=[measure.pk])
    assert "Пенсионерам старше 60 лет." in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert "For pensioners over 60." in page and "Пенсионерам" not in page
