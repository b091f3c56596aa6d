"""Where the storages live: the "private" one in a local folder by default, S3-compatible object
storage when `PRIVATE_STORAGE_BUCKET` is set; the public "default" one (uploaded images) in
`MEDIA_ROOT`, or a public-read bucket when `MEDIA_STORAGE_BUCKET` is set. Read by `site/settings.py` (and by the tests that run
the S3 path against a local S3-compatible server), so both build the storage the same way.

No Django imports here: settings load this before Django is set up.
"""

from __future__ import annotations

from collections.abc import Mapping

# Signed URLs (if anything ever asks the storage for one) live this long; downloads normally
# stream through `core.files.protected_download` after the view's own check.
SIGNED_URL_SECONDS = 60


def _bucket_options(environ: Mapping[str, str], prefix: str) -> dict:
    """django-storages' S3 options read from `<prefix>_ENDPOINT_URL`, keys and region."""
    options = {}
    optional = {
        "endpoint_url": f"{prefix}_ENDPOINT_URL",
        "access_key": f"{prefix}_ACCESS_KEY_ID",
        "secret_key": f"{prefix}_SECRET_ACCESS_KEY",
        "region_name": f"{prefix}_REGION",
    }
    for option, variable in optional.items():
        value = environ.get(variable, "").strip()
        if value:
            options[option] = value
    if options.get("endpoint_url"):
        # S3-compatible services (MinIO, R2, moto) address buckets by path, not by subdomain.
        options["addressing_style"] = "path"
    return options


def public_storage_config(environ: Mapping[str, str]) -> dict:
    """The `STORAGES["default"]` entry: `MEDIA_ROOT` on disk, or a public-read bucket whose
    objects are linked directly (no signature), optionally through `MEDIA_STORAGE_CUSTOM_DOMAIN`
    (a CDN)."""
    bucket = environ.get("MEDIA_STORAGE_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "default_acl": "public-read",
        "querystring_auth": False,
        "file_overwrite": False,
        "location": environ.get("MEDIA_STORAGE_PREFIX", "media").strip("/"),
        "object_parameters": {"CacheControl": "public, max-age=86400"},
        **_bucket_options(environ, "MEDIA_STORAGE"),
    }
    custom_domain = environ.get("MEDIA_STORAGE_CUSTOM_DOMAIN", "").strip()
    if custom_domain:
        options["custom_domain"] = custom_domain
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def private_storage_config(environ: Mapping[str, str], *, local_root: str) -> dict:
    """The `STORAGES["private"]` entry for this environment."""
    bucket = environ.get("PRIVATE_STORAGE_BUCKET", "").strip()
    if not bucket:
        return {
            "BACKEND": "core.files.PrivateFileSystemStorage",
            "OPTIONS": {"location": local_root},
        }
    options = {
        "bucket_name": bucket,
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": SIGNED_URL_SECONDS,
        "file_overwrite": False,
        "location": environ.get("PRIVATE_STORAGE_PREFIX", "private").strip("/"),
        "object_parameters": {"CacheControl": "private, no-store"},
    }
    options.update(_bucket_options(environ, "PRIVATE_STORAGE"))
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
