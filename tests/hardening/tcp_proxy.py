"""A loopback TCP proxy the hardening tests put between the client and the simulator.

Faults below HTTP that the simulator cannot fake from inside its own server: a link that stops
carrying bytes while both sockets stay open (:meth:`TcpProxy.stall`), connections reset at once
(:meth:`TcpProxy.cut`), a port nobody listens on yet (create the proxy, start it later).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct


def free_port() -> int:
    """A loopback port nobody listens on right now (connecting to it is refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Link:
    """One proxied connection: two sockets and the two pumps between them."""

    def __init__(self, client: asyncio.StreamWriter, upstream: asyncio.StreamWriter) -> None:
        self.writers = (client, upstream)
        self.flowing = True

    def reset(self) -> None:
        """Close both sockets with a TCP RST (SO_LINGER 0), not a polite FIN."""
        for writer in self.writers:
            sock = writer.get_extra_info("socket")
            with contextlib.suppress(OSError, AttributeError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()


class TcpProxy:
    """Forwards ``127.0.0.1:port`` to ``target_port`` byte for byte.

    Args:
        target_port: The simulator's port.
        port: Port to listen on (0: any); fixed ports let a test start listening later.
    """

    def __init__(self, target_port: int, port: int = 0) -> None:
        self.target_port = target_port
        self.port = port
        self.accepted = 0
        """Connections accepted so far."""
        self._server: asyncio.Server | None = None
        self._links: set[_Link] = set()

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    async def start(self) -> None:
        """Start listening (on ``port`` when one was given)."""
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop listening and reset every connection."""
        if self._server is not None:
            self._server.close()
            self.cut()
            await self._server.wait_closed()
            self._server = None
        self.cut()

    def stall(self) -> None:
        """Stop forwarding on every open connection, both ways, keeping its sockets open: a
        half-open link below HTTP. Bytes that arrive meanwhile are dropped. New connections
        (after the client gives up on the stalled one) flow normally."""
        for link in self._links:
            link.flowing = False

    def cut(self) -> None:
        """Reset every open connection at once."""
        for link in list(self._links):
            link.reset()  # its pumps then see the error and end on their own
        self._links.clear()

    @property
    def open_links(self) -> int:
        """Connections currently proxied."""
        return len(self._links)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.transport.abort()
            return
        link = _Link(writer, up_writer)
        self._links.add(link)
        back = asyncio.get_running_loop().create_task(self._pump(up_reader, writer, link))
        try:
            await self._pump(reader, up_writer, link)
            await asyncio.gather(back, return_exceptions=True)
        finally:
            self._links.discard(link)

    @staticmethod
    async def _pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter,
                    link: _Link) -> None:
        try:
            while chunk := await source.read(65536):
                if link.flowing:
                    sink.write(chunk)
                    await sink.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            # Either side gone: close the other one too (an RST if the link was reset).
            sink.close()
