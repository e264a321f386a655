"""What apps contribute to the shell: navigation, dashboard widgets and search providers.

Each app registers its pieces in its ``ui.py`` (discovered at start-up). Every piece names the
permission it needs, so the shell shows a person only what her role allows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from .permissions import has_permission


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Any
    url_name: str
    permission: str
    order: int = 100
    icon: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class Widget:
    key: str
    title: Any
    template: str
    permission: str
    context: Callable[[Any], dict]  # called with the request
    order: int = 100
    wide: bool = False


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    kind: Any
    detail: str = ""
    score: float = 0.0


@dataclass(frozen=True)
class SearchProvider:
    key: str
    label: Any
    permission: str
    search: Callable[[Any, str, int], list[SearchHit]]  # (actor, query, limit)
    order: int = 100


@dataclass
class _Registry:
    nav: dict[str, NavItem] = field(default_factory=dict)
    widgets: dict[str, Widget] = field(default_factory=dict)
    search: dict[str, SearchProvider] = field(default_factory=dict)


_registry = _Registry()


def add_nav(item: NavItem) -> None:
    _registry.nav[item.key] = item


def add_widget(widget: Widget) -> None:
    _registry.widgets[widget.key] = widget


def add_search_provider(provider: SearchProvider) -> None:
    _registry.search[provider.key] = provider


def nav_for(user: Any) -> list[NavItem]:
    items = [i for i in _registry.nav.values() if has_permission(user, i.permission)]
    return sorted(items, key=lambda i: i.order)


def widgets_for(user: Any) -> list[Widget]:
    items = [w for w in _registry.widgets.values() if has_permission(user, w.permission)]
    return sorted(items, key=lambda w: w.order)


def search_providers_for(user: Any) -> list[SearchProvider]:
    items = [p for p in _registry.search.values() if has_permission(user, p.permission)]
    return sorted(items, key=lambda p: p.order)
