"""Test settings: fast hashing, in-memory email, tasks run synchronously in-process."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "medpath-test-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# The suite exercises the offline checkout; tests that need "real" Stripe point it at a fake.
os.environ.setdefault("ALLOW_OFFLINE_CHECKOUT", "1")

from medpath.settings import *  # noqa: E402,F403
from medpath.settings import Q_CLUSTER  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    # On disk (a fresh temporary folder), as Wagtail's document view serves from a real path.
    "private": {
        "BACKEND": "core.files.PrivateFileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="medpath-private-")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests render pages afresh; tests/site/test_page_cache.py turns the whole-page cache on.
PAGE_CACHE_SECONDS = 0
CONTENT_CACHE_SECONDS = 0
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SITE_URL
MEETING_BASE_URL = "https://video.medpath.test/"
# Browser journeys run scenarios of a few seconds.
PRACTICE_MIN_SECONDS = 3
