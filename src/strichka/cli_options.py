"""What every `strichka` subcommand shares, wherever it is defined: `--db`, the store, output."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from strichka.clock import clock_time as clock_time  # what every command prints times with
from strichka.config import HELP, Settings, load_settings
from strichka.errors import NoDatabase, UnwritableOutput
from strichka.records import Article
from strichka.store import SQLiteStore

F = TypeVar("F", bound=Callable[..., Any])


def db_option(command: F) -> F:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=str),
        default=None,
        help=f"{HELP['db_path']} [default: ./strichka.db or STRICHKA_DB_PATH]",
    )(command)


def settings_for(db_path: str | None) -> Settings:
    """The configured settings, with the command line's --db when given."""
    return load_settings().with_overrides(db_path=db_path)


def require_database(settings: Settings) -> None:
    """Raise NoDatabase unless the configured database exists: a command that only reads
    (or serves) it must not create an empty one that hides a mistyped --db."""
    if not Path(settings.db_path).exists():
        raise NoDatabase(
            f"no database at {settings.db_path} (import something first, or check --db)"
        )


@contextmanager
def open_store(settings: Settings, *, create: bool = False) -> Iterator[SQLiteStore]:
    """The configured store. Only commands that add to it pass `create`: a reading command
    pointed at no database fails (NoDatabase) instead of creating an empty one."""
    if not create:
        require_database(settings)
    with SQLiteStore(settings.db_path) as store:
        yield store


@contextmanager
def open_output(path: Path | None) -> Iterator[TextIO]:
    """FILE opened for writing, or standard output when none is given; a path that cannot
    be written, or a write that fails (the disk full), is UnwritableOutput naming it, not a
    traceback.

    A file is written beside itself and renamed into place once whole: an export that fails
    leaves no half-written file, and the one it would have replaced as it was. Where FILE is
    no regular file (a pipe, a device, a link) it is written as it is.
    """
    if path is None:
        try:
            yield sys.stdout
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # `| head`: the reader has what it wanted; click ends quietly
        except OSError as exc:
            raise UnwritableOutput(f"cannot write: {exc.strerror}", source="<stdout>") from exc
        return
    in_place = path.is_symlink() or (path.exists() and not path.is_file())
    partial = path if in_place else path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with partial.open("w" if in_place else "x", encoding="utf-8") as stream:
            yield stream
        if not in_place:
            os.replace(partial, path)
    except OSError as exc:
        raise UnwritableOutput(f"cannot write: {exc.strerror}", source=str(path)) from exc
    finally:
        if not in_place:
            partial.unlink(missing_ok=True)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """«1 article», «2 articles», «1 story», «3 stories»."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def article_line(article: Article, zone: str, *, id_width: int) -> str:
    """One line a listed article: id, time, outlet and title. `id_width` is the widest id
    listed with it: an id given in the input may be shorter or longer than a derived one,
    and the columns must still line up."""
    when = clock_time(article.published_at, zone, day_only=article.published_day_only)
    origin = article.publisher or "—"
    return f"{article.id:{id_width}}  {when:16}  {origin[:20]:20}  {article.title[:90]}"


def widest_id(articles: Iterable[Article]) -> int:
    """The `id_width` that lines up these articles' lines."""
    return max((len(article.id) for article in articles), default=0)


def render_article(article: Article, zone: str) -> str:
    """The article as a reader sees it, its time on the user's clock (setting `timezone`)."""
    width = min(shutil.get_terminal_size((100, 20)).columns, 100)

    def wrap(text: str, indent: str = "") -> str:
        return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)

    facts = [f"id {article.id}"]
    if article.outlet or article.outlet_domain:
        facts.append(article.outlet or article.outlet_domain or "")
    if article.aggregator:
        facts.append(f"via {article.aggregator} (feed {article.feed_id})")
    if article.published_at:
        facts.append(clock_time(article.published_at, zone, day_only=article.published_day_only))
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
    lines = ["", f"language: {analysis.language} · {counted(len(analysis.sentences), 'sentence')}"]
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
