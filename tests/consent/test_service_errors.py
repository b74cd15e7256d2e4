"""Every refusal of the Habeas Data services says why, in Spanish, and changes nothing."""

from datetime import datetime

import pytest
from django.contrib.auth import get_user_model

from consent.models import DataRightsRequest, PolicyVersion
from consent.services import (
    RightsRequestError,
    policy_publish,
    rights_request_complete_info,
    rights_request_open,
    rights_request_resolve,
)
from conversations.models import Contact
from proalto.colombia import BOGOTA

pytestmark = pytest.mark.django_db
FRIDAY = datetime(2026, 12, 4, 10, 0, tzinfo=BOGOTA)


def draft(version: str, **fields) -> PolicyVersion:
    values = {"consent_text": "ProAlto tratará tus datos.", "policy_url": "https://www.proalto.com.co/pti"} | fields
    return PolicyVersion.objects.create(version=version, **values)


def test_a_published_version_is_not_published_again():
    published = policy_publish(policy=draft("2027.1"), now=FRIDAY)
    with pytest.raises(ValueError, match=r"^La versión 2027\.1 ya está publicada\.$"):
        policy_publish(policy=published, now=FRIDAY)


@pytest.mark.parametrize("fields", [{"consent_text": "  "}, {"policy_url": ""}])
def test_a_version_without_its_text_or_link_is_not_published(fields):
    policy = draft("2027.2", **fields)
    with pytest.raises(ValueError, match="necesita el texto de autorización y el enlace a la política"):
        policy_publish(policy=policy, now=FRIDAY)
    policy.refresh_from_db()
    assert policy.published_at is None


def test_a_version_is_not_published_before_the_one_in_force():
    PolicyVersion.objects.all().delete()
    policy_publish(policy=draft("2027.3"), now=FRIDAY)
    earlier = draft("2027.4")
    with pytest.raises(ValueError, match=r"^La versión 2027\.3 tiene una fecha de publicación posterior"):
        policy_publish(policy=earlier, now=FRIDAY.replace(hour=9))
    earlier.refresh_from_db()
    assert earlier.published_at is None


@pytest.fixture
def contact():
    return Contact.objects.create(wa_id="573001234567", profile_name="Ana", last_inbound_at=FRIDAY)


def test_an_unknown_kind_of_request_is_refused(contact):
    with pytest.raises(RightsRequestError, match="unknown kind 'olvidar'"):
        rights_request_open(contact=contact, kind="olvidar", now=FRIDAY)
    assert not DataRightsRequest.objects.exists()


def test_resolving_needs_an_answer(contact):
    request = rights_request_open(contact=contact, kind="conocer", now=FRIDAY)
    officer = get_user_model().objects.create_user("oficial", password="x")
    with pytest.raises(RightsRequestError, match=r"^Escribe la respuesta que se enviará al titular\.$"):
        rights_request_resolve(request=request, answer="   ", by=officer, now=FRIDAY)
    request.refresh_from_db()
    assert request.status == DataRightsRequest.Status.RECEIVED


def test_information_is_completed_only_when_it_was_asked_for(contact):
    request = rights_request_open(contact=contact, kind="rectificar", detail="Mi apellido está mal", now=FRIDAY)
    with pytest.raises(RightsRequestError, match=r"^La solicitud no está esperando información\.$"):
        rights_request_complete_info(request=request, detail="Es Gómez con tilde", now=FRIDAY)
    request.refresh_from_db()
    assert (request.status, request.detail) == (DataRightsRequest.Status.RECEIVED, "Mi apellido está mal")
