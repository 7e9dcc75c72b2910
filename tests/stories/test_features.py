"""What clustering reads of an article."""

from __future__ import annotations

from strichka.stories.features import Analyzer, title_dates

from .conftest import article


def test_title_dates_are_read_in_three_languages() -> None:
    assert title_dates("Прогноз погоды на 8 ноября") == {"11-8"}
    assert title_dates("Прогноз погоди на 16 листопада") == {"11-16"}
    assert title_dates("Markets on Nov. 16 and 17th") == {"11-16"}


def test_russian_names_are_described_by_their_canonical_entity(analyzer: Analyzer) -> None:
    """Two reports naming one person in different cases share the person, as Ukrainian
    reports do («Терезы Мэй», «Терезе Мэй» → @Тереза Мэй)."""
    described = [
        analyzer.features(article(key, title, [text], language="ru"))
        for key, title, text in [
            (
                "ru1",
                "Парламент отклонил план Терезы Мэй",
                "Депутаты британского парламента отклонили план премьер-министра Терезы Мэй.",
            ),
            (
                "ru2",
                "Терезе Мэй не хватило голосов",
                "Премьер-министру Терезе Мэй не хватило голосов депутатов в парламенте.",
            ),
        ]
    ]
    for features in described:
        assert "Тереза Мэй" in features.entities
        assert "@Тереза Мэй" in features.terms
