from __future__ import annotations

from django import forms

from .errors import DomainError


def apply_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a refused operation next to the fields it names, or above the form."""
    placed = False
    for field, messages in (error.details or {}).items():
        if field in form.fields and isinstance(messages, list | tuple):
            for message in messages:
                form.add_error(field, str(message))
            placed = True
    if not placed or not error.details:
        form.add_error(None, str(error.message))
