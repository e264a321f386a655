from django.utils.translation import gettext_lazy as _

from opora.core.permissions import declare
from opora.core.roles import Role

DEMO_LOAD = declare("demo.load", _("Load demo data into the database"), {Role.ADMINISTRATOR})
