"""`make run` keeps every email it sends as a .eml file under var/mail/."""

from __future__ import annotations

import signal
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

from django.core.mail import get_connection, send_mail

from followups.tests.processes import free_port, wait_until

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "mail_sink.py"


def test_the_local_smtp_sink_keeps_each_message_as_an_eml_file(tmp_path) -> None:
    port = free_port()
    sink = subprocess.Popen(  # noqa: S603
        [sys.executable, str(SCRIPT), "--port", str(port), "--directory", str(tmp_path)],
        stdout=subprocess.PIPE,
    )
    try:
        wait_until(lambda: b"SMTP sink on" in sink.stdout.readline(), what="the sink to listen")
        connection = get_connection(
            "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=port
        )
        for subject in ("First", "Second"):
            send_mail(
                subject, "Body", "clinic@localhost", ["peggy@example.com"], connection=connection
            )

        files = wait_until(
            lambda: len(list(tmp_path.glob("*.eml"))) == 2 and sorted(tmp_path.glob("*.eml"))
        )
    finally:
        sink.send_signal(signal.SIGTERM)
        sink.wait(timeout=10)

    messages = [message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]
    assert [message["Subject"] for message in messages] == ["First", "Second"]
    assert messages[0]["To"] == "peggy@example.com"
    assert sink.returncode == 0
