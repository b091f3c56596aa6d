"""Timed practice under /practice/ (the microphone is allowed only under this prefix)."""

from django.urls import path

from practice import views

app_name = "practice"

urlpatterns = [
    path("", views.index, name="index"),
    path("sets/<slug:slug>/check/", views.system_check, name="system_check"),
    path("sets/<slug:slug>/start/", views.start, name="start"),
    path("check/upload/", views.check_upload, name="check_upload"),
    path("attempts/<str:public_id>/", views.attempt_page, name="attempt"),
    path("attempts/<str:public_id>/save/", views.save_answer, name="save_answer"),
    path("attempts/<str:public_id>/continue/", views.continue_after_break, name="continue"),
    path("attempts/<str:public_id>/self-rating/", views.self_rate, name="self_rate"),
    path(
        "attempts/<str:public_id>/scenarios/<int:position>/recording/",
        views.recording,
        name="recording",
    ),
    path(
        "attempts/<str:public_id>/scenarios/<int:position>/recording/<int:index>/",
        views.recording,
        name="recording",
    ),
    path(
        "attempts/<str:public_id>/scenarios/<int:position>/recording/<int:index>/"
        "takes/<str:take>/parts/<int:number>/",
        views.recording_part,
        name="recording_part",
    ),
    path(
        "attempts/<str:public_id>/scenarios/<int:position>/recording/<int:index>/"
        "takes/<str:take>/complete/",
        views.recording_complete,
        name="recording_complete",
    ),
    path("attempts/<str:public_id>/scenarios/<int:position>/video/", views.video, name="video"),
    path("coach/", views.coach_queue, name="coach_queue"),
    path("coach/attempts/<str:public_id>/", views.coach_attempt, name="coach_attempt"),
    path("coach/attempts/<str:public_id>/release/", views.coach_release, name="coach_release"),
]
