"""The rate limit of the new-entry consultation window, one budget per client IP for its page and its API.

A DRF throttle (scope "consultations", rate in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]) that the page uses too,
so that a client cannot double its budget by switching between them. Only accepted submissions count: checking
(`allow_request`) and counting (`record`) are separate, so a form sent back with a typo costs nothing.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class ConsultationRateThrottle(SimpleRateThrottle):
    scope = "consultations"

    def get_rate(self) -> str | None:
        # Read at call time (not frozen at import, as DRF's class attribute is), so that settings overrides apply.
        rates = api_settings.DEFAULT_THROTTLE_RATES
        if self.scope not in rates:
            raise ImproperlyConfigured(
                f'Set REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["{self.scope}"] (None: no limit).'
            )
        return rates[self.scope]

    def get_ident(self, request) -> str:
        # X-Forwarded-For is whatever the client says unless a proxy in front sets it: trust it only when
        # NUM_PROXIES says how many proxies there are; otherwise the connection's address is the client.
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR", "")
        return super().get_ident(request)

    def get_cache_key(self, request, view=None) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view=None) -> bool:
        """Whether this client may submit now; counts nothing (see `record`)."""
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        self.now = self.timer()
        self.history = [moment for moment in self.cache.get(self.key, []) if moment > self.now - self.duration]
        return len(self.history) < self.num_requests

    def record(self, request) -> None:
        """Count one accepted submission of this client."""
        if self.rate is None:
            return
        key, now = self.get_cache_key(request), self.timer()
        history = [moment for moment in self.cache.get(key, []) if moment > now - self.duration]
        self.cache.set(key, [now, *history], self.duration)
