"""Meta's verification challenge (GET /webhooks/whatsapp/): the verify token is compared in
constant time, so how long a wrong guess takes says nothing about the token."""

import hmac

WEBHOOK = "/webhooks/whatsapp/"


def challenge(client, token):
    return client.get(WEBHOOK, {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444"})


def test_the_token_is_compared_with_compare_digest(client, monkeypatch):
    compared = []
    constant_time = hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return constant_time(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert challenge(client, "test-verify-token").content == b"1158201444"
    assert challenge(client, "test-verify-tokem").status_code == 403
    assert compared == [(b"test-verify-token", b"test-verify-token"), (b"test-verify-tokem", b"test-verify-token")]


def test_a_token_in_any_alphabet_is_refused_not_an_error(client):
    # compare_digest refuses non-ASCII text; the view compares bytes.
    assert challenge(client, "contraseña-☃").status_code == 403
    assert challenge(client, "").status_code == 403
