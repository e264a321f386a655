from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "opora.rules"
    label = "rules"
    verbose_name = _("Rules in force")

    def ready(self) -> None:
        from . import access, audit_actions  # noqa: F401
