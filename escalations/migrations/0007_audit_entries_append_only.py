"""Audit entries are append-only in the database too (PostgreSQL triggers; nothing on SQLite):
QuerySet.update(), .delete() and raw SQL can no longer rewrite who looked at what. Deleting a
staff account may still clear user (on_delete=SET_NULL); username keeps who it was."""

from django.db import migrations

from proalto.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("escalations", "0006_chats_of_held_tickets"),
    ]

    operations = [
        append_only("escalations_auditentry", set_null_columns=("user_id",)),
    ]
