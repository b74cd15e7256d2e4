"""Append-only tables enforced by PostgreSQL itself, for migrations to install.

The models refuse save() on an existing row and delete(), but QuerySet.update(), .delete()
and raw SQL never reach them. A trigger refuses every UPDATE and DELETE of a row, whoever
sends it. The one change it lets through is a foreign key declared ``on_delete=SET_NULL``
being cleared when the row it points to is deleted (a staff account, a message) with
nothing else in the row changing: the record itself keeps what it proves.

What a trigger cannot stop is the tables' owner (it can drop the trigger or TRUNCATE):
in production the application connects as a role that does not own the tables (README,
"Security"). The embedded SQLite default gets no trigger: it is a laptop's database.
Migrations import this module, so what it generates must not change: add, never edit.
"""

from __future__ import annotations

from django.db import migrations


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL and is a no-op on any other database."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def append_only(table: str, *, set_null_columns: tuple[str, ...] = ()) -> PostgreSQLOnly:
    """The operation that makes ``table`` append-only; ``set_null_columns`` are the columns of
    its SET_NULL foreign keys, which alone may be cleared."""
    name = f"{table}_append_only"
    allowed = ""
    if set_null_columns:
        columns = ", ".join(f"'{column}'" for column in set_null_columns)
        cleared = " AND ".join(f'NEW."{column}" IS NULL' for column in set_null_columns)
        allowed = f"""
    IF TG_OP = 'UPDATE' AND {cleared}
       AND (to_jsonb(NEW) - ARRAY[{columns}]::text[]) = (to_jsonb(OLD) - ARRAY[{columns}]::text[]) THEN
        RETURN NEW;
    END IF;"""
    forward = f"""
CREATE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN{allowed}
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER "{name}" BEFORE UPDATE OR DELETE ON "{table}"
    FOR EACH ROW EXECUTE FUNCTION "{name}"();
"""
    backward = f'DROP TRIGGER "{name}" ON "{table}";\nDROP FUNCTION "{name}"();'
    return PostgreSQLOnly(sql=forward, reverse_sql=backward)
