from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "opora.cooperation"
    label = "cooperation"
    verbose_name = _("International and inter-regional cooperation")

    def ready(self) -> None:
        from . import access, audit_actions  # noqa: F401
