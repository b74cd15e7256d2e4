"""The audit log is append-only in PostgreSQL itself (escalations/migrations/0007): a trigger
refuses UPDATE and DELETE of entries, from the ORM's update()/delete() or raw SQL. Deleting a
staff account still clears ``user`` (on_delete=SET_NULL); ``username`` keeps who it was."""

import os

import pytest
from django.db import IntegrityError, connection, transaction

from escalations.audit import AuditAction
from escalations.models import AuditEntry
from escalations.services import audit_record

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="the append-only triggers exist on PostgreSQL only (make test-services)",
    ),
]


@pytest.fixture
def entry(staff):
    laura = staff("laura", "Asesor")
    return audit_record(
        user=laura.user, action=AuditAction.VIEW_CHAT, object_type="escalations.ticket", object_id=7, ip="10.0.0.9"
    )


def refused(statement):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        statement()


def test_orm_update_and_delete_are_refused(entry):
    refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(username="otra"))
    refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(user=None, object_id="8"))
    refused(lambda: AuditEntry.objects.all().delete())
    assert AuditEntry.objects.get(pk=entry.pk).username == "laura"


def test_raw_sql_update_and_delete_are_refused(entry):
    def execute(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])

    refused(lambda: execute("UPDATE escalations_auditentry SET ip = '10.0.0.1' WHERE id = %s"))
    refused(lambda: execute("DELETE FROM escalations_auditentry WHERE id = %s"))
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_a_staff_account_keeps_its_entries(entry):
    entry.user.delete()
    kept = AuditEntry.objects.get(pk=entry.pk)
    assert kept.user_id is None and kept.username == "laura" and kept.object_id == "7"
