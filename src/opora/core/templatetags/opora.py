from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import mark_safe

from opora.core import code_names
from opora.core.audit import field_label, field_value, source_label
from opora.core.registry import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_query(context, table, column) -> str:
    """The query sorting ``table`` by ``column``; the current column toggles its direction."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    descending = column.key == table.sort and not table.descending
    params["sort"] = f"-{column.key}" if descending else column.key
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def page_query(context, number) -> str:
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.filter
def aria_sort(table, column) -> str:
    if column.key != table.sort:
        return ""
    return "descending" if table.descending else "ascending"


@register.simple_tag
def change_rows(entry) -> list[dict]:
    return [
        {
            "field": field_label(entry, name),
            "before": field_value(entry, name, values[0]),
            "after": field_value(entry, name, values[1]),
        }
        for name, values in (entry.changes or {}).items()
        if isinstance(values, list) and len(values) == 2
    ]


@register.filter
def shown(value) -> str:
    """A before/after value as a person reads it."""
    if value in (None, "", [], {}):
        return "—"
    if value is True:
        return "✓"
    if value is False:
        return "✗"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float | Decimal):  # not an int: it may be a key or a year
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


@register.filter
def audit_source(code: str) -> str:
    """Where an audit entry came from, in words ("Web interface", not "ui"); none is "—"."""
    return source_label(code) if code else "—"


@register.filter
def country_name(code: str) -> str:
    """ "FI" as "Финляндия" or "Finland", in the reader's language."""
    return code_names.country_name(code)


@register.filter
def language_name(code: str) -> str:
    """ "fi" as "Финский" or "Finnish", in the reader's language."""
    return code_names.language_name(code)


@register.simple_tag(takes_context=True)
def nav_current(context, item) -> str:
    """ "page" for the one item the current page belongs to: the item whose URL is the longest
    beginning of the path (staff pages under /institutions/staff/ are not Institutions)."""
    path = context["request"].path
    urls = [reverse(other.url_name) for other in context.get("nav_items", [])]
    matching = [u for u in urls if (path == "/" if u == "/" else path.startswith(u))]
    return "page" if matching and reverse(item.url_name) == max(matching, key=len) else ""


@register.simple_tag(takes_context=True)
def object_panels(context, target: str, obj) -> str:
    """The cards other apps contribute to this object's page (``core.registry.add_panel``), each
    shown to those holding its permission, in order; a panel with nothing to say is left out."""
    request = context["request"]
    cards = []
    for panel in panels_for(request.user, target):
        panel_context = panel.context(request, obj)
        if panel_context is None:
            continue
        body = render_to_string(panel.template, {"object": obj, **panel_context}, request=request)
        cards.append(
            render_to_string(
                "core/fragment_panel.html",
                {"panel": panel, "body": mark_safe(body)},  # noqa: S308 - our own template's output
                request=request,
            )
        )
    return mark_safe("".join(cards))  # noqa: S308 - rendered by our templates, escaped there
