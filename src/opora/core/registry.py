"""What apps contribute to the shell and to each other's pages: navigation, dashboard widgets,
search providers and object-page panels.

Each app registers its pieces in its ``ui.py`` (discovered at start-up). Every piece names the
permission it needs, so the shell shows a person only what her role allows. A panel is how a
higher app shows what it knows about a lower app's object (the cases of a person, the loans of a
person) without the lower app importing it: the lower app's page renders
``{% object_panels "registry.person" person %}`` and knows nothing of who contributes.
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


# The objects whose pages take panels, named "<app label>.<model>".
PANEL_TARGETS = (
    "registry.person",
    "registry.household",
    "institutions.institution",
    "cooperation.partner",
)


@dataclass(frozen=True)
class Panel:
    """A card an app adds to another app's object page.

    ``context`` is called with the request and the object; it returns the template's context,
    or None when the panel has nothing to say about this object (then it is not shown). It reads
    through the contributing app's selectors with ``request.user``, so the panel's rows are
    scoped like any other page's."""

    key: str
    target: str
    title: Any
    template: str
    permission: str
    context: Callable[[Any, Any], dict | None]
    order: int = 100

    def __post_init__(self) -> None:
        if self.target not in PANEL_TARGETS:
            raise ValueError(f"No object page takes panels for {self.target!r}.")


@dataclass(frozen=True)
class Chore:
    """Work an app needs done now and then with nobody asking (e.g. closing the assignments
    whose period ended): the worker runs ``run()`` on start and every ``every_seconds``. It
    must be idempotent, as two workers may run it at once, and write nothing when there is
    nothing to do."""

    key: str
    run: Callable[[], Any]
    every_seconds: int = 3600


@dataclass
class _Registry:
    nav: dict[str, NavItem] = field(default_factory=dict)
    widgets: dict[str, Widget] = field(default_factory=dict)
    search: dict[str, SearchProvider] = field(default_factory=dict)
    panels: dict[str, Panel] = field(default_factory=dict)
    chores: dict[str, Chore] = field(default_factory=dict)


_registry = _Registry()


def add_nav(item: NavItem) -> None:
    _registry.nav[item.key] = item


def add_widget(widget: Widget) -> None:
    _registry.widgets[widget.key] = widget


def add_search_provider(provider: SearchProvider) -> None:
    _registry.search[provider.key] = provider


def add_panel(panel: Panel) -> None:
    _registry.panels[panel.key] = panel


def add_chore(chore: Chore) -> None:
    _registry.chores[chore.key] = chore


def chores() -> list[Chore]:
    return list(_registry.chores.values())


def nav_for(user: Any) -> list[NavItem]:
    items = [i for i in _registry.nav.values() if has_permission(user, i.permission)]
    return sorted(items, key=lambda i: i.order)


def widgets_for(user: Any) -> list[Widget]:
    items = [w for w in _registry.widgets.values() if has_permission(user, w.permission)]
    return sorted(items, key=lambda w: w.order)


def search_providers_for(user: Any) -> list[SearchProvider]:
    items = [p for p in _registry.search.values() if has_permission(user, p.permission)]
    return sorted(items, key=lambda p: p.order)


def panels_for(user: Any, target: str) -> list[Panel]:
    items = [
        p
        for p in _registry.panels.values()
        if p.target == target and has_permission(user, p.permission)
    ]
    return sorted(items, key=lambda p: (p.order, p.key))
