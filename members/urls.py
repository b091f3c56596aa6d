"""The members' area under /members/: the library index, the school guide, the question bank."""

from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.library, name="library"),
    path("schools/", views.schools, name="schools"),
    path("schools/compare/", views.schools_compare, name="schools_compare"),
    path("schools/shortlist/", views.shortlist, name="shortlist"),
    path("schools/<slug:slug>/shortlist/", views.shortlist_add, name="shortlist_add"),
    path("schools/<slug:slug>/shortlist/notes/", views.shortlist_notes, name="shortlist_notes"),
    path("schools/<slug:slug>/shortlist/remove/", views.shortlist_remove, name="shortlist_remove"),
    path("questions/", views.questions, name="questions"),
    path("questions/random/", views.question_random, name="question_random"),
    path("questions/<int:pk>/favourite/", views.question_favourite, name="question_favourite"),
]
