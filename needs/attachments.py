"""Checking uploaded attachments by their content, not their name."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", PPTX: ".pptx"}


def sniff_content_type(head: bytes, whole) -> str | None:
    """PDF by its signature; DOCX and PPTX are ZIP packages told apart by their main part."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(whole) as package:
                names = set(package.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "ppt/presentation.xml" in names:
                return PPTX
    return None


def attachment_check(uploaded) -> str:
    """Return the content type of an uploaded PDF, DOCX or PPTX; ValidationError for anything else."""
    if uploaded.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; attachments may be at most 20 MB.")
            % {"name": uploaded.name, "size": uploaded.size / 1024 / 1024}
        )
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    content_type = sniff_content_type(data[:8], io.BytesIO(data))
    if content_type is None:
        raise ValidationError(
            _("“%(name)s” is not a PDF, Word (DOCX) or PowerPoint (PPTX) file.") % {"name": uploaded.name}
        )
    claimed = "." + uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    if claimed != EXTENSIONS[content_type]:
        raise ValidationError(
            _("“%(name)s” does not contain what its name says (its content is %(kind)s).")
            % {"name": uploaded.name, "kind": EXTENSIONS[content_type].lstrip(".").upper()}
        )
    return content_type


def attachments_check(files) -> list:
    """Check every uploaded file; one ValidationError listing each refused file, so a form saves none."""
    errors = []
    for uploaded in files or []:
        try:
            attachment_check(uploaded)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return list(files or [])
