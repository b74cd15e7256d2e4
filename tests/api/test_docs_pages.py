"""The API's documentation for staff: the schema and Swagger UI behind the admin's
login (with its second factor), every asset served by this server (drf-spectacular-sidecar)
under the site's strict Content-Security-Policy."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests.escalations.conftest import logged_in, roles, staff  # noqa: F401  (the back office's fixtures)
from tests.escalations.test_content_security_policy import assert_strict_policy

pytestmark = pytest.mark.django_db


def test_staff_read_the_schema_and_its_pages_offline(logged_in):  # noqa: F811
    supervisor = logged_in("Supervisor")
    schema = supervisor.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert b"/api/v1/lookup/" in schema.content
    for path in ("/api/v1/docs/",):
        page = supervisor.get(path)
        assert page.status_code == 200, path
        assert_strict_policy(page)
        html = page.content.decode()
        assert not re.search(r"""(src|href)=["']https?://""", html), "an asset from outside: not offline"
        assets = re.findall(r"""(?:src|href)=["'](/static/[^"'?]+)""", html)
        assert assets, path
        for asset in re.findall(r"""(?:src|href)=["'](/static/[^"'?]+)""", html):
            assert finders.find(asset.removeprefix("/static/")), f"{asset} is not shipped with the app"
