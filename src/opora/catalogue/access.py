from django.utils.translation import gettext_lazy as _

from opora.core.permissions import declare
from opora.core.roles import ALL_ROLES, Role

# The catalogue and the register of providers are public information (442-FZ art. 25, 13):
# every member of staff reads all of it, and the per-district listing is PUBLIC.
CATALOGUE_VIEW = declare(
    "catalogue.service.view",
    _("See the catalogue of social services and the register of providers"),
    ALL_ROLES,
)
CATALOGUE_MANAGE = declare(
    "catalogue.service.manage",
    _("Add and change social services and their tariffs"),
    {Role.ADMINISTRATOR},
)
# Managers enter and end the entries of their own institutions only (checked by the services).
PROVIDERS_MANAGE = declare(
    "catalogue.provider.manage",
    _("Enter and end the providers of social services"),
    {Role.ADMINISTRATOR, Role.INSTITUTION_MANAGER},
)
