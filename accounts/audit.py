"""The audit trail: who created, changed, moved, exported, deleted or read what, and when (issue 8).

Services call `record()` (reads of restricted records are recorded by the selector or view that serves them);
`snapshot()` before a change and `diff()` after it give the changed fields. Entries are kept apart from the data
(accounts.models.AuditEntry: no foreign keys). The request id and client address come from the middleware
below, when there is a request.
"""

import datetime
import decimal
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextvars import ContextVar

from django.db import models

from accounts.models import AuditEntry

Action = AuditEntry.Action

# Bookkeeping columns that change on every save and say nothing about what the user changed.
_SKIPPED = {"updated_at", "search_text"}

_request: ContextVar[dict | None] = ContextVar("audit_request", default=None)

# Per object type ("needs.proposal"), which of some record ids a user may open. The apps that own those records
# register their visibility rule (accounts cannot import them), so that the trail never shows an administrator
# the title or the changes of a draft proposal or a government-only need the administrator may not open.
_readers: dict[str, Callable[[object, set[str]], set[str]]] = {}


def register_reader(object_type: str, visible_ids: Callable[[object, set[str]], set[str]]) -> None:
    _readers[object_type] = visible_ids


def redacted(user, entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """The entries, with what `user` may not see of them blanked: for a record its owner's rule hides from the
    user (or that is gone), who did what and when stays; its title, changes and note do not."""
    entries = list(entries)
    wanted: dict[str, set[str]] = defaultdict(set)
    for item in entries:
        if item.object_type in _readers and item.object_id:
            wanted[item.object_type].add(item.object_id)
    visible = {kind: _readers[kind](user, ids) for kind, ids in wanted.items()}
    for item in entries:
        item.hidden = item.object_type in visible and item.object_id not in visible[item.object_type]
        if item.hidden:
            item.object_repr, item.changes, item.note = "", {}, ""
    return entries


def record(actor, action: str, obj=None, changes: dict | None = None, note: str = "") -> AuditEntry:
    """Write one entry. `obj` is a model instance, a model class (an export of a list), or None (see note)."""
    built = entry(actor, action, obj, changes, note)
    built.save()
    return built


def record_many(entries: list[AuditEntry]) -> None:
    """Write entries built with entry() in bulk (an import of thousands of rows)."""
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


def entry(actor, action: str, obj=None, changes: dict | None = None, note: str = "") -> AuditEntry:
    """An unsaved entry, for record_many()."""
    context = _request.get() or {}
    return AuditEntry(
        actor_id=getattr(actor, "pk", None),
        actor_email=getattr(actor, "email", "") or "",
        action=action,
        object_type=_type_of(obj),
        object_id="" if obj is None or isinstance(obj, type) else str(obj.pk),
        object_repr=_repr_of(obj)[:300],
        changes=changes or {},
        note=note,
        request_id=context.get("request_id", ""),
        ip_address=context.get("ip"),
    )


def record_created(actor, obj: models.Model, note: str = "") -> AuditEntry:
    """A creation, with the values it was created with as [None, value]."""
    values = {name: [None, value] for name, value in snapshot(obj).items() if value not in (None, "", [], {})}
    return record(actor, Action.CREATE, obj, values, note)


def record_changed(actor, obj: models.Model, before: dict, note: str = "") -> AuditEntry | None:
    """An update, if anything changed since `before` (a snapshot()); nothing is written otherwise."""
    changes = diff(before, obj)
    return record(actor, Action.UPDATE, obj, changes, note) if changes else None


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """The model's own column values, JSON-ready (foreign keys as ids)."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in _SKIPPED or (fields is not None and field.name not in fields):
            continue
        values[field.name] = plain(field.value_from_object(obj))
    return values


def diff(before: dict, obj: models.Model) -> dict:
    """{field: [old, new]} for each field of `before` whose value differs now."""
    after = snapshot(obj, list(before))
    return {name: [old, after[name]] for name, old in before.items() if after.get(name) != old}


def plain(value):
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # One instant, one text: a value read back from the database (UTC) equals the same time typed in Tokyo.
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "storage"):  # a file field
        return value.name or ""
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def _type_of(obj) -> str:
    if obj is None:
        return ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}"


def _repr_of(obj) -> str:
    if obj is None:
        return ""
    if isinstance(obj, type):
        return str(obj._meta.verbose_name_plural)
    return str(obj)


def request_context_middleware(get_response):
    """Remember the request's id (set by config.logging.RequestIdMiddleware, which also echoes it in the
    response) and the client address for entries written while it is served."""

    def middleware(request):
        context = {
            "request_id": getattr(request, "request_id", "") or None,
            "ip": request.META.get("REMOTE_ADDR") or None,
        }
        token = _request.set(context)
        try:
            return get_response(request)
        finally:
            _request.reset(token)

    return middleware
