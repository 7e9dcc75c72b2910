"""The API's answers where no route answers: unknown paths, bad parameters and HEAD, each
in the API's own error body, as a client parsing `error.code` expects."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path
from typing import Any

import httpx

from strichka.api.app import create_app
from strichka.api.context import AppContext
from strichka.api.server import background_server
from strichka.config import Settings
from strichka.pipeline import import_files
from strichka.store import SQLiteStore


def test_an_unknown_api_path_is_404_in_the_apis_error_body(site: Any) -> None:
    response = httpx.get(site.url + "/api/nonexistent", timeout=10)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "E505" and error["message"]


def test_a_wrong_method_on_the_api_is_405_in_the_apis_error_body(site: Any) -> None:
    response = httpx.delete(site.url + "/api/articles", timeout=10)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "E506"


def test_a_bad_api_parameter_stays_a_json_422(site: Any) -> None:
    response = httpx.get(site.url + "/api/articles", params={"limit": "abc"}, timeout=10)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "E504"


def test_head_on_an_article_gives_its_etag_and_no_body(site: Any) -> None:
    got = httpx.get(site.url + "/api/articles/sample05", timeout=10)
    head = httpx.head(site.url + "/api/articles/sample05", timeout=10)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == got.headers["etag"]
    assert head.headers["content-length"] == str(len(got.content))
    assert httpx.head(site.url + "/api/articles/ffffffffffff", timeout=10).status_code == 404


def test_a_database_damaged_under_the_server_is_its_typed_error(
    tmp_path: Path, loaded_context: AppContext
) -> None:
    """Pages of the database damaged while `strichka serve` runs (a disk fault) gave a bare
    «Internal Server Error» in text/plain, not the API's error body, and a traceback."""
    settings = Settings(db_path=str(tmp_path / "news.db"))
    items = tmp_path / "items.jsonl"
    items.write_text(
        json.dumps({"id": "a1", "title": "Новина", "text": "Київ. Текст новини."}), "utf-8"
    )
    context = dataclasses.replace(loaded_context, settings=settings)
    with SQLiteStore(settings.db_path) as store:
        import_files([items], store=store, settings=settings, stages=context.stages(store))
    app = create_app(settings, context=context)
    with sqlite3.connect(settings.db_path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        (root,) = db.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'articles'"
        ).fetchone()
    db.close()
    with open(settings.db_path, "r+b") as handle:
        handle.seek((root - 1) * page_size + 8)
        handle.write(b"\xff" * (page_size - 8))
    with background_server(app) as url:
        api = httpx.get(url + "/api/articles/a1", timeout=10)
        page = httpx.get(url + "/articles/a1", timeout=10)
    assert api.status_code == 500 and api.headers["content-type"] == "application/json"
    error = api.json()["error"]
    assert error["code"] == "E200" and "the database file is damaged" in error["message"]
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
