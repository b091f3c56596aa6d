"""The private storage on S3-compatible object storage, for real: moto's S3 server runs on
127.0.0.1 in this process (a real socket, real HTTP, boto3 unpatched), the storage is built by
the same `core.storage_config` the settings use, and a review's file is uploaded, read back,
streamed by the protected download, and deleted."""

import boto3
import pytest
from botocore.exceptions import ClientError
from django.core.files.storage import storages

from core.storage_config import SIGNED_URL_SECONDS, private_storage_config
from core.uploads import PDF, CheckedFile
from reviews import services
from reviews.models import ReviewFile
from tests.conftest import S3_KEYS as KEYS
from tests.conftest import S3_PRIVATE_BUCKET as BUCKET
from tests.reviews.factories import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def environment(s3_endpoint):
    return {
        "PRIVATE_STORAGE_BUCKET": BUCKET,
        "PRIVATE_STORAGE_ENDPOINT_URL": s3_endpoint,
        "PRIVATE_STORAGE_ACCESS_KEY_ID": KEYS["access"],
        "PRIVATE_STORAGE_SECRET_ACCESS_KEY": KEYS["secret"],
        "PRIVATE_STORAGE_REGION": "ca-central-1",
    }


@pytest.fixture
def s3(environment, monkeypatch):
    """The review files' storage swapped for S3 for one test (the field captured the storage
    when the model was defined, as production does from its environment)."""
    storage = storages.create_storage(private_storage_config(environment, local_root="/unused"))
    monkeypatch.setattr(ReviewFile._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def client_s3(s3_endpoint):
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=KEYS["access"],
        aws_secret_access_key=KEYS["secret"],
        region_name="ca-central-1",
    )


def test_without_a_bucket_the_private_storage_is_a_local_folder():
    config = private_storage_config({}, local_root="/srv/private")
    assert config == {
        "BACKEND": "core.files.PrivateFileSystemStorage",
        "OPTIONS": {"location": "/srv/private"},
    }


def test_with_a_bucket_it_is_private_s3_with_short_signed_urls(environment):
    config = private_storage_config(environment, local_root="/unused")
    options = config["OPTIONS"]
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == SIGNED_URL_SECONDS
    assert options["file_overwrite"] is False
    assert options["endpoint_url"] == environment["PRIVATE_STORAGE_ENDPOINT_URL"]


def test_a_review_file_goes_to_s3_streams_back_through_the_protected_download_and_is_deleted(
    client, s3, client_s3, applicant, credit, review_service, django_capture_on_commit_callbacks
):
    content = pdf_bytes("On S3")
    review = services.review_submit(
        applicant=applicant,
        service=review_service,
        brief="",
        text="",
        files=[CheckedFile(name="letter.pdf", content=content, kind=PDF)],
    )
    file = review.files.get()
    key = f"private/{file.file.name}"

    # uploaded: the object is there, private, and reads back byte for byte
    head = client_s3.head_object(Bucket=BUCKET, Key=key)
    assert head["ContentLength"] == len(content)
    grants = client_s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("AllUsers")]
    assert client_s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == content
    assert f"X-Amz-Expires={SIGNED_URL_SECONDS}" in s3.url(file.file.name)

    # the owner downloads it through the view (streamed from S3), and a byte range works
    client.force_login(applicant)
    url = f"/reviews/{review.public_id}/files/{file.public_id}/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    partial = client.get(url, HTTP_RANGE="bytes=0-4")
    assert partial.status_code == 206
    assert b"".join(partial.streaming_content) == b"%PDF-"

    # deleted by the applicant: gone from the bucket, the record stays
    with django_capture_on_commit_callbacks(execute=True):
        services.review_file_delete(file=file, actor=applicant)
    with pytest.raises(ClientError):
        client_s3.head_object(Bucket=BUCKET, Key=key)
    file.refresh_from_db()
    assert file.is_deleted and file.original_name == "letter.pdf"
    assert client.get(url).status_code == 404
