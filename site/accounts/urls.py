from django.urls import path

from medpath.accounts import views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
]
