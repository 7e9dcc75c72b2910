"""Stories: copies are linked to their original, unrelated news stays apart, ids are stable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from strichka.extract.document import ReaderOptions, read_document
from strichka.nlp.analysis import LanguageResources, with_analysis
from strichka.records import Article, Block, stable_id
from strichka.store import SQLiteStore
from strichka.stories.engine import StoryEngine
from strichka.stories.features import Analyzer, title_dates
from strichka.stories.summary import extractive_lead, related_stories, summarise

SEED = "000_3e1ff92a3d920351"


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer.with_entities()


@pytest.fixture(scope="module")
def language() -> LanguageResources:
    return LanguageResources.load()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(tmp_path / "stories.db") as opened:
        yield opened


@pytest.fixture(scope="module")
def bruk(shared_data_module: Path) -> list[dict[str, str]]:
    path = shared_data_module / "bruk-press" / "bruk-press.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def shared_data_module() -> Path:
    path = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    if not path.exists():
        pytest.skip("../shared/data is absent")
    return path


def _article(key: str, title: str, paragraphs: list[str], **extra: object) -> Article:
    return Article(
        id=stable_id(key),
        title=title,
        blocks=tuple(Block("paragraph", p) for p in paragraphs),
        url=f"https://example.org/{key}",
        canonical_url=f"https://example.org/{key}",
        language="uk",
        **extra,  # type: ignore[arg-type]
    )


def _paragraphs(record: dict[str, str]) -> list[str]:
    return [p.strip() for p in record["text"].split("\n") if p.strip()]


def _long(bruk: list[dict[str, str]], count: int) -> list[dict[str, str]]:
    return [r for r in bruk if len(_paragraphs(r)) >= 5 and len(r["text"]) > 2500][:count]


def _store_and_assign(store: SQLiteStore, engine: StoryEngine, article: Article) -> str:
    _, stored = store.upsert_article(article)
    return engine.assign(stored).story_id


def test_near_duplicates_of_real_articles_are_linked_to_the_original(
    store: SQLiteStore, analyzer: Analyzer, bruk: list[dict[str, str]]
) -> None:
    engine = StoryEngine.load(store, analyzer)
    base = datetime(2024, 5, 1, 9, tzinfo=UTC)
    originals = _long(bruk, 3)
    for n, record in enumerate(originals):
        paragraphs = _paragraphs(record)
        original = _article(f"o{n}", record["title"], paragraphs, published_at=base)
        copies = [
            # the tail trimmed
            _article(f"t{n}", record["title"], paragraphs[: max(3, len(paragraphs) * 2 // 3)]),
            # a reworded headline
            _article(f"h{n}", "Терміново: " + record["title"].lower(), paragraphs),
            # a paragraph added
            _article(f"p{n}", record["title"], [*paragraphs, "Читайте нас у Telegram."]),
        ]
        story = _store_and_assign(store, engine, original)
        for offset, copy in enumerate(copies, start=1):
            copy = copy.with_changes(published_at=base + timedelta(hours=offset))
            _, stored = store.upsert_article(copy)
            assignment = engine.assign(stored)
            assert assignment.story_id == story
            assert assignment.duplicate_of == original.id, copy.title


def test_unrelated_articles_on_one_topic_stay_apart(store: SQLiteStore, analyzer: Analyzer) -> None:
    engine = StoryEngine.load(store, analyzer)
    first = _article(
        "a",
        "У Львові водій маршрутки збив пішохода на вулиці Городоцькій",
        [
            "Увечері 3 травня у Львові на вулиці Городоцькій водій маршрутки №29 збив "
            "чоловіка, який переходив дорогу на червоне світло.",
            "Потерпілого госпіталізували, поліція відкрила провадження.",
        ],
    )
    second = _article(
        "b",
        "На Київщині вантажівка зіткнулася з легковиком: двоє загиблих",
        [
            "На трасі Київ – Чоп поблизу Макарова вантажівка DAF виїхала на зустрічну смугу "
            "та зіткнулася з автомобілем Skoda.",
            "Водій і пасажир легковика загинули на місці, рятувальники деблокували тіла.",
        ],
    )
    assert _store_and_assign(store, engine, first) != _store_and_assign(store, engine, second)


def _seed(seeds_dir: Path, language: LanguageResources) -> Article:
    """The golden item as import stores it: read, then analysed."""
    data = (seeds_dir / f"{SEED}.txt").read_bytes()
    reading = read_document(data, source=SEED, options=ReaderOptions())
    item = next(a for a in reading.items if isinstance(a, Article))
    return with_analysis(item, resources=language)


def test_the_seed_item_under_two_urls_is_one_story_with_one_duplicate(
    store: SQLiteStore, analyzer: Analyzer, seeds_dir: Path, language: LanguageResources
) -> None:
    item = _seed(seeds_dir, language)
    engine = StoryEngine.load(store, analyzer)
    assignments = []
    for n, url in enumerate(("https://my.ua/news/1", "https://example.org/mirror/1")):
        copy = item.with_changes(id=stable_id(f"url:{url}"), url=url, canonical_url=url)
        _, stored = store.upsert_article(copy)
        assignments.append(engine.assign(stored))
        assert len({a.story_id for a in assignments}) == 1, n
    assert [a.duplicate_of for a in assignments] == [None, assignments[0].article_id]
    summary = summarise(store, assignments[0].story_id, analyzer=analyzer, index=engine.index)
    assert summary.article_count == 2
    assert summary.headline == item.title
    assert len(summary.korotko) >= 2
    assert "Ніколас Мадуро" in [entity.name for entity in summary.top_entities]
    # the copy repeats the original's words: its quotes and claims are not counted again
    assert summary.cited_outlets[0] == ("The Washington Post", 2)
    assert len(summary.contradictions) == 2


def test_the_seed_story_shows_its_sources_quotes_claims_and_the_contradiction(
    store: SQLiteStore, analyzer: Analyzer, seeds_dir: Path, language: LanguageResources
) -> None:
    engine = StoryEngine.load(store, analyzer)
    _, stored = store.upsert_article(_seed(seeds_dir, language))
    summary = summarise(
        store, engine.assign(stored).story_id, analyzer=analyzer, index=engine.index
    )

    assert dict(summary.cited_outlets) == {
        "The Washington Post": 2,
        "Bloomberg": 1,
        "The Wall Street Journal": 1,
    }
    speakers = {quote.speaker for quote in summary.quotes}
    assert {"Джеймс Сторі", "Дональд Трамп"} <= speakers
    by_source = dict(summary.claims)
    assert [c.stance for c in by_source["Bloomberg"]] == ["denies"]
    assert "готуються завдати ударів" in by_source["The Wall Street Journal"][0].text

    pairs = {(c.denial.source, c.report.source) for c in summary.contradictions}
    assert ("Bloomberg", "The Wall Street Journal") in pairs
    # the denial is paired only with the report it is about, not with every claim that
    # names the United States or Venezuela (the Washington Post's, the documents')
    assert {report for _, report in pairs} == {"The Wall Street Journal"}
    bloomberg = next(c for c in summary.contradictions if c.denial.source == "Bloomberg")
    assert bloomberg.denial.text.startswith("Водночас президент США Дональд Трамп спростував")
    assert {"удар", "Венесуела"} <= set(bloomberg.shared)
    assert summary.disputed(bloomberg.report)
    assert not summary.disputed(by_source["Джеймс Сторі"][0])


def test_story_ids_are_stable_across_reimport_and_recluster(
    store: SQLiteStore, analyzer: Analyzer, bruk: list[dict[str, str]]
) -> None:
    articles = [_article(f"s{n}", r["title"], _paragraphs(r)) for n, r in enumerate(bruk[:40])]
    engine = StoryEngine.load(store, analyzer)
    first = [_store_and_assign(store, engine, a) for a in articles]
    again = StoryEngine.load(store, analyzer)
    assert [_store_and_assign(store, again, a) for a in articles] == first
    rebuilt = StoryEngine.load(store, analyzer)
    rebuilt.recluster(articles)
    assert [store.story_link(a.id).story_id for a in articles] == first  # type: ignore[union-attr]


def test_related_never_returns_the_story_itself(
    store: SQLiteStore, analyzer: Analyzer, bruk: list[dict[str, str]]
) -> None:
    engine = StoryEngine.load(store, analyzer)
    stories = [
        _store_and_assign(store, engine, _article(f"r{n}", r["title"], _paragraphs(r)))
        for n, r in enumerate(bruk[:60])
    ]
    for story in set(stories):
        related = related_stories(store, engine.index, story, k=5)
        assert story not in {r.id for r in related}
        assert len(related) <= 5


def test_a_merged_story_id_still_resolves(store: SQLiteStore, analyzer: Analyzer) -> None:
    engine = StoryEngine.load(store, analyzer)
    a = _store_and_assign(store, engine, _article("m1", "Перша", ["Текст один про події."]))
    b = _store_and_assign(store, engine, _article("m2", "Друга", ["Інший текст про інше."]))
    store.merge_story(b, a)
    assert store.resolve_story(b) == a


def test_extractive_lead_takes_the_first_sentences() -> None:
    article = _article("l", "Т", ["Перше речення. Друге речення. Третє речення."])
    assert extractive_lead(article) == "Перше речення. Друге речення."
    assert extractive_lead(article.with_changes(lead="Дано.")) == "Дано."


def test_title_dates_are_read_in_three_languages() -> None:
    assert title_dates("Прогноз погоды на 8 ноября") == {"11-8"}
    assert title_dates("Прогноз погоди на 16 листопада") == {"11-16"}
    assert title_dates("Markets on Nov. 16 and 17th") == {"11-16"}
