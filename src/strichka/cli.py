"""The `strichka` command: the top-level group, its error handling, and its subcommands.

Each subcommand is thin: it parses, calls the library, prints. It lives in the `cli.py` of its
stage's package (ingest, store, nlp, evaluation, stories, search, api); this module attaches them.
"""

from __future__ import annotations

import errno
import json
import os
import sys
import textwrap
from typing import Any, NoReturn, TextIO

import click

from strichka.api.cli import register as register_api_commands
from strichka.config import SECRET, describe_settings
from strichka.errors import StrichkaError, UnwritableOutput
from strichka.evaluation.cli import eval_group
from strichka.evaluation.cli import register as register_eval_commands
from strichka.ingest.cli import register as register_ingest_commands
from strichka.nlp.cli import register as register_nlp_commands
from strichka.search.cli import register as register_search_commands
from strichka.store.cli import register as register_store_commands
from strichka.stories.cli import register as register_story_commands


class GuardedStdout:
    """Standard output whose failed writes are typed: a full disk (`strichka list > /dev/full`)
    is UnwritableOutput naming <stdout>, not an OSError traceback. A broken pipe (`| head -1`)
    stays BrokenPipeError, which click ends quietly, as Unix tools do.

    Once the failure is reported, what is still buffered can never be written: `abandon`
    points the descriptor at /dev/null, so the interpreter's flush at exit does not fail again.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise self._failed(exc) from exc

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise self._failed(exc) from exc

    def abandon(self) -> None:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):  # no descriptor (a test's buffer)
            pass

    @staticmethod
    def _failed(exc: OSError) -> Exception:
        if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
            return exc
        return UnwritableOutput(f"cannot write: {exc.strerror or exc}", source="<stdout>")


class StrichkaGroup(click.Group):
    """Typed errors become one clear line and exit code 1, never a traceback; so does a
    standard output that cannot be written (E107), whether a command or --help wrote it."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        stdout = sys.stdout
        guarded = stdout if isinstance(stdout, GuardedStdout) else GuardedStdout(stdout)
        sys.stdout = guarded
        try:
            return super().main(*args, **kwargs)
        except StrichkaError as exc:  # raised outside a subcommand: --help, --version
            _report(exc)
        finally:
            if sys.stdout is guarded:  # not what click put over it to end a broken pipe
                sys.stdout = stdout

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # what is still buffered fails here, typed, not at exit
            return result
        except StrichkaError as exc:
            _report(exc)


def _report(exc: StrichkaError) -> NoReturn:
    stdout_failed = isinstance(exc, UnwritableOutput) and exc.source == "<stdout>"
    if stdout_failed and isinstance(sys.stdout, GuardedStdout):
        sys.stdout.abandon()
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


@main.command("settings")
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
def settings_command(as_json: bool) -> None:
    """Show every setting: its value, where the value came from (default, the TOML file or a
    STRICHKA_* variable) and what it does. Secrets show only whether they are set.

    \b
    Example:
      STRICHKA_STORY_THRESHOLD=0.45 strichka settings
    """
    infos = describe_settings()
    shown = {
        info.name: ("<set>" if info.value else "") if info.name in SECRET else info.value
        for info in infos
    }
    if as_json:
        rows = [
            {"name": i.name, "value": shown[i.name], "origin": i.origin, "help": i.help}
            for i in infos
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for info in infos:
        click.echo(
            f"{info.name} = {json.dumps(shown[info.name], ensure_ascii=False)}  ({info.origin})"
        )
        click.echo(
            textwrap.fill(info.help, width=88, initial_indent="    ", subsequent_indent="    ")
        )


register_ingest_commands(main)
register_store_commands(main)
register_nlp_commands(main)
register_eval_commands(main)
register_story_commands(main, eval_group)
register_search_commands(main)
register_api_commands(main)

if __name__ == "__main__":
    main()
