from django.utils.translation import gettext_lazy as _

from opora.core.audit import declare_action

INSTITUTION_CREATED = declare_action(
    "institutions.institution.created", _("%(actor)s added the institution %(object)s")
)
INSTITUTION_UPDATED = declare_action(
    "institutions.institution.updated", _("%(actor)s changed the institution %(object)s")
)
