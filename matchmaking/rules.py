"""Who may see match scores, shortlist, and follow the scoring (DESIGN.md §3: scores are government-only).

A startup's own members never hold `view_scores`: they see "recommended needs" (the human reasons and the
pathway hint, never a score), limited to the needs they may see (`recommended_needs_q`).
"""

import rules
from django.db.models import Q
from django.utils import timezone

from accounts.rules import is_curator, is_government_user, is_need_reviewer, is_portal_admin
from needs.enums import NeedStatus
from needs.rules import can_view_need, is_owning_unit_staff, need_visibility_q
from seeds.rules import is_member_of_startup


@rules.predicate
def can_view_score(user, need) -> bool:
    """A match score's number against `need`: government users (DESIGN.md §3) who may see the need. A list shown
    to anyone else may still be ordered by scores; it shows neither their numbers nor needs hidden from them."""
    return bool(is_government_user(user) and can_view_need(user, need))


can_view_need_matches = can_view_score  # a need's ranked startups with their scores


def shown_need(user, need):
    """`need` if `user` may see it, else None: what every page, file and e-mail that names a need to a person
    shows (a hidden need shows as nothing, never its title or ref)."""
    return need if can_view_need(user, need) else None


def shown_score(user, need, score: float | None) -> float | None:
    """The number of a score against `need`, or None when `user` may not see it (`can_view_score`)."""
    return score if score is not None and can_view_score(user, need) else None


@rules.predicate
def can_shortlist(user, need) -> bool:
    """The owning unit's staff, MOD reviewers and METI curators keep a need's shortlist."""
    return bool(need is not None and (is_owning_unit_staff(user, need) or is_need_reviewer(user) or is_curator(user)))


@rules.predicate
def can_view_startup_matches(user, startup) -> bool:
    """Government users (with scores) and the startup's own members (recommended needs, without scores)."""
    return bool(startup is not None and (is_government_user(user) or is_member_of_startup(user, startup)))


def recommended_needs_q(user) -> Q:
    """The needs recommended to a startup's member: those the member may see (needs.rules) that are published
    and still open for proposals."""
    still_open = Q(proposal_deadline__isnull=True) | Q(proposal_deadline__gt=timezone.now())
    return need_visibility_q(user) & Q(status=NeedStatus.PUBLISHED) & still_open


rules.add_perm("matchmaking.view_scores", is_government_user)  # scores at all; of one need: can_view_score
rules.add_perm("matchmaking.view_need_matches", can_view_need_matches)
rules.add_perm("matchmaking.view_startup_matches", can_view_startup_matches)
rules.add_perm("matchmaking.shortlist", can_shortlist)
rules.add_perm("matchmaking.view_overview", is_curator | is_portal_admin)
rules.add_perm("matchmaking.view_runs", is_portal_admin | is_curator)
rules.add_perm("matchmaking.recompute", is_portal_admin | is_curator)  # "score now" and "recompute now"

# Joint promotion meetings register their own permissions (matchmaking.manage_meetings, view_meeting, …).
from matchmaking.meetings import rules as meeting_rules  # noqa: E402, F401
