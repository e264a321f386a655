"""Audit actions of deduplication: each renders as a sentence on the object's History tab."""

from django.utils.translation import gettext_lazy as _

from opora.core.audit import declare_action

PERSON_MERGED = declare_action(
    "registry.person.merged",
    _("%(actor)s merged the record %(merged)s into %(survivor)s"),
)
PERSON_UNMERGED = declare_action(
    "registry.person.unmerged",
    _("%(actor)s undid the merge of the record %(merged)s into %(survivor)s"),
)
DUPLICATE_CONFIRMED = declare_action(
    "registry.duplicate.confirmed",
    _("%(actor)s confirmed that %(object)s and %(other)s are the same person"),
)
DUPLICATE_REJECTED = declare_action(
    "registry.duplicate.rejected",
    _("%(actor)s recorded that %(object)s and %(other)s are different people"),
)
DUPLICATE_QUEUED = declare_action(
    "registry.duplicate.queued",
    _("%(actor)s asked to check whether %(object)s and %(other)s are the same person"),
)
DEDUP_FINISHED = declare_action(
    "registry.dedup.finished",
    _("%(actor)s searched the registry for duplicates and found %(candidates)s pairs to review"),
)
