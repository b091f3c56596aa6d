from django.urls import path

from medpath.accounts import views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    path("profile/time-zone/", views.switch_time_zone, name="account_switch_time_zone"),
]
