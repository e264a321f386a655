"""``core.forms.form_page`` with a form that takes a file: the page sends files
(``multipart/form-data``), a valid upload is saved through the service it is given, and a save
the service refuses shows the refusal at the field and stores nothing."""

from __future__ import annotations

import pytest
from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import path

from opora.core import uploads
from opora.core.forms import form_page
from opora.core.permissions import PUBLIC, require
from opora.urls import urlpatterns as project_urlpatterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
URL = "/test-forms/scan/"
DONE = "/test-forms/done/"


class ScanForm(forms.Form):
    title = forms.CharField()
    file = forms.FileField()


class NameForm(forms.Form):
    title = forms.CharField()


def scan_store(*, title: str, upload) -> str:
    """A service as the apps write them: the upload checked first, stored only when accepted."""
    found = uploads.checked(upload, allowed=uploads.SCANS, max_bytes=1024 * 1024)
    return default_storage.save(f"test-forms/{found.stored_name}", ContentFile(upload.read()))


@require(PUBLIC)
def scan_view(request):
    form = ScanForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda data: scan_store(title=data["title"], upload=data["file"]),
        title="Scan",
        crumbs=[("Home", DONE)],
        done=lambda stored: f"{DONE}?stored={stored}",
        saved="Stored.",
    )


@require(PUBLIC)
def name_view(request):
    form = NameForm(request.POST or None)
    return form_page(
        request, form, lambda data: data, title="Name", crumbs=[("Home", DONE)], done=DONE
    )


urlpatterns = [
    path("test-forms/scan/", scan_view),
    path("test-forms/name/", name_view),
    *project_urlpatterns,
]


@pytest.fixture
def client_in(client, login, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return login(admin_user)


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_form_with_a_file_is_sent_as_multipart(client_in):
    page = client_in.get(URL)
    assert page.status_code == 200
    assert page.templates[0].name == "core/form_page.html"
    assert 'enctype="multipart/form-data"' in page.content.decode()


def test_a_form_without_a_file_is_not(client_in):
    page = client_in.get("/test-forms/name/")
    assert page.status_code == 200
    assert "enctype" not in page.content.decode()


def test_an_accepted_upload_is_saved_through_the_service(client_in, tmp_path):
    upload = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    response = client_in.post(URL, {"title": "Протокол", "file": upload})
    assert response.status_code == 302
    [stored] = stored_files(tmp_path)
    assert stored.startswith("test-forms/") and stored.endswith(".pdf")
    assert response["Location"] == f"{DONE}?stored={stored}"
    assert (tmp_path / stored).read_bytes() == PDF


def test_a_refused_upload_is_shown_at_its_field_and_nothing_is_written(client_in, tmp_path):
    upload = SimpleUploadedFile("scan.pdf", EXE, content_type="application/pdf")
    response = client_in.post(URL, {"title": "Протокол", "file": upload})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["file"], form.errors
    assert stored_files(tmp_path) == []
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_the_page_may_show_more_than_the_form(rf, admin_user):
    request = rf.get(URL)
    request.user = admin_user
    response = form_page(
        request,
        ScanForm(),
        lambda data: None,
        title="Scan",
        crumbs=[("Home", DONE)],
        done=DONE,
        template="core/form_page.html",
        context={"extra": "shown"},
    )
    assert response.template_name == "core/form_page.html"
    assert response.context_data["extra"] == "shown"
    assert response.context_data["form"].is_multipart()
