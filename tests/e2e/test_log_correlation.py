"""One conversation turn in the logs of two processes: the webhook (this process) and a real
Celery worker writing JSON lines, joined by the customer message's WhatsApp id."""

from __future__ import annotations

import json
import os
import secrets
import time

from tests.ops.test_logs import PHONE, path_of
from tests.ops.test_logs import captured as captured
from tests.realworker import REAL_WORKER, consent_given, wait_replies
from tests.support import message_payload

pytestmark = REAL_WORKER


def test_one_turn_across_the_web_and_a_worker_process(chat, meta, start_worker, captured, settings):
    """The webhook (this process) and a real Celery worker writing JSON lines: grep the
    message's id in both and read the turn, down to the Cloud API call that answered it."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    worker = start_worker(LOG_FORMAT="json")
    user = chat(PHONE)
    consent_given(user)
    wamid = f"wamid.turn.{secrets.token_hex(6)}"
    captured.clear()
    assert meta.post(message_payload("text", wa_id=PHONE, text={"body": "saldo"}, wa_message_id=wamid)).ok
    wait_replies(user, 1)

    web = path_of(captured.records, wamid)
    assert any(record.name == "conversations.messaging.views" for record in web)
    deadline = time.monotonic() + 10
    while True:
        lines = [json.loads(line) for line in worker.log_path.read_text().splitlines() if line.startswith("{")]
        turn = [line for line in lines if line.get("correlation_id") == wamid]
        if any(line["message"].startswith("cloud api accepted") for line in turn) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert any(line["message"].startswith("cloud api POST /") for line in turn), turn
    assert any(line["message"].startswith("cloud api accepted") for line in turn), turn
    assert {line["pid"] for line in turn} - {os.getpid()}  # written by the worker's pool
    assert all(PHONE not in line["message"] for line in turn)
