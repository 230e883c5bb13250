"""Rate limits of the public forms (registration, password reset, new verification link), per client address.

Same mechanism and settings as the consultation window (needs/throttles.py): a rate per scope in
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], kept in the cache. Every POST counts, since each one can send an
e-mail; a refused one gets the translated 429 page and changes nothing.
"""

from functools import wraps

from django.shortcuts import render

from needs.throttles import ConsultationRateThrottle


class PublicFormThrottle(ConsultationRateThrottle):
    def __init__(self, scope: str):
        self.scope = scope  # before DRF's __init__, which reads the rate of the scope
        super().__init__()


def rate_limited(scope: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                limit = PublicFormThrottle(scope)
                if not limit.allow_request(request):
                    return render(request, "429.html", status=429)
                limit.record(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
