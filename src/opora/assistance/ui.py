"""What the app adds to the shell: navigation, the dashboard widget with the counts of the
specialists' work, and the panels on a person's and a household's pages (measures held,
applications, assignments), each read through the app's scoped selectors."""

from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.core.actors import SYSTEM
from opora.core.permissions import has_permission
from opora.core.registry import (
    Chore,
    NavItem,
    Panel,
    Widget,
    add_chore,
    add_nav,
    add_panel,
    add_widget,
)

from . import selectors, services
from .access import (
    APPLICATION_REGISTER,
    APPLICATION_VIEW,
    MEASURE_VIEW,
    OUTREACH_WORK,
    STOCK_MANAGE,
)
from .models import ApplicationStatus, AssignmentStatus

# --- Navigation -------------------------------------------------------------------------------

add_nav(
    NavItem(
        "assistance-applications",
        gettext_lazy("Applications for measures"),
        "assistance:applications",
        APPLICATION_VIEW,
        order=30,
    )
)
add_nav(
    NavItem(
        "assistance-assignments",
        gettext_lazy("Assignments"),
        "assistance:assignments",
        APPLICATION_VIEW,
        order=31,
    )
)
add_nav(
    NavItem(
        "assistance-measures",
        gettext_lazy("Measures of support"),
        "assistance:measures",
        MEASURE_VIEW,
        order=32,
    )
)
add_nav(
    NavItem(
        "assistance-contracts",
        gettext_lazy("Social contracts"),
        "assistance:contracts",
        APPLICATION_VIEW,
        order=33,
    )
)
add_nav(
    NavItem(
        "assistance-goods",
        gettext_lazy("Goods in kind"),
        "assistance:goods",
        STOCK_MANAGE,
        order=34,
    )
)

add_nav(
    NavItem(
        "assistance-outreach",
        gettext_lazy("Outreach worklist"),
        "assistance:outreach",
        OUTREACH_WORK,
        order=35,
    )
)


# --- Dashboard --------------------------------------------------------------------------------


def _counts(request):
    """Counts of the specialist's institutions (an administrator's: the department's)."""
    statistics = selectors.statistics(actor=request.user)
    applications = statistics["applications"]
    reviews = selectors.review_count(actor=request.user, today=timezone.localdate())
    return {
        "open": applications.get(ApplicationStatus.SUBMITTED, 0),
        "overdue": statistics["overdue"],
        "active": statistics["assignments"].get(AssignmentStatus.ACTIVE, 0),
        "open_overpayments": statistics["open_overpayments"],
        "reviews": reviews,
        "can_view": has_permission(request.user, APPLICATION_VIEW),
    }


add_widget(
    Widget(
        "assistance",
        gettext_lazy("Measures of social support"),
        "assistance/widget.html",
        APPLICATION_VIEW,
        _counts,
        order=25,
    )
)


def _outreach(request):
    """Open outreach tasks of the actor's institutions (an administrator's: all)."""
    return {"open": selectors.outreach_open_count(actor=request.user)}


add_widget(
    Widget(
        "assistance-outreach",
        gettext_lazy("Eligible and not claiming"),
        "assistance/runs/widget.html",
        OUTREACH_WORK,
        _outreach,
        order=26,
    )
)


# --- Panels on the registry's pages -------------------------------------------------------------


def _person_panel(request, person):
    found = selectors.person_measures(actor=request.user, person=person)
    return {
        **found,
        "empty_text": _("No application for a measure of social support."),
        "can_register": has_permission(request.user, APPLICATION_REGISTER),
        "register_query": urlencode({"person": person.pk}),
    }


def _household_panel(request, household):
    # A household applies through its applicant: the link to apply is on her page.
    found = selectors.household_measures(actor=request.user, household=household)
    return {**found, "empty_text": _("No application of this household for a measure.")}


add_panel(
    Panel(
        "assistance-person",
        "registry.person",
        gettext_lazy("Measures of social support"),
        "assistance/panel_person.html",
        APPLICATION_VIEW,
        _person_panel,
        order=30,
    )
)
add_panel(
    Panel(
        "assistance-household",
        "registry.household",
        gettext_lazy("Measures of social support"),
        "assistance/panel_person.html",
        APPLICATION_VIEW,
        _household_panel,
        order=30,
    )
)


# --- Chores -----------------------------------------------------------------------------------


def end_expired_assignments() -> int:
    return services.assignments_end_expired(actor=SYSTEM, today=timezone.localdate())


# An assignment whose period ended stops being "in force" the next day without anyone asking.
add_chore(Chore("assistance-end-expired", end_expired_assignments, every_seconds=3600))
