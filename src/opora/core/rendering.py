from __future__ import annotations

from typing import Any

from django.template.response import TemplateResponse


def render_page(
    request: Any,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status: int = 200,
) -> TemplateResponse:
    """Render a whole page, or only its named partial when HTMX asks for that partial's target.

    Pages name their swappable regions with ``{% partialdef name inline %}`` and the element
    carrying ``id="name"``; an HTMX request targeting that id gets the fragment alone.
    """
    if partial and getattr(request, "htmx", False) and request.htmx.target == partial:
        template = f"{template}#{partial}"
    return TemplateResponse(request, template, context, status=status)
