"""The webhook's edges, as Meta meets them: verification, signatures, bad bodies, replays,
message types the bot cannot read, status notifications and oversized bodies."""

import json

import pytest
import requests

from conversations.messaging.webhook import sign
from conversations.models import Contact, InboundMessage, OutboundMessage
from tests.conftest import TEST_SECRET
from tests.support import message_payload, status_payload, texts


def _nothing_stored(standin):
    assert InboundMessage.objects.count() == 0
    assert Contact.objects.count() == 0
    assert standin.sent_to() == []


# --- GET: subscription verification ---------------------------------------------------------


def test_verification_echoes_the_challenge_as_plain_text(meta):
    response = requests.get(
        meta.url,
        params={"hub.mode": "subscribe", "hub.verify_token": "test-verify-token", "hub.challenge": "1158201444"},
        timeout=10,
    )
    assert response.status_code == 200
    assert response.text == "1158201444"
    assert response.headers["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": "test-verify-token", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
    ],
)
def test_verification_with_a_wrong_token_is_forbidden(meta, params):
    response = requests.get(meta.url, params=params, timeout=10)
    assert response.status_code == 403
    assert "1" not in response.text


# --- POST: signature and shape ------------------------------------------------------------------


@pytest.mark.parametrize("signature", ["", "sha256=", "sha1=abc", "sha256=" + "0" * 64])
def test_missing_or_wrong_signature_is_refused_and_nothing_is_stored(meta, standin, signature):
    response = meta.post(message_payload("text", wa_id="573001234567", text={"body": "hola"}), signature=signature)
    assert response.status_code == 403
    _nothing_stored(standin)


def test_signature_of_another_secret_or_another_body_is_refused(meta, standin):
    payload = message_payload("text", wa_id="573001234567", text={"body": "hola"})
    body = json.dumps(payload).encode()
    assert meta.post(None, raw=body, signature=sign(body, "someone-elses-secret")).status_code == 403
    tampered = body.replace(b"hola", b"HOLA")
    assert meta.post(None, raw=tampered, signature=sign(body, TEST_SECRET)).status_code == 403
    _nothing_stored(standin)


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"",
        json.dumps([1, 2, 3]).encode(),
        json.dumps({"object": "page", "entry": []}).encode(),
        json.dumps({"object": "whatsapp_business_account", "entry": "x"}).encode(),
        json.dumps({"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages"}]}]}).encode(),
    ],
    ids=["broken-json", "empty", "array", "other-object", "entry-not-list", "change-without-value"],
)
def test_malformed_body_is_a_400_and_nothing_is_stored(meta, standin, raw):
    response = meta.post(None, raw=raw)
    assert response.status_code == 400
    _nothing_stored(standin)


@pytest.mark.parametrize(
    "field, value",
    [
        ("from", "not-a-number"),
        ("id", None),
        ("id", "wamid." + "x" * 200),
        ("timestamp", "yesterday"),
        ("text", {"body": "x" * 5000}),
    ],
)
def test_malformed_message_fails_the_whole_body(meta, standin, field, value):
    payload = message_payload("text", wa_id="573001234567", text={"body": "hola"})
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    if value is None:
        del message[field]
    else:
        message[field] = value
    assert meta.post(payload).status_code == 400
    _nothing_stored(standin)


def test_a_tap_with_an_overlong_id_is_a_400_and_nothing_is_stored(meta, standin):
    payload = message_payload(
        "button_reply",
        wa_id="573001234567",
        interactive={"type": "button_reply", "button_reply": {"id": "x" * 201, "title": "Sí"}},
    )
    assert meta.post(payload).status_code == 400
    _nothing_stored(standin)


def test_a_profile_name_that_is_not_text_is_ignored(meta, standin):
    payload = message_payload("text", wa_id="573001234567", text={"body": "hola"})
    payload["entry"][0]["changes"][0]["value"]["contacts"][0]["profile"]["name"] = 12345
    assert meta.post(payload).status_code == 200
    assert Contact.objects.get(wa_id="573001234567").profile_name == ""


def test_non_message_changes_are_acknowledged_and_ignored(meta, standin):
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {"id": "1", "changes": [{"field": "message_template_status_update", "value": {"event": "APPROVED"}}]}
        ],
    }
    assert meta.post(payload).status_code == 200
    _nothing_stored(standin)


def test_oversized_body_is_a_413_and_nothing_is_stored(meta, standin, settings):
    settings.WEBHOOK_MAX_BODY_BYTES = 2048
    payload = message_payload("text", wa_id="573001234567", text={"body": "a" * 3000})
    response = meta.post(payload)
    assert response.status_code == 413
    _nothing_stored(standin)


# --- Replays and message types ------------------------------------------------------------------


def test_a_replayed_message_is_acknowledged_and_processed_once(meta, standin):
    payload = message_payload("text", wa_id="573001234567", name="Ana Lucía", text={"body": "hola"})
    assert meta.post(payload).status_code == 200
    first = standin.sent_to("573001234567")
    assert len(first) == 1
    for _ in range(2):  # Meta redelivers when it did not see our 200 in time
        assert meta.post(payload).status_code == 200
    assert InboundMessage.objects.count() == 1
    assert standin.sent_to("573001234567") == first


def test_a_batch_with_two_customers_stores_both_in_order(meta, standin):
    first = message_payload("text", wa_id="573001234567", name="Ana", text={"body": "hola"})
    second = message_payload("text", wa_id="573009876543", name="Carlos", text={"body": "buenas"})
    first["entry"][0]["changes"][0]["value"]["messages"].append(
        second["entry"][0]["changes"][0]["value"]["messages"][0]
    )
    first["entry"][0]["changes"][0]["value"]["contacts"].append(
        {"profile": {"name": "Carlos"}, "wa_id": "573009876543"}
    )
    assert meta.post(first).status_code == 200
    assert set(Contact.objects.values_list("wa_id", "profile_name")) == {
        ("573001234567", "Ana"),
        ("573009876543", "Carlos"),
    }
    assert len(standin.sent_to("573001234567")) == 1
    assert len(standin.sent_to("573009876543")) == 1


@pytest.mark.parametrize(
    "kind, expected",
    [("audio", "notas de voz"), ("sticker", "😊"), ("location", "ubicación"), ("reaction", "😊")],
)
def test_unsupported_types_are_stored_and_answered_politely(consented_chat, kind, expected):
    ana = consented_chat()
    replies = ana.sends(kind)
    assert len(replies) == 1
    assert expected in texts(replies)
    assert "menú" in texts(replies)
    stored = InboundMessage.objects.filter(type=kind).get()
    assert stored.status == InboundMessage.Status.PROCESSED
    assert stored.payload[kind]


# --- Status notifications ------------------------------------------------------------------------


@pytest.fixture
def sent_reply(chat):
    """The bot's first reply to a user, as the Cloud API accepted it."""
    chat().says("hola")
    out = OutboundMessage.objects.get()
    assert out.status == OutboundMessage.Status.SENT and out.wa_message_id
    return out


def _status(meta, out, status, **kw):
    assert meta.post(status_payload(out.wa_message_id, status, **kw)).status_code == 200
    out.refresh_from_db()
    return out.status


def test_statuses_only_move_forward(meta, sent_reply):
    assert _status(meta, sent_reply, "delivered") == "delivered"
    assert _status(meta, sent_reply, "sent") == "delivered"  # late notification
    assert _status(meta, sent_reply, "read") == "read"
    assert _status(meta, sent_reply, "delivered") == "read"  # repeated, out of order
    assert _status(meta, sent_reply, "failed", error_code=131026) == "read"
    assert sent_reply.error_code is None


def test_failed_is_final_and_keeps_metas_error_code(meta, sent_reply):
    assert _status(meta, sent_reply, "failed", error_code=131047) == "failed"
    assert sent_reply.error_code == 131047
    assert sent_reply.error_title
    for later in ("sent", "delivered", "read", "failed"):
        assert _status(meta, sent_reply, later, **({"error_code": 1} if later == "failed" else {})) == "failed"
    assert sent_reply.error_code == 131047


def test_status_for_an_unknown_message_is_acknowledged(meta, standin):
    assert meta.post(status_payload("wamid.unknown", "read")).status_code == 200
    assert OutboundMessage.objects.count() == 0


def test_a_nul_character_in_a_message_is_stored_without_it_and_answered(consented_chat, meta):
    """PostgreSQL text and jsonb cannot hold U+0000; WhatsApp text can. The message is kept
    (the character replaced) rather than refused with a 500 that Meta would redeliver forever."""
    ana = consented_chat()
    payload = message_payload("text", wa_id=ana.wa_id, name="Ana\u0000Lucía", text={"body": "me\u0000nú"})
    assert meta.post(payload).status_code == 200
    stored = InboundMessage.objects.get(wa_message_id=payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"])
    assert stored.text == "me\ufffdnú" and "\u0000" not in json.dumps(stored.payload)
    assert stored.status == InboundMessage.Status.PROCESSED


# --- Bodies Meta would redeliver forever, and traffic for another number (audit findings) -------


def test_a_lone_surrogate_is_stored_replaced_and_answered(consented_chat, meta):
    """JSON may carry a lone UTF-16 surrogate ("\\ud800"); PostgreSQL cannot store it. It is
    replaced like a NUL instead of making a 500 that Meta redelivers."""
    ana = consented_chat()
    payload = message_payload("text", wa_id=ana.wa_id, text={"body": "hola PLACEHOLDER"})
    body = json.dumps(payload).replace("PLACEHOLDER", "\\ud800").encode()
    assert b"\\ud800" in body
    assert meta.post(None, raw=body).status_code == 200
    assert InboundMessage.objects.get(text="hola \ufffd").status == InboundMessage.Status.PROCESSED


def test_absurd_nesting_is_refused_with_400_at_once(meta):
    body = ('{"object": "whatsapp_business_account", "entry": ' + "[" * 100_000 + "]" * 100_000 + "}").encode()
    response = meta.post(None, raw=body)
    assert response.status_code == 400 and response.json() == {"error": "malformed payload"}
    assert not InboundMessage.objects.exists()


def test_an_unknown_status_or_interactive_type_does_not_drop_the_rest_of_the_batch(consented_chat, meta, standin):
    """One item of a kind the bot does not know (a Flow's nfm_reply, a new status) is kept or
    skipped; the other customers' messages of the same batch are stored and answered (200)."""
    ana, luz = consented_chat("573001234567", "Ana"), consented_chat("573101112233", "Luz")
    ana.replies(), luz.replies()
    payload = message_payload("text", wa_id=luz.wa_id, name="Luz", text={"body": "menú"})
    value = payload["entry"][0]["changes"][0]["value"]
    flow_reply = message_payload(
        "list_reply", wa_id=ana.wa_id, interactive={"type": "nfm_reply", "nfm_reply": {"response_json": "{}"}}
    )["entry"][0]["changes"][0]["value"]["messages"][0]
    value["messages"].append(flow_reply)
    value["contacts"].append({"profile": {"name": "Ana"}, "wa_id": ana.wa_id})
    value["statuses"] = [{"id": "wamid.x", "status": "played", "timestamp": "1764115200", "recipient_id": ana.wa_id}]

    assert meta.post(payload).status_code == 200
    assert "¿En qué te puedo ayudar?" in texts(luz.replies())  # the menu (greeted once per session)
    stored = InboundMessage.objects.get(wa_message_id=flow_reply["id"])
    assert stored.type == "unsupported" and stored.status == InboundMessage.Status.PROCESSED
    assert len(ana.replies()) == 1  # the polite "I can't read that" answer


def test_changes_for_another_business_number_are_skipped(meta, standin, settings):
    """The same Meta app may serve several numbers: traffic for another one is not ours."""
    payload = message_payload("text", wa_id="573001234567", text={"body": "hola"})
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999999999999999"
    assert meta.post(payload).status_code == 200
    _nothing_stored(standin)
