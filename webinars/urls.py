"""Webinar pages, included at /webinars/ with the namespace "webinars"."""

from django.urls import path, register_converter

from webinars import views as views


class PublicIdConverter:
    """Opaque public ids (`core.ids.new_public_id`): anything else is a 404 before any query."""

    regex = r"[A-Za-z0-9_-]{1,40}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PublicIdConverter, "webinar_id")

app_name = "webinars"

urlpatterns = [
    path("", views.webinar_list, name="index"),
    path("host/", views.host_list, name="host_list"),
    path("host/<webinar_id:public_id>/", views.host_detail, name="host_detail"),
    path("host/<webinar_id:public_id>/attendance/", views.host_attendance, name="host_attendance"),
    path("host/<webinar_id:public_id>/recording/", views.host_recording, name="host_recording"),
    path("<webinar_id:public_id>/", views.webinar_detail, name="detail"),
    path("<webinar_id:public_id>/register/", views.webinar_register, name="register"),
    path("<webinar_id:public_id>/cancel/", views.webinar_cancel_registration, name="cancel"),
    path("<webinar_id:public_id>/recording/", views.webinar_recording, name="recording"),
]
