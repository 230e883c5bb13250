"""Matchmaking models: scores and shortlists (`scores.py`), judgements and tuned weights (`feedback.py`), joint
promotion meetings (`meetings.py`)."""

from matchmaking.models.feedback import MatchJudgement, WeightProfile
from matchmaking.models.meetings import (
    AgendaVersion,
    Appointment,
    Invitation,
    JointMeeting,
    MeetingDay,
    MeetingRequest,
    MeetingRoom,
    MeetingUnit,
    ScheduleRun,
)
from matchmaking.models.scores import MatchRun, MatchScore, Shortlist

__all__ = [
    "AgendaVersion",
    "Appointment",
    "Invitation",
    "JointMeeting",
    "MatchJudgement",
    "MatchRun",
    "MatchScore",
    "MeetingDay",
    "MeetingRequest",
    "MeetingRoom",
    "MeetingUnit",
    "ScheduleRun",
    "Shortlist",
    "WeightProfile",
]
