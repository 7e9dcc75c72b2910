"""The `search` command."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import click

from strichka.cli_options import article_line, db_option, open_store, settings_for, widest_id


@click.command("search")
@click.argument("query")
@click.option("--outlet", default=None, help="Only this outlet.")
@click.option("--language", default=None, help="Only this language code (uk, ru, en).")
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="From this day (an undated article counts from when it was first stored).",
)
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Before this day.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object a line.")
@db_option
def search_command(
    query: str,
    outlet: str | None,
    language: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    as_json: bool,
    db_path: str | None,
) -> None:
    """Search articles in any inflection: «Путіну» finds «Путін», «Путіна».

    "Words in quotes" are a phrase; OR, NOT (or -word) and word* (prefix) work, and
    parentheses group. Best matches first (BM25, fresher first among equals).

    \b
    Example:
      strichka search '"військова допомога" Венесуела NOT Трамп' --since 2025-10-01
    """
    import pymorphy3

    from strichka.nlp.morph import Morphology
    from strichka.search import index_pending, search
    from strichka.store.base import SearchFilters

    settings = settings_for(db_path)
    zone = ZoneInfo(settings.timezone)
    morphology = Morphology(pymorphy3.MorphAnalyzer(lang="uk"))
    filters = SearchFilters(
        outlet=outlet,
        language=language,
        since=since.replace(tzinfo=zone) if since else None,
        until=until.replace(tzinfo=zone) if until else None,
    )
    with open_store(settings) as store:
        index_pending(store, morphology)
        results = search(store, query, lemmatiser=morphology, filters=filters, limit=limit)
    id_width = widest_id(result.article for result in results)
    for result in results:
        article = result.article
        if as_json:
            record = {
                "id": article.id,
                "score": round(result.score, 6),
                "title": article.title,
                "outlet": article.publisher,
                "published_at": article.published_at.isoformat() if article.published_at else None,
                "url": article.canonical_url or article.url,
                "snippet_html": result.snippet_html,
            }
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        click.echo(article_line(article, settings.timezone, id_width=id_width))
        click.echo("    " + _terminal_snippet(result.snippet_html))
    if not results:
        click.echo("nothing found", err=True)


def _terminal_snippet(snippet_html: str) -> str:
    """Matched words in bold; click drops the styling when output is not a terminal."""
    parts = re.split(r"</?mark>", snippet_html)
    return "".join(click.style(html.unescape(p), bold=i % 2 == 1) for i, p in enumerate(parts))


def register(main: click.Group) -> None:
    """Attach `search` to `strichka`."""
    main.add_command(search_command)
