"""Running manage.py in a child process, as start-up would, with a changed environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def manage_run(
    *arguments: str, unset: tuple[str, ...] = (), **overrides: str
) -> subprocess.CompletedProcess:
    """`manage.py <arguments>` with `unset` removed from this process's
    environment and `overrides` set; its output is captured as text."""
    env = {name: value for name, value in os.environ.items() if name not in unset}
    env.update(overrides)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
