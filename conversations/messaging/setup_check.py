"""Is this deployment wired to Meta correctly? What ``manage.py whatsapp_check`` verifies.

- the access token is accepted and the phone number id is one it reaches (GET /{phone-number-id});
- the app secret is the token's app's (the same call with ``appsecret_proof``, which Meta
  refuses when the secret is not the app's);
- the number belongs to the WhatsApp Business Account, and the account has the app
  subscribed to its webhooks (GET /{waba-id}/phone_numbers, /subscribed_apps);
- this deployment's webhook answers Meta's verification challenge with the verify token,
  accepts a body signed with the app secret and refuses one signed with anything else
  (a signed self-test against ``PROALTO_SITE_URL``'s webhook).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

import requests

from conversations.messaging import whatsapp
from conversations.messaging.webhook import sign

# A notification with no change in it: stored nowhere, answered 200 when correctly signed.
SELF_TEST_BODY = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode()


@dataclass
class Finding:
    what: str
    ok: bool
    detail: str


def _graph_problem(exc: Exception) -> str:
    if isinstance(exc, whatsapp.TokenExpiredError):
        return "Meta rejected the access token (190): renew WHATSAPP_ACCESS_TOKEN"
    return str(exc)


def whatsapp_setup_check(
    client: whatsapp.CloudAPIClient,
    *,
    phone_number_id: str,
    waba_id: str,
    access_token: str,
    app_secret: str,
    verify_token: str,
    webhook_url: str,
    timeout: float = 10,
) -> list[Finding]:
    findings = []
    try:
        number = client.graph_get(phone_number_id, fields="display_phone_number,verified_name,quality_rating")
        findings.append(
            Finding(
                "access token and phone number id",
                True,
                f"{number.get('display_phone_number')} ({number.get('verified_name')}), quality "
                f"{number.get('quality_rating', 'unknown')}",
            )
        )
    except (whatsapp.WhatsAppError, requests.RequestException) as exc:
        findings.append(Finding("access token and phone number id", False, _graph_problem(exc)))
        return findings  # nothing else can be asked of Meta without them

    proof = hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()
    try:
        client.graph_get(phone_number_id, fields="id", appsecret_proof=proof)
        findings.append(Finding("app secret (appsecret_proof)", True, "Meta accepts the proof made with it"))
    except (whatsapp.WhatsAppError, requests.RequestException) as exc:
        findings.append(Finding("app secret (appsecret_proof)", False, f"{exc}: WHATSAPP_APP_SECRET is not the app's"))

    if not waba_id:
        findings.append(Finding("business account", False, "WHATSAPP_BUSINESS_ACCOUNT_ID is not set"))
    else:
        try:
            numbers = client.graph_get(f"{waba_id}/phone_numbers").get("data", [])
            mine = any(item.get("id") == phone_number_id for item in numbers)
            findings.append(
                Finding(
                    "phone number in the business account",
                    mine,
                    "listed" if mine else f"{phone_number_id} is not among the account's {len(numbers)} number(s)",
                )
            )
            apps = client.graph_get(f"{waba_id}/subscribed_apps").get("data", [])
            findings.append(
                Finding(
                    "webhook subscription",
                    bool(apps),
                    ", ".join(a.get("whatsapp_business_api_data", {}).get("name", "?") for a in apps)
                    or f"no app subscribed: POST /{waba_id}/subscribed_apps with the token",
                )
            )
        except (whatsapp.WhatsAppError, requests.RequestException) as exc:
            findings.append(Finding("business account", False, _graph_problem(exc)))

    findings += webhook_self_test(
        webhook_url=webhook_url, app_secret=app_secret, verify_token=verify_token, timeout=timeout
    )
    return findings


def webhook_self_test(*, webhook_url: str, app_secret: str, verify_token: str, timeout: float = 10) -> list[Finding]:
    """Our own webhook, called as Meta calls it."""
    findings = []
    challenge = str(secrets.randbelow(10**9))
    try:
        answer = requests.get(
            webhook_url,
            params={"hub.mode": "subscribe", "hub.verify_token": verify_token, "hub.challenge": challenge},
            timeout=timeout,
        )
        ok = answer.status_code == 200 and answer.text == challenge
        findings.append(
            Finding(
                "webhook verification (verify token)", ok, "challenge echoed" if ok else f"HTTP {answer.status_code}"
            )
        )
        signed = requests.post(
            webhook_url,
            data=SELF_TEST_BODY,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(SELF_TEST_BODY, app_secret)},
            timeout=timeout,
        )
        forged = requests.post(
            webhook_url,
            data=SELF_TEST_BODY,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": sign(SELF_TEST_BODY, "not-the-secret"),
            },
            timeout=timeout,
        )
        ok = signed.status_code == 200 and forged.status_code == 403
        detail = (
            "a body signed with the app secret is accepted, a forged one refused"
            if ok
            else f"signed: HTTP {signed.status_code}, forged: HTTP {forged.status_code} (expected 200 and 403)"
        )
        findings.append(Finding("webhook signature (app secret, signed self-test)", ok, detail))
    except requests.RequestException as exc:
        findings.append(Finding("webhook reachable", False, f"{webhook_url}: {type(exc).__name__}"))
    return findings
