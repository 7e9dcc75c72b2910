"""The `strichka` command. Each subcommand is thin: it parses, calls the library, prints."""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from tqdm import tqdm

from strichka.config import HELP, Settings, load_settings
from strichka.errors import StrichkaError
from strichka.ingest.files import expand_paths, read_documents
from strichka.pipeline import import_documents, reader_options
from strichka.records import Article
from strichka.store import MediaStore, SQLiteStore

F = TypeVar("F", bound=Callable[..., Any])


def db_option(command: F) -> F:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=str),
        default=None,
        help=f"{HELP['db_path']} [default: ./strichka.db or STRICHKA_DB_PATH]",
    )(command)


def _settings(db_path: str | None) -> Settings:
    return load_settings().with_overrides(db_path=db_path)


@contextmanager
def _open_store(settings: Settings) -> Iterator[SQLiteStore]:
    with SQLiteStore(settings.db_path) as store:
        yield store


class StrichkaGroup(click.Group):
    """Typed errors become one clear line and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StrichkaError as exc:
            click.echo(f"strichka: {exc}", err=True)
            sys.exit(1)


@click.group(cls=StrichkaGroup)
@click.version_option(package_name="strichka")
def main() -> None:
    """strichka: turn Ukrainian news feeds into articles, stories and knowledge.

    \b
    Start with:
      strichka import ../shared/seeds/*.txt
      strichka list
    """


@main.command("import")
@click.argument("paths", nargs=-1, required=True)
@db_option
def import_command(paths: tuple[str, ...], db_path: str | None) -> None:
    """Import articles from files, folders, globs or '-' (standard input).

    Aggregator text items, HTML pages and JSON Lines are told apart by content. A bad file is
    reported and skipped; the rest of the batch goes on. Exit code 1 when any item failed.

    \b
    Example:
      strichka import ../shared/seeds/ corpus.jsonl --db news.db
    """
    settings = _settings(db_path)
    files = expand_paths(paths)
    options = reader_options(settings)
    with (
        _open_store(settings) as store,
        tqdm(total=len(files), unit="file", desc="import", disable=None, file=sys.stderr) as bar,
    ):
        report = import_documents(
            read_documents(files, max_bytes=settings.max_input_bytes),
            store=store,
            media=MediaStore(settings.media_path),
            options=options,
            on_document=lambda: bar.update(1),
        )
    for rejected in report.failed:
        click.echo(f"failed: {rejected.source}: [{rejected.code}] {rejected.reason}", err=True)
    click.echo(report.summary())
    if report.failed:
        sys.exit(1)


@main.command("show")
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
@db_option
def show_command(article_id: str, as_json: bool, db_path: str | None) -> None:
    """Show one article by id (or a unique prefix of at least 4 characters).

    \b
    Example:
      strichka show 3f2a9c1e --json
    """
    with _open_store(_settings(db_path)) as store:
        article = store.get_article(article_id)
    if as_json:
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_article(article))


@main.command("list")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.option("--offset", default=0, show_default=True, type=click.IntRange(min=0))
@click.option("--ids", "ids_only", is_flag=True, help="Print only the ids, one a line.")
@db_option
def list_command(limit: int, offset: int, ids_only: bool, db_path: str | None) -> None:
    """List articles, newest first.

    \b
    Example:
      strichka list --limit 5
    """
    with _open_store(_settings(db_path)) as store:
        articles = store.list_articles(limit=limit, offset=offset)
    for article in articles:
        if ids_only:
            click.echo(article.id)
            continue
        when = article.published_at.strftime("%Y-%m-%d %H:%M") if article.published_at else "—"
        origin = article.outlet or article.aggregator or "—"
        click.echo(f"{article.id}  {when:16}  {origin[:20]:20}  {article.title[:90]}")


@main.command("export")
@click.option("--jsonl", "as_jsonl", is_flag=True, default=True, help="JSON Lines (the default).")
@click.argument("output", required=False, type=click.Path(dir_okay=False, path_type=Path))
@db_option
def export_command(as_jsonl: bool, output: Path | None, db_path: str | None) -> None:
    """Export every article as JSON Lines to FILE or standard output; `import` reads it back.

    \b
    Example:
      strichka export --jsonl articles.jsonl
    """
    with _open_store(_settings(db_path)) as store:
        stream = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            for article in store.iter_articles():
                stream.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
        finally:
            if output:
                stream.close()


@main.command("stats")
@db_option
def stats_command(db_path: str | None) -> None:
    """Counts of what the store holds.

    \b
    Example:
      strichka stats --db news.db
    """
    settings = _settings(db_path)
    with _open_store(settings) as store:
        stats = store.stats()
    click.echo(f"database      {settings.db_path} (schema {stats.schema_version})")
    click.echo(f"articles      {stats.articles}")
    click.echo(f"media files   {MediaStore(settings.media_path).count()}")
    for title, counts in (
        ("by language", stats.by_language),
        ("by format", stats.by_format),
        ("by outlet", stats.by_outlet),
    ):
        if counts:
            top = ", ".join(f"{key} {n}" for key, n in list(counts.items())[:10])
            click.echo(f"{title:13} {top}")


@main.group("eval")
def eval_group() -> None:
    """Accuracy evaluations over labelled corpora."""


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


def render_article(article: Article) -> str:
    width = min(shutil.get_terminal_size((100, 20)).columns, 100)

    def wrap(text: str, indent: str = "") -> str:
        return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)

    facts = [f"id {article.id}"]
    if article.outlet or article.outlet_domain:
        facts.append(article.outlet or article.outlet_domain or "")
    if article.aggregator:
        facts.append(f"via {article.aggregator} (feed {article.feed_id})")
    if article.published_at:
        facts.append(article.published_at.isoformat())
    if article.language:
        facts.append(article.language)
    lines = [wrap(article.title), " · ".join(facts)]
    if article.url:
        lines.append(f"url: {article.url}")
    if article.authors:
        lines.append("authors: " + ", ".join(article.authors))
    if article.image:
        lines.append(f"image: {article.image.url}")
    if article.lead:
        lines += ["", wrap("Коротко: " + article.lead)]
    for block in article.blocks:
        lines.append("")
        lines.append(f"## {block.text}" if block.kind == "heading" else wrap(block.text))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
