from django.utils.translation import gettext_lazy as _

from opora.core.permissions import declare
from opora.core.roles import ALL_ROLES, Role

INSTITUTION_VIEW = declare("institutions.institution.view", _("See institutions"), ALL_ROLES)
INSTITUTION_MANAGE = declare(
    "institutions.institution.manage", _("Add and change institutions"), {Role.ADMINISTRATOR}
)
