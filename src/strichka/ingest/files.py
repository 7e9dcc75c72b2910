"""Documents from files, folders, globs and standard input, each refused early if too large.

A gzip-compressed file (a saved page, `*.html.gz`) is read as what it holds, told by its
magic bytes rather than its name; what it holds counts against the same size limit, so a
small archive cannot unpack into gigabytes.
"""

from __future__ import annotations

import glob
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from strichka.errors import EmptyInput, InputError, InputTooLarge, UndecodableInput
from strichka.ingest.inflate import GZIP_MAGIC, CappedInflater, Corrupt, Overflow
from strichka.records import Rejected

STDIN = "-"


@dataclass(frozen=True, slots=True)
class Document:
    """Raw bytes as fetched or read, and where they came from."""

    source: str
    data: bytes
    url: str | None = None


def expand_paths(paths: Sequence[str | Path]) -> list[str | Path]:
    """Files in the order given; folders walked in name order; globs expanded; '-' kept.

    A folder that holds no file is kept as it is, so that reading it says so.
    """
    found: list[str | Path] = []
    for raw in paths:
        if raw == STDIN:
            found.append(STDIN)
            continue
        matches = [Path(p) for p in sorted(glob.glob(str(raw), recursive=True))] or [Path(raw)]
        for path in matches:
            found.extend((_files_in(path) or [path]) if path.is_dir() else [path])
    return found


def _files_in(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")]


def read_documents(
    paths: Sequence[str | Path], *, max_bytes: int, stdin: BinaryIO | None = None
) -> Iterator[Document | Rejected]:
    for path in paths:
        try:
            yield read_one(path, max_bytes=max_bytes, stdin=stdin)
        except InputError as exc:
            yield Rejected(exc.source, exc.reason, exc.code)


def read_one(path: str | Path, *, max_bytes: int, stdin: BinaryIO | None = None) -> Document:
    """One file, or standard input for '-'; raises a typed InputError naming it."""
    if path == STDIN:
        data = _read_capped(stdin or sys.stdin.buffer, max_bytes, "<stdin>")
        return Document("<stdin>", _gunzipped(data, max_bytes, "<stdin>"))
    source = str(path)
    return Document(
        source, _gunzipped(read_file(Path(path), max_bytes=max_bytes), max_bytes, source)
    )


def read_file(path: Path, *, max_bytes: int) -> bytes:
    """A file's bytes; a regular file's size is judged before it is read. A pipe (a FIFO,
    the shell's `<(zcat corpus.gz)`) has no size to judge: it is read up to the limit."""
    source = str(path)
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            if not _files_in(path):
                raise EmptyInput("the folder holds no files to import", source=source)
            raise InputError("a folder, not a file", source=source)
        if stat.S_ISREG(status.st_mode):
            if status.st_size > max_bytes:
                raise InputTooLarge(
                    f"{status.st_size} bytes is over the limit of {max_bytes} "
                    "(setting max_input_bytes)",
                    source=source,
                )
            if status.st_size == 0:
                raise EmptyInput("the file is empty", source=source)
        with path.open("rb") as handle:
            data = _read_capped(handle, max_bytes, source)
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), source=source) from exc
    if not data:
        raise EmptyInput("the file is empty", source=source)
    return data


def _read_capped(stream: BinaryIO, max_bytes: int, source: str) -> bytes:
    """Read at most max_bytes; a stream that holds more is refused, not truncated."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputTooLarge(f"more than {max_bytes} bytes (setting max_input_bytes)", source=source)
    return data


def _gunzipped(data: bytes, max_bytes: int, source: str) -> bytes:
    """The bytes a gzip file holds (every member of it), else `data` as it is."""
    if not data.startswith(GZIP_MAGIC):
        return data
    inflater = CappedInflater(max_bytes)
    try:
        unpacked = inflater.feed(data)
    except Overflow as exc:
        raise InputTooLarge(f"{exc} (setting max_input_bytes)", source=source) from exc
    except Corrupt as exc:
        raise UndecodableInput(f"a gzip file that does not unpack ({exc})", source=source) from exc
    if not inflater.complete:
        raise UndecodableInput("a gzip file cut short", source=source)
    if not unpacked:
        raise EmptyInput("the gzip file holds nothing", source=source)
    return unpacked
