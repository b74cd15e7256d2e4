"""Staff download documents as attachments, never rendered inline in the back office's origin
(or S3's): on S3 the signed URL makes S3 answer with Content-Disposition: attachment and the
document's own type; locally the response is an attachment that browsers must not sniff."""

from __future__ import annotations

import hashlib
import io
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from documents.models import Document
from documents.services import document_store_upload
from escalations.management.commands.create_staff import staff_create
from tests.consent.test_admin_compliance import _verified_client
from tests.e2e.sample_files import pdf_bytes

NAME = "Cédula Ana Lucía.pdf"


@pytest.fixture
def supervisor(db):
    call_command("setup_roles", stdout=io.StringIO())
    device = staff_create(
        username=f"supervisor-{secrets.token_hex(3)}", role="Supervisor", password=f"Clave-{secrets.token_hex(8)}"
    )
    return _verified_client(device.user)


def download_url(document) -> str:
    return f"/admin/documents/document/{document.pk}/download/"


def test_on_s3_the_signed_url_asks_for_an_attachment_of_the_documents_type(supervisor, settings):
    # Signing a URL needs no server: a bucket that does not exist is enough to read the link.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "proalto-documents",
                "endpoint_url": "http://127.0.0.1:9",
                "region_name": "us-east-1",
                "access_key": "test-key",
                "secret_key": "test-secret",
                "querystring_auth": True,
                "querystring_expire": 300,
                "signature_version": "s3v4",
            },
        },
    }
    document = Document.objects.create(
        kind=Document.Kind.UPLOAD,
        file="documents/2026/11/abc.pdf",
        original_name=NAME,
        mime_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    response = supervisor.get(download_url(document))
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    disposition = query["response-content-disposition"][0]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''C%C3%A9dula%20Ana%20Luc%C3%ADa.pdf" in disposition
    assert query["response-content-type"] == ["application/pdf"]
    assert query["X-Amz-Signature"]  # the overrides are part of what is signed


def test_locally_the_file_is_an_attachment_browsers_do_not_sniff(supervisor, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    data = pdf_bytes()
    document = document_store_upload(data=data, filename=NAME)
    response = supervisor.get(download_url(document))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == document.sha256
