"""Thin Celery entry points for scoring. Idempotent: scores are keyed by (need, startup)."""

from celery import shared_task
from django.db import OperationalError

from matchmaking import services
from matchmaking.models import MatchRun

_RETRY = {"autoretry_for": (OperationalError, ConnectionError), "retry_backoff": True, "max_retries": 5}


@shared_task(name="matchmaking.score_need", **_RETRY)
def score_need(*, need_id: int) -> int:
    return services.matches_score_needs(need_ids=[need_id])


@shared_task(name="matchmaking.score_startup", **_RETRY)
def score_startup(*, startup_id: int) -> int:
    return services.matches_score_startup(startup_id=startup_id)


@shared_task(name="matchmaking.recompute_all", **_RETRY)
def recompute_all() -> int:
    return services.matches_recompute_start().pk


@shared_task(name="matchmaking.score_chunk", **_RETRY)
def score_chunk(*, run_id: int, need_ids: list[int] = (), startup_ids: list[int] = ()) -> None:
    run = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING).first()
    if run is not None:
        services.matches_recompute_chunk(run=run, need_ids=need_ids, startup_ids=startup_ids)


# --- Joint promotion meetings --------------------------------------------------------------------------------------


@shared_task(name="matchmaking.schedule_meeting", **_RETRY)
def schedule_meeting(*, run_id: int) -> int | None:
    """Safe to deliver twice: a run that is no longer queued is left alone."""
    from matchmaking.meetings.scheduling import schedule_run

    run = schedule_run(run_id=run_id)
    return run.placed if run is not None else None


@shared_task(name="matchmaking.send_meeting_invitation", **_RETRY)
def send_meeting_invitation(*, invitation_id: int) -> int:
    from matchmaking.meetings.notifications import invitation_send
    from matchmaking.models import Invitation

    invitation = Invitation.objects.select_related("meeting", "startup").filter(pk=invitation_id).first()
    return invitation_send(invitation) if invitation is not None else 0


@shared_task(name="matchmaking.remind_meeting_invitations", **_RETRY)
def remind_meeting_invitations() -> int:
    from matchmaking.meetings.services import invitations_remind_due

    return invitations_remind_due()


@shared_task(name="matchmaking.send_agenda_version", **_RETRY)
def send_agenda_version(*, version_id: int) -> int:
    from matchmaking.meetings.notifications import agenda_version_send
    from matchmaking.models import AgendaVersion

    version = AgendaVersion.objects.select_related("meeting").filter(pk=version_id).first()
    return agenda_version_send(version) if version is not None else 0
