"""Correspondence: seed 000 (the Helsinki letter whose Russian translation says June and whose
Finnish original says July) keeps both versions exactly as they are; a person flags the
discrepancy and records which is right, and no text changes. Versions, replies, attachments
and the permission to write."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opora.cooperation import audit_actions as actions
from opora.cooperation import selectors, services
from opora.cooperation.models import (
    Direction,
    Letter,
    LetterAttachment,
    LetterStatus,
    LetterVersion,
)
from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.core.roles import Role

from .conftest import EXE, PDF

# Seed 000 as filed: the translation on top (with its odd spacing), the original below it.
TRANSLATION = (
    "\n\nПЕРЕВОД\n\nГород Хельсинки\n\n12.07.2019\n\n"
    "Уважаемый Владимир Аршакович!\n\n"
    "Позвольте от себя лично и от делегации города Хельсинки сердечно поблагодарить Вас за "
    "гостеприимство и состоявшийся диалог в ходе нашего визита в Москву 2-3 июня 2019 года.\n"
    " \n/подпись/\n\nСанна Весиканса,\nВице Мэр\nг. Хельсинки\n\n"
)
ORIGINAL = (
    "Vladimir Petrosyan\nMoskovan kaupunginhallituksen ministeri\n\nArvoisa ministeri\n\n"
    "Sallikaa minun esittää lämmin kiitos omasta sekä koko Helsingin kaupungin delegaation "
    "puolesta vieraanvaraisuudesta ja mielenkiintoisista keskusteluista Moskovan-vierailuni "
    "yhteydessä 2.-3.7.2019.\n\nYstävällisin terveisin\n\n\n\nSanna Vesikansa\napulaispormestari"
)


def stored_files(media):
    return sorted(path for path in media.rglob("*") if path.is_file())


@pytest.fixture
def vesikansa(helsinki):
    return helsinki.people.get(full_name="Sanna Vesikansa")


@pytest.fixture
def register(helsinki):
    def do(**fields):
        fields.setdefault("actor", SYSTEM)
        fields.setdefault("direction", Direction.INCOMING)
        fields.setdefault("partner", helsinki)
        fields.setdefault("dated_on", dt.date(2019, 7, 12))
        fields.setdefault("subject", "Благодарность за приём делегации")
        fields.setdefault("language", "fi")
        fields.setdefault("text", ORIGINAL)
        return services.letter_register(**fields)

    return do


@pytest.fixture
def helsinki_letter(register, vesikansa, officer):
    """Seed 000: the original registered, then the translation it was filed with."""
    letter = register(
        actor=officer,
        number="HEL/2019/07-12",
        received_on=dt.date(2019, 7, 19),
        signatory=vesikansa,
    )
    services.letter_version_add(
        actor=officer, letter=letter, language="ru", text=TRANSLATION, translator="Бюро переводов"
    )
    return letter


def actors_of(action):
    return list(AuditEntry.objects.filter(action=action).values_list("actor__username", flat=True))


# --- Seed 000 ---------------------------------------------------------------------------------


def test_the_helsinki_letter_keeps_both_versions_exactly_as_they_are(helsinki_letter, vesikansa):
    letter = selectors.letter_get(pk=helsinki_letter.pk)
    original, translation = list(letter.versions.all())
    assert (original.language, original.is_original, original.text) == ("fi", True, ORIGINAL)
    assert (translation.language, translation.is_original) == ("ru", False)
    # Byte for byte: the blank lines, the stray space, the month of each.
    assert translation.text == TRANSLATION
    assert "2-3 июня 2019" in translation.text and "2.-3.7.2019" in original.text
    assert letter.signatory == vesikansa
    assert letter.signatory_name == "Sanna Vesikansa"
    assert letter.status == LetterStatus.REGISTERED


def test_a_person_flags_the_discrepancy_and_records_which_version_is_right(
    helsinki_letter, officer
):
    original, translation = selectors.letter_get(pk=helsinki_letter.pk).versions.all()
    discrepancy = services.discrepancy_flag(
        actor=officer,
        letter=helsinki_letter,
        versions=[translation, original],
        description="Перевод называет 2–3 июня 2019 года, оригинал — 2.–3.7.2019.",
    )
    assert discrepancy.flagged_by == officer
    assert list(selectors.open_discrepancies()) == [discrepancy]
    assert list(selectors.letter_list(unresolved=True)) == [helsinki_letter]

    resolved = services.discrepancy_resolve(
        actor=officer,
        discrepancy=discrepancy,
        correct_version=original,
        resolution="Визит состоялся 2–3 июля 2019 года; в переводе ошибка в месяце.",
    )

    assert (resolved.correct_version, resolved.resolved_by) == (original, officer)
    assert resolved.resolved_at is not None
    texts = dict(
        LetterVersion.objects.filter(letter=helsinki_letter).values_list("language", "text")
    )
    assert texts == {"fi": ORIGINAL, "ru": TRANSLATION}
    assert list(selectors.open_discrepancies()) == []
    assert list(selectors.letter_list(unresolved=True)) == []
    assert actors_of(actions.LETTER_DISCREPANCY_FLAGGED) == [officer.username]
    assert actors_of(actions.LETTER_DISCREPANCY_RESOLVED) == [officer.username]
    entry = AuditEntry.objects.get(action=actions.LETTER_DISCREPANCY_RESOLVED)
    assert entry.object_id == str(helsinki_letter.pk)
    assert entry.data["correct_version"] == original.pk


def test_a_discrepancy_is_resolved_once(helsinki_letter, officer):
    original, translation = helsinki_letter.versions.order_by("-is_original")
    discrepancy = services.discrepancy_flag(
        actor=officer, letter=helsinki_letter, versions=[original, translation], description="Месяц"
    )
    services.discrepancy_resolve(
        actor=officer, discrepancy=discrepancy, correct_version=original, resolution="Июль."
    )
    with pytest.raises(DomainError) as refused:
        services.discrepancy_resolve(
            actor=officer, discrepancy=discrepancy, correct_version=translation, resolution="Июнь."
        )
    assert refused.value.code == "discrepancy_resolved"
    discrepancy.refresh_from_db()
    assert (discrepancy.correct_version, discrepancy.resolution) == (original, "Июль.")
    assert AuditEntry.objects.filter(action=actions.LETTER_DISCREPANCY_RESOLVED).count() == 1


def test_a_discrepancy_names_two_versions_of_its_own_letter(helsinki_letter, register, officer):
    original, translation = helsinki_letter.versions.order_by("-is_original")
    other = register(dated_on=dt.date(2019, 8, 1), subject="Другое письмо", text="Toinen kirje")
    other_original = other.versions.get()
    cases = [
        ([original], "two_versions_needed"),
        ([original, original], "two_versions_needed"),
        ([original, other_original], "version_of_other_letter"),
    ]
    for versions, code in cases:
        with pytest.raises(DomainError) as refused:
            services.discrepancy_flag(
                actor=officer, letter=helsinki_letter, versions=versions, description="Месяц"
            )
        assert refused.value.code == code
    with pytest.raises(DomainError) as refused:
        services.discrepancy_flag(
            actor=officer, letter=helsinki_letter, versions=[original, translation], description=" "
        )
    assert refused.value.code == "description_required"
    discrepancy = services.discrepancy_flag(
        actor=officer, letter=helsinki_letter, versions=[original, translation], description="Месяц"
    )
    with pytest.raises(DomainError) as refused:
        services.discrepancy_resolve(
            actor=officer, discrepancy=discrepancy, correct_version=other_original, resolution="?"
        )
    assert refused.value.code == "version_not_in_discrepancy"
    assert selectors.open_discrepancies().count() == 1


# --- Versions ------------------------------------------------------------------------------------


def test_a_letter_has_one_original_and_one_version_per_language(helsinki_letter, officer):
    refusals = [
        (dict(language="en", text="Dear Minister", is_original=True), "original_exists"),
        (dict(language="ru", text="Другой перевод"), "language_exists"),
        (dict(language="Finnish", text="Hyvä"), "invalid_language"),
        (dict(language="en", text="  \n "), "text_required"),
    ]
    for fields, code in refusals:
        with pytest.raises(DomainError) as refused:
            services.letter_version_add(actor=officer, letter=helsinki_letter, **fields)
        assert refused.value.code == code
    english = services.letter_version_add(
        actor=officer, letter=helsinki_letter, language="en", text=" Dear Minister,\n"
    )
    assert english.text == " Dear Minister,\n"
    languages = [v.language for v in selectors.letter_get(pk=helsinki_letter.pk).versions.all()]
    assert languages == ["fi", "en", "ru"]
    assert AuditEntry.objects.filter(action=actions.LETTER_VERSION_ADDED).count() == 2


def test_a_version_may_come_with_its_scan_and_a_refused_scan_leaves_nothing(
    helsinki_letter, officer, media
):
    with pytest.raises(DomainError) as refused:
        services.letter_version_add(
            actor=officer,
            letter=helsinki_letter,
            language="en",
            text="Dear Minister",
            file=SimpleUploadedFile("scan.pdf", EXE, content_type="application/pdf"),
        )
    assert refused.value.code == "file_type_refused"
    assert stored_files(media) == []
    assert not helsinki_letter.versions.filter(language="en").exists()

    scanned = services.letter_version_add(
        actor=officer,
        letter=helsinki_letter,
        language="en",
        text="Dear Minister",
        file=SimpleUploadedFile("Letter of Sanna Vesikansa.pdf", PDF),
    )
    (path,) = stored_files(media)
    assert path.read_bytes() == PDF
    assert "Vesikansa" not in scanned.file.name and scanned.file.name.endswith(".pdf")


# --- Registration and replies --------------------------------------------------------------------


def test_registration_checks_dates_signatory_and_reply(register, berlin, helsinki, officer):
    lageso_person = services.person_add(actor=SYSTEM, partner=berlin, full_name="Oliver Fey")
    berlin_letter = register(partner=berlin, language="de", text="Sehr geehrter Herr Minister")
    refusals = [
        (dict(received_on=dt.date(2019, 7, 1)), "received_before_dated"),
        (
            dict(direction=Direction.OUTGOING, received_on=dt.date(2019, 7, 20)),
            "received_on_outgoing",
        ),
        (dict(signatory=lageso_person), "signatory_of_other_partner"),
        (dict(direction=Direction.OUTGOING, in_reply_to=berlin_letter), "reply_to_other_partner"),
        (dict(direction="sideways"), "unknown_direction"),
        (dict(text=""), "text_required"),
    ]
    for fields, code in refusals:
        with pytest.raises(DomainError) as refused:
            register(actor=officer, **fields)
        assert refused.value.code == code
    assert Letter.objects.filter(partner=helsinki).count() == 0


def test_an_outgoing_reply_marks_the_incoming_letter_answered(helsinki_letter, register, officer):
    with pytest.raises(DomainError) as refused:
        register(actor=officer, in_reply_to=helsinki_letter, dated_on=dt.date(2019, 7, 30))
    assert refused.value.code == "reply_same_direction"
    with pytest.raises(DomainError) as refused:
        register(
            actor=officer,
            direction=Direction.OUTGOING,
            in_reply_to=helsinki_letter,
            dated_on=dt.date(2019, 7, 1),
        )
    assert refused.value.code == "reply_before_letter"
    helsinki_letter.refresh_from_db()
    assert helsinki_letter.status == LetterStatus.REGISTERED

    reply = register(
        actor=officer,
        direction=Direction.OUTGOING,
        in_reply_to=helsinki_letter,
        dated_on=dt.date(2019, 8, 5),
        number="01-15-1234/19",
        our_person="Петросян В. А.",
        language="ru",
        text="Уважаемая госпожа Весиканса!",
    )

    helsinki_letter.refresh_from_db()
    assert helsinki_letter.status == LetterStatus.ANSWERED
    assert list(selectors.replies_of(helsinki_letter)) == [reply]
    entry = AuditEntry.objects.get(action=actions.LETTER_REGISTERED, object_id=str(reply.pk))
    assert entry.data["answers"] == helsinki_letter.pk
    answered = AuditEntry.objects.get(
        action=actions.LETTER_ANSWERED, object_id=str(helsinki_letter.pk)
    )
    assert answered.data["reply_id"] == reply.pk and answered.actor == officer


def test_the_register_filters_by_direction_partner_year_and_words(
    helsinki_letter, register, berlin
):
    berlin_letter = register(
        partner=berlin,
        direction=Direction.OUTGOING,
        dated_on=dt.date(2017, 5, 2),
        subject="Приглашение на 18-й социальный семинар",
        language="ru",
        text="Уважаемые коллеги!",
    )
    assert list(selectors.letter_list()) == [helsinki_letter, berlin_letter]
    assert list(selectors.letter_list(direction=Direction.OUTGOING)) == [berlin_letter]
    assert list(selectors.letter_list(partner=berlin)) == [berlin_letter]
    assert list(selectors.letter_list(year=2019)) == [helsinki_letter]
    assert list(selectors.letter_list(q="семинар")) == [berlin_letter]
    assert list(selectors.letter_list(q="HEL/2019")) == [helsinki_letter]


# --- Attachments ---------------------------------------------------------------------------------


def test_an_attachment_is_stored_under_a_random_name_with_its_digest(
    helsinki_letter, officer, media
):
    attachment = services.letter_attachment_add(
        actor=officer,
        letter=helsinki_letter,
        upload=SimpleUploadedFile("Программа визита.pdf", PDF),
        title=" Программа визита ",
    )
    assert (attachment.title, attachment.original_name) == (
        "Программа визита",
        "Программа визита.pdf",
    )
    assert (attachment.content_type, attachment.size) == ("application/pdf", len(PDF))
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert "Программа" not in attachment.file.name
    (path,) = stored_files(media)
    assert path.read_bytes() == PDF
    assert AuditEntry.objects.filter(action=actions.LETTER_ATTACHMENT_ADDED).count() == 1


@pytest.mark.parametrize(
    ("content", "code"),
    [(EXE, "file_type_refused"), (b"", "file_empty"), (PDF + b"\x00" * 2048, "file_too_large")],
    ids=["executable", "empty", "too_large"],
)
def test_a_refused_attachment_leaves_neither_a_file_nor_a_row(
    helsinki_letter, officer, media, settings, content, code
):
    settings.COOPERATION_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(DomainError) as refused:
        services.letter_attachment_add(
            actor=officer, letter=helsinki_letter, upload=SimpleUploadedFile("a.pdf", content)
        )
    assert refused.value.code == code
    assert stored_files(media) == []
    assert LetterAttachment.objects.count() == 0
    assert not AuditEntry.objects.filter(action=actions.LETTER_ATTACHMENT_ADDED).exists()


# --- Who may write -------------------------------------------------------------------------------


def test_a_social_worker_reads_letters_but_writes_none(helsinki_letter, register, make_user, media):
    worker = make_user(Role.SOCIAL_WORKER)
    original, translation = helsinki_letter.versions.order_by("-is_original")
    entries = AuditEntry.objects.count()
    attempts = [
        lambda: register(actor=worker, dated_on=dt.date(2019, 9, 1)),
        lambda: services.letter_version_add(
            actor=worker, letter=helsinki_letter, language="en", text="Dear Minister"
        ),
        lambda: services.letter_attachment_add(
            actor=worker, letter=helsinki_letter, upload=SimpleUploadedFile("a.pdf", PDF)
        ),
        lambda: services.discrepancy_flag(
            actor=worker, letter=helsinki_letter, versions=[original, translation], description="!"
        ),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.status == 403
    assert Letter.objects.count() == 1
    assert LetterVersion.objects.count() == 2
    assert LetterAttachment.objects.count() == 0
    assert stored_files(media) == []
    assert AuditEntry.objects.count() == entries
    assert list(selectors.letter_list()) == [helsinki_letter]
