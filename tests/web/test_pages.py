"""Page helpers that a reader notices when they are wrong."""

from __future__ import annotations

import pytest

from strichka.web.routes import plural


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 джерело"),
        (3, "3 джерела"),
        (5, "5 джерел"),
        (11, "11 джерел"),
        (21, "21 джерело"),
        (12, "12 джерел"),
        (22, "22 джерела"),
    ],
)
def test_counts_agree_with_their_noun_in_ukrainian(count: int, expected: str) -> None:
    assert plural(count, "джерело", "джерела", "джерел") == expected
