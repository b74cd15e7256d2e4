"""PDFs ProAlto issues, rendered from HTML templates with xhtml2pdf, and the paz y salvo
certificate service that uses them."""

from __future__ import annotations

import hashlib
import io
import json
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError
from django.template.loader import render_to_string
from django.utils import timezone
from xhtml2pdf import pisa

from credits.selectors import customer_credits, portfolio_live
from documents.models import Document, PazYSalvo, verification_code_new
from documents.services import atomic_with_files, document_store_generated
from proalto.colombia import BOGOTA, format_cop, format_date_long


class PdfRenderError(RuntimeError):
    pass


def render_pdf(html: str) -> bytes:
    """An HTML document (xhtml2pdf's CSS subset) as PDF bytes."""
    out = io.BytesIO()
    status = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if status.err:
        raise PdfRenderError(f"xhtml2pdf reported {status.err} error(s)")
    return out.getvalue()


def format_cedula(cedula: str) -> str:
    """ "1.020.304.050", as a cédula is printed in Colombia."""
    return f"{int(cedula):,}".replace(",", ".") if cedula.isdigit() else cedula


def verification_url(code: str) -> str:
    return f"{settings.SITE_URL}/verificar/{code}/"


def normalize_code(text: str) -> str | None:
    """A verification code as typed ("abcd efgh jk23", without dashes) in its stored form."""
    raw = re.sub(r"[^A-Z2-7]", "", (text or "").upper())
    if len(raw) != 12:
        return None
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def cancelled_credits_snapshot(credits) -> list[dict]:
    return [
        {
            "number": credit.number,
            "pagaduria": credit.pagaduria,
            "disbursed_amount": str(credit.disbursed_amount),
            "installments_total": credit.installments_total,
        }
        for credit in sorted(credits, key=lambda c: c.number)
    ]


def credits_fingerprint(snapshot: list[dict]) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()


def paz_y_salvo_render(*, customer, snapshot: list[dict], code: str, issued_at) -> bytes:
    html = render_to_string(
        "documents/paz_y_salvo.html",
        {
            "full_name": customer.full_name,
            "cedula": format_cedula(customer.cedula),
            "credits": [{**item, "disbursed": format_cop(item["disbursed_amount"])} for item in snapshot],
            "issued_on": format_date_long(issued_at),
            "code": code,
            "url": verification_url(code),
        },
    )
    return render_pdf(html)


def paz_y_salvo_issue(*, customer, contact=None, now=None) -> PazYSalvo:
    """The certificate for the customer's cancelled credits: the one already issued for this
    same set of credits, or a new one (rendered, stored privately, recorded).

    A certificate whose PDF was erased (supresión) is rendered again as issued: same code,
    same date. The caller checks that every credit is cancelled; this raises ValueError otherwise.
    """
    credits = customer_credits(customer=customer)
    if not credits or any(credit.balance > 0 for credit in credits):
        raise ValueError("the customer has no credits or some are not cancelled")
    # A legal certificate: from the core read live, or from a local copy young enough.
    if credits.as_of is None and not portfolio_live():
        raise ValueError("the local copy was never loaded: no certificate from it")
    if credits.as_of is not None and timezone.now() - credits.as_of > timedelta(
        hours=settings.PAZ_Y_SALVO_MAX_AGE_HOURS
    ):
        raise ValueError("the local copy is older than PAZ_Y_SALVO_MAX_AGE_HOURS: no certificate from it")
    snapshot = cancelled_credits_snapshot(credits)
    fingerprint = credits_fingerprint(snapshot)
    existing = PazYSalvo.objects.filter(customer=customer, fingerprint=fingerprint).select_related("document").first()
    if existing is not None:
        if existing.document_id is None:
            return _paz_y_salvo_render_again(existing, contact=contact)
        return existing
    now = now or timezone.now()
    code = verification_code_new()
    data = paz_y_salvo_render(customer=customer, snapshot=snapshot, code=code, issued_at=now)
    try:
        # A rollback (the race below) also deletes the PDF stored in the block.
        with atomic_with_files():
            document = _paz_y_salvo_store(data, customer=customer, contact=contact, issued_at=now)
            return PazYSalvo.objects.create(
                customer=customer,
                document=document,
                verification_code=code,
                issued_at=now,
                credits=snapshot,
                fingerprint=fingerprint,
            )
    except IntegrityError:
        # Issued meanwhile from another chat of the same customer: that one stands.
        return PazYSalvo.objects.get(customer=customer, fingerprint=fingerprint)


def _paz_y_salvo_render_again(certificate: PazYSalvo, *, contact) -> PazYSalvo:
    data = paz_y_salvo_render(
        customer=certificate.customer,
        snapshot=certificate.credits,
        code=certificate.verification_code,
        issued_at=certificate.issued_at,
    )
    with atomic_with_files():
        locked = PazYSalvo.objects.select_for_update().get(pk=certificate.pk)
        if locked.document_id is None:  # not rendered again meanwhile by another chat
            locked.document = _paz_y_salvo_store(
                data, customer=locked.customer, contact=contact, issued_at=locked.issued_at
            )
            locked.save(update_fields=["document"])
    return locked


def _paz_y_salvo_store(data: bytes, *, customer, contact, issued_at):
    return document_store_generated(
        data=data,
        kind=Document.Kind.PAZ_Y_SALVO,
        mime_type="application/pdf",
        # The day on the paper (format_date_long reads it in Colombia), not UTC's.
        filename=f"paz-y-salvo-proalto-{issued_at.astimezone(BOGOTA):%Y%m%d}.pdf",
        contact=contact,
        customer=customer,
    )
