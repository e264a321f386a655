from django.utils.translation import gettext_lazy as _

from opora.core.permissions import declare
from opora.core.roles import ALL_ROLES, Role

# The classifier and the list of service points are public reference data.
REFERENCE_VIEW = declare(
    "employment.reference.view",
    _("See the classifier of occupations and the employment service points"),
    ALL_ROLES,
)
SERVICE_POINT_MANAGE = declare(
    "employment.service_point.manage",
    _("Open employment service points and set what they offer"),
    {Role.ADMINISTRATOR},
)
# Job seekers are personal data: the specialists of the service point and its manager.
SEEKER_VIEW = declare(
    "employment.seeker.view",
    _("See job seekers, their profiles, status history and referrals"),
    {Role.EMPLOYMENT_SPECIALIST, Role.INSTITUTION_MANAGER},
)
SEEKER_MANAGE = declare(
    "employment.seeker.manage",
    _("Register job seekers, fill their profiles, change their status, refer them to vacancies"),
    {Role.EMPLOYMENT_SPECIALIST, Role.INSTITUTION_MANAGER},
)
# Employers and vacancies hold no personal data of job seekers: analysts read them too.
EMPLOYER_VIEW = declare(
    "employment.employer.view",
    _("See employers and vacancies"),
    {Role.EMPLOYMENT_SPECIALIST, Role.INSTITUTION_MANAGER, Role.ANALYST},
)
EMPLOYER_MANAGE = declare(
    "employment.employer.manage",
    _("Add employers and vacancies, change the status of vacancies"),
    {Role.EMPLOYMENT_SPECIALIST, Role.INSTITUTION_MANAGER},
)
