"""The `strichka` command. Each subcommand is thin: it parses, calls the library, prints."""

from __future__ import annotations

import dataclasses
import html
import json
import logging
import re
import shutil
import sys
import textwrap
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from tqdm import tqdm

from strichka.cli_options import db_option, open_store, settings_for
from strichka.config import load_settings
from strichka.errors import InputError, StrichkaError
from strichka.extract.document import read_document
from strichka.ingest.events import EventFormatter
from strichka.ingest.files import expand_paths, read_one
from strichka.ingest.http import any_reachable
from strichka.ingest.sources import dump_opml, dump_toml, read_sources
from strichka.nlp.analysis import LanguageResources, with_analysis
from strichka.pipeline import (
    Stages,
    add_sources,
    discover,
    import_files,
    reader_options,
    run_ingest,
    stored_sources,
)
from strichka.records import Article, Rejected
from strichka.store import MediaStore, SQLiteStore
from strichka.stories.cli import register as register_story_commands


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
    settings = settings_for(db_path)
    files = expand_paths(paths)
    with (
        open_store(settings) as store,
        tqdm(total=len(files), unit="file", desc="import", disable=None, file=sys.stderr) as bar,
    ):
        report = import_files(
            files,
            store=store,
            settings=settings,
            stages=Stages.load(store, settings),
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
    with open_store(settings_for(db_path)) as store:
        article = store.get_article(article_id)
        story = _story_fields(store, article.id)
    if as_json:
        click.echo(json.dumps({**article.to_dict(), **story}, ensure_ascii=False, indent=2))
    else:
        click.echo(render_article(article))
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


@main.command("analyze")
@click.argument("path")
@click.option(
    "--reference-date",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Resolve relative dates against this day [default: the article's date, or none].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the text and every analysis as JSON.")
def analyze_command(path: str, reference_date: datetime | None, as_json: bool) -> None:
    """Analyse one item in any form `import` reads (or plain text; '-' reads stdin).

    Prints language, sentences, entities with canonical names, keywords, dates, cited
    outlets, quotes and attributed claims. Offsets index the `text` field of the JSON.

    \b
    Example:
      strichka analyze ../shared/seeds/000_3e1ff92a3d920351.txt --reference-date 2025-11-01 --json
    """
    settings = load_settings()
    document = read_one(path, max_bytes=settings.max_input_bytes)
    reading = read_document(document.data, source=document.source, options=reader_options(settings))
    articles = [item for item in reading.items if isinstance(item, Article)]
    if not articles:
        reasons = "; ".join(i.reason for i in reading.items if isinstance(i, Rejected))
        raise InputError(reasons or "no article in the input", source=document.source)
    resources = LanguageResources.load(ner_model=settings.ner_model_path)
    article = with_analysis(
        articles[0],
        resources=resources,
        reference_date=reference_date.date() if reference_date else None,
    )
    assert article.analysis is not None
    if as_json:
        data = {
            "id": article.id,
            "title": article.title,
            "text": article.analysis_text,
            **article.analysis.to_dict(),
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(render_article(article))
        click.echo(render_analysis(article))


@main.command("entities")
@click.option("--kind", type=click.Choice(["PER", "ORG", "LOC", "MISC"]), default=None)
@click.option("--limit", default=30, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object a line.")
@db_option
def entities_command(kind: str | None, limit: int, as_json: bool, db_path: str | None) -> None:
    """People, organisations and places across all articles, most mentioned first.

    \b
    Example:
      strichka entities --kind PER --limit 10
    """
    with open_store(settings_for(db_path)) as store:
        entities = store.list_entities(kind=kind, limit=limit)
    for entity in entities:
        if as_json:
            click.echo(json.dumps(entity.to_dict(), ensure_ascii=False))
            continue
        aliases = f"  ({', '.join(entity.aliases)})" if entity.aliases else ""
        click.echo(f"{entity.id}  {entity.kind:4} {entity.mentions:5}  {entity.name}{aliases}")


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
    with open_store(settings_for(db_path)) as store:
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

    Each line is the whole article (with its analysis) plus `story_id` and `duplicate_of`.

    \b
    Example:
      strichka export --jsonl articles.jsonl
    """
    with open_store(settings_for(db_path)) as store:
        stream = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            for article in store.iter_articles():
                record = {**article.to_dict(), **_story_fields(store, article.id)}
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
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


@main.group("ner")
def ner_group() -> None:
    """The trained entity recogniser."""


@ner_group.command("train")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
def ner_train_command(corpus_dir: Path) -> None:
    """Train a CRF on a ner-uk or SlavicNER corpus into strichka's data folder.

    Analysis uses the model from then on. It is learnt from the corpus, so it carries that
    corpus's licence: it stays in the data folder and is never shipped.

    \b
    Example:
      strichka ner train ../shared/data/ner-uk-v2-dev
    """
    from strichka.nlp.ner_crf import train_crf

    settings = load_settings()
    entities = LanguageResources.load().entities.without_model()
    settings.ner_model_path.parent.mkdir(parents=True, exist_ok=True)
    path = train_crf(corpus_dir, settings.ner_model_path, resources=entities)
    click.echo(f"model written to {path}")


@main.group("source")
def source_group() -> None:
    """Add, import and export the outlets that `strichka run` polls."""


@source_group.command("add")
@click.argument("url")
@click.option("--name", default=None, help="Name of the source [default: the feed's title].")
@click.option(
    "--allow-local",
    is_flag=True,
    help="Let this source reach its own host on a private or loopback address.",
)
@db_option
def source_add_command(url: str, name: str | None, allow_local: bool, db_path: str | None) -> None:
    """Add a source from a feed URL, or from a home page that announces its feeds.

    \b
    Example:
      strichka source add https://www.ukrinform.ua/ --name Укрінформ
    """
    settings = settings_for(db_path)
    source = discover(url, settings=settings, name=name, allow_local=allow_local)
    with open_store(settings) as store:
        add_sources(store, [source], settings=settings)
    click.echo(f"added {source.name}: " + ", ".join(source.feeds))


@source_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
def source_import_command(file: Path, db_path: str | None) -> None:
    """Import sources from a TOML source list or an OPML file (told apart by content).

    \b
    Example:
      strichka source import src/strichka/data/sources.toml
    """
    settings = settings_for(db_path)
    sources = read_sources(file.read_bytes(), source=str(file))
    with open_store(settings) as store:
        count = add_sources(store, sources, settings=settings)
    click.echo(f"{count} sources imported")


@source_group.command("export")
@click.option("--opml", "as_opml", is_flag=True, help="OPML for feed readers [default: TOML].")
@click.argument("output", required=False, type=click.Path(dir_okay=False, path_type=Path))
@db_option
def source_export_command(as_opml: bool, output: Path | None, db_path: str | None) -> None:
    """Export every source as TOML (or OPML) to FILE or standard output.

    \b
    Example:
      strichka source export --opml feeds.opml
    """
    with open_store(settings_for(db_path)) as store:
        sources = stored_sources(store)
    text = dump_opml(sources) if as_opml else dump_toml(sources)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@main.command("sources")
@click.option("--json", "as_json", is_flag=True, help="Print the health figures as JSON Lines.")
@db_option
def sources_command(as_json: bool, db_path: str | None) -> None:
    """Each source's health: last success, last error, items in 24 h, poll interval.

    \b
    Example:
      strichka sources --db news.db
    """
    with open_store(settings_for(db_path)) as store:
        health = store.source_health(now=time.time())
    for h in health:
        if as_json:
            click.echo(json.dumps(dataclasses.asdict(h), ensure_ascii=False))
            continue
        click.echo(
            f"{h.name[:24]:24}  ok {(h.last_success_at or 'never')[:19]:19}  "
            f"24h {h.items_24h:5}  every {h.interval_s / 60:5.1f} min  "
            f"queued {h.pending}  failed {h.failed}"
        )
        if h.last_error:
            click.echo(f"{'':24}  last error {(h.last_error_at or '')[:19]}: {h.last_error[:200]}")


@main.command("run")
@click.option("--once", is_flag=True, help="Poll due sources once, drain the queue, and exit.")
@click.option("--json-logs", is_flag=True, help="Log events as JSON, one object a line.")
@click.option(
    "--skip-offline",
    is_flag=True,
    help="If no source's host answers within 3 s, say so in one line and exit 0.",
)
@db_option
def run_command(once: bool, json_logs: bool, skip_offline: bool, db_path: str | None) -> None:
    """Poll every source at its own adaptive interval and store new articles.

    Resumable: the fetch queue lives in the database, SIGTERM or Ctrl-C finishes the work in
    flight, and a killed run loses nothing. Events go to standard error, one line each.

    \b
    Example:
      strichka run --once --db news.db
    """
    settings = settings_for(db_path)
    if skip_offline:
        with open_store(settings) as store:
            feeds = [feed.url for row in store.list_sources() for feed in row.feeds]
        if not any_reachable(feeds[:5]):
            click.echo("network unreachable: skipping the poll round")
            return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(EventFormatter(as_json=json_logs))
    progress = sys.stderr.isatty() and not json_logs
    logger = logging.getLogger("strichka")
    logger.addHandler(handler)
    # On a terminal the progress bar shows the flow; only warnings interrupt it.
    logger.setLevel(logging.WARNING if progress else logging.INFO)
    with (
        open_store(settings) as store,
        tqdm(unit="item", desc="ingest", disable=not progress, file=sys.stderr) as bar,
    ):
        report = run_ingest(
            store=store,
            media=MediaStore(settings.media_path),
            settings=settings,
            once=once,
            on_item=lambda: bar.update(1),
            stages=Stages.load(store, settings),
        )
    click.echo(report.summary())


@main.command("search")
@click.argument("query")
@click.option("--outlet", default=None, help="Only this outlet.")
@click.option("--language", default=None, help="Only this language code (uk, ru, en).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="From this day.")
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
    for result in results:
        article = result.article
        if as_json:
            record = {
                "id": article.id,
                "score": round(result.score, 6),
                "title": article.title,
                "outlet": article.outlet or article.aggregator,
                "published_at": article.published_at.isoformat() if article.published_at else None,
                "url": article.canonical_url or article.url,
                "snippet_html": result.snippet_html,
            }
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        when = article.published_at.strftime("%Y-%m-%d %H:%M") if article.published_at else "—"
        origin = article.outlet or article.aggregator or "—"
        click.echo(f"{article.id}  {when:16}  {origin[:20]:20}  {article.title[:90]}")
        click.echo("    " + _terminal_snippet(result.snippet_html))
    if not results:
        click.echo("nothing found", err=True)


def _terminal_snippet(snippet_html: str) -> str:
    """Matched words in bold; click drops the styling when output is not a terminal."""
    parts = re.split(r"</?mark>", snippet_html)
    return "".join(click.style(html.unescape(p), bold=i % 2 == 1) for i, p in enumerate(parts))


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@db_option
def serve_command(host: str, port: int, db_path: str | None) -> None:
    """Serve the web pages, the REST API (/api) and the Atom feeds (/feeds).

    Writes through the API need `api_key` in the config (sent as X-API-Key).

    \b
    Example:
      strichka serve --port 8000 --db news.db
    """
    import uvicorn

    from strichka.api.app import create_app

    app = create_app(settings_for(db_path))
    click.echo(f"strichka at http://{host}:{port}/  (API: http://{host}:{port}/api/openapi.json)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


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


def render_analysis(article: Article) -> str:
    """What the language layers found, grouped the way an analyst reads it."""
    analysis = article.analysis
    if analysis is None:
        return ""
    lines = ["", f"language: {analysis.language} · {len(analysis.sentences)} sentences"]
    if analysis.keywords:
        lines.append("keywords: " + ", ".join(analysis.keywords))
    aliases: dict[tuple[str, str], set[str]] = {}
    for mention in analysis.entities:
        names = aliases.setdefault((mention.label, mention.canonical), set())
        if mention.text != mention.canonical:
            names.add(mention.text)
    roles: dict[str, str] = {}
    for role in analysis.roles:
        roles.setdefault(role.person, role.role)  # the role the article introduces them with
    for label in ("PER", "ORG", "LOC", "MISC"):
        found = sorted((name, seen) for (kind, name), seen in aliases.items() if kind == label)
        if found:
            lines.append(f"{label}:")
            for name, seen in found:
                introduced = f" — {roles[name]}" if name in roles else ""
                also = f" ({', '.join(sorted(seen))})" if seen else ""
                lines.append(f"  {name}{introduced}{also}")
    if analysis.dates:
        lines.append("dates: " + ", ".join(f"{d.text} → {d.value or '?'}" for d in analysis.dates))
    for citation in analysis.citations:
        lines.append(f"cites: {citation.outlet} («{citation.cue}»)")
    for quote in analysis.quotes:
        lines.append(f"quote: {quote.speaker or '?'}: «{textwrap.shorten(quote.text, 90)}»")
    for claim in analysis.claims:
        lines.append(f"claim [{claim.stance}] {claim.source}: {textwrap.shorten(claim.text, 90)}")
    return "\n".join(lines)


register_story_commands(main, eval_group)

if __name__ == "__main__":
    main()
