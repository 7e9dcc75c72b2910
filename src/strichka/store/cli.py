"""The article commands over the store: `show`, `list`, `export`, `stats`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from strichka.cli_options import (
    article_line,
    db_option,
    open_output,
    open_store,
    render_analysis,
    render_article,
    settings_for,
    widest_id,
)
from strichka.store import MediaStore, SQLiteStore


@click.command("show")
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
@db_option
def show_command(article_id: str, as_json: bool, db_path: str | None) -> None:
    """Show one article by id (or a unique prefix of at least 4 characters).

    \b
    Example:
      strichka show 3f2a9c1e --json
    """
    settings = settings_for(db_path)
    with open_store(settings) as store:
        article = store.get_article(article_id)
        story = _story_fields(store, article.id)
    if as_json:
        click.echo(json.dumps({**article.to_dict(), **story}, ensure_ascii=False, indent=2))
    else:
        click.echo(render_article(article, settings.timezone))
        if story["story_id"]:
            duplicate = f", a copy of {story['duplicate_of']}" if story["duplicate_of"] else ""
            click.echo(f"\nstory: {story['story_id']}{duplicate}")
        if article.analysis:
            click.echo(render_analysis(article))


def _story_fields(store: SQLiteStore, article_id: str) -> dict[str, str | None]:
    link = store.story_link(article_id)
    return {
        "story_id": store.resolve_story(link.story_id) if link else None,
        "duplicate_of": link.duplicate_of if link else None,
    }


@click.command("list")
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
    settings = settings_for(db_path)
    with open_store(settings) as store:
        articles = store.list_articles(limit=limit, offset=offset)
    id_width = widest_id(articles)
    for article in articles:
        if ids_only:
            click.echo(article.id)
            continue
        click.echo(article_line(article, settings.timezone, id_width=id_width))


@click.command("export")
@click.option("--jsonl", "as_jsonl", is_flag=True, default=True, help="JSON Lines (the default).")
@click.argument("output", required=False, type=click.Path(dir_okay=False, path_type=Path))
@db_option
def export_command(as_jsonl: bool, output: Path | None, db_path: str | None) -> None:
    """Export every article as JSON Lines to FILE or standard output; `import` reads it back.

    Each line is the whole article (with its analysis) plus `story_id` and `duplicate_of`.

    \b
    Example:
      strichka export --jsonl articles.jsonl
    """
    with open_store(settings_for(db_path)) as store, open_output(output) as stream:
        for article in store.iter_articles():
            record = {**article.to_dict(), **_story_fields(store, article.id)}
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")


@click.command("stats")
@db_option
def stats_command(db_path: str | None) -> None:
    """Counts of what the store holds.

    \b
    Example:
      strichka stats --db news.db
    """
    settings = settings_for(db_path)
    with open_store(settings) as store:
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


def register(main: click.Group) -> None:
    """Attach the article commands to `strichka`."""
    for command in (show_command, list_command, export_command, stats_command):
        main.add_command(command)
