from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "opora.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue of social services")

    def ready(self) -> None:
        from . import access, audit_actions  # noqa: F401
