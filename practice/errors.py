"""Domain errors raised by practice services; views turn them into messages or 4xx JSON."""

from core.errors import DomainError


class PracticeError(DomainError):
    code = "practice"
    status = 400


class AttemptStateError(PracticeError):
    code = "attempt_state"
    status = 409


class FairUseError(PracticeError):
    """Starting would break the fair-use rule (one awaiting a score per set, a monthly cap)."""

    code = "fair_use"
    status = 409


class TooLate(PracticeError):
    """The scenario's time is up (deadline plus grace): the last saved answer stands."""

    code = "too_late"
    status = 409


class StaleAnswer(PracticeError):
    """Another tab saved a newer version of this answer first."""

    code = "stale"
    status = 409


class RecordingRejected(PracticeError):
    code = "recording_rejected"
    status = 400


class ClaimError(PracticeError):
    code = "claim"
    status = 409
