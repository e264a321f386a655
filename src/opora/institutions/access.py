from django.utils.translation import gettext_lazy as _

from opora.core.permissions import declare
from opora.core.roles import ALL_ROLES, INSTITUTION_STAFF_ROLES, Role

MANAGERS = {Role.INSTITUTION_MANAGER}

INSTITUTION_VIEW = declare("institutions.institution.view", _("See institutions"), ALL_ROLES)
# Creating institutions, their code, kind and parent body, and districts: the network itself.
INSTITUTION_MANAGE = declare(
    "institutions.institution.manage", _("Add and change institutions"), {Role.ADMINISTRATOR}
)
INSTITUTION_EDIT = declare(
    "institutions.institution.edit",
    _("Change the details, capacity and status of their own institutions"),
    MANAGERS,
)
STAFF_VIEW = declare(
    "institutions.staff.view",
    _("See the staff of their own institutions"),
    INSTITUTION_STAFF_ROLES,
)
STAFF_EDIT = declare(
    "institutions.staff.edit",
    _("Hire staff, record leaving and training in their own institutions"),
    MANAGERS,
)
STAFF_PERSONAL_DATA_VIEW = declare(
    "institutions.staff.view_personal_data",
    _("See the personal phone numbers of staff"),
    MANAGERS,
)
STAFF_STATISTICS = declare(
    "institutions.staff.statistics",
    _("See staff figures on the dashboard"),
    {Role.ANALYST, Role.INSTITUTION_MANAGER},
)
