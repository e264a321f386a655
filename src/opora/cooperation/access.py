from django.utils.translation import gettext_lazy as _

from opora.core.permissions import declare
from opora.core.roles import ALL_ROLES, Role

# Cooperation data is about partners, not residents: every role of the department reads it,
# contacts of the partners' people included; cooperation officers keep it.
COOPERATION_VIEW = declare(
    "cooperation.view",
    _("See partners, agreements, events, letters, needs and aid"),
    ALL_ROLES,
)
COOPERATION_MANAGE = declare(
    "cooperation.manage",
    _("Keep partners, agreements, events, correspondence, needs and aid"),
    {Role.COOPERATION_OFFICER},
)
