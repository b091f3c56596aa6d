from django.urls import path

from coaching import views

app_name = "coaching"

urlpatterns = [
    path("packages/", views.package_list, name="package_list"),
    path("packages/<slug:slug>/", views.package_detail, name="package_detail"),
    path("coaches/", views.coach_list, name="coach_list"),
    path("coaches/<slug:slug>/", views.coach_detail, name="coach_detail"),
]
