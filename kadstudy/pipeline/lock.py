"""The project lock: one ``kadstudy run`` or ``clean`` at a time per project.

A second command waits (up to a timeout) and says which command holds the lock, with its process id
and since when, read from a small info file beside the lock (``.kadstudy/lock.json``). The lock is
an OS file lock (filelock), so it is released when its holder exits, even by a crash.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kadstudy.errors import KadError

LOCK_FILE = "lock"
INFO_FILE = "lock.json"
KEEP = frozenset({LOCK_FILE, INFO_FILE})  # what `clean` must not delete from the state folder


class LockTimeout(KadError):
    """Another command held the project lock for longer than the timeout."""

    exit_code = 1


def holder(state: Path) -> str:
    """Who holds the lock, as far as the info file says."""
    try:
        info = json.loads((state / INFO_FILE).read_text(encoding="utf-8"))
        return f"'{info['command']}' (pid {info['pid']}, since {info['since']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another kadstudy command"


@contextmanager
def project_lock(state: Path, command: str, timeout: float | None = None,
                 notify: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock of the project whose state folder is ``state`` (created if needed).

    ``timeout``: seconds to wait for another holder (None: as long as it takes, 0: not at all).
    ``notify`` is told once, in one line, when the lock is busy and this command waits.
    """
    from filelock import FileLock, Timeout

    state.mkdir(exist_ok=True)
    lock = FileLock(state / LOCK_FILE)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        who = holder(state)
        limit = "" if timeout is None else f" (up to {timeout:g} s)"
        if notify is not None:
            notify(f"waiting{limit} for {who}, which holds the lock {state / LOCK_FILE}")
        try:
            lock.acquire(timeout=-1 if timeout is None else timeout)
        except Timeout:
            raise LockTimeout(f"{state / LOCK_FILE}: still held by {who} after {timeout:g} s; "
                              "wait for it to finish or give a longer --lock-timeout") from None
    try:
        _write_info(state, command)
        yield
    finally:
        (state / INFO_FILE).unlink(missing_ok=True)
        lock.release()


def _write_info(state: Path, command: str) -> None:
    since = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    text = json.dumps({"command": command, "pid": os.getpid(), "since": since})
    tmp = state / f".{INFO_FILE}.{os.getpid()}"
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, state / INFO_FILE)
