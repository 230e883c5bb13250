"""Django's Redis cache, made to degrade instead of fail when Redis is down.

The cache only holds what can be lost or read again (rate-limit counters, whole pages, the signed-in user's
record, sessions, whose database copy stays authoritative): with Redis stopped a read is a miss and a write is
dropped, with a warning in the log, so that pages and writes keep working (issue 8). Rate limits are therefore
not enforced while Redis is down. After a failure the process leaves Redis alone for RETRY_AFTER seconds: a
request makes several cache calls, and each would otherwise wait for its own connection timeout.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)


RETRY_AFTER = 5.0
_down_until = 0.0  # monotonic time before which this process does not try Redis again


def _tolerant(fallback):
    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            global _down_until
            if time.monotonic() >= _down_until:
                try:
                    return method(self, *args, **kwargs)
                except _DOWN as error:
                    _down_until = time.monotonic() + RETRY_AFTER
                    logger.warning("Cache unavailable (%s): %s", method.__name__, error)
            default = kwargs.get("default", args[1] if method.__name__ == "get" and len(args) > 1 else None)
            if fallback == "default":
                return default
            return fallback.copy() if isinstance(fallback, dict | list) else fallback  # never the shared object

        return call

    return wrap


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client makes a new redis.Redis object for every operation, and each builds its table of ~160
    response callbacks: about 0.2 ms a call, a millisecond per cached page. A Redis object is thread-safe and
    only borrows connections from its pool, so one per pool serves every call."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    get = _tolerant("default")(RedisCache.get)
    get_many = _tolerant({})(RedisCache.get_many)
    has_key = _tolerant(False)(RedisCache.has_key)
    add = _tolerant(False)(RedisCache.add)
    set = _tolerant(None)(RedisCache.set)
    set_many = _tolerant([])(RedisCache.set_many)
    touch = _tolerant(False)(RedisCache.touch)
    delete = _tolerant(False)(RedisCache.delete)
    delete_many = _tolerant(None)(RedisCache.delete_many)
    incr = _tolerant(0)(RedisCache.incr)
    clear = _tolerant(None)(RedisCache.clear)
