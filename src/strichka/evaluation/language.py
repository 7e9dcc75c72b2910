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

from strichka.evaluation.corpus import json_lines, text_field
from strichka.nlp.language import MIN_WORDS, detect_language, letter_word_count

_MAX_ERRORS_LISTED = 20


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


def _slavicner_texts(raw: Path, lang: str) -> Iterable[tuple[str, str, str]]:
    for path in sorted(raw.glob(f"*/{lang}/*.txt")):
        yield str(path.relative_to(raw)), lang, path.read_text(encoding="utf-8")


def format_report(report: dict[str, Any]) -> str:
    return "\n".join(
        f"{name:22} {scores['correct']:5}/{scores['total']:<5} accuracy {scores['accuracy']:.4f}"
        for name, scores in report.items()
    )


def evaluate_language(data_dir: Path) -> dict[str, Any]:
    """Accuracy on telegram posts of 4+ words and on SlavicNER uk and ru articles."""
    raw = data_dir / "slavicner-uk-ru" / "raw"
    return {
        "telegram_4plus_words": _score(
            _telegram_posts(data_dir / "telegram-lang" / "posts-dev.jsonl")
        ),
        "slavicner_uk": _score(_slavicner_texts(raw, "uk")),
        "slavicner_ru": _score(_slavicner_texts(raw, "ru")),
    }
