"""Consultar saldo: after identity validation, each outstanding credit in Colombian format."""

import pytest

from tests.support import texts

pytestmark = pytest.mark.usefixtures("private_cache")  # a cache of its own (tests/conftest.py)


def balance_of(consented_chat, phone: str, cedula: str, issued: str) -> str:
    user = consented_chat(phone, "Cliente")
    assert "número de cédula" in texts(user.says("quiero saber mi saldo"))
    user.says(cedula)
    return texts(user.says(issued))


def test_one_credit(consented_chat, portfolio):
    body = balance_of(consented_chat, "573001234567", "1020304050", "10/05/1979")
    assert "Crédito LIB-000123" in body and "Colpensiones" in body
    assert "Saldo pendiente: *$8.250.000*" in body
    assert "Cuotas pagadas: 27 de 60" in body
    assert "Valor de la cuota: $410.000" in body
    assert "Próximo descuento: 1 de diciembre de 2026" in body
    assert "¿Hay algo más en lo que pueda ayudarte?" in body
    assert "cuotas pendientes de pago" not in body


def test_two_credits(consented_chat, portfolio):
    body = balance_of(consented_chat, "573101112233", "43.567.890", "15 de enero de 1982")
    assert "tus 2 créditos vigentes" in body
    assert body.index("LIB-000201") < body.index("LIB-000245")
    assert "Fiduprevisora (FOMAG)" in body
    assert "30 de 72" in body and "8 de 36" in body


def test_no_credits(consented_chat, portfolio):
    body = balance_of(consented_chat, "573116667788", "1098765432", "2008-10-20")
    assert "No tienes créditos vigentes" in body
    assert "$" not in body


def test_arrears_said_kindly(consented_chat, portfolio):
    body = balance_of(consented_chat, "573152223344", "16789012", "05/03/1976")
    assert "LIB-000310" in body and "CASUR" in body
    assert "cuotas pendientes de pago" in body and "asesor" in body


def test_paid_credits_are_not_listed(consented_chat, portfolio):
    body = balance_of(consented_chat, "573009876543", "79456123", "20/09/1973")
    assert "No tienes créditos vigentes" in body and "LIB-000087" not in body


def test_the_menu_row_starts_it(consented_chat, portfolio):
    ana = consented_chat("573001234567")
    assert "número de cédula" in texts(ana.taps("saldo"))
