"""The story commands as a user runs them, with the story_ settings from the environment."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from strichka.cli import main
from strichka.config import Settings, load_settings
from strichka.errors import ConfigError
from strichka.pipeline import story_params
from strichka.records import DAY_PRECISION
from strichka.store import SQLiteStore
from strichka.stories.engine import story_id_for
from strichka.stories.index import StoryParams

from .conftest import article, long_texts, paragraphs
from .test_engine import SCHOOLS, SCHOOLS_AGAIN


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result


def story_count(db: str) -> int:
    return len(run("stories", "--db", db).output.splitlines())


def test_the_story_settings_reach_clustering_and_recluster_applies_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRICHKA_CONFIG", str(tmp_path / "absent.toml"))
    items = tmp_path / "schools.jsonl"
    rows = [
        {"id": "s1", "title": SCHOOLS[0], "text": "\n\n".join(SCHOOLS[1])},
        {"id": "s2", "title": SCHOOLS_AGAIN[0], "text": "\n\n".join(SCHOOLS_AGAIN[1])},
    ]
    rows[0]["published_at"] = "2024-05-01T09:00:00+03:00"
    rows[1]["published_at"] = "2024-05-21T09:00:00+03:00"  # twenty days on
    items.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    db = str(tmp_path / "news.db")
    run("import", str(items), "--db", db)
    assert story_count(db) == 2  # the story had gone cold after 72 hours

    result = run("recluster", "--db", db, env={"STRICHKA_STORY_WINDOW_HOURS": "0"})
    assert result.output.strip().endswith("2 articles in 1 story")
    assert story_count(db) == 1

    strict = {"STRICHKA_STORY_WINDOW_HOURS": "0", "STRICHKA_STORY_THRESHOLD": "0.99"}
    run("recluster", "--db", db, env=strict)
    assert story_count(db) == 1  # consolidation still fuses the two stories at 0.5
    run("recluster", "--db", db, env=strict | {"STRICHKA_STORY_MERGE_THRESHOLD": "0.99"})
    assert story_count(db) == 2  # a reworded report is not a copy: it never reaches 0.99


def test_the_default_settings_are_the_measured_defaults() -> None:
    assert story_params(Settings()) == StoryParams()


@pytest.mark.parametrize(
    ("name", "value"),
    [("STORY_THRESHOLD", "0"), ("STORY_MERGE_THRESHOLD", "1.5"), ("STORY_WINDOW_HOURS", "-1")],
)
def test_a_story_setting_out_of_range_is_a_config_error(name: str, value: str) -> None:
    settings = load_settings(environ={f"STRICHKA_{name}": value}, config_file=Path("/nonexistent"))
    with pytest.raises(ConfigError, match=name.lower()):
        story_params(settings)


def test_a_story_setting_that_is_not_a_number_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="story_threshold"):
        load_settings(environ={"STRICHKA_STORY_THRESHOLD": "high"}, config_file=Path("/none"))


def test_recluster_keeps_the_story_ids_of_a_mixed_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bruk: list[dict[str, str]]
) -> None:
    """With the settings unchanged a rebuild changes no story id: not for copies that arrived
    out of order, undated and day-only reports or an aggregator's copies; articles stored
    before they had a story follow, the earliest published first (a day-only date counts as
    its day's end, undated last), and open or join stories as they would have online."""
    monkeypatch.setenv("STRICHKA_CONFIG", str(tmp_path / "absent.toml"))
    chosen = long_texts(bruk, 3)
    odesa, kharkiv, lviv = ({"title": r["title"], "text": r["text"]} for r in chosen)
    others = [r for r in bruk if r not in chosen][:12]
    imported = [
        odesa | {"id": "late", "outlet": "Перша", "published_at": "2024-05-01T11:00:00+03:00"},
        *(
            {"id": f"press{n}", "title": r["title"], "text": r["text"]}
            | ({} if n % 3 == 0 else {"published_at": f"2024-05-0{1 + n % 3}T0{n % 9}:00:00Z"})
            for n, r in enumerate(others)
        ),
        odesa | {"id": "early", "outlet": "Друга", "published_at": "2024-05-01T06:00:00+03:00"},
        odesa | {"id": "odesa-agg", "aggregator": "my.ua"},
        kharkiv | {"id": "day", "outlet": "Перша", "published_at": "2024-05-01"},
        kharkiv | {"id": "timed", "outlet": "Друга", "published_at": "2024-05-01T10:00:00+03:00"},
    ]
    items = tmp_path / "mixed.jsonl"
    items.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in imported), "utf-8")
    db = str(tmp_path / "news.db")
    run("import", str(items), "--db", db)
    kyiv = timezone(timedelta(hours=3))
    unplaced = [  # stored before stories existed: in no story yet
        article("lviv-agg", lviv["title"], paragraphs(lviv), aggregator="my.ua"),
        article(
            "lviv-day",
            lviv["title"],
            paragraphs(lviv),
            published_at=datetime(2024, 5, 2, tzinfo=kyiv),
            metadata=DAY_PRECISION,
        ),
        article(
            "lviv-timed",
            lviv["title"],
            paragraphs(lviv),
            published_at=datetime(2024, 5, 2, 10, tzinfo=kyiv),
        ),
        article(
            "odesa-first",
            odesa["title"],
            paragraphs(odesa),
            published_at=datetime(2024, 5, 1, 5, tzinfo=kyiv),
        ),
    ]
    with SQLiteStore(db) as store:
        for item in unplaced:
            store.upsert_article(item)
        before = {r["id"]: store.story_link(r["id"]) for r in imported}
    assert before["late"] and before["early"] and before["timed"]
    assert before["early"].story_id == before["late"].story_id  # the copy joined the story
    assert (before["early"].duplicate_of, before["late"].duplicate_of) == (None, "early")

    result = run("recluster", "--db", db)
    assert result.output.strip().endswith("21 articles in 15 stories")
    with SQLiteStore(db) as store:
        after = {key: store.story_link(key) for key in [*before, *(a.id for a in unplaced)]}
    places = {key: (link.story_id, link.duplicate_of) for key, link in after.items() if link}
    lviv_story, lviv_original = story_id_for(unplaced[2].id), unplaced[2].id
    odesa_original = unplaced[3].id
    assert places == {
        **{key: (link.story_id, link.duplicate_of) for key, link in before.items() if link},
        # the copy stored before stories existed was published first: it is the original
        # now, and the story keeps the name it had
        "late": (before["late"].story_id, odesa_original),
        "early": (before["late"].story_id, odesa_original),
        "odesa-agg": (before["late"].story_id, odesa_original),
        odesa_original: (before["late"].story_id, None),
        unplaced[0].id: (lviv_story, lviv_original),
        unplaced[1].id: (lviv_story, lviv_original),
        lviv_original: (lviv_story, None),
    }
    # a report dated by its day alone counts as published by its end: 10:00 came first
    assert places["day"] == (before["timed"].story_id, "timed")
