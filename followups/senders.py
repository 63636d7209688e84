"""A send task's rows, sent over a few threads of its worker process.

Sending one email is mostly waiting: for the four replies of the SMTP
conversation and for the database to record the outcome. With one thread a
worker process waited on each in turn, and the machine sat at 60% of its
two cores; two threads per process, each on its own SMTP connection
(followups.smtp) and its own database connection, overlap those waits:
266 against 312 to 357 emails/s with 2 worker processes
(docs/performance.md, fifth round). Each row is still sent and recorded on
its own, so what a failure leaves behind is unchanged.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.conf import settings
from django.db import close_old_connections, connections

Share = TypeVar("Share")

_pool: ThreadPoolExecutor | None = None


def shares_of(items: Sequence[Share]) -> list[Sequence[Share]]:
    """`items` dealt out to FOLLOWUP_SEND_THREADS shares, none empty."""
    threads = max(1, settings.FOLLOWUP_SEND_THREADS)
    return [share for start in range(threads) if (share := items[start::threads])]


def each_in_its_thread(send: Callable[[Share], None], shares: list[Share]) -> None:
    """`send` each share, in parallel when there are several; the first error
    of any share is raised once all have finished. A single share is sent in
    the calling thread, as before threads (and as the in-process tests need,
    since other threads do not see their uncommitted rows)."""
    if len(shares) == 1:
        send(shares[0])
        return
    errors = [error for error in _threads().map(_capturing(send), shares) if error]
    if errors:
        raise errors[0]


def _capturing(send: Callable[[Share], None]) -> Callable[[Share], Exception | None]:
    def run(share: Share) -> Exception | None:
        close_old_connections()  # what Celery does for its own thread at each task
        try:
            send(share)
        except Exception as error:  # noqa: BLE001 (raised again in the task's thread)
            return error
        return None

    return run


def _forget_the_pool() -> None:
    """A forked child has none of its parent's threads: it makes its own pool."""
    global _pool  # noqa: PLW0603
    _pool = None


os.register_at_fork(after_in_child=_forget_the_pool)


def _threads() -> ThreadPoolExecutor:
    """Kept for the life of the worker process, so each thread keeps its
    database and SMTP connections from one task to the next."""
    global _pool  # noqa: PLW0603 (one pool per process, made on first use)
    if _pool is None:
        _pool = ThreadPoolExecutor(
            max_workers=settings.FOLLOWUP_SEND_THREADS, thread_name_prefix="followups-send"
        )
    return _pool


def threads_stop() -> None:
    """Close each thread's database connections and end the threads (a test
    database cannot be dropped while they hold connections to it)."""
    global _pool  # noqa: PLW0603
    pool, _pool = _pool, None
    if pool is None:
        return
    size = pool._max_workers  # noqa: SLF001 (the size it was made with)
    everyone = threading.Barrier(size)  # so that each thread takes one of the calls
    for _ in range(size):
        pool.submit(lambda: (everyone.wait(), connections.close_all()))
    pool.shutdown(wait=True)
