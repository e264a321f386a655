"""What the cooperation pages share: a form page that may take files and show the object it
belongs to, and the download of a stored file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from opora.core.errors import DomainError
from opora.core.forms import apply_domain_error
from opora.core.rendering import render_page


def object_form(
    request: Any,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    crumbs: Sequence[tuple[str, str]],
    done: Callable[[Any], str] | str,
    saved: str | None = None,
    intro: str = "",
    template: str = "cooperation/form_page.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """``core.forms.form_page`` for forms that take files or show more than the form: the same
    flow, a refusal shown at the field it names and nothing written."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, saved or _("Saved."))
            return redirect(done(result) if callable(done) else done)
    page = {"form": form, "title": title, "crumbs": list(crumbs), "intro": intro}
    return render_page(request, template, {**page, **(context or {})})


def stored_file(found: Any, *, name: str = "", content_type: str = "") -> FileResponse:
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name or getattr(found, "original_name", "") or "file",
        content_type=content_type or getattr(found, "content_type", "") or None,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
