"""The one transition guard shared by bookings and orders."""

import pytest

from booking.errors import BookingStateError
from booking.models import Booking, BookingStatus
from payments.errors import OrderStateError
from payments.models import Order, OrderStatus


def test_repeating_a_move_that_already_happened_is_a_no_op():
    assert (
        Booking(status=BookingStatus.CONFIRMED).check_transition(BookingStatus.CONFIRMED) is False
    )
    assert Order(status=OrderStatus.PAID).check_transition(OrderStatus.PAID) is False


def test_an_allowed_move_must_happen():
    assert Booking(status=BookingStatus.HELD).check_transition(BookingStatus.CONFIRMED) is True
    assert Order(status=OrderStatus.PENDING).check_transition(OrderStatus.PAID) is True


def test_a_forbidden_move_raises_each_models_own_error_in_words():
    with pytest.raises(BookingStateError) as booking_error:
        Booking(status=BookingStatus.CANCELLED).check_transition(BookingStatus.CONFIRMED)
    assert str(booking_error.value) == "This booking is cancelled and cannot become confirmed."
    assert booking_error.value.code == "booking_state"
    with pytest.raises(OrderStateError) as order_error:
        Order(status=OrderStatus.REFUNDED).check_transition(OrderStatus.PAID)
    assert str(order_error.value) == "This order is refunded and cannot become paid."
