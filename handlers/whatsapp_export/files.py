"""Export files: .txt and .zip, encodings, size caps and zip-bomb checks, read as lines."""

from __future__ import annotations

import codecs
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Final

from handlers.whatsapp_export.model import ExportFormatError

_CHUNK: Final = 1 << 20
_MAX_ZIP_ENTRIES: Final = 10_000
_MAX_ZIP_RATIO: Final = 100
_ZIP_MAGIC: Final = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class ExportSource:
    """A re-iterable view of an export's lines; every iteration re-reads the file."""

    path: Path
    name: str
    encoding: str
    max_bytes: int
    member: str | None = None  # the chat's entry name when the export is a zip

    def __iter__(self) -> Iterator[str]:
        """Lines without line ends (CRLF and lone CR count as line ends), NUL bytes removed."""
        with self._open_bytes() as raw:
            errors = "replace" if self.encoding == "utf-16" else "strict"
            text = io.TextIOWrapper(raw, encoding=self.encoding, errors=errors, newline=None)
            yield from _split_lines(text)

    def _open_bytes(self) -> IO[bytes]:
        if self.member is None:
            return self.path.open("rb")
        return _open_zip_member(self.path, self.member, self.max_bytes)


def _split_lines(text: IO[str]) -> Iterator[str]:
    """Split a text stream into lines in large chunks; a huge line costs linear time."""
    carry: list[str] = []
    while chunk := text.read(_CHUNK):
        if "\x00" in chunk:
            chunk = chunk.replace("\x00", "")
        parts = chunk.split("\n")
        if len(parts) == 1:
            carry.append(chunk)
            continue
        if carry:
            carry.append(parts[0])
            parts[0] = "".join(carry)
            carry = []
        tail = parts.pop()
        if tail:
            carry.append(tail)
        yield from parts
    if carry:
        yield "".join(carry)


def open_export(path: Path, *, max_bytes: int = 200 * 1024**2) -> ExportSource:
    """Open a .txt or .zip export for (repeated) line iteration; refuses oversize input."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
        size = path.stat().st_size
    except OSError as exc:
        raise ExportFormatError(f"cannot read {path.name}: {exc.strerror}") from None
    if magic == _ZIP_MAGIC:
        member, name = _pick_zip_member(path, max_bytes)
        encoding = _sniff_encoding(lambda: _open_zip_member(path, member, max_bytes))
        return ExportSource(path, name, encoding, max_bytes, member)
    if size > max_bytes:
        raise ExportFormatError(
            f"{path.name} is {size / 1024**2:.0f} MB, over the {max_bytes / 1024**2:.0f} MB cap"
        )
    encoding = _sniff_encoding(lambda: path.open("rb"))
    return ExportSource(path, path.name, encoding, max_bytes)


def _sniff_encoding(open_bytes: Callable[[], IO[bytes]]) -> str:
    """UTF-8 (BOM optional) or UTF-16 with a BOM; cp1252/Latin-1 only when UTF-8 fails."""
    with open_bytes() as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "cp1252"):
        if _decodes(open_bytes, encoding):
            return encoding
    return "latin-1"


def _decodes(open_bytes: Callable[[], IO[bytes]], encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with open_bytes() as fh:
        try:
            while chunk := fh.read(_CHUNK):
                if not chunk.isascii():
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _pick_zip_member(path: Path, max_bytes: int) -> tuple[str, str]:
    """The chat text inside a zip (and a display name), refusing bombs before reading any data."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExportFormatError(f"{path.name} is not a readable zip file: {exc}") from None
    if len(infos) > _MAX_ZIP_ENTRIES:
        raise ExportFormatError(f"{path.name} holds {len(infos)} entries, over {_MAX_ZIP_ENTRIES}")
    texts = [i for i in infos if not i.is_dir() and i.filename.lower().endswith(".txt")]
    chats = [i for i in texts if _base_name(i.filename) == "_chat.txt"] or [
        i for i in texts if _base_name(i.filename).lower().startswith("whatsapp chat")
    ]
    if not chats and len(texts) == 1:
        chats = texts
    if len(chats) != 1:
        what = "no chat .txt" if not chats else f"{len(chats)} chat .txt files"
        raise ExportFormatError(f"{path.name} holds {what}; expected exactly one")
    info = chats[0]
    _check_zip_sizes(path, info, max_bytes)
    base = _base_name(info.filename)
    return info.filename, (path.name if base == "_chat.txt" else base)


def _base_name(entry: str) -> str:
    """The last path component of an entry name; never used as a path on disk."""
    return PurePosixPath(entry.replace("\\", "/")).name


def _check_zip_sizes(path: Path, info: zipfile.ZipInfo, max_bytes: int) -> None:
    if info.file_size > max_bytes:
        raise ExportFormatError(
            f"{path.name}: '{_base_name(info.filename)}' expands to "
            f"{info.file_size / 1024**2:.0f} MB, over the {max_bytes / 1024**2:.0f} MB cap"
        )
    if info.file_size > _CHUNK and info.file_size > _MAX_ZIP_RATIO * max(info.compress_size, 1):
        raise ExportFormatError(
            f"{path.name}: '{_base_name(info.filename)}' is compressed more than "
            f"{_MAX_ZIP_RATIO}:1, refusing it as a possible zip bomb"
        )


class _CappedReader(io.RawIOBase):
    """Reads a zip entry but stops with an error once it yields more than its byte budget."""

    def __init__(self, zf: zipfile.ZipFile, stream: IO[bytes], budget: int, name: str) -> None:
        self._zf, self._stream, self._left, self._name = zf, stream, budget, name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._stream.read(min(len(buffer), self._left + 1))
        except zipfile.BadZipFile as exc:
            raise ExportFormatError(f"{self._name}: damaged zip entry ({exc})") from None
        if len(data) > self._left:
            raise ExportFormatError(f"{self._name}: the chat expands beyond the size cap")
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._stream.close()
        self._zf.close()
        super().close()


def _open_zip_member(path: Path, member: str, max_bytes: int) -> IO[bytes]:
    zf = zipfile.ZipFile(path)
    info = zf.getinfo(member)
    _check_zip_sizes(path, info, max_bytes)
    budget = min(max_bytes, info.file_size)
    return io.BufferedReader(_CappedReader(zf, zf.open(info), budget, path.name), _CHUNK)
