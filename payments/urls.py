from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("checkout/package/<slug:slug>/", views.checkout_package, name="checkout_package"),
    path("checkout/session/", views.checkout_session, name="checkout_session"),
    path("checkout/review/<slug:slug>/", views.checkout_review, name="checkout_review"),
    path("checkout/success/", views.checkout_success, name="checkout_success"),
    path("checkout/cancel/<str:public_id>/", views.checkout_cancel, name="checkout_cancel"),
    path("checkout/offline/<str:session_id>/", views.offline_checkout, name="offline_checkout"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    path("dashboard/orders/", views.order_list, name="order_list"),
    path("dashboard/orders/<str:public_id>/", views.order_detail, name="order_detail"),
]
