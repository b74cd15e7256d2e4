"""Who may call the API: 401 without a usable key (one body for every reason), 403 without the
endpoint's scope, 429 with Retry-After over the client's rate, keys created once by the
command, every call audited with personal data masked."""

import io
from datetime import timedelta

import pytest
import requests
from django.core.management import CommandError, call_command
from django.utils import timezone

from conversations.api.models import ApiCall, ClientKey


@pytest.fixture
def lookup_key(api_client, portfolio):
    return api_client("lookup")


def test_without_a_usable_key_401_with_one_body(api_client, portfolio):
    client = api_client("lookup")
    revoked = api_client("lookup", name="vieja")
    ClientKey.objects.filter(name="vieja").update(revoked=True)
    expired = api_client("lookup", name="vencida", expiry_date=timezone.now() - timedelta(minutes=1))
    prefix = client.key.split(".")[0]
    attempts = {
        "no header": {},
        "another scheme": {"Authorization": f"Bearer {client.key}"},
        "empty key": {"Authorization": "Api-Key "},
        "unknown key": {"Authorization": "Api-Key abcdefgh.0123456789abcdef0123456789abcdef"},
        "right prefix, wrong secret": {"Authorization": f"Api-Key {prefix}.{'x' * 32}"},
        "revoked": revoked.headers(),
        "expired": expired.headers(),
    }
    bodies = set()
    for why, headers in attempts.items():
        response = client.post("/lookup/", {}, headers=headers or {"X-Nothing": "1"})
        assert response.status_code == 401, why
        assert response.headers["WWW-Authenticate"].startswith("Api-Key")
        bodies.add(response.text)
    assert len(bodies) == 1
    assert "Falta la clave de la API o no es válida" in bodies.pop()
    assert ClientKey.objects.get(name="ManyChat").hashed_key != client.key  # stored hashed
    assert client.key not in str(list(ClientKey.objects.values()))


def test_a_key_read_from_the_cache_still_checks_its_secret_and_every_change(api_client, portfolio):
    """After a first call the key's row comes from the shared cache: a wrong secret with the
    same prefix is still 401, and a change saved to the key (scopes, expiry, revocation)
    holds from the very next call."""
    client = api_client("lookup")
    prefix = client.key.split(".")[0]
    assert client.lookup("saldo").status_code == 200
    wrong = client.post("/lookup/", {}, headers={"Authorization": f"Api-Key {prefix}.{'y' * 32}"})
    assert wrong.status_code == 401
    row = ClientKey.objects.get(prefix=prefix)
    row.scopes = ["events"]
    row.save()
    assert client.lookup("saldo").status_code == 403
    row.scopes, row.expiry_date = ["lookup"], timezone.now() - timedelta(seconds=1)
    row.save()
    assert client.lookup("saldo").status_code == 401
    row.expiry_date = None
    row.save()
    assert client.lookup("saldo").status_code == 200
    row.revoked = True
    row.save()
    assert client.lookup("saldo").status_code == 401
    row.delete()
    assert client.lookup("saldo").status_code == 401


def test_a_key_without_the_scope_gets_403(api_client, portfolio):
    events_only = api_client("events")
    response = events_only.lookup("saldo")
    assert response.status_code == 403
    assert response.json() == {"detail": "Esta clave no tiene permiso para este servicio."}
    assert api_client("lookup").get("/leads/", {"desde": "2026-01-01T00:00:00Z"}).status_code == 403
    assert api_client("leads").post("/events/", {}).status_code == 403


def test_over_the_client_rate_429_with_retry_after(api_client, portfolio):
    client = api_client("lookup", rate="3/min")
    other = api_client("lookup", name="Otro")
    assert [client.lookup("saldo").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.lookup("saldo")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "Demasiadas solicitudes" in refused.json()["detail"]
    assert other.lookup("saldo").status_code == 200  # the rate is per client


def test_the_shared_default_rate(api_client, portfolio, settings):
    settings.API_RATE = "2/min"
    client = api_client("lookup")
    assert [client.lookup("saldo").status_code for _ in range(3)] == [200, 200, 429]


def test_malformed_bodies_400_field_by_field_in_spanish(lookup_key):
    response = lookup_key.post(
        "/lookup/", {"cedula": "abc", "fecha_expedicion": "31/02/1979", "whatsapp": "12", "consulta": "otra"}
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["cedula"] == ["Escriba la cédula con solo dígitos (entre 5 y 12)."]
    assert errors["fecha_expedicion"] == ["Use una fecha válida con el formato AAAA-MM-DD o DD/MM/AAAA."]
    assert "celular colombiano" in errors["whatsapp"][0]
    assert "elección válida" in errors["consulta"][0]
    missing = lookup_key.post("/lookup/", {}).json()
    assert set(missing) == {"cedula", "fecha_expedicion", "whatsapp", "consulta"}
    assert missing["cedula"] == ["Este campo es requerido."]
    not_json = lookup_key.post("/lookup/", None, headers={**lookup_key.headers(), "Content-Type": "application/json"})
    assert not_json.status_code == 400


def test_every_call_is_audited_with_personal_data_masked(lookup_key):
    lookup_key.lookup("saldo")
    lookup_key.post("/lookup/", {}, headers={"Authorization": "Api-Key nada"})
    calls = list(ApiCall.objects.order_by("at"))
    assert [(c.client_name, c.endpoint, c.status, c.outcome) for c in calls] == [
        ("ManyChat", "/api/v1/lookup/", 200, "ok"),
        ("", "/api/v1/lookup/", 401, "sin_clave"),
    ]
    summary = calls[0].summary
    assert "1020304050" not in summary and "573001234567" not in summary
    assert summary == "cédula •••••••050, celular 57•••••4567, consulta saldo"


def test_create_api_key_prints_the_key_alone_on_its_last_line(live_server, portfolio):
    out = io.StringIO()
    call_command("create_api_key", "ManyChat", "--scopes", "lookup,events", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    client = ClientKey.objects.get_from_key(key)
    assert client.name == "ManyChat" and sorted(client.scopes) == ["events", "lookup"]
    assert "." in key and " " not in key
    body = {
        "cedula": "1020304050",
        "fecha_expedicion": "10/05/1979",
        "whatsapp": "+57 300 123 4567",
        "consulta": "saldo",
    }
    response = requests.post(
        f"{live_server.url}/api/v1/lookup/", json=body, headers={"Authorization": f"Api-Key {key}"}
    )
    assert response.status_code == 200 and response.json()["ok"] is True
    with pytest.raises(CommandError, match="Permisos desconocidos"):
        call_command("create_api_key", "X", "--scopes", "lookup,admin", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--expires"):
        call_command("create_api_key", "X", "--scopes", "lookup", "--expires", "2020-01-01", stdout=io.StringIO())
