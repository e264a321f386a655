"""Documents attached to a case: the type read from the content, the size limited, the name
random; a refused upload leaves neither a file nor a row."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opora.casework import audit_actions as actions
from opora.casework import services
from opora.casework.models import CaseDocument, CaseStatus
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media):
    return sorted(p for p in media.rglob("*") if p.is_file())


@pytest.fixture
def attach(case_at, media):
    case = case_at(CaseStatus.APPLIED)

    def do(content: bytes, name: str = "scan.pdf", kind: str = "identity", **fields):
        fields.setdefault("actor", SYSTEM)
        fields.setdefault("case", case)
        upload = SimpleUploadedFile(name, content, content_type="application/pdf")
        return services.document_attach(kind=kind, upload=upload, **fields)

    do.case = case
    return do


def test_an_accepted_file_is_stored_under_a_random_name_with_its_digest(attach, media, worker_a):
    document = attach(PDF, name="Паспорт Петровой.pdf", actor=worker_a, title=" Паспорт ")
    assert (document.content_type, document.size) == ("application/pdf", len(PDF))
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.original_name == "Паспорт Петровой.pdf"
    assert document.title == "Паспорт"
    assert document.stored_name.endswith(".pdf")
    assert "Паспорт" not in document.file.name
    assert document.file.name == f"casework/{attach.case.pk}/{document.stored_name}"
    (path,) = stored_files(media)
    assert path.read_bytes() == PDF
    assert document.uploaded_by == worker_a
    assert AuditEntry.objects.filter(action=actions.DOCUMENT_ATTACHED).count() == 1


def test_two_uploads_of_one_name_get_two_names(attach, media):
    first = attach(PNG, name="scan.png")
    second = attach(PNG, name="scan.png")
    assert first.stored_name != second.stored_name
    assert first.content_type == "image/png" and first.stored_name.endswith(".png")
    assert len(stored_files(media)) == 2


@pytest.mark.parametrize(
    "content, name, code",
    [
        (EXE, "setup.exe", "file_type_refused"),
        (EXE, "justified.pdf", "file_type_refused"),
        (b"Just some text, not a PDF at all.\n", "letter.pdf", "file_type_refused"),
        (b"<html><script>alert(1)</script></html>", "page.pdf", "file_type_refused"),
        (b"", "empty.pdf", "file_empty"),
    ],
)
def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_stored(
    attach, media, refuses, content, name, code
):
    error = refuses(code, attach, content=content, name=name)
    assert "file" in error.details
    assert stored_files(media) == []
    assert not CaseDocument.objects.exists()


def test_a_file_over_the_limit_is_refused(attach, media, refuses, settings):
    settings.CASEWORK_MAX_UPLOAD_BYTES = 1024
    refuses("file_too_large", attach, content=PDF + b"0" * 1024)
    assert stored_files(media) == []
    assert attach(PDF).size == len(PDF)  # within the limit


def test_an_unknown_kind_is_refused(attach, media, refuses):
    refuses("unknown_document_kind", attach, content=PDF, kind="selfie")
    assert stored_files(media) == []


def test_nothing_is_attached_to_a_closed_case(attach, case_at, media, refuses):
    refuses("case_closed", attach, content=PDF, case=case_at(CaseStatus.CLOSED))
    assert stored_files(media) == []
