"""What every `strichka` subcommand shares, wherever it is defined: `--db` and the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from strichka.config import HELP, Settings, load_settings
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


@contextmanager
def open_store(settings: Settings) -> Iterator[SQLiteStore]:
    with SQLiteStore(settings.db_path) as store:
        yield store
