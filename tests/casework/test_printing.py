"""The printed documents of a case: the decision, the programme and the act, as PDF in Russian,
to the staff of the case's institution only, each print written on the case's history."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opora.casework import printing, selectors, services
from opora.casework.audit_actions import CASE_DOCUMENT_ISSUED
from opora.casework.models import CaseStatus
from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.registry import services as registry_services

VALID_SNILS = "11223344595"


def pdf_text(content: bytes) -> str:
    """The text of an uncompressed fpdf2 PDF: its strings are glyph numbers of a font subset,
    read back through each font's ToUnicode map."""
    maps: dict[bytes, dict[int, str]] = {}
    for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", content):
        font = content[content.index(b"\n" + number + b" 0 obj") :]
        cmap_number = re.search(rb"/ToUnicode (\d+) 0 R", font).group(1)
        cmap = content[content.index(b"\n" + cmap_number + b" 0 obj") :]
        pairs = re.search(rb"beginbfchar(.*?)endbfchar", cmap, re.S).group(1)
        maps[name] = {
            int(glyph, 16): bytes.fromhex(code.decode()).decode("utf-16-be")
            for glyph, code in re.findall(rb"<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>", pairs)
        }
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    text, font = [], None
    for match in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\)|\bET\b", content, re.S):
        if match.group(1):
            font = maps.get(match.group(1))
        elif match.group(0) == b"ET":
            text.append("\n")
        elif font is not None:
            raw = re.sub(rb"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), match.group(2))
            text += [
                font.get(int.from_bytes(raw[i : i + 2], "big"), "") for i in range(0, len(raw), 2)
            ]
    return "".join(text)


def audit_of(case) -> list[dict]:
    return list(
        AuditEntry.objects.filter(action=CASE_DOCUMENT_ISSUED, object_id=str(case.pk)).values_list(
            "data", flat=True
        )
    )


@pytest.fixture
def served(case_at):
    """A case in service with its decision, programme and an issued act."""
    case = case_at(CaseStatus.IN_SERVICE)
    programme = case.programmes.get()
    act = services.act_issue(actor=SYSTEM, case=case, month=case.applied_on)
    return case, programme, act


def urls_of(case, programme, act) -> dict[str, str]:
    return {
        "decision": reverse("casework:decision_pdf", args=[case.pk]),
        "programme": reverse("casework:programme_pdf", args=[programme.pk]),
        "act": reverse("casework:act_pdf", args=[act.pk]),
    }


def test_the_three_documents_are_served_as_pdf_and_each_print_is_on_the_history(
    served, worker_a, login
):
    case, programme, act = served
    client = login(worker_a)
    for document, url in urls_of(case, programme, act).items():
        response = client.get(url)
        assert response.status_code == 200, document
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        disposition = response["Content-Disposition"]
        assert disposition.startswith('inline; filename="') and disposition.isascii()
        assert case.number in disposition
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "no-store"
    printed = audit_of(case)
    assert sorted(entry["document"] for entry in printed) == ["act", "decision", "programme"]


def test_the_served_pdf_is_in_russian_whatever_the_interface_language(
    served, worker_a, login, settings
):
    settings.CASEWORK_PDF_COMPRESS = False
    case, programme, act = served
    client = login(worker_a)
    expected = {
        "decision": "РЕШЕНИЕ",
        "programme": "ИНДИВИДУАЛЬНАЯ ПРОГРАММА",
        "act": "о предоставлении социальных услуг",
    }
    for document, url in urls_of(case, programme, act).items():
        text = pdf_text(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content)
        assert "Петрова" in text, document
        assert case.number in text, document
        assert expected[document] in text
        pages = re.search(r"страница 1 из (\d+)", text)  # the footer numbers the pages
        assert pages and f"страница {pages[1]} из {pages[1]}" in text


def test_the_decision_recognises_with_the_assessment_and_names_the_signatory(case_at, worker_a):
    case = case_at(CaseStatus.RECOGNISED)
    case = selectors.case_get(actor=worker_a, pk=case.pk)
    decision = selectors.decision_for_print(case)
    text = printing.decision_document(actor=worker_a, case=case, decision=decision).text()
    assert "о признании гражданина нуждающимся в социальном обслуживании" in text
    assert (
        "Признать нуждающейся в социальном обслуживании гражданку: "
        f"{case.person.full_name}, 09.05.1941 г. р." in text
    )
    assert "442-ФЗ, ст. 15 ч. 1)" in text  # the ground's basis, its Russian half
    # The programme is due counted from the application (442-FZ art. 16 part 4).
    flowing = " ".join(text.split())
    assert f"получателю не позднее {case.programme_due:%d.%m.%Y}" in flowing
    assert "(часть 4 статьи 16, Федеральный закон" in flowing
    assert f"Результат: {decision.assessment.score} балл" in text
    assert decision.decided_on.strftime("%d.%m.%Y") in text
    assert "Гражданка: Петрова" in text
    assert f"Должностное лицо: {worker_a.display_name}" in text


def test_a_refusal_prints_its_reasons(case_at, worker_a):
    case = case_at(CaseStatus.REFUSED)
    case = selectors.case_get(actor=worker_a, pk=case.pk)
    decision = selectors.decision_for_print(case)
    text = printing.decision_document(actor=worker_a, case=case, decision=decision).text()
    assert "об отказе в признании" in text
    assert "Отказать в признании нуждающейся в социальном обслуживании гражданке: Петрова" in text
    assert "Причины отказа: Нет" in text
    assert "Признать" not in text


def test_snils_is_whole_only_for_staff_allowed_to_see_it(
    case_at, make_person, institution_a, worker_a, analyst
):
    person = make_person(institution_a, snils=VALID_SNILS)
    registry_services.address_set(
        actor=SYSTEM,
        person=person,
        kind="actual",
        text="Москва, ул. Садовая, д. 1",
        postal_code="101000",
    )
    case = case_at(CaseStatus.RECOGNISED, person=person)
    case = selectors.case_get(actor=worker_a, pk=case.pk)
    decision = selectors.decision_for_print(case)
    whole = printing.decision_document(actor=worker_a, case=case, decision=decision).text()
    assert "СНИЛС: 112-233-445 95" in whole
    assert "Адрес: 101000, Москва, ул. Садовая, д. 1" in whole
    masked = printing.decision_document(actor=analyst, case=case, decision=decision).text()
    assert "112-233" not in masked
    assert "СНИЛС: •••-•••-445 95" in masked


def test_the_programme_lists_services_fee_and_the_written_refusal(
    case_at, worker_a, make_home_service, provide, institution_a
):
    case = case_at(CaseStatus.PROGRAMME_DRAFTED, income=Decimal("90000"))
    programme = case.programmes.get()
    long_name = "Содействие в получении медицинской помощи " * 4
    second = make_home_service(name=long_name.strip())
    services.programme_item_add(
        actor=SYSTEM,
        programme=programme,
        service=second,
        provider=provide(institution_a, second),
        volume=12,
        times=1,
        per="month",
    )
    draft = printing.programme_document(
        actor=worker_a, programme=selectors.programme_get(actor=worker_a, pk=programme.pk)
    )
    assert draft.is_draft
    refused = programme.items.get(service=second)
    services.programme_agree(
        actor=SYSTEM,
        programme=programme,
        agreed_on=case.applied_on,
        refused_items=[refused],
        refusal="Отказываюсь от сопровождения",
    )
    printed = printing.programme_document(
        actor=worker_a, programme=selectors.programme_get(actor=worker_a, pk=programme.pk)
    )
    text = printed.text()
    assert not printed.is_draft
    assert "Форма социального обслуживания: на дому" in text
    assert "2 раза в неделю" in text
    assert "Ежемесячная плата за социальные услуги — не более" in text
    assert "Текст письменного отказа: Отказываюсь от сопровождения" in text
    services_table, refused_table = [b for b in printed.blocks if isinstance(b, printing.Table)]
    assert [row[1] for row in refused_table.rows] == [f"{second.code} {second.name}"]
    assert all(second.code not in row[1] for row in services_table.rows)
    assert printing.render(printed).startswith(b"%PDF")  # the long name wraps in its cell


def test_a_free_programme_says_so_with_its_basis(case_at, worker_a):
    case = case_at(CaseStatus.AGREED, income=Decimal("1000"))
    programme = selectors.programme_get(actor=worker_a, pk=case.programmes.get().pk)
    assert programme.is_free
    text = printing.programme_document(actor=worker_a, programme=programme).text()
    assert "предоставляются бесплатно" in text
    assert "1\u00a0000,00 руб." in text


def test_the_act_lists_deliveries_with_totals_and_fee(served, worker_a):
    case, _programme, act = served
    text = printing.act_document(
        actor=worker_a, act=selectors.act_get(actor=worker_a, pk=act.pk)
    ).text()
    month = case.applied_on.strftime("%d.%m.%Y")
    assert f"1 | {month} | " in text
    assert "Всего предоставлено: 1 услуга на сумму 250,00 руб." in text
    assert f"Плата получателя: {printing.money(act.fee)} руб." in text
    assert "Получатель социальных услуг (представитель): Петрова А. И." in text


def test_a_delivery_recorded_after_the_act_is_not_printed_in_it(served, worker_a):
    case, programme, act = served
    services.deliveries_record(
        actor=SYSTEM,
        case=case,
        entries=[services.DeliveryEntry(item=programme.items.get(), delivered_on=case.applied_on)],
    )
    printed = printing.act_document(
        actor=worker_a, act=selectors.act_get(actor=worker_a, pk=act.pk)
    )
    table = next(b for b in printed.blocks if isinstance(b, printing.Table))
    assert len(table.rows) == 2  # the delivery and the total


def test_staff_of_another_institution_get_404_and_analysts_403(
    served, worker_b, analyst, login, client
):
    case, programme, act = served
    urls = urls_of(case, programme, act)
    login(worker_b)
    for url in urls.values():
        assert client.get(url).status_code == 404
    login(analyst)
    for url in urls.values():
        assert client.get(url).status_code == 403
    assert audit_of(case) == []


def test_a_case_without_a_decision_has_no_decision_to_print(case_at, worker_a, login):
    case = case_at(CaseStatus.ASSESSED)
    response = login(worker_a).get(reverse("casework:decision_pdf", args=[case.pk]))
    assert response.status_code == 404
    assert audit_of(case) == []


def test_without_the_font_printing_says_what_to_install_and_records_nothing(
    served, worker_a, login, settings, tmp_path
):
    settings.PDF_FONT_DIR = str(tmp_path)
    with pytest.raises(DomainError) as error:
        printing.font_dir()
    assert error.value.code == "pdf_font_missing"
    assert "fonts-dejavu-core" in str(error.value.message)
    case, _programme, _act = served
    response = login(worker_a).get(reverse("casework:decision_pdf", args=[case.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:case", args=[case.pk])
    assert audit_of(case) == []


def test_a_configured_font_folder_is_used(settings, tmp_path):
    for name in printing.FONT_FILES.values():
        (tmp_path / name).write_bytes((printing.font_dir() / name).read_bytes())
    settings.PDF_FONT_DIR = str(tmp_path)
    assert printing.font_dir() == tmp_path


def _queries(build) -> int:
    with CaptureQueriesContext(connection) as queries:
        build().lines()
    return len(queries)


def test_building_a_document_runs_the_same_queries_whatever_its_length(
    case_at, make_person, institution_a, worker_a, make_home_service, provide
):
    short_case = case_at(CaseStatus.IN_SERVICE)
    long_case = case_at(CaseStatus.IN_SERVICE, person=make_person(institution_a))
    item = long_case.programmes.get().items.get()
    services.deliveries_record(
        actor=SYSTEM,
        case=long_case,
        entries=[services.DeliveryEntry(item=item, delivered_on=long_case.applied_on)] * 3,
    )
    acts = [
        selectors.act_get(
            actor=worker_a,
            pk=services.act_issue(actor=SYSTEM, case=case, month=case.applied_on).pk,
        )
        for case in (short_case, long_case)
    ]
    counts = [_queries(lambda a=a: printing.act_document(actor=worker_a, act=a)) for a in acts]
    assert counts[0] == counts[1]

    one = case_at(CaseStatus.PROGRAMME_DRAFTED, person=make_person(institution_a))
    two = case_at(CaseStatus.PROGRAMME_DRAFTED, person=make_person(institution_a))
    extra = make_home_service()
    services.programme_item_add(
        actor=SYSTEM,
        programme=two.programmes.get(),
        service=extra,
        provider=provide(institution_a, extra),
        volume=4,
    )
    programmes = [
        selectors.programme_get(actor=worker_a, pk=c.programmes.get().pk) for c in (one, two)
    ]
    counts = [
        _queries(lambda p=p: printing.programme_document(actor=worker_a, programme=p))
        for p in programmes
    ]
    assert counts[0] == counts[1]
