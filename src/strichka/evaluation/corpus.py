"""Reading evaluation files: JSON Lines whose every broken line is named, never a traceback.

Evaluation commands are also run on files we have never seen (held-out pairs), so a bad
line must say where it is and what it lacks, and a wrong or empty folder or file must be
refused by name (as `eval ner` refuses one) instead of crashing or scoring nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from strichka.errors import EmptyInput, MalformedItem, UndecodableInput, UnrecognisedFormat


def corpus_files(folder: Path, *patterns: str, expected: str) -> list[Path]:
    """The files under `folder` matching any of the glob `patterns`, sorted by path.

    UnrecognisedFormat naming the folder when none match: `expected` says what it should be.
    """
    found = sorted({path for pattern in patterns for path in folder.glob(pattern)})
    files = [path for path in found if path.is_file()]
    if not files:
        raise UnrecognisedFormat(
            f"not {expected}: nothing matches {' or '.join(patterns)}", source=str(folder)
        )
    return files


def json_lines(path: Path) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(where, object) for each non-blank line; `where` is "file:line" for error messages.

    EmptyInput when the file holds no line at all: nothing to evaluate is a mistake.
    """
    read = 0
    with path.open(encoding="utf-8") as lines:
        try:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise MalformedItem(f"not JSON ({exc.msg})", source=where) from exc
                if not isinstance(record, dict):
                    raise MalformedItem("each line must be a JSON object", source=where)
                read += 1
                yield where, record
        except UnicodeDecodeError as exc:
            raise UndecodableInput("not UTF-8 text", source=str(path)) from exc
    if not read:
        raise EmptyInput("no JSON lines", source=str(path))


def text_field(
    record: Mapping[str, Any], name: str, where: str, *, default: str | None = None
) -> str:
    """A string field of a record; MalformedItem naming the line when it is missing."""
    value = record.get(name, default)
    if not isinstance(value, str):
        expected = "a string" if name in record else "present"
        raise MalformedItem(f"field {name!r} must be {expected}", source=where)
    return value


def object_field(record: Mapping[str, Any], name: str, where: str) -> Mapping[str, Any]:
    value = record.get(name)
    if not isinstance(value, dict):
        raise MalformedItem(f"field {name!r} must be a JSON object", source=where)
    return value
