"""The Meta access token in /readyz, as last seen by any process (whatsapp.token_state)."""

from __future__ import annotations

import dataclasses

from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from conversations.messaging import whatsapp


@dataclasses.dataclass
class MetaToken(HealthCheck):
    """Fails once Meta has rejected the access token (error 190) and no call has succeeded
    since; a token never used yet passes (``manage.py whatsapp_check`` tries it)."""

    def run(self):
        state = whatsapp.token_state()
        if state is not None and not state["valid"]:
            raise ServiceUnavailable("Meta rejected the access token (190): renew WHATSAPP_ACCESS_TOKEN")
