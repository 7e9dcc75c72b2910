"""Unpacking gzip (and zlib) within a size cap, for a saved file and an HTTP body alike.

Every gzip member is read (gzip allows several, one after another; bytes after the last
member that start no other are ignored, as gzip(1) ignores them). Output stops one byte past
the cap, so a small bomb costs at most the cap. The errors are neutral: each caller says
what the cap was for in its own typed error (InputTooLarge for a file, TooLarge for a fetch).
"""

from __future__ import annotations

import zlib

GZIP_MAGIC = b"\x1f\x8b"
_GZIP_OR_ZLIB = 32 + zlib.MAX_WBITS


class Overflow(Exception):
    """The data unpacks to more than the cap."""


class Corrupt(Exception):
    """The data is not gzip or zlib, or is damaged."""


class CappedInflater:
    """Feed compressed bytes in pieces of any size; each `feed` returns what they unpack to."""

    def __init__(self, cap: int) -> None:
        self._cap = cap
        self._size = 0
        self._member = zlib.decompressobj(_GZIP_OR_ZLIB)
        # bytes after a finished member, until there are enough to tell if another starts
        self._after_member = b""
        self._ended = False

    @property
    def complete(self) -> bool:
        """Whether the data fed so far ends where a member ends, not cut short inside one."""
        return self._member.eof

    def feed(self, data: bytes) -> bytes:
        parts: list[bytes] = []
        while data and not self._ended:
            if self._member.eof:
                data = self._after_member + data
                if len(data) < len(GZIP_MAGIC):
                    self._after_member = data
                    break
                self._after_member = b""
                if not data.startswith(GZIP_MAGIC):
                    self._ended = True
                    break
                self._member = zlib.decompressobj(_GZIP_OR_ZLIB)
            try:
                part = self._member.decompress(data, self._cap - self._size + 1)
            except zlib.error as exc:
                raise Corrupt(str(exc)) from exc
            self._size += len(part)
            if self._size > self._cap or self._member.unconsumed_tail:
                raise Overflow(f"unpacks to more than {self._cap} bytes")
            parts.append(part)
            data = self._member.unused_data if self._member.eof else b""
        return b"".join(parts)
