from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opora.core import code_names
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
from .access import COOPERATION_MANAGE, COOPERATION_VIEW

# --- Navigation -------------------------------------------------------------------------------

add_nav(
    NavItem("cooperation-partners", _("Partners"), "cooperation:partners", COOPERATION_VIEW, 40)
)
add_nav(NavItem("cooperation-events", _("Events"), "cooperation:events", COOPERATION_VIEW, 41))
add_nav(NavItem("cooperation-letters", _("Letters"), "cooperation:letters", COOPERATION_VIEW, 42))
add_nav(
    NavItem(
        "cooperation-agreements", _("Agreements"), "cooperation:agreements", COOPERATION_VIEW, 43
    )
)
add_nav(NavItem("cooperation-needs", _("Partner needs"), "cooperation:needs", COOPERATION_VIEW, 44))


# --- Search -----------------------------------------------------------------------------------


def _search_partners(actor, query, limit):
    return [
        SearchHit(
            title=str(partner.name),
            url=reverse("cooperation:partner", args=[partner.pk]),
            kind=_("Partner"),
            detail=f"{partner.get_kind_display()} · {code_names.country_name(partner.country)}",
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


# --- Dashboard: what the cooperation officer keeps -----------------------------------------------

SHOWN = 5


def _first(rows) -> dict:
    """The first rows of a list and how many there are, in two queries."""
    return {"rows": list(rows[:SHOWN]), "count": rows.count()}


def _upcoming_events(request):
    return _first(selectors.events_upcoming(on=timezone.localdate()))


def _open_actions(request):
    return {**_first(selectors.action_items_open()), "today": timezone.localdate()}


def _letters_awaiting(request):
    return _first(selectors.letters_awaiting_answer())


def _renewals(request):
    return _first(selectors.renewals_due(on=timezone.localdate()))


for key, title, template, context, order in (
    ("cooperation-events", _("Upcoming events"), "events", _upcoming_events, 40),
    ("cooperation-actions", _("Open action items"), "actions", _open_actions, 41),
    ("cooperation-letters", _("Letters awaiting an answer"), "letters", _letters_awaiting, 42),
    ("cooperation-renewals", _("Agreements due for renewal"), "renewals", _renewals, 43),
):
    add_widget(
        Widget(
            key,
            title,
            f"cooperation/widgets/{template}.html",
            COOPERATION_MANAGE,
            context,
            order=order,
        )
    )
