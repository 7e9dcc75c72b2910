"""`strichka eval` and its evaluations: `extraction`, `language`, `dates` and `ner`.

The story evaluations join the group from strichka/stories/cli.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from strichka.nlp.analysis import LanguageResources


@click.group("eval")
def eval_group() -> None:
    """Accuracy evaluations over labelled corpora (`make eval` runs them all).

    \b
    Example:
      strichka eval pairs ../shared/data/story-pairs/pairs-dev.jsonl
    """


@eval_group.command("extraction")
@click.argument("benchmark_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_extraction_command(benchmark_dir: Path, as_json: bool) -> None:
    """Article-body extraction P/R/F1 on the scrapinghub article-extraction-benchmark.

    \b
    Example:
      strichka eval extraction ../shared/data/extraction/article-extraction-benchmark
    """
    from strichka.evaluation.extraction import evaluate_extraction, format_report, report_to_json

    report = evaluate_extraction(benchmark_dir, progress=True)
    click.echo(report_to_json(report) if as_json else format_report(report))


@eval_group.command("language")
@click.argument("data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures (and misses) as JSON.")
def eval_language_command(data_dir: Path, as_json: bool) -> None:
    """Language identification accuracy on telegram-lang and SlavicNER uk/ru in DATA_DIR.

    \b
    Example:
      strichka eval language ../shared/data
    """
    from strichka.evaluation.language import evaluate_language, format_report

    report = evaluate_language(data_dir)
    click.echo(json.dumps(report, ensure_ascii=False) if as_json else format_report(report))


@eval_group.command("dates")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_dates_command(corpus_dir: Path, as_json: bool) -> None:
    """Date expressions found (recall on gold DATE spans) and resolved, on a ner-uk corpus.

    \b
    Example:
      strichka eval dates ../shared/data/ner-uk-v2-dev
    """
    from strichka.evaluation.dates import evaluate_dates, format_report

    report = evaluate_dates(corpus_dir)
    click.echo(json.dumps(report, ensure_ascii=False) if as_json else format_report(report))


@eval_group.command("ner")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--crf",
    is_flag=True,
    help="Score the trained path instead, by k-fold cross-validation on CORPUS_DIR itself.",
)
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_ner_command(corpus_dir: Path, crf: bool, folds: int, as_json: bool) -> None:
    """Entity P/R/F1 per PER, ORG, LOC (exact span and label), run from the raw text.

    CORPUS_DIR is in the ner-uk format (.txt + .ann) or the SlavicNER format (raw/ + ner/),
    told apart by its files; SlavicNER also gets the canonical-name accuracy. Without --crf
    the shipped rules and gazetteers are scored, whatever model is installed.

    \b
    Example:
      strichka eval ner ../shared/data/ner-uk-v2-dev --json
    """
    import tempfile

    from strichka.evaluation.ner import cross_validate_crf, evaluate_ner, format_report
    from strichka.nlp.entities import recognise

    entities = LanguageResources.load().entities.without_model()
    if crf:
        with tempfile.TemporaryDirectory() as scratch:
            report = cross_validate_crf(
                corpus_dir, resources=entities, work_dir=Path(scratch), k=folds
            )
    else:
        report = evaluate_ner(corpus_dir, recogniser=lambda t: recognise(t, resources=entities))
    click.echo(json.dumps(report, ensure_ascii=False) if as_json else format_report(report))


def register(main: click.Group) -> None:
    """Attach `strichka eval` to `strichka`."""
    main.add_command(eval_group)
