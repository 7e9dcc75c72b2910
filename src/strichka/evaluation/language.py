"""Accuracy of language identification on the shared corpora.

* telegram-lang/posts-dev.jsonl: Telegram posts with gold `lang` (uk or ru); only posts of
  at least four words of letters count (shorter ones are "und" by design).
* slavicner-uk-ru/raw/<topic>/<lang>/*.txt: whole news articles, gold language from the path.

Run as `python -m strichka.evaluation.language ../shared/data` for a JSON report.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from strichka.evaluation.corpus import corpus_files, json_lines, text_field
from strichka.nlp.language import MIN_WORDS, detect_language, letter_word_count

_MAX_ERRORS_LISTED = 20
_EXPECTED = "the shared data folder (telegram-lang/, slavicner-uk-ru/)"


def _score(items: Iterable[tuple[str, str, str]]) -> dict[str, Any]:
    """Accuracy over (id, gold, text) items, with the first misses for inspection."""
    total = correct = 0
    errors: list[dict[str, str]] = []
    for item_id, gold, text in items:
        predicted = detect_language(text)
        total += 1
        if predicted == gold:
            correct += 1
        elif len(errors) < _MAX_ERRORS_LISTED:
            errors.append({"id": item_id, "gold": gold, "predicted": predicted})
    return {
        "total": total,
        "correct": correct,
        "accuracy": correct / total if total else 0.0,
        "errors": errors,
    }


def _telegram_posts(path: Path) -> Iterable[tuple[str, str, str]]:
    for where, post in json_lines(path):
        content = text_field(post, "content", where)
        if letter_word_count(content) >= MIN_WORDS:
            yield str(post.get("id", where)), text_field(post, "lang", where), content


def _slavicner_texts(data_dir: Path, lang: str) -> Iterable[tuple[str, str, str]]:
    raw = Path("slavicner-uk-ru", "raw")
    for path in corpus_files(data_dir, f"{raw}/*/{lang}/*.txt", expected=_EXPECTED):
        yield str(path.relative_to(data_dir / raw)), lang, path.read_text(encoding="utf-8")


def format_report(report: dict[str, Any]) -> str:
    return "\n".join(
        f"{name:22} {scores['correct']:5}/{scores['total']:<5} accuracy {scores['accuracy']:.4f}"
        for name, scores in report.items()
    )


def evaluate_language(data_dir: Path) -> dict[str, Any]:
    """Accuracy on telegram posts of 4+ words and on SlavicNER uk and ru articles."""
    [posts] = corpus_files(data_dir, "telegram-lang/posts-dev.jsonl", expected=_EXPECTED)
    return {
        "telegram_4plus_words": _score(_telegram_posts(posts)),
        "slavicner_uk": _score(_slavicner_texts(data_dir, "uk")),
        "slavicner_ru": _score(_slavicner_texts(data_dir, "ru")),
    }
