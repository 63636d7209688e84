"""Real parts for the reliability tests: an SMTP server on loopback, Celery
worker and beat processes on the test database, a Redis server a test may
stop and start, and a way to point this process's Celery at it."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from clinic.celery import app as celery_app

ACCEPTED = "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], Any], *, timeout: float = 30, what: str = "") -> Any:
    """Poll `condition` until it is truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")


# SMTP ------------------------------------------------------------------------------------------


class SmtpSink:
    """An aiosmtpd handler that keeps what it accepts. Tests may script the
    next refusals ("451 ...", "550 ...") or hold the next message in DATA, as
    a slow server would, until `release`."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.connections: list[tuple] = []  # the client's address of each accepted message
        self.refusals: deque[str] = deque()
        self.holding = threading.Event()
        self._hold_next = False
        self._release = threading.Event()
        self._keep_held = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        if self._hold_next:
            self._hold_next = False
            if self._keep_held:  # the server has it, whether or not the client hears back
                self.messages.append(message)
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self._release.wait)
            return ACCEPTED if self._keep_held else "451 4.4.2 Not accepted, try again"
        if self.refusals:
            return self.refusals.popleft()
        self.messages.append(message)
        self.connections.append(session.peer)
        return ACCEPTED

    def hold_next(self, *, keep: bool) -> None:
        """Hold the next message in DATA until `release`; `keep` it or not."""
        self._hold_next = True
        self._keep_held = keep

    def release(self) -> None:
        self._release.set()

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.messages]


@contextmanager
def smtp_server() -> Iterator[tuple[SmtpSink, int]]:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    sink, port = SmtpSink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        sink.release()
        controller.stop()


# Redis -----------------------------------------------------------------------------------------


class SpareRedis:
    """A redis-server of the test's own, on a spare port, that it can stop and start."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (a fixed binary and arguments)
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10, what="redis-server to start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """Point this process's Celery app at another broker for a while."""
    previous = celery_app.conf.broker_url
    _switch_broker(url)
    try:
        yield
    finally:
        _switch_broker(previous)


def _switch_broker(url: str) -> None:
    celery_app.conf.broker_url = url
    # Drop the pooled connections to the old broker (what Celery does after a fork).
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


# Celery processes ------------------------------------------------------------------------------


def worker_database_url() -> str:
    """The test database, as a URL a worker process can use."""
    db = connection.settings_dict
    credentials = quote(db["USER"], safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "127.0.0.1", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


class CourierProcesses:
    """Starts Celery workers and beat for one test and stops them after it."""

    def __init__(self, *, smtp_port: int, directory: Path) -> None:
        self.smtp_port = smtp_port
        self.directory = directory
        self.processes: list[subprocess.Popen] = []

    def env(self, **overrides: str) -> dict[str, str]:
        return {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": worker_database_url(),
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "SITE_URL": settings.SITE_URL,
            "CLINIC_ALERT_EMAIL": settings.CLINIC_ALERT_EMAIL,
            **overrides,
        }

    def start_worker(self, *, threads: int = 0, **env: str) -> subprocess.Popen:
        """A worker (solo, or with a pool of `threads`) that answers pings."""
        name = f"courier-{uuid.uuid4().hex[:8]}"
        pool = ["--pool=threads", f"--concurrency={threads}"] if threads else ["--pool=solo"]
        process = self._start(
            ["worker", *pool, f"--hostname={name}@%h", "--without-mingle"]
            + ["--without-gossip", "--loglevel=WARNING"],
            env,
        )
        destination = [f"{name}@{socket.gethostname()}"]
        broker = env.get("REDIS_URL")
        with celery_broker(broker) if broker else nullcontext():
            wait_until(
                lambda: (
                    process.poll() is None
                    and celery_app.control.ping(destination=destination, timeout=0.5)
                ),
                what="the Celery worker to answer",
            )
        return process

    def start_beat(self, **env: str) -> subprocess.Popen:
        schedule = self.directory / f"beat-{uuid.uuid4().hex[:8]}"
        return self._start(["beat", f"--schedule={schedule}", "--loglevel=WARNING"], env)

    def _start(self, arguments: list[str], env: dict[str, str]) -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603 (this interpreter running Celery)
            [sys.executable, "-m", "celery", "-A", "clinic", *arguments],
            env=self.env(**env),
        )
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
