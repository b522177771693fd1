"""Event-loop lag samples for the benchmark, switched on by an environment variable.

``alortui bench`` runs the app in a child process and cannot look inside its event loop. When
:data:`ENV_VAR` names a file, :func:`lag_monitor` runs a task that sleeps :data:`INTERVAL` over and
over and writes how late each wake-up was: a callback that blocks the loop (a long render, a
burst of decoding) shows as lag. Each line is ``<time.monotonic()> <lag seconds>``; the monotonic
clock is shared by every process of the machine, so the benchmark can cut out its window. Without
the variable nothing runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import TextIO

log = logging.getLogger(__name__)

ENV_VAR = "ALORTUI_BENCH_LAG"
INTERVAL = 0.025
"""Seconds between samples: 40 wake-ups a second cost well under 0.1% of a core."""
FLUSH_EVERY = 1.0
"""Seconds between flushes, so a killed app still leaves most of its samples."""


@contextlib.asynccontextmanager
async def lag_monitor(environ: Mapping[str, str] = os.environ) -> AsyncIterator[None]:
    """Sample the running loop's lag into the file named by :data:`ENV_VAR`, if set."""
    path = environ.get(ENV_VAR)
    if not path:
        yield
        return
    out = _open(Path(path))
    if out is None:
        yield
        return
    task = asyncio.create_task(_sample(out), name="loop-lag-monitor")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        out.close()


def _open(path: Path) -> TextIO | None:
    # Opened once at start; a local file, so the blocking open is not worth a thread.
    try:
        return path.open("a", encoding="ascii")
    except OSError:
        log.warning("cannot write loop-lag samples to %s", path, exc_info=True)
        return None


async def _sample(out: TextIO) -> None:
    flushed = time.monotonic()
    while True:
        due = time.monotonic() + INTERVAL
        await asyncio.sleep(INTERVAL)
        now = time.monotonic()
        out.write(f"{now:.6f} {max(0.0, now - due):.6f}\n")
        if now - flushed >= FLUSH_EVERY:
            out.flush()
            flushed = now
