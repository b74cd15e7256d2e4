"""/healthz and /readyz from the orchestrator's side: plain HTTP to the instance's address,
JSON, 200/503, cheap, nothing personal; the core database checked when it is configured."""

from __future__ import annotations

import pytest

from conversations.messaging import whatsapp
from proalto.health import readiness_forget


@pytest.fixture(autouse=True)
def fresh_readiness(settings):
    settings.READINESS_CACHE_SECONDS = 0
    readiness_forget()
    whatsapp.token_seen_forget()
    yield
    readiness_forget()


@pytest.fixture
def production_edge(settings):
    """What a deployment has in front of the views: a host list and the HTTPS redirect."""
    settings.ALLOWED_HOSTS = ["bot.example.com"]
    settings.SECURE_SSL_REDIRECT = True


def test_liveness_answers_any_host_over_plain_http(client, production_edge):
    response = client.get("/healthz", HTTP_HOST="10.0.3.17:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert response["Cache-Control"] == "no-store"
    # The same request elsewhere is refused by the host check, as before.
    assert client.get("/verificar/x/", HTTP_HOST="10.0.3.17:8000").status_code == 400
    assert client.get("/verificar/x/", HTTP_HOST="bot.example.com").status_code == 301  # to https


@pytest.mark.django_db(databases="__all__")  # /readyz checks every alias (the core in the services pass)
def test_liveness_touches_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_readiness_reports_each_dependency(client, production_edge, settings):
    response = client.get("/readyz", HTTP_HOST="10.0.3.17")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ready"
    core = {"database:core"} if "core" in settings.DATABASES else set()  # the services pass reads the core
    assert set(body["checks"]) == {"database:default", "cache", "broker", "storage", "meta_token", *core}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["meta_token"]["critical"] is False


def test_only_get_and_head(client):
    assert client.post("/readyz").status_code == 405
    assert client.head("/healthz").status_code == 200


def _cache_unreachable(settings):
    from scripts.services import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_an_unreachable_dependency_makes_the_instance_unready(client, settings):
    kept = settings.CACHES
    _cache_unreachable(settings)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database:default"]["ok"] is True
    settings.CACHES = kept
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_readiness_results_are_kept_between_probes(client, settings):
    settings.READINESS_CACHE_SECONDS = 60
    assert client.get("/readyz").status_code == 200
    _cache_unreachable(settings)
    # Within the period the kept result answers: a probe every few seconds costs nothing.
    assert client.get("/readyz").status_code == 200
    readiness_forget()
    assert client.get("/readyz").status_code == 503


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_rejected_meta_token_is_reported_without_taking_the_instance_out(client, standin):
    standin.failures.append({"status": 401, "code": 190, "times": 1, "on": "messages"})
    with pytest.raises(whatsapp.TokenExpiredError):
        whatsapp.get_client().send({"to": "573001234567"}, whatsapp.text_body("hola"))
    response = client.get("/readyz")
    assert response.status_code == 200
    token = response.json()["checks"]["meta_token"]
    assert token["ok"] is False and token["critical"] is False
    assert "190" in token["error"]

    # The next accepted call (a renewed token) clears it.
    whatsapp.get_client().send({"to": "573001234567"}, whatsapp.text_body("hola"))
    readiness_forget()
    assert client.get("/readyz").json()["checks"]["meta_token"]["ok"] is True
