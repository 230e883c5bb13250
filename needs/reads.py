"""Reads that the audit trail records (issue 8): a government-only need and any proposal, whether through a
page, the API or a download. Called by the views and API that serve them, once the rule has let the reader in."""

from accounts import audit
from needs.enums import Visibility


def need_read(*, need, user, via: str) -> None:
    if need.visibility == Visibility.GOVERNMENT:
        audit.record(user, audit.Action.READ, need, note=via)


def proposal_read(*, proposal, user, via: str) -> None:
    audit.record(user, audit.Action.READ, proposal, note=via)
