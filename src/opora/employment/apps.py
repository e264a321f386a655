from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "opora.employment"
    label = "employment"
    verbose_name = _("Employment services")

    def ready(self) -> None:
        from . import access, audit_actions, legal  # noqa: F401
