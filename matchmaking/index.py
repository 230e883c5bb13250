"""The scorer's startup index, shared by every process through the cache and kept fresh incrementally.

The cache holds an index with the registry stamp it reflects. A reader whose registry has the same stamp
uses it as is; otherwise the index catches up by re-reading the startups changed since (and dropping the
ones gone), which is what a single edit costs, and a full rebuild happens only with a new model version or
an empty cache. The process keeps its own copy too, so a busy worker unpickles it once. A rebuild, or a
catch-up that re-read many startups, is written back to the cache; a small catch-up (one edit) stays in the
process: writing back means pickling the whole index (tens of MB for 10,000 startups), which would cost an
edit far more than re-reading a few startups costs each process that catches up from the cached copy.
"""

import threading
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Max

from matchmaking.documents import startup_documents
from matchmaking.scoring.matcher import MODEL_VERSION, MatcherIndex
from seeds.models import Startup

_KEY = f"matchmaking:index:{MODEL_VERSION}"
_TIMEOUT = 60 * 60 * 24 * 7
_SHARE_AFTER = 100  # a catch-up that re-read at least this many startups is written back to the cache
_local = threading.local()


@dataclass(frozen=True)
class Stamp:
    count: int
    latest: datetime | None


@dataclass
class HeldIndex:
    stamp: Stamp
    index: MatcherIndex


def registry_stamp() -> Stamp:
    state = Startup.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    return Stamp(state["count"], state["latest"])


def startup_index(*, rebuild: bool = False) -> MatcherIndex:
    stamp = registry_stamp()
    held = None if rebuild else (getattr(_local, "held", None) or cache.get(_KEY))
    if held is not None and held.stamp == stamp and held.index.is_current():
        _local.held = held
        return held.index
    if held is None or not held.index.is_current():
        held = HeldIndex(stamp, MatcherIndex(startup_documents(Startup.objects.all())))
        reread = len(held.index)
    else:
        held, reread = _catch_up(held, stamp)
    if reread >= _SHARE_AFTER or reread >= len(held.index):
        cache.set(_KEY, held, _TIMEOUT)
    _local.held = held
    return held.index


def _catch_up(held: HeldIndex, stamp: Stamp) -> tuple[HeldIndex, int]:
    """Re-read the startups changed since the index was made; drop the ones no longer in the registry.
    Returns the caught-up index and the number of startups re-read."""
    changed = Startup.objects.all()
    if held.stamp.latest is not None:
        changed = changed.filter(updated_at__gte=held.stamp.latest)
    docs = startup_documents(changed)
    for doc in docs:
        held.index.upsert(doc)
    if len(held.index) != stamp.count:
        present = {str(pk) for pk in Startup.objects.values_list("pk", flat=True)}
        for key in [key for key in held.index.keys if key not in present]:
            held.index.remove(key)
    return HeldIndex(stamp, held.index), len(docs)
