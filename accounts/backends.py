from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalModelBackend(ModelBackend):
    """Loads the signed-in user with the organisation and roles every permission check reads, in two queries
    per request instead of one query per check."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("organisation").prefetch_related("roles")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
