"""The Cloud API client against the stand-in on loopback: Meta's limits are enforced before
anything is sent, a send is tried once (reads a few times), failures are typed as transient or not,
and Graph error codes become typed errors."""

import pytest

from conversations.messaging import whatsapp

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def client(standin):
    return whatsapp.get_client()


# --- Limits, before any call ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: whatsapp.text_body(""),
        lambda: whatsapp.text_body("x" * 4097),
        lambda: whatsapp.buttons_body("¿Seguimos?", [("a", "Uno"), ("b", "Dos"), ("c", "Tres"), ("d", "Cuatro")]),
        lambda: whatsapp.buttons_body("¿Seguimos?", [("a", "Un título demasiado largo")]),
        lambda: whatsapp.buttons_body("¿Seguimos?", [("a", "Sí"), ("b", "Sí")]),
        lambda: whatsapp.buttons_body("x" * 1025, [("a", "Sí")]),
        lambda: whatsapp.list_body(
            "Elige", button="Ver", sections=[{"rows": [{"id": str(i), "title": f"Opción {i}"} for i in range(11)]}]
        ),
        lambda: whatsapp.list_body("Elige", button="Ver", sections=[{"rows": [{"id": "a", "title": "y" * 25}]}]),
        lambda: whatsapp.list_body(
            "Elige", button="Ver", sections=[{"rows": [{"id": "a", "title": "A", "description": "d" * 73}]}]
        ),
        lambda: whatsapp.list_body(
            "Elige", button="Un botón muy, muy largo", sections=[{"rows": [{"id": "a", "title": "A"}]}]
        ),
        lambda: whatsapp.list_body(
            "Elige", button="Ver", sections=[{"rows": [{"id": "a", "title": "A"}, {"id": "a", "title": "B"}]}]
        ),
        lambda: whatsapp.document_body("1", filename="a.pdf", caption="c" * 1025),
    ],
    ids=[
        "empty-text",
        "long-text",
        "four-buttons",
        "long-button",
        "same-titles",
        "long-button-body",
        "eleven-rows",
        "long-row-title",
        "long-row-description",
        "long-list-button",
        "duplicate-row-ids",
        "long-caption",
    ],
)
def test_bodies_over_metas_limits_are_refused_before_sending(standin, build):
    with pytest.raises(whatsapp.MessageLimitError):
        build()
    assert standin.calls == 0


def test_bodies_at_the_limits_are_accepted_by_the_api(client, standin):
    bodies = [
        whatsapp.text_body("x" * 4096),
        whatsapp.buttons_body(
            "¿Seguimos?", [("a", "y" * 20), ("b", "Dos"), ("c", "Tres")], header="h" * 60, footer="f" * 60
        ),
        whatsapp.list_body(
            "Elige",
            button="b" * 20,
            sections=[
                {
                    "title": "s" * 24,
                    "rows": [{"id": str(i), "title": "t" * 23 + str(i), "description": "d" * 72} for i in range(10)],
                }
            ],
        ),
        whatsapp.template_body(
            "proalto_codigo_verificacion", language="es", body_params=["123456"], url_button_param="123456"
        ),
    ]
    ids = [client.send({"to": "573001234567"}, body) for body in bodies]
    assert len(set(ids)) == 4 and all(i.startswith("wamid.") for i in ids)
    assert [m["type"] for m in standin.sent_to("573001234567")] == ["text", "interactive", "interactive", "template"]


# --- Retries ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "failure, error_class",
    [
        ({"status": 500, "code": 1}, whatsapp.TransientError),
        ({"status": 503, "code": 2}, whatsapp.TransientError),
        ({"status": 429, "code": 130429}, whatsapp.RateLimitedError),
        ({"status": 400, "code": 80007}, whatsapp.RateLimitedError),
        ({"status": 400, "code": 131056}, whatsapp.PairRateLimitedError),
    ],
    ids=["500", "503", "429-throughput", "waba-rate-limit", "pair-rate-limit"],
)
def test_a_send_is_never_retried_inside_the_worker(client, standin, failure, error_class):
    """A send is not idempotent and a worker serves every customer: a transient failure is
    raised at once, typed, for the outbox to try again later (with a Celery countdown)."""
    standin.failures.append({"on": "messages", "times": 1, **failure})
    with pytest.raises(error_class) as error:
        client.send({"to": "573001234567"}, whatsapp.text_body("Hola"))
    assert error.value.retryable and error.value.code == failure["code"]
    assert standin.calls == 1
    assert standin.sent_to() == []
    # Nothing was waited for: the next send goes straight out.
    assert client.send({"to": "573001234567"}, whatsapp.text_body("Hola"))
    assert standin.calls == 2


def test_a_read_is_retried_a_few_times_then_raises(client, standin, settings):
    media_id = standin.put_media(PDF, "application/pdf", "cedula.pdf")
    standin.failures.append({"on": "media_info", "status": 500, "code": 1, "times": 100})
    with pytest.raises(whatsapp.TransientError) as error:
        client.media_info(media_id)
    assert error.value.http_status == 500
    assert standin.calls == settings.WHATSAPP_MAX_RETRIES + 1


@pytest.mark.parametrize(
    "failure, error_class",
    [
        ({"status": 400, "code": 100}, whatsapp.PermanentError),
        ({"status": 400, "code": 131047}, whatsapp.WindowClosedError),
        ({"status": 400, "code": 131026}, whatsapp.UndeliverableError),
    ],
    ids=["invalid-parameter", "window-closed", "undeliverable"],
)
def test_permanent_errors_are_typed_and_not_retried(client, standin, failure, error_class):
    standin.failures.append({"on": "messages", "times": 1, **failure})
    with pytest.raises(error_class) as error:
        client.send({"to": "573001234567"}, whatsapp.text_body("Hola"))
    assert error.value.code == failure["code"]
    assert not error.value.retryable
    assert standin.calls == 1
    assert standin.sent_to() == []


def test_what_meta_itself_refuses_is_a_permanent_error(client, standin):
    with pytest.raises(whatsapp.UndeliverableError):
        client.send({"to": "12"}, whatsapp.text_body("Hola"))
    with pytest.raises(whatsapp.PermanentError) as error:
        client.send({"to": "573001234567"}, {"type": "document", "document": {"id": "999", "filename": "a.pdf"}})
    assert error.value.code == 131053


def test_an_expired_token_is_a_typed_error(standin, settings):
    settings.WHATSAPP_ACCESS_TOKEN = "revoked-token"
    client = whatsapp.get_client()
    with pytest.raises(whatsapp.TokenExpiredError) as error:
        client.send({"to": "573001234567"}, whatsapp.text_body("Hola"))
    assert error.value.code == 190 and not error.value.retryable
    assert standin.sent_to() == []
    assert standin.calls == 0  # refused at the door: the stand-in checks the token first


# --- Media and read receipts ----------------------------------------------------------------------


def test_media_upload_then_send_as_document(client, standin):
    media_id = client.upload_media(PDF, mime_type="application/pdf", filename="paz_y_salvo.pdf")
    assert standin.media[media_id] == {"data": PDF, "mime_type": "application/pdf", "filename": "paz_y_salvo.pdf"}
    client.send(
        {"to": "573001234567"}, whatsapp.document_body(media_id, filename="paz_y_salvo.pdf", caption="Tu paz y salvo")
    )
    [sent] = standin.sent_to("573001234567")
    assert sent["payload"]["document"]["id"] == media_id


def test_media_download_returns_the_bytes_and_their_type(client, standin):
    media_id = standin.put_media(PDF, "application/pdf", "cedula.pdf")
    data, info = client.download_media(media_id, max_bytes=1024)
    assert data == PDF
    assert info.mime_type == "application/pdf" and info.file_size == len(PDF)


def test_media_download_over_the_limit_is_refused(client, standin):
    media_id = standin.put_media(PDF * 100, "application/pdf", "grande.pdf")
    with pytest.raises(whatsapp.MediaTooLargeError):
        client.download_media(media_id, max_bytes=1024)


def test_media_download_retries_a_failed_fetch(client, standin):
    media_id = standin.put_media(PDF, "application/pdf", "cedula.pdf")
    standin.failures.append({"on": "download", "status": 502, "times": 1})
    data, _ = client.download_media(media_id, max_bytes=1024)
    assert data == PDF


def test_unknown_media_is_a_permanent_error(client, standin):
    with pytest.raises(whatsapp.PermanentError):
        client.download_media("123456789", max_bytes=1024)


def test_mark_read_with_typing_indicator(client, standin):
    client.mark_read("wamid.ABC", typing=True)
    client.mark_read("wamid.DEF", typing=False)
    assert standin.reads == ["wamid.ABC", "wamid.DEF"]
    assert standin.sent_to() == []  # a read receipt is not a message


# --- Transport ------------------------------------------------------------------------------------


def test_proxy_settings_are_read_from_the_environment_once(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.banco.internal:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    kwargs = dict(base_url="https://graph.facebook.com", version="v21.0", phone_number_id="1", access_token="t")
    assert whatsapp.CloudAPIClient(**kwargs).http.proxies.get("https") == "http://proxy.banco.internal:3128"
    monkeypatch.setenv("NO_PROXY", "graph.facebook.com")
    assert whatsapp.CloudAPIClient(**kwargs).http.proxies == {}


def test_calls_reuse_one_connection_to_the_cloud_api(client, standin):
    """The stand-in keeps connections alive as Meta's servers do, and the client reuses them."""
    for _ in range(5):
        client.send({"to": "573001112233"}, whatsapp.text_body("hola"))
    assert len(standin.messages) == 5
    assert standin.connections <= 1  # one new connection at most (an earlier test's may be reused)


def test_a_customer_without_a_visible_phone_is_addressed_by_bsuid(client, standin):
    """Meta's recipient field carries the business-scoped user ID; the response says so."""
    message_id = client.send({"recipient": "CO.13491208655302741918"}, whatsapp.text_body("Hola"))
    [sent] = standin.sent_to("CO.13491208655302741918")
    assert sent["id"] == message_id and sent["addressed_by"] == "recipient"
    assert "to" not in sent["payload"] and sent["payload"]["recipient"] == "CO.13491208655302741918"


def test_an_authentication_template_to_a_bsuid_is_a_permanent_error(client, standin):
    body = whatsapp.template_body(
        "proalto_codigo_verificacion", language="es", body_params=["123456"], url_button_param="123456"
    )
    with pytest.raises(whatsapp.BsuidUnsupportedError) as raised:
        client.send({"recipient": "CO.13491208655302741918"}, body)
    assert raised.value.code == 131062 and not raised.value.retryable
    assert standin.sent_to("CO.13491208655302741918") == []


def test_an_address_is_a_phone_or_a_bsuid(client):
    for address in ({}, {"to": ""}, {"to": "573001234567", "recipient": "CO.1"}, {"phone": "573001234567"}):
        with pytest.raises(ValueError):
            client.send(address, whatsapp.text_body("Hola"))
