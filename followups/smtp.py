"""Send through one SMTP connection per sending thread (followups/senders.py),
kept open between emails: connecting and greeting the server cost about as
much as sending (docs/performance.md, follow-up throughput). A connection
the server has closed meanwhile is opened again once, before anything was
sent on it."""

from __future__ import annotations

import smtplib
import threading
from contextlib import suppress

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends import smtp
from django.core.mail.backends.base import BaseEmailBackend

from followups.mime import envelope, message_bytes


class _PerThread(threading.local):
    """Each sending thread keeps its own connection: one SMTP conversation
    at a time on each."""

    def __init__(self) -> None:
        self.kept: dict[tuple, BaseEmailBackend] = {}


_connections = _PerThread()


def email_send(message: EmailMessage) -> None:
    """Send `message`; SMTP errors propagate as from EmailMessage.send()."""
    key = _server()
    backend = _connections.kept.get(key) or _open(key)
    try:
        _send(backend, message)
    except (smtplib.SMTPServerDisconnected, ConnectionError):
        _close(key)
        _send(_open(key), message)


def _send(backend: BaseEmailBackend, message: EmailMessage) -> None:
    """Over SMTP, the message as followups.mime writes it; other backends
    (the console, tests' locmem) get the message object as usual."""
    if not isinstance(backend, smtp.EmailBackend):
        backend.send_messages([message])
        return
    sender, recipients = envelope(message)
    backend.connection.sendmail(sender, recipients, message_bytes(message))


def _server() -> tuple:
    """Settings change between tests: a connection belongs to one server."""
    return (
        settings.EMAIL_BACKEND,
        settings.EMAIL_HOST,
        settings.EMAIL_PORT,
        settings.EMAIL_HOST_USER,
    )


def _open(key: tuple) -> BaseEmailBackend:
    for other in [server for server in _connections.kept if server != key]:
        _close(other)
    backend = get_connection(fail_silently=False)
    if isinstance(backend, smtp.EmailBackend):
        backend.open()  # stays open: send_messages closes only what it opened itself
    _connections.kept[key] = backend
    return backend


def _close(key: tuple) -> None:
    backend = _connections.kept.pop(key, None)
    if backend is not None and hasattr(backend, "close"):
        with suppress(smtplib.SMTPException, OSError):  # it may be gone already
            backend.close()
