from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "opora.assistance"
    label = "assistance"
    verbose_name = _("Targeted social assistance")

    def ready(self) -> None:
        from . import access, audit_actions, tasks, ui  # noqa: F401
