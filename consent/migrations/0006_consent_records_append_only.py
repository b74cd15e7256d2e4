"""Consent records are append-only in the database too (PostgreSQL triggers; nothing on SQLite):
QuerySet.update(), .delete() and raw SQL can no longer rewrite the proof of an authorisation.
Deleting the message an answer came from may still clear inbound_message (on_delete=SET_NULL)."""

from django.db import migrations

from proalto.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0005_consent_record_bsuid"),
    ]

    operations = [
        append_only("consent_consentrecord", set_null_columns=("inbound_message_id",)),
    ]
