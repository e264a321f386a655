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
from .access import DEDUP_REVIEW, IMPORT, PERSON_VIEW, REGISTRY_STATISTICS

add_nav(NavItem("registry", _("Residents"), "registry:people", PERSON_VIEW, order=10))
add_nav(NavItem("registry-import", _("Imports"), "registry:registry_import:list", IMPORT, order=14))
add_nav(
    NavItem(
        "registry-duplicates",
        _("Possible duplicates"),
        "registry:registry_dedup:queue",
        DEDUP_REVIEW,
        order=15,
    )
)
add_nav(
    NavItem("expiring", _("Categories ending soon"), "registry:expiring", PERSON_VIEW, order=12)
)


def _search(actor, query, limit):
    from .search import search_people

    return [
        SearchHit(
            title=hit.person.full_name,
            url=reverse("registry:person", args=[hit.person.pk]),
            kind=_("Resident"),
            detail=hit.person.birth_date.strftime("%d.%m.%Y") if hit.person.birth_date else "",
            score=hit.score,
        )
        for hit in search_people(actor=actor, query=query, limit=limit)
    ]


add_search_provider(SearchProvider("registry", _("Residents"), PERSON_VIEW, _search, order=10))


def _statistics(request):
    return {"statistics": selectors.statistics(actor=request.user)}


def _to_review(request):
    expiring = selectors.expiring_categories(actor=request.user)
    return {"count": expiring.count(), "first": list(expiring[:5])}


add_widget(
    Widget(
        "registry-statistics",
        _("Registry"),
        "registry/widgets/statistics.html",
        REGISTRY_STATISTICS,
        _statistics,
        order=10,
    )
)
add_widget(
    Widget(
        "registry-review",
        _("Categories ending soon"),
        "registry/widgets/review.html",
        PERSON_VIEW,
        _to_review,
        order=12,
    )
)
