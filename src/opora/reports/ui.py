from django.utils.translation import gettext_lazy as _

from opora.core.registry import NavItem, Widget, add_nav, add_widget

from . import selectors
from .access import FIGURES_VIEW

add_nav(NavItem("reports", _("Published figures"), "reports:figures", FIGURES_VIEW, order=65))


def _latest(request) -> dict:
    return {"figures": selectors.latest_figures(actor=request.user, limit=5)}


add_widget(
    Widget(
        "reports-figures",
        _("Published figures"),
        "reports/widget.html",
        FIGURES_VIEW,
        _latest,
        order=65,
    )
)
