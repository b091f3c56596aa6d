"""Review pages for applicants, their reviewers and staff (the reviewer queue is in site/)."""

from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("reviews/", views.review_list, name="list"),
    path("reviews/new/", views.review_new, name="new"),
    path("reviews/<public_id:public_id>/", views.review_detail, name="detail"),
    path("reviews/<public_id:public_id>/withdraw/", views.review_withdraw, name="withdraw"),
    path("reviews/<public_id:public_id>/close/", views.review_close, name="close"),
    path("reviews/<public_id:public_id>/revise/", views.review_revise, name="revise"),
    path("reviews/<public_id:public_id>/answer/", views.review_answer, name="answer"),
    path(
        "reviews/<public_id:public_id>/files/<public_id:file_id>/",
        views.file_download,
        name="file_download",
    ),
    path(
        "reviews/<public_id:public_id>/files/<public_id:file_id>/delete/",
        views.file_delete,
        name="file_delete",
    ),
]
