"""The one way pages check permissions: anonymous visitors go to sign-in, signed-in users without it get 403."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def permission_required(perm: str, *, fetch=None):
    """Require `perm`; with `fetch(request, **kwargs)`, check it against the object fetched (object rules).

    The fetched object is handed to the view as `obj`.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if fetch is not None:
                obj = fetch(request, **kwargs)
                if not request.user.has_perm(perm, obj):
                    raise PermissionDenied
                return view(request, *args, obj=obj, **kwargs)
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
