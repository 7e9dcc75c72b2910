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


def test_adjectives_coordinated_before_one_head_are_each_a_region(analyzer: Analyzer) -> None:
    """«у Сумській та Харківській областях» names two oblasts: a national report that
    lists them shares each with a report from one of them (it named only the last)."""
    listed = article(
        "regions-listed",
        "Нарада щодо оборони прикордонних громад",
        [
            "Президент провів нараду щодо оборони громад у Сумській, Харківській та "
            "Чернігівській областях. Найбільше ударів зазнали Львівська і Івано-Франківська "
            "області, Київська область і Краснодарський край."
        ],
    )
    assert analyzer.features(listed).regions == {
        "uk:сумський",
        "uk:харківський",
        "uk:чернігівський",
        "uk:львівський",
        "uk:івано-франківський",
        "uk:київський",
        "uk:краснодарський",
    }
    russian = article(
        "regions-listed-ru",
        "Паводок",
        ["Паводок затопил дороги в Тверской и Московской областях."],
        language="ru",
    )
    assert analyzer.features(russian).regions == {"ru:тверской", "ru:московский"}
