"""Hostile files, built in memory (never fetched): PDFs that run things or hide things, polyglots,
images with a payload appended, their owner's location in EXIF, or more pixels than memory."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

from tests.e2e.sample_files import pdf_bytes

GPS_IFD = 0x8825  # where a phone writes the place a photo was taken
ORIENTATION = 0x0112


def name(value: str) -> NameObject:
    return NameObject(value)


def action(kind: str, **entries) -> DictionaryObject:
    return DictionaryObject(
        {name("/S"): name(kind), **{name(f"/{key}"): TextStringObject(value) for key, value in entries.items()}}
    )


def pdf_made(change=None) -> bytes:
    """A one-page PDF written by pypdf, after ``change(writer)``."""
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    if change is not None:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_document_javascript() -> bytes:
    """/Names /JavaScript: runs when the document opens."""
    return pdf_made(lambda writer: writer.add_js("app.alert('hola');"))


def pdf_with_open_action(kind: str = "/JavaScript") -> bytes:
    entries = {"JS": "app.launchURL('https://evil.example/');"} if kind == "/JavaScript" else {"F": "cmd.exe"}

    def change(writer):
        writer._root_object[name("/OpenAction")] = action(kind, **entries)

    return pdf_made(change)


def pdf_with_page_additional_actions() -> bytes:
    """/AA on a page: an action when the page opens, here a harmless jump (refused all the same)."""

    def change(writer):
        writer.pages[0][name("/AA")] = DictionaryObject({name("/O"): action("/GoTo", D="start")})

    return pdf_made(change)


def pdf_with_link(link_action: DictionaryObject) -> bytes:
    def change(writer):
        annotation = DictionaryObject(
            {
                name("/Type"): name("/Annot"),
                name("/Subtype"): name("/Link"),
                name("/Rect"): ArrayObject([FloatObject(72), FloatObject(72), FloatObject(200), FloatObject(90)]),
                name("/A"): link_action,
            }
        )
        writer.add_annotation(0, annotation)

    return pdf_made(change)


def pdf_with_attachment() -> bytes:
    return pdf_made(lambda writer: writer.add_attachment("factura.exe", b"MZ\x90\x00 a program"))


def pdf_encrypted(*, user_password: str = "1020304050", change=None) -> bytes:
    def encrypt(writer):
        if change is not None:
            change(writer)
        writer.encrypt(user_password=user_password, owner_password="propietario", algorithm="AES-256")

    return pdf_made(encrypt)


def pdf_html_polyglot() -> bytes:
    """Starts like a PDF (magic bytes say PDF), is a web page: no PDF structure at all."""
    return b"%PDF-1.4\n<html><body><script>fetch('/admin/').then(r => r.text())</script></body></html>\n%%EOF\n"


def pdf_valid_with_html_appended() -> bytes:
    """A real PDF that is also a web page after its end."""
    return pdf_bytes() + b"\n<!DOCTYPE html><html><script>alert(document.domain)</script></html>\n"


def jpeg_with_gps_and_zip() -> bytes:
    """A phone photo (rotated by EXIF, with GPS) with a ZIP archive appended after the image."""
    image = Image.new("RGB", (64, 48), (180, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "ProAltoPhone"
    exif[ORIENTATION] = 6  # shown rotated 90°: 48 wide, 64 high
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (4.0, 36.0, 38.0), 3: "W", 4: (74.0, 4.0, 51.0)})  # Bogotá
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("index.html", "<script>alert(document.domain)</script>")
    return out.getvalue() + archive.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid black-and-white PNG of width × height pixels (20 000² = 400 megapixels) that
    compresses to a few tens of kilobytes: decoded, it would take gigabytes once converted."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + 1 bit per pixel
    compressor = zlib.compressobj(9)
    rows_per_chunk = 500
    parts = [compressor.compress(row * rows_per_chunk) for _ in range(height // rows_per_chunk)]
    parts.append(compressor.compress(row * (height % rows_per_chunk)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", b"".join(parts))
        + _png_chunk(b"IEND", b"")
    )
