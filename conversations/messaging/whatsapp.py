"""The WhatsApp Cloud API client: the only code that talks to Meta's Graph API.

Message bodies are built by the pure ``*_body`` functions, which enforce Meta's limits
before anything is sent. ``CloudAPIClient`` sends them over HTTP and turns Graph errors
into typed exceptions, which say whether trying again later may help (the outbox decides
when: conversations.messaging.outbox and .breaker). Where it sends is configuration (``WHATSAPP_API_BASE_URL``): Meta's
Graph API in production, the built-in stand-in (``conversations.dev.standin``) otherwise.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from proalto.metrics import WHATSAPP_SENDS

logger = logging.getLogger(__name__)

# Meta's documented limits for interactive messages.
TEXT_MAX = 4096
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
BUTTON_ID_MAX = 256
INTERACTIVE_BODY_MAX = 1024
LIST_BODY_MAX = 4096
HEADER_TEXT_MAX = 60
FOOTER_MAX = 60
LIST_BUTTON_MAX = 20
LIST_ROWS_MAX = 10
LIST_SECTIONS_MAX = 10
SECTION_TITLE_MAX = 24
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
ROW_ID_MAX = 200
CAPTION_MAX = 1024

# Graph error codes the bot reacts to.
CODE_EXPIRED_TOKEN = 190
CODE_THROUGHPUT = 130429
CODE_PAIR_RATE_LIMIT = 131056
CODE_OUTSIDE_WINDOW = 131047
CODE_UNDELIVERABLE = 131026
# A message type that cannot go to a business-scoped user ID (authentication templates):
# only a phone number can receive it.
CODE_BSUID_UNSUPPORTED = 131062
RATE_LIMIT_CODES = {4, 80007, CODE_THROUGHPUT, CODE_PAIR_RATE_LIMIT}


class MessageLimitError(ValueError):
    """A message breaks one of Meta's limits; raised before any call is made."""


class WhatsAppError(Exception):
    retryable = False

    def __init__(self, message: str, *, code: int | None = None, http_status: int | None = None):
        super().__init__(message)
        self.code = code
        self.http_status = http_status


class TransientError(WhatsAppError):
    """5xx, 429 or a network failure: worth trying again later."""

    retryable = True


class RateLimitedError(TransientError):
    """Meta's throughput limit for the business number (130429, 80007, 4, HTTP 429)."""


class PairRateLimitedError(RateLimitedError):
    """131056: too many messages to one customer in a short time; the number itself is fine."""


class WindowClosedError(WhatsAppError):
    """131047: more than 24 hours since the user last wrote; only a template may be sent."""


class UndeliverableError(WhatsAppError):
    """131026: the number cannot receive the message (no WhatsApp, old app, blocked)."""


class BsuidUnsupportedError(WhatsAppError):
    """131062: this message (an authentication template) cannot be addressed to a BSUID."""


class TokenExpiredError(WhatsAppError):
    """190: the access token expired or was revoked; operators must renew it."""


class PermanentError(WhatsAppError):
    """Any other 4xx: the request itself is wrong; retrying would not help."""


@dataclass(frozen=True)
class MediaInfo:
    media_id: str
    url: str
    mime_type: str
    file_size: int | None


# --- Message bodies (pure) ------------------------------------------------------------


def _check(value: str, limit: int, what: str) -> str:
    if not value or not value.strip():
        raise MessageLimitError(f"{what} is empty")
    if len(value) > limit:
        raise MessageLimitError(f"{what} has {len(value)} characters; Meta allows {limit}")
    return value


def text_body(text: str, *, preview_url: bool = False) -> dict:
    return {"type": "text", "text": {"body": _check(text, TEXT_MAX, "text"), "preview_url": preview_url}}


def _interactive_extras(header: str | None, footer: str | None) -> dict:
    extras = {}
    if header:
        extras["header"] = {"type": "text", "text": _check(header, HEADER_TEXT_MAX, "header")}
    if footer:
        extras["footer"] = {"text": _check(footer, FOOTER_MAX, "footer")}
    return extras


def buttons_body(
    text: str, buttons: list[tuple[str, str]], *, header: str | None = None, footer: str | None = None
) -> dict:
    if not 1 <= len(buttons) <= BUTTONS_MAX:
        raise MessageLimitError(f"{len(buttons)} reply buttons; Meta allows 1 to {BUTTONS_MAX}")
    titles = [title for _, title in buttons]
    if len(set(titles)) != len(titles):
        raise MessageLimitError("reply button titles must be unique")
    return {
        "type": "interactive",
        "interactive": {
            "type": "button",
            **_interactive_extras(header, footer),
            "body": {"text": _check(text, INTERACTIVE_BODY_MAX, "button message body")},
            "action": {
                "buttons": [
                    {
                        "type": "reply",
                        "reply": {
                            "id": _check(button_id, BUTTON_ID_MAX, "button id"),
                            "title": _check(title, BUTTON_TITLE_MAX, f"button title {title!r}"),
                        },
                    }
                    for button_id, title in buttons
                ]
            },
        },
    }


def list_body(
    text: str,
    *,
    button: str,
    sections: list[dict],
    header: str | None = None,
    footer: str | None = None,
) -> dict:
    """sections: [{"title": str|None, "rows": [{"id", "title", "description"?}]}]."""
    if not 1 <= len(sections) <= LIST_SECTIONS_MAX:
        raise MessageLimitError(f"{len(sections)} list sections; Meta allows 1 to {LIST_SECTIONS_MAX}")
    rows = [row for section in sections for row in section["rows"]]
    if not 1 <= len(rows) <= LIST_ROWS_MAX:
        raise MessageLimitError(f"{len(rows)} list rows; Meta allows 1 to {LIST_ROWS_MAX}")
    ids = [row["id"] for row in rows]
    if len(set(ids)) != len(ids):
        raise MessageLimitError("list row ids must be unique")
    if len(sections) > 1 and any(not section.get("title") for section in sections):
        raise MessageLimitError("every section needs a title when there are several")
    built = []
    for section in sections:
        out = {"rows": []}
        if section.get("title"):
            out["title"] = _check(section["title"], SECTION_TITLE_MAX, "section title")
        for row in section["rows"]:
            item = {
                "id": _check(row["id"], ROW_ID_MAX, "row id"),
                "title": _check(row["title"], ROW_TITLE_MAX, f"row title {row['title']!r}"),
            }
            if row.get("description"):
                item["description"] = _check(row["description"], ROW_DESCRIPTION_MAX, "row description")
            out["rows"].append(item)
        built.append(out)
    return {
        "type": "interactive",
        "interactive": {
            "type": "list",
            **_interactive_extras(header, footer),
            "body": {"text": _check(text, LIST_BODY_MAX, "list message body")},
            "action": {"button": _check(button, LIST_BUTTON_MAX, "list button"), "sections": built},
        },
    }


def document_body(media_id: str, *, filename: str, caption: str | None = None) -> dict:
    document = {"id": media_id, "filename": filename}
    if caption:
        document["caption"] = _check(caption, CAPTION_MAX, "caption")
    return {"type": "document", "document": document}


def image_body(media_id: str, *, caption: str | None = None) -> dict:
    image = {"id": media_id}
    if caption:
        image["caption"] = _check(caption, CAPTION_MAX, "caption")
    return {"type": "image", "image": image}


def template_body(
    name: str, *, language: str, body_params: list[str] = (), url_button_param: str | None = None
) -> dict:
    components = []
    if body_params:
        components.append({"type": "body", "parameters": [{"type": "text", "text": p} for p in body_params]})
    if url_button_param is not None:
        # Authentication templates carry the code again in their copy-code button.
        components.append(
            {
                "type": "button",
                "sub_type": "url",
                "index": "0",
                "parameters": [{"type": "text", "text": url_button_param}],
            }
        )
    template = {"name": name, "language": {"code": language}}
    if components:
        template["components"] = components
    return {"type": "template", "template": template}


# --- The HTTP client ----------------------------------------------------------------------


def _classify(response: requests.Response) -> WhatsAppError:
    try:
        error = response.json().get("error", {})
    except ValueError:
        error = {}
    code = error.get("code")
    message = error.get("message") or error.get("error_user_msg") or response.reason or "Graph API error"
    title = f"{message} (code {code})" if code else message
    status = response.status_code
    if code == CODE_EXPIRED_TOKEN:
        return TokenExpiredError(title, code=code, http_status=status)
    if code == CODE_PAIR_RATE_LIMIT:
        return PairRateLimitedError(title, code=code, http_status=status)
    if code in RATE_LIMIT_CODES or status == 429:
        return RateLimitedError(title, code=code, http_status=status)
    if code == CODE_OUTSIDE_WINDOW:
        return WindowClosedError(title, code=code, http_status=status)
    if code == CODE_UNDELIVERABLE:
        return UndeliverableError(title, code=code, http_status=status)
    if code == CODE_BSUID_UNSUPPORTED:
        return BsuidUnsupportedError(title, code=code, http_status=status)
    if status >= 500:
        return TransientError(title, code=code, http_status=status)
    return PermanentError(title, code=code, http_status=status)


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, (requests.ConnectionError, requests.Timeout)) or (
        isinstance(exc, WhatsAppError) and exc.retryable
    )


class CloudAPIClient:
    def __init__(
        self,
        *,
        base_url: str,
        version: str,
        phone_number_id: str,
        access_token: str,
        timeout: float = 10,
        max_retries: int = 4,
        backoff_seconds: float = 0.5,
    ):
        self.root = f"{base_url.rstrip('/')}/{version}"
        self.phone_number_id = phone_number_id
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_seconds = backoff_seconds
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {access_token}"
        # Egress proxy and CA bundle settings (HTTPS_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE) are
        # read from the environment once, here: requests would re-read them on every call
        # (~0.3 ms each, twice per answered message).
        self.http.trust_env = False
        self.http.proxies = requests.utils.get_environ_proxies(self.root)
        ca_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if ca_bundle:
            self.http.verify = ca_bundle

    @classmethod
    def from_settings(cls) -> "CloudAPIClient":
        return cls(
            base_url=settings.WHATSAPP_API_BASE_URL,
            version=settings.WHATSAPP_API_VERSION,
            phone_number_id=settings.WHATSAPP_PHONE_NUMBER_ID,
            access_token=settings.WHATSAPP_ACCESS_TOKEN,
            timeout=settings.WHATSAPP_TIMEOUT_SECONDS,
            max_retries=settings.WHATSAPP_MAX_RETRIES,
            backoff_seconds=float(getattr(settings, "WHATSAPP_RETRY_BACKOFF_SECONDS", 0.5)),
        )

    def _request(self, method: str, url: str, **kwargs) -> requests.Response:
        """One Graph call, logged once (under the work's correlation id)
        with what Meta answered and how long it took; query strings (signed media URLs)
        are left out of the log."""
        started = time.monotonic()
        path = url.split("?")[0].removeprefix(self.root)
        try:
            response = self._request_with_retries(method, url, **kwargs)
        except WhatsAppError as exc:
            logger.info(
                "cloud api %s %s: %s (code %s) in %.0f ms",
                method,
                path,
                exc.http_status,
                exc.code,
                (time.monotonic() - started) * 1000,
            )
            raise
        except requests.RequestException as exc:
            logger.info("cloud api %s %s: %s", method, path, type(exc).__name__)
            raise
        logger.info(
            "cloud api %s %s: %s in %.0f ms", method, path, response.status_code, (time.monotonic() - started) * 1000
        )
        token_seen(valid=True)
        return response

    def _request_with_retries(self, method: str, url: str, **kwargs) -> requests.Response:
        """Reads (GET) are retried here a few times within about two seconds; a POST never is:
        a send is not idempotent, and waiting would hold up a worker that serves every
        customer, so the outbox tries it again later with a Celery countdown."""
        retrying = Retrying(
            retry=retry_if_exception(_retryable),
            wait=wait_random_exponential(multiplier=self.backoff_seconds, max=2),
            stop=stop_after_attempt(self.max_retries + 1 if method == "GET" else 1),
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                response = self.http.request(method, url, timeout=self.timeout, **kwargs)
                if response.status_code >= 400:
                    error = _classify(response)
                    if isinstance(error, TokenExpiredError):
                        token_seen(valid=False)  # the alert is the circuit breaker's (messaging/breaker.py)
                    raise error
                return response
        raise AssertionError("unreachable")  # pragma: no cover

    def send(self, address: dict, body: dict) -> str:
        """Send one message body built by a ``*_body`` function to ``address`` ({"to": phone}
        or, for a user whose phone Meta does not share, {"recipient": BSUID}); return Meta's
        message id."""
        if set(address) not in ({"to"}, {"recipient"}) or not next(iter(address.values())):
            raise ValueError("a message is addressed to a phone (to) or a BSUID (recipient)")
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual", **address, **body}
        try:
            response = self._request("POST", f"{self.root}/{self.phone_number_id}/messages", json=payload)
        except WhatsAppError as exc:
            WHATSAPP_SENDS.labels(outcome=send_outcome(exc), error_code=str(exc.code or "")).inc()
            raise
        except requests.RequestException:
            WHATSAPP_SENDS.labels(outcome="network", error_code="").inc()
            raise
        WHATSAPP_SENDS.labels(outcome="sent", error_code="").inc()
        wa_message_id = response.json()["messages"][0]["id"]
        logger.info("cloud api accepted %s message %s", body.get("type"), wa_message_id)
        return wa_message_id

    def mark_read(self, message_id: str, *, typing: bool = True) -> None:
        payload = {"messaging_product": "whatsapp", "status": "read", "message_id": message_id}
        if typing:
            payload["typing_indicator"] = {"type": "text"}
        self._request("POST", f"{self.root}/{self.phone_number_id}/messages", json=payload)

    def graph_get(self, path: str, **params) -> dict:
        """GET a Graph object or edge (``path`` after the version, or a full paging URL)."""
        url = path if path.startswith(("http://", "https://")) else f"{self.root}/{path.lstrip('/')}"
        return self._request("GET", url, params=params or None).json()

    def graph_post(self, path: str, payload: dict) -> dict:
        return self._request("POST", f"{self.root}/{path.lstrip('/')}", json=payload).json()

    def media_info(self, media_id: str) -> MediaInfo:
        data = self._request("GET", f"{self.root}/{media_id}").json()
        return MediaInfo(
            media_id=media_id, url=data["url"], mime_type=data.get("mime_type", ""), file_size=data.get("file_size")
        )

    def download_media(self, media_id: str, *, max_bytes: int) -> tuple[bytes, MediaInfo]:
        """Fetch an incoming media file, refusing anything over max_bytes without reading it all."""
        info = self.media_info(media_id)
        if info.file_size and info.file_size > max_bytes:
            raise MediaTooLargeError(info.file_size)
        response = self._request("GET", info.url, stream=True)
        chunks, total = [], 0
        for chunk in response.iter_content(64 * 1024):
            total += len(chunk)
            if total > max_bytes:
                response.close()
                raise MediaTooLargeError(total)
            chunks.append(chunk)
        return b"".join(chunks), info

    def upload_media(self, data: bytes, *, mime_type: str, filename: str) -> str:
        response = self._request(
            "POST",
            f"{self.root}/{self.phone_number_id}/media",
            data={"messaging_product": "whatsapp", "type": mime_type},
            files={"file": (filename, data, mime_type)},
        )
        return response.json()["id"]


def send_outcome(exc: WhatsAppError) -> str:
    """A failed send's outcome label: the error's kind, never its text."""
    return {
        RateLimitedError: "rate_limited",
        TransientError: "transient",
        WindowClosedError: "window_closed",
        UndeliverableError: "undeliverable",
        BsuidUnsupportedError: "bsuid_unsupported",
        TokenExpiredError: "token_expired",
    }.get(type(exc), "permanent")


# --- The access token's validity, as last seen (readiness, metrics, whatsapp_check) -------------

TOKEN_STATE_KEY = "whatsapp:token-state"
# A valid token is recorded again at most this often per process (one cache write, not one per call).
TOKEN_VALID_REFRESH_SECONDS = 60
_token_recorded: dict = {"valid": None, "at": 0.0}


def token_seen(*, valid: bool) -> None:
    """Record what Meta last said of the access token (shared by every process via the cache);
    a rejection (190) is recorded at once, an accepted call at most once a minute per process."""
    now = time.monotonic()
    if valid and _token_recorded["valid"] and now - _token_recorded["at"] < TOKEN_VALID_REFRESH_SECONDS:
        return
    try:
        cache.set(TOKEN_STATE_KEY, {"valid": valid, "at": time.time()}, timeout=None)
    except Exception:  # the cache being down must not fail a send
        logger.warning("could not record the access token's state", exc_info=True)
        return
    _token_recorded.update(valid=valid, at=now)


def token_seen_forget() -> None:
    """Forget this process's memo of the last recorded state (the cache was replaced)."""
    _token_recorded.update(valid=None, at=0.0)


def token_state() -> dict | None:
    """{"valid": bool, "at": epoch seconds} as last seen by any process, or None if never."""
    return cache.get(TOKEN_STATE_KEY)


class MediaTooLargeError(Exception):
    def __init__(self, size: int):
        super().__init__(f"media of {size} bytes is over the limit")
        self.size = size


_client: CloudAPIClient | None = None


def get_client() -> CloudAPIClient:
    """The process-wide client (one pooled HTTP session per worker process)."""
    global _client
    if _client is None:
        _client = CloudAPIClient.from_settings()
    return _client


def reset_client() -> None:
    global _client
    _client = None
