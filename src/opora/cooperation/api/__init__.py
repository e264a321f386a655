"""The cooperation API: partners and their people, agreements and action plans, events with
their itineraries and seminar series, the calendar, letters with their versions and
discrepancies, partners' needs and the aid handed over; one module per area, each with its
schemas beside its endpoints, all on the one ``router`` the project mounts.

Content partners read is kept per language: every read answers in the language of ``?lang=``
(the caller's own language when absent), falling back to Russian where a translation is empty;
a detail body also carries ``i18n``, the raw value of each translated field per language, which
is what a client edits and sends back. Translated fields are written as ``{"ru": …, "en": …}``.
Reads go through the selectors, writes through the services, whose DomainError becomes the one
4xx error body."""

# Each area adds its endpoints to the router as it is imported, in this order (the order of the
# paths in the OpenAPI schema).
from . import partners, agreements, events, series, letters, aid  # noqa: F401, I001
from .common import router

__all__ = ["router"]
