"""Every read of employment services; each applies the actor's scope. Import from here:
``from opora.employment import selectors``."""

from .employers import employer_get, employers, vacancies, vacancy_get
from .reference import (
    benefit_bounds,
    occupation_get,
    occupations,
    service_point_get,
    service_points,
)
from .seekers import referral_get, referrals, seeker_get, seekers

__all__ = [
    "benefit_bounds",
    "employer_get",
    "employers",
    "occupation_get",
    "occupations",
    "referral_get",
    "referrals",
    "seeker_get",
    "seekers",
    "service_point_get",
    "service_points",
    "vacancies",
    "vacancy_get",
]
