"""Need attachments, served only to viewers who may see the need (DESIGN.md §3)."""

from django.http import FileResponse, Http404
from django.urls import path

from needs.models import NeedAttachment
from needs.reads import need_read


def need_attachment(request, pk: int):
    """The stored file as a download under its original name and checked type; 404 for anyone who may not see
    the need, so that a hidden need's files are not revealed."""
    attachment = NeedAttachment.objects.select_related("need").filter(pk=pk).first()
    if attachment is None or not request.user.has_perm("needs.view_need", attachment.need):
        raise Http404
    need_read(need=attachment.need, user=request.user, via=f"attachment {attachment.original_name}")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("needs/attachments/<int:pk>/", need_attachment, name="need_attachment"),
]
