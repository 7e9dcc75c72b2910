"""Unpacking gzip within a cap, as files and HTTP bodies share it, fed in any pieces."""

from __future__ import annotations

import gzip
import zlib

import pytest

from strichka.ingest.inflate import CappedInflater, Corrupt, Overflow

PAGE = "<html><body><p>Україна припинить транзит газу.</p></body></html>".encode()


def unpack_bytewise(data: bytes, cap: int = 10_000) -> tuple[bytes, bool]:
    inflater = CappedInflater(cap)
    out = b"".join(inflater.feed(data[i : i + 1]) for i in range(len(data)))
    return out, inflater.complete


def test_every_member_is_read_whatever_the_pieces() -> None:
    data = gzip.compress(PAGE) + gzip.compress(PAGE)
    assert unpack_bytewise(data) == (PAGE + PAGE, True)


def test_bytes_after_the_last_member_are_ignored_as_gzip_ignores_them() -> None:
    assert unpack_bytewise(gzip.compress(PAGE) + b"\0" * 7) == (PAGE, True)


def test_a_zlib_body_is_read_too() -> None:
    """HTTP's `Content-Encoding: deflate` is zlib."""
    assert unpack_bytewise(zlib.compress(PAGE)) == (PAGE, True)


def test_data_cut_short_is_told_from_a_whole_member() -> None:
    out, complete = unpack_bytewise(gzip.compress(PAGE)[:-12])
    assert not complete and PAGE.startswith(out)


def test_more_than_the_cap_stops_one_byte_past_it() -> None:
    with pytest.raises(Overflow, match="more than 1000 bytes"):
        CappedInflater(1000).feed(gzip.compress(b" " * 10_000_000))


def test_damaged_data_is_corrupt() -> None:
    with pytest.raises(Corrupt):
        CappedInflater(1000).feed(b"\x1f\x8b\x08\x00" + bytes(range(200)))
