"""All configuration in one place: defaults, then an optional TOML file, then the environment.

The TOML file is `./strichka.toml`, or the path in `STRICHKA_CONFIG`. Each setting can also
be set as `STRICHKA_<NAME>` (upper case), e.g. `STRICHKA_MAX_INPUT_BYTES=10000000`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from strichka.errors import ConfigError

NER_MODEL_FILE = "ner-crf.model"

HELP: dict[str, str] = {
    "db_path": "SQLite database file of the embedded store.",
    "data_dir": "Folder of what strichka trains (NER model); empty means $XDG_DATA_HOME/strichka.",
    "media_dir": "Folder of the content-addressed media store; empty means '<db>.media' beside it.",
    "max_input_bytes": "Inputs larger than this are refused before they are read whole.",
    "max_title_chars": "A title longer than this marks the item as malformed.",
    "max_body_chars": "A body longer than this marks the item as malformed.",
    "timezone": "IANA zone in which times without an offset are read and every time is shown.",
    "contact_url": "Named in the User-Agent of every request: a page that says who runs this.",
    "fetch_concurrency": "Requests in flight at once, over all hosts.",
    "per_host_concurrency": "Requests in flight at once to one host.",
    "per_host_delay_ms": "Least time between two requests to one host, in milliseconds.",
    "connect_timeout_s": "Seconds to wait for a connection.",
    "read_timeout_s": "Seconds to wait for the next bytes of a response.",
    "total_timeout_s": "Seconds one request may take in all, retries not counted.",
    "max_fetch_bytes": "A response larger than this, on the wire or decompressed, is refused.",
    "max_image_bytes": "An image larger than this is not stored.",
    "max_compression_ratio": "Decompressed/compressed size above this is taken for a bomb.",
    "max_redirects": "Redirects followed for one request.",
    "fetch_retries": "Retries after a 429, a 5xx or a network error, with backoff.",
    "retry_base_ms": "First backoff delay in milliseconds; it doubles, with jitter.",
    "max_retry_after_s": "A Retry-After longer than this gives up instead of waiting.",
    "poll_min_interval_s": "Shortest interval between two polls of one source.",
    "poll_max_interval_s": "Longest interval between two polls of one source.",
    "poll_max_refetches": "Times a stored item is fetched again because its feed shows it "
    "updated later than the version stored (at most once per poll_min_interval_s); "
    "0 never re-fetches.",
    "api_key": "Key that API writes (adding sources, importing, polling) must send as "
    "X-API-Key; empty means writes are refused.",
    "max_request_bytes": "An API request body larger than this is refused (413).",
    "story_window_hours": "A story goes cold, and no new article joins it, once the newest "
    "article seen is this many hours later than the story's last; 0 never (only memory bounds "
    "the warm stories). Run `strichka recluster` after changing a story_ setting.",
    "story_threshold": "Cosine similarity (0-1) at which an article joins a story; higher "
    "splits more.",
    "story_merge_threshold": "Cosine similarity (0-1) at which consolidation fuses two stories.",
}


@dataclass(frozen=True, slots=True)
class Settings:
    db_path: str = "strichka.db"
    data_dir: str = ""
    media_dir: str = ""
    max_input_bytes: int = 50 * 1024 * 1024
    max_title_chars: int = 1_000
    max_body_chars: int = 2_000_000
    timezone: str = "Europe/Kyiv"
    contact_url: str = "https://github.com/strichka/strichka"
    fetch_concurrency: int = 16
    per_host_concurrency: int = 2
    per_host_delay_ms: int = 250
    connect_timeout_s: int = 10
    read_timeout_s: int = 20
    total_timeout_s: int = 60
    max_fetch_bytes: int = 20 * 1024 * 1024
    max_image_bytes: int = 10 * 1024 * 1024
    max_compression_ratio: int = 200
    max_redirects: int = 5
    fetch_retries: int = 3
    retry_base_ms: int = 500
    max_retry_after_s: int = 120
    poll_min_interval_s: int = 120
    poll_max_interval_s: int = 3600
    poll_max_refetches: int = 5
    api_key: str = ""
    max_request_bytes: int = 1024 * 1024
    story_window_hours: int = 72
    story_threshold: float = 0.4
    story_merge_threshold: float = 0.5

    @property
    def data_path(self) -> Path:
        if self.data_dir:
            return Path(self.data_dir)
        xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return Path(xdg) / "strichka"

    @property
    def ner_model_path(self) -> Path:
        """Where `strichka ner train` writes the CRF model, and where analysis looks for it."""
        return self.data_path / NER_MODEL_FILE

    @property
    def media_path(self) -> Path:
        return Path(self.media_dir) if self.media_dir else Path(f"{self.db_path}.media")

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _coerce(name: str, raw: Any, kind: Any) -> Any:
    try:
        if kind is int or kind == "int":
            return int(raw)
        if kind is float or kind == "float":
            return float(raw)
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r}: cannot read {raw!r} as {kind}") from exc


@dataclass(frozen=True, slots=True)
class SettingInfo:
    """One setting as `strichka settings` shows it."""

    name: str
    value: Any
    origin: str
    """"default", the TOML file's path, or the environment variable that set it."""
    help: str


SECRET = frozenset({"api_key"})
"""Settings whose value is never printed."""


def load_settings(
    *, environ: Mapping[str, str] | None = None, config_file: Path | None = None
) -> Settings:
    return _gather(environ, config_file)[0]


def describe_settings(
    *, environ: Mapping[str, str] | None = None, config_file: Path | None = None
) -> list[SettingInfo]:
    """Every setting with its value, where that value came from, and its help text."""
    settings, origins = _gather(environ, config_file)
    return [
        SettingInfo(f.name, getattr(settings, f.name), origins.get(f.name, "default"), HELP[f.name])
        for f in fields(Settings)
    ]


def _gather(
    environ: Mapping[str, str] | None, config_file: Path | None
) -> tuple[Settings, dict[str, str]]:
    env = os.environ if environ is None else environ
    path = config_file or Path(env.get("STRICHKA_CONFIG", "strichka.toml"))
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    if path.is_file():
        try:
            loaded = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        values.update(loaded.get("strichka", loaded))
        origins.update(dict.fromkeys(values, str(path)))
    known = {f.name: f.type for f in fields(Settings)}
    unknown = set(values) - set(known)
    if unknown:
        raise ConfigError(f"{path}: unknown settings {sorted(unknown)}; known: {sorted(known)}")
    for name in known:
        variable = f"STRICHKA_{name.upper()}"
        env_value = env.get(variable)
        if env_value is not None:
            values[name] = env_value
            origins[name] = variable
    settings = Settings(**{k: _coerce(k, v, known[k]) for k, v in values.items()})
    return settings, origins
