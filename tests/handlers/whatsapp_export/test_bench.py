"""The benchmark's generated export is a valid export of the requested size."""

from __future__ import annotations

from pathlib import Path

from benchmarks.export_bench import bench_parse, generate_export
from handlers.whatsapp_export import open_export, parse_export


def test_generated_export_parses_to_the_requested_message_count(tmp_path: Path) -> None:
    path = tmp_path / "bench.txt"
    generate_export(path, 2_000, seed=3)
    result = bench_parse(path)
    assert result["messages"] == 2_000
    entries = list(parse_export(open_export(path)))
    assert any(e.author_is_phone for e in entries)
    assert any("\n" in e.text for e in entries)
    assert any(e.system for e in entries)
    assert entries[-1].sent_at > entries[0].sent_at
