"""The story commands: `stories`, `story ID`, `recluster`, and `eval pairs FILE`.

`register(main, eval_group)` attaches them to the `strichka` command, so strichka/cli.py
needs one line and this package needs nothing from it.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from tqdm import tqdm

from strichka.cli_options import clock_time, counted, db_option, open_store, settings_for
from strichka.config import load_settings
from strichka.errors import ConfigError
from strichka.pipeline import story_params
from strichka.stories.engine import StoryEngine, load_index
from strichka.stories.features import Analyzer
from strichka.stories.summary import StorySummary, summarise, typical_article

_SPAN = re.compile(r"^(\d+)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_span(text: str) -> timedelta:
    """'90m', '24h', '7d', '2w' → a timedelta."""
    match = _SPAN.match(text.strip().lower())
    if not match:
        raise ConfigError(f"--since {text!r}: give a number and m, h, d or w (e.g. 24h)")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


@click.command("stories")
@click.option("--since", default=None, help="Only stories with articles this recent (24h, 7d).")
@click.option("--limit", default=30, show_default=True, type=click.IntRange(min=1))
@db_option
def stories_command(since: str | None, limit: int, db_path: str | None) -> None:
    """List stories, largest first: id, size, latest article's time and headline.

    \b
    Example:
      strichka stories --since 24h
    """
    moment = datetime.now(UTC) - parse_span(since) if since else None
    settings = settings_for(db_path)
    with open_store(settings) as store:
        index = load_index(store, story_params(settings))
        rows = store.list_stories(since=moment, limit=limit)
        if not rows:
            click.echo(f"no stories since {since}" if since else "no stories yet", err=True)
        for row in rows:
            typical = typical_article(store, index, row.id)
            headline = typical.title if typical else ""
            when = clock_time(row.last_at, settings.timezone)
            click.echo(f"{row.id}  {row.size:4}  {when:16}  {headline[:90]}")


@click.command("story")
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True, help="Print the story as JSON.")
@db_option
def story_command(story_id: str, as_json: bool, db_path: str | None) -> None:
    """Show one story in full: «Коротко», first report, outlets, timeline, why, related.

    \b
    Example:
      strichka story 5c1d --json
    """
    settings = settings_for(db_path)
    with open_store(settings) as store:
        analyzer = Analyzer.with_entities()
        engine = StoryEngine.load(store, analyzer, story_params(settings))
        summary = summarise(store, story_id, analyzer=analyzer, index=engine.index)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_story(summary, settings.timezone))


@click.command("recluster")
@db_option
def recluster_command(db_path: str | None) -> None:
    """Rebuild every story from scratch: after changing a story_ setting (story_threshold,
    story_merge_threshold, story_window_hours) or strichka itself. Articles are replayed in
    the order they arrived, so stories keep their ids; articles not yet in a story follow,
    oldest first. An id the rebuild drops still resolves to where its articles went.

    \b
    Example:
      STRICHKA_STORY_THRESHOLD=0.45 strichka recluster --db news.db
    """
    settings = settings_for(db_path)
    with open_store(settings) as store:
        total = store.stats().articles
        analyzer = Analyzer.with_entities()
        engine = StoryEngine.load(store, analyzer, story_params(settings))
        with tqdm(
            total=total, unit="article", desc="recluster", disable=None, file=sys.stderr
        ) as bar:
            count = engine.recluster(on_article=lambda: bar.update(1))
        stories = store.count_stories()
    click.echo(f"{counted(count, 'article')} in {counted(stories, 'story', 'stories')}")


@click.command("pairs")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--orders",
    type=click.IntRange(min=0, max=100),
    default=0,
    show_default=True,
    help="Also cluster the articles in this many seeded random orders and report the spread "
    "of F1 (online clustering depends on arrival order).",
)
def eval_pairs_command(file: Path, as_json: bool, orders: int) -> None:
    """Same-story precision/recall/F1 on labelled pairs, clustering as in production.

    The articles arrive in file order, as a fresh store would receive them.

    \b
    Example:
      strichka eval pairs ../shared/data/story-pairs/pairs-dev.jsonl --json
      strichka eval pairs ../shared/data/story-pairs/pairs-dev.jsonl --orders 8
    """
    from strichka.evaluation.stories import evaluate_pairs

    report = evaluate_pairs(file, orders=orders, params=story_params(load_settings()))
    click.echo(report.to_json() if as_json else report.describe())


@click.command("story-merges")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def eval_story_merges_command(file: Path) -> None:
    """False merges over mostly unrelated texts (bruk-press.jsonl): at most 3 is the goal.

    Texts the corpus cut from one publication (same URL and title) may share a story;
    a text in a story with another publication is a false merge.

    \b
    Example:
      strichka eval story-merges ../shared/data/bruk-press/bruk-press.jsonl
    """
    from strichka.evaluation.stories import bruk_false_merges

    merged, false, total = bruk_false_merges(file, params=story_params(load_settings()))
    click.echo(
        f"texts {total}  in multi-article stories {merged}  "
        f"of them with another publication {false}"
    )


@click.command("story-purity")
@click.argument("raw_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
def eval_story_purity_command(raw_dir: Path) -> None:
    """Topic purity of stories over SlavicNER raw/<topic>/<lang>/*.txt (uk and ru).

    \b
    Example:
      strichka eval story-purity ../shared/data/slavicner-uk-ru/raw
    """
    from strichka.evaluation.stories import slavicner_purity

    purity, articles, stories = slavicner_purity(raw_dir, params=story_params(load_settings()))
    click.echo(f"articles {articles}  stories {stories}  purity {purity:.4f}")


def register(main: click.Group, eval_group: click.Group) -> None:
    """Attach the story commands to `strichka` and `strichka eval`."""
    for command in (stories_command, story_command, recluster_command):
        main.add_command(command)
    for command in (eval_pairs_command, eval_story_merges_command, eval_story_purity_command):
        eval_group.add_command(command)


def render_story(summary: StorySummary, zone: str) -> str:
    lines = [summary.headline, f"story {summary.id} · {counted(summary.article_count, 'article')}"]
    if summary.first_outlet or summary.first_at:
        when = (
            clock_time(summary.first_at, zone, day_only=summary.first_day_only)
            if summary.first_at
            else "time unknown"
        )
        lines.append(f"first: {summary.first_outlet or '—'} ({when})")
    lines.append("outlets: " + ", ".join(f"{o} {n}" for o, n in summary.outlets))
    if summary.korotko:
        lines += ["", "Коротко:", *(f"  {s}" for s in summary.korotko)]
    if summary.additions:
        lines += ["", "what each outlet adds:"]
        lines += [f"  {a.outlet or '—'}: {a.sentence}" for a in summary.additions]
    if summary.top_entities:
        lines.append("entities: " + ", ".join(e.name for e in summary.top_entities))
    if summary.why:
        lines.append("why together: " + ", ".join(summary.why))
    if summary.cited_outlets:
        lines.append("cited: " + ", ".join(f"{o} {n}" for o, n in summary.cited_outlets))
    if summary.quotes:
        lines += ["", "quotes:"]
        lines += [f"  {q.speaker or '?'}: «{q.text}»" for q in summary.quotes]
    if summary.claims:
        lines += ["", "claims, by source:"]
        for source, claims in summary.claims:
            lines += [f"  {source} [{c.stance}]: {c.text}" for c in claims]
    if summary.contradictions:
        lines.append("")
    for item in summary.contradictions:
        lines.append(
            f"contradiction: {item.denial.source} denies «{item.denial.text}» "
            f"— {item.report.source} reports «{item.report.text}»"
        )
    lines += ["", "timeline:"]
    for entry in summary.timeline:
        when = clock_time(entry.published_at, zone, day_only=entry.published_day_only)
        copy = f" (copy of {entry.duplicate_of})" if entry.duplicate_of else ""
        lines.append(f"  {when:16}  {entry.outlet or '—'}: {entry.title}{copy}")
        if entry.lead:
            lines.append(f"      {entry.lead[:200]}")
    if summary.related:
        lines += ["", "Інші новини:"]
        lines += [f"  {r.id}  {r.title}" for r in summary.related]
    return "\n".join(lines)
