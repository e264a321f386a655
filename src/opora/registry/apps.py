from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "opora.registry"
    label = "registry"
    verbose_name = _("Registry of residents")

    def ready(self) -> None:
        from . import access, audit_actions  # noqa: F401
