"""Group commit for webhook acks: deliveries that arrive while a write is under way are written
together in the next one, so that one transaction (one lock turn, one commit) serves many acks.

Each submitter is answered only after the transaction holding its delivery committed, so an ack
still means "durably stored". A batch that fails is written again one delivery at a time: one
delivery the database refuses cannot fail its neighbours.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from starlette.concurrency import run_in_threadpool

Item = TypeVar("Item")
Result = TypeVar("Result")

MOST_PER_WRITE = 500  # deliveries in one transaction: a bound on how long one write holds the lock


@dataclass
class _Line(Generic[Item, Result]):
    """Deliveries waiting on one event loop, and the write under way for them (if any)."""

    loop: asyncio.AbstractEventLoop
    waiting: list[tuple[Item, asyncio.Future[Result]]] = field(default_factory=list)
    writer: asyncio.Task[None] | None = None


class GroupCommit(Generic[Item, Result]):
    """`await submit(item)`: its result once a `write_many` holding it has committed."""

    def __init__(
        self,
        write_many: Callable[[Sequence[Item]], list[Result]],
        most: int = MOST_PER_WRITE,
        retry_alone: Callable[[Exception], bool] = lambda _: True,
    ) -> None:
        self._write_many = write_many
        self._most = most
        # Whether a failed batch is worth redoing item by item: not when the database is down
        # or locked, which would only make every delivery wait for its own failure.
        self._retry_alone = retry_alone
        self._line: _Line[Item, Result] | None = None

    async def submit(self, item: Item) -> Result:
        """Queue `item` for the next write and wait until it is committed."""
        loop = asyncio.get_running_loop()
        line = self._line
        if line is None or line.loop is not loop:  # futures belong to their loop (tests run many)
            line = self._line = _Line(loop)
        future: asyncio.Future[Result] = loop.create_future()
        line.waiting.append((item, future))
        if line.writer is None:
            line.writer = loop.create_task(self._write_while_waiting(line))
        return await future

    async def _write_while_waiting(self, line: _Line[Item, Result]) -> None:
        try:
            while line.waiting:
                batch, line.waiting = line.waiting[: self._most], line.waiting[self._most :]
                await self._write(batch)
        finally:
            line.writer = None

    async def _write(self, batch: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        items = [item for item, _ in batch]
        try:
            results = await run_in_threadpool(self._write_many, items)
        except Exception as exc:
            if len(batch) == 1 or not self._retry_alone(exc):
                for _, future in batch:
                    _settle(future, error=exc)
                return
            for item, future in batch:  # each alone: only the delivery at fault fails
                try:
                    _settle(future, (await run_in_threadpool(self._write_many, [item]))[0])
                except Exception as alone:
                    _settle(future, error=alone)
            return
        for (_, future), result in zip(batch, results, strict=True):
            _settle(future, result)


def _settle(
    future: asyncio.Future[Result], result: Result | None = None, error: Exception | None = None
) -> None:
    if future.done():  # its request was cancelled meanwhile
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)  # type: ignore[arg-type]
