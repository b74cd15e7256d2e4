"""A stand-in for Meta's WhatsApp Cloud API that speaks its HTTP protocol.

It answers the calls the bot makes (send messages, mark as read, upload media, media
URL, media download) the way the Graph API does, checks the bearer token and Meta's
message limits, and keeps what it received in memory. It is a plain WSGI app so it can
be mounted in the web process for the sandbox chat (``mount_standin``), or served on
its own port by tests and benchmarks (``python -m conversations.dev.standin``).

It also answers what operators' commands ask of the WhatsApp Business Account (``manage.py
whatsapp_templates``, ``whatsapp_check``): the account's message templates (list, with
paging, and create), its phone numbers and subscribed apps, the phone number object, and
``appsecret_proof`` checked against the app secret. ``POST /_standin/account`` sets the
account (ids, app secret, subscription); ``POST /_standin/templates`` puts a template in a
given state (approved, rejected with a reason, different text) as Meta's review would.

Besides the Graph paths it has a small control API under ``/_standin/`` for the sandbox
page and tests: read what was sent, put a customer's file in the media store, inject
failures (for example ``{"status": 500}``, ``{"status": 400, "code": 131047}``, or Meta's
throughput limit for ten seconds: ``{"status": 429, "code": 130429, "seconds": 10}``), and
slow every Graph call down (``POST /_standin/latency {"seconds": 2}``) so a test can catch a
worker in the middle of a call.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import io
import json
import re
import secrets
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer, make_server

BSUID = re.compile(r"[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,140}")
MESSAGE_TYPES = {
    "text",
    "interactive",
    "document",
    "image",
    "template",
    "audio",
    "video",
    "sticker",
    "location",
    "contacts",
    "reaction",
}


class StandInState:
    """What the stand-in has received; thread-safe."""

    def __init__(self, *, access_token: str | None = None, max_messages: int = 20000, authentication_templates=()):
        self.lock = threading.Lock()
        self.access_token = access_token
        self.max_messages = max_messages
        # Templates of the AUTHENTICATION category: Meta refuses them to a BSUID (131062).
        self.authentication_templates = set(authentication_templates)
        # The WhatsApp Business Account behind the number (operators' commands); kept across resets.
        self.account = {
            "phone_number_id": None,
            "waba_id": None,
            "app_secret": None,
            "subscribed": True,
            "display_phone_number": "+57 601 555 0100",
            "verified_name": "ProAlto",
        }
        self.reset()

    def reset(self) -> None:
        with getattr(self, "lock", threading.Lock()):
            self.messages: list[dict] = []
            self.reads: list[str] = []
            self.media: dict[str, dict] = {}
            self.failures: list[dict] = []
            self.seq = 0
            self.calls = 0
            self.requests = 0  # Graph requests received (counted before the latency wait)
            self.refused = 0  # answered with an injected failure
            self.latency = 0.0  # seconds every Graph request waits before it is answered
            self.connections = 0  # TCP connections accepted (when served on its own port)
            self.templates: list[dict] = []
            self.template_page_size = 100

    def record_message(self, payload: dict) -> dict:
        with self.lock:
            self.seq += 1
            item = {
                "seq": self.seq,
                "id": f"wamid.standin.{secrets.token_hex(12)}",
                # Who it went to: the phone (to) or, for a user without a visible number, the BSUID.
                "to": payload.get("to") or payload["recipient"],
                "addressed_by": "to" if payload.get("to") else "recipient",
                "type": payload["type"],
                "payload": payload,
                "received_at": time.time(),
            }
            self.messages.append(item)
            if len(self.messages) > self.max_messages:
                del self.messages[: len(self.messages) - self.max_messages]
            return item

    def template_put(self, change: dict) -> None:
        """Update the account's template of that name and language, or add it (call with the lock)."""
        for template in self.templates:
            if template["name"] == change["name"] and template["language"] == change["language"]:
                template.update(change)
                return
        self.templates.append({"id": str(10**15 + secrets.randbelow(9 * 10**15)), "status": "APPROVED", **change})

    def put_media(self, data: bytes, mime_type: str, filename: str = "") -> str:
        media_id = str(10**15 + secrets.randbelow(9 * 10**15))
        with self.lock:
            self.media[media_id] = {"data": data, "mime_type": mime_type, "filename": filename}
        return media_id

    def fail(self, spec: dict) -> None:
        """Queue a failure: the next ``times`` calls (default 1), or every call for ``seconds``."""
        spec = dict(spec)
        if "seconds" in spec:
            spec["until"] = time.monotonic() + float(spec.pop("seconds"))
        else:
            spec.setdefault("times", 1)
        with self.lock:
            self.failures.append(spec)

    def next_failure(self, kind: str) -> dict | None:
        with self.lock:
            self.calls += 1
            for failure in self.failures:
                if failure.get("on", "messages") not in (kind, "any"):
                    continue
                if "until" in failure:
                    if time.monotonic() < failure["until"]:
                        self.refused += 1
                        return failure
                elif failure["times"] > 0:
                    failure["times"] -= 1
                    self.refused += 1
                    return failure
            return None

    def sent_to(self, wa_id: str | None = None, after: int = 0) -> list[dict]:
        """Messages after ``after`` addressed to ``wa_id`` (a phone or a BSUID; several
        separated by commas: one person's phone and BSUID), or to anyone."""
        addressees = set(wa_id.split(",")) if wa_id else None
        with self.lock:
            return [m for m in self.messages if m["seq"] > after and (addressees is None or m["to"] in addressees)]


def _graph_error(status: int, code: int, message: str) -> tuple[int, dict]:
    return status, {
        "error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": secrets.token_hex(8)}
    }


def _injected_error(failure: dict) -> tuple[int, dict, list]:
    """A failure queued through ``/_standin/fail``, answered as a Graph API error."""
    return (*_graph_error(failure["status"], failure.get("code", 1), failure.get("message", "injected failure")), [])


TEMPLATE_NAME = re.compile(r"[a-z0-9_]{1,512}")
TEMPLATE_CATEGORIES = {"AUTHENTICATION", "UTILITY", "MARKETING"}


def _template_problem(template: dict) -> str | None:
    """Meta's checks of a template submission that the commands could get wrong."""
    if not TEMPLATE_NAME.fullmatch(str(template.get("name", ""))):
        return "name must be lowercase letters, digits and underscores"
    if not template.get("language"):
        return "language is required"
    if template.get("category") not in TEMPLATE_CATEGORIES:
        return "category must be AUTHENTICATION, UTILITY or MARKETING"
    components = template.get("components")
    if not isinstance(components, list) or not any(c.get("type") == "BODY" for c in components):
        return "components must include a BODY"
    for component in components:
        text = component.get("text", "")
        variables = re.findall(r"\{\{(\d+)\}\}", text)
        if variables:
            examples = (component.get("example") or {}).get("body_text") or [[]]
            if len(examples[0]) != len(set(variables)):
                return f"{component['type']} has {len(set(variables))} variables and {len(examples[0])} examples"
    return None


def _check_limits(payload: dict) -> str | None:
    """Meta's own validation, so the stand-in rejects what Meta would reject."""
    kind = payload.get("type")
    if kind == "text":
        body = payload.get("text", {}).get("body", "")
        if not body or len(body) > 4096:
            return "text.body must be 1 to 4096 characters"
    if kind == "interactive":
        interactive = payload.get("interactive", {})
        action = interactive.get("action", {})
        if interactive.get("type") == "button":
            buttons = action.get("buttons", [])
            if not 1 <= len(buttons) <= 3:
                return "interactive buttons must be 1 to 3"
            if any(len(b["reply"]["title"]) > 20 for b in buttons):
                return "button title is longer than 20 characters"
        elif interactive.get("type") == "list":
            rows = [r for s in action.get("sections", []) for r in s.get("rows", [])]
            if not 1 <= len(rows) <= 10:
                return "list rows must be 1 to 10"
            if any(len(r["title"]) > 24 or len(r.get("description", "")) > 72 for r in rows):
                return "list row title or description too long"
            if len(action.get("button", "")) > 20:
                return "list button text longer than 20 characters"
        else:
            return "unsupported interactive type"
    if kind in ("document", "image"):
        if not payload.get(kind, {}).get("id") and not payload.get(kind, {}).get("link"):
            return f"{kind} needs an id or a link"
    if kind == "template" and not payload.get("template", {}).get("name"):
        return "template.name is required"
    return None


class StandInApp:
    """The WSGI application. ``prefix`` is where it is mounted (for media URLs)."""

    def __init__(self, state: StandInState, *, prefix: str = ""):
        self.state = state
        self.prefix = prefix.rstrip("/")

    def __call__(self, environ, start_response):
        try:
            status, body, headers = self.dispatch(environ)
        except Exception as exc:  # the stand-in must never take the web process down
            status, body, headers = 500, {"error": {"message": f"stand-in error: {exc}", "code": 1}}, []
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            headers = [("Content-Type", "application/json")] + headers
        else:
            data = body
        start_response(f"{status} {'OK' if status < 400 else 'Error'}", headers + [("Content-Length", str(len(data)))])
        return [data]

    def _authorised(self, environ) -> bool:
        expected = self.state.access_token
        return expected is None or environ.get("HTTP_AUTHORIZATION") == f"Bearer {expected}"

    def _base_url(self, environ) -> str:
        scheme = environ.get("wsgi.url_scheme", "http")
        host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
        return f"{scheme}://{host}{self.prefix}"

    def dispatch(self, environ):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}

        if path.startswith("/_standin/"):
            return self.control(method, path[len("/_standin/") :], raw, query, environ)

        with self.state.lock:
            self.state.requests += 1
            latency = self.state.latency
        if latency > 0:
            time.sleep(latency)

        if not self._authorised(environ):
            return (*_graph_error(401, 190, "Error validating access token: Session has expired"), [])
        proof, secret = query.get("appsecret_proof"), self.state.account["app_secret"]
        if proof is not None and secret:
            token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
            expected = hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
            if not hmac.compare_digest(proof, expected):
                return (*_graph_error(400, 100, "Invalid appsecret_proof provided in the API argument"), [])
        environ["standin.query"] = query
        for route_method, pattern, handler in self.GRAPH_ROUTES:
            match = pattern.fullmatch(path)
            if match and method == route_method:
                return handler(self, match, raw, environ)
        return (*_graph_error(400, 100, f"Unknown path components: {path}"), [])

    # --- Graph routes: each takes the path's match, the body and the WSGI environ ----------------
    def route_messages(self, match, raw, environ):
        failure = self.state.next_failure("messages")
        if failure:
            return _injected_error(failure)
        return self.post_message(raw)

    def route_media_upload(self, match, raw, environ):
        failure = self.state.next_failure("media")
        if failure:
            return _injected_error(failure)
        return self.post_media(raw, environ)

    def route_media_info(self, match, raw, environ):
        failure = self.state.next_failure("media_info")
        if failure:
            return _injected_error(failure)
        media_id = match.group(1)
        media = self.state.media.get(media_id)
        if not media:
            return (*_graph_error(400, 100, "Unsupported get request. Object does not exist"), [])
        return (
            200,
            {
                "messaging_product": "whatsapp",
                "url": f"{self._base_url(environ)}/_media/{media_id}",
                "mime_type": media["mime_type"],
                "sha256": "",
                "file_size": len(media["data"]),
                "id": media_id,
            },
            [],
        )

    def route_media_download(self, match, raw, environ):
        # The download URL is not a Graph call: failures and misses are bare statuses, as from a CDN.
        failure = self.state.next_failure("download")
        if failure:
            return failure["status"], b"", []
        media = self.state.media.get(match.group(1))
        if not media:
            return 404, b"", []
        return 200, media["data"], [("Content-Type", media["mime_type"])]

    # --- The Business Account: templates, phone numbers, subscribed apps ------------------------
    def _account_missing(self, object_id: str):
        return (*_graph_error(400, 100, f"Unsupported request. Object with ID '{object_id}' does not exist"), [])

    def route_templates_list(self, match, raw, environ):
        if match.group(1) != self.state.account["waba_id"]:
            return self._account_missing(match.group(1))
        query = environ["standin.query"]
        size = min(int(query.get("limit", 25)), self.state.template_page_size)
        start = int(query.get("after", 0))
        with self.state.lock:
            page = [dict(t) for t in self.state.templates[start : start + size]]
            more = start + size < len(self.state.templates)
        body = {"data": page, "paging": {"cursors": {"before": str(start), "after": str(start + size)}}}
        if more:
            base = f"{self._base_url(environ)}{environ.get('PATH_INFO', '')}"
            body["paging"]["next"] = f"{base}?limit={size}&after={start + size}"
        return 200, body, []

    def route_templates_create(self, match, raw, environ):
        if match.group(1) != self.state.account["waba_id"]:
            return self._account_missing(match.group(1))
        try:
            template = json.loads(raw)
        except ValueError:
            return (*_graph_error(400, 100, "Invalid JSON"), [])
        problem = _template_problem(template)
        if problem:
            return (*_graph_error(400, 100, f"Invalid parameter: {problem}"), [])
        with self.state.lock:
            if any(
                t["name"] == template["name"] and t["language"] == template["language"] for t in self.state.templates
            ):
                return (*_graph_error(400, 100, "Content in this language already exists"), [])
            stored = {**template, "id": str(10**15 + secrets.randbelow(9 * 10**15)), "status": "PENDING"}
            self.state.templates.append(stored)
        return 200, {"id": stored["id"], "status": "PENDING", "category": template["category"]}, []

    def route_phone_numbers(self, match, raw, environ):
        account = self.state.account
        if match.group(1) != account["waba_id"]:
            return self._account_missing(match.group(1))
        number = {key: account[key] for key in ("display_phone_number", "verified_name")}
        return 200, {"data": [{"id": account["phone_number_id"], **number, "quality_rating": "GREEN"}]}, []

    def route_subscribed_apps(self, match, raw, environ):
        account = self.state.account
        if match.group(1) != account["waba_id"]:
            return self._account_missing(match.group(1))
        apps = [{"whatsapp_business_api_data": {"id": "1000000000001", "name": "ProAlto"}}]
        return 200, {"data": apps if account["subscribed"] else []}, []

    def route_object(self, match, raw, environ):
        """GET /{id}: the business phone number, else a media object."""
        account = self.state.account
        if match.group(1) == account["phone_number_id"]:
            number = {key: account[key] for key in ("display_phone_number", "verified_name")}
            return 200, {"id": account["phone_number_id"], **number, "quality_rating": "GREEN"}, []
        return self.route_media_info(match, raw, environ)

    # (method, path pattern, handler): the first whose method and pattern match answers.
    GRAPH_ROUTES = (
        ("POST", re.compile(r"/v\d+\.\d+/[^/]+/messages"), route_messages),
        ("POST", re.compile(r"/v\d+\.\d+/[^/]+/media"), route_media_upload),
        ("GET", re.compile(r"/v\d+\.\d+/([^/]+)/message_templates"), route_templates_list),
        ("POST", re.compile(r"/v\d+\.\d+/([^/]+)/message_templates"), route_templates_create),
        ("GET", re.compile(r"/v\d+\.\d+/([^/]+)/phone_numbers"), route_phone_numbers),
        ("GET", re.compile(r"/v\d+\.\d+/([^/]+)/subscribed_apps"), route_subscribed_apps),
        ("GET", re.compile(r"/v\d+\.\d+/(\d+)"), route_object),
        ("GET", re.compile(r"/_media/(\d+)"), route_media_download),
    )

    def post_message(self, raw: bytes):
        try:
            payload = json.loads(raw)
        except ValueError:
            return (*_graph_error(400, 100, "Invalid JSON"), [])
        if payload.get("messaging_product") != "whatsapp":
            return (*_graph_error(400, 100, "The parameter messaging_product is required."), [])
        if payload.get("status") == "read":
            self.state.reads.append(payload.get("message_id", ""))
            return 200, {"success": True}, []
        # As Meta: "to" (a phone) takes precedence over "recipient" (a BSUID).
        to, recipient = payload.get("to"), payload.get("recipient")
        if to is not None and not re.fullmatch(r"\d{8,15}", str(to)):
            return (*_graph_error(400, 131026, "Message Undeliverable."), [])
        if to is None and not (isinstance(recipient, str) and BSUID.fullmatch(recipient)):
            return (*_graph_error(400, 100, "The parameter to or recipient is required."), [])
        template = payload.get("template", {}).get("name") if payload.get("type") == "template" else None
        if to is None and template in self.state.authentication_templates:
            return (
                *_graph_error(400, 131062, "Business-scoped User ID recipients are not supported for this message."),
                [],
            )
        if payload.get("type") not in MESSAGE_TYPES:
            return (*_graph_error(400, 100, "Invalid parameter: type"), [])
        problem = _check_limits(payload)
        if problem:
            return (*_graph_error(400, 131009, f"Parameter value is not valid: {problem}"), [])
        for kind in ("document", "image"):
            media_id = payload.get(kind, {}).get("id") if payload["type"] == kind else None
            if media_id and media_id not in self.state.media:
                return (*_graph_error(400, 131053, "Media upload error: unknown media id"), [])
        item = self.state.record_message(payload)
        return (
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [
                    {"input": to, "wa_id": to} if to is not None else {"input": recipient, "user_id": recipient}
                ],
                "messages": [{"id": item["id"]}],
            },
            [],
        )

    def post_media(self, raw: bytes, environ):
        content_type = environ.get("CONTENT_TYPE", "")
        if not content_type.startswith("multipart/form-data"):
            return (*_graph_error(400, 100, "Media upload must be multipart/form-data"), [])
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
        fields, upload = {}, None
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if part.get_filename():
                upload = (part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
            else:
                fields[name] = part.get_payload(decode=True).decode()
        if fields.get("messaging_product") != "whatsapp" or upload is None:
            return (*_graph_error(400, 100, "messaging_product and file are required"), [])
        filename, part_type, data = upload
        return 200, {"id": self.state.put_media(data, fields.get("type") or part_type, filename)}, []

    def control(self, method, action, raw, query, environ):
        if action == "messages" and method == "GET":
            return 200, self.state.sent_to(query.get("to"), int(query.get("after", 0))), []
        if action == "media" and method == "POST":
            mime = environ.get("CONTENT_TYPE") or "application/octet-stream"
            return 200, {"id": self.state.put_media(raw, mime, environ.get("HTTP_X_FILENAME", ""))}, []
        match = re.fullmatch(r"media/(\d+)", action)
        if match and method == "GET":
            media = self.state.media.get(match.group(1))
            if not media:
                return 404, b"", []
            disposition = f'attachment; filename="{media["filename"] or "archivo"}"'
            return 200, media["data"], [("Content-Type", media["mime_type"]), ("Content-Disposition", disposition)]
        if action == "fail" and method == "POST":
            self.state.fail(json.loads(raw or b"{}"))
            return 200, {"ok": True}, []
        if action == "latency" and method == "POST":
            seconds = float(json.loads(raw or b"{}").get("seconds", 0))
            with self.state.lock:
                self.state.latency = max(0.0, min(seconds, 60.0))
            return 200, {"ok": True, "seconds": self.state.latency}, []
        if action == "account" and method == "POST":
            with self.state.lock:
                self.state.account.update(json.loads(raw or b"{}"))
            return 200, {"ok": True}, []
        if action == "templates" and method == "GET":
            return 200, self.state.templates, []
        if action == "templates" and method == "POST":
            # As Meta's review leaves it: {"name", "language", "status", "rejected_reason"?, ...}.
            change = json.loads(raw or b"{}")
            with self.state.lock:
                self.state.template_put(change)
            return 200, {"ok": True}, []
        if action == "reset" and method == "POST":
            self.state.reset()
            return 200, {"ok": True}, []
        if action == "stats" and method == "GET":
            return (
                200,
                {
                    "messages": len(self.state.messages),
                    "calls": self.state.calls,
                    "reads": len(self.state.reads),
                    "requests": self.state.requests,
                    "refused": self.state.refused,
                    "latency": self.state.latency,
                },
                [],
            )
        return 404, {"error": {"message": "unknown control action"}}, []


def mount_standin(django_app, *, prefix: str):
    """Serve the stand-in under ``prefix`` and everything else with Django."""
    from django.conf import settings

    state = StandInState(
        access_token=settings.WHATSAPP_ACCESS_TOKEN, authentication_templates={settings.WHATSAPP_OTP_TEMPLATE}
    )
    state.account.update(
        phone_number_id=settings.WHATSAPP_PHONE_NUMBER_ID,
        waba_id=settings.WHATSAPP_BUSINESS_ACCOUNT_ID,
        app_secret=settings.WHATSAPP_APP_SECRET,
    )
    standin = StandInApp(state, prefix=prefix)

    def application(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == prefix or path.startswith(prefix + "/"):
            environ = dict(environ, PATH_INFO=path[len(prefix) :], SCRIPT_NAME=environ.get("SCRIPT_NAME", "") + prefix)
            return standin(environ, start_response)
        return django_app(environ, start_response)

    application.standin_state = state
    return application


class _ServerHandler(ServerHandler):
    http_version = "1.1"

    def cleanup_headers(self):
        super().cleanup_headers()
        if "Content-Length" not in self.headers:  # the end of the body is the end of the connection
            self.headers["Connection"] = "close"
            self.request_handler.close_connection = True


class _KeepAliveHandler(WSGIRequestHandler):
    """HTTP/1.1 with keep-alive, as Meta's servers speak (wsgiref's handler closes the
    connection after each request, so every call would pay a new connection on both
    sides). Quiet: no access log."""

    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle keep-alive connection is closed after this
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms delayed-ACK stall

    def handle(self):
        state = self.server.get_app().state
        with state.lock:
            state.connections += 1
        self.close_connection = False
        while not self.close_connection:
            try:
                self.raw_requestline = self.rfile.readline(65537)
            except OSError:
                return
            if not self.raw_requestline or len(self.raw_requestline) > 65536 or not self.parse_request():
                return
            environ = self.get_environ()
            # The body is read here, whole, so the next request on the connection starts clean.
            length = int(environ.get("CONTENT_LENGTH") or 0)
            environ["wsgi.input"] = io.BytesIO(self.rfile.read(length) if length > 0 else b"")
            handler = _ServerHandler(environ["wsgi.input"], self.wfile, self.get_stderr(), environ, multithread=True)
            handler.request_handler = self
            handler.run(self.server.get_app())

    def log_message(self, *args):
        pass


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 256


# The authentication (one-time code) template the bot uses by default.
DEFAULT_AUTHENTICATION_TEMPLATES = ("proalto_codigo_verificacion",)


def serve(
    host: str, port: int, *, access_token: str | None, authentication_templates=DEFAULT_AUTHENTICATION_TEMPLATES
) -> tuple[ThreadingWSGIServer, StandInState]:
    """Start the stand-in on its own port (tests, benchmarks); returns the server and its state."""
    state = StandInState(access_token=access_token, authentication_templates=authentication_templates)
    server = make_server(
        host, port, StandInApp(state), server_class=ThreadingWSGIServer, handler_class=_KeepAliveHandler
    )
    return server, state


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=None, help="bearer token to require")
    args = parser.parse_args()
    server, _ = serve(args.host, args.port, access_token=args.token)
    print(f"Cloud API stand-in on http://{args.host}:{server.server_port}", flush=True)
    server.serve_forever()
