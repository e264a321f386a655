"""What payments adds to the shell: navigation, the dashboard widget with the latest payroll,
and the panel of payout details on a person's page, each read through the app's selectors."""

from django.utils.translation import gettext_lazy

from opora.core.permissions import has_permission
from opora.core.registry import NavItem, Panel, Widget, add_nav, add_panel, add_widget

from . import selectors
from .access import PAYOUT_EDIT, PAYOUT_VIEW, PAYROLL_VIEW, RETURNS_WORK

add_nav(
    NavItem(
        "payments-payrolls", gettext_lazy("Payrolls"), "payments:payrolls", PAYROLL_VIEW, order=36
    )
)
add_nav(
    NavItem(
        "payments-returned",
        gettext_lazy("Returned payments"),
        "payments:worklist",
        RETURNS_WORK,
        order=37,
    )
)


def _latest(request):
    return {"latest": selectors.payrolls(actor=request.user).first()}


add_widget(
    Widget(
        "payments",
        gettext_lazy("Payments of benefits"),
        "payments/widget.html",
        PAYROLL_VIEW,
        _latest,
        order=26,
    )
)


def _person_panel(request, person):
    return {
        "details": selectors.payout_details_of_person(actor=request.user, person=person),
        "can_edit": has_permission(request.user, PAYOUT_EDIT),
    }


add_panel(
    Panel(
        "payments-payout",
        "registry.person",
        gettext_lazy("Payout details"),
        "payments/panel_person.html",
        PAYOUT_VIEW,
        _person_panel,
        order=35,
    )
)
