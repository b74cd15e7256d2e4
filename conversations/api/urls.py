"""/api/v1/: the endpoints, the signed document links, the OpenAPI schema and its page
(Swagger UI served from this server by drf-spectacular-sidecar, staff only). Redoc is left
out: its bundle fetches its logo from a CDN and starts a blob: worker, which neither the
offline requirement nor the site's CSP allow."""

from django.contrib import admin
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views import EventsView, LeadsView, LookupView, document_download

urlpatterns = [
    path("lookup/", LookupView.as_view(), name="api-lookup"),
    path("events/", EventsView.as_view(), name="api-events"),
    path("leads/", LeadsView.as_view(), name="api-leads"),
    path("documentos/<str:token>/", document_download, name="api-document"),
    path("schema/", admin.site.admin_view(SpectacularAPIView.as_view()), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script for the CSP.
    path("docs/", admin.site.admin_view(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
]
