"""Content-addressed files on disk: images and the raw documents articles were read from.

A file's name is its SHA-256, so storing the same bytes twice is free and a stored file can
never be silently changed. Writes go to a temporary file and are renamed into place, so a
crash never leaves a half-written file under a valid name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from strichka.errors import NotFound, StoreError


class MediaStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        """Store `data` under its SHA-256 and return that; StoreError naming the folder when
        it cannot be written (read-only, the disk full)."""
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path_for(sha256)
        if target.exists():
            return sha256
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        except OSError as exc:
            raise self._unwritable(exc) from exc
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException as exc:
            Path(tmp).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise self._unwritable(exc) from exc
            raise
        return sha256

    def _unwritable(self, exc: OSError) -> StoreError:
        return StoreError(
            f"{self.root}: the media store cannot be written: {exc.strerror or exc} "
            "(setting media_dir)"
        )

    def get(self, sha256: str) -> bytes:
        try:
            return self.path_for(sha256).read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(f"no media file {sha256}") from exc

    def count(self) -> int:
        if not self.root.exists():
            return 0
        return sum(1 for p in self.root.glob("??/??/*") if not p.name.startswith(".tmp-"))
