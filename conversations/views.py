"""The WhatsApp webhook: verify, store, enqueue, answer. Nothing else happens here."""

import json
import logging

from django.conf import settings
from django.http import HttpResponse
from rest_framework.response import Response
from rest_framework.views import APIView

from conversations import services
from conversations.webhook import MalformedWebhook, parse, signature_valid

logger = logging.getLogger(__name__)


class WhatsAppWebhookView(APIView):
    authentication_classes = []
    permission_classes = []
    parser_classes = []  # the raw body is needed for the signature

    def get(self, request):
        params = request.query_params
        if (
            params.get("hub.mode") == "subscribe"
            and settings.WHATSAPP_VERIFY_TOKEN
            and params.get("hub.verify_token") == settings.WHATSAPP_VERIFY_TOKEN
            and params.get("hub.challenge")
        ):
            return HttpResponse(params["hub.challenge"], content_type="text/plain")
        return HttpResponse("Forbidden", status=403, content_type="text/plain")

    def post(self, request):
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.WEBHOOK_MAX_BODY_BYTES:
            return Response({"error": "body too large"}, status=413)
        body = request.body
        if not signature_valid(
            body=body, header=request.META.get("HTTP_X_HUB_SIGNATURE_256"), app_secret=settings.WHATSAPP_APP_SECRET
        ):
            logger.warning("webhook with a missing or wrong signature refused")
            return Response({"error": "invalid signature"}, status=403)
        try:
            batch = parse(json.loads(body))
        except (ValueError, MalformedWebhook) as exc:
            logger.warning("malformed webhook refused: %s", exc)
            return Response({"error": "malformed payload"}, status=400)
        services.webhook_ingest(batch=batch)
        return Response({"status": "ok"})
