"""A real uvicorn on 127.0.0.1 for the pages, and headless Debian Chromium to read them."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from strichka.api.app import build_context, create_app
from strichka.api.context import AppContext
from strichka.api.server import background_server
from strichka.config import Settings
from strichka.pipeline import import_files
from strichka.store import SQLiteStore

HOSTILE = {
    "id": "hostile0",
    "title": "<script>alert(1)</script>",
    "text": 'Про Венесуелу. <img src=x onerror="alert(2)"> <script>alert(3)</script>',
    "outlet": "Газета <i>зла</i>",
    "published_at": "2025-10-30T10:00:00+02:00",
    "url": "https://example.org/hostile",
}


@dataclass(frozen=True)
class Site:
    url: str
    settings: Settings
    context: AppContext

    def import_files(self, *paths: Path) -> list[str]:
        """Import through the pipeline with every stage (analysis, stories, search), as
        `strichka import` does; returns the stored ids."""
        with SQLiteStore(self.settings.db_path) as store:
            report = import_files(
                paths, store=store, settings=self.settings, stages=self.context.stages(store)
            )
        assert not report.failed, report.failed
        return report.stored_ids


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("web")
    settings = Settings(db_path=str(root / "news.db"))
    hostile = root / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE, ensure_ascii=False), encoding="utf-8")
    context = build_context(settings)
    site = Site("", settings, context)
    site.import_files(hostile)
    with background_server(create_app(settings, context=context)) as url:
        yield dataclasses.replace(site, url=url)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's chromium is missing: .ci/run installs it (apt-get)")
        pytest.skip("no chromium on PATH (apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium under Playwright; Playwright never downloads a browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=_chromium(), headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """A phone-sized page; every dialog (alert) it opens is recorded in `page.dialogs`."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="uk-UA")
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    opened.shots = tmp_path
    yield opened
    context.close()
