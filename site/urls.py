from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from medpath import coach_queue, dashboard, views
from medpath.api import api

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("medpath.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("", include("coaching.urls")),
    path("", include("medpath.cms.urls")),
    path("api/v1/", api.urls),
    path("coach/reviews/", coach_queue.queue, name="coach_queue"),
    path("coach/reviews/limit/", coach_queue.set_limit, name="coach_queue_limit"),
    path("coach/reviews/<public_id:public_id>/claim/", coach_queue.claim, name="coach_queue_claim"),
    path("", include("booking.urls", namespace="booking")),
    path("", include("reviews.urls")),
    path("", include("payments.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page tree serves everything not matched above, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
