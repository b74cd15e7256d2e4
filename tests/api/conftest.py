"""Clients of the internal API over real HTTP (pytest-django's live server)."""

from __future__ import annotations

import pytest
import requests


class ApiClient:
    """A client system holding one key, as ManyChat or ProAlto's core would."""

    def __init__(self, base: str, key: str | None):
        self.base = base
        self.key = key

    def headers(self, key: str | None = None) -> dict:
        key = key if key is not None else self.key
        return {"Authorization": f"Api-Key {key}"} if key else {}

    def post(self, path: str, body, *, headers: dict | None = None) -> requests.Response:
        return requests.post(f"{self.base}{path}", json=body, headers=headers or self.headers(), timeout=30)

    def get(self, path: str, params=None, *, headers: dict | None = None) -> requests.Response:
        return requests.get(f"{self.base}{path}", params=params, headers=headers or self.headers(), timeout=30)

    def lookup(self, consulta: str, *, cedula="1020304050", fecha="1979-05-10", whatsapp="573001234567"):
        body = {"cedula": cedula, "fecha_expedicion": fecha, "whatsapp": whatsapp, "consulta": consulta}
        return self.post("/lookup/", body)


@pytest.fixture
def api_client(live_server, standin, policy):
    """Factory: api_client("lookup", "events") is a client system with a key of those scopes."""
    from conversations.api.models import ClientKey

    def make(*scopes: str, name: str = "ManyChat", rate: str = "", **fields) -> ApiClient:
        _, key = ClientKey.objects.create_key(name=name, scopes=list(scopes), rate=rate, **fields)
        return ApiClient(f"{live_server.url}/api/v1", key)

    return make
