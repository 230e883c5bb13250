"""Whole responses of the busiest pages, kept in the cache per session and per state of the data they show.

The needs board, the registry, a need's matches and the registry API are read far more often than their data
changes, and rendering them (25 rows of templates or serialisers) costs ten times what answering the request
otherwise does. A page is therefore rendered once per (session, CSRF cookie, language, URL, data versions)
and served from the cache after that, with every check in front of the view still made on each request
(sign-in, expiry, two-step verification, the view's own permission check).

Versions: each scope ("needs", "registry", "matches") has a token in the cache, replaced after commit
whenever its data changes: model signals for the records people edit (connect_invalidation()), and explicit
bump() calls in the bulk writes that send no signals (imports, merges, score writes). The key also carries the
user's own token (roles, organisation, activity), so a changed role shows at once. An entry lives at most
PAGE_CACHE_SECONDS (60 s; 0 switches the cache off): the safety net for a write that bumps nothing, and for
what changes with the clock.

Never cached: anything but a plain 200 GET, a request with flash messages waiting (they are shown once), a
response that sets a cookie, a request without a CSRF cookie (the page would hand out a new one). Redis
down: every request is a miss (config/cache.py) and pages are rendered as before.
"""

import functools
import hashlib
import uuid

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

SCOPES = ("needs", "registry", "matches")
_VERSION_KEY = "page:v:{}"
_USER_VERSION_KEY = "page:u:{}"


def timeout() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 60))


# --- Versions ----------------------------------------------------------------------------------------------


def bump(*scopes: str) -> None:
    """Scopes whose data changed: their pages are rendered afresh. The token is replaced now and again after
    the current transaction commits: a page rendered in between (still showing the old data) is stored under
    the first new token, which no request uses once the second is in place."""
    unknown = set(scopes) - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown page cache scopes: {sorted(unknown)}")
    _renew([_VERSION_KEY.format(scope) for scope in scopes])


def bump_user(user_id: int) -> None:
    """The user's roles, organisation or account changed: their pages and their cached record are renewed."""
    _renew([_USER_VERSION_KEY.format(user_id)])


def _renew(keys: list[str]) -> None:
    cache.set_many({key: _token() for key in keys}, None)
    transaction.on_commit(lambda: cache.set_many({key: _token() for key in keys}, None))


def user_version(user_id: int) -> str:
    return _versions([_USER_VERSION_KEY.format(user_id)])[0]


def _token() -> str:
    return uuid.uuid4().hex[:16]


def _versions(keys: list[str]) -> list[str]:
    """The current token of each key; a missing one (never set, evicted, Redis restarted) gets a new token,
    so that no entry stored under a lost token can match again."""
    found = dict(cache.get_many(keys))
    missing = {key: _token() for key in keys if key not in found}
    if missing:
        cache.set_many(missing, None)
        found.update(missing)
    return [found[key] for key in keys]


# --- Keys and entries --------------------------------------------------------------------------------------


def _key(request, scopes: tuple[str, ...], *, api: bool = False) -> str | None:
    """The entry's key, or None when this request must not be served from (or stored in) the cache. A page
    holds the session's CSRF token, so it is kept per session and CSRF cookie; an API answer (JSON) holds
    nothing of the session and is kept per user."""
    if request.method != "GET" or not timeout():
        return None
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if not api and (not csrf_cookie or len(get_messages(request))):
        return None
    user_id = request.user.pk if request.user.is_authenticated else 0
    keys = [_VERSION_KEY.format(scope) for scope in scopes]
    if user_id:
        keys.append(_USER_VERSION_KEY.format(user_id))
    session = "api" if api else f"{request.session.session_key or ''}\n{csrf_cookie}"
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    parts = [session, str(user_id), language, request.get_full_path(), *_versions(keys)]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(response) -> bool:
    return response.status_code == 200 and not response.cookies and not response.streaming


def _store(key: str, response) -> None:
    if _storable(response):
        cache.set(key, (response.content, response["Content-Type"]), timeout())


def _served(entry) -> HttpResponse:
    content, content_type = entry
    return HttpResponse(content, content_type=content_type)


def _serve_or_store(key: str | None, call):
    if key is None:
        return call()
    entry = cache.get(key)
    if entry is not None:
        return _served(entry)
    response = call()
    if getattr(response, "is_rendered", True):
        _store(key, response)
    else:  # a TemplateResponse (DRF's Response): stored once rendered
        response.add_post_render_callback(functools.partial(_store, key))
    return response


def cached_page(*scopes: str):
    """Decorator for a page view (put it inside the permission check, so that the check runs every time)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            return _serve_or_store(_key(request, scopes), lambda: view(request, *args, **kwargs))

        return wrapped

    return decorate


def cached_api_list(*scopes: str):
    """Decorator for a DRF viewset's list(): runs after authentication and permissions; JSON answers only (the
    browsable API's HTML holds a CSRF token)."""

    def decorate(method):
        @functools.wraps(method)
        def wrapped(viewset, request, *args, **kwargs):
            json = getattr(request.accepted_renderer, "format", "") == "json"
            key = _key(request, scopes, api=True) if json else None
            return _serve_or_store(key, lambda: method(viewset, request, *args, **kwargs))

        return wrapped

    return decorate


def cached_record(scope: str, name: str, load):
    """A record read through the cache under its scope's token, renewed with the pages (e.g. the need a page's
    permission check reads on every request). None is not kept."""
    if not timeout():
        return load()
    key = f"record:{name}:{_versions([_VERSION_KEY.format(scope)])[0]}"
    record = cache.get(key)
    if record is None:
        record = load()
        if record is not None:
            cache.set(key, record, timeout())
    return record


# --- Invalidation ------------------------------------------------------------------------------------------

# What each scope's pages show, by model; the bulk writes that bypass signals call bump() themselves. No
# receiver on MatchScore: Django would then fetch every row a bulk delete removes, to send its signal.
_SCOPE_MODELS = {
    "needs": ["needs.Need"],
    "registry": ["seeds.Startup", "seeds.Product", "seeds.Designation"],  # products: in match reasons
    "matches": ["matchmaking.Shortlist"],
}
_EVERY_SCOPE_MODELS = ["accounts.Organisation", "seeds.TechField"]  # names every page shows


def connect_invalidation() -> None:
    """Called once from AccountsConfig.ready()."""
    from django.apps import apps

    def receiver_for(scopes):
        def receiver(sender, **kwargs):
            bump(*scopes)

        return receiver

    receivers = [
        *((label, (scope,)) for scope, labels in _SCOPE_MODELS.items() for label in labels),
        *((label, SCOPES) for label in _EVERY_SCOPE_MODELS),
    ]
    for label, scopes in receivers:
        model = apps.get_model(label)
        receiver = receiver_for(scopes)
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"page_cache.save.{label}")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"page_cache.delete.{label}")
    for label, scope in (("needs.Need", "needs"), ("seeds.Startup", "registry")):
        through = apps.get_model(label).tech_fields.through
        m2m_changed.connect(receiver_for((scope,)), sender=through, weak=False, dispatch_uid=f"page_cache.m2m.{label}")

    user_model = apps.get_model(settings.AUTH_USER_MODEL)

    def user_changed(sender, instance, **kwargs):
        bump_user(instance.pk)

    def roles_changed(sender, instance, action, pk_set, **kwargs):
        if not action.startswith("post_"):
            return
        if isinstance(instance, user_model):
            bump_user(instance.pk)
        else:  # changed from the role's side: every user it names
            for user_id in pk_set or instance.users.values_list("pk", flat=True):
                bump_user(user_id)

    def organisation_changed(sender, instance, **kwargs):
        for user_id in user_model.objects.filter(organisation=instance).values_list("pk", flat=True):
            bump_user(user_id)

    post_save.connect(user_changed, sender=user_model, weak=False, dispatch_uid="page_cache.user.save")
    post_delete.connect(user_changed, sender=user_model, weak=False, dispatch_uid="page_cache.user.delete")
    m2m_changed.connect(roles_changed, sender=user_model.roles.through, weak=False, dispatch_uid="page_cache.roles")
    post_save.connect(
        organisation_changed, sender=apps.get_model("accounts.Organisation"), weak=False, dispatch_uid="page_cache.org"
    )
