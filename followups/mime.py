"""Our emails as the bytes an SMTP server receives, written directly.

Django's `message().as_bytes()` builds MIME objects and folds every header
through `email.header`: with Django's address checks, 40% of a delivery's
time in the worker under cProfile (docs/performance.md, follow-ups). Our emails all have one simple
shape, a text body and an HTML alternative in UTF-8, so they are written out
here with the headers Django would write and the parts sent 7bit or 8bit as
Django sends them. Anything else (attachments, Cc, Reply-To, a line too long
for SMTP, a bare carriage return) goes through Django's own serialisation.
"""

from __future__ import annotations

import secrets
from email.header import Header
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME

CRLF = "\r\n"
MAX_LINE_BYTES = 998  # RFC 5322


def message_bytes(message: EmailMessage) -> bytes:
    texts = _texts(message)
    headers = _headers(message) if texts else []
    if not texts or any(len(line) > MAX_LINE_BYTES for line in headers):
        return message.message().as_bytes(linesep=CRLF)
    boundary = _boundary(texts)
    lines = [
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
        "MIME-Version: 1.0",
        *headers,
        "",
        *[_part(text, mimetype, boundary) for text, mimetype in texts],
        f"--{boundary}--",
        "",
    ]
    return CRLF.join(lines).encode()


def envelope(message: EmailMessage) -> tuple[str, list[str]]:
    """MAIL FROM and RCPT TO addresses, non-ASCII ones as Django encodes them."""
    return _address(message.from_email), [_address(to) for to in message.recipients()]


def _texts(message: EmailMessage) -> list[tuple[str, str]]:
    """(text, mimetype) of each part if the message has our shape, else []."""
    if not isinstance(message, EmailMultiAlternatives):
        return []
    if message.attachments or message.cc or message.reply_to:
        return []
    texts = [(message.body, "text/plain"), *message.alternatives]
    for text, mimetype in texts:
        if not (isinstance(text, str) and mimetype.startswith("text/") and _fits_smtp(text)):
            return []
    return texts


def _fits_smtp(text: str) -> bool:
    """Sent as it is, 7bit or 8bit, as Django sends such a text."""
    return "\r" not in text and all(
        len(line.encode()) <= MAX_LINE_BYTES for line in text.split("\n")
    )


def _headers(message: EmailMessage) -> list[str]:
    headers = {
        "Subject": _encoded(message.subject),
        "From": _address(message.from_email),
        "To": ", ".join(_address(address) for address in message.to),
        "Date": formatdate(localtime=settings.EMAIL_USE_LOCALTIME),
        **{name: _encoded(str(value)) for name, value in message.extra_headers.items()},
    }
    if not any(name.lower() == "message-id" for name in headers):
        headers["Message-ID"] = make_msgid(domain=DNS_NAME)
    return [f"{name}: {value}" for name, value in headers.items()]


def _encoded(value: str) -> str:
    _refuse_newlines(value)
    return value if value.isascii() else Header(value, "utf-8").encode()


def _address(address: str) -> str:
    _refuse_newlines(address)
    return address if address.isascii() else sanitize_address(address, "utf-8")


def _refuse_newlines(value: str) -> None:
    """A newline would start a header of the sender's choosing."""
    if "\n" in value or "\r" in value:
        raise BadHeaderError(f"Header values can't contain newlines (got {value!r})")


def _boundary(texts: list[tuple[str, str]]) -> str:
    while True:
        boundary = f"=_{secrets.token_hex(16)}"
        if not any(boundary in text for text, _ in texts):
            return boundary


def _part(text: str, mimetype: str, boundary: str) -> str:
    encoding = "7bit" if text.isascii() else "8bit"
    return CRLF.join(
        [
            f"--{boundary}",
            f'Content-Type: {mimetype}; charset="utf-8"',
            "MIME-Version: 1.0",
            f"Content-Transfer-Encoding: {encoding}",
            "",
            text.replace("\n", CRLF),
        ]
    )
