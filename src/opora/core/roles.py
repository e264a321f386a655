from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    ANALYST = "analyst", _("Department analyst")
    INSTITUTION_MANAGER = "institution_manager", _("Institution manager")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    EMPLOYMENT_SPECIALIST = "employment_specialist", _("Employment specialist")
    COOPERATION_OFFICER = "cooperation_officer", _("Cooperation officer")
    ACCOUNTANT = "accountant", _("Department accountant")


# Roles whose people work inside institutions and see the rows of their own institutions.
INSTITUTION_STAFF_ROLES = frozenset(
    {
        Role.INSTITUTION_MANAGER,
        Role.SOCIAL_WORKER,
        Role.EMPLOYMENT_SPECIALIST,
        Role.COOPERATION_OFFICER,
    }
)
ALL_ROLES = frozenset(Role)
