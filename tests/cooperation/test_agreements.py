"""Agreements: parties, versions, the texts as files, the status in force, renewals due and
the overdue items of the action plan."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from opora.cooperation import audit_actions as actions
from opora.cooperation import selectors, services
from opora.cooperation.models import (
    ActionItem,
    Agreement,
    AgreementFile,
    AgreementStatus,
    AgreementVersion,
)
from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.core.roles import Role

from .conftest import PDF


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")])
ODT = _zip([("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>")])
XLSX = _zip([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>")])


def stored_files(media):
    return sorted(p for p in media.rglob("*") if p.is_file())


@pytest.fixture
def programme(helsinki):
    return services.agreement_create(
        actor=SYSTEM,
        kind="programme",
        number="01-17",
        title_ru="Программа сотрудничества Москвы и Хельсинки на 2017–2019 годы",
        title_en="Programme of cooperation of Moscow and Helsinki for 2017–2019",
        valid_from=dt.date(2017, 1, 1),
        valid_to=dt.date(2019, 12, 31),
        signed_on=dt.date(2016, 12, 5),
        status=AgreementStatus.IN_FORCE,
        themes=["social services", "employment", "social services"],
        parties=[
            {
                "partner": None,
                "signer_name": "Л. Печатников",
                "signer_position_ru": "заместитель мэра",
            },
            {
                "partner": helsinki,
                "signer_name": "Sanna Vesikansa",
                "signer_position_ru": "заместитель мэра",
                "signer_position_en": "Deputy Mayor",
            },
        ],
    )


def test_an_agreement_has_its_parties_and_its_original_version(programme, helsinki):
    assert programme.themes == ["social services", "employment"]
    parties = list(programme.parties.order_by("id"))
    assert [p.partner for p in parties] == [None, helsinki]
    with translation.override("en"):
        assert parties[1].signer_position == "Deputy Mayor"
        assert parties[0].signer_position == "заместитель мэра"
    (original,) = programme.versions.all()
    assert (original.number, original.signed_on) == (1, dt.date(2016, 12, 5))
    assert AuditEntry.objects.filter(action=actions.AGREEMENT_CREATED).count() == 1


def test_a_title_falls_back_to_russian(helsinki):
    agreement = services.agreement_create(
        actor=SYSTEM, kind="memorandum", valid_from=dt.date(2020, 1, 1), title="Меморандум"
    )
    agreement.refresh_from_db()
    with translation.override("de"):
        assert agreement.title == "Меморандум"


def test_an_agreement_in_force_must_be_signed_and_end_after_it_starts(helsinki):
    with pytest.raises(DomainError) as unsigned:
        services.agreement_create(
            actor=SYSTEM,
            kind="agreement",
            valid_from=dt.date(2020, 1, 1),
            status="in_force",
            title_ru="Соглашение",
        )
    assert unsigned.value.code == "not_signed"
    with pytest.raises(DomainError) as backwards:
        services.agreement_create(
            actor=SYSTEM,
            kind="agreement",
            valid_from=dt.date(2020, 1, 1),
            valid_to=dt.date(2019, 1, 1),
            title_ru="Соглашение",
        )
    assert backwards.value.code == "ends_before_start"
    with pytest.raises(DomainError) as twice:
        services.agreement_create(
            actor=SYSTEM,
            kind="agreement",
            valid_from=dt.date(2020, 1, 1),
            title_ru="Соглашение",
            parties=[{"partner": helsinki}, {"partner": helsinki}],
        )
    assert twice.value.code == "party_repeated"
    assert not Agreement.objects.exists()


def test_the_update_changes_status_and_parties_and_is_audited(programme, berlin, officer):
    services.agreement_update(
        actor=officer,
        agreement=programme,
        status=AgreementStatus.TERMINATED,
        parties=[{"partner": None}, {"partner": berlin}],
    )
    programme.refresh_from_db()
    assert programme.status == AgreementStatus.TERMINATED
    assert [p.partner for p in programme.parties.order_by("id")] == [None, berlin]
    entry = AuditEntry.objects.get(action=actions.AGREEMENT_UPDATED)
    assert entry.changes["status"] == ["in_force", "terminated"]
    assert "parties" in entry.changes


def test_amendments_are_numbered_after_the_original(programme):
    second = services.agreement_version_add(
        actor=SYSTEM, agreement=programme, signed_on=dt.date(2018, 3, 1), summary_ru="Продление"
    )
    third = services.agreement_version_add(actor=SYSTEM, agreement=programme)
    assert (second.number, third.number) == (2, 3)
    with pytest.raises(DomainError) as early:
        services.agreement_version_add(
            actor=SYSTEM, agreement=programme, signed_on=dt.date(2010, 1, 1)
        )
    assert early.value.code == "amendment_before_agreement"
    assert AgreementVersion.objects.filter(agreement=programme).count() == 3


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF, "Программа.pdf", "application/pdf"),
        (
            DOCX,
            "ohjelma.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (ODT, "ohjelma.odt", "application/vnd.oasis.opendocument.text"),
        ("Программа сотрудничества\n".encode(), "programme.txt", "text/plain"),
    ],
)
def test_the_text_is_stored_under_a_random_name(programme, media, content, name, content_type):
    version = programme.versions.get()
    stored = services.agreement_file_add(
        actor=SYSTEM, version=version, language="FI", upload=SimpleUploadedFile(name, content)
    )
    assert (stored.language, stored.content_type, stored.size) == ("fi", content_type, len(content))
    assert stored.original_name == name
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert name not in stored.file.name
    (path,) = stored_files(media)
    assert path.read_bytes() == content
    entry = AuditEntry.objects.get(action=actions.AGREEMENT_FILE_ADDED)
    assert entry.object_id == str(programme.pk)


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"", "empty.pdf", "file_empty"),
        (b"MZ\x90\x00\x03" + b"\x00" * 64, "programme.pdf", "file_type_refused"),
        (XLSX, "programme.docx", "file_type_refused"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "scan.png", "file_type_refused"),
        (b"\xff\xfe\x00binary\x00", "programme.txt", "file_type_refused"),
        (b"PK\x03\x04 broken zip", "programme.docx", "file_type_refused"),
    ],
)
def test_a_refused_file_leaves_nothing_behind(programme, media, content, name, code):
    with pytest.raises(DomainError) as refused:
        services.agreement_file_add(
            actor=SYSTEM,
            version=programme.versions.get(),
            language="fi",
            upload=SimpleUploadedFile(name, content),
        )
    assert refused.value.code == code
    assert stored_files(media) == []
    assert not AgreementFile.objects.exists()


def test_a_file_over_the_limit_is_refused(programme, media, settings):
    settings.COOPERATION_MAX_UPLOAD_BYTES = len(PDF) - 1
    with pytest.raises(DomainError) as refused:
        services.agreement_file_add(
            actor=SYSTEM,
            version=programme.versions.get(),
            language="ru",
            upload=SimpleUploadedFile("big.pdf", PDF),
        )
    assert refused.value.code == "file_too_large"
    assert stored_files(media) == []


def test_a_social_worker_writes_nothing(programme, make_user, media):
    worker = make_user(Role.SOCIAL_WORKER)
    version = programme.versions.get()
    before = AuditEntry.objects.count()
    attempts = [
        lambda: services.agreement_create(
            actor=worker, kind="agreement", valid_from=dt.date(2020, 1, 1), title_ru="Соглашение"
        ),
        lambda: services.agreement_update(actor=worker, agreement=programme, status="terminated"),
        lambda: services.agreement_version_add(actor=worker, agreement=programme),
        lambda: services.agreement_file_add(
            actor=worker, version=version, language="ru", upload=SimpleUploadedFile("a.pdf", PDF)
        ),
        lambda: services.action_item_add(actor=worker, agreement=programme, title_ru="Семинар"),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.code == "forbidden"
    programme.refresh_from_db()
    assert programme.status == AgreementStatus.IN_FORCE
    assert (Agreement.objects.count(), AgreementVersion.objects.count()) == (1, 1)
    assert not ActionItem.objects.exists()
    assert stored_files(media) == []
    assert AuditEntry.objects.count() == before


def test_done_sets_the_day_and_reopening_clears_it(programme, officer):
    item = services.action_item_add(
        actor=officer, agreement=programme, title_ru="Провести семинар", due_on=dt.date(2018, 5, 1)
    )
    services.action_item_set_status(
        actor=officer, item=item, status="done", done_on=dt.date(2018, 4, 20)
    )
    item.refresh_from_db()
    assert (item.status, item.done_on) == ("done", dt.date(2018, 4, 20))
    services.action_item_update(actor=officer, item=item, status="in_progress")
    item.refresh_from_db()
    assert item.done_on is None
    services.action_item_update(actor=officer, item=item, status="done")
    item.refresh_from_db()
    assert item.done_on is not None
    assert AuditEntry.objects.filter(action=actions.ACTION_ITEM_UPDATED).count() == 3


def test_overdue_items_are_the_open_ones_past_their_deadline(programme):
    def add(title, due_on, status="planned"):
        return services.action_item_add(
            actor=SYSTEM, agreement=programme, title_ru=title, due_on=due_on, status=status
        )

    late = add("Обмен специалистами", dt.date(2018, 3, 1), "in_progress")
    add("Семинар", dt.date(2018, 3, 1), "done")
    add("Отменено", dt.date(2018, 3, 1), "cancelled")
    add("Телемост", dt.date(2018, 6, 1))
    add("Без срока", None)
    later = add("Форум", dt.date(2018, 4, 1))
    assert list(selectors.action_items_overdue(on=dt.date(2018, 5, 1))) == [late, later]
    assert list(selectors.action_items_overdue(on=dt.date(2018, 3, 1))) == []


def test_renewal_reminders_show_from_the_notice_period(programme, helsinki):
    short = services.agreement_create(
        actor=SYSTEM,
        kind="memorandum",
        title_ru="Меморандум",
        valid_from=dt.date(2019, 1, 1),
        valid_to=dt.date(2019, 12, 31),
        signed_on=dt.date(2018, 12, 1),
        status="in_force",
        renewal_notice_days=30,
    )
    # The programme (90 days) shows from 2 October, the memorandum (30 days) from 1 December.
    assert list(selectors.renewals_due(on=dt.date(2019, 10, 1))) == []
    assert list(selectors.renewals_due(on=dt.date(2019, 10, 2))) == [programme]
    assert set(selectors.renewals_due(on=dt.date(2019, 12, 1))) == {programme, short}
    assert list(selectors.renewals_due(on=dt.date(2020, 1, 1))) == []


def test_the_list_computes_expired_and_filters(programme, helsinki, berlin):
    draft = services.agreement_create(
        actor=SYSTEM,
        kind="agreement",
        title_ru="Проект",
        valid_from=dt.date(2021, 1, 1),
        parties=[{"partner": berlin}],
    )
    on = dt.date(2020, 6, 1)
    rows = {a.pk: a.current_status for a in selectors.agreement_list(actor=SYSTEM, on=on)}
    assert rows == {programme.pk: "expired", draft.pk: "draft"}
    assert selectors.current_status(programme, on) == "expired"
    assert list(selectors.agreement_list(actor=SYSTEM, status="expired", on=on)) == [programme]
    assert list(selectors.agreement_list(actor=SYSTEM, partner=berlin)) == [draft]
    assert list(
        selectors.agreement_list(actor=SYSTEM, partner=helsinki, on=dt.date(2019, 1, 1))
    ) == [programme]
    assert list(
        selectors.agreement_list(actor=SYSTEM, expiring_within=30, on=dt.date(2019, 12, 10))
    ) == [programme]
    assert (
        list(selectors.agreement_list(actor=SYSTEM, expiring_within=30, on=dt.date(2019, 10, 10)))
        == []
    )
    found = selectors.agreement_get(actor=SYSTEM, pk=programme.pk)
    assert [v.number for v in found.versions.all()] == [1]
