"""The reader's pages in headless Chromium: front page, article, search, entity, escaping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from strichka.store import SQLiteStore
from strichka.store.base import StoryLink, StoryRow

GOLDEN = "000_3e1ff92a3d920351.txt"


def shot(page: Any, name: str) -> Path:
    path = Path(page.shots) / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000
    return path


def test_search_for_putinu_finds_the_golden_item_and_its_entities(
    site: Any, page: Any, seeds_dir: Path
) -> None:
    [golden] = site.import_files(seeds_dir / GOLDEN)
    page.goto(site.url + "/")
    assert page.title().startswith("Головне")
    assert page.locator(f'a[href="/articles/{golden}"]').count() == 1
    shot(page, "front")

    page.get_by_label("Пошук новин").fill("Путіну")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    result = page.locator(f'ol.results a[href="/articles/{golden}"]')
    assert result.count() == 1
    assert "Путіна" in page.locator("ol.results mark").all_inner_texts()
    shot(page, "search")

    result.click()
    page.wait_for_url(f"**/articles/{golden}")
    assert "Мадуро запросив у Путіна" in page.locator("h1").inner_text()
    assert page.locator("h2", has_text="Росія співпрацює з Венесуелою").count() == 1
    assert page.locator("a", has_text="Читати в джерелі").count() <= 1
    shot(page, "article")

    entity = page.locator("article.full a.entity", has_text="Путіна").first
    entity.click()
    page.wait_for_url("**/entities/**")
    assert page.locator("h1").inner_text() == "Володимир Путін"
    assert page.locator(f'ol.results a[href="/articles/{golden}"]').count() == 1
    shot(page, "entity")


def test_search_page_filters_are_labelled_and_keyboard_reachable(site: Any, page: Any) -> None:
    page.goto(site.url + "/search")
    for label in ("Що шукати", "Видання", "Мова", "Від", "До"):
        assert page.get_by_label(label).count() == 1, label
    page.get_by_label("Що шукати").fill('"Венесуел')
    page.get_by_label("Що шукати").press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("alert").count() == 1  # a malformed query is explained, not a 500
    shot(page, "search-error")


def test_a_hostile_title_shows_as_text_and_runs_nothing(site: Any, page: Any) -> None:
    for path in ("/", "/articles/hostile0", "/search?q=Венесуелу"):
        page.goto(site.url + path)
        page.wait_for_load_state("load")
        assert page.get_by_text("<script>alert(1)</script>").count() >= 1, path
        assert page.locator("img[src=x]").count() == 0
    shot(page, "hostile")
    assert page.dialogs == []


def test_front_page_shows_a_story_and_its_page_lists_who_was_first(
    site: Any, page: Any, seeds_dir: Path
) -> None:
    [golden] = site.import_files(seeds_dir / GOLDEN)
    with SQLiteStore(site.settings.db_path) as store, store.transaction():
        for seq, article_id in enumerate((golden, "hostile0")):
            article = store.get_article(article_id)
            link = StoryLink(article_id, "story0001", None, article.published_at, False, seq)
            store.add_story_link(link, text_hash=article_id, minhash=b"", shingles=0, features="{}")
        store.save_story(StoryRow("story0001", 1, 2, None, None, "{}"))
    page.goto(site.url + "/")
    story = page.locator('a[href="/stories/story0001"]')
    assert "Мадуро" in story.inner_text()
    assert "2 джерел" in page.locator("ol.stories .count").first.inner_text()
    story.click()
    page.wait_for_url("**/stories/story0001")
    timeline = page.locator("ol.timeline li")
    assert timeline.count() == 2
    assert "першим" in timeline.first.inner_text()
    assert page.get_by_text("<script>alert(1)</script>").count() == 1
    shot(page, "story")
    assert page.dialogs == []
