from django import template

from ..audit_actions import form_label

register = template.Library()


@register.filter
def form_name(code: str) -> str:
    """A form's code as a person reads it (an empty code: every form)."""
    return form_label(code)
