"""Where the "private" storage lives: a local folder by default, S3-compatible object storage
when `PRIVATE_STORAGE_BUCKET` is set. Read by `site/settings.py` (and by the tests that run
the S3 path against a local S3-compatible server), so both build the storage the same way.

No Django imports here: settings load this before Django is set up.
"""

from __future__ import annotations

from collections.abc import Mapping

# Signed URLs (if anything ever asks the storage for one) live this long; downloads normally
# stream through `core.files.protected_download` after the view's own check.
SIGNED_URL_SECONDS = 60


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
    optional = {
        "endpoint_url": "PRIVATE_STORAGE_ENDPOINT_URL",
        "access_key": "PRIVATE_STORAGE_ACCESS_KEY_ID",
        "secret_key": "PRIVATE_STORAGE_SECRET_ACCESS_KEY",
        "region_name": "PRIVATE_STORAGE_REGION",
    }
    for option, variable in optional.items():
        value = environ.get(variable, "").strip()
        if value:
            options[option] = value
    if options.get("endpoint_url"):
        # S3-compatible services (MinIO, R2, moto) address buckets by path, not by subdomain.
        options["addressing_style"] = "path"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
