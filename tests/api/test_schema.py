"""The OpenAPI 3 schema (drf-spectacular) is valid and names the contracts; its pages are
for staff and served from this server (drf-spectacular-sidecar: no CDN)."""

import requests
from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate


def test_the_schema_is_valid_openapi_3_with_the_contracts():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {"/api/v1/lookup/", "/api/v1/events/", "/api/v1/leads/"}
    assert schema["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schema["components"]["securitySchemes"]["ApiKey"]["description"],
    }
    lookup = schema["components"]["schemas"]["LookupRequest"]
    assert set(lookup["required"]) == {"cedula", "fecha_expedicion", "whatsapp", "consulta"}
    answer = schema["components"]["schemas"]["LookupAnswer"]["properties"]
    assert {"ok", "consulta", "cliente", "creditos", "solicitudes", "paz_y_salvo", "corte", "texto"} <= set(answer)
    events = schema["paths"]["/api/v1/events/"]["post"]["responses"]
    assert {"200", "202", "400", "401", "403", "422", "429", "503"} <= set(events)
    refusal = schema["components"]["schemas"]["EventRefusal"]["properties"]
    assert set(refusal) == {"ok", "error", "texto"}
    assert "cliente_desconocido" in str(schema["components"]["schemas"])


def test_the_schema_and_its_pages_are_for_staff(live_server, db):
    for path in ("/api/v1/schema/", "/api/v1/docs/"):
        response = requests.get(f"{live_server.url}{path}", allow_redirects=False, timeout=10)
        assert response.status_code == 302 and "/admin/login/" in response.headers["Location"], path
