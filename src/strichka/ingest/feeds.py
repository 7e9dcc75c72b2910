"""Feeds and sitemaps → feed items; home pages → the feeds they announce. No network here.

RSS 0.9x/1.0/2.0 and Atom go through feedparser (always given bytes, never a URL or a path,
which it would open itself). JSON Feed, which feedparser does not read, and sitemaps are
parsed here. Text is decoded by `decode_document` first, because Ukrainian feeds often
declare UTF-8 and send cp1251; feedparser then gets honest UTF-8.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser
import lxml.html
from lxml import etree

from strichka.errors import BlockedAddress, InputError, MalformedFeed
from strichka.extract.decode import decode_document
from strichka.ingest.urls import canonical_url
from strichka.records import names_day_only, within_calendar

# A feed item with at least this much text in its content carries the article itself.
FULL_TEXT_MIN_CHARS = 600
MAX_ITEMS = 5_000
MAX_SITEMAP_URLS = 50_000  # the sitemap protocol's own limit
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "application/json",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
_XML_DECLARATION = re.compile(r"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2", re.IGNORECASE)
_SITEMAP_ROOT = re.compile(r"<(?:[\w-]+:)?(urlset|sitemapindex)\b")
_TAGS = re.compile(r"<[^>]+>")
# A numeric character reference to what is no character (a UTF-16 surrogate, NUL, past
# U+10FFFF) makes feedparser raise, and a JSON Feed's lone "\\ud800" escape is no text either:
# both read as U+FFFD, as an HTML parser reads them, so one such title cannot stop a poll.
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_SURROGATE = re.compile("[\ud800-\udfff]")
_MAX_CHAR_DIGITS = 8
_SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
_IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed or sitemap: enough to fetch the page, or to be the article."""

    url: str
    title: str = ""
    summary: str | None = None
    content_html: str | None = None
    published_at: datetime | None = None
    image_url: str | None = None
    authors: tuple[str, ...] = ()
    updated_at: datetime | None = None
    published_day_only: bool = False
    """The feed gave the day of publication but no time of day: `published_at` is its
    midnight (UTC), which is not when the item was published."""

    @property
    def version_at(self) -> datetime | None:
        """When the feed says this version of the item was made: updated, else published."""
        return self.updated_at or self.published_at

    @property
    def carries_full_text(self) -> bool:
        text = _TAGS.sub(" ", self.content_html or "")
        return len(" ".join(text.split())) >= FULL_TEXT_MIN_CHARS

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "title": self.title,
            "summary": self.summary,
            "content_html": self.content_html,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "image_url": self.image_url,
            "authors": list(self.authors),
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "published_day_only": self.published_day_only,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeedItem:
        published = data.get("published_at")
        updated = data.get("updated_at")
        return cls(
            url=str(data["url"]),
            title=str(data.get("title") or ""),
            summary=data.get("summary"),
            content_html=data.get("content_html"),
            published_at=datetime.fromisoformat(published) if published else None,
            image_url=data.get("image_url"),
            authors=tuple(str(a) for a in data.get("authors") or ()),
            updated_at=datetime.fromisoformat(updated) if updated else None,
            published_day_only=bool(data.get("published_day_only")),
        )


@dataclass(frozen=True, slots=True)
class Feed:
    """What one feed document held. `sitemaps` are the children of a sitemap index."""

    kind: str
    title: str | None
    items: tuple[FeedItem, ...]
    sitemaps: tuple[str, ...] = ()
    skipped: int = 0


def parse_feed(
    data: bytes, *, url: str, charset: str | None = None, since: datetime | None = None
) -> Feed:
    """Read RSS, Atom, JSON Feed or a (news) sitemap; raise MalformedFeed when none fits.

    Items without an http(s) link are skipped and counted; sitemap entries older than
    `since` are skipped too, since a plain sitemap lists an outlet's whole archive.
    """
    try:
        text = decode_document(data, source=url, declared=charset)
    except InputError as exc:
        raise MalformedFeed(exc.reason, url=url) from exc
    head = text.lstrip()[:2048]
    if head.startswith("{"):
        return _json_feed(text, url)
    root = _SITEMAP_ROOT.search(head)
    if root:
        return _sitemap(text, url, since, index=root.group(1) == "sitemapindex")
    return _xml_feed(text, url)


def discover_feeds(html: str, *, base_url: str) -> list[str]:
    """Feed URLs a page announces with <link rel="alternate" type="application/rss+xml">."""
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    found: list[str] = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = link.get("href")
        if "alternate" in rel and kind in FEED_TYPES and href:
            try:
                resolved = canonical_url(href, base=base_url)
            except BlockedAddress:
                continue
            if resolved not in found:
                found.append(resolved)
    return found


def _xml_feed(text: str, url: str) -> Feed:
    # The text is decoded already: tell feedparser so, in the declaration and in the header.
    text = _CHAR_REF.sub(_character_or_replacement, text)
    utf8 = _XML_DECLARATION.sub(r"\1\2utf-8\2", text, count=1).encode("utf-8")
    try:
        parsed = feedparser.parse(
            io.BytesIO(utf8),
            response_headers={
                "content-location": url,
                "content-type": "application/xml; charset=utf-8",
            },
            sanitize_html=True,
            resolve_relative_uris=True,
        )
    except Exception as exc:
        # feedparser salvages what it can of broken markup, and where its own bookkeeping
        # breaks on it (KeyError: 'links' for a <link> that an </item> cuts), it raises:
        # that is a feed it cannot read, not a reason to stop polling every other source
        raise MalformedFeed(f"not a readable feed: {type(exc).__name__}: {exc}", url=url) from exc
    version = str(parsed.get("version") or "")
    items: list[FeedItem] = []
    skipped = 0
    for entry in parsed.entries[:MAX_ITEMS]:
        item = _entry_item(entry, url)
        if item is None:
            skipped += 1
        else:
            items.append(item)
    # Broken XML that still yields items is kept (feedparser's loose parser salvages it).
    if not items and (parsed.get("bozo") or not version):
        reason = parsed.get("bozo_exception") or "no RSS, Atom, JSON Feed or sitemap found"
        raise MalformedFeed(f"not a readable feed: {reason}", url=url)
    title = parsed.feed.get("title") if parsed.get("feed") else None
    return Feed(version or "rss", title or None, tuple(items), skipped=skipped)


def _entry_item(entry: Any, base: str) -> FeedItem | None:
    link = _link(entry.get("link") or entry.get("id"), base)
    if link is None:
        return None
    contents = [c.get("value", "") for c in entry.get("content") or [] if c.get("value")]
    full = entry.get("yandex_full-text")
    if full:
        contents.append(str(full))
    content = max(contents, key=len) if contents else None
    return FeedItem(
        url=link,
        title=_plain(entry.get("title")),
        summary=_plain(entry.get("summary")) or None,
        content_html=content,
        published_at=_struct_time(entry.get("published_parsed") or entry.get("updated_parsed")),
        image_url=_entry_image(entry, base),
        authors=tuple(a.get("name", "") for a in entry.get("authors") or [] if a.get("name")),
        # dict.get: the entry's own updated time, without feedparser's fallback to published.
        updated_at=_struct_time(dict.get(entry, "updated_parsed")),
    )


def _entry_image(entry: Any, base: str) -> str | None:
    candidates: list[str | None] = []
    for media in entry.get("media_content") or []:
        if media.get("medium") == "image" or str(media.get("type", "")).startswith("image/"):
            candidates.append(media.get("url"))
    candidates += [m.get("url") for m in entry.get("media_thumbnail") or []]
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            candidates.append(link.get("href"))
    for candidate in candidates:
        resolved = _link(candidate, base)
        if resolved:
            return resolved
    return None


def _character_or_replacement(reference: re.Match[str]) -> str:
    digits, base = (reference.group(1), 16) if reference.group(1) else (reference.group(2), 10)
    value = int(digits, base) if len(digits) <= _MAX_CHAR_DIGITS else -1
    if value <= 0 or value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return "&#xFFFD;"
    return reference.group(0)


def _unicode(value: Any) -> Any:
    """`value` as JSON decoded it, its lone surrogates replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_unicode(v) for v in value]
    if isinstance(value, dict):
        return {k: _unicode(v) for k, v in value.items()}
    return value


def _json_feed(text: str, url: str) -> Feed:
    try:
        data = _unicode(json.loads(text))
    except json.JSONDecodeError as exc:
        raise MalformedFeed(f"not JSON: {exc}", url=url) from exc
    version = str(data.get("version", "")) if isinstance(data, dict) else ""
    if "jsonfeed.org" not in version or not isinstance(data.get("items"), list):
        raise MalformedFeed("JSON, but not a JSON Feed (no jsonfeed.org version)", url=url)
    items: list[FeedItem] = []
    skipped = 0
    for raw in data["items"][:MAX_ITEMS]:
        link = (
            _link(raw.get("url") or raw.get("external_url"), url) if isinstance(raw, dict) else None
        )
        if link is None:
            skipped += 1
            continue
        # a field of the wrong type is left out, as a missing one is: authors that are no
        # list stopped the whole poll (TypeError), HTML that is no text failed the item
        authors = raw.get("authors") or ([raw["author"]] if raw.get("author") else [])
        if not isinstance(authors, list):
            authors = []
        html = raw.get("content_html")
        content = (html if isinstance(html, str) else "") or _paragraphs_html(
            raw.get("content_text")
        )
        published, day_only = _published(raw.get("date_published"), raw.get("date_modified"))
        items.append(
            FeedItem(
                url=link,
                title=_plain(raw.get("title")),
                summary=_plain(raw.get("summary")) or None,
                content_html=content or None,
                published_at=published,
                image_url=_link(raw.get("image") or raw.get("banner_image"), link),
                authors=tuple(
                    str(a["name"]) for a in authors if isinstance(a, dict) and a.get("name")
                ),
                updated_at=_iso(raw.get("date_modified")),
                published_day_only=day_only,
            )
        )
    return Feed("json", _plain(data.get("title")) or None, tuple(items), skipped=skipped)


def _sitemap(text: str, url: str, since: datetime | None, *, index: bool) -> Feed:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise MalformedFeed(f"malformed sitemap XML: {exc}", url=url) from exc
    if index:
        children = [
            link for loc in root.iter(f"{_SM}loc") if (link := _link(loc.text, url)) is not None
        ]
        return Feed("sitemap-index", None, (), sitemaps=tuple(children[:MAX_SITEMAP_URLS]))
    items: list[FeedItem] = []
    skipped = 0
    for entry in _limited(root.iter(f"{_SM}url"), MAX_SITEMAP_URLS):
        link = _link(entry.findtext(f"{_SM}loc"), url)
        news = entry.find(f"{_NEWS}news")
        published, day_only = _published(
            news.findtext(f"{_NEWS}publication_date") if news is not None else None,
            entry.findtext(f"{_SM}lastmod"),
        )
        if link is None or (since and published and published < since):
            skipped += 1
            continue
        items.append(
            FeedItem(
                url=link,
                title=_plain(news.findtext(f"{_NEWS}title")) if news is not None else "",
                published_at=published,
                image_url=_link(entry.findtext(f"{_IMAGE}image/{_IMAGE}loc"), link),
                updated_at=_iso(entry.findtext(f"{_SM}lastmod")),
                published_day_only=day_only,
            )
        )
    kind = "news-sitemap" if root.find(f".//{_NEWS}news") is not None else "sitemap"
    return Feed(kind, None, tuple(items[:MAX_ITEMS]), skipped=skipped)


def _limited(elements: Iterator[Any], limit: int) -> Iterator[Any]:
    for count, element in enumerate(elements):
        if count >= limit:
            return
        yield element


def _link(value: object, base: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return canonical_url(value, base=base)
    except BlockedAddress:
        return None


def _plain(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(_TAGS.sub(" ", value).split())


def _paragraphs_html(text: object) -> str:
    if not isinstance(text, str):
        return ""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    return "".join(f"<p>{_escape(p)}</p>" for p in paragraphs)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _struct_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        year, month, day, hour, minute, second = (int(v) for v in value[:6])
        moment = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError):
        return None
    return moment if within_calendar(moment) else None


def _published(*values: object) -> tuple[datetime | None, bool]:
    """The first of `values` that reads as a time, and whether it names only the day
    («2025-10-20», which sitemaps allow): read as midnight, it must be marked day-only."""
    for value in values:
        moment = _iso(value)
        if moment is not None:
            return moment, names_day_only(str(value))
    return None, False


def _iso(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if not within_calendar(moment):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
