"""The audit trail for portal administrators: a filtered, paginated list and its CSV export (itself audited)."""

import io
import json

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts import audit, selectors
from accounts.decorators import permission_required
from accounts.forms import AuditFilterForm
from accounts.models import AuditEntry
from core.tabular import CsvWriter

PAGE_SIZE = 50
CSV_COLUMNS = [
    "time",
    "actor_id",
    "actor_email",
    "action",
    "object_type",
    "object_id",
    "object",
    "changes",
    "note",
    "request_id",
    "ip_address",
]


def _filtered(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, filters, selectors.audit_entries(**{k: v for k, v in filters.items() if v})


def _redacted_in_chunks(user, entries, size: int = 2000):
    chunk = []
    for entry in entries.iterator(chunk_size=size):
        chunk.append(entry)
        if len(chunk) == size:
            yield from audit.redacted(user, chunk)
            chunk = []
    yield from audit.redacted(user, chunk)


@permission_required("accounts.view_audit")
def audit_list(request):
    form, _filters, entries = _filtered(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = audit.redacted(request.user, page.object_list)
    return render(request, "accounts/audit_list.html", {"form": form, "page": page})


@permission_required("accounts.view_audit")
def audit_export(request):
    """Every entry the filters select, as CSV (UTF-8 with BOM for Excel); the export is recorded too."""
    _form, filters, entries = _filtered(request)
    buffer = io.StringIO(newline="")
    writer = CsvWriter(buffer, bom=True)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for entry in _redacted_in_chunks(request.user, entries):
        writer.writerow(
            [
                timezone.localtime(entry.created_at).isoformat(),
                entry.actor_id or "",
                entry.actor_email,
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.object_repr,
                json.dumps(entry.changes, ensure_ascii=False) if entry.changes else "",
                entry.note,
                entry.request_id,
                entry.ip_address or "",
            ]
        )
        count += 1
    chosen = {name: str(value) for name, value in filters.items() if value}
    audit.record(request.user, audit.Action.EXPORT, AuditEntry, note=f"csv, {count} entries, filters: {chosen}")
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.csv"'
    return response
