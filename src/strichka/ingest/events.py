"""Structured logs: one line per event, `event key=value ...` for people or JSON for machines."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger("strichka.ingest")
_FIELDS = "event_fields"


def emit(event: str, *, level: int = logging.INFO, **fields: Any) -> None:
    log.log(level, event, extra={_FIELDS: fields})


class EventFormatter(logging.Formatter):
    """Formats `emit` records (and any other record) as one line, JSON when asked."""

    def __init__(self, *, as_json: bool = False) -> None:
        super().__init__()
        self.as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = dict(getattr(record, _FIELDS, {}))
        when = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        if record.exc_info:
            fields["traceback"] = self.formatException(record.exc_info)
        if self.as_json:
            line = {"ts": when, "level": record.levelname.lower(), "event": record.getMessage()}
            return json.dumps({**line, **fields}, ensure_ascii=False, default=str)
        pairs = " ".join(f"{key}={_quote(value)}" for key, value in fields.items())
        return f"{when} {record.levelname.lower():7} {record.getMessage()} {pairs}".rstrip()


def _quote(value: Any) -> str:
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if not text or " " in text or '"' in text else text
