"""Export files: .txt and .zip, encodings, size caps and zip-bomb checks, read as lines."""

from __future__ import annotations

import codecs
import io
import lzma
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path, PurePosixPath
from typing import IO, Final

from bot.text import MAX_MESSAGE_CHARS
from handlers.whatsapp_export.model import ExportFormatError

_CHUNK: Final = 1 << 20
_MAX_ZIP_ENTRIES: Final = 10_000
# The central directory is parsed whole by zipfile: refuse one that could hold far more entries
# than we accept before it is read (a 46-byte record per entry, names up to ~1 KB).
_MAX_CENTRAL_DIRECTORY: Final = _MAX_ZIP_ENTRIES * 1024
_MAX_ZIP_RATIO: Final = 100
_ZIP_MAGIC: Final = b"PK\x03\x04"
_END_OF_DIRECTORY: Final = b"PK\x05\x06"
_READABLE_METHODS: Final = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
# What a damaged or hostile zip entry raises while it is opened or decompressed.
_ZIP_ERRORS: Final = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, RuntimeError,
    NotImplementedError, ValueError, KeyError, IndexError, struct.error,
)  # fmt: skip
# A line longer than any message WhatsApp allows (plus its header) is cut here: memory follows
# the longest message, never the file. The cut is marked so a reader sees text is missing.
MAX_LINE_CHARS: Final = MAX_MESSAGE_CHARS + 1_024
CUT_MARK: Final = " […]"


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
        return chain.from_iterable(map(block_lines, self.blocks()))

    def blocks(self) -> Iterator[str]:
        """The same lines in blocks of many: each line has a "\n" before it, none after."""
        return _split_blocks(self._open_text)

    def _open_text(self) -> IO[str]:
        errors = "replace" if self.encoding == "utf-16" else "strict"
        raw = self._open_bytes()
        return io.TextIOWrapper(raw, encoding=self.encoding, errors=errors, newline=None)

    def _open_bytes(self) -> IO[bytes]:
        if self.member is None:
            return self.path.open("rb")
        return _open_zip_member(self.path, self.member, self.max_bytes)


def _split_blocks(open_text: Callable[[], IO[str]]) -> Iterator[str]:
    """Read a text stream in large chunks as blocks of whole lines; a huge line costs linear
    time and is cut at MAX_LINE_CHARS (what follows, up to its line end, is skipped)."""
    with open_text() as text:
        carry: list[str] = []
        carried = 0
        while chunk := text.read(_CHUNK):
            if "\x00" in chunk:
                chunk = chunk.replace("\x00", "")
            end = chunk.rfind("\n")
            if end < 0:
                if carried <= MAX_LINE_CHARS:
                    carry.append(chunk)
                    carried += len(chunk)
                continue
            lines = chunk[:end]
            if carry:
                carry.append(lines)
                lines = "".join(carry)
                carry, carried = [], 0
            if end + 1 < len(chunk):
                carry.append(chunk[end + 1 :])
                carried = len(carry[0])
            if not _no_long_line(lines):
                lines = "\n".join(map(_capped, lines.split("\n")))
            yield "\n" + lines
        if carry:
            yield "\n" + _capped("".join(carry))


def _no_long_line(lines: str) -> bool:
    """Whether no line of these (joined by "\n") is longer than MAX_LINE_CHARS: a longer one
    would span a whole window of half that length without a line end."""
    window = MAX_LINE_CHARS // 2
    starts = range(0, len(lines) - window + 1, window)
    return all(lines.find("\n", i, i + window) >= 0 for i in starts)


def block_lines(block: str) -> list[str]:
    """The lines of a block."""
    return block[1:].split("\n")


def _capped(line: str) -> str:
    return line if len(line) <= MAX_LINE_CHARS else line[:MAX_LINE_CHARS] + CUT_MARK


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
        opener = lambda: _open_zip_member(path, member, max_bytes)  # noqa: E731
        _read_through(opener)
        encoding = _sniff_encoding(opener)
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
    _check_central_directory(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except _ZIP_ERRORS as exc:
        raise ExportFormatError(f"{path.name} is not a readable zip file: {exc}") from None
    if len(infos) > _MAX_ZIP_ENTRIES:
        raise ExportFormatError(f"{path.name} holds {len(infos)} entries, over {_MAX_ZIP_ENTRIES}")
    if any(not i.filename or "\x00" in i.orig_filename for i in infos):
        raise ExportFormatError(f"{path.name} holds an entry whose name is empty or has NUL in it")
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
    _check_readable(path, info)
    _check_zip_sizes(path, info, max_bytes)
    base = _base_name(info.filename)
    return info.filename, (path.name if base == "_chat.txt" else base)


def _check_central_directory(path: Path) -> None:
    """Refuse a zip whose central directory is too large to parse, before zipfile parses it."""
    with path.open("rb") as fh:
        fh.seek(0, io.SEEK_END)
        size = fh.tell()
        fh.seek(max(0, size - (1 << 16) - 22))
        tail = fh.read()
    at = tail.rfind(_END_OF_DIRECTORY)
    if at < 0 or len(tail) < at + 22:
        return  # not found: zipfile reports the damage
    entries, directory_size = struct.unpack_from("<HI", tail, at + 10)
    too_many = entries > _MAX_ZIP_ENTRIES and entries != 0xFFFF  # 0xFFFF: see the zip64 record
    if directory_size > _MAX_CENTRAL_DIRECTORY or too_many:
        raise ExportFormatError(
            f"{path.name} has a zip directory of {directory_size} bytes ({entries} entries), "
            f"over the {_MAX_ZIP_ENTRIES}-entry limit"
        )


def _check_readable(path: Path, info: zipfile.ZipInfo) -> None:
    """Refuse an encrypted entry or a compression method Python cannot read, by name."""
    name = _base_name(info.filename)
    if info.flag_bits & 0x1:
        raise ExportFormatError(
            f"{path.name}: '{name}' is encrypted; export the chat again without a password"
        )
    if info.compress_type not in _READABLE_METHODS:
        raise ExportFormatError(
            f"{path.name}: '{name}' uses compression method {info.compress_type}, which "
            "Liftbot cannot read (stored, deflate, bzip2 and LZMA are read)"
        )


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
        except _ZIP_ERRORS as exc:
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
    try:
        info = zf.getinfo(member)
        _check_readable(path, info)
        _check_zip_sizes(path, info, max_bytes)
        stream = zf.open(info)
    except ExportFormatError:
        zf.close()
        raise
    except _ZIP_ERRORS as exc:
        zf.close()
        raise ExportFormatError(f"{path.name}: damaged zip entry ({exc})") from None
    budget = min(max_bytes, info.file_size)
    return io.BufferedReader(_CappedReader(zf, stream, budget, path.name), _CHUNK)


def _read_through(open_bytes: Callable[[], IO[bytes]]) -> None:
    """Decompress a zip entry to its end once (CRC included), so a damaged one is refused
    before the first batch is stored."""
    with open_bytes() as fh:
        while fh.read(_CHUNK):
            pass
