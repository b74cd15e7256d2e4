"""Documents on a real S3-compatible server (moto_server started by scripts/test-services):
private, encrypted at rest, under a key nobody can guess, reachable only by a short-lived
signed URL (Signature V4)."""

import hashlib
import io
import os
import secrets
import uuid
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from django.conf import settings
from django.core.management import call_command
from storages.backends.s3 import S3Storage

from documents.services import document_store_upload
from escalations.management.commands.create_staff import staff_create
from tests.consent.test_admin_compliance import _verified_client
from tests.e2e.sample_files import pdf_bytes

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not (os.environ.get("AWS_STORAGE_BUCKET_NAME") and os.environ.get("AWS_S3_ENDPOINT_URL")),
        reason="needs an S3-compatible server: AWS_STORAGE_BUCKET_NAME and AWS_S3_ENDPOINT_URL unset "
        "(make test-services starts moto)",
    ),
]

PDF = pdf_bytes(f"Soporte {uuid.uuid4().hex}")
PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


@pytest.fixture
def s3():
    options = settings.STORAGES["default"]["OPTIONS"]
    return boto3.client(
        "s3", endpoint_url=options["endpoint_url"], region_name=options.get("region_name") or "us-east-1"
    )


@pytest.fixture
def bucket():
    return settings.STORAGES["default"]["OPTIONS"]["bucket_name"]


def test_the_default_storage_is_s3():
    assert settings.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"


def test_an_upload_is_stored_private_encrypted_and_under_a_random_key(db, s3, bucket):
    document = document_store_upload(data=PDF, filename="Cédula Ana Lucía Gómez 1020304050.pdf")
    key = document.file.name

    assert key.startswith("documents/") and key.endswith(".pdf")
    assert "1020304050" not in key and "Ana" not in key and "dula" not in key
    assert len(key.rsplit("/", 1)[1].split(".")[0]) >= 32  # 24 random bytes, url-safe

    head = s3.head_object(Bucket=bucket, Key=key)
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentLength"] == len(PDF)

    grants = s3.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI") in PUBLIC_GROUPS]

    stored = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == document.sha256 == hashlib.sha256(PDF).hexdigest()


def test_two_uploads_of_the_same_file_never_share_a_key(db):
    first = document_store_upload(data=PDF, filename="soporte.pdf")
    second = document_store_upload(data=PDF, filename="soporte.pdf")
    assert first.file.name != second.file.name


def test_a_signed_url_downloads_the_file_and_is_short_lived(db):
    document = document_store_upload(data=PDF, filename="soporte.pdf")
    url = document.file.url
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and query["X-Amz-Signature"]
    assert query["X-Amz-Expires"] == [str(settings.DOCUMENT_URL_EXPIRY_SECONDS)]
    assert settings.DOCUMENT_URL_EXPIRY_SECONDS <= 15 * 60
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == document.sha256

    # The expiry is inside what is signed: a longer-lived URL has another signature, so the
    # expiry cannot be stretched by editing the link. (moto_server serves expired or forged
    # links anyway: it does not authenticate requests, so S3 itself enforces the refusal.)
    longer = S3Storage(**{**settings.STORAGES["default"]["OPTIONS"], "querystring_expire": 3600}).url(
        document.file.name
    )
    assert parse_qs(urlsplit(longer).query)["X-Amz-Signature"] != query["X-Amz-Signature"]


def test_staff_download_through_a_signed_url_that_makes_s3_send_an_attachment(db):
    document = document_store_upload(data=PDF, filename="Cédula Ana.pdf")
    call_command("setup_roles", stdout=io.StringIO())
    device = staff_create(username="supervisor-s3", role="Supervisor", password=f"Clave-{secrets.token_hex(8)}")
    response = _verified_client(device.user).get(f"/admin/documents/document/{document.pk}/download/")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["response-content-disposition"][0].startswith("attachment;")
    assert query["response-content-type"] == ["application/pdf"]
    # The overrides are signed with the rest: the link still downloads the file.
    download = requests.get(response["Location"], timeout=10)
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == document.sha256
