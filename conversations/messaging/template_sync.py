"""The WhatsApp templates the bot sends, as code, compared with the Business Account's.

Each file in ``whatsapp_templates/`` is the body Meta's template API takes
(``POST /{waba-id}/message_templates``): name, language, category, components with their
text, examples and buttons. The name sent is the one configured (``WHATSAPP_*_TEMPLATE``),
so a renamed template is checked and submitted under its configured name.

``templates_compare`` reads the account's templates (``GET /{waba-id}/message_templates``,
every page) and says for each of ours whether it is approved as written, missing, pending,
rejected (with Meta's reason), paused or disabled, or different (what differs);
``templates_submit`` creates the missing ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from conversations.messaging.whatsapp import CloudAPIClient

FOLDER = Path(__file__).resolve().parent / "whatsapp_templates"

# The setting naming each template, and its file. CSAT surveys are only asked inside the
# 24-hour window (conversations.bot.csat), so they need no template.
TEMPLATE_FILES = {
    "WHATSAPP_OTP_TEMPLATE": "codigo_verificacion.json",
    "WHATSAPP_OTP_NOTICE_TEMPLATE": "aviso_codigo.json",
    "WHATSAPP_SHARE_NUMBER_TEMPLATE": "compartir_numero.json",
    "WHATSAPP_REENGAGEMENT_TEMPLATE": "retomar_conversacion.json",
    "WHATSAPP_NOTIFY_TEMPLATE": "estado_solicitud.json",
    "WHATSAPP_HABEAS_DATA_TEMPLATE": "habeas_data.json",
}

FIELDS = "name,language,status,category,components,rejected_reason,id"
# Meta lists a copy-code (OTP) button of an authentication template as a URL button.
_SAME_BUTTON_TYPES = {"OTP": "URL"}


@dataclass
class TemplateState:
    name: str
    language: str
    state: str  # ok, missing, pending, rejected, paused, disabled, different
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "ok"


def templates_defined() -> list[dict]:
    """Our templates, named as configured, in the language configured."""
    defined = []
    for setting, filename in TEMPLATE_FILES.items():
        template = json.loads((FOLDER / filename).read_text(encoding="utf-8"))
        template["name"] = getattr(settings, setting)
        template["language"] = settings.WHATSAPP_TEMPLATE_LANGUAGE
        defined.append(template)
    return defined


def templates_remote(client: CloudAPIClient, *, waba_id: str) -> list[dict]:
    """Every template of the Business Account, following Meta's paging."""
    page = client.graph_get(f"{waba_id}/message_templates", fields=FIELDS, limit=100)
    found = list(page.get("data", []))
    while page.get("paging", {}).get("next"):
        page = client.graph_get(page["paging"]["next"])
        found += page.get("data", [])
    return found


def _button(button: dict) -> tuple:
    kind = button.get("type", "").upper()
    return (_SAME_BUTTON_TYPES.get(kind, kind), button.get("text", ""))


def differences(ours: dict, theirs: dict) -> list[str]:
    """What Meta holds that is not what we wrote: category, then per component the fields we
    set (text, format, security recommendation, code expiry) and the buttons (type, text).
    Examples are not compared: they are only there for Meta's review."""
    found = []
    if ours["category"] != theirs.get("category"):
        found.append(f"category {theirs.get('category')} (ours {ours['category']})")
    remote = {component.get("type", "").upper(): component for component in theirs.get("components", [])}
    for component in ours["components"]:
        kind = component["type"]
        other = remote.get(kind)
        if other is None:
            found.append(f"no {kind} component")
            continue
        for key in ("text", "format", "add_security_recommendation", "code_expiration_minutes"):
            if key in component and component[key] != other.get(key):
                found.append(f"{kind} {key}: {other.get(key)!r} (ours {component[key]!r})")
        if kind == "BUTTONS":
            mine = [_button(b) for b in component["buttons"]]
            their = [_button(b) for b in other.get("buttons", [])]
            if mine != their:
                found.append(f"buttons {their} (ours {mine})")
    extra = set(remote) - {component["type"] for component in ours["components"]}
    if extra:
        found.append(f"components we do not have: {', '.join(sorted(extra))}")
    return found


def templates_compare(*, defined: list[dict], remote: list[dict]) -> list[TemplateState]:
    by_key = {(item.get("name"), item.get("language")): item for item in remote}
    states = []
    for ours in defined:
        name, language = ours["name"], ours["language"]
        theirs = by_key.get((name, language))
        if theirs is None:
            states.append(TemplateState(name, language, "missing", "not in the WhatsApp Business Account"))
            continue
        status = theirs.get("status", "").upper()
        if status in ("PENDING", "IN_APPEAL"):
            states.append(TemplateState(name, language, "pending", f"{status.lower()}: Meta is reviewing it"))
        elif status == "REJECTED":
            reason = theirs.get("rejected_reason") or "no reason given"
            states.append(TemplateState(name, language, "rejected", f"rejected by Meta: {reason}"))
        elif status in ("PAUSED", "DISABLED", "PENDING_DELETION", "DELETED", "LIMIT_EXCEEDED"):
            states.append(TemplateState(name, language, status.lower(), f"{status} at Meta (quality or deletion)"))
        elif diff := differences(ours, theirs):
            states.append(TemplateState(name, language, "different", "; ".join(diff)))
        else:
            states.append(TemplateState(name, language, "ok", status.lower() or "approved"))
    return states


def templates_submit(client: CloudAPIClient, *, waba_id: str, templates: list[dict]) -> list[dict]:
    """Create each template; Meta answers with its id, status and category."""
    return [client.graph_post(f"{waba_id}/message_templates", template) for template in templates]
