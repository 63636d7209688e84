"""What arrives is what Django would have sent: the bytes followups.mime
writes read back, in a mail client's parser, as Django's own serialisation."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage as ParsedEmail

import pytest
from django.core.mail import BadHeaderError, EmailMultiAlternatives

from followups.emails import followup_email
from followups.mime import CRLF, message_bytes
from followups.tests.factories import FollowUpFactory

pytestmark = pytest.mark.django_db

COMPARED_HEADERS = [
    "Subject",
    "From",
    "To",
    "Message-ID",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "Auto-Submitted",
    "MIME-Version",
]


def _as_a_mail_client_reads_it(raw: bytes) -> ParsedEmail:
    return message_from_bytes(raw, policy=policy.default)


def _django_bytes(message: EmailMultiAlternatives) -> bytes:
    return message.message().as_bytes(linesep=CRLF)


def _readable(parsed: ParsedEmail) -> dict:
    return {
        # Django folds a long header right after its colon; unfolded, the same value.
        "headers": {name: str(parsed[name]).strip() for name in COMPARED_HEADERS},
        "type": parsed.get_content_type(),
        "parts": [
            (part.get_content_type(), part.get_content_charset(), part.get_content())
            for part in parsed.iter_parts()
        ],
    }


@pytest.mark.parametrize(
    ("first_name", "clinic_name"),
    [("Peggy", "Riverside Pain Clinic"), ("Zoë", "Clínica del Dolor Señorío")],
)
def test_a_follow_up_reads_the_same_as_djangos_serialisation(
    settings, first_name: str, clinic_name: str
) -> None:
    settings.CLINIC_NAME = clinic_name
    message = followup_email(followup=FollowUpFactory(session__patient__first_name=first_name))

    ours = _as_a_mail_client_reads_it(message_bytes(message))

    assert _readable(ours) == _readable(_as_a_mail_client_reads_it(_django_bytes(message)))
    assert ours["From"].addresses[0].display_name == clinic_name
    assert ours.get_body(("plain",)).get_content().startswith(f"Hello {first_name},")
    assert ours["Date"].datetime is not None


def test_every_line_ends_in_crlf_as_smtp_requires() -> None:
    raw = message_bytes(followup_email(followup=FollowUpFactory()))

    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_a_header_with_a_newline_is_refused() -> None:
    message = EmailMultiAlternatives(
        subject="Hello\nBcc: everyone@example.org", body="Hi", to=["a@example.org"]
    )
    message.attach_alternative("<p>Hi</p>", "text/html")

    with pytest.raises(BadHeaderError):
        message_bytes(message)


def test_a_line_too_long_for_smtp_is_left_to_django_which_wraps_it() -> None:
    long_line = "word " * 300
    message = EmailMultiAlternatives(subject="Hello", body=long_line, to=["a@example.org"])
    message.attach_alternative(f"<p>{long_line}</p>", "text/html")

    raw = message_bytes(message)

    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert _as_a_mail_client_reads_it(raw).get_body(("plain",)).get_content() == long_line
