import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from config import page_cache

# The signed-in user's record, kept in the cache under the user's version token (config/page_cache.py): any
# save of the user, a change of roles or of the organisation replaces the token, so a deactivated account or a
# withdrawn role is seen at the next request. The timeout bounds a change made by a bulk update.
_USER_KEY = "auth:user:{}:{}"
_USER_SECONDS = 300


class PortalModelBackend(ModelBackend):
    """Loads the signed-in user with the organisation and roles every permission check reads: from the cache,
    or in two queries, instead of one query per check."""

    def get_user(self, user_id):
        key = _USER_KEY.format(user_id, page_cache.user_version(user_id))
        user = cache.get(key)
        if user is None:
            users = get_user_model()._default_manager.select_related("organisation").prefetch_related("roles")
            user = users.filter(pk=user_id).first()
            if user is not None:
                cache.set(key, user, _USER_SECONDS)
        return user if user is not None and self.user_can_authenticate(user) else None


class CachedUserTokenAuthentication(TokenAuthentication):
    """DRF's token check, with the user loaded as for a session (PortalModelBackend: cached, roles with it) and
    the key's owner kept in the cache. A deleted token leaves a tombstone (revoke_cached_token) that an answer
    read from the database just before the deletion cannot overwrite (the mapping is only ever added)."""

    def authenticate_credentials(self, key):
        user_id = _token_owner(key)
        if user_id is None:
            raise AuthenticationFailed(_("Invalid token."))
        user = PortalModelBackend().get_user(user_id)
        if user is None:
            raise AuthenticationFailed(_("User inactive or deleted."))
        return user, key


_OWNER_CACHE_KEY = "auth:token:{}"
_REVOKED = "revoked"


def _token_cache_key(key: str) -> str:
    return _OWNER_CACHE_KEY.format(hashlib.sha256(key.encode()).hexdigest())


def _token_owner(key: str) -> int | None:
    held = cache.get(_token_cache_key(key))
    if held is not None and held != _REVOKED:
        return held
    user_id = Token.objects.filter(key=key).values_list("user_id", flat=True).first()
    if user_id is not None and held is None:
        cache.add(_token_cache_key(key), user_id, _USER_SECONDS)
    return user_id


@receiver(post_delete, sender=Token, dispatch_uid="accounts.backends.revoke_cached_token")
def revoke_cached_token(sender, instance, **kwargs) -> None:
    """Now and after commit: the tombstone outlives any mapping added before it."""
    cache_key = _token_cache_key(instance.key)
    cache.set(cache_key, _REVOKED, _USER_SECONDS * 2)
    transaction.on_commit(lambda: cache.set(cache_key, _REVOKED, _USER_SECONDS * 2))
