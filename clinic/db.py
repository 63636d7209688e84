"""Database-level guards that migrations install.

`AppendOnly("modelname")` puts a trigger on the model's table that refuses
every UPDATE and DELETE, so audit rows can be added and never rewritten, by
the application or by anyone connected as its database user. Unlike
django-pgtrigger's Protect it has no session switch to turn it off: only the
table's owner (never the app's role in production, see README) can drop it.
TRUNCATE is left to privileges: the app's role must not hold it (README),
and the test runner needs it to empty tables between transactional tests.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

REFUSE_CHANGE_FUNCTION = """
CREATE OR REPLACE FUNCTION clinic_refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""
TRIGGER_NAME = "audit_append_only"


class AppendOnly(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name.lower()

    def state_forwards(self, app_label: str, state: Any) -> None:
        """No change to the models, only to the database."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        table = schema_editor.quote_name(self._table(app_label, to_state))
        schema_editor.execute(REFUSE_CHANGE_FUNCTION, params=None)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {TRIGGER_NAME} BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION clinic_refuse_audit_change()"
        )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        table = schema_editor.quote_name(self._table(app_label, from_state))
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON {table}")

    def _table(self, app_label: str, state: Any) -> str:
        return state.apps.get_model(app_label, self.model_name)._meta.db_table

    def describe(self) -> str:
        return f"Make {self.model_name} append-only"
