"""Change history for a model, recorded by database triggers (django-pghistory).

    from clinic.history import track_history

    @track_history()
    class Patient(models.Model): ...

Every insert, update and delete, including `QuerySet.update()`, bulk writes
and raw SQL, adds a row to `<Model>Event` with the row's new values and a
context holding the acting user's id, the request id and the URL path
(clinic.middleware.HistoryContextMiddleware). Then `makemigrations`, and add
`clinic.db.AppendOnly("<model>event")` at the end of that migration so the
event rows can never be changed or deleted (a test fails until you do).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pghistory

ModelClass = TypeVar("ModelClass")


def track_history(
    *, exclude: list[str] | None = None, **options: Any
) -> Callable[[ModelClass], ModelClass]:
    """Track inserts, updates and deletes; `exclude` names fields not worth
    keeping (secrets such as password hashes, noise such as last_login).
    Other options go to `pghistory.track` (e.g. `model_name`, `app_label`)."""
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        exclude=exclude,
        **options,
    )
