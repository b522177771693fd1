"""Consumers counted per stream request: one subscription however many screens watch it.

The first consumer of a request opens it on the current source, the last one to leave closes
it (the live source then sends ``unsubscribe``, alor-api.md 3.3). Opens and closes of one
request run strictly one after the other, so a screen closed and reopened quickly never leaves
a stale subscription behind or closes a fresh one. Releasing never awaits: it runs in an async
iterator's ``finally``, possibly while its task is being cancelled.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable

from alortui.service.requests import AnyRequest

log = logging.getLogger(__name__)

Action = Callable[[AnyRequest], Awaitable[None]]


class _Entry:
    __slots__ = ("is_open", "last", "users")

    def __init__(self) -> None:
        self.users = 0
        self.is_open = False
        self.last: asyncio.Task[None] | None = None


class Registry:
    """Reference counts per request, with serialized open/close per request.

    Args:
        open_: Starts a request on the current source. The source reports failures to the hub
            as a ``StreamIssue``; anything raised here is only logged.
        close: Stops it on the current source.
    """

    def __init__(self, open_: Action, close: Action) -> None:
        self._open = open_
        self._close = close
        self._entries: dict[AnyRequest, _Entry] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def users(self, request: AnyRequest) -> int:
        """Consumers currently holding ``request``."""
        entry = self._entries.get(request)
        return entry.users if entry else 0

    def active(self) -> list[AnyRequest]:
        """Requests with at least one consumer."""
        return [req for req, entry in self._entries.items() if entry.users > 0]

    async def acquire(self, requests: Iterable[AnyRequest]) -> None:
        """Count one more consumer of each request; open those that had none, and wait."""
        waits = []
        for request in requests:
            entry = self._entries.setdefault(request, _Entry())
            entry.users += 1
            if entry.users == 1:
                self._chain(request, entry, opening=True)
            if entry.last is not None:
                waits.append(entry.last)
        if waits:
            # Shielded: a consumer cancelled while waiting must not cancel the shared open.
            await asyncio.shield(asyncio.gather(*waits, return_exceptions=True))

    def release(self, requests: Iterable[AnyRequest]) -> None:
        """Count one consumer less of each request; close (in the background) those left idle."""
        for request in requests:
            entry = self._entries.get(request)
            if entry is None or entry.users == 0:
                continue
            entry.users -= 1
            if entry.users == 0:
                self._chain(request, entry, opening=False)

    def reopen_all(self) -> list[asyncio.Task[None]]:
        """Open every active request again, on a new source; returns the tasks to await."""
        return [self._chain(request, entry, opening=True, again=True)
                for request, entry in self._entries.items() if entry.users > 0]

    async def drain(self) -> None:
        """Wait until no open or close is pending."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _chain(self, request: AnyRequest, entry: _Entry, *, opening: bool,
               again: bool = False) -> asyncio.Task[None]:
        coro = self._run(entry.last, request, entry, opening, again)
        task = asyncio.get_running_loop().create_task(coro)
        entry.last = task
        self._tasks.add(task)
        task.add_done_callback(lambda t: self._done(request, entry, t))
        return task

    async def _run(self, previous: asyncio.Task[None] | None, request: AnyRequest,
                   entry: _Entry, opening: bool, again: bool) -> None:
        if previous is not None:
            await asyncio.gather(previous, return_exceptions=True)
        # Decide on the state reached when our turn comes, not when we were queued: a screen
        # closed and reopened quickly keeps its subscription instead of churning it.
        wanted = entry.users > 0
        if opening and (not wanted or (entry.is_open and not again)):
            return
        if not opening and (wanted or not entry.is_open):
            return
        entry.is_open = opening
        try:
            await (self._open if opening else self._close)(request)
        except Exception:
            log.exception("%s of %s failed", "open" if opening else "close", request)

    def _done(self, request: AnyRequest, entry: _Entry, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if entry.last is task and entry.users == 0 and self._entries.get(request) is entry:
            del self._entries[request]
