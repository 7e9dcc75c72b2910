"""Aggregator text items (my.ua and alike) and plain text: the form most items arrive in.

/https%3A%2F%2Fs3...amazonaws.com%2Fmedia.my.ua%2Ffeed%2F131%2F<content id>.jpg)   optional
Title
Коротко:                                                                          optional
The lead, one line
Body lines; short lines that do not end a sentence are sub-headings
Інші новини:                                                          optional, dropped
...links to other items, dropped...
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from strichka.errors import MalformedItem
from strichka.extract.text import (
    blocks_from_lines,
    check_sizes,
    is_site_chrome,
    unescape_entities,
    without_timestamps,
)
from strichka.records import Article, Image, collapse_spaces, content_id

_LEAD_MARKER = re.compile(r"^(?:Коротко|Кратко)\s*:\s*(.*)$", re.IGNORECASE)
_TRAILER_MARKER = re.compile(
    r"^(?:Інші новини|Другие новости|Більше новин)\s*:?\s*$", re.IGNORECASE
)
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")
_FEED_PATH = re.compile(r"/feed/(\d+)/([^/]+?)\.[A-Za-z0-9]+$")
_S3_HOST = re.compile(r"^(?:(?P<bucket>.+)\.)?s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com$")


@dataclass(frozen=True, slots=True)
class AggregatorImage:
    """What an aggregator's proxied image path tells: the image and the item's origin."""

    url: str
    aggregator: str | None
    feed_id: int | None
    content_id: str | None


def parse_image_line(line: str) -> AggregatorImage | None:
    """Recover the real image URL from a proxied (URL-encoded, bracketed) image path."""
    candidate = line.strip().removeprefix("![](").lstrip("/(").rstrip(")")
    if "%2F" in candidate or "%2f" in candidate:
        candidate = unquote(candidate)
    if any(ch.isspace() for ch in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:  # e.g. an unbalanced '[' taken for an IPv6 host
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if not parts.path.lower().endswith(_IMAGE_EXTENSIONS):
        return None
    host = parts.hostname or ""
    path = parts.path
    bucket = None
    s3 = _S3_HOST.match(host)
    if s3:
        bucket = s3.group("bucket")
        if bucket is None and path.count("/") >= 2:
            bucket, path = path.lstrip("/").split("/", 1)
            path = "/" + path
    aggregator = bucket.removeprefix("media.") if bucket else None
    feed = _FEED_PATH.search(path)
    return AggregatorImage(
        url=candidate,
        aggregator=aggregator,
        feed_id=int(feed.group(1)) if feed else None,
        content_id=feed.group(2) if feed else None,
    )


def read_aggregator_text(
    text: str, *, source: str, max_title_chars: int, max_body_chars: int
) -> Article:
    lines = [unescape_entities(line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not is_site_chrome(line)]
    if not lines:
        raise MalformedItem("the item has no text", source=source)

    image = parse_image_line(lines[0])
    if image:
        lines = lines[1:]
    if not lines:
        raise MalformedItem("the item has an image line but no title", source=source)
    title = without_timestamps(collapse_spaces(lines[0]))
    rest = lines[1:]

    for index, line in enumerate(rest):
        if _TRAILER_MARKER.match(line):
            rest = rest[:index]
            break

    lead = None
    if rest:
        marker = _LEAD_MARKER.match(rest[0])
        if marker:
            inline = marker.group(1).strip()
            if inline:
                lead, rest = inline, rest[1:]
            elif len(rest) > 1:
                lead, rest = rest[1], rest[2:]
            else:
                rest = []
    lead = collapse_spaces(lead) if lead else None

    blocks = blocks_from_lines(rest)
    check_sizes(
        title, blocks, source=source, max_title_chars=max_title_chars, max_body_chars=max_body_chars
    )
    if not blocks and not lead:
        raise MalformedItem("the item has a title but no lead and no body", source=source)

    return Article(
        id=content_id(title, lead, blocks),
        title=title,
        lead=lead,
        blocks=blocks,
        aggregator=image.aggregator if image else None,
        feed_id=image.feed_id if image else None,
        image=Image(url=image.url, content_id=image.content_id) if image else None,
        source_format="aggregator-text" if image or lead else "text",
    )
