from django.utils.translation import gettext_lazy as _

from opora.core.permissions import declare
from opora.core.roles import ALL_ROLES, Role

# Rules are the same for everyone and hold no personal data: every role reads them.
RULES_VIEW = declare(
    "rules.rule.view",
    _("See the rules in force, subsistence minimums and the working-day calendar"),
    ALL_ROLES,
)
FEE_CALCULATE = declare("rules.fee.calculate", _("Use the fee calculator"), ALL_ROLES)
RULES_MANAGE = declare(
    "rules.rule.manage",
    _("Add versions of rules, subsistence minimums, regions and calendar days"),
    {Role.ADMINISTRATOR},
)
