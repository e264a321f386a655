from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "opora.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from . import access, audit_actions  # noqa: F401
