"""Today in Japan. The only clock the catalogue reads, so that tests can set it (monkeypatch `today`)."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

TOKYO = ZoneInfo("Asia/Tokyo")


def today() -> datetime.date:
    return timezone.localdate(timezone=TOKYO)
