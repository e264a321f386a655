from django.utils.translation import gettext_lazy as _

from opora.core.permissions import declare
from opora.core.roles import Role

CASE_STAFF = {Role.SOCIAL_WORKER, Role.INSTITUTION_MANAGER, Role.EMPLOYMENT_SPECIALIST}

PERSON_VIEW = declare(
    "registry.person.view", _("See the residents served by their institutions"), CASE_STAFF
)
PERSON_EDIT = declare(
    "registry.person.edit", _("Register residents and change their records"), CASE_STAFF
)
PERSONAL_DATA_VIEW = declare(
    "registry.person.view_personal_data",
    _("See SNILS and document numbers unmasked"),
    {Role.SOCIAL_WORKER, Role.INSTITUTION_MANAGER},
)
REGISTRY_STATISTICS = declare(
    "registry.statistics.view",
    _("See figures about the registry"),
    {Role.ANALYST, Role.INSTITUTION_MANAGER},
)
IMPORT = declare(
    "registry.import", _("Import and export registry files"), {Role.INSTITUTION_MANAGER}
)
DEDUP_REVIEW = declare(
    "registry.dedup.review", _("Review possible duplicates"), {Role.INSTITUTION_MANAGER}
)
DEDUP_RUN = declare(
    "registry.dedup.run", _("Search the whole registry for duplicates"), {Role.ADMINISTRATOR}
)
MERGE = declare(
    "registry.person.merge", _("Merge and unmerge duplicate records"), {Role.ADMINISTRATOR}
)
