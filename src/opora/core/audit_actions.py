from django.utils.translation import gettext_lazy as _

from .audit import declare_action
from .job_kinds import kind_label
from .roles import Role


def _job_label(code: str) -> str:
    return kind_label(code)


def _role_label(code: str) -> str:
    return str(Role(code).label)


USER_CREATED = declare_action(
    "core.user.created",
    _("%(actor)s created the account %(object)s with the role %(role)s"),
    renderers={"role": _role_label},
)
USER_UPDATED = declare_action("core.user.updated", _("%(actor)s changed the account %(object)s"))
USER_DEACTIVATED = declare_action(
    "core.user.deactivated", _("%(actor)s deactivated the account %(object)s")
)
USER_PASSWORD_SET = declare_action(
    "core.user.password_set", _("%(actor)s set a new password for %(object)s")
)
USER_LOGGED_IN = declare_action("core.user.logged_in", _("%(actor)s signed in"))
PREFERENCES_CHANGED = declare_action(
    "core.user.preferences_changed", _("%(actor)s changed the display preferences of %(object)s")
)
TOKEN_CREATED = declare_action(
    "core.api_token.created", _("%(actor)s issued the API token %(object)s")
)
TOKEN_REVOKED = declare_action(
    "core.api_token.revoked", _("%(actor)s revoked the API token %(object)s")
)
JOB_STARTED = declare_action(
    "core.job.started",
    _("%(actor)s started the background job «%(label)s»"),
    renderers={"label": _job_label},
)
JOB_ABANDONED = declare_action(
    "core.job.abandoned",
    _("%(actor)s stopped the background job «%(label)s»"),
    renderers={"label": _job_label},
)
JOB_RECLAIMED = declare_action(
    "core.job.reclaimed",
    _("%(actor)s failed the background job «%(label)s»: its worker stopped answering"),
    renderers={"label": _job_label},
)
ADMIN_CHANGED = declare_action(
    "core.admin.changed", _("%(actor)s changed %(object)s in the administration site")
)
ADMIN_ADDED = declare_action(
    "core.admin.added", _("%(actor)s added %(object)s in the administration site")
)
ADMIN_DELETED = declare_action(
    "core.admin.deleted", _("%(actor)s deleted %(object)s in the administration site")
)
