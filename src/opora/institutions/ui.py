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
from .access import INSTITUTION_VIEW

add_nav(NavItem("institutions", _("Institutions"), "institutions:list", INSTITUTION_VIEW, order=20))


def _search(actor, query, limit):
    qs = selectors.institution_list(actor=actor, q=query)[:limit]
    return [
        SearchHit(
            title=str(i),
            url=reverse("institutions:detail", args=[i.pk]),
            kind=_("Institution"),
            detail=i.address,
        )
        for i in qs
    ]


add_search_provider(
    SearchProvider("institutions", _("Institutions"), INSTITUTION_VIEW, _search, 50)
)


def _my_institutions(request):
    qs = selectors.institution_list(actor=request.user)
    return {"institutions": list(qs.order_by("name")[:6]), "institution_count": qs.count()}


add_widget(
    Widget(
        "institutions",
        _("Institutions"),
        "institutions/widget.html",
        INSTITUTION_VIEW,
        _my_institutions,
        order=20,
    )
)
