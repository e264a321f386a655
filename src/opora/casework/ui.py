from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opora.core.errors import DomainError
from opora.core.permissions import has_permission
from opora.core.registry import (
    NavItem,
    Panel,
    SearchHit,
    SearchProvider,
    Widget,
    add_nav,
    add_panel,
    add_search_provider,
    add_widget,
)

from . import selectors
from .access import CASE_VIEW, CASE_WORK, HOMECARE_VIEW, OVERDUE_VIEW

# --- Navigation -------------------------------------------------------------------------------

add_nav(NavItem("casework", _("Cases"), "casework:list", CASE_VIEW, order=16))


# --- Search -----------------------------------------------------------------------------------


def _search_cases(actor, query, limit):
    # Case numbers carry digits; a name alone is the registry's to find.
    if not any(ch.isdigit() for ch in query):
        return []
    return [
        SearchHit(
            title=case.number,
            url=reverse("casework:case", args=[case.pk]),
            kind=_("Case"),
            detail=f"{case.person.full_name} · {case.get_status_display()}",
        )
        for case in selectors.cases_by_number(actor=actor, number=query)[:limit]
    ]


add_search_provider(SearchProvider("casework", _("Cases"), CASE_VIEW, _search_cases, order=20))


# --- Dashboard --------------------------------------------------------------------------------


def _case_statistics(request):
    return {
        "statistics": selectors.statistics(actor=request.user),
        "can_view": has_permission(request.user, CASE_VIEW),
    }


# Analysts hold OVERDUE_VIEW without CASE_VIEW: they see the counts, not the list.
add_widget(
    Widget(
        "casework",
        _("Cases"),
        "casework/widget.html",
        OVERDUE_VIEW,
        _case_statistics,
        order=20,
    )
)


def _todays_visits(request):
    """The home-care worker's visits of today, counted: planned, recorded, still to record."""
    employee = selectors.home_care_employee_of(request.user)
    today = timezone.localdate()
    if employee is None:
        return {"employee": None}
    try:
        visits = selectors.day_sheet(actor=request.user, employee=employee, day=today)
    except DomainError as error:
        return {"employee": employee, "today": today, "error": str(error.message)}
    recorded = sum(1 for visit in visits if visit.recorded)
    return {
        "employee": employee,
        "today": today,
        "planned": len(visits),
        "recorded": recorded,
        "open": len(visits) - recorded,
    }


add_widget(
    Widget(
        "casework-today",
        _("Today's visits"),
        "casework/widget_today.html",
        HOMECARE_VIEW,
        _todays_visits,
        order=10,
    )
)


# --- The worker's pages -------------------------------------------------------------------------

add_nav(NavItem("casework-inbox", _("Inbox"), "casework:inbox", CASE_VIEW, order=15))
add_nav(NavItem("casework-overdue", _("Overdue"), "casework:overdue", OVERDUE_VIEW, order=17))
add_nav(
    NavItem("casework-home-care", _("Home care"), "casework:caseloads", HOMECARE_VIEW, order=18)
)


# --- Panels on other apps' pages ---------------------------------------------------------------


def _cases_of_person(request, person):
    return {
        "cases": list(
            selectors.cases_of_person(actor=request.user, person=person).order_by(
                "-applied_on", "-pk"
            )
        ),
        "can_register_case": has_permission(request.user, CASE_WORK),
    }


add_panel(
    Panel(
        "casework-person-cases",
        "registry.person",
        _("Cases"),
        "casework/panel_person_cases.html",
        CASE_VIEW,
        _cases_of_person,
        order=20,
    )
)
