"""A real uvicorn on 127.0.0.1 over a fresh database of sample articles."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from strichka.api.app import build_context, create_app
from strichka.api.context import AppContext
from strichka.api.server import background_server
from strichka.config import Settings
from strichka.pipeline import import_files
from strichka.store import SQLiteStore

API_KEY = "test-key-0123456789"
HOSTILE_TITLE = "<script>alert(1)</script>"
OUTLETS = ("Перша газета", "Друге радіо", "Третій канал")


@dataclass(frozen=True)
class Site:
    url: str
    settings: Settings
    context: AppContext
    api_key: str = API_KEY
    hostile_title: str = HOSTILE_TITLE
    outlets: tuple[str, ...] = OUTLETS

    def import_files(self, *paths: Path) -> list[str]:
        """Import through the pipeline with every stage (analysis, stories, search), as
        `strichka import` does; returns the stored ids."""
        with SQLiteStore(self.settings.db_path) as store:
            report = import_files(
                paths, store=store, settings=self.settings, stages=self.context.stages(store)
            )
        assert not report.failed, report.failed
        return report.stored_ids


def sample_articles() -> list[dict[str, str]]:
    """25 dated articles over three outlets, and one with a hostile title and body."""
    items = [
        {
            "id": f"sample{n:02d}",
            "title": f"Новина номер {n} про бюджет і Київ",
            "text": f"Депутати обговорили бюджет на {2000 + n} рік. Київ чекає рішення.",
            "outlet": OUTLETS[n % 3],
            "published_at": f"2025-10-{n + 1:02d}T09:00:00+03:00",
            "url": f"https://example.org/news/{n}",
        }
        for n in range(25)
    ]
    items.append(
        {
            "id": "hostile0",
            "title": HOSTILE_TITLE,
            "text": 'Текст <img src=x onerror="alert(2)"> про Венесуелу.',
            "outlet": "<b>Зловмисник</b>",
            "published_at": "2025-10-30T10:00:00+02:00",
            "url": "https://example.org/hostile",
        }
    )
    return items


@pytest.fixture(scope="session")
def loaded_context(tmp_path_factory: pytest.TempPathFactory) -> AppContext:
    """Morphology and gazetteers, loaded once for every test server."""
    return build_context(Settings(db_path=str(tmp_path_factory.mktemp("ctx") / "unused.db")))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, loaded_context: AppContext) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("site")
    settings = Settings(db_path=str(root / "news.db"), api_key=API_KEY, max_request_bytes=65536)
    samples = root / "samples.jsonl"
    samples.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in sample_articles()))
    context = dataclasses.replace(loaded_context, settings=settings)
    site = Site("", settings, context)
    site.import_files(samples)
    app = create_app(settings, context=context)
    with background_server(app) as url:
        yield dataclasses.replace(site, url=url)
