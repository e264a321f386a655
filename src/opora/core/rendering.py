from __future__ import annotations

from typing import Any

from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers


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
    response = TemplateResponse(request, template, context, status=status)
    if partial:
        # One URL answers with a page or a fragment: caches must keep the two apart.
        patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response
