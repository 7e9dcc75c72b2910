"""The story commands as a user runs them, with the story_ settings from the environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from strichka.cli import main
from strichka.config import Settings, load_settings
from strichka.errors import ConfigError
from strichka.pipeline import story_params
from strichka.stories.index import StoryParams

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
