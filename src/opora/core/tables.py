"""Sortable, paginated tables: one helper for every list page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

PER_PAGE_CHOICES = (25, 50, 100)


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    order_by: str | None = None  # None: not sortable


@dataclass
class Table:
    columns: list[Column]
    page: Page
    sort: str
    descending: bool
    query: dict[str, str]

    @property
    def rows(self) -> Any:
        return self.page.object_list


def sorted_page(
    request: Any,
    queryset: QuerySet,
    columns: list[Column],
    *,
    default_sort: str,
    per_page: int = 25,
) -> Table:
    """Sort by ``?sort=key`` or ``?sort=-key`` among the sortable columns, then paginate."""
    sortable = {c.key: c.order_by for c in columns if c.order_by}
    requested = request.GET.get("sort", default_sort)
    descending = requested.startswith("-")
    key = requested.lstrip("-")
    if key not in sortable:
        key, descending = default_sort.lstrip("-"), default_sort.startswith("-")
    order = sortable[key]
    # A unique tie-breaker keeps pages stable when many rows share a value.
    queryset = queryset.order_by(f"-{order}" if descending else order, "pk")
    try:
        size = int(request.GET.get("per_page", per_page))
    except ValueError:
        size = per_page
    size = size if size in PER_PAGE_CHOICES else per_page
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k not in {"page", "sort"}}
    return Table(columns=columns, page=page, sort=key, descending=descending, query=query)
