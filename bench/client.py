"""The load generator: a small keep-alive HTTP/1.1 client on asyncio streams (much lighter than
a general-purpose client, so the client's own cost stays small next to the server's), N
warm-up requests then M measured ones, at a given concurrency (one connection per worker).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass


class BadResponse(RuntimeError):
    pass


class Connection:
    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        self.extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
            self.writer = self.reader = None

    async def get(self, path: str) -> tuple[int, bytes]:
        reused = self.writer is not None
        try:
            return await self._get(path)
        except (BadResponse, ConnectionError) as exc:
            # The server may close a keep-alive connection that sat idle (uvicorn: after 5 s,
            # e.g. while other workers finish a slow warm-up): a GET is safe to send again,
            # once, on a new connection.
            if not reused or (isinstance(exc, BadResponse) and not exc.args[0].startswith("closed")):
                raise
            await self.close()
            return await self._get(path)

    async def post(self, path: str, body: bytes, content_type: str) -> tuple[int, bytes]:
        """One POST, never re-sent: a POST is not safe to repeat (each carries one answer)."""
        headers = f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        return await self._send("POST", path, headers, body)

    async def _get(self, path: str) -> tuple[int, bytes]:
        return await self._send("GET", path, "", b"")

    async def _send(self, method: str, path: str, headers: str, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            await self._open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{self.extra}{headers}\r\n".encode("latin-1")
            + body
        )
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise BadResponse("closed: the server closed the connection")
        status = int(status_line.split()[1])
        length, chunked, close = None, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                close = True
        if chunked:
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readline()
            body = b"".join(parts)
        elif length is not None:
            body = await self.reader.readexactly(length)
        else:
            body = await self.reader.read()
            close = True
        if close:
            await self.close()
        return status, body


@dataclass(frozen=True)
class Series:
    name: str
    concurrency: int
    latencies_ms: list[float]
    wall_s: float

    @property
    def count(self) -> int:
        return len(self.latencies_ms)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p99_ms(self) -> float:
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[98]

    @property
    def rps(self) -> float:
        return self.count / self.wall_s if self.wall_s else 0.0

    def merged(self, other: Series) -> Series:
        return Series(self.name, self.concurrency, self.latencies_ms + other.latencies_ms,
                      self.wall_s + other.wall_s)

    def summary(self) -> dict[str, float]:
        return {
            "requests": self.count, "median_ms": round(self.median_ms, 2),
            "p99_ms": round(self.p99_ms, 2), "rps": round(self.rps, 1),
        }


def check(status: int, body: bytes, marker: bytes) -> None:
    if status != 200 or marker not in body:
        raise BadResponse(f"status {status}: {body[:300]!r}")


async def run(
    host: str, port: int, path: str, headers: dict[str, str], *, requests: int, warmup: int,
    concurrency: int, marker: bytes, name: str, budget_s: float,
) -> Series:
    """Warm up, then measure up to `requests` requests spread over `concurrency` connections,
    stopping early once `budget_s` is spent (a pathological page must not hold the run for
    hours; the number measured is reported). Warm-up gets a quarter of the budget."""
    conns = [Connection(host, port, headers) for _ in range(concurrency)]
    latencies: list[float] = []

    async def worker(conn: Connection, todo: list[int], record: bool, until: float) -> None:
        while todo and time.perf_counter() < until:
            todo.pop()
            started = time.perf_counter()
            status, body = await conn.get(path)
            took = (time.perf_counter() - started) * 1000
            check(status, body, marker)
            if record:
                latencies.append(took)

    try:
        warm = list(range(warmup))
        until = time.perf_counter() + budget_s / 4
        await asyncio.gather(*(worker(c, warm, False, until) for c in conns))
        todo = list(range(requests))
        started = time.perf_counter()
        await asyncio.gather(*(worker(c, todo, True, started + budget_s) for c in conns))
        wall = time.perf_counter() - started
    finally:
        for c in conns:
            await c.close()
    return Series(name, concurrency, latencies, wall)
