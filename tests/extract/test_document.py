"""Reader choice by content, and the promise every reader keeps on any input whatsoever."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strichka.errors import InputError
from strichka.extract.document import ReaderOptions, detect_format, read_document
from strichka.records import Article, Rejected

OPTIONS = ReaderOptions()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('{"title": "x", "text": "y"}\n', "json"),
        ("[{}]", "json"),
        ("<!DOCTYPE html><html><body></body></html>", "html"),
        ("  <!-- saved --> <html>", "html"),
        ("<?xml version='1.0'?>\n<rss version='2.0'>", "feed"),
        ('<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        ("Заголовок\nКоротко:\nЛід", "text"),
        ("<3 Я люблю Київ\nАбзац.", "text"),
    ],
)
def test_format_is_detected_from_content(text: str, kind: str) -> None:
    assert detect_format(text) == kind


def test_the_same_item_in_any_encoding_gives_the_same_article() -> None:
    text = "Мадуро запросив у Путіна допомогу\nКоротко:\nЛід новини.\nАбзац про Венесуелу.\n"
    articles = [
        read_document(text.encode(enc), source=enc, options=OPTIONS).items[0]
        for enc in ("utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8_u")
    ]
    assert all(isinstance(a, Article) for a in articles)
    assert len({a.to_dict()["id"] for a in articles if isinstance(a, Article)}) == 1


def _outcome_is_typed(data: bytes) -> None:
    try:
        reading = read_document(data, source="fuzz", options=OPTIONS)
    except InputError as exc:
        assert exc.source == "fuzz"
        return
    assert all(isinstance(item, Article | Rejected) for item in reading.items)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_give_an_article_or_a_typed_error(data: bytes) -> None:
    _outcome_is_typed(data)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2048))
def test_random_text_gives_an_article_or_a_typed_error(text: str) -> None:
    _outcome_is_typed(text.encode("utf-8"))


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["<html><body>", "<!doctype html><p>", "{", "[", "/https%3A%2F%2F"]),
    st.text(max_size=1024),
)
def test_random_text_behind_each_format_prefix(prefix: str, text: str) -> None:
    _outcome_is_typed((prefix + text).encode("utf-8"))


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "id",
                "title",
                "text",
                "url",
                "published_at",
                "feed_id",
                "author",
                "image",
                "blocks",
                "lang",
            ]
        ),
        st.none() | st.integers() | st.text(max_size=40) | st.lists(st.text(max_size=5)),
    )
)
def test_random_json_objects_give_an_article_or_a_rejection(obj: dict[str, object]) -> None:
    _outcome_is_typed(json.dumps(obj).encode())
