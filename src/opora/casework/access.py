from django.utils.translation import gettext_lazy as _

from opora.core.permissions import declare
from opora.core.roles import Role

CASEWORKERS = {Role.SOCIAL_WORKER, Role.INSTITUTION_MANAGER}

# Cases are personal data: staff of the case's institution read and work them; analysts count
# them and read the overdue list without names (the selectors hide personal rows from them).
CASE_VIEW = declare("casework.case.view", _("See the cases of their institutions"), CASEWORKERS)
CASE_WORK = declare(
    "casework.case.work",
    _("Register applications, assess, decide, draw up programmes and record services"),
    CASEWORKERS,
)
OVERDUE_VIEW = declare(
    "casework.overdue.view",
    _("See the cases whose deadline has passed"),
    {*CASEWORKERS, Role.ANALYST},
)
HOMECARE_VIEW = declare(
    "casework.homecare.view",
    _("See the caseloads, visit plans and day sheets of home care"),
    CASEWORKERS,
)
