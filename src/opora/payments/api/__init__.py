"""The payments API under /api/v1/payments: payout details, payrolls with their lines, checks,
approval, export and payment files, the bank's return files, and the worklist of payments
returned or not sent. Reads go through the selectors (out of scope: 404, never listed), writes
through the services, whose DomainError becomes the one 4xx error body."""

from . import payout, payrolls, returns  # noqa: F401
from .common import router

__all__ = ["router"]
