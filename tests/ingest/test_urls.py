"""Canonical URLs: one article, one id, however it is linked."""

from __future__ import annotations

import pytest

from strichka.errors import BlockedAddress
from strichka.ingest.urls import article_id_for, canonical_url


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTPS://WWW.Pravda.com.ua:443/news/1/", "https://www.pravda.com.ua/news/1/"),
        ("http://example.ua:80/a", "http://example.ua/a"),
        ("http://example.ua:8080/a", "http://example.ua:8080/a"),
        ("https://example.ua/a#comments", "https://example.ua/a"),
        ("https://example.ua", "https://example.ua/"),
        (
            "https://example.ua/a?utm_source=fb&b=2&fbclid=XYZ&a=1&gclid=1&UTM_Medium=x",
            "https://example.ua/a?a=1&b=2",
        ),
        ("https://example.ua/a/./b/../c", "https://example.ua/a/c"),
        (
            "https://example.ua/новини/1",
            "https://example.ua/%D0%BD%D0%BE%D0%B2%D0%B8%D0%BD%D0%B8/1",
        ),
        ("https://example.ua/%d0%bd", "https://example.ua/%D0%BD"),
        ("https://київ.укр/a", "https://xn--b1alf1j.xn--j1amh/a"),
        ("  https://example.ua/a?x=1  ", "https://example.ua/a?x=1"),
    ],
)
def test_canonical_forms(raw: str, canonical: str) -> None:
    assert canonical_url(raw) == canonical


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("https://example.ua/news.php?id", "https://example.ua/news.php?id"),
        ("https://example.ua/news?42", "https://example.ua/news?42"),
        ("https://example.ua/a?page=2&amp&utm_source=x", "https://example.ua/a?amp&page=2"),
        ("https://example.ua/a?id=", "https://example.ua/a?id="),
        ("https://example.ua/a?id=&id", "https://example.ua/a?id&id="),
        ("https://example.ua/a?utm_medium", "https://example.ua/a"),
    ],
)
def test_a_bare_query_key_stays_bare(raw: str, canonical: str) -> None:
    """`?id` became `?id=`: another request, which a server may answer with another page."""
    assert canonical_url(raw) == canonical
    assert canonical_url(canonical) == canonical


def test_relative_links_resolve_on_the_base() -> None:
    assert canonical_url("../b?utm_campaign=z", base="https://e.ua/x/y/z") == "https://e.ua/x/b"


def test_one_article_one_id_however_linked() -> None:
    forms = [
        "https://www.ukrinform.ua/rubric-polytics/123-news.html",
        "HTTPS://www.ukrinform.ua:443/rubric-polytics/123-news.html#top",
        "https://www.ukrinform.ua/rubric-polytics/123-news.html?utm_source=telegram",
    ]
    assert len({article_id_for(f) for f in forms}) == 1


@pytest.mark.parametrize(
    "raw", ["file:///etc/passwd", "javascript:alert(1)", "ftp://e.ua/a", "https:///nohost", "x"]
)
def test_other_schemes_and_hostless_urls_are_refused(raw: str) -> None:
    with pytest.raises(BlockedAddress):
        canonical_url(raw)
