"""Recording consent answers (append-only proof)."""

import hashlib

from consent.models import ConsentRecord, PolicyVersion


def consent_record(
    *, contact, policy: PolicyVersion, text_shown: str, answer: str, inbound_message_id: int | None, wa_message_id: str, answered_at
) -> ConsentRecord:
    return ConsentRecord.objects.create(
        contact=contact,
        wa_id=contact.wa_id,
        policy_version=policy,
        text_shown=text_shown,
        text_sha256=hashlib.sha256(text_shown.encode()).hexdigest(),
        answer=answer,
        inbound_message_id=inbound_message_id,
        wa_message_id=wa_message_id,
        answered_at=answered_at,
    )
