from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "opora.payments"
    label = "payments"
    verbose_name = _("Payments of benefits")

    def ready(self) -> None:
        from . import access, audit_actions, tasks, ui  # noqa: F401
