"""Test harness: drive the bot as WhatsApp does.

``Meta`` builds webhook payloads from the real-shaped fixtures in tests/fixtures/whatsapp,
signs them with the app secret and POSTs them to the webhook of a real WSGI server;
``WhatsAppUser`` reads what the bot sent from the Cloud API stand-in.
"""

from __future__ import annotations

import copy
import json
import secrets
import time
from pathlib import Path

import requests

from conversations.messaging.webhook import sign

FIXTURES = Path(__file__).parent / "fixtures" / "whatsapp"


def _now() -> int:
    # Meta's timestamps are wall-clock seconds; several messages may share one.
    return int(time.time())


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def message_payload(
    kind: str, *, wa_id: str | None, name: str = "Cliente", bsuid: str | None = None, username: str = "", **fields
) -> dict:
    """A webhook body with one message of the given fixture kind, fields overridden.

    As Meta sends it since 2026: the sender's business-scoped user ID (``bsuid``) in
    ``contacts[].user_id`` and ``messages[].from_user_id``, the username when the user has
    one, and the phone (``wa_id``, ``from``) only when Meta shares it (None: withheld).
    """
    payload = fixture(kind)
    value = payload["entry"][0]["changes"][0]["value"]
    contact = {"profile": {"name": name, **({"username": username} if username else {})}}
    contact.update({k: v for k, v in (("wa_id", wa_id), ("user_id", bsuid)) if v})
    value["contacts"] = [contact]
    message = value["messages"][0]
    message.pop("from", None)
    message.update({k: v for k, v in (("from", wa_id), ("from_user_id", bsuid)) if v})
    message["id"] = fields.pop("wa_message_id", None) or f"wamid.test.{secrets.token_hex(10)}"
    message["timestamp"] = str(fields.pop("timestamp", None) or _now())
    for key, val in fields.items():
        message[key] = val
    return payload


def status_payload(
    wa_message_id: str, status: str, *, error_code: int | None = None, timestamp: int | None = None
) -> dict:
    payload = fixture("status_failed" if status == "failed" else "status")
    item = payload["entry"][0]["changes"][0]["value"]["statuses"][0]
    item.update(id=wa_message_id, status=status, timestamp=str(timestamp or _now()))
    if error_code is not None:
        item["errors"][0]["code"] = error_code
    return payload


class Meta:
    """Meta's side of the webhook: signs and posts notifications."""

    def __init__(self, webhook_url: str, app_secret: str):
        self.url = webhook_url
        self.secret = app_secret
        self.http = requests.Session()

    def post(self, payload, *, signature: str | None = None, raw: bytes | None = None) -> requests.Response:
        body = raw if raw is not None else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        headers["X-Hub-Signature-256"] = signature if signature is not None else sign(body, self.secret)
        return self.http.post(self.url, data=body, headers=headers, timeout=60)


class WhatsAppUser:
    """One person chatting with the bot."""

    def __init__(
        self,
        meta: Meta,
        standin,
        wa_id: str | None,
        name: str = "Cliente",
        *,
        bsuid: str | None = None,
        username: str = "",
        phone_visible: bool = True,
    ):
        self.meta = meta
        self.standin = standin
        self.wa_id = wa_id  # the phone
        self.bsuid = bsuid
        self.username = username
        # False: a user with a username whose phone Meta withholds from the webhooks.
        self.phone_visible = phone_visible and bool(wa_id)
        self.name = name
        self.seen = 0

    @property
    def identifiers(self) -> set[str]:
        """What the bot may address this user by: the phone, the BSUID."""
        return {value for value in (self.wa_id, self.bsuid) if value}

    # --- sending ---------------------------------------------------------------------------
    def _send(self, kind: str, **fields) -> requests.Response:
        payload = message_payload(
            kind,
            wa_id=self.wa_id if self.phone_visible else None,
            name=self.name,
            bsuid=self.bsuid,
            username=self.username,
            **fields,
        )
        response = self.meta.post(payload)
        assert response.status_code == 200, response.text
        return response

    def says(self, text: str, **fields) -> list[dict]:
        self._send("text", text={"body": text}, **fields)
        return self.replies()

    def taps(self, choice_id: str, title: str = "") -> list[dict]:
        """Taps a reply button or a list row (the id must be one the bot offered)."""
        offered = self.offered()
        assert choice_id in offered, f"{choice_id!r} is not among the offered options {list(offered)}"
        title = title or offered[choice_id]
        last = self.last_interactive()
        kind = last["payload"]["interactive"]["type"] if last else "button"
        if kind == "list":
            self._send(
                "list_reply", interactive={"type": "list_reply", "list_reply": {"id": choice_id, "title": title}}
            )
        else:
            self._send(
                "button_reply", interactive={"type": "button_reply", "button_reply": {"id": choice_id, "title": title}}
            )
        return self.replies()

    def sends_file(
        self, data: bytes, *, mime_type: str, filename: str = "archivo.pdf", as_image: bool = False
    ) -> list[dict]:
        media_id = self.standin.put_media(data, mime_type, filename)
        if as_image:
            self._send("image", image={"id": media_id, "mime_type": mime_type, "sha256": "x"})
        else:
            self._send(
                "document", document={"id": media_id, "mime_type": mime_type, "filename": filename, "sha256": "x"}
            )
        return self.replies()

    def sends(self, kind: str, **fields) -> list[dict]:
        self._send(kind, **fields)
        return self.replies()

    # --- reading ---------------------------------------------------------------------------
    def all_messages(self) -> list[dict]:
        return [m for m in self.standin.sent_to() if m["to"] in self.identifiers]

    def replies(self, *, wait: float = 0.0, at_least: int = 0) -> list[dict]:
        """Messages the bot sent since the last call (waits for at_least of them)."""
        deadline = time.monotonic() + wait
        while True:
            new = [m for m in self.standin.sent_to(after=self.seen) if m["to"] in self.identifiers]
            if len(new) >= at_least or time.monotonic() >= deadline:
                break
            time.sleep(0.05)
        if new:
            self.seen = new[-1]["seq"]
        return new

    def last_interactive(self) -> dict | None:
        for item in reversed(self.all_messages()):
            if item["type"] == "interactive":
                return item
        return None

    def offered(self) -> dict[str, str]:
        """The options (id → title) of the bot's last interactive message."""
        last = self.last_interactive()
        if not last:
            return {}
        interactive = last["payload"]["interactive"]
        if interactive["type"] == "button":
            return {b["reply"]["id"]: b["reply"]["title"] for b in interactive["action"]["buttons"]}
        return {r["id"]: r["title"] for s in interactive["action"]["sections"] for r in s["rows"]}


def text_of(message: dict) -> str:
    """What the user reads in a message the bot sent."""
    payload = message["payload"]
    kind = payload["type"]
    if kind == "text":
        return payload["text"]["body"]
    if kind == "interactive":
        interactive = payload["interactive"]
        return interactive["body"]["text"]
    if kind in ("document", "image"):
        return payload[kind].get("caption", "")
    if kind == "template":
        return json.dumps(payload["template"], ensure_ascii=False)
    return ""


def texts(messages: list[dict]) -> str:
    return "\n".join(text_of(m) for m in messages)


def deepcopy(obj):
    return copy.deepcopy(obj)


class OpenAIStandIn:
    """An OpenAI-compatible chat-completions server on loopback (the LLM intent backend's
    outside world): answers {"intent": answer}; ``delay`` holds each answer that long;
    ``started`` is set when a request arrives (so a test can act while one is in progress)."""

    def __init__(self, answer: str = "asesor", delay: float = 0.0):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.answer, self.delay, self.mode = answer, delay, "ok"
        self.requests: list[dict] = []
        self.started = threading.Event()
        state = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                state.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                state.started.set()
                if state.mode == "error":
                    self._send(500, {"error": {"message": "boom"}})
                    return
                time.sleep(state.delay)
                content = json.dumps({"intent": state.answer})
                self._send(
                    200,
                    {
                        "id": "chatcmpl-test",
                        "object": "chat.completion",
                        "model": body.get("model"),
                        "choices": [
                            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
                        ],
                    },
                )

            def _send(self, status, payload):
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
