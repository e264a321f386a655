from django.utils.translation import gettext_lazy as _

from opora.core.permissions import declare
from opora.core.roles import ALL_ROLES, Role

# Published figures are public facts about the department and its partners, not personal data:
# every role reads them. Analysts and administrators keep them.
FIGURES_VIEW = declare(
    "reports.figure.view",
    _("See the published figures with their sources"),
    ALL_ROLES,
)
FIGURES_MANAGE = declare(
    "reports.figure.manage",
    _("Record, correct and retire published figures"),
    {Role.ADMINISTRATOR, Role.ANALYST},
)
