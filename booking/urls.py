"""Pages: the slot picker, booking pages and the coach area."""

from django.urls import path

from booking import views

app_name = "booking"

urlpatterns = [
    path("book/", views.book, name="book"),
    path("book/continue/", views.book_continue, name="continue"),
    path("book/bookings/<str:public_id>/", views.booking_detail, name="detail"),
    path("book/bookings/<str:public_id>/cancel/", views.booking_cancel, name="cancel"),
    path("book/bookings/<str:public_id>/calendar.ics", views.booking_calendar, name="calendar"),
    path("coach/", views.coach_dashboard, name="coach_dashboard"),
    path("coach/availability/", views.coach_availability, name="coach_availability"),
    path("coach/sessions/<str:public_id>/outcome/", views.coach_mark, name="coach_mark"),
    path("coach/calendar/reset/", views.coach_feed_reset, name="coach_feed_reset"),
]
