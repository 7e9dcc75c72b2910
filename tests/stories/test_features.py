"""What clustering reads of an article."""

from __future__ import annotations

from strichka.stories.features import Analyzer, title_dates

from .conftest import article


def test_title_dates_are_read_in_three_languages() -> None:
    assert title_dates("Прогноз погоды на 8 ноября") == {"11-8"}
    assert title_dates("Прогноз погоди на 16 листопада") == {"11-16"}
    assert title_dates("Markets on Nov. 16 and 17th") == {"11-16"}


def test_regions_are_the_oblasts_a_report_names_in_its_title_and_lead(analyzer: Analyzer) -> None:
    filler = ["Подробиці з'являться згодом. " * 20]
    report = article(
        "regions",
        "Негода в Одеській області",
        [
            "Через негоду без світла залишилися села Одеської області та Краснодарського "
            "краю, повідомили енергетики. В області працюють аварійні бригади.",
            *filler,
            "Раніше схожа негода була в Херсонській області.",
        ],
    )
    assert analyzer.features(report).regions == {"uk:одеський", "uk:краснодарський"}
    russian = article(
        "regions-ru",
        "Тверские почтальоны доставят поздравления ветеранам",
        ["Сотрудники Почты России в Тверской области доставят ветеранам открытки."],
        language="ru",
    )
    assert analyzer.features(russian).regions == {"ru:тверской"}
    customary = article("regions-uk", "На Донеччині та Харківщині вимкнули світло", [])
    assert analyzer.features(customary).regions == {"uk:донецький", "uk:харківський"}
