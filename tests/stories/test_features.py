"""What clustering reads of an article."""

from __future__ import annotations

from strichka.stories.features import title_dates


def test_title_dates_are_read_in_three_languages() -> None:
    assert title_dates("Прогноз погоды на 8 ноября") == {"11-8"}
    assert title_dates("Прогноз погоди на 16 листопада") == {"11-16"}
    assert title_dates("Markets on Nov. 16 and 17th") == {"11-16"}
