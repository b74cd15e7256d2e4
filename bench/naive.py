"""The reference point the webhook benchmark is read against besides the floor: the
straightforward Django view the issue describes (verify the signature, get_or_create the
sender and the message in a transaction, call .delay()), served by the project itself with
its settings and middleware, in the same run. Not part of the product.

    gunicorn naive:application --pythonpath bench
"""

import json
import os
from datetime import datetime, timezone

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proalto.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.http import HttpResponse, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

from conversations.messaging.webhook import signature_valid  # noqa: E402
from conversations.models import Contact, InboundMessage  # noqa: E402
from proalto.celery import task_by_name  # noqa: E402


@csrf_exempt
def webhook(request):
    if not signature_valid(
        body=request.body, header=request.headers.get("X-Hub-Signature-256"), app_secret=settings.WHATSAPP_APP_SECRET
    ):
        return HttpResponse(status=403)
    value = json.loads(request.body)["entry"][0]["changes"][0]["value"]
    message = value["messages"][0]
    with transaction.atomic():
        contact, _ = Contact.objects.get_or_create(
            wa_id=message["from"], defaults={"profile_name": value["contacts"][0]["profile"]["name"]}
        )
        _, created = InboundMessage.objects.get_or_create(
            wa_message_id=message["id"],
            defaults={
                "contact": contact,
                "type": message["type"],
                "text": message.get("text", {}).get("body", ""),
                "payload": message,
                "sent_at": datetime.fromtimestamp(int(message["timestamp"]), tz=timezone.utc),
            },
        )
    if created:
        task_by_name("conversations.contact_inbox_answer").delay(contact.pk)
    return JsonResponse({"status": "ok"})


urlpatterns = [path("webhooks/whatsapp/", webhook)]
settings.ROOT_URLCONF = __name__
