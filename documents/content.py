"""What a file really is: parsed for real (pypdf for PDFs, Pillow for images) before anything is
stored, so a file that only starts like a PDF or a JPEG, or carries something active, is refused.

The magic bytes (``filetype``) only say which parser to use. A PDF is kept as sent once pypdf
has read it and found no script, launch or attachment; an image is decoded in full within a
pixel budget and re-encoded, so only its pixels are kept (no EXIF/GPS, nothing appended).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import filetype
from django.conf import settings
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# What customers may send, by the file's content (magic bytes), never its name.
ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}

# Actions a viewer would run or follow out of the document: scripts, programs, other files,
# form posts. Links (/URI) and jumps inside the file (/GoTo) are fine.
UNSAFE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/GoToE",
    "/GoToR",
    "/RichMediaExecute",
    "/Rendition",
}
# Keys that carry scripts, automatic actions, attachments or active forms wherever they appear.
UNSAFE_KEYS = {"/JS", "/JavaScript", "/AA", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/XFA", "/RichMedia"}
UNSAFE_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"}
SAFE_URI_SCHEMES = ("http:", "https:", "mailto:", "tel:")
# Markup a browser could render as a page if the file were ever shown inline (%PDF + HTML polyglots).
MARKUP = (b"<html", b"<script", b"<!doctype html", b"<iframe", b"<body", b"<svg")
# Far more objects than any payslip or ID scan has: beyond this the file is refused, not walked.
MAX_PDF_OBJECTS = 200_000


class DocumentRejected(Exception):
    """A file we do not keep. ``reason`` names the copy the customer reads,
    templates/bot/documents/rejected_<reason>.txt."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(detail or reason)
        self.reason = reason  # type, size, pixels, damaged, encrypted, unsafe


@dataclass(frozen=True)
class CheckedFile:
    mime_type: str
    data: bytes  # what is stored: the PDF as sent, an image re-encoded from its pixels


def max_pixels() -> int:
    return settings.DOCUMENT_MAX_PIXELS


def file_check(*, data: bytes) -> CheckedFile:
    """The file as we store it, if it is an accepted, readable and inert PDF, JPEG or PNG;
    DocumentRejected otherwise."""
    if len(data) > settings.DOCUMENT_MAX_BYTES:
        raise DocumentRejected("size", f"{len(data)} bytes")
    if not data:
        raise DocumentRejected("type", "empty file")
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise DocumentRejected("type", kind.mime if kind else "unknown")
    if kind.mime == "application/pdf":
        pdf_check(data)
        return CheckedFile(kind.mime, data)
    return CheckedFile(kind.mime, image_reencode(data, IMAGE_FORMATS[kind.mime]))


# --- PDF ---------------------------------------------------------------------------------------


def pdf_check(data: bytes) -> None:
    """Refuse a PDF pypdf cannot read, one that needs a password, or one that carries scripts,
    launch actions, attachments or HTML."""
    lowered = data.lower()
    if any(tag in lowered for tag in MARKUP):
        raise DocumentRejected("unsafe", "HTML markup inside the PDF")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            # Encrypted with a password to open it: nobody here could read it, and its content
            # (scripts included) cannot be checked. One that opens without a password (only
            # editing is restricted, as in many payroll slips) is decrypted and checked like any other.
            raise DocumentRejected("encrypted", "PDF needs a password")
        if len(reader.pages) == 0:
            raise DocumentRejected("damaged", "PDF without pages")
        _pdf_walk(reader.trailer)
    except DocumentRejected:
        raise
    except Exception as exc:  # pypdf raises many kinds on malformed input (and RecursionError)
        raise DocumentRejected("damaged", f"pypdf: {type(exc).__name__}: {exc}"[:300]) from exc


def _pdf_walk(trailer: DictionaryObject) -> None:
    """Visit every object reachable from the trailer (what a viewer can reach) once."""
    seen: set[tuple[int, int]] = set()
    stack: list = [trailer]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            if len(seen) > MAX_PDF_OBJECTS:
                raise DocumentRejected("damaged", "too many PDF objects")
            node = node.get_object()
        if isinstance(node, DictionaryObject):  # streams too: their dictionary
            _pdf_dictionary_check(node)
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)


def _pdf_dictionary_check(node: DictionaryObject) -> None:
    unsafe = UNSAFE_KEYS.intersection(node.keys())
    if unsafe:
        raise DocumentRejected("unsafe", f"PDF with {sorted(unsafe)}")
    action = _entry(node, "/S")
    if action in UNSAFE_ACTIONS:
        raise DocumentRejected("unsafe", f"PDF action {action}")
    kind = _entry(node, "/Type")
    subtype = _entry(node, "/Subtype")
    if kind == "/EmbeddedFile" or subtype in UNSAFE_SUBTYPES:
        raise DocumentRejected("unsafe", f"PDF object {kind or subtype}")
    if action == "/URI":
        uri = str(_entry(node, "/URI") or "").strip().lower()
        if not uri.startswith(SAFE_URI_SCHEMES):
            raise DocumentRejected("unsafe", "PDF link with a non-web scheme")


def _entry(node: DictionaryObject, key: str):
    """A dictionary's value, followed if it is a reference (a name can hide behind one)."""
    value = node.get(key)
    return value.get_object() if isinstance(value, IndirectObject) else value


# --- Images ------------------------------------------------------------------------------------


def image_reencode(data: bytes, image_format: str) -> bytes:
    """Decode the whole image (refusing more than DOCUMENT_MAX_PIXELS before decoding) and
    encode its pixels again: metadata (EXIF with GPS, comments, text chunks) and whatever was
    appended after the image are not carried over."""
    limit = max_pixels()
    try:
        with Image.open(io.BytesIO(data), formats=[image_format]) as image:
            width, height = image.size
            if width * height > limit:
                raise DocumentRejected("pixels", f"{width}x{height} pixels")
            image.load()
            # The photo as the phone showed it: the EXIF rotation is applied, then EXIF dropped.
            upright = ImageOps.exif_transpose(image)
            return _encode(upright, image_format, icc_profile=image.info.get("icc_profile"))
    except DocumentRejected:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own guard, if ours is set higher
        raise DocumentRejected("pixels", str(exc)) from exc
    except Exception as exc:  # truncated or corrupt data, unsupported modes, decoder errors
        raise DocumentRejected("damaged", f"Pillow: {type(exc).__name__}: {exc}"[:300]) from exc


def _encode(image: Image.Image, image_format: str, *, icc_profile: bytes | None) -> bytes:
    options: dict = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        if image.mode not in ("L", "RGB", "CMYK"):
            image = image.convert("RGB")
        options.update(quality=90)
    elif "transparency" in image.info:
        options["transparency"] = image.info["transparency"]
    image.info = {}  # nothing from the original's metadata rides along by default
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue()
