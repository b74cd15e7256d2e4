"""The sandbox chat: a person plays a WhatsApp user in the browser, without Meta.

The page reads what the bot sent from the Cloud API stand-in's control API and posts
what the person does here. These views build the webhook body Meta would send, sign it
with the app secret and POST it over HTTP to the real webhook, so everything after that
is the production path. Only mounted when ``settings.SANDBOX_ENABLED``.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import requests
from django.conf import settings
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from conversations.messaging.webhook import sign
from credits.models import Application, Credit

logger = logging.getLogger(__name__)

DEMO_PORTFOLIO = Path(__file__).resolve().parents[2] / "credits" / "fixtures" / "demo_portfolio.jsonl"
DEFAULT_WA_ID = "573001234567"
# Where proalto/wsgi.py mounts the Cloud API stand-in; the page reads the bot's messages there.
STANDIN_PREFIX = "/sandbox/graph"
WA_ID_RE = re.compile(r"\d{8,15}")
MIME_RE = re.compile(r"[\w.+-]+/[\w.+-]+")
# Files a little over the bot's own limit get through, so its size check can be tried.
UPLOAD_MARGIN_BYTES = 1024 * 1024
MAX_NAME = 60
MAX_TEXT = 4096
MAX_STATUS_IDS = 50
HTTP_TIMEOUT_SECONDS = 60


class SandboxError(Exception):
    """A problem the page shows the person; ``code`` picks the Spanish message in the template."""

    def __init__(self, code: str, *, status: int = 400, **params):
        super().__init__(code)
        self.code = code
        self.status = status
        self.params = params


# --- Meta-shaped webhook bodies ------------------------------------------------------------


def _envelope(value: dict) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "sandbox-waba",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550000000",
                                "phone_number_id": settings.WHATSAPP_PHONE_NUMBER_ID,
                            },
                            **value,
                        },
                    }
                ],
            }
        ],
    }


def sandbox_bsuid(wa_id: str) -> str:
    """The sandbox user's business-scoped user ID. Meta's are opaque; here it is derived from
    the number so the page can find the replies addressed to it (chat.js does the same)."""
    return f"CO.9{wa_id}"


def message_payload(*, wa_id: str, name: str, kind: str, content: dict, phone_visible: bool = True) -> dict:
    """A webhook body with one message from ``wa_id``; ``content`` is the ``kind`` object. As
    Meta sends it since 2026: the BSUID always, the phone only when ``phone_visible`` (a user
    with a username writes without it)."""
    bsuid = sandbox_bsuid(wa_id)
    message = {
        **({"from": wa_id} if phone_visible else {}),
        "from_user_id": bsuid,
        "id": f"wamid.sandbox.{secrets.token_hex(16)}",
        "timestamp": str(int(time.time())),
        "type": kind,
        kind: content,
    }
    profile = {"name": name, **({} if phone_visible else {"username": f"cliente.{wa_id[-4:]}"})}
    contact = {"profile": profile, "user_id": bsuid, **({"wa_id": wa_id} if phone_visible else {})}
    return _envelope({"contacts": [contact], "messages": [message]})


def statuses_payload(*, wa_id: str, wa_message_ids: list[str], statuses: list[str]) -> dict:
    """A webhook body telling that the user's phone received (and showed) the bot's messages."""
    now = str(int(time.time()))
    items = [
        {"id": message_id, "status": status, "timestamp": now, "recipient_id": wa_id}
        for status in statuses
        for message_id in wa_message_ids
    ]
    return _envelope({"statuses": items})


def webhook_post(payload: dict) -> None:
    """Sign and POST a body to the real webhook, as Meta does."""
    body = json.dumps(payload).encode()
    try:
        response = requests.post(
            f"{settings.SITE_URL}/webhooks/whatsapp/",
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": sign(body, settings.WHATSAPP_APP_SECRET),
            },
            timeout=HTTP_TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        logger.warning("sandbox could not reach the webhook at %s: %s", settings.SITE_URL, exc)
        raise SandboxError("unreachable", status=502, url=settings.SITE_URL) from None
    if response.status_code != 200:
        raise SandboxError("webhook", status=502, http_status=response.status_code)


def standin_media_put(*, data: bytes, mime_type: str, filename: str) -> str:
    """Put the user's file in the stand-in's media store (where Meta keeps incoming media)."""
    try:
        response = requests.post(
            f"{settings.WHATSAPP_API_BASE_URL}/_standin/media",
            data=data,
            headers={"Content-Type": mime_type, "X-Filename": filename.encode("ascii", "replace").decode()},
            timeout=HTTP_TIMEOUT_SECONDS,
        )
        response.raise_for_status()
        return response.json()["id"]
    except (requests.RequestException, ValueError, KeyError) as exc:
        logger.warning("sandbox could not store media in the stand-in: %s", exc)
        raise SandboxError("standin", status=502) from None


# --- Reading the page's input ---------------------------------------------------------------


@dataclass
class Sender:
    wa_id: str
    name: str


def _sender(data) -> Sender:
    wa_id = re.sub(r"[\s+()-]", "", data.get("wa_id", ""))
    if not WA_ID_RE.fullmatch(wa_id):
        raise SandboxError("phone")
    name = " ".join(data.get("name", "").split())
    if len(name) > MAX_NAME:
        raise SandboxError("name", max=MAX_NAME)
    return Sender(wa_id=wa_id, name=name or "Cliente")


def upload_limit() -> int:
    return settings.DOCUMENT_MAX_BYTES + UPLOAD_MARGIN_BYTES


def _message_content(request) -> tuple[str, dict, str | None]:
    """(webhook message type, its content object, stand-in media id if a file was sent)."""
    data = request.POST
    kind = data.get("kind", "")
    if kind == "text":
        text = data.get("text", "").strip()
        if not text or len(text) > MAX_TEXT:
            raise SandboxError("text", max=MAX_TEXT)
        return "text", {"body": text}, None
    if kind in ("button", "list"):
        choice_id, title = data.get("choice_id", ""), data.get("choice_title", "")
        if not choice_id or len(choice_id) > 256 or len(title) > 200:
            raise SandboxError("choice")
        reply_type = "button_reply" if kind == "button" else "list_reply"
        return "interactive", {"type": reply_type, reply_type: {"id": choice_id, "title": title}}, None
    if kind == "file":
        upload = request.FILES.get("file")
        if upload is None:
            raise SandboxError("file_missing")
        if upload.size > upload_limit():
            raise SandboxError("file_too_large", status=413)
        if upload.size == 0:
            raise SandboxError("file_empty")
        mime_type = upload.content_type if MIME_RE.fullmatch(upload.content_type or "") else "application/octet-stream"
        filename = Path(upload.name or "archivo").name[:200]
        media_id = standin_media_put(data=upload.read(), mime_type=mime_type, filename=filename)
        if mime_type.startswith("image/"):
            return "image", {"mime_type": mime_type, "sha256": "sandbox", "id": media_id}, media_id
        return (
            "document",
            {"filename": filename, "mime_type": mime_type, "sha256": "sandbox", "id": media_id},
            media_id,
        )
    raise SandboxError("kind")


def _error_response(error: SandboxError) -> JsonResponse:
    return JsonResponse({"error": error.code, **error.params}, status=error.status)


# --- Views ------------------------------------------------------------------------------------


def demo_customers() -> list[dict]:
    """The fictional demo portfolio (credits/fixtures), for the page's quick picks."""
    customers = []
    with open(DEMO_PORTFOLIO, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            issued = row.get("cedula_issue_date")
            customers.append(
                {
                    "name": row["full_name"],
                    "first_name": row["full_name"].split()[0],
                    "phone": row["phone"],
                    "cedula": row["cedula"],
                    "issued": date.fromisoformat(issued) if issued else None,
                    "credits": [
                        {"number": c["number"], "status": Credit.Status(c["status"]).label}
                        for c in row.get("credits", [])
                    ],
                    "applications": [
                        {"number": a["number"], "stage": Application.Stage(a["stage"]).label}
                        for a in row.get("applications", [])
                    ],
                }
            )
    return customers


@require_GET
def chat(request):
    return render(
        request,
        "sandbox/chat.html",
        {
            "default_wa_id": DEFAULT_WA_ID,
            "customers": demo_customers(),
            "max_upload_mb": round(upload_limit() / (1024 * 1024), 1),
            "max_name": MAX_NAME,
            "config": {
                "graph": STANDIN_PREFIX,
                "sendUrl": reverse("sandbox:send"),
                "statusUrl": reverse("sandbox:status"),
                "maxUploadBytes": upload_limit(),
                "csrfToken": get_token(request),
                "pollMs": 700,
            },
        },
    )


@require_POST
def send(request):
    """What the person did (text, a tap, a file) → one signed webhook to the real endpoint."""
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > upload_limit() + 64 * 1024:
            raise SandboxError("file_too_large", status=413)
        sender = _sender(request.POST)
        kind, content, media_id = _message_content(request)
        payload = message_payload(
            wa_id=sender.wa_id,
            name=sender.name,
            kind=kind,
            content=content,
            phone_visible=request.POST.get("hidden_phone") != "1",
        )
        webhook_post(payload)
    except SandboxError as error:
        return _error_response(error)
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    return JsonResponse({"ok": True, "id": message["id"], "type": kind, "media_id": media_id})


@require_POST
def status(request):
    """The page showed the bot's messages: tell the webhook they were delivered and read."""
    try:
        sender = _sender(request.POST)
        ids = request.POST.getlist("ids")
        if not ids or len(ids) > MAX_STATUS_IDS or any(not i.startswith("wamid.") or len(i) > 256 for i in ids):
            raise SandboxError("status")
        statuses = ["delivered", "read"] if request.POST.get("read") == "1" else ["delivered"]
        webhook_post(statuses_payload(wa_id=sender.wa_id, wa_message_ids=ids, statuses=statuses))
    except SandboxError as error:
        return _error_response(error)
    return JsonResponse({"ok": True})
