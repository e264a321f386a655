from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "opora.demo"
    label = "demo"
    verbose_name = _("Demo data")

    def ready(self) -> None:
        from . import access, tasks  # noqa: F401
