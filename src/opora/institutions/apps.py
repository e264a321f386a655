from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "opora.institutions"
    label = "institutions"
    verbose_name = _("Institutions")

    def ready(self) -> None:
        from . import access, audit_actions  # noqa: F401
