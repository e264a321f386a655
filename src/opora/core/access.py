from django.utils.translation import gettext_lazy as _

from .permissions import declare
from .roles import ALL_ROLES, Role

DASHBOARD_VIEW = declare("core.dashboard.view", _("See the dashboard"), ALL_ROLES)
SEARCH = declare("core.search", _("Use the search"), ALL_ROLES)
OWN_JOBS_VIEW = declare("core.jobs.view_own", _("Follow their own background jobs"), ALL_ROLES)
ALL_JOBS_VIEW = declare(
    "core.jobs.view_all", _("Follow every background job"), {Role.ADMINISTRATOR}
)
AUDIT_SEARCH = declare("core.audit.search", _("Search the audit log"), {Role.ADMINISTRATOR})
USERS_MANAGE = declare("core.users.manage", _("Manage user accounts"), {Role.ADMINISTRATOR})
PREFERENCES_EDIT = declare("core.preferences.edit", _("Change their own preferences"), ALL_ROLES)
JOBS_MANAGE = declare(
    "core.jobs.manage", _("Stop background jobs that will not finish"), {Role.ADMINISTRATOR}
)
