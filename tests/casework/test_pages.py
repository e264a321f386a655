"""The case pages: every page renders for the case's worker in both languages, nobody outside
the case's institution sees it, and each step's page changes the case through its service or
shows the refusal at the field and writes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.casework import services
from opora.casework.models import Case, CaseDocument, CaseStatus, Delivery, ProgrammeStatus
from opora.core.roles import Role

from .conftest import barthel_answers, footprint

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
HTMX_RESULTS = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}
TABS = ("overview", "timeline", "documents", "assessment", "programme", "deliveries", "acts")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="application.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def errors_of(response, field):
    return response.context["form"].errors.get(field, [])


def in_english(client):
    client.cookies["django_language"] = "en"
    return client


def case_urls(case):
    """Every page bound to ``case`` and its programmes, GET-able."""
    urls = [reverse("casework:case", args=[case.pk])]
    urls += [f"{urls[0]}?tab={tab}" for tab in (*TABS, "history")]
    for name in (
        "document_add",
        "assess",
        "decide",
        "programme_draft",
        "deliver",
        "urgent",
        "suspend",
        "resume",
        "close",
        "assign",
        "act_issue",
    ):
        urls.append(reverse(f"casework:{name}", args=[case.pk]))
    for programme in case.programmes.all():
        urls.append(reverse("casework:programme_item_add", args=[programme.pk]))
        urls.append(reverse("casework:programme_agree", args=[programme.pk]))
        for item in programme.items.all():
            urls.append(reverse("casework:programme_service_refuse", args=[item.pk]))
    for document in case.documents.all():
        urls.append(reverse("casework:document", args=[case.pk, document.pk]))
    return urls


@pytest.fixture
def served_case(case_at, worker_a, home_worker_a, today):
    """A case in service with a document, a second programme version drafted, a worker."""
    case = case_at(CaseStatus.IN_SERVICE)
    services.document_attach(actor=worker_a, case=case, kind="application", upload=pdf())
    services.case_assign_worker(actor=worker_a, case=case, employee=home_worker_a)
    services.programme_draft(
        actor=worker_a, case=case, form="home", drawn_up_on=today, income=30000
    )
    return case


# --- Rendering and scope -----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_case_page_renders_for_the_worker_of_the_case(
    login, worker_a, served_case, person_a, language
):
    client = login(worker_a)
    client.cookies["django_language"] = language
    urls = [
        reverse("casework:list"),
        reverse("casework:register") + f"?person={person_a.pk}",
        *case_urls(served_case),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if "documents/" not in url or url.endswith("/add/"):
            assert response["Content-Language"] == language, url
    page = client.get(reverse("casework:case", args=[served_case.pk])).content.decode()
    assert served_case.number in page and person_a.full_name in page


def test_the_case_page_tells_the_whole_story(login, worker_a, served_case):
    client = in_english(login(worker_a))
    url = reverse("casework:case", args=[served_case.pk])
    timeline = client.get(url, {"tab": "timeline"}).context["timeline"]
    assert {"step", "document", "assessment", "decision", "programme", "delivery"} <= {
        event.kind for event in timeline
    }
    programmes = client.get(url, {"tab": "programme"}).context["programmes"]
    assert [p["programme"].status for p in programmes] == [
        ProgrammeStatus.DRAFT,
        ProgrammeStatus.AGREED,
    ]
    line = programmes[1]["lines"][0]
    assert (line.delivered, line.left) == (1, 99)
    fragment = client.get(
        url, {"tab": "programme"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="tab-body"
    )
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="tab-body"') and "Volume still due" in html
    history = client.get(url, {"tab": "history"}).context["history"]
    actions = [row["entry"].action for row in history]
    assert actions[0] == "casework.programme.item_added"  # the draft took the service in force
    assert "casework.programme.drafted" in actions and actions[-1] == "casework.case.registered"


def test_the_buttons_follow_the_status_and_the_permission(login, worker_a, case_at, make_user):
    applied = case_at(CaseStatus.APPLIED)
    client = login(worker_a)
    labels = [
        a.url for a in client.get(reverse("casework:case", args=[applied.pk])).context["actions"]
    ]
    assert reverse("casework:assess", args=[applied.pk]) in labels
    assert reverse("casework:deliver", args=[applied.pk]) not in labels
    services.case_close(actor=worker_a, case=applied, on=applied.applied_on, note="Отозвано")
    assert client.get(reverse("casework:case", args=[applied.pk])).context["actions"] == []


def test_a_worker_of_another_institution_sees_nothing_of_the_case(login, worker_b, served_case):
    client = login(worker_b)
    for url in case_urls(served_case):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("casework:close", args=[served_case.pk]), {"on": "2020-01-01", "note": "x"}
    )
    assert response.status_code == 404
    listed = client.get(reverse("casework:list"))
    assert list(listed.context["table"].rows) == []
    assert served_case.number not in listed.content.decode()
    search = client.get(reverse("core:search"), {"q": served_case.number}).content.decode()
    assert reverse("casework:case", args=[served_case.pk]) not in search


def test_an_analyst_gets_403_on_the_case_pages_and_counts_on_the_dashboard(
    login, analyst, served_case
):
    client = in_english(login(analyst))
    for url in (reverse("casework:list"), reverse("casework:case", args=[served_case.pk])):
        assert client.get(url).status_code == 403
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-widget="casework"' in dashboard
    assert "1</span> open case" in dashboard
    assert f'href="{reverse("casework:list")}?' not in dashboard


# --- The list -----------------------------------------------------------------------------------


def test_the_list_filters_and_answers_htmx_with_the_results_only(
    login, worker_a, case_at, make_person, institution_a, today
):
    applied = case_at(CaseStatus.APPLIED, person=make_person(institution_a, last_name="Иванова"))
    closed = case_at(CaseStatus.CLOSED)
    Case.objects.filter(pk=applied.pk).update(next_due=today.replace(year=today.year - 1))
    client = login(worker_a)
    url = reverse("casework:list")

    def numbers(params=None, **headers):
        return [c.number for c in client.get(url, params or {}, **headers).context["table"].rows]

    assert set(numbers()) == {applied.number, closed.number}
    assert numbers({"open_only": "on"}) == [applied.number]
    assert numbers({"overdue": "on"}) == [applied.number]
    assert numbers({"status": "closed"}) == [closed.number]
    assert numbers({"q": "иванова"}) == [applied.number]
    assert numbers({"q": closed.number[-4:]}) == [closed.number]
    fragment = client.get(url, {"q": applied.number}, **HTMX_RESULTS).content.decode()
    assert fragment.lstrip().startswith('<div id="results">') and "<html" not in fragment
    assert 'data-overdue="true"' in fragment


def test_an_empty_list_says_what_to_do(login, worker_a, casework_reference):
    client = in_english(login(worker_a))
    assert "Register the first application" in client.get(reverse("casework:list")).content.decode()
    page = client.get(reverse("casework:list"), {"q": "nothing"}).content.decode()
    assert "No cases match" in page


def test_the_search_finds_a_case_by_its_number(login, worker_a, case_at):
    case = case_at(CaseStatus.APPLIED)
    page = login(worker_a).get(reverse("core:search"), {"q": case.number}).content.decode()
    assert reverse("casework:case", args=[case.pk]) in page


def test_the_person_page_links_to_her_cases_for_those_who_may_read_them(
    login, worker_a, case_at, person_a, make_user, institution_a
):
    case = case_at(CaseStatus.APPLIED)
    person_url = reverse("registry:person", args=[person_a.pk])
    page = login(worker_a).get(person_url).content.decode()
    assert reverse("casework:case", args=[case.pk]) in page
    assert f"{reverse('casework:register')}?person={person_a.pk}" in page
    specialist = make_user(Role.EMPLOYMENT_SPECIALIST, institutions=[institution_a])
    page = login(specialist).get(person_url)
    assert page.status_code == 200
    assert reverse("casework:case", args=[case.pk]) not in page.content.decode()


# --- Intake -------------------------------------------------------------------------------------


def intake(person, institution, grounds, **fields):
    data = {
        "person": person.pk,
        "institution": institution.pk,
        "channel": "in_person",
        "applicant": "self",
        "applied_on": fields.pop("applied_on").isoformat(),
        "grounds": [grounds["self-care-loss"].pk],
        "document_kind": "application",
    }
    data.update(fields)
    return data


def test_intake_registers_the_case_with_urgent_services_and_a_document(
    login, worker_a, person_a, institution_a, grounds, urgent_service, today
):
    client = login(worker_a)
    form_page = client.get(reverse("casework:register"), {"person": person_a.pk})
    assert form_page.context["form"].initial["person"] == person_a
    data = intake(person_a, institution_a, grounds, applied_on=today)
    data[f"urgent_{urgent_service.pk}"] = "2"
    data["document"] = pdf()
    response = client.post(reverse("casework:register"), data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case", args=[case.pk])
    assert case.status == CaseStatus.APPLIED and case.person == person_a
    urgent = Delivery.objects.get(case=case)
    assert (urgent.is_urgent, urgent.quantity, urgent.service) == (True, 2, urgent_service)
    assert case.documents.get().content_type == "application/pdf"


def test_intake_with_a_refused_file_writes_nothing(
    login, worker_a, person_a, institution_a, grounds, today
):
    client = in_english(login(worker_a))
    data = intake(person_a, institution_a, grounds, applied_on=today)
    data["document"] = SimpleUploadedFile("virus.exe", b"MZ\x90\x00 not a scan")
    before = footprint()
    response = client.post(reverse("casework:register"), data)
    assert response.status_code == 200
    assert errors_of(response, "document") == ["Save the document as PDF, JPEG or PNG."]
    assert footprint() == before


def test_intake_without_grounds_is_refused_at_the_field(
    login, worker_a, person_a, institution_a, grounds, today
):
    client = in_english(login(worker_a))
    data = intake(person_a, institution_a, grounds, applied_on=today)
    data["grounds"] = []
    before = footprint()
    response = client.post(reverse("casework:register"), data)
    assert errors_of(response, "grounds") == ["Choose at least one ground."]
    assert footprint() == before


def test_intake_offers_only_people_in_the_workers_scope(
    login, worker_a, person_a, make_person, institution_b, casework_reference
):
    stranger = make_person(institution_b)
    form = login(worker_a).get(reverse("casework:register")).context["form"]
    offered = {value for value, _label in form.fields["person"].widget.choices}
    assert person_a.pk in offered and stranger.pk not in offered


# --- The steps ----------------------------------------------------------------------------------


def test_a_document_is_attached_and_downloaded_as_an_attachment(login, worker_a, case_at):
    case = case_at(CaseStatus.APPLIED)
    client = in_english(login(worker_a))
    url = reverse("casework:document_add", args=[case.pk])
    before = footprint()
    bad = client.post(url, {"kind": "identity", "file": SimpleUploadedFile("a.html", b"<html>")})
    assert errors_of(bad, "file") == ["Save the document as PDF, JPEG or PNG."]
    assert footprint() == before
    response = client.post(url, {"kind": "identity", "title": "Паспорт", "file": pdf("p.pdf")})
    assert response["Location"].endswith("?tab=documents")
    document = CaseDocument.objects.get(case=case)
    download = client.get(reverse("casework:document", args=[case.pk, document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF


def test_an_assessment_is_scored_by_the_service_and_proposes_a_level(
    login, worker_a, case_at, barthel
):
    case = case_at(CaseStatus.APPLIED)
    client = in_english(login(worker_a))
    url = reverse("casework:assess", args=[case.pk])
    answers = barthel_answers(barthel, "min")
    incomplete = {"assessed_on": case.applied_on.isoformat(), "scale": "barthel"}
    before = footprint()
    response = client.post(url, incomplete)
    first_item = barthel.items.order_by("order").first().code
    assert errors_of(response, first_item) == ["Choose an answer."]
    assert footprint() == before
    response = client.post(url, {**incomplete, **answers}, follow=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSED
    assessment = case.assessments.get()
    assert assessment.score == sum(answers.values())
    shown = [str(m) for m in response.context["messages"]]
    assert assessment.care_level.display_name in shown[0]


def test_a_refusal_without_reasons_is_shown_at_the_field_and_writes_nothing(
    login, worker_a, case_at
):
    case = case_at(CaseStatus.ASSESSED)
    client = in_english(login(worker_a))
    url = reverse("casework:decide", args=[case.pk])
    day = case.applied_on.isoformat()
    before = footprint()
    response = client.post(url, {"outcome": "refused", "decided_on": day, "reasons": " "})
    assert errors_of(response, "reasons") == ["Enter the reasons for the refusal."]
    assert footprint() == before
    response = client.post(url, {"outcome": "recognised", "decided_on": day})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.RECOGNISED


def test_a_programme_is_drawn_up_filled_and_agreed_through_its_pages(
    login, worker_a, case_at, provider_a, today
):
    case = case_at(CaseStatus.RECOGNISED)
    client = in_english(login(worker_a))
    response = client.post(
        reverse("casework:programme_draft", args=[case.pk]),
        {"form": "home", "drawn_up_on": today.isoformat(), "income": "24 000,50"},
    )
    assert response.status_code == 302
    programme = case.programmes.get()
    assert programme.income == 24000.50 and programme.fee_cap >= 0
    add = reverse("casework:programme_item_add", args=[programme.pk])
    page = client.get(add)
    assert list(page.context["form"].fields["provider"].queryset) == [provider_a]
    refused = client.post(add, {"provider": provider_a.pk, "volume": "0"})
    assert errors_of(refused, "volume") == ["Enter at least 1."]
    client.post(add, {"provider": provider_a.pk, "volume": "20", "times": "2", "per": "week"})
    item = programme.items.get()
    assert item.volume == 20
    programme_page = client.get(reverse("casework:case", args=[case.pk]), {"tab": "programme"})
    assert "at most" in programme_page.content.decode() or "free of charge" in (
        programme_page.content.decode()
    )
    agree = reverse("casework:programme_agree", args=[programme.pk])
    before = footprint()
    response = client.post(agree, {"agreed_on": today.isoformat(), "refused_items": [item.pk]})
    assert response.status_code == 200 and footprint() == before
    client.post(agree, {"agreed_on": today.isoformat()})
    programme.refresh_from_db()
    case.refresh_from_db()
    assert programme.status == ProgrammeStatus.AGREED and case.status == CaseStatus.AGREED


def test_a_service_of_a_draft_is_removed_by_a_post(login, worker_a, case_at):
    case = case_at(CaseStatus.PROGRAMME_DRAFTED)
    item = case.programmes.get().items.get()
    client = login(worker_a)
    url = reverse("casework:programme_item_remove", args=[item.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not case.programmes.get().items.exists()


def test_several_deliveries_are_recorded_at_once_and_the_volume_is_kept(
    login, worker_a, case_at, today
):
    case = case_at(CaseStatus.AGREED, volume=3)
    item = case.programmes.get().items.get()
    client = in_english(login(worker_a))
    url = reverse("casework:deliver", args=[case.pk])
    line = {"delivered_on_0": today.isoformat(), "delivered_on_1": today.isoformat()}
    before = footprint()
    response = client.post(
        url, {**line, "item_0": item.pk, "quantity_0": "1", "item_1": item.pk, "quantity_1": "5"}
    )
    assert errors_of(response, "quantity_1") == ["Enter at most 2."]
    assert errors_of(response, "quantity_0") == []
    assert footprint() == before
    response = client.post(
        url,
        {**line, "item_0": item.pk, "quantity_0": "1", "minutes_0": "30", "item_1": item.pk},
    )
    assert response["Location"].endswith("?tab=deliveries")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_SERVICE
    assert case.deliveries.count() == 2


def test_an_urgent_service_is_recorded_from_its_page(
    login, worker_a, case_at, urgent_service, today
):
    case = case_at(CaseStatus.APPLIED)
    client = login(worker_a)
    client.post(
        reverse("casework:urgent", args=[case.pk]),
        {"service": urgent_service.pk, "delivered_on": today.isoformat(), "quantity": "1"},
    )
    assert case.deliveries.get().is_urgent


def test_a_case_is_suspended_resumed_and_closed_with_reasons(login, worker_a, case_at, today):
    case = case_at(CaseStatus.IN_SERVICE)
    client = in_english(login(worker_a))
    day = today.isoformat()
    before = footprint()
    response = client.post(reverse("casework:suspend", args=[case.pk]), {"on": day, "note": ""})
    assert errors_of(response, "note") == ["Enter the reason."]
    assert footprint() == before
    client.post(reverse("casework:suspend", args=[case.pk]), {"on": day, "note": "В больнице"})
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED
    client.post(reverse("casework:resume", args=[case.pk]), {"on": day})
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_SERVICE
    client.post(reverse("casework:close", args=[case.pk]), {"on": day, "note": "Переезд"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    before = footprint()
    response = client.post(
        reverse("casework:decide", args=[case.pk]), {"outcome": "recognised", "decided_on": day}
    )
    assert response.status_code == 200 and footprint() == before


def test_the_worker_is_assigned_with_her_caseload_shown(login, worker_a, case_at, home_worker_a):
    case = case_at(CaseStatus.AGREED)
    client = in_english(login(worker_a))
    url = reverse("casework:assign", args=[case.pk])
    page = client.get(url).content.decode()
    assert f"{home_worker_a.full_name} — 0 of 8 recipients" in page
    client.post(url, {"employee": home_worker_a.pk})
    case.refresh_from_db()
    assert case.worker == home_worker_a


def test_the_monthly_act_is_issued_once(login, worker_a, case_at, today):
    case = case_at(CaseStatus.AGREED)
    item = case.programmes.get().items.get()
    services.deliveries_record(
        actor=worker_a, case=case, entries=[services.DeliveryEntry(item=item, delivered_on=today)]
    )
    client = in_english(login(worker_a))
    url = reverse("casework:act_issue", args=[case.pk])
    month = today.replace(day=1).isoformat()
    assert client.post(url, {"month": month})["Location"].endswith("?tab=acts")
    act = case.acts.get()
    assert act.deliveries >= 1
    before = footprint()
    response = client.post(url, {"month": month})
    assert errors_of(response, "month") == ["Already issued."]
    assert footprint() == before
