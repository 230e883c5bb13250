"""How an e-mail address names an account: one normal form, used wherever an address is typed in.

The sign-in page, the API token exchange, the lockout counter (django-axes), registration, password reset and
new verification links all go through `email_normalise`, so that `STARTUPB@PROBE.JP` or its full-width spelling
is the same account, and the same locked account, as `startupb@probe.jp`.
"""

import unicodedata

from django.conf import settings


def email_normalise(value: str) -> str:
    """NFKC folds full-width and compatibility characters (ＡＢ＠ＥＸ．ＪＰ → AB@EX.JP), casefold() folds case beyond
    ASCII. Applied before validating, counting or looking up an address."""
    return unicodedata.normalize("NFKC", value or "").strip().casefold()


def axes_username(request, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the key django-axes counts failures and lockouts under, whichever form sent it."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or {}).get(field)
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get(field)
    return email_normalise(value) if isinstance(value, str) else None
