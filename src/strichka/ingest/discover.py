"""`strichka source add URL`: a feed URL is a source as it is; a home page names its feeds."""

from __future__ import annotations

from strichka.errors import MalformedFeed
from strichka.ingest.feeds import discover_feeds, parse_feed
from strichka.ingest.http import HttpClient
from strichka.ingest.sources import Source, make_source
from strichka.ingest.urls import canonical_url, host_of


async def discover_source(
    client: HttpClient, url: str, *, name: str | None = None, allow_local: bool = False
) -> Source:
    """Fetch `url`; a feed becomes the source's one feed, a page gives its announced feeds.

    Raises MalformedFeed when the URL is neither a feed nor a page that announces one.
    """
    url = canonical_url(url)
    allow = frozenset({host_of(url)}) if allow_local else frozenset()
    fetched = await client.fetch(url, allow_hosts=allow)
    try:
        feed = parse_feed(fetched.body, url=fetched.final_url, charset=fetched.charset)
        home, feeds, title = None, [fetched.final_url], feed.title
    except MalformedFeed:
        feeds = discover_feeds(fetched.text(), base_url=fetched.final_url)
        if not feeds:
            raise MalformedFeed(
                "neither a feed nor a page that announces one (<link rel=alternate>)", url=url
            ) from None
        home, title = fetched.final_url, None
    return make_source(
        name or title or host_of(url).removeprefix("www."),
        feeds,
        home=home,
        allow_local=allow_local,
    )
