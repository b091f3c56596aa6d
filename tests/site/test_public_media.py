"""Uploaded public images have a home in production: MEDIA_ROOT served by Django with
`SERVE_MEDIA` (the one-machine `make prod`), or a public-read bucket when one is configured."""

import io

import pytest
from django.core.files.images import ImageFile
from django.core.files.storage import storages
from PIL import Image as PILImage
from wagtail.images import get_image_model

from core.storage_config import public_storage_config
from tests.conftest import S3_KEYS as KEYS
from tests.conftest import S3_PUBLIC_BUCKET as PUBLIC_BUCKET

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploaded(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "images").mkdir(parents=True)
    (tmp_path / "media" / "images" / "portrait.png").write_bytes(png_bytes())
    (tmp_path / "secret.txt").write_text("outside MEDIA_ROOT")
    settings.DEBUG = False
    return "/media/images/portrait.png"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def test_with_serve_media_an_uploaded_image_answers_200_without_debug(client, settings, uploaded):
    settings.SERVE_MEDIA = True

    response = client.get(uploaded)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == png_bytes()


def test_without_serve_media_uploaded_images_answer_404(client, settings, uploaded):
    settings.SERVE_MEDIA = False

    assert client.get(uploaded).status_code == 404


@pytest.mark.parametrize(
    "path", ["/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/images/../../secret.txt"]
)
def test_paths_that_leave_media_root_are_refused(client, settings, uploaded, path):
    settings.SERVE_MEDIA = True

    response = client.get(path)

    assert response.status_code in (400, 404)
    assert b"outside MEDIA_ROOT" not in b"".join(getattr(response, "streaming_content", [b""]))


def test_folders_are_not_listed(client, settings, uploaded):
    settings.SERVE_MEDIA = True

    assert client.get("/media/images/").status_code == 404


def test_without_a_bucket_public_media_live_in_media_root():
    assert public_storage_config({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_with_a_bucket_a_wagtail_images_url_is_the_buckets(s3_endpoint, monkeypatch):
    config = public_storage_config(
        {
            "MEDIA_STORAGE_BUCKET": PUBLIC_BUCKET,
            "MEDIA_STORAGE_ENDPOINT_URL": s3_endpoint,
            "MEDIA_STORAGE_ACCESS_KEY_ID": KEYS["access"],
            "MEDIA_STORAGE_SECRET_ACCESS_KEY": KEYS["secret"],
            "MEDIA_STORAGE_REGION": "ca-central-1",
        }
    )
    storage = storages.create_storage(config)
    Image = get_image_model()
    monkeypatch.setattr(Image._meta.get_field("file"), "storage", storage)
    rendition_model = Image.get_rendition_model()
    monkeypatch.setattr(rendition_model._meta.get_field("file"), "storage", storage)

    image = Image.objects.create(
        title="Portrait", file=ImageFile(io.BytesIO(png_bytes()), name="portrait.png")
    )
    rendition = image.get_rendition("fill-2x2")

    bucket_url = f"{s3_endpoint}/{PUBLIC_BUCKET}/media/"
    assert image.file.url.startswith(bucket_url)
    assert rendition.url.startswith(bucket_url)
    assert "Signature" not in rendition.url and "X-Amz" not in rendition.url
    key = f"media/{rendition.file.name}"
    acl = storage.connection.meta.client.get_object_acl(Bucket=PUBLIC_BUCKET, Key=key)
    assert any(g["Grantee"].get("URI", "").endswith("AllUsers") for g in acl["Grants"])
