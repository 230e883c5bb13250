from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

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
