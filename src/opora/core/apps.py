from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "opora.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import access, audit_actions, checks, signals, token_cache  # noqa: F401

        # Apps contribute dashboard widgets, search providers and navigation in ui.py.
        autodiscover_modules("ui")
