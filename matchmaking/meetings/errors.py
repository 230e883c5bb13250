"""What the meeting services raise and return: a translated refusal, or a result with warnings."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError


class MeetingError(ValidationError):
    """A refused change (bad state, bad input, hard conflict): `messages` are translated; nothing was changed.
    A ValidationError, so that a form can show it with `form.add_error(None, error)`."""


@dataclass
class EditResult:
    """A timetable edit that went through: the appointments it touched and the soft conflicts it left
    (translated warnings, e.g. a participant placed in a slot it said it could not make)."""

    appointments: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
