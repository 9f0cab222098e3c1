from django.conf import settings
from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (Django 5.2 has no CSP)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class LanguageMiddleware:
    """Vietnamese unless the person chose another language with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office machines send
    English: an agency's interface must not change language by itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class BadgeMiddleware:
    """After a person's own action (any unsafe request) their menu badges are counted afresh at the next
    page (``eoffice.menu``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                from eoffice.menu import forget_badges

                forget_badges([user.pk])
        return response


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in person, so that neither a
    shared proxy nor the browser's history keeps their pages. A view's own ``no-store`` (``never_cache``,
    file downloads) stays as it is; a weaker header (``public``, ``max-age``) gets ``private, no-store``.
    Static files never reach this: whitenoise answers them before the session is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and "no-store" not in response.headers.get("Cache-Control", "").lower():
            patch_cache_control(response, private=True, no_store=True)
        return response
