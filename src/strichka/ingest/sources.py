"""Source lists in and out: strichka's own TOML, and OPML, the feed readers' exchange format.

A source is an outlet with one or more feeds (RSS, Atom, JSON Feed or sitemaps). The TOML
form, one `[[source]]` table each, is what `src/strichka/data/sources.toml` ships:

    [[source]]
    name = "Укрінформ"
    home = "https://www.ukrinform.ua/"
    feeds = ["https://www.ukrinform.ua/rss/block-lastnews"]
    # allow_local = true   only for a source on this machine or the intranet
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from lxml import etree

from strichka.errors import BlockedAddress, InputError, MalformedItem
from strichka.ingest.urls import canonical_url, host_of


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    feeds: tuple[str, ...]
    home: str | None = None
    allow_local: bool = False

    @property
    def local_hosts(self) -> frozenset[str]:
        """The only hosts a local source may reach on private addresses: its own."""
        if not self.allow_local:
            return frozenset()
        return frozenset(host_of(u) for u in (*self.feeds, self.home or "") if host_of(u))


def make_source(
    name: str, feeds: Iterable[str], *, home: str | None = None, allow_local: bool = False
) -> Source:
    """A Source with canonical URLs, or MalformedItem naming what is wrong with it."""
    try:
        canonical = tuple(dict.fromkeys(canonical_url(f) for f in feeds))
        home_url = canonical_url(home) if home else None
    except BlockedAddress as exc:
        raise MalformedItem(f"source {name!r}: {exc.reason}", source=exc.url) from exc
    if not name.strip():
        raise MalformedItem("a source needs a name", source=home or ", ".join(canonical))
    if not canonical:
        raise MalformedItem(f"source {name!r} has no feeds", source=name)
    return Source(name.strip(), canonical, home_url, allow_local)


def read_sources(data: bytes, *, source: str) -> list[Source]:
    """TOML or OPML, told apart by content."""
    head = data.lstrip()[:200].lower()
    if head.startswith((b"<?xml", b"<opml")):
        return load_opml(data, source=source)
    try:
        return load_toml(data.decode("utf-8"), source=source)
    except UnicodeDecodeError as exc:
        raise InputError("a source list must be UTF-8", source=source) from exc


def load_toml(text: str, *, source: str) -> list[Source]:
    try:
        tables = tomllib.loads(text).get("source", [])
    except tomllib.TOMLDecodeError as exc:
        raise MalformedItem(f"not valid TOML: {exc}", source=source) from exc
    if not isinstance(tables, list):
        raise MalformedItem("expected [[source]] tables", source=source)
    sources = []
    for table in tables:
        if not isinstance(table, dict):
            raise MalformedItem(f"expected [[source]] tables, not {table!r}", source=source)
        feeds = table.get("feeds", [])
        if not isinstance(feeds, list) or not isinstance(table.get("name", ""), str):
            raise MalformedItem(f"source {table!r}: feeds must be a list of URLs", source=source)
        home = table.get("home")
        if home is not None and not isinstance(home, str):
            raise MalformedItem(f"source {table!r}: home must be a URL", source=source)
        # only TOML's true grants it: «allow_local = "no"» was a non-empty string, so true
        allow_local = table.get("allow_local", False)
        if not isinstance(allow_local, bool):
            raise MalformedItem(
                f"source {table!r}: allow_local must be true or false", source=source
            )
        sources.append(
            make_source(
                table.get("name", ""),
                [str(f) for f in feeds],
                home=home,
                allow_local=allow_local,
            )
        )
    return sources


def dump_toml(sources: Sequence[Source]) -> str:
    parts = ["# strichka sources: `strichka source import FILE` reads this back.\n"]
    for s in sources:
        # JSON strings are valid TOML basic strings.
        lines = ["", "[[source]]", f"name = {json.dumps(s.name, ensure_ascii=False)}"]
        if s.home:
            lines.append(f"home = {json.dumps(s.home)}")
        lines.append("feeds = [" + ", ".join(json.dumps(f) for f in s.feeds) + "]")
        if s.allow_local:
            lines.append("allow_local = true")
        parts.append("\n".join(lines) + "\n")
    return "".join(parts)


def load_opml(data: bytes, *, source: str) -> list[Source]:
    """Each outline with an xmlUrl is a feed; feeds sharing a title and htmlUrl are one source."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise MalformedItem(f"not valid OPML: {exc}", source=source) from exc
    grouped: dict[tuple[str, str | None], list[str]] = {}
    for outline in root.iter("outline"):
        feed = outline.get("xmlUrl")
        if not feed:
            continue
        name = outline.get("title") or outline.get("text") or host_of(feed) or feed
        grouped.setdefault((name, outline.get("htmlUrl")), []).append(feed)
    return [make_source(name, feeds, home=home) for (name, home), feeds in grouped.items()]


def dump_opml(sources: Sequence[Source], *, title: str = "strichka sources") -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_text(title)}</title></head>",
        "  <body>",
    ]
    for s in sources:
        for feed in s.feeds:
            attributes = f'text={quoteattr(s.name)} title={quoteattr(s.name)} type="rss"'
            attributes += f" xmlUrl={quoteattr(feed)}"
            if s.home:
                attributes += f" htmlUrl={quoteattr(s.home)}"
            lines.append(f"    <outline {attributes}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
