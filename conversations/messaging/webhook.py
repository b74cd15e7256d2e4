"""Reading Meta's webhook: signature check and payload parsing (pure, no database)."""

from __future__ import annotations

import hashlib
import hmac
import re
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
class Sender:
    """Who wrote, as Meta identifies them: the phone (``wa_id``) only when Meta shares it, the
    business-scoped user ID (``bsuid``) in every 2026 webhook; at least one of the two."""

    wa_id: str = ""
    bsuid: str = ""
    parent_bsuid: str = ""
    username: str = ""
    profile_name: str = ""

    @property
    def key(self) -> str:
        return self.bsuid or self.wa_id


@dataclass
class NumberChange:
    """A ``user_changed_number`` system message: the new phone and (when given) the new BSUID."""

    wa_id: str = ""
    bsuid: str = ""


@dataclass
class ParsedMessage:
    wa_message_id: str
    sender: Sender
    type: str
    sent_at: datetime
    text: str = ""
    choice_id: str = ""
    media_id: str = ""
    media_mime: str = ""
    media_filename: str = ""
    # A phone the customer shared through Meta's REQUEST_CONTACT_INFO button (origin
    # "contact_request"): Meta vouches for it. A number typed or a contact card forwarded is not.
    shared_phone: str = ""
    number_change: NumberChange | None = None
    raw: dict = field(default_factory=dict)

    @property
    def wa_id(self) -> str:
        return self.sender.wa_id


def sender_phone(raw: dict) -> str:
    """The phone Meta put in a stored message as its sender, "" when it withheld it."""
    value = raw.get("from") if isinstance(raw, dict) else None
    return value if isinstance(value, str) and value.isdigit() else ""


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
    # Changes for another business phone number of the same Meta app: not ours to answer.
    foreign: int = 0
    # Status notifications of a kind the bot does not track.
    skipped: int = 0


STATUSES = {"sent", "delivered", "read", "failed"}
UNSUPPORTED = "unsupported"  # Meta's own type for what it cannot show; the bot answers it politely
MAX_TEXT = 4096
MAX_ID = 128  # WhatsApp message and media ids (the columns' width)
MAX_CHOICE = 200  # ids of the buttons and rows the bot sent, echoed back
MAX_PHONE = 20
MAX_BSUID = 160  # "CO.1349…" or "CO.ENT.1181…": country, optional ENT, up to 128 alphanumerics
_BSUID = re.compile(r"[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,140}")


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


def _phone(obj: dict, key: str) -> str:
    value = _str(obj, key, required=False, limit=MAX_PHONE)
    if value and not value.isdigit():
        raise MalformedWebhook(f"{key} is not a phone number")
    return value


def _bsuid(obj: dict, key: str) -> str:
    value = _str(obj, key, required=False, limit=MAX_BSUID)
    if value and not _BSUID.fullmatch(value):
        raise MalformedWebhook(f"{key} is not a business-scoped user ID")
    return value


def _senders(contacts: list) -> dict[str, Sender]:
    """The ``contacts`` of a change, by phone and by BSUID: names, usernames and identifiers."""
    senders: dict[str, Sender] = {}
    for item in contacts:
        if not isinstance(item, dict):
            continue
        profile = item.get("profile") if isinstance(item.get("profile"), dict) else {}
        name, username = profile.get("name"), profile.get("username")
        sender = Sender(
            wa_id=_phone(item, "wa_id"),
            bsuid=_bsuid(item, "user_id"),
            parent_bsuid=_bsuid(item, "parent_user_id"),
            username=username[:100] if isinstance(username, str) else "",
            profile_name=name[:200] if isinstance(name, str) else "",
        )
        for key in (sender.wa_id, sender.bsuid):
            if key:
                senders[key] = sender
    return senders


def _sender(raw: dict, senders: dict[str, Sender]) -> Sender:
    """The message's sender: its own identifiers, completed from the change's contacts."""
    wa_id, bsuid = _phone(raw, "from"), _bsuid(raw, "from_user_id")
    if not wa_id and not bsuid:
        raise MalformedWebhook("message without a sender (neither from nor from_user_id)")
    known = senders.get(bsuid) or senders.get(wa_id) or Sender()
    if wa_id and known.wa_id and known.wa_id != wa_id or bsuid and known.bsuid and known.bsuid != bsuid:
        known = Sender()  # the contacts entry is someone else's: trust only the message
    return Sender(
        wa_id=wa_id or known.wa_id,
        bsuid=bsuid or known.bsuid,
        parent_bsuid=known.parent_bsuid,
        username=known.username,
        profile_name=known.profile_name,
    )


def _message(raw: dict, senders: dict[str, Sender]) -> ParsedMessage:
    if not isinstance(raw, dict):
        raise MalformedWebhook("message is not an object")
    kind = _str(raw, "type", limit=32)
    msg = ParsedMessage(
        wa_message_id=_str(raw, "id", limit=MAX_ID),
        sender=_sender(raw, senders),
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
            # A reply the bot never asks for (a WhatsApp Flow's nfm_reply, a new kind): kept as
            # it came and answered politely, without holding back the rest of the batch.
            msg.type = UNSUPPORTED
            return msg
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
    elif kind == "contacts":
        msg.shared_phone = contact_request_phone(raw)
    elif kind == "system":
        msg.number_change = _number_change(content)
    # Any other type (audio, sticker, location, reaction, unsupported...) is stored as it came
    # and answered politely by the worker.
    return msg


def contact_request_phone(raw: dict) -> str:
    """The phone of a contacts message produced by Meta's REQUEST_CONTACT_INFO button (origin
    "contact_request"); "" for a contact card the user forwarded (anyone's number)."""
    content_list = raw.get("contacts")
    if raw.get("origin") != "contact_request" or not isinstance(content_list, list) or not content_list:
        return ""
    card = content_list[0] if isinstance(content_list[0], dict) else {}
    phones = card.get("phones") if isinstance(card.get("phones"), list) else []
    for phone in phones:
        if isinstance(phone, dict):
            digits = re.sub(r"\D", "", str(phone.get("wa_id") or phone.get("phone") or ""))
            if 8 <= len(digits) <= 15:
                return digits
    return ""


def _number_change(content: dict) -> NumberChange | None:
    if content.get("type") != "user_changed_number":
        return None
    change = NumberChange(wa_id=_phone(content, "wa_id"), bsuid=_bsuid(content, "user_id"))
    return change if change.wa_id or change.bsuid else None


def _status(raw: dict) -> ParsedStatus | None:
    """The status notification, or None for one the bot does not track (a new kind from Meta)."""
    if not isinstance(raw, dict):
        raise MalformedWebhook("status is not an object")
    status = _str(raw, "status", limit=32)
    if status not in STATUSES:
        return None
    parsed = ParsedStatus(
        wa_message_id=_str(raw, "id", limit=MAX_ID), status=status, at=_timestamp(raw.get("timestamp"))
    )
    errors = raw.get("errors") or []
    if errors and isinstance(errors, list) and isinstance(errors[0], dict):
        code = errors[0].get("code")
        parsed.error_code = code if isinstance(code, int) else None
        parsed.error_title = str(errors[0].get("title") or errors[0].get("message") or "")[:300]
    return parsed


def parse(payload, *, phone_number_id: str | None = None) -> WebhookBatch:
    """Every message and status in a webhook body; MalformedWebhook if its shape is wrong.

    With ``phone_number_id``, changes addressed to another business number (the same Meta app
    may serve several) are skipped and counted in ``foreign``."""
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
            metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
            if phone_number_id is not None and metadata.get("phone_number_id") != phone_number_id:
                batch.foreign += 1
                continue
            contacts = value.get("contacts") or []
            if not isinstance(contacts, list):
                raise MalformedWebhook("contacts must be a list")
            senders = _senders(contacts)
            for key, reader, target in (("messages", _message, batch.messages), ("statuses", _status, batch.statuses)):
                items = value.get(key) or []
                if not isinstance(items, list):
                    raise MalformedWebhook(f"{key} must be a list")
                for item in items:
                    parsed = reader(item, senders) if key == "messages" else reader(item)
                    if parsed is None:
                        batch.skipped += 1
                    else:
                        target.append(parsed)
    return batch


def without_lone_surrogates(value):
    """The decoded payload with lone UTF-16 surrogates (JSON's "\\ud800" alone) replaced by
    U+FFFD: valid pairs are already joined by the JSON decoder; a lone one cannot be stored."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {without_lone_surrogates(k): without_lone_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_lone_surrogates(v) for v in value]
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")
