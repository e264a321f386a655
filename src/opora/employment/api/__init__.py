"""The employment API under /api/v1/employment/, one module per area on one router."""

from . import employers, reference, referrals, seekers  # noqa: F401 - register the operations
from .common import router

__all__ = ["router"]
