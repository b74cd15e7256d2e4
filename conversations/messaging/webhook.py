"""Reading Meta's webhook: signature check and payload parsing (pure, no database)."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime
from datetime import timezone as dt_timezone


class MalformedWebhook(ValueError):
    pass


def signature_valid(*, body: bytes, header: str | None, app_secret: str) -> bool:
    if not header or not header.startswith("sha256=") or not app_secret:
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len("sha256=") :])


def without_nul(value):
    """The decoded payload with U+0000 replaced by U+FFFD in every string: WhatsApp text may
    carry it, PostgreSQL text and jsonb cannot."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    return value


def sign(body: bytes, app_secret: str) -> str:
    """The X-Hub-Signature-256 value Meta would send (used by the sandbox and tests)."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class ParsedMessage:
    wa_message_id: str
    wa_id: str
    profile_name: str
    type: str
    sent_at: datetime
    text: str = ""
    choice_id: str = ""
    media_id: str = ""
    media_mime: str = ""
    media_filename: str = ""
    raw: dict = field(default_factory=dict)


@dataclass
class ParsedStatus:
    wa_message_id: str
    status: str
    at: datetime
    error_code: int | None = None
    error_title: str = ""


@dataclass
class WebhookBatch:
    messages: list[ParsedMessage] = field(default_factory=list)
    statuses: list[ParsedStatus] = field(default_factory=list)


STATUSES = {"sent", "delivered", "read", "failed"}
MAX_TEXT = 4096
MAX_ID = 128  # WhatsApp message and media ids (the columns' width)
MAX_CHOICE = 200  # ids of the buttons and rows the bot sent, echoed back


def _timestamp(value) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), tz=dt_timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        raise MalformedWebhook(f"bad timestamp {value!r}") from None


def _str(obj: dict, key: str, *, required: bool = True, limit: int = 256) -> str:
    value = obj.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value) or len(value) > limit:
        raise MalformedWebhook(f"field {key!r} missing or invalid")
    return value


def _message(raw: dict, names: dict[str, str]) -> ParsedMessage:
    if not isinstance(raw, dict):
        raise MalformedWebhook("message is not an object")
    wa_id = _str(raw, "from", limit=20)
    if not wa_id.isdigit():
        raise MalformedWebhook("sender is not a phone number")
    kind = _str(raw, "type", limit=32)
    msg = ParsedMessage(
        wa_message_id=_str(raw, "id", limit=MAX_ID),
        wa_id=wa_id,
        profile_name=names.get(wa_id, "")[:200],
        type=kind,
        sent_at=_timestamp(raw.get("timestamp")),
        raw=raw,
    )
    content = raw.get(kind) if isinstance(raw.get(kind), dict) else {}
    if kind == "text":
        msg.text = _str(content, "body", limit=MAX_TEXT)
    elif kind == "interactive":
        reply = content.get(content.get("type", ""), {}) if isinstance(content, dict) else {}
        if not isinstance(reply, dict) or content.get("type") not in ("button_reply", "list_reply"):
            raise MalformedWebhook("unknown interactive reply")
        msg.choice_id = _str(reply, "id", limit=MAX_CHOICE)
        msg.text = _str(reply, "title", required=False, limit=200)
    elif kind == "button":
        msg.choice_id = _str(content, "payload", required=False, limit=MAX_CHOICE)
        msg.text = _str(content, "text", required=False, limit=200)
    elif kind in ("image", "document"):
        msg.media_id = _str(content, "id", limit=MAX_ID)
        msg.media_mime = _str(content, "mime_type", required=False, limit=100)
        msg.media_filename = _str(content, "filename", required=False, limit=255)
        msg.text = _str(content, "caption", required=False, limit=MAX_TEXT)
    # Any other type (audio, sticker, location, reaction, unsupported...) is stored as it came
    # and answered politely by the worker.
    return msg


def _status(raw: dict) -> ParsedStatus:
    if not isinstance(raw, dict):
        raise MalformedWebhook("status is not an object")
    status = _str(raw, "status", limit=16)
    if status not in STATUSES:
        raise MalformedWebhook(f"unknown status {status!r}")
    parsed = ParsedStatus(
        wa_message_id=_str(raw, "id", limit=MAX_ID), status=status, at=_timestamp(raw.get("timestamp"))
    )
    errors = raw.get("errors") or []
    if errors and isinstance(errors, list) and isinstance(errors[0], dict):
        code = errors[0].get("code")
        parsed.error_code = code if isinstance(code, int) else None
        parsed.error_title = str(errors[0].get("title") or errors[0].get("message") or "")[:300]
    return parsed


def parse(payload) -> WebhookBatch:
    """Every message and status in a webhook body; MalformedWebhook if its shape is wrong."""
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        raise MalformedWebhook("not a WhatsApp Business Account notification")
    entries = payload.get("entry")
    if not isinstance(entries, list):
        raise MalformedWebhook("entry must be a list")
    batch = WebhookBatch()
    for entry in entries:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        if not isinstance(changes, list):
            raise MalformedWebhook("changes must be a list")
        for change in changes:
            if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
                raise MalformedWebhook("change without value")
            if change.get("field") != "messages":
                continue  # account and template updates are not for the bot
            value = change["value"]
            contacts = value.get("contacts") or []
            if not isinstance(contacts, list):
                raise MalformedWebhook("contacts must be a list")
            names = {
                c.get("wa_id", ""): name
                for c in contacts
                if isinstance(c, dict)
                and isinstance(c.get("profile", {}), dict)
                and isinstance(name := (c.get("profile") or {}).get("name", ""), str)
            }
            for key, reader, target in (("messages", _message, batch.messages), ("statuses", _status, batch.statuses)):
                items = value.get(key) or []
                if not isinstance(items, list):
                    raise MalformedWebhook(f"{key} must be a list")
                target.extend(reader(item, names) if key == "messages" else reader(item) for item in items)
    return batch
