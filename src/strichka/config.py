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

HELP: dict[str, str] = {
    "db_path": "SQLite database file of the embedded store.",
    "media_dir": "Folder of the content-addressed media store; empty means '<db>.media' beside it.",
    "max_input_bytes": "Inputs larger than this are refused before they are read whole.",
    "max_title_chars": "A title longer than this marks the item as malformed.",
    "max_body_chars": "A body longer than this marks the item as malformed.",
    "timezone": "IANA zone in which times without an offset are read.",
}


@dataclass(frozen=True, slots=True)
class Settings:
    db_path: str = "strichka.db"
    media_dir: str = ""
    max_input_bytes: int = 50 * 1024 * 1024
    max_title_chars: int = 1_000
    max_body_chars: int = 2_000_000
    timezone: str = "Europe/Kyiv"

    @property
    def media_path(self) -> Path:
        return Path(self.media_dir) if self.media_dir else Path(f"{self.db_path}.media")

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _coerce(name: str, raw: Any, kind: Any) -> Any:
    try:
        if kind is int or kind == "int":
            return int(raw)
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r}: cannot read {raw!r} as {kind}") from exc


def load_settings(
    *, environ: Mapping[str, str] | None = None, config_file: Path | None = None
) -> Settings:
    env = os.environ if environ is None else environ
    path = config_file or Path(env.get("STRICHKA_CONFIG", "strichka.toml"))
    values: dict[str, Any] = {}
    if path.is_file():
        try:
            loaded = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        values.update(loaded.get("strichka", loaded))
    known = {f.name: f.type for f in fields(Settings)}
    unknown = set(values) - set(known)
    if unknown:
        raise ConfigError(f"{path}: unknown settings {sorted(unknown)}; known: {sorted(known)}")
    for name in known:
        env_value = env.get(f"STRICHKA_{name.upper()}")
        if env_value is not None:
            values[name] = env_value
    return Settings(**{k: _coerce(k, v, known[k]) for k, v in values.items()})
