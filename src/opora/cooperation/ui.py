from django.urls import reverse
from django.utils import timezone
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
from .access import COOPERATION_VIEW

# --- Navigation -------------------------------------------------------------------------------

add_nav(
    NavItem("cooperation-partners", _("Partners"), "cooperation:partners", COOPERATION_VIEW, 40)
)
add_nav(NavItem("cooperation-events", _("Events"), "cooperation:events", COOPERATION_VIEW, 41))
add_nav(NavItem("cooperation-letters", _("Letters"), "cooperation:letters", COOPERATION_VIEW, 42))


# --- Search -----------------------------------------------------------------------------------


def _search_partners(actor, query, limit):
    return [
        SearchHit(
            title=str(partner.name),
            url=reverse("cooperation:partner", args=[partner.pk]),
            kind=_("Partner"),
            detail=f"{partner.get_kind_display()} · {partner.country}",
        )
        for partner in selectors.partner_list(actor=actor, q=query)[:limit]
    ]


def _search_letters(actor, query, limit):
    return [
        SearchHit(
            title=f"№ {letter.number} {letter.subject}" if letter.number else letter.subject,
            url=reverse("cooperation:letter", args=[letter.pk]),
            kind=_("Letter"),
            detail=f"{letter.dated_on:%d.%m.%Y} · {letter.partner}",
        )
        for letter in selectors.letter_list(q=query)[:limit]
    ]


add_search_provider(
    SearchProvider("cooperation-partners", _("Partners"), COOPERATION_VIEW, _search_partners, 40)
)
add_search_provider(
    SearchProvider("cooperation-letters", _("Letters"), COOPERATION_VIEW, _search_letters, 41)
)


# --- Dashboard --------------------------------------------------------------------------------


def _attention(request):
    today = timezone.localdate()
    return {
        "renewals": list(selectors.renewals_due(on=today)[:5]),
        "overdue": list(selectors.action_items_overdue(on=today)),
        "discrepancies": list(selectors.open_discrepancies().select_related("letter")),
    }


add_widget(
    Widget(
        "cooperation",
        _("Cooperation"),
        "cooperation/widget.html",
        COOPERATION_VIEW,
        _attention,
        order=40,
    )
)
