"""A local SMTP server for `make run`: every message it receives is kept as
a .eml file under var/mail/ (open one with any mail client), nothing is
delivered anywhere.

    python scripts/mail_sink.py [--host 127.0.0.1] [--port 1025] [--directory var/mail]
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

BASE_DIR = Path(__file__).resolve().parent.parent


class MailDirectory:
    """aiosmtpd handler that writes each message to its own file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}.eml"
        (self.directory / name).write_bytes(envelope.original_content or envelope.content)
        print(f"[mail] {name} for {', '.join(envelope.rcpt_tos)}", flush=True)
        return "250 Message accepted for delivery"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--directory", type=Path, default=BASE_DIR / "var" / "mail")
    options = parser.parse_args(argv)
    options.directory.mkdir(parents=True, exist_ok=True)

    controller = Controller(
        MailDirectory(options.directory), hostname=options.host, port=options.port
    )
    controller.start()
    print(f"[mail] SMTP sink on {options.host}:{options.port}, messages in {options.directory}")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
