"""Source lists: the shipped TOML, and TOML and OPML both ways."""

from __future__ import annotations

from importlib import resources

import pytest

from strichka.errors import MalformedItem
from strichka.ingest.sources import dump_opml, dump_toml, make_source, read_sources


def test_the_shipped_source_list_loads() -> None:
    data = resources.files("strichka").joinpath("data/sources.toml").read_bytes()
    sources = read_sources(data, source="sources.toml")
    names = {s.name for s in sources}
    assert {"Укрінформ", "Українська правда", "УНІАН", "Суспільне", "NV"} <= names
    assert all(s.feeds and s.feeds[0].startswith("https://") for s in sources)
    assert not any(s.allow_local for s in sources)


def test_toml_and_opml_round_trips() -> None:
    sources = [
        make_source(
            "Укрінформ",
            ["https://www.ukrinform.ua/rss/block-lastnews"],
            home="https://www.ukrinform.ua/",
        ),
        make_source('Лапки "і" <теги>', ["https://e.ua/a.xml", "https://e.ua/b.xml"]),
        make_source("Local", ["http://127.0.0.1:8000/feed"], allow_local=True),
    ]
    assert read_sources(dump_toml(sources).encode(), source="t") == sources
    from_opml = read_sources(dump_opml(sources).encode(), source="o")
    # OPML has no notion of local sources: the flag is strichka's own.
    assert [(s.name, s.feeds, s.home) for s in from_opml] == [
        (s.name, s.feeds, s.home) for s in sources
    ]


def test_opml_from_a_feed_reader() -> None:
    opml = b"""<?xml version="1.0"?><opml version="1.0"><head><title>x</title></head><body>
    <outline text="News"><outline text="UP" type="rss" xmlUrl="https://www.pravda.com.ua/rss/"
      htmlUrl="https://www.pravda.com.ua/"/></outline></body></opml>"""
    (source,) = read_sources(opml, source="reader.opml")
    assert source.name == "UP" and source.feeds == ("https://www.pravda.com.ua/rss/",)


def test_local_hosts_only_for_local_sources() -> None:
    local = make_source("L", ["http://127.0.0.1:9/feed"], allow_local=True)
    assert local.local_hosts == frozenset({"127.0.0.1"})
    assert make_source("P", ["http://127.0.0.1:9/feed"]).local_hosts == frozenset()


@pytest.mark.parametrize(
    "text",
    [
        '[[source]]\nname = "x"\nfeeds = ["file:///etc/passwd"]\n',
        '[[source]]\nname = "x"\nfeeds = []\n',
        '[[source]]\nname = ""\nfeeds = ["https://e.ua/rss"]\n',
        "[[source]\n",
        # these ended `source import` in an AttributeError, or, allow_local = "no" being a
        # non-empty string, let the source reach private addresses
        "source = [1, 2]\n",
        '[[source]]\nname = "x"\nhome = 5\nfeeds = ["https://e.ua/rss"]\n',
        '[[source]]\nname = "x"\nfeeds = ["http://10.0.0.1/rss"]\nallow_local = "no"\n',
        '[[source]]\nname = "x"\nfeeds = {a = "https://e.ua/rss"}\n',
    ],
)
def test_bad_source_lists_are_refused(text: str) -> None:
    with pytest.raises(MalformedItem):
        read_sources(text.encode(), source="bad.toml")
