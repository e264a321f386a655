from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opora.core.registry import (
    NavItem,
    SearchHit,
    SearchProvider,
    Widget,
    add_nav,
    add_search_provider,
    add_widget,
)

from . import selectors
from .access import CATALOGUE_VIEW

add_nav(NavItem("catalogue", _("Social services"), "catalogue:list", CATALOGUE_VIEW, order=25))
add_nav(
    NavItem(
        "catalogue-providers",
        _("Providers of services"),
        "catalogue:providers",
        CATALOGUE_VIEW,
        order=26,
    )
)


def _search(actor, query, limit):
    services = selectors.service_list(actor=actor, q=query).order_by("-is_active", "code")
    return [
        SearchHit(
            title=f"{service.code} {service.display_name}",
            url=reverse("catalogue:service", args=[service.pk]),
            kind=_("Social service"),
            detail=service.kind.display_name,
        )
        for service in services[:limit]
    ]


add_search_provider(
    SearchProvider("catalogue", _("Social services"), CATALOGUE_VIEW, _search, order=40)
)


def _statistics(request):
    return selectors.statistics(actor=request.user)


add_widget(
    Widget(
        "catalogue",
        _("Catalogue of social services"),
        "catalogue/widget.html",
        CATALOGUE_VIEW,
        _statistics,
        order=25,
    )
)
