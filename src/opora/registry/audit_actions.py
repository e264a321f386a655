from django.utils.translation import gettext_lazy as _

from opora.core.audit import declare_action

PERSON_REGISTERED = declare_action(
    "registry.person.registered", _("%(actor)s registered %(object)s")
)
PERSON_REGISTERED_DESPITE_MATCH = declare_action(
    "registry.person.registered_despite_match",
    _("%(actor)s registered %(object)s despite a likely match with record no. %(matched_id)s"),
)
PERSON_UPDATED = declare_action("registry.person.updated", _("%(actor)s changed %(object)s"))
PERSON_RENAMED = declare_action(
    "registry.person.renamed", _("%(actor)s recorded a new name for %(object)s")
)
DOCUMENT_ADDED = declare_action(
    "registry.document.added", _("%(actor)s added the document %(document)s to %(object)s")
)
DOCUMENT_REMOVED = declare_action(
    "registry.document.removed", _("%(actor)s removed the document %(document)s of %(object)s")
)
ADDRESS_SET = declare_action("registry.address.set", _("%(actor)s set an address of %(object)s"))
SERVICE_LINK_ADDED = declare_action(
    "registry.person.served", _("%(actor)s attached %(object)s to %(institution)s")
)
HOUSEHOLD_CREATED = declare_action(
    "registry.household.created", _("%(actor)s created the household %(object)s")
)
MEMBER_JOINED = declare_action(
    "registry.household.member_joined",
    _("%(actor)s added a member to the household %(object)s"),
)
MEMBER_LEFT = declare_action(
    "registry.household.member_left",
    _("%(actor)s recorded that a member left the household %(object)s"),
)
CATEGORY_ASSIGNED = declare_action(
    "registry.category.assigned", _("%(actor)s recorded the category %(category)s for %(object)s")
)
CATEGORY_ENDED = declare_action(
    "registry.category.ended", _("%(actor)s ended the category %(category)s of %(object)s")
)
INCOME_RECORDED = declare_action(
    "registry.income.recorded", _("%(actor)s recorded an income of %(object)s for %(month)s")
)
