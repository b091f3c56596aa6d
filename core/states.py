"""One guard for every status machine in the project (bookings, orders, ...).

A model lists its allowed moves in `TRANSITIONS` (status → statuses it may become) and names
the domain error to raise; repeating a move that already happened is a no-op, because Stripe
events and double clicks repeat.
"""

from core.errors import DomainError


class TransitionGuardMixin:
    TRANSITIONS: dict[str, set[str]]
    state_error: type[DomainError] = DomainError
    state_noun: str = "item"

    def check_transition(self, to: str) -> bool:
        """True if the move must happen, False if it already happened; raises if not allowed."""
        if self.status == to:
            return False
        if to not in self.TRANSITIONS[self.status]:
            labels = dict(self._meta.get_field("status").flatchoices)
            raise self.state_error(
                f"This {self.state_noun} is {labels[self.status].lower()} and cannot become "
                f"{labels[to].lower()}."
            )
        return True
