"""The admin's customer page reads credits and applications through credits.selectors, from
the source in use, and says where they come from; with the core as source the stage of an
application the core owns cannot be changed here."""

from datetime import timedelta

import pytest
from django.utils import timezone

from credits.models import Application, Customer, PortfolioLoad
from proalto.colombia import format_date_long, format_time
from tests.portfolio import core_active, demo_line, portfolio_write

pytestmark = pytest.mark.django_db


def test_the_customer_page_shows_credits_and_applications_from_the_source(logged_in, portfolio):
    line = demo_line("1020304050")
    line["credits"][0]["balance"] = "8000000.00"
    portfolio_write(line, sync=False)  # with the core as source, only the core has it
    customer = Customer.objects.get(cedula="1020304050")

    page = logged_in("Supervisor").get(f"/admin/credits/customer/{customer.pk}/change/").content.decode()

    assert "LIB-000123" in page and "$8.000.000" in page and "27 de 60" in page and "Colpensiones" in page
    assert "SOL-2026-0042" in page and "Estudio" in page
    if core_active():
        assert "Sistema central de ProAlto, consultado en vivo." in page
    else:
        as_of = PortfolioLoad.objects.latest("data_as_of").data_as_of
        assert f"Copia local con corte al {format_date_long(as_of)}, {format_time(as_of)}<" in page


def test_a_never_loaded_copy_is_said(logged_in, settings):
    settings.PORTFOLIO_SOURCE = "local"
    customer = Customer.objects.create(cedula="52123456", full_name="Marta Pérez", phone="573209876501")
    page = logged_in("Supervisor").get(f"/admin/credits/customer/{customer.pk}/change/").content.decode()
    assert "Copia local (nunca cargada)." in page


def test_with_the_core_as_source_its_stages_are_read_only_and_the_bots_leads_are_not(logged_in, settings, portfolio):
    settings.PORTFOLIO_SOURCE = "core"
    boss = logged_in("Supervisor")
    application = Application.objects.get(number="SOL-2026-0042")
    page = boss.get(f"/admin/credits/application/{application.pk}/change/").content.decode()
    assert 'name="stage"' not in page and "Estudio" in page

    lead = Application.objects.create(
        customer=application.customer,
        number="WA-2026-ABCDEFGH",
        stage="recepcion",
        origin="whatsapp",
        updated_at=timezone.now() - timedelta(hours=1),
    )
    page = boss.get(f"/admin/credits/application/{lead.pk}/change/").content.decode()
    assert 'name="stage"' in page
