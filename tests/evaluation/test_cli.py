"""`strichka eval` given the wrong folder or file: one typed error naming it, never a traceback
and never figures over nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from strichka.cli import main


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    ("evaluation", "what"),
    [
        ("extraction", "not the article-extraction-benchmark"),
        ("language", "not the shared data folder"),
        ("dates", "not a ner-uk folder"),
        ("ner", "neither ner-uk (.txt + .ann) nor SlavicNER"),
        ("story-purity", "not a SlavicNER raw/ folder"),
    ],
)
def test_an_empty_folder_is_refused_by_name(tmp_path: Path, evaluation: str, what: str) -> None:
    result = run("eval", evaluation, str(tmp_path))
    assert result.exit_code == 1
    assert f"[E104] {tmp_path}: {what}" in result.output


def test_a_folder_of_the_wrong_corpus_is_refused(tmp_path: Path) -> None:
    """SlavicNER's raw/ given where the ner-uk folder of `eval dates` belongs."""
    (tmp_path / "brexit" / "uk").mkdir(parents=True)
    (tmp_path / "brexit" / "uk" / "doc_1.txt").write_text("Мей\nТекст.", encoding="utf-8")
    result = run("eval", "dates", str(tmp_path))
    assert result.exit_code == 1
    assert "[E104]" in result.output and "nothing matches **/*.ann" in result.output


def test_a_partial_shared_data_folder_names_what_it_lacks(tmp_path: Path) -> None:
    posts = tmp_path / "telegram-lang" / "posts-dev.jsonl"
    posts.parent.mkdir()
    posts.write_text(json.dumps({"content": "Добрий день усім", "lang": "uk"}) + "\n")
    result = run("eval", "language", str(tmp_path))
    assert result.exit_code == 1
    assert "nothing matches slavicner-uk-ru/raw/*/uk/*.txt" in result.output


@pytest.mark.parametrize("evaluation", ["pairs", "story-merges"])
def test_an_empty_file_is_refused_by_name(tmp_path: Path, evaluation: str) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    result = run("eval", evaluation, str(empty))
    assert result.exit_code == 1
    assert f"[E101] {empty}: no JSON lines" in result.output


def test_story_merges_names_the_line_that_lacks_a_field(tmp_path: Path) -> None:
    texts = tmp_path / "texts.jsonl"
    texts.write_text(json.dumps({"id": "a", "text": "Текст без заголовка"}) + "\n")
    result = run("eval", "story-merges", str(texts))
    assert result.exit_code == 1
    assert f"[E105] {texts}:1: field 'title' must be present" in result.output
