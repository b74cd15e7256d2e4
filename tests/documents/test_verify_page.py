"""The public paz y salvo verification page: genuine, unknown (404) and rate-limited."""

import pytest
from django.core.files.base import ContentFile

from credits.models import Customer
from documents.models import Document, PazYSalvo


@pytest.fixture
def certificate(db):
    customer = Customer.objects.create(
        cedula="79456123", full_name="Carlos Alberto Martínez Ospina", phone="573009876543"
    )
    document = Document(
        kind="paz_y_salvo", mime_type="application/pdf", size=4, sha256="x" * 64, original_name="p.pdf"
    )
    document.file.save("p.pdf", ContentFile(b"%PDF"), save=False)
    document.save()
    return PazYSalvo.objects.create(
        customer=customer,
        document=document,
        fingerprint="f" * 64,
        credits=[
            {"number": "LIB-000087", "pagaduria": "FOPEP", "disbursed_amount": "9000000.00", "installments_total": 48}
        ],
    )


def test_genuine_certificate(client, certificate):
    response = client.get(f"/verificar/{certificate.verification_code}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Certificado auténtico" in body
    assert "Carlos A. M. O." in body and "•••••123" in body
    assert "Válido" in body and "Emitido por" in body and "ProAlto" in body
    assert "79456123" not in body and "Ospina" not in body
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_the_page_shows_only_what_verifying_needs(client, certificate):
    # The credits, the pagaduría and the amounts are on the paper; the public page keeps them.
    body = client.get(f"/verificar/{certificate.verification_code}/").content.decode()
    assert "LIB-000087" not in body and "FOPEP" not in body
    assert "9.000.000" not in body and "$" not in body


def test_code_typed_without_dashes_or_in_lowercase(client, certificate):
    raw = certificate.verification_code.replace("-", "").lower()
    assert client.get(f"/verificar/{raw}/").status_code == 200


def test_unknown_code_is_a_spanish_404(client, certificate):
    response = client.get("/verificar/AAAA-BBBB-CCCC/")
    assert response.status_code == 404
    assert "No encontramos ese certificado" in response.content.decode()
    assert client.get("/verificar/no-es-un-codigo/").status_code == 404


def test_lookups_are_rate_limited_per_address(client, certificate, settings):
    settings.PAZ_Y_SALVO_VERIFY_PER_HOUR = 3
    for _ in range(3):
        assert client.get("/verificar/AAAA-BBBB-CCCC/").status_code == 404
    response = client.get(f"/verificar/{certificate.verification_code}/")
    assert response.status_code == 429
    assert "Demasiadas consultas" in response.content.decode()
    other = client.get(f"/verificar/{certificate.verification_code}/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_behind_the_proxy_lookups_are_limited_per_client_not_per_proxy(client, certificate, settings):
    settings.STAFF_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.PAZ_Y_SALVO_VERIFY_PER_HOUR = 2
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(2):
        client.get("/verificar/AAAA-BBBB-CCCC/", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    # What the client wrote itself comes before the address the proxy appends: it changes nothing.
    spoofed = client.get(
        f"/verificar/{certificate.verification_code}/", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5", **proxy
    )
    assert spoofed.status_code == 429
    # Another customer behind the same proxy is not limited by the first one's lookups.
    other = client.get(f"/verificar/{certificate.verification_code}/", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert other.status_code == 200
