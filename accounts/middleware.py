from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class PreferredLanguageMiddleware:
    """Japanese first: the language is the one chosen with the switch (cookie), else the account's preference,
    else Japanese. A browser's Accept-Language is deliberately not consulted, so that every visitor sees the
    portal in Japanese until they ask for English; API clients, which have no switch, are served by it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported and request.path.startswith("/api/"):
            # Programs say what they want in Accept-Language; Japanese when they don't.
            language = translation.get_language_from_request(request)
        if language not in self.supported:
            user = getattr(request, "user", None)
            preferred = getattr(user, "preferred_language", None) if user and user.is_authenticated else None
            language = preferred if preferred in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
