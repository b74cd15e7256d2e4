from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from conversations.bot.admin_metrics import metrics_view
from conversations.messaging.views import WhatsAppWebhookView

urlpatterns = [
    path("webhooks/whatsapp/", WhatsAppWebhookView.as_view(), name="whatsapp-webhook"),
    path("verificar/", include("documents.urls")),
    path("api/v1/", include("conversations.api.urls")),  # internal API (issue 13)
    path("admin/metrics/", admin.site.admin_view(metrics_view), name="admin-metrics"),
    path("admin/", admin.site.urls),
]

if settings.SANDBOX_ENABLED:
    urlpatterns.append(path("sandbox/", include("conversations.dev.sandbox_urls")))

if settings.DEBUG:
    # gunicorn serves no static files: in the embedded default (DEBUG) Django serves the admin's.
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
