from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.core.errors import DomainError
from opora.core.registry import NavItem, Widget, add_nav, add_widget

from . import selectors
from .access import RULES_VIEW
from .catalog import FREE_THRESHOLD_MULTIPLIER
from .fees import income_limit
from .models import SubsistenceGroup

add_nav(NavItem("rules", gettext_lazy("Rules in force"), "rules:list", RULES_VIEW, order=60))


def _today(request) -> dict:
    """What the rules say today; each figure on its own, so one missing rule (an empty
    database) leaves the others shown and says what is missing instead of failing."""
    today = timezone.localdate()
    data: dict = {}
    problems = []
    try:
        data["working_today"] = selectors.is_working_day(today)
        data["decision_due"] = selectors.need_decision_due(today)
    except DomainError as error:
        problems.append(str(error.message))
    try:
        minimum = selectors.minimum_in_force(selectors.home_region(), on=today)
        multiplier = selectors.value_in_force(FREE_THRESHOLD_MULTIPLIER, on=today)
        data["minimum"] = minimum
        # The per-capita figure: the group of a recipient is not known here.
        data["group_label"] = SubsistenceGroup.PER_CAPITA.label
        data["threshold"] = income_limit(
            subsistence_minimum=minimum.per_capita, multiplier=multiplier
        )
    except DomainError as error:
        problems.append(str(error.message))
    if problems and not data:
        data["problem"] = _("The rules in force are not set up yet.") + " " + problems[0]
    return data


add_widget(
    Widget("rules", gettext_lazy("Rules in force"), "rules/widget.html", RULES_VIEW, _today, 60)
)
