"""Group commit: deliveries that arrive together are written together, each answered after."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from handlers.group_commit import GroupCommit


def test_deliveries_waiting_together_are_written_in_one_call_each_with_its_own_result() -> None:
    writes: list[list[str]] = []

    def write_many(items: Sequence[str]) -> list[str]:
        writes.append(list(items))
        return [item.upper() for item in items]

    commit = GroupCommit(write_many)

    async def deliver() -> list[str]:
        return list(await asyncio.gather(*(commit.submit(x) for x in ["a", "b", "c"])))

    assert asyncio.run(deliver()) == ["A", "B", "C"]
    assert writes == [["a", "b", "c"]]


def test_a_delivery_the_write_refuses_fails_alone() -> None:
    def write_many(items: Sequence[str]) -> list[str]:
        if "bad" in items:
            raise ValueError("refused")
        return list(items)

    commit = GroupCommit(write_many)

    async def deliver() -> list[object]:
        found = await asyncio.gather(
            *(commit.submit(x) for x in ["ok", "bad", "fine"]), return_exceptions=True
        )
        return list(found)

    ok, bad, fine = asyncio.run(deliver())
    assert (ok, fine) == ("ok", "fine")
    assert isinstance(bad, ValueError)


def test_a_batch_never_holds_more_than_the_most_per_write() -> None:
    sizes: list[int] = []

    def write_many(items: Sequence[int]) -> list[int]:
        sizes.append(len(items))
        return list(items)

    commit = GroupCommit(write_many, most=2)

    async def deliver() -> list[int]:
        return list(await asyncio.gather(*(commit.submit(n) for n in range(5))))

    assert asyncio.run(deliver()) == [0, 1, 2, 3, 4]
    assert sizes == [2, 2, 1]


@pytest.mark.parametrize("rounds", [2])
def test_a_new_event_loop_gets_a_fresh_line(rounds: int) -> None:
    commit = GroupCommit(lambda items: list(items))
    for n in range(rounds):
        assert asyncio.run(commit.submit(n)) == n


def test_an_outage_fails_the_whole_batch_at_once() -> None:
    calls: list[int] = []

    def write_many(items: Sequence[str]) -> list[str]:
        calls.append(len(items))
        raise ConnectionError("database down")

    commit = GroupCommit(write_many, retry_alone=lambda exc: not isinstance(exc, ConnectionError))

    async def deliver() -> list[object]:
        found = await asyncio.gather(*(commit.submit(x) for x in "abc"), return_exceptions=True)
        return list(found)

    assert all(isinstance(result, ConnectionError) for result in asyncio.run(deliver()))
    assert calls == [3]
