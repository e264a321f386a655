from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def opora_production_settings(app_configs, **kwargs):
    """Production safeguards beyond Django's own deploy checks."""
    errors = []
    if not settings.PRODUCTION:
        return errors
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        errors.append(
            Error(
                "Production runs on PostgreSQL, not the embedded SQLite database.",
                hint="Set OPORA_DATABASE_URL=postgres://…",
                id="opora.E001",
            )
        )
    return errors
