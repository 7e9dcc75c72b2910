"""Shared fixtures: where the read-only corpora live, and a fresh store per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _shared_path(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing: CI must run with ../shared beside the clone")
        pytest.skip(f"{path} is absent (tests that read ../shared need it beside the repo)")
    return path


@pytest.fixture(autouse=True)
def private_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A trained model in the user's data folder must not change what a test sees."""
    path = tmp_path_factory.mktemp("strichka-data")
    monkeypatch.setenv("STRICHKA_DATA_DIR", str(path))
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data: skips when absent, fails under CI."""
    return _shared_path("data")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """../shared/seeds: the golden aggregator item and its annotation."""
    return _shared_path("seeds")
