"""Display helpers for the needs board: deadlines in Japan time, with how long is left."""

from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from needs.enums import NeedStatus

register = template.Library()

TOKYO = ZoneInfo("Asia/Tokyo")


@register.filter
def deadline_note(need) -> str:
    """The deadline as people read it: closes in N days (Japan calendar days), closes today, closed, or nothing."""
    deadline = need.proposal_deadline
    if need.status == NeedStatus.CLOSED or (deadline is not None and deadline <= timezone.now()):
        return pgettext("need deadline", "closed")
    if deadline is None or need.status == NeedStatus.WITHDRAWN:
        return ""
    days = (timezone.localtime(deadline, TOKYO).date() - timezone.localdate(timezone=TOKYO)).days
    if days <= 0:
        return _("closes today")
    return ngettext("closes in %(days)d day", "closes in %(days)d days", days) % {"days": days}
