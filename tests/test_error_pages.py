"""Staff see the back office's errors in Spanish, the CSRF refusal included."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_is_refused_in_spanish():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="es-CO">' in page
    assert "No pudimos guardar este formulario" in page and "Nada se guardó" in page
    assert "CSRF verification failed" not in page
