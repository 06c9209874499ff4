"""Opening export files: encodings, line ends, zips, bombs, size caps and non-exports."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from bot.text import MAX_MESSAGE_CHARS
from handlers.whatsapp_export import ExportFormatError, open_export, parse_export
from handlers.whatsapp_export.files import CUT_MARK
from tests.conftest import SHARED_DATA

SAMPLE = SHARED_DATA / "sample_chat.txt"
TRUTH = SAMPLE.with_name("sample_chat_truth.json")

CHAT = (
    "13/06/2024, 09:26 - Meera Iyer: Hiring an HR generalist in Pune\n"
    "Apply by Friday\n"
    "13/06/2024, 09:30 - José Müller: Interested, sent my CV\n"
    "14/06/2024, 10:00 - Meera Iyer left\n"
)
EXPECTED = [
    ("2024-06-13T09:26", "Meera Iyer", "Hiring an HR generalist in Pune\nApply by Friday"),
    ("2024-06-13T09:30", "José Müller", "Interested, sent my CV"),
    ("2024-06-14T10:00", None, "Meera Iyer left"),
]


def _triples(path: Path) -> list[tuple[str, str | None, str]]:
    return [(e.sent_at_text, e.author, e.text) for e in parse_export(open_export(path))]


@pytest.mark.parametrize(
    ("label", "data"),
    [
        ("utf-8", CHAT.encode()),
        ("utf-8 with BOM", b"\xef\xbb\xbf" + CHAT.encode()),
        ("utf-16le with BOM", b"\xff\xfe" + CHAT.encode("utf-16-le")),
        ("utf-16be with BOM", b"\xfe\xff" + CHAT.encode("utf-16-be")),
        ("crlf", CHAT.replace("\n", "\r\n").encode()),
        ("lone cr", CHAT.replace("\n", "\r").encode()),
        ("latin-1", CHAT.encode("latin-1")),
        ("nul bytes", CHAT.replace("Hiring", "Hi\x00ring").encode()),
        ("no final newline", CHAT.rstrip("\n").encode()),
    ],
)
def test_encodings_and_line_ends_parse_alike(tmp_path: Path, label: str, data: bytes) -> None:
    path = tmp_path / "WhatsApp Chat with HR Pune.txt"
    path.write_bytes(data)
    assert _triples(path) == EXPECTED, label


def test_cp1252_punctuation_is_read_when_utf8_fails(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_bytes("13/06/2024, 09:26 - Meera: “Thanks” – sorted\n".encode("cp1252"))
    assert _triples(path)[0][2] == "“Thanks” – sorted"


def test_source_can_be_iterated_twice_and_has_a_plain_name(tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat with HR Pune.txt"
    path.write_text(CHAT, encoding="utf-8")
    source = open_export(path)
    assert list(source) == list(source) == CHAT.rstrip("\n").split("\n")
    assert source.name == "WhatsApp Chat with HR Pune.txt"


def test_empty_file_yields_no_entries(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert list(parse_export(open_export(path))) == []
    path.write_bytes(b"\n\n  \n")
    assert list(parse_export(open_export(path))) == []


@pytest.mark.parametrize(
    "content",
    [
        "Dear team,\nPlease find the minutes below.\n13/06/2024, 09:26 - a: m\n",
        "name,email\nMeera,meera@example.com\n",
        "a" * 100_000 + "\n",
    ],
)
def test_not_an_export_names_line_1(tmp_path: Path, content: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ExportFormatError, match="line 1 does not start with a date and time"):
        list(parse_export(open_export(path)))


def test_oversize_text_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text(CHAT * 100, encoding="utf-8")
    with pytest.raises(ExportFormatError, match="cap"):
        open_export(path, max_bytes=1000)


def test_ios_zip_with_media_reads_the_chat_only(tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat - HR Pune.zip"
    ios_chat = re.sub(r"^(\S+), (\S+) - ", r"[\1, \2:00] ", CHAT, flags=re.MULTILINE)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("00000012-PHOTO-2024-06-13-09-26-00.jpg", b"\xff\xd8" + b"\x00" * 5000)
        zf.writestr("_chat.txt", ios_chat.encode())
        zf.writestr("00000013-AUDIO-2024-06-13-09-27-00.opus", b"OggS" * 100)
    source = open_export(path)
    assert source.name == "WhatsApp Chat - HR Pune.zip"
    triples = [(e.author, e.text) for e in parse_export(source)]
    assert triples == [(author, text) for _, author, text in EXPECTED]
    assert len(list(parse_export(source))) == 3  # re-iterable: reopens the zip


def test_android_zip_names_the_source_after_the_chat_file(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("WhatsApp Chat with HR Pune.txt", CHAT.encode())
        zf.writestr("IMG-20240613-WA0001.jpg", b"\xff\xd8")
    assert open_export(path).name == "WhatsApp Chat with HR Pune.txt"


def test_zip_entry_names_are_never_used_as_paths(tmp_path: Path) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../../etc/passwd.txt", CHAT.encode())
    source = open_export(path)
    assert source.name == "passwd.txt"
    assert len(list(parse_export(source))) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.zip"]


def test_zip_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    zeros = b"\x00" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("_chat.txt", "w") as out:
        for _ in range(300):
            out.write(zeros)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(ExportFormatError, match="cap"):
        open_export(path)


def test_highly_compressed_entry_under_the_size_cap_is_refused_by_ratio(tmp_path: Path) -> None:
    path = tmp_path / "ratio.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("_chat.txt", b"13/06/2024, 09:26 - a: m\n" + b"\x00" * (20 * 1024 * 1024))
    with pytest.raises(ExportFormatError, match="zip bomb"):
        open_export(path)


def test_zip_with_too_many_entries_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(10_001):
            zf.writestr(f"m/{i}.jpg", b"")
    with pytest.raises(ExportFormatError, match="entries"):
        open_export(path)


def test_zip_without_a_chat_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("IMG-1.jpg", b"\xff\xd8")
    with pytest.raises(ExportFormatError, match="no chat"):
        open_export(path)


def test_huge_single_line_and_many_short_lines_are_cut_at_the_longest_message(
    tmp_path: Path,
) -> None:
    path = tmp_path / "big.txt"
    with path.open("w", encoding="utf-8") as out:
        out.write("13/06/2024, 09:26 - Meera: " + "a" * 20_000_000 + "\n")
        out.write("13/06/2024, 09:27 - Arjun: start\n" + "a\n" * 100_000)
        out.write("13/06/2024, 09:28 - " + "x: " * 50_000 + "\n")
    first, second, third = parse_export(open_export(path))
    # WhatsApp allows 65,536 characters: a longer "message" is cut there, and says so.
    assert first.text.startswith("a" * MAX_MESSAGE_CHARS) and first.text.endswith(CUT_MARK)
    assert len(first.text) < MAX_MESSAGE_CHARS + 2_000
    assert second.text.startswith("start\na\n") and second.text.endswith(CUT_MARK)
    assert len(second.text) < MAX_MESSAGE_CHARS + 2_000
    assert third.author == "x"


@pytest.mark.skipif(not SAMPLE.exists(), reason="the shared data folder is not beside this clone")
def test_sample_chat_matches_its_truth() -> None:
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))["messages"]
    entries = list(parse_export(open_export(SAMPLE)))
    assert len(entries) == len(truth) == 260
    for entry, want in zip(entries, truth, strict=True):
        author = want["author"].removeprefix("~\u202f") if want["author"] else None
        got = (
            entry.index, entry.line, entry.author, entry.sent_at_text, entry.text, entry.system,
            entry.system_event if entry.system else None,
            entry.marker is not None and entry.marker.value == "media",
            entry.marker is not None and entry.marker.value == "deleted", entry.edited,
        )  # fmt: skip
        expected = (
            want["index"], want["line"], author, want["timestamp"], want["text"],
            want.get("system", False), want.get("system_event"), want.get("media", False),
            want.get("deleted", False), want.get("edited", False),
        )  # fmt: skip
        assert got == expected
