from django.conf import settings

from .accessibility import CHOICES, LABELS
from .registry import nav_for


def shell(request):
    """What the base layout needs on every page."""
    user = getattr(request, "user", None)
    prefs = getattr(request, "a11y", None)
    return {
        "nav_items": nav_for(user) if user is not None and user.is_authenticated else [],
        "a11y": prefs,
        "a11y_attributes": prefs.html_attributes() if prefs else {},
        "a11y_options": [
            {
                "key": k,
                "label": LABELS[k],
                "choices": list(v.items()),
                "current": getattr(prefs, k, None),
            }
            for k, v in CHOICES.items()
        ]
        if prefs and prefs.enabled
        else [],
        "staff_languages": [(c, n) for c, n in settings.LANGUAGES if c in settings.STAFF_LANGUAGES],
        "opora_environment": settings.ENVIRONMENT,
    }
