from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "opora.casework"
    label = "casework"
    verbose_name = _("Casework")

    def ready(self) -> None:
        from . import access, audit_actions  # noqa: F401
