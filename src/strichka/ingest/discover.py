"""`strichka source add URL`: a feed URL is a source as it is; a home page names its feeds."""

from __future__ import annotations

from strichka.errors import BlockedAddress, MalformedFeed
from strichka.ingest.feeds import discover_feeds, parse_feed
from strichka.ingest.http import HttpClient
from strichka.ingest.sources import Source, make_source
from strichka.ingest.urls import canonical_url, host_of


async def discover_source(
    client: HttpClient, url: str, *, name: str | None = None, allow_local: bool = False
) -> Source:
    """Fetch `url`; a feed becomes the source's one feed, a page gives its announced feeds.

    Raises MalformedFeed when the URL is neither a feed nor a page that announces one. A
    local source (`allow_local`) keeps only the announced feeds on the host it was added by:
    every host of a local source's feeds may be reached on a private address, so a page
    there that announced a feed on another (169.254.169.254, an intranet host) opened that
    host to the poller. BlockedAddress when none is left.
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
        if allow:
            feeds = _own_feeds(feeds, allow, url)
    return make_source(
        name or title or host_of(url).removeprefix("www."),
        feeds,
        home=home,
        allow_local=allow_local,
    )


def _own_feeds(feeds: list[str], allow: frozenset[str], url: str) -> list[str]:
    own = [feed for feed in feeds if host_of(feed) in allow]
    if not own:
        raise BlockedAddress(
            f"--allow-local admits only {', '.join(sorted(allow))}, and the page announces "
            f"feeds elsewhere: {', '.join(feeds)} (add each as a source of its own)",
            url=url,
        )
    return own
