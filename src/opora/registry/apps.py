from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "opora.registry"
    label = "registry"
    verbose_name = _("Registry of residents")

    def ready(self) -> None:
        # Permissions, audit actions and job kinds are declared at import time.
        from . import access, audit_actions  # noqa: F401
        from .dedup import audit_actions as dedup_actions  # noqa: F401
        from .dedup import tasks as dedup_tasks  # noqa: F401
        from .imports import audit_actions as import_actions  # noqa: F401
        from .imports import tasks as import_tasks  # noqa: F401
