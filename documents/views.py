"""The public page where anyone holding a paz y salvo can check it is genuine (no login).

It shows only what verifying needs: the holder (name and cédula partly masked), the issue
date, the status and the issuer; the credits, pagadurías and amounts stay on the paper in
the verifier's hands. Lookups are rate-limited per client address (behind the proxy, the
address it reports: proalto.http.client_ip) so codes cannot be enumerated.
"""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from credits.identity import keyed_hash
from documents.models import PazYSalvo
from documents.pdf import normalize_code
from proalto import cache as counters
from proalto.colombia import format_date_long
from proalto.http import client_ip
from proalto.masking import mask_cedula

RATE_WINDOW_SECONDS = 3600


def mask_name(full_name: str) -> str:
    """ "Carlos A. M. O.": the first name, then initials."""
    first, *rest = (full_name or "").split() or [""]
    return " ".join([first] + [f"{part[0]}." for part in rest])


def _over_limit(request) -> bool:
    key = "verify:ip:" + keyed_hash(client_ip(request) or "", purpose="verify-ip")
    return counters.count(key, timeout=RATE_WINDOW_SECONDS) > settings.PAZ_Y_SALVO_VERIFY_PER_HOUR


@never_cache
@require_GET
def paz_y_salvo_verify(request, code: str):
    if _over_limit(request):
        response = render(request, "documents/verificar.html", {"limited": True}, status=429)
        response["Retry-After"] = str(RATE_WINDOW_SECONDS)
        return response
    normalized = normalize_code(code)
    certificate = (
        PazYSalvo.objects.select_related("customer").filter(verification_code=normalized).first()
        if normalized
        else None
    )
    if certificate is None:
        return render(request, "documents/verificar.html", {"code": code[:40]}, status=404)
    context = {
        "certificate": certificate,
        "holder_name": mask_name(certificate.customer.full_name),
        "holder_cedula": mask_cedula(certificate.customer.cedula),
        "issued_on": format_date_long(certificate.issued_at),
    }
    response = render(request, "documents/verificar.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
