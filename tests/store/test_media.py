"""Content-addressed media files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from strichka.errors import NotFound
from strichka.store import MediaStore


def test_bytes_are_stored_once_under_their_hash(tmp_path: Path) -> None:
    media = MediaStore(tmp_path / "media")
    data = "<html>сторінка</html>".encode()
    key = media.put(data)
    assert key == hashlib.sha256(data).hexdigest()
    assert media.put(data) == key
    assert media.get(key) == data
    assert media.count() == 1
    assert not list((tmp_path / "media").rglob(".tmp-*"))


def test_missing_file_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        MediaStore(tmp_path).get("00" * 32)
