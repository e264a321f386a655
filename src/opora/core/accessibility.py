"""The version for the visually impaired (as on the department's own site): typeface, colour
scheme, letter spacing, text size and images, remembered per browser (a cookie) and per account.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

COOKIE_NAME = "opora_a11y"
COOKIE_MAX_AGE = 365 * 24 * 3600

FONTS = {"sans": _("Sans serif"), "serif": _("Serif")}
SCHEMES = {
    "black-white": _("Black on white"),
    "white-black": _("White on black"),
    "blue": _("Dark blue on light blue"),
    "brown": _("Brown on beige"),
    "green": _("Green on dark brown"),
}
SPACINGS = {
    "1": pgettext_lazy("letter spacing", "Normal"),
    "2": pgettext_lazy("letter spacing", "Medium"),
    "3": pgettext_lazy("letter spacing", "Large"),
}
SIZES = {
    "1": pgettext_lazy("text size", "Normal"),
    "2": pgettext_lazy("text size", "Large"),
    "3": pgettext_lazy("text size", "Largest"),
}
IMAGES = {"show": _("Show"), "hide": _("Hide"), "grayscale": _("Black and white")}

CHOICES: dict[str, dict[str, Any]] = {
    "font": FONTS,
    "scheme": SCHEMES,
    "spacing": SPACINGS,
    "size": SIZES,
    "images": IMAGES,
}
LABELS = {
    "font": _("Typeface"),
    "scheme": _("Colour scheme"),
    "spacing": _("Letter spacing"),
    "size": _("Text size"),
    "images": _("Images"),
}


@dataclass(frozen=True)
class AccessibilityPrefs:
    enabled: bool = False
    font: str = "sans"
    scheme: str = "black-white"
    spacing: str = "1"
    size: str = "2"
    images: str = "show"

    @classmethod
    def vision_defaults(cls) -> AccessibilityPrefs:
        """The settings the "default settings" button restores."""
        return cls(enabled=True)

    @classmethod
    def from_mapping(cls, data: Any) -> AccessibilityPrefs:
        """Build from untrusted input, keeping only known values (unknown ones fall back)."""
        if not isinstance(data, dict):
            return cls()
        values: dict[str, Any] = {}
        for key, allowed in CHOICES.items():
            raw = str(data.get(key, ""))
            if raw in allowed:
                values[key] = raw
        enabled = data.get("enabled")
        values["enabled"] = enabled in (True, "1", "on", "true")
        return cls(**values)

    @classmethod
    def from_cookie(cls, raw: str | None) -> AccessibilityPrefs | None:
        if not raw:
            return None
        return cls.from_mapping(dict(parse_qsl(raw[:300])))

    def to_cookie(self) -> str:
        return urlencode({**self.as_dict(), "enabled": "1" if self.enabled else "0"})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def updated(self, **changes: Any) -> AccessibilityPrefs:
        return AccessibilityPrefs.from_mapping({**self.as_dict(), **changes}) if changes else self

    def html_attributes(self) -> dict[str, str]:
        """data-* attributes for <html>; the stylesheet does the rest."""
        if not self.enabled:
            return {}
        return {
            "data-a11y": "on",
            "data-a11y-font": self.font,
            "data-a11y-scheme": self.scheme,
            "data-a11y-spacing": self.spacing,
            "data-a11y-size": self.size,
            "data-a11y-images": self.images,
        }
