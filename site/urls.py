import re

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from medpath import coach_calendar, coach_queue, coach_shortlist, dashboard, views
from medpath.accounts.views import admin_login
from medpath.api import api
from medpath.cms import routing

# Both admins log in through allauth (rate limits, verified email): see docs/security.md.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("django-admin/", admin.site.urls),
    path("admin/login/", admin_login, name="medpath_admin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("medpath.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("members/", include("members.urls")),
    path("practice/", include("practice.urls")),
    path(
        "coach/sessions/<str:public_id>/shortlist/",
        coach_shortlist.session_shortlist,
        name="coach_session_shortlist",
    ),
    path("", include("coaching.urls")),
    path("", include("medpath.cms.urls")),
    path("api/v1/", api.urls),
    # The coach's feed gathers booking's sessions and members' webinars (site/coach_calendar.py).
    path("coach/calendar/<str:token>.ics", coach_calendar.coach_feed, name="coach_feed"),
    path("coach/reviews/", coach_queue.queue, name="coach_queue"),
    path("coach/reviews/limit/", coach_queue.set_limit, name="coach_queue_limit"),
    path(
        "coach/reviews/<slug:kind>/<public_id:public_id>/claim/",
        coach_queue.claim,
        name="coach_queue_claim",
    ),
    path("", include("booking.urls", namespace="booking")),
    path("", include("reviews.urls")),
    path("webinars/", include("webinars.urls", namespace="webinars")),
    path("", include("payments.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
if settings.MEDIA_URL.startswith("/"):
    # Uploaded images from MEDIA_ROOT when no bucket serves them (404 unless DEBUG or
    # SERVE_MEDIA; README, "Deploying").
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$",
            views.public_media,
            name="public_media",
        )
    ]

# Wagtail's page tree serves everything not matched above, so it comes last: through
# medpath.cms.routing.serve (Wagtail's serve with the site and route remembered), matched
# before Wagtail's own pattern of the same shape and name; Wagtail's other URLs (password
# restrictions) follow.
urlpatterns += [
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]
