"""Malformed and hostile zips: each is one ExportFormatError line, exit 1 and nothing stored."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.app.cli import app
from storage.db import make_engine, session_scope
from storage.migrate import upgrade
from storage.tables import Community, ImportRun, Message

CHAT = "13/06/2024, 09:26 - Meera Iyer: Hiring an HR generalist in Pune\n" * 200
LOCAL, CENTRAL = b"PK\x03\x04", b"PK\x01\x02"


def _zip(
    name: str = "_chat.txt", data: str = CHAT, method: int = zipfile.ZIP_DEFLATED
) -> bytearray:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        zf.writestr(name, data)
    return bytearray(buffer.getvalue())


def _patch_u16(
    data: bytearray, local_at: int, central_at: int, value: Callable[[int], int]
) -> bytearray:
    for signature, offset in ((LOCAL, local_at), (CENTRAL, central_at)):
        at = data.find(signature) + offset
        struct.pack_into("<H", data, at, value(struct.unpack_from("<H", data, at)[0]))
    return data


def encrypted() -> bytes:
    return bytes(_patch_u16(_zip(), 6, 8, lambda flags: flags | 0x1))


def deflate64() -> bytes:
    return bytes(_patch_u16(_zip(), 8, 10, lambda _: 9))


def corrupt_deflate() -> bytes:
    data = _zip()
    start = data.find(LOCAL) + 30 + len("_chat.txt")
    for k in range(5, 40):
        data[start + k] ^= 0xFF
    return bytes(data)


def nul_in_name() -> bytes:
    return bytes(_zip("X/_chat.txt")).replace(b"X/_chat.txt", b"\x00/_chat.txt")


def lying_sizes() -> bytes:
    """A bomb that declares 1,000 bytes and expands to 5 MB."""
    data = _zip(data="13/06/2024, 09:26 - A: " + "x" * 5_000_000 + "\n")
    for signature, offset in ((LOCAL, 22), (CENTRAL, 24)):
        struct.pack_into("<I", data, data.find(signature) + offset, 1000)
    return bytes(data)


def huge_directory() -> bytes:
    """An end record announcing a central directory far larger than any export's."""
    data = _zip()
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HHI", data, end + 8, 60_000, 60_000, 50_000_000)
    return bytes(data)


CASES = {
    "encrypted": (encrypted, "encrypted"),
    "deflate64": (deflate64, "compression method 9"),
    "corrupt-deflate": (corrupt_deflate, "damaged zip entry"),
    "nul-in-name": (nul_in_name, "NUL"),
    "lying-sizes": (lying_sizes, "zip"),
    "huge-directory": (huge_directory, "entries"),
    "truncated": (lambda: bytes(_zip()[:200]), "zip"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_malformed_zip_is_one_error_line_exit_1_and_stores_nothing(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make, words = CASES[case]
    export = tmp_path / "WhatsApp Chat - HR.zip"
    export.write_bytes(make())
    url = f"sqlite:///{tmp_path / 'liftbot.db'}"
    upgrade(make_engine(url))
    monkeypatch.setenv("DATABASE_URL", url)
    result = CliRunner().invoke(app, ["import", str(export)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and words in result.output
    assert result.output.strip().startswith("error:")
    with session_scope(make_engine(url)) as session:
        for table in (Community, ImportRun, Message):
            assert session.execute(select(func.count()).select_from(table)).scalar_one() == 0


def test_a_bad_line_deep_in_an_export_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "chat.txt"
    export.write_text(CHAT * 40 + "14/06/2024, 29:26 - Meera Iyer: a time that never was\n")
    url = f"sqlite:///{tmp_path / 'liftbot.db'}"
    upgrade(make_engine(url))
    monkeypatch.setenv("DATABASE_URL", url)
    result = CliRunner().invoke(app, ["import", str(export)])
    assert result.exit_code == 1 and "not a valid time" in result.output
    with session_scope(make_engine(url)) as session:
        assert session.execute(select(func.count()).select_from(Message)).scalar_one() == 0
