"""Choosing a reader by what the bytes are, not by the file name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import tzinfo
from zoneinfo import ZoneInfo

from strichka.errors import UnrecognisedFormat
from strichka.extract.aggregator import read_aggregator_text
from strichka.extract.decode import decode_document
from strichka.extract.html import read_html
from strichka.extract.jsonl import looks_like_json, read_json_records
from strichka.extract.text import check_sizes
from strichka.records import Article, Rejected

_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|meta|title|div|p)\b",
    re.IGNORECASE | re.DOTALL,
)
KYIV = ZoneInfo("Europe/Kyiv")
_FEED_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ReaderOptions:
    max_title_chars: int = 1_000
    max_body_chars: int = 2_000_000
    default_tz: tzinfo = KYIV


def detect_format(text: str) -> str:
    """'json', 'html', 'feed' or 'text'."""
    head = text[:2048]
    if looks_like_json(head):
        return "json"
    if _FEED_START.match(head):
        return "feed"
    if _HTML_START.match(head):
        return "html"
    return "text"


@dataclass(frozen=True, slots=True)
class Reading:
    """What one document held, and in which form: JSON holds records, not source documents."""

    format: str
    items: tuple[Article | Rejected, ...]


def read_document(
    data: bytes, *, source: str, options: ReaderOptions, url: str | None = None
) -> Reading:
    """Every article in one document; raises an InputError when the document as a whole is bad.

    A JSON Lines document yields one item per line, and a bad line is a Rejected among them.
    """
    text = decode_document(data, source=source)
    kind = detect_format(text)
    if kind == "feed":
        raise UnrecognisedFormat(
            "this is an RSS/Atom feed, not an article: add it as a source instead", source=source
        )
    items: Iterable[Article | Rejected]
    if kind == "json":
        items = read_json_records(
            text,
            source=source,
            default_tz=options.default_tz,
            max_title_chars=options.max_title_chars,
            max_body_chars=options.max_body_chars,
        )
    elif kind == "html":
        article = read_html(text, source=source, url=url, default_tz=options.default_tz)
        check_sizes(
            article.title,
            article.blocks,
            source=source,
            max_title_chars=options.max_title_chars,
            max_body_chars=options.max_body_chars,
        )
        items = [article]
    else:
        items = [
            read_aggregator_text(
                text,
                source=source,
                max_title_chars=options.max_title_chars,
                max_body_chars=options.max_body_chars,
            )
        ]
    return Reading(kind, tuple(items))
