"""Story fixtures: the dictionaries, a fresh store per test, real texts to cluster."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from strichka.extract.document import ReaderOptions, read_document
from strichka.nlp.analysis import LanguageResources, with_analysis
from strichka.records import Article, Block, stable_id
from strichka.store import SQLiteStore
from strichka.stories.engine import StoryEngine
from strichka.stories.features import Analyzer

SEED = "000_3e1ff92a3d920351"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer.with_entities()


@pytest.fixture(scope="session")
def language() -> LanguageResources:
    return LanguageResources.load()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "stories.db") as opened:
        yield opened


@pytest.fixture(scope="session")
def bruk(shared_data: Path) -> list[dict[str, str]]:
    path = shared_data / "bruk-press" / "bruk-press.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def article(
    key: str, title: str, paragraphs: list[str], *, language: str = "uk", **extra: object
) -> Article:
    return Article(
        id=stable_id(key),
        title=title,
        blocks=tuple(Block("paragraph", p) for p in paragraphs),
        url=f"https://example.org/{key}",
        canonical_url=f"https://example.org/{key}",
        language=language,
        **extra,  # type: ignore[arg-type]
    )


def paragraphs(record: dict[str, str]) -> list[str]:
    return [p.strip() for p in record["text"].split("\n") if p.strip()]


def press(bruk: list[dict[str, str]], count: int) -> list[Article]:
    """The first `count` bruk-press texts as articles: unrelated news around a test's own."""
    return [article(f"r{n}", r["title"], paragraphs(r)) for n, r in enumerate(bruk[:count])]


def long_texts(bruk: list[dict[str, str]], count: int) -> list[dict[str, str]]:
    return [r for r in bruk if len(paragraphs(r)) >= 5 and len(r["text"]) > 2500][:count]


def store_and_assign(store: SQLiteStore, engine: StoryEngine, item: Article) -> str:
    _, stored = store.upsert_article(item)
    return engine.assign(stored).story_id


def seed_article(seeds_dir: Path, language: LanguageResources) -> Article:
    """The golden item as import stores it: read, then analysed."""
    data = (seeds_dir / f"{SEED}.txt").read_bytes()
    reading = read_document(data, source=SEED, options=ReaderOptions())
    item = next(a for a in reading.items if isinstance(a, Article))
    return with_analysis(item, resources=language)
