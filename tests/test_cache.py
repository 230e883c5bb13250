"""The resilient Redis cache (config/cache.py): misses instead of errors, and no wait on every call."""

import time

from config import cache as resilient


def test_after_a_failure_redis_is_left_alone_for_a_while_then_tried_again(monkeypatch):
    backend = resilient.ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    attempts = []
    real = backend._cache.get_client
    monkeypatch.setattr(backend._cache, "get_client", lambda *a, **k: attempts.append(1) or real(*a, **k))
    assert backend.get("page", "missed") == "missed"  # nothing listens on port 1: refused
    missed = backend.get_many(["a", "b"])
    assert missed == {}
    missed["a"] = "kept by the caller"
    assert backend.get_many(["a", "b"]) == {}  # each miss is a fresh dict, not one shared and filled by callers
    assert backend.set("page", "content") is None
    assert len(attempts) == 1  # the calls after the failure did not try again
    later = time.monotonic() + resilient.RETRY_AFTER + 1
    monkeypatch.setattr(resilient.time, "monotonic", lambda: later)
    assert backend.get("page", "missed") == "missed"
    assert len(attempts) == 2
