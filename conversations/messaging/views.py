"""The WhatsApp webhook: verify, store, enqueue, answer. Nothing else happens here.

A DRF view with everything it does not need switched off (no authentication, permissions,
throttles, parsers or content negotiation): Meta calls it for every message and status,
so it stays on a short path; bench/webhook measures it.
"""

import contextlib
import hmac
import json
import logging
import re
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from conversations.messaging.ingest import webhook_ingest
from conversations.messaging.webhook import (
    MalformedWebhook,
    parse,
    signature_valid,
    without_lone_surrogates,
    without_nul,
)
from proalto.logs import correlated
from proalto.metrics import MESSAGES_RECEIVED, WEBHOOK_REQUESTS, WEBHOOK_SECONDS, message_type_label

logger = logging.getLogger(__name__)
# A \uD800-\uDFFF escape: looked for in the raw body, without copying it, before any walk.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class _JSONOnly(BaseContentNegotiation):
    """Meta does not negotiate: skip DRF's Accept-header parsing."""

    def select_parser(self, request, parsers):
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class WhatsAppWebhookView(APIView):
    http_method_names = ["get", "post"]
    authentication_classes = ()
    permission_classes = ()
    throttle_classes = ()
    parser_classes = ()  # the raw body is needed for the signature
    renderer_classes = (JSONRenderer,)
    content_negotiation_class = _JSONOnly

    def get(self, request):
        params = request.GET
        if (
            params.get("hub.mode") == "subscribe"
            and settings.WHATSAPP_VERIFY_TOKEN
            # In constant time: how long a wrong guess takes says nothing about the token.
            and hmac.compare_digest(
                params.get("hub.verify_token", "").encode(), settings.WHATSAPP_VERIFY_TOKEN.encode()
            )
            and params.get("hub.challenge")
        ):
            WEBHOOK_REQUESTS.labels("verify_ok").inc()
            return HttpResponse(params["hub.challenge"], content_type="text/plain")
        WEBHOOK_REQUESTS.labels("verify_refused").inc()
        return HttpResponse("Forbidden", status=403, content_type="text/plain")

    def post(self, request):
        started = time.perf_counter()
        outcome, response = self._receive(request)
        WEBHOOK_REQUESTS.labels(outcome).inc()
        WEBHOOK_SECONDS.observe(time.perf_counter() - started)
        return response

    def _receive(self, request) -> tuple[str, HttpResponse]:
        """The POST's outcome (a metrics label) and its answer."""
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return "malformed", JsonResponse({"error": "bad content length"}, status=400)
        if length > settings.WEBHOOK_MAX_BODY_BYTES:
            return "too_large", JsonResponse({"error": "body too large"}, status=413)
        body = request.body
        if not signature_valid(
            body=body, header=request.META.get("HTTP_X_HUB_SIGNATURE_256"), app_secret=settings.WHATSAPP_APP_SECRET
        ):
            logger.warning("webhook with a missing or wrong signature refused")
            return "bad_signature", JsonResponse({"error": "invalid signature"}, status=403)
        try:
            data = json.loads(body)
            if b"\\u0000" in body:  # only JSON's escape can put a NUL in a string
                data = without_nul(data)
            if SURROGATE_ESCAPE.search(body):  # only JSON's escape can put a lone surrogate in a string
                data = without_lone_surrogates(data)
            batch = parse(data, phone_number_id=settings.WHATSAPP_PHONE_NUMBER_ID)
        except (ValueError, MalformedWebhook) as exc:
            logger.warning("malformed webhook refused: %s", exc)
            return "malformed", JsonResponse({"error": "malformed payload"}, status=400)
        except RecursionError:
            # Meta nests a few levels; thousands are an attack, refused before any work.
            logger.warning("webhook nested too deeply refused")
            return "malformed", JsonResponse({"error": "malformed payload"}, status=400)
        # From here on every line (and the tasks queued) carries the messages' WhatsApp ids.
        ids = ",".join(message.wa_message_id for message in batch.messages)
        with correlated(ids) if ids else contextlib.nullcontext():
            if batch.foreign:
                logger.warning("webhook: %s change(s) for another business phone number skipped", batch.foreign)
            if batch.skipped:
                logger.info("webhook: %s status notification(s) of an unknown kind skipped", batch.skipped)
            for message in batch.messages:
                MESSAGES_RECEIVED.labels(message_type_label(message.type)).inc()
            logger.info(
                "webhook: %s message(s) (%s), %s status(es)",
                len(batch.messages),
                " ".join(message.type for message in batch.messages) or "none",
                len(batch.statuses),
            )
            webhook_ingest(batch=batch)
        return "ok", JsonResponse({"status": "ok"})
