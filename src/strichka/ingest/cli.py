"""The ingest commands: `import`, `source add|import|export`, `sources` and `run`."""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
import time
from datetime import datetime
from pathlib import Path

import click
from tqdm import tqdm

from strichka.cli_options import clock_time, db_option, open_output, open_store, settings_for
from strichka.errors import EmptyInput
from strichka.ingest.events import EventFormatter
from strichka.ingest.files import expand_paths, read_file
from strichka.ingest.http import any_reachable
from strichka.ingest.sources import dump_opml, dump_toml, read_sources
from strichka.pipeline import (
    ImportReport,
    Stages,
    add_sources,
    discover,
    import_files,
    run_ingest,
    stored_sources,
)
from strichka.store import MediaStore


@click.command("import")
@click.argument("paths", nargs=-1, required=True)
@db_option
def import_command(paths: tuple[str, ...], db_path: str | None) -> None:
    """Import articles from files, folders, globs or '-' (standard input).

    Aggregator text items, HTML pages and JSON Lines are told apart by content. A bad file is
    reported and skipped; the rest of the batch goes on. Exit code 1 when any item failed.
    Ctrl-C keeps what was stored before it, says what that was, and exits with code 130.

    \b
    Example:
      strichka import ../shared/seeds/*.txt corpus.jsonl pages/ --db news.db
    """
    settings = settings_for(db_path)
    files = expand_paths(paths)
    report = ImportReport()  # filled as documents are stored, so an interrupt can tell
    interrupted = False
    try:
        with (
            open_store(settings, create=True) as store,
            tqdm(
                total=len(files), unit="file", desc="import", disable=None, file=sys.stderr
            ) as bar,
        ):
            import_files(
                files,
                store=store,
                settings=settings,
                stages=Stages.load(store, settings),
                on_document=lambda: bar.update(1),
                report=report,
            )
    except KeyboardInterrupt:
        interrupted = True
    for rejected in report.failed:
        click.echo(f"failed: {rejected.source}: [{rejected.code}] {rejected.reason}", err=True)
    click.echo(report.summary() + (" (interrupted)" if interrupted else ""))
    if interrupted:
        sys.exit(130)  # 128 + SIGINT, as a shell reports a command Ctrl-C stopped
    if report.failed:
        sys.exit(1)


@click.group("source")
def source_group() -> None:
    """Add, import, list and export the outlets that `strichka run` polls.

    \b
    Example:
      strichka source add https://www.ukrinform.ua/
      strichka source list
    """


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
    with open_store(settings, create=True) as store:
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
    # within max_input_bytes, as every input: /dev/zero or a huge file was read until memory ran out
    try:
        data = read_file(file, max_bytes=settings.max_input_bytes)
    except EmptyInput:
        data = b""  # said below: it lists no sources
    sources = read_sources(data, source=str(file))
    if not sources:
        raise EmptyInput("lists no sources", source=str(file))
    with open_store(settings, create=True) as store:
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
    with open_output(output) as stream:
        stream.write(dump_opml(sources) if as_opml else dump_toml(sources))


@click.command("sources")
@click.option("--json", "as_json", is_flag=True, help="Print the health figures as JSON Lines.")
@db_option
def sources_command(as_json: bool, db_path: str | None) -> None:
    """Each source's health: last success, last error, items in 24 h, poll interval.

    Also `strichka source list`.

    \b
    Example:
      strichka sources --db news.db
    """
    settings = settings_for(db_path)
    with open_store(settings) as store:
        health = store.source_health(now=time.time())

    def when(stamp: str | None) -> str:
        return clock_time(datetime.fromisoformat(stamp), settings.timezone) if stamp else "never"

    for h in health:
        if as_json:
            click.echo(json.dumps(dataclasses.asdict(h), ensure_ascii=False))
            continue
        click.echo(
            f"{h.name[:24]:24}  last success {when(h.last_success_at):16}  "
            f"24h {h.items_24h:5}  every {h.interval_s / 60:5.1f} min  "
            f"items queued {h.pending}  items failed {h.failed}"
        )
        if h.last_error:
            click.echo(f"{'':24}  last error {when(h.last_error_at)}: {h.last_error[:200]}")


@click.command("run")
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
        with open_store(settings, create=True) as store:
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
        open_store(settings, create=True) as store,
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


def register(main: click.Group) -> None:
    """Attach the ingest commands to `strichka`."""
    for command in (import_command, source_group, sources_command, run_command):
        main.add_command(command)
    source_group.add_command(sources_command, "list")
