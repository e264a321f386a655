"""Every write of employment services, one module per area; import from here:
``from opora.employment import services``."""

from .employers import checked_inn, employer_add, vacancy_add, vacancy_set_status
from .points import service_point_open, service_point_update
from .referrals import referral_make, referral_record_outcome
from .seekers import age_on, seeker_change_status, seeker_register, seeker_update_profile

__all__ = [
    "age_on",
    "checked_inn",
    "employer_add",
    "referral_make",
    "referral_record_outcome",
    "seeker_change_status",
    "seeker_register",
    "seeker_update_profile",
    "service_point_open",
    "service_point_update",
    "vacancy_add",
    "vacancy_set_status",
]
