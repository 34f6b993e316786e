"""Command-line side of the minimisation bounds: the default memory budget and a progress display."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

#: Share of the machine's memory a minimisation may use by default (--memory-budget).
DEFAULT_MEMORY_SHARE = 0.5
#: Seconds before the progress display appears.
PROGRESS_AFTER = 2.0


def machine_memory() -> int | None:
    """Bytes of memory of this machine (psutil if installed, else /proc/meminfo, else sysconf)."""
    try:
        import psutil  # type: ignore[import-untyped]

        return int(psutil.virtual_memory().total)
    except ImportError:
        pass
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return None


def default_memory_budget() -> int | None:
    """Half of the machine's memory (None if it cannot be told)."""
    total = machine_memory()
    return int(total * DEFAULT_MEMORY_SHARE) if total else None


class Progress:
    """A rich status line on stderr, shown only on a terminal and only after two seconds.

    Use as the ``progress`` callback of :func:`kadstudy.sets.minimize` inside ``with``.
    """

    def __init__(self, after: float = PROGRESS_AFTER, enabled: bool | None = None) -> None:
        self.after = after
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.start = time.monotonic()
        self.status: Any = None

    def __call__(self, stage: str, detail: str) -> None:
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        if elapsed < self.after:
            return
        text = f"{stage}: {detail} ({elapsed:.0f} s)"
        if self.status is None:
            from rich.console import Console

            self.status = Console(stderr=True).status(text)
            self.status.start()
        else:
            self.status.update(text)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.status is not None:
            self.status.stop()
            self.status = None
