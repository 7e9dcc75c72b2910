"""The reader's pages in headless Chromium: front page, article, search, entity, escaping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from strichka.store import SQLiteStore

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
    assert page.locator(f'a[href="/stories/{_story_of(site, golden)}"]').count() == 1
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

    entity = page.locator("h1 a.entity", has_text="Путіна")
    assert entity.count() == 1  # highlighted in the title, from the stored analysis
    entity.click()
    page.wait_for_url("**/entities/**")
    assert page.locator("h1").inner_text() == "Володимир Путін"
    assert "особа" in page.locator("main > p.meta").inner_text()
    assert "Путіна" in page.locator(".aliases .alias").all_inner_texts()
    story = _story_of(site, golden)
    assert page.locator(f'ol.stories a[href="/stories/{story}"]').count() == 1
    shot(page, "entity")

    feed = page.request.get(page.url.replace("/entities/", "/feeds/entities/") + ".xml")
    assert feed.ok and f"/stories/{story}" in feed.text()


def test_search_page_filters_are_labelled_and_keyboard_reachable(site: Any, page: Any) -> None:
    page.goto(site.url + "/search")
    for label in ("Що шукати", "Видання", "Мова", "Від", "До"):
        assert page.get_by_label(label).count() == 1, label
    page.get_by_label("Що шукати").fill('"Венесуел')
    page.get_by_label("Що шукати").press("Enter")
    page.wait_for_load_state()
    alert = page.get_by_role("alert")  # a malformed query is explained, not a 500
    assert alert.count() == 1 and "лапки відкрито, але не закрито" in alert.inner_text()
    shot(page, "search-error")


def test_a_hostile_title_shows_as_text_and_runs_nothing(site: Any, page: Any) -> None:
    for path in ("/", "/articles/hostile0", "/search?q=Венесуелу"):
        page.goto(site.url + path)
        page.wait_for_load_state("load")
        assert page.get_by_text("<script>alert(1)</script>").count() >= 1, path
        assert page.locator("img[src=x]").count() == 0
    shot(page, "hostile")
    assert page.dialogs == []


def _story_of(site: Any, article_id: str) -> str:
    with SQLiteStore(site.settings.db_path) as store:
        link = store.story_link(article_id)
    assert link is not None
    return link.story_id


def test_front_page_shows_a_story_and_its_page_lists_who_was_first(
    site: Any, page: Any, seeds_dir: Path, tmp_path: Path, import_records: Any
) -> None:
    [golden] = site.import_files(seeds_dir / GOLDEN)
    with SQLiteStore(site.settings.db_path) as store:
        article = store.get_article(golden)
    mirror = {
        "id": "mirror01",
        "title": article.title,
        "text": "\n\n".join([article.lead or "", *article.paragraphs]),
        "outlet": "Газета <i>зла</i>",
        "url": "https://example.org/mirror",
    }
    import_records(site, tmp_path, mirror)
    story = _story_of(site, golden)
    assert _story_of(site, "mirror01") == story

    page.goto(site.url + "/")
    link = page.locator(f'a[href="/stories/{story}"]')
    assert "Мадуро" in link.inner_text()
    assert "2 джерел" in page.locator("ol.stories .count").first.inner_text()
    link.click()
    page.wait_for_url(f"**/stories/{story}")
    timeline = page.locator("ol.timeline li")
    assert timeline.count() == 2
    assert "першим" in timeline.first.inner_text()
    assert page.get_by_text("Газета <i>зла</i>").count() >= 1  # shown as text
    assert page.locator("section.korotko p").count() >= 2
    assert page.locator("section.why .term").count() >= 1

    contradiction = page.locator("section.contradictions li.contradiction").filter(
        has_text="Bloomberg"
    )
    assert contradiction.count() == 1
    assert "The Wall Street Journal" in contradiction.inner_text()
    assert "заперечує" in contradiction.inner_text()
    assert page.locator("section.claims li.claim.disputed").count() >= 2
    assert "Джеймс Сторі" in page.locator("section.quotes").inner_text()
    assert "The Washington Post" in page.locator("section.cited").inner_text()
    shot(page, "story")
    assert page.dialogs == []


def test_an_article_page_offers_other_news_that_lead_to_their_stories(
    site: Any, page: Any, seeds_dir: Path, tmp_path: Path, import_records: Any
) -> None:
    [golden] = site.import_files(seeds_dir / GOLDEN)
    parade = {
        "id": "parade01",
        "title": "Мадуро провів військовий парад у Каракасі",
        "text": "Президент Венесуели Ніколас Мадуро провів військовий парад у Каракасі з "
        "нагоди Дня незалежності. У параді взяли участь тисячі військових і нова техніка.",
        "outlet": "Четверте видання",
        "url": "https://example.org/parade",
    }
    import_records(site, tmp_path, parade)
    story = _story_of(site, golden)
    own = _story_of(site, "parade01")
    assert own != story

    page.goto(site.url + "/articles/parade01")
    other = page.locator("aside.related")
    assert other.locator("h2").inner_text() == "Інші новини"
    assert other.locator(f'a[href="/stories/{own}"]').count() == 0
    other.locator(f'a[href="/stories/{story}"]').click()
    page.wait_for_url(f"**/stories/{story}")
    assert "Мадуро" in page.locator("h1").inner_text()
    assert page.dialogs == []


def test_search_filters_fit_a_phone_whatever_an_outlets_name(
    site: Any, page: Any, tmp_path: Path, import_records: Any
) -> None:
    """A select is as wide as its longest option; an outlet's official name once pushed the
    page sideways on a phone."""
    name = "Офіційний сайт міської ради, міського голови, виконавчого комітету та департаментів"
    item = {
        "id": "longoutlet",
        "title": "Міська рада затвердила бюджет",
        "text": "Депутати міської ради затвердили бюджет на наступний рік.",
        "outlet": name,
    }
    import_records(site, tmp_path, item)
    page.goto(site.url + "/search?q=бюджет")
    assert name in page.locator("#outlet option").all_inner_texts()
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") == width
    box = page.locator("#outlet").bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    shot(page, "search-filters")
