"""When two reports cannot be one event, whatever their words share."""

from __future__ import annotations

from collections.abc import Iterable

from strichka.stories.features import ArticleFeatures
from strichka.stories.index import apart


def _report(*, dates: Iterable[str] = (), regions: Iterable[str] = ()) -> ArticleFeatures:
    return ArticleFeatures("uk", {}, dates=frozenset(dates), regions=frozenset(regions))


def test_different_days_or_regions_are_apart_and_silence_is_not() -> None:
    assert apart(_report(dates={"11-8"}), _report(dates={"11-16"}))
    assert apart(_report(regions={"uk:полтавський"}), _report(regions={"uk:сумський"}))
    assert not apart(_report(regions={"uk:полтавський"}), _report())
    assert not apart(_report(dates={"11-8"}), _report(dates={"11-8", "11-9"}))


def test_one_region_spelt_in_two_languages_is_not_a_conflict() -> None:
    """«Донецької області» and «Донецкой области» lemmatise differently; only regions named
    in one language are compared."""
    ukrainian = _report(regions={"uk:донецький"})
    assert not apart(ukrainian, _report(regions={"ru:донецкий"}))
    assert apart(ukrainian, _report(regions={"ru:донецкий", "uk:харківський"}))
