from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("", include("opora.core.urls")),
    path("institutions/", include("opora.institutions.urls")),
    path("registry/", include("opora.registry.urls")),
    path("catalogue/", include("opora.catalogue.urls")),
    path("rules/", include("opora.rules.urls")),
    path("casework/", include("opora.casework.urls")),
    path("cooperation/", include("opora.cooperation.urls")),
    path("reports/", include("opora.reports.urls")),
    path("assistance/", include("opora.assistance.urls")),
    path("payments/", include("opora.payments.urls")),
    path("demo/", include("opora.demo.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# The server error page in the layout, with a plain fall-back (core/error_pages.py).
handler500 = "opora.core.error_pages.server_error"
