"""Uploads are parsed for real, not judged by their first bytes: PDFs that run or launch
things, carry attachments, need a password or are not PDFs at all are refused with Spanish
copy; images are decoded within a pixel budget and stored re-encoded (no EXIF, no payload)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.template.loader import render_to_string
from PIL import Image

from documents.models import Document
from documents.services import DocumentRejected, check_upload, document_store_upload
from tests.documents import malicious
from tests.e2e.sample_files import pdf_bytes, png_bytes
from tests.support import texts


def refused(data: bytes) -> str:
    """The reason a customer's upload is refused (and that nothing was stored)."""
    with pytest.raises(DocumentRejected) as refusal:
        document_store_upload(data=data, filename="desprendible.pdf")
    assert not Document.objects.exists()
    return refusal.value.reason


# --- PDFs ---------------------------------------------------------------------------------------


def test_a_plain_pdf_is_stored_as_sent(db):
    data = pdf_bytes()
    document = document_store_upload(data=data, filename="desprendible octubre.pdf")
    assert document.mime_type == "application/pdf"
    assert document.file.read() == data


def test_a_pdf_with_links_to_the_web_is_fine(db):
    data = malicious.pdf_with_link(malicious.action("/URI", URI="https://www.proalto.com.co/"))
    assert document_store_upload(data=data, filename="extracto.pdf").size == len(data)


@pytest.mark.parametrize(
    "build",
    [
        malicious.pdf_with_document_javascript,
        lambda: malicious.pdf_with_open_action("/JavaScript"),
        lambda: malicious.pdf_with_open_action("/Launch"),
        malicious.pdf_with_page_additional_actions,
        lambda: malicious.pdf_with_link(malicious.action("/JavaScript", JS="app.alert(1)")),
        lambda: malicious.pdf_with_link(malicious.action("/Launch", F="calc.exe")),
        lambda: malicious.pdf_with_link(malicious.action("/URI", URI="javascript:app.alert(1)")),
        malicious.pdf_with_attachment,
    ],
    ids=[
        "names-javascript",
        "open-action-javascript",
        "open-action-launch",
        "page-additional-actions",
        "link-javascript",
        "link-launch",
        "link-javascript-uri",
        "embedded-file",
    ],
)
def test_a_pdf_that_runs_launches_or_carries_files_is_refused(db, build):
    assert refused(build()) == "unsafe"


def test_a_pdf_that_needs_a_password_is_refused(db):
    assert refused(malicious.pdf_encrypted()) == "encrypted"


def test_a_pdf_that_opens_without_a_password_is_read_and_checked(db):
    # Only editing restricted (an owner password), as many payroll slips come: readable by
    # anyone, so it is decrypted and checked like any other PDF.
    assert document_store_upload(data=malicious.pdf_encrypted(user_password=""), filename="d.pdf")
    Document.objects.all().delete()
    hidden_script = malicious.pdf_encrypted(
        user_password="", change=lambda writer: writer.add_js("app.alert('hola');")
    )
    assert refused(hidden_script) == "unsafe"


def test_html_pretending_to_be_a_pdf_is_refused(db):
    assert refused(malicious.pdf_html_polyglot()) == "unsafe"
    assert refused(malicious.pdf_valid_with_html_appended()) == "unsafe"


def test_what_pypdf_cannot_read_is_refused(db):
    assert refused(b"%PDF-1.4\n%%EOF\n") == "damaged"
    assert refused(b"%PDF-1.7\n" + b"\x00garbage" * 200) == "damaged"


def test_advisors_attachments_go_through_the_same_check(db):
    assert check_upload(data=pdf_bytes()) == "application/pdf"
    with pytest.raises(DocumentRejected):
        check_upload(data=malicious.pdf_with_document_javascript())


# --- Images -------------------------------------------------------------------------------------


def test_a_photo_is_stored_re_encoded_without_metadata_or_what_was_appended(db):
    sent = malicious.jpeg_with_gps_and_zip()
    assert zipfile.is_zipfile(io.BytesIO(sent))
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(malicious.GPS_IFD)

    document = document_store_upload(data=sent, filename="cedula.jpg")
    stored = document.file.read()
    assert document.mime_type == "image/jpeg" and document.size == len(stored) < len(sent)
    assert not zipfile.is_zipfile(io.BytesIO(stored)) and b"PK\x03\x04" not in stored
    image = Image.open(io.BytesIO(stored))
    assert dict(image.getexif()) == {} and not image.getexif().get_ifd(malicious.GPS_IFD)
    assert b"ProAltoPhone" not in stored
    assert image.size == (48, 64)  # turned as the phone showed it before the EXIF was dropped
    assert image.getpixel((24, 32))[0] > 150  # still the red photo


def test_an_image_with_400_megapixels_is_refused_before_it_is_decoded(db):
    bomb = malicious.png_bomb()
    assert len(bomb) < 200_000  # tiny on the wire
    assert refused(bomb) == "pixels"


def test_the_pixel_limit_is_ours_and_configurable(db, settings):
    # 50 megapixels: under what Pillow refuses on its own, over our default of 40.
    assert refused(malicious.png_bomb(10_000, 5_000)) == "pixels"
    settings.DOCUMENT_MAX_PIXELS = 40 * 30 - 1
    assert refused(png_bytes((40, 30))) == "pixels"
    settings.DOCUMENT_MAX_PIXELS = 40 * 30
    assert document_store_upload(data=png_bytes((40, 30)), filename="foto.png")


def test_a_truncated_image_is_refused(db):
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 120, 200)).save(out, format="JPEG")
    assert refused(out.getvalue()[:500]) == "damaged"


# --- What the customer reads --------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["type", "size", "pixels", "damaged", "encrypted", "unsafe"])
def test_each_refusal_has_its_spanish_copy(reason):
    text = render_to_string(f"bot/documents/rejected_{reason}.txt", {"max_mb": "10"}).strip()
    assert text and "?" in text  # says what to do instead


def test_refusals_are_explained_in_the_chat(gloria_sending_documents):
    gloria = gloria_sending_documents
    body = texts(gloria.sends_file(malicious.pdf_encrypted(), mime_type="application/pdf", filename="extracto.pdf"))
    assert "protegido con contraseña" in body
    body = texts(gloria.sends_file(malicious.pdf_with_document_javascript(), mime_type="application/pdf"))
    assert "Por seguridad no puedo recibir ese PDF" in body
    assert not Document.objects.exists()
    assert "(1 en total)" in texts(gloria.sends_file(pdf_bytes(), mime_type="application/pdf"))
