"""Django's PostgreSQL backend with server-side parameters and prepared statements.

Most of a page's database time was PostgreSQL planning the same ORM
statements again on every request (6 ms of the session page's first query,
for 0.3 ms of execution). With parameters bound on the server, psycopg
prepares a statement once it has run `prepare_threshold` times on a
connection, and PostgreSQL reuses its plan (docs/decisions.md, Benchmarks:
"psycopg 3, parameters bound by the server, statements prepared").

The one statement that cannot be prepared is django-pghistory's: it puts
`SELECT set_config(...);` in front of each write of a request, as two
commands in one string, which only client-side binding accepts. Such a
string is sent here as its two commands inside one transaction, so the
context still applies to the write and to nothing after it.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from django.db.backends.postgresql import base

HISTORY_CONTEXT_PREFIX = "SELECT set_config('pghistory.context_id', "
HISTORY_CONTEXT_KEYS = ("pghistory__context_id", "pghistory__context_metadata")


class HistoryAwareServerBindingCursor(base.ServerBindingCursor):
    def execute(self, query: Any, params: Any = None, **options: Any) -> Any:
        if isinstance(query, str) and query.startswith(HISTORY_CONTEXT_PREFIX):
            return self._execute_with_history_context(query, params, **options)
        return super().execute(query, params, **options)

    def _execute_with_history_context(self, query: str, params: Any, **options: Any) -> Any:
        context_sql, _, statement = query.partition("; ")
        context_params, statement_params = _split_params(params)
        # In autocommit the two need a transaction of their own; otherwise
        # they are inside the caller's already.
        with self.connection.transaction() if self.connection.autocommit else nullcontext():
            super().execute(context_sql, context_params, prepare=False)
            return super().execute(statement, statement_params, **options)


def _split_params(params: Any) -> tuple[Any, Any]:
    """The context's two parameters, and the write's own (None when it has none)."""
    if isinstance(params, dict):
        statement_params = dict(params)
        context_params = {key: statement_params.pop(key) for key in HISTORY_CONTEXT_KEYS}
        return context_params, statement_params or None
    params = list(params or ())
    return params[: len(HISTORY_CONTEXT_KEYS)], params[len(HISTORY_CONTEXT_KEYS) :] or None


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        if self.settings_dict["OPTIONS"].get("server_side_binding") is True:
            params["cursor_factory"] = HistoryAwareServerBindingCursor
        return params
