"""The targeted-assistance API under /api/v1/assistance: measures and their versions with the
rules as JSON and as sentences, applications with their evaluations and decisions,
assignments with their history and overpayments, the review list, whole-registry runs,
what-if simulations and the outreach worklist. Reads go through the
selectors (an application of another institution is a 404 and never listed), writes through
the services, whose DomainError becomes the one 4xx error body."""

# Each area adds its endpoints to the router as it is imported, in this order (the order of the
# paths in the OpenAPI schema).
from . import measures, applications, assignments, social_contract, goods, runs  # noqa: F401, I001
from .common import router

__all__ = ["router"]
