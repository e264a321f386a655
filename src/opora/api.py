"""The REST API at /api/v1/: one NinjaAPI, a router per app."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update

from opora.assistance.api import router as assistance_router
from opora.casework.api import router as casework_router
from opora.catalogue.api import router as catalogue_router
from opora.cooperation.api import router as cooperation_router
from opora.core.api import router as core_router
from opora.core.api_support import OporaAPI, default_auth
from opora.employment.api import router as employment_router
from opora.institutions.api import router as institutions_router
from opora.payments.api import router as payments_router
from opora.registry.api import router as registry_router
from opora.registry.dedup.api import router as dedup_router
from opora.registry.imports.api import router as imports_router
from opora.reports.api import router as reports_router
from opora.rules.api import router as rules_router


def _docs_decorator(view):
    # The schema and its docs page are public (they hold no data); Swagger UI sets inline
    # styles, so the relaxation applies to these two views alone.
    return csp_update({"style-src": [SELF, UNSAFE_INLINE]})(view)


api = OporaAPI(
    title="Opora API",
    version="1",
    description="The API of Opora, the platform of a department of labour and social protection.",
    urls_namespace="api",
    auth=default_auth(),
    docs_decorator=_docs_decorator,
)
api.add_router("/", core_router)
api.add_router("/institutions", institutions_router)
api.add_router("/registry", registry_router)
api.add_router("/registry/imports", imports_router)
api.add_router("/registry/duplicates", dedup_router)
api.add_router("/catalogue", catalogue_router)
api.add_router("/rules", rules_router)
api.add_router("/casework", casework_router)
api.add_router("/cooperation", cooperation_router)
api.add_router("/reports", reports_router)
api.add_router("/assistance", assistance_router)
api.add_router("/employment", employment_router)
api.add_router("/payments", payments_router)
