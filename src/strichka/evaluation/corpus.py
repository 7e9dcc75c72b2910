"""Reading evaluation files: JSON Lines whose every broken line is named, never a traceback.

Evaluation commands are also run on files we have never seen (held-out pairs), so a bad
line must say where it is and what it lacks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from strichka.errors import MalformedItem


def json_lines(path: Path) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(where, object) for each non-blank line; `where` is "file:line" for error messages."""
    with path.open(encoding="utf-8") as lines:
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
            yield where, record


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
