import pytest

from credits import selectors
from tests.portfolio import demo_lines, portfolio_write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_portfolio():
    portfolio_write(*demo_lines())


def test_customer_by_cedula():
    assert selectors.customer_by_cedula(cedula="1020304050").phone == "573001234567"
    assert selectors.customer_by_cedula(cedula="1.020.304.050").cedula == "1020304050"
    assert selectors.customer_by_cedula(cedula="999999") is None
    assert selectors.customer_by_cedula(cedula="abc") is None


def test_customer_by_phone_accepts_any_format():
    for phone in ("573001234567", "+57 300 123 4567", "3001234567"):
        assert selectors.customer_by_phone(phone=phone).cedula == "1020304050"
    assert selectors.customer_by_phone(phone="573000000000") is None
    assert selectors.customer_by_phone(phone="not a phone") is None


def test_customer_by_phone_is_none_when_shared():
    portfolio_write({"cedula": "123456", "full_name": "Otra Persona", "phone": "573001234567"})
    assert selectors.customer_by_phone(phone="573001234567") is None


def test_credits_selectors():
    luz = selectors.customer_by_cedula(cedula="43567890")
    assert [c.number for c in selectors.customer_active_credits(customer=luz)] == ["LIB-000201", "LIB-000245"]
    carlos = selectors.customer_by_cedula(cedula="79456123")
    assert not selectors.customer_active_credits(customer=carlos)
    assert [c.number for c in selectors.customer_credits(customer=carlos)] == ["LIB-000087"]
    jorge = selectors.customer_by_cedula(cedula="16789012")
    assert [c.status for c in selectors.customer_active_credits(customer=jorge)] == ["arrears"]


def test_customer_latest_application():
    diana = selectors.customer_by_cedula(cedula="1032456789")
    assert [a.number for a in selectors.customer_latest_application(customer=diana)] == ["SOL-2026-0057"]
    andres = selectors.customer_by_cedula(cedula="1098765432")
    assert not selectors.customer_latest_application(customer=andres)
