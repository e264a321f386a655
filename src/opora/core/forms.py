from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .errors import DomainError
from .rendering import render_page


def apply_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a refused operation next to the fields it names, or above the form."""
    placed = False
    for field, problems in (error.details or {}).items():
        if field in form.fields and isinstance(problems, list | tuple):
            for message in problems:
                form.add_error(field, str(message))
            placed = True
    if not placed or not error.details:
        form.add_error(None, str(error.message))


def form_page(
    request: Any,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    crumbs: Sequence[tuple[str, str]],
    done: Callable[[Any], str] | str,
    saved: str | None = None,
    intro: str = "",
    template: str = "core/form_page.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The one shape of every form page: on a valid POST call ``save`` (a service) with the
    cleaned data, show a refused rule next to the field it names, else say ``saved`` and go to
    ``done`` (a URL, or a function of what ``save`` returned).

    ``crumbs`` are (label, URL) pairs above the title; the last one is where Cancel leads.
    A form that takes files is bound by the view with ``request.FILES`` as well; the page then
    sends them (``form.is_multipart()``). ``template`` may extend ``core/form_page.html`` to
    show more than the form (its ``before_form`` block), with ``context`` added to the page."""
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


class NumberField(forms.DecimalField):
    """A number as people type it, in any of the interface's languages: a comma or a point
    before the decimals ("1,5" in Russian and German, "1.5" in English), spaces between the
    thousands ("24 801,00"). A text box, not the browser's number box, which refuses both."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = "".join(value.split()).replace(",", ".")
        return super().to_python(value)
