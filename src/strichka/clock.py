"""Times as a reader is shown them, by every command and every page: one rule for both."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def clock_time(
    moment: datetime | None, zone: str, *, day_only: bool = False, day_format: str = "%Y-%m-%d"
) -> str:
    """A moment on the user's clock (setting `timezone`); the day alone where the source gave
    no time of day: it is stored as that day's midnight in the source's own offset, which is
    not when it was published, so the day is read there rather than moved to `zone`.
    `day_format` writes the day (the web writes «20.10.2025»)."""
    if moment is None:
        return "—"
    if day_only:
        return moment.strftime(day_format)
    return moment.astimezone(ZoneInfo(zone)).strftime(f"{day_format} %H:%M")
