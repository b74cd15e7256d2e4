"""The client address every rate limit and the audit log use (proalto.http.client_ip)."""

from django.test import RequestFactory

from proalto.http import client_ip


def test_without_a_proxy_header_the_peer_address(settings):
    settings.STAFF_CLIENT_IP_HEADER = ""
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(request) == "203.0.113.5"


def test_behind_the_proxy_the_address_it_appended(settings):
    settings.STAFF_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    assert client_ip(request) == "203.0.113.5"


def test_what_is_not_an_address_is_never_used(settings):
    settings.STAFF_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5, <script>")
    assert client_ip(request) == "10.0.0.2"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None
