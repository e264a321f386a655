from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from .accessibility import COOKIE_MAX_AGE, COOKIE_NAME, AccessibilityPrefs
from .audit import current_source


def chosen_language(request) -> str:
    """The account's language, else the browser's switch, else Russian.

    The browser's Accept-Language is deliberately ignored: the department works in Russian,
    and English is a choice a person makes with the switch.
    """
    user = request.user
    available = dict(settings.LANGUAGES)
    if user.is_authenticated and user.preferred_language in available:
        return user.preferred_language
    from_cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return from_cookie if from_cookie in available else settings.LANGUAGE_CODE


class PreferencesMiddleware:
    """Applies a person's language and version for the visually impaired.

    A signed-in person's account settings win, so they follow her from browser to browser; a
    visitor's come from the browser's cookie. The cookie is kept in step with the account so the
    settings stay after signing out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = current_source.set("api" if request.path.startswith("/api/") else "ui")
        try:
            return self._handle(request)
        finally:
            current_source.reset(source)

    def _handle(self, request):
        user = request.user
        from_cookie = AccessibilityPrefs.from_cookie(request.COOKIES.get(COOKIE_NAME))
        if user.is_authenticated and user.accessibility:
            request.a11y = AccessibilityPrefs.from_mapping(user.accessibility)
        else:
            request.a11y = from_cookie or AccessibilityPrefs()
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language

        response = self.get_response(request)

        response.headers.setdefault("Content-Language", language)
        if user.is_authenticated and "Cache-Control" not in response:
            # Pages for signed-in staff carry personal data: never kept by a cache or browser.
            add_never_cache_headers(response)
        patch_vary_headers(response, ("Cookie",))

        if from_cookie != request.a11y and (from_cookie is not None or request.a11y.enabled):
            response.set_cookie(
                COOKIE_NAME,
                request.a11y.to_cookie(),
                max_age=COOKIE_MAX_AGE,
                samesite="Lax",
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
            )
        if (
            user.is_authenticated
            and user.preferred_language
            and (request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != user.preferred_language)
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.preferred_language,
                max_age=COOKIE_MAX_AGE,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
