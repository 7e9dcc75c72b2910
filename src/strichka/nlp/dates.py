"""Ukrainian date expressions: found by hand-written rules, resolved to ISO values.

Why rules and not dateparser: run over free text dateparser reads «1000» or «10%» as dates
and misses «в неділю» or «у 2024 році»; it is also two orders of magnitude slower. Here a
handful of compiled patterns find candidate spans (each needs a month name, a year word, a
date cue or a date shape, so plain numbers never match), the longest non-overlapping
candidates win, and each is resolved on its own.

Values are ISO 8601: a date ``2025-10-26``, a month ``2025-10``, a year ``2025``, or an
interval of those ``2025-10-20/2025-10-26`` (day ranges, weeks, seasons, decades,
centuries). A span that cannot be placed on the calendar keeps ``value=None``.

Resolution, in order of trust: the expression's own year; the caller's `reference_date`
(publication date); a year the text itself names before it (or, failing that, anywhere).
Without a year, a day or month takes the reading nearest the reference date, counting a day
ahead twice: news reports the past far more than it announces the future, so «26 грудня»
read on 5 January is last December, while «15 грудня» read on 1 November is this one.
Anaphoric expressions («за день до цього», «наступного дня», «того ж року») count from the
last resolved date before them in the text. A weekday in apposition with a date («в неділю,
26 жовтня») is that date where the calendar agrees, with or without a reference date.

Every pattern is a bounded alternation with no nested repetition, so matching stays linear
in the length of the text.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from strichka.records import DateExpression

_AP = "['’ʼ]"  # apostrophe as typed: ASCII, typographic, modifier letter

_MONTH_FORMS: tuple[tuple[str, ...], ...] = (
    ("січень", "січня", "січні", "січнем"),
    ("лютий", "лютого", "лютому", "лютим"),
    ("березень", "березня", "березні", "березнем"),
    ("квітень", "квітня", "квітні", "квітнем"),
    ("травень", "травня", "травні", "травнем"),
    ("червень", "червня", "червні", "червнем"),
    ("липень", "липня", "липні", "липнем"),
    ("серпень", "серпня", "серпні", "серпнем"),
    ("вересень", "вересня", "вересні", "вереснем"),
    ("жовтень", "жовтня", "жовтні", "жовтнем"),
    ("листопад", "листопада", "листопаді", "листопадом"),
    ("грудень", "грудня", "грудні", "груднем"),
)
# form → (month number, case index: 0 nominative, 1 genitive, 2 locative, 3 instrumental)
_MONTHS: dict[str, tuple[int, int]] = {
    form: (number, case)
    for number, forms in enumerate(_MONTH_FORMS, start=1)
    for case, form in enumerate(forms)
}
MONTH_WORDS = frozenset(_MONTHS)
"""Every form of every month's name («листопад», «листопада», «листопаді», …)."""


def _alternation(words: Any) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_MONTH = rf"(?P<mon>{_alternation(_MONTHS)})"
_MONTH_GEN = rf"(?P<mon>{_alternation(forms[1] for forms in _MONTH_FORMS)})"

_ORDINAL_DAYS = (
    "перш",
    "друг",
    "трет",
    "четверт",
    "п'ят",
    "шост",
    "сьом",
    "восьм",
    "дев'ят",
    "десят",
    "одинадцят",
    "дванадцят",
    "тринадцят",
    "чотирнадцят",
    "п'ятнадцят",
    "шістнадцят",
    "сімнадцят",
    "вісімнадцят",
    "дев'ятнадцят",
    "двадцят",
)
# stem → day number; «двадцять перш-», «тридцят-», «тридцять перш-» are built below
_ORDINAL_STEMS: dict[str, int] = {stem: day for day, stem in enumerate(_ORDINAL_DAYS, start=1)}
for _unit, _stem in enumerate(_ORDINAL_DAYS[:9], start=1):
    _ORDINAL_STEMS[f"двадцять {_stem}"] = 20 + _unit
_ORDINAL_STEMS["тридцят"] = 30
_ORDINAL_STEMS["тридцять перш"] = 31
del _unit, _stem
_ORDINAL = "(?P<ord>(?:" + _alternation(_ORDINAL_STEMS).replace("'", _AP) + ")(?:ого|ього|ому))"

_YEAR_WORD = r"(?:році|року|роком|роках|років|роки|рік|рр\.?|р\.?)(?!\w)"
_YEAR_SUFFIX = r"(?:\s?-\s?(?:го|му|й|ий|ому)|-?(?:го|му))"
_REL_YEAR = r"(?P<ry>цього|минулого|наступного|поточного|позаминулого|нинішнього|того)"
# A year after a month or day: with a year word or suffix, or bare when no number, percent
# sign or lowercase word follows («у жовтні 2000 людей» is not October 2000).
_YEAR_PART = (
    rf"(?:(?P<y>1\d{{3}}|20\d\d)(?:(?:{_YEAR_SUFFIX})?\s*{_YEAR_WORD}|{_YEAR_SUFFIX}"
    rf"|(?!\s?[\d%]|\s(?-i:[а-яіїєґa-z])))"
    rf"|{_REL_YEAR}(?:\s+ж)?\s+року(?!\w))"
)
_MODIFIER = (
    r"(?P<mod>(?:на\s+)?початку|(?:до\s+)?кінця|кінці|наприкінці|(?:в|у)\s+середині|середини"
    r"|середині|(?:першій|другій|першої|другої)\s+половин[іи]|з\s+початку)"
)
_SEASON = (
    r"(?P<season>навесні|весною|весни|влітку|літом|літа|восени|осінню|осені|взимку|зимою|зими)"
)
_NUMBER_WORDS: dict[str, int] = {
    "один": 1,
    "одну": 1,
    "два": 2,
    "дві": 2,
    "двох": 2,
    "три": 3,
    "трьох": 3,
    "чотири": 4,
    "п'ять": 5,
    "шість": 6,
    "сім": 7,
    "вісім": 8,
    "дев'ять": 9,
    "десять": 10,
    "одинадцять": 11,
    "дванадцять": 12,
    "п'ятнадцять": 15,
    "двадцять": 20,
    "тридцять": 30,
    "сорок": 40,
    "п'ятдесят": 50,
    "сто": 100,
    "пів": 0,
}
_VAGUE_NUMBERS = frozenset(
    {"кілька", "декілька", "кількох", "декількох", "кількасот", "кількадесят"}
)
_COUNT = (
    r"(?P<n>\d{1,3}|" + _alternation([*_NUMBER_WORDS, *_VAGUE_NUMBERS]).replace("'", _AP) + r")\s*"
)
_UNIT = (
    r"(?P<unit>днів|дні|день|добу|доби|тижнів|тижні|тиждень|місяців|місяці|місяць|років|роки"
    r"|рік|літ)"
)
_WEEKDAY_ACC = r"(?P<wd>понеділок|вівторок|середу|четвер|п" + _AP + r"ятницю|суботу|неділю)"
_WEEKDAY_GEN = r"(?P<wdg>понеділка|вівторка|середи|четверга|п" + _AP + r"ятниці|суботи|неділі)"
_WEEKDAYS: dict[str, int] = {
    "понеділ": 0,
    "вівтор": 1,
    "серед": 2,
    "четвер": 3,
    "п'ятниц": 4,
    "субот": 5,
    "неді": 6,
}
_ROMAN = r"(?P<roman>(?-i:[IVXХІ]{1,5}))"  # case-sensitive: «і ст. 5» is not a century

_R = r"(?![\w'’ʼ])"
_N = r"(?<![\w.,'’ʼ\-/])"  # left edge of a number: not 3,26 or 1.26 or Іл-76 or 1/26

# Each pattern is matched only where a trigger word starts (see `_TRIGGERS`), anchored there.
# Prepositions, modifiers and seasons before the trigger are read by `_LEFT` afterwards.
_PATTERNS: dict[str, re.Pattern[str]] = {
    kind: re.compile(pattern, re.IGNORECASE)
    for kind, pattern in (
        (
            "numeric",
            rf"{_N}(?:(?P<d>\d{{1,2}})(?P<sep>[./])(?P<m>\d{{1,2}})(?P=sep)(?P<y>\d{{4}})"
            rf"|(?P<iy>\d{{4}})-(?P<im>\d\d)-(?P<id>\d\d))(?![\d.,/]\d)(?:\s*{_YEAR_WORD})?",
        ),
        (
            "day",
            rf"(?:{_N}(?P<d>\d{{1,2}})(?:-?го)?(?:(?:\s*[-–—]\s*|\s+(?:по|до|і|та|й)\s+)"
            rf"(?P<d2>\d{{1,2}}))?|{_ORDINAL})\s*{_MONTH_GEN}(?:\s+{_YEAR_PART})?{_R}",
        ),
        ("month", rf"{_MONTH}(?:\s+ж)?(?:\s+{_YEAR_PART})?{_R}"),
        (
            "year",
            rf"{_N}(?P<y>1\d{{3}}|20\d\d)(?:\s*[-–—]\s*(?P<y2>1\d{{3}}|20\d\d)|{_YEAR_SUFFIX})?"
            rf"(?:\s*{_YEAR_WORD})?(?![\w'’ʼ%])",
        ),
        (
            "year_span",
            rf"{_N}(?P<y>1\d{{3}}|20\d\d)\s+(?:по|до)\s+(?P<y2>1\d{{3}}|20\d\d)"
            rf"(?:\s*{_YEAR_WORD})?{_R}",
        ),
        (
            "decade",
            rf"{_N}(?P<dec>(?:1[89]|20)?\d0)\s?-\s?(?:х|ті|тих|их)"
            rf"(?:\s+(?:рр\.?|років|роках|роки))?{_R}",
        ),
        (
            "century",
            rf"(?:{_ROMAN}(?:\s?-\s?(?:го|му|ому|ого))?\s*(?:столітт[яіюм]|сторічч[яі]|ст\.|ст{_R})"
            rf"|{_N}(?P<cn>\d{{1,2}})(?:\s?-\s?(?:го|му|ому|ого))?\s+(?:столітт[яіюм]|сторічч[яі]))",
        ),
        (
            "relative_year",
            r"(?:(?P<ry>цього|минулого|наступного|поточного|позаминулого|нинішнього|того)"
            r"(?:\s+ж)?\s+року|(?P<ryl>цьому|минулому|наступному|поточному|тому|позаминулому)"
            r"(?:\s+ж)?\s+році|(?P<ryn>минулий|поточний|наступний|цей)\s+рік"
            r"|(?P<ryw>торік|цьогоріч|позаторік|минулоріч))(?!\w)",
        ),
        (
            "relative_period",
            r"(?:(?P<rel>цього|минулого|наступного|поточного|того)(?:\s+ж)?\s+(?P<per>місяця|тижня)"
            r"|(?P<rell>цьому|минулому|наступному)(?:\s+ж)?\s+(?P<perl>місяці|тижні))(?!\w)",
        ),
        (
            "relative_day",
            r"(?P<word>сьогодні|сьогоднішнього\s+дня|сьогоднішній\s+день|учора|вчора|позавчора"
            r"|завтра|післязавтра)(?!\w)",
        ),
        (
            "ago",
            rf"(?:{_COUNT})?{_UNIT}\s+(?P<dir>тому|потому|по\s+тому|раніше|згодом)(?!\w)"
            rf"|(?P<fwd>через)\s+(?:{_COUNT.replace('?P<n>', '?P<n2>')})?"
            r"(?P<unit2>днів|дні|день|добу|тижнів|тижні|тиждень|місяців|місяці|місяць|років|роки"
            r"|рік)(?!\w)",
        ),
        (
            "anaphoric",
            rf"(?:за\s+(?:{_COUNT})?{_UNIT}\s+до\s+(?:цього|того)(?:\s+дня)?"
            r"|(?P<next>наступного\s+(?:дня|ранку)|наступної\s+доби)"
            r"|(?P<same>того\s+ж\s+дня|цього\s+ж\s+дня|того\s+дня))(?!\w)",
        ),
        ("weekday", rf"(?:{_WEEKDAY_ACC}|{_WEEKDAY_GEN}){_R}"),
        (
            "quarter",
            r"(?P<q>IV|I{1,3}|І{1,3}|ІV|[1-4]|перш\w*|друг\w*|трет\w*|четверт\w*)"
            rf"(?:\s?-\s?(?:му|ому|ий|го))?\s+кварта(?:лі|л|лу|ла)\s+(?:{_YEAR_PART})",
        ),
    )
}
_PREPOSITIONS = r"у|в|з|із|зі|до|від|по|на|за|після|протягом|впродовж"
# What may stand right before a trigger: a preposition, then a modifier or a season.
_LEFT = re.compile(
    rf"(?<![\w'’ʼ\-])(?:(?P<prep>{_PREPOSITIONS})\s+)?(?:{_MODIFIER}|{_SEASON})?\s*$",
    re.IGNORECASE,
)
_LEFT_WEEKDAY = re.compile(
    r"(?<![\w'’ʼ\-])(?:(?P<prep>у|в)\s+(?:(?P<wq>минулий|минулу|цей|цю|наступний|наступну)\s+)?"
    r"|(?P<wqg>минулого|минулої|цього|цієї|наступного|наступної)\s+)$",
    re.IGNORECASE,
)
_APPOSITION_GAP = re.compile(r"\s*,\s*|\s*\(\s*")
"""Between a weekday and the date it names: «в неділю, 26 жовтня», «у понеділок (3 листопада)»."""
_LEFT_SPAN = re.compile(r"(?<![\w'’ʼ\-])(?:з|із|від)\s+$", re.IGNORECASE)
_LEFT_WINDOW = 40

_RELATIVE_WORDS = ("relative_year", "relative_period", "anaphoric")


def _triggers() -> dict[str, tuple[str, ...]]:
    """Lowercase word → the patterns worth trying where it starts."""
    table: dict[str, list[str]] = {}

    def add(words: Any, *kinds: str) -> None:
        for word in words:
            for apostrophe in "'’ʼ":  # every way an apostrophe is typed
                table.setdefault(word.replace("'", apostrophe), []).extend(kinds)

    add(_MONTHS, "month")
    add(
        (
            stem.split()[0] + ending
            for stem in _ORDINAL_STEMS
            for ending in ("ого", "ього", "ому")
            if " " not in stem
        ),
        "day",
    )
    add(("двадцять", "тридцять"), "day")
    add(("першому", "другому", "третьому", "четвертому"), "quarter")
    add(("цього", "минулого", "наступного", "поточного", "того"), *_RELATIVE_WORDS)
    add(("позаминулого", "нинішнього", "цей", "минулий", "поточний", "наступний"), "relative_year")
    add(("цьому", "минулому", "наступному", "поточному", "тому", "позаминулому"), "relative_year")
    add(("цьому", "минулому", "наступному"), "relative_period")
    add(("торік", "цьогоріч", "позаторік", "минулоріч"), "relative_year")
    add(("наступної",), "anaphoric")
    add(("сьогодні", "сьогоднішнього", "сьогоднішній", "учора", "вчора"), "relative_day")
    add(("позавчора", "завтра", "післязавтра"), "relative_day")
    add((*_NUMBER_WORDS, *_VAGUE_NUMBERS), "ago")
    add(("день", "дні", "днів", "добу", "доби", "тиждень", "тижні", "тижнів"), "ago")
    add(("місяць", "місяці", "місяців", "рік", "роки", "років", "літ", "через"), "ago")
    add(("за",), "anaphoric")
    add(
        [
            "понеділок",
            "понеділка",
            "вівторок",
            "вівторка",
            "середу",
            "середи",
            "четвер",
            "четверга",
            "п'ятницю",
            "п'ятниці",
            "суботу",
            "суботи",
            "неділю",
            "неділі",
        ],
        "weekday",
    )
    return {word: tuple(dict.fromkeys(kinds)) for word, kinds in table.items()}


_TRIGGERS = _triggers()
_DIGIT_KINDS: dict[int, tuple[str, ...]] = {
    1: ("numeric", "day", "century", "ago", "quarter"),
    2: ("numeric", "day", "decade", "century", "ago"),
    3: ("ago",),
    4: ("numeric", "year", "year_span", "decade"),
}
_ROMAN_KINDS = ("century", "quarter")
_WORD = re.compile(r"\d+|[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_ROMAN_LETTERS = frozenset("IVXХІ")

_KIND_ORDER = {kind: order for order, kind in enumerate(_PATTERNS)}
_SEASON_MONTHS = {"вес": (3, 5), "літ": (6, 8), "ос": (9, 11)}
_REL_YEAR_SHIFT = {
    "цього": 0,
    "цьому": 0,
    "цей": 0,
    "поточного": 0,
    "поточному": 0,
    "поточний": 0,
    "нинішнього": 0,
    "цьогоріч": 0,
    "минулого": -1,
    "минулому": -1,
    "минулий": -1,
    "торік": -1,
    "минулоріч": -1,
    "позаминулого": -2,
    "позаминулому": -2,
    "позаторік": -2,
    "наступного": 1,
    "наступному": 1,
    "наступний": 1,
}
_ANAPHORIC_YEAR = frozenset({"того", "тому"})
_RELATIVE_DAYS = {
    "сьогодні": 0,
    "сьогоднішнього дня": 0,
    "сьогоднішній день": 0,
    "вчора": -1,
    "учора": -1,
    "позавчора": -2,
    "завтра": 1,
    "післязавтра": 2,
}
_MAX_YEAR = 9999
_SINGULAR_UNITS = frozenset({"день", "добу", "тиждень", "місяць", "рік"})
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
_LOOKALIKES = str.maketrans({"Х": "X", "І": "I", "х": "X", "і": "I"})


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A pattern's match at a trigger, with what stands before it (preposition, modifier)."""

    kind: str
    start: int  # of the reported span: a modifier or season before the match counts
    end: int
    match: re.Match[str]
    qualifier: str | None = None  # a season before a year, «минулої» before a weekday


@dataclass(frozen=True, slots=True)
class _Context:
    """What resolution may lean on: the reference date, the text's own years, the last date."""

    reference: date | None
    text_year: int | None
    last_day: date | None
    last_year: int | None


def find_dates(text: str, *, reference_date: date | None = None) -> list[DateExpression]:
    """Date expressions of `text` in text order, each resolved where the calendar allows."""
    if not text:
        return []
    candidates = _select(_candidates(text))
    explicit_years = [
        (c.start, year) for c in candidates if (year := _explicit_year(c.match)) is not None
    ]
    values: list[str | None] = []
    last_day: date | None = None
    last_year: int | None = None
    for cand in candidates:
        context = _Context(
            reference_date, _text_year(explicit_years, cand.start), last_day, last_year
        )
        value = _resolve(cand, context)
        values.append(value)
        if value is not None and "/" not in value:
            last_year = int(value[:4])
            if len(value) == 10:
                last_day = date.fromisoformat(value)
    dates: list[DateExpression] = []
    for index, cand in enumerate(candidates):
        value = _apposed_date(text, candidates, values, index) or values[index]
        end = cand.end
        while end > cand.start and text[end - 1].isspace():
            end -= 1
        dates.append(DateExpression(text[cand.start : end], cand.start, end, value))
    return dates


def _apposed_date(
    text: str, candidates: list[_Candidate], values: list[str | None], index: int
) -> str | None:
    """The date a weekday stands in apposition with («в неділю, 26 жовтня»): the same day,
    whatever the reference date, when the calendar agrees that it is that weekday."""
    cand = candidates[index]
    if cand.kind != "weekday" or index + 1 >= len(candidates):
        return None
    following, value = candidates[index + 1], values[index + 1]
    if following.kind not in ("day", "numeric") or value is None or len(value) != 10:
        return None
    if not _APPOSITION_GAP.fullmatch(text, cand.end, following.start):
        return None
    same_day = date.fromisoformat(value).weekday() == _weekday_number(cand.match.groupdict())
    return value if same_day else None


def _candidates(text: str) -> Iterator[_Candidate]:
    """Anchored matches at trigger words: one pass over the words, no scan per pattern."""
    for word in _WORD.finditer(text):
        token = word.group()
        if token[0].isdigit():
            kinds = _DIGIT_KINDS.get(len(token), ())
        else:
            kinds = _TRIGGERS.get(token.lower(), ())
            if not kinds and len(token) <= 5 and _ROMAN_LETTERS.issuperset(token):
                kinds = _ROMAN_KINDS
        for kind in kinds:
            match = _PATTERNS[kind].match(text, word.start())
            if match is not None:
                cand = _accept(kind, match, text)
                if cand is not None:
                    yield cand


def _select(candidates: Iterator[_Candidate]) -> list[_Candidate]:
    """Longest candidates first; ties go to the earlier (more specific) pattern."""
    ordered = sorted(candidates, key=lambda c: (c.start, -(c.end - c.start), _KIND_ORDER[c.kind]))
    chosen: list[_Candidate] = []
    for cand in ordered:
        if chosen and cand.start < chosen[-1].end:
            continue
        chosen.append(cand)
    return chosen


def _left(pattern: re.Pattern[str], text: str, start: int) -> re.Match[str] | None:
    return pattern.search(text, max(0, start - _LEFT_WINDOW), start)


def _accept(kind: str, match: re.Match[str], text: str) -> _Candidate | None:
    """Checks a pattern cannot make: what stands before it, and whether a bare form is a date.

    A modifier or season before the match («наприкінці 2015 року», «навесні цього року»)
    joins the span; a bare preposition is a cue but stays outside it («у жовтні» → «жовтні»).
    """
    groups = match.groupdict()
    start, end = match.start(), match.end()
    if kind == "weekday":
        left = _left(_LEFT_WEEKDAY, text, start)
        genitive = groups["wdg"] is not None
        if left is None or (left.group("wqg") is not None) != genitive:
            return None  # «в неділю», «минулої неділі»; not «неділі» or «у неділі»
        group = "wqg" if genitive else "wq"
        qualifier = left.group(group)
        return _Candidate(kind, left.start(group) if qualifier else start, end, match, qualifier)
    if kind == "year_span":
        left = _left(_LEFT_SPAN, text, start)
        ok = left is not None and int(groups["y2"]) > int(groups["y"])
        return _Candidate(kind, left.start(), end, match) if ok and left else None
    if kind not in _TAKES_LEFT:
        return _Candidate(kind, start, end, match) if _valid(kind, match, text) else None
    left = _left(_LEFT, text, start)
    prep = left.group("prep") if left else None
    mod = left.group("mod") if left else None
    season = left.group("season") if left else None
    if season is not None and kind not in ("year", "relative_year"):
        season = None
    if kind == "month" and not _month_has_cue(match, prep, mod):
        return None
    if kind == "year" and not _year_has_cue(match, text, prep, mod or season):
        return None
    if kind == "decade" and not _valid(kind, match, text):
        return None
    if left is not None and (mod or season):
        start = left.start("mod") if mod else left.start("season")
    return _Candidate(kind, start, end, match, season)


_TAKES_LEFT = frozenset({"day", "month", "year", "decade", "century", "relative_year"})


def _valid(kind: str, match: re.Match[str], text: str) -> bool:
    groups = match.groupdict()
    if kind == "day":
        return groups["d"] is None or 1 <= int(groups["d"]) <= 31
    if kind == "century":
        return groups["roman"] is None or _roman(groups["roman"]) is not None
    if kind == "decade" and len(groups["dec"]) == 2:
        # «90-х» is a decade after «у», «з», «на початку» or before «років»; «10-х класів» is not
        return bool(_DECADE_YEARS.search(match.group().rstrip(" ."))) or bool(
            _PREPOSITION_BEFORE.search(text, max(0, match.start() - 16), match.start())
        )
    return True


_PREPOSITION_BEFORE = re.compile(
    r"(?<!\w)(?:у|в|з|із|до|від|після|протягом|впродовж|початку|кінця|середини|наприкінці)\s+$",
    re.IGNORECASE,
)
_PLURAL_YEARS = re.compile(r"(?:років|роки|роках)$", re.IGNORECASE)
_DECADE_YEARS = re.compile(r"(?:років|роки|роках|рр)$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"\s*(?:[,.;:!?)»\"”]|$)")


def _year_has_cue(match: re.Match[str], text: str, prep: str | None, modifier: str | None) -> bool:
    """A four-digit number is a year with a year word, a suffix, a range or a cue around it.

    «1000 км», «2000 гривень» and «понад 1500 років» (a count of years) are not dates;
    «у 2015,» is one.
    """
    groups = match.groupdict()
    first = int(groups["y"])
    if groups["y2"] is not None:
        return 0 < int(groups["y2"]) - first < 100
    tail = match.group()[match.end("y") - match.start() :].strip()
    if _PLURAL_YEARS.search(tail):
        return False
    if tail or modifier is not None:
        return True
    return 1800 <= first <= 2100 and prep is not None and bool(_CLAUSE_END.match(text, match.end()))


def _month_has_cue(match: re.Match[str], prep: str | None, modifier: str | None) -> bool:
    """A month name alone is a date only with a preposition, a modifier or a year.

    «грудні» is also an adjective (грудні діти) and «лютий» one: a preposition before it
    («у грудні», «з лютого») settles it; a nominative needs «на», «по», «за» or a year.
    """
    groups = match.groupdict()
    if groups["y"] is not None or groups["ry"] is not None:
        return True
    if prep is None and modifier is None:
        return False
    case = _MONTHS[groups["mon"].lower()][1]
    return case != 0 or (prep or "").lower() in ("на", "по", "за")


def _explicit_year(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    for key in ("y", "iy"):
        value = groups.get(key)
        if value:
            return int(value)
    return None


def _text_year(explicit_years: list[tuple[int, int]], position: int) -> int | None:
    """The year the text last named before `position`, else the first it names at all."""
    index = bisect_right(explicit_years, (position, _MAX_YEAR))
    if index:
        return explicit_years[index - 1][1]
    return explicit_years[0][1] if explicit_years else None


# --------------------------------------------------------------------------- resolution


def _resolve(cand: _Candidate, context: _Context) -> str | None:
    groups = cand.match.groupdict()
    kind = cand.kind
    if kind == "numeric":
        return _numeric(groups)
    if kind == "day":
        return _day(groups, context)
    if kind == "month":
        return _month(groups, context)
    if kind == "year":
        return _year(groups, cand.qualifier)
    if kind == "year_span":
        return f"{groups['y']}/{groups['y2']}"
    if kind == "decade":
        return _decade(groups["dec"])
    if kind == "century":
        return _century(groups)
    if kind == "relative_year":
        return _relative_year(groups, cand.qualifier, context)
    if kind == "relative_period":
        return _relative_period(groups, context)
    if kind == "relative_day":
        shift = _RELATIVE_DAYS[" ".join(groups["word"].lower().split())]
        return _iso(context.reference, shift)
    if kind == "ago":
        return _ago(groups, context)
    if kind == "anaphoric":
        return _anaphoric(groups, context)
    if kind == "weekday":
        return _weekday(groups, cand.qualifier, context)
    return _quarter(groups, context)


def _iso(day: date | None, shift: int = 0) -> str | None:
    return None if day is None else (day + timedelta(days=shift)).isoformat()


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def _numeric(groups: dict[str, Any]) -> str | None:
    if groups["iy"] is not None:
        found = _safe_date(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
    else:
        found = _safe_date(int(groups["y"]), int(groups["m"]), int(groups["d"]))
    return found.isoformat() if found else None


def _year_of(groups: dict[str, Any], context: _Context) -> int | None:
    """The year a month or day expression carries itself («2025 року», «минулого року»)."""
    if groups.get("y"):
        return int(groups["y"])
    relative = groups.get("ry")
    if relative:
        word = relative.lower()
        if word in _ANAPHORIC_YEAR:
            return context.last_year
        if context.reference is not None:
            return context.reference.year + _REL_YEAR_SHIFT[word]
    return None


def _nearest_year(month: int, day: int, context: _Context) -> int | None:
    """The year for a day without one: nearest to the reference, a day ahead counting twice."""
    if context.reference is None:
        return context.text_year
    ref = context.reference
    best: tuple[int, int] | None = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        candidate = _safe_date(year, month, min(day, calendar.monthrange(year, month)[1]))
        if candidate is None:
            continue
        delta = (candidate - ref).days
        cost = delta * 2 if delta > 0 else -delta
        if best is None or cost < best[0]:
            best = (cost, year)
    return best[1] if best else None


def _day(groups: dict[str, Any], context: _Context) -> str | None:
    month = _MONTHS[groups["mon"].lower()][0]
    if groups["ord"] is not None:
        day = _ordinal_day(groups["ord"])
        if day is None:
            return None
    else:
        day = int(groups["d"])
    year = _year_of(groups, context)
    if year is None and not groups.get("ry"):
        year = _nearest_year(month, day, context)
    if year is None:
        return None
    first = _safe_date(year, month, day)
    if first is None:
        return None
    if groups["d2"]:
        last = _safe_date(year, month, int(groups["d2"]))
        if last is None or last <= first:
            return None
        return f"{first.isoformat()}/{last.isoformat()}"
    return first.isoformat()


def _ordinal_day(word: str) -> int | None:
    lowered = re.sub(r"\s+", " ", word.lower()).replace("’", "'").replace("ʼ", "'")
    stem = re.sub(r"(?:ого|ього|ому)$", "", lowered)
    return _ORDINAL_STEMS.get(stem)


def _month(groups: dict[str, Any], context: _Context) -> str | None:
    month = _MONTHS[groups["mon"].lower()][0]
    year = _year_of(groups, context)
    if year is None and not groups.get("ry"):
        year = _nearest_year(month, 15, context)
    return None if year is None else f"{year:04d}-{month:02d}"


def _year(groups: dict[str, Any], season: str | None) -> str:
    if groups["y2"]:
        return f"{groups['y']}/{groups['y2']}"
    if season:
        return _season(season, int(groups["y"]))
    return groups["y"]  # type: ignore[no-any-return]


def _season(word: str, year: int) -> str:
    lowered = word.lower()
    for stem, (first, last) in _SEASON_MONTHS.items():
        if stem in lowered:
            return f"{year:04d}-{first:02d}/{year:04d}-{last:02d}"
    return f"{year:04d}"  # winter straddles two years: the year is all that is sure


def _decade(word: str) -> str:
    start = int(word)
    if start < 100:
        start += 1900
    return f"{start:04d}/{start + 9:04d}"


def _roman(word: str) -> int | None:
    total = 0
    previous = 0
    for char in reversed(word.upper().translate(_LOOKALIKES)):
        value = _ROMAN_VALUES.get(char)
        if value is None:
            return None
        total += -value if value < previous else value
        previous = max(previous, value)
    return total if 1 <= total <= 21 else None


def _century(groups: dict[str, Any]) -> str | None:
    number = _roman(groups["roman"]) if groups["roman"] else int(groups["cn"])
    if number is None or not 1 <= number <= 21:
        return None
    return f"{(number - 1) * 100 + 1:04d}/{number * 100:04d}"


def _relative_year(groups: dict[str, Any], season: str | None, context: _Context) -> str | None:
    word = (groups["ry"] or groups["ryl"] or groups["ryn"] or groups["ryw"]).lower()
    if word in _ANAPHORIC_YEAR:
        year = context.last_year
    elif context.reference is None:
        return None
    else:
        year = context.reference.year + _REL_YEAR_SHIFT[word]
    if year is None:
        return None
    return _season(season, year) if season else f"{year:04d}"


def _relative_period(groups: dict[str, Any], context: _Context) -> str | None:
    word = (groups["rel"] or groups["rell"]).lower()
    period = (groups["per"] or groups["perl"]).lower()
    if word in _ANAPHORIC_YEAR:
        anchor = context.last_day
        shift = 0
    else:
        anchor = context.reference
        shift = _REL_YEAR_SHIFT[word]
    if anchor is None:
        return None
    if period.startswith("місяц"):
        month_index = anchor.year * 12 + anchor.month - 1 + shift
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=shift)
    return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"


def _count(word: str | None, unit: str) -> int | None:
    """1 for a bare singular unit («рік тому»), the number for digits and number words.

    None when vague: «кілька місяців тому», or a bare plural («багато років тому»).
    """
    if word is None:
        return 1 if unit.lower() in _SINGULAR_UNITS else None
    lowered = word.lower().replace("’", "'").replace("ʼ", "'")
    if lowered.isdigit():
        return int(lowered)
    if lowered in _VAGUE_NUMBERS:
        return None
    return _NUMBER_WORDS.get(lowered)


def _shift(anchor: date, count: int, unit: str) -> str | None:
    unit = unit.lower()
    if unit.startswith(("д", "доб")):
        return (anchor + timedelta(days=count)).isoformat()
    if unit.startswith("тиж"):
        return (anchor + timedelta(weeks=count)).isoformat()
    if unit.startswith("місяц"):
        index = anchor.year * 12 + anchor.month - 1 + count
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    year = anchor.year + count
    return f"{year:04d}" if 1 <= year <= 9999 else None


def _ago(groups: dict[str, Any], context: _Context) -> str | None:
    if groups["fwd"] is not None:
        count = _count(groups["n2"], groups["unit2"])
        unit = groups["unit2"]
        sign = 1
        anchor = context.reference
    else:
        count = _count(groups["n"], groups["unit"])
        unit = groups["unit"]
        direction = " ".join(groups["dir"].lower().split())
        sign = -1 if direction in ("тому", "раніше") else 1
        anchor = context.reference if direction == "тому" else context.last_day
    if anchor is None or count is None or count == 0:
        return None
    return _shift(anchor, sign * count, unit)


def _anaphoric(groups: dict[str, Any], context: _Context) -> str | None:
    if context.last_day is None:
        return None
    if groups["same"] is not None:
        return context.last_day.isoformat()
    if groups["next"] is not None:
        return _iso(context.last_day, 1)
    count = _count(groups["n"], groups["unit"])
    if count is None or count == 0:
        return None
    return _shift(context.last_day, -count, groups["unit"])


def _weekday_number(groups: dict[str, Any]) -> int:
    """Monday is 0, as `date.weekday` counts."""
    word = (groups["wd"] or groups["wdg"]).lower().replace("’", "'").replace("ʼ", "'")
    return next(number for stem, number in _WEEKDAYS.items() if word.startswith(stem))


def _weekday(groups: dict[str, Any], qualifier: str | None, context: _Context) -> str | None:
    if context.reference is None:
        return None
    weekday = _weekday_number(groups)
    qualifier = (qualifier or "").lower()
    ref = context.reference
    back = (ref.weekday() - weekday) % 7
    if qualifier.startswith("наступн"):
        ahead = (weekday - ref.weekday()) % 7 or 7
        return _iso(ref, ahead)
    if qualifier.startswith("минул"):
        return _iso(ref, -(back or 7))
    if qualifier.startswith("ц"):
        return _iso(ref - timedelta(days=ref.weekday()), weekday)
    return _iso(ref, -back)


def _quarter(groups: dict[str, Any], context: _Context) -> str | None:
    word = groups["q"].upper().translate(_LOOKALIKES)
    number = _roman(word) if word.isalpha() and set(word) <= {"I", "V"} else None
    if number is None:
        lowered = groups["q"].lower()
        number = int(lowered) if lowered.isdigit() else None
        for index, stem in enumerate(("перш", "друг", "трет", "четверт"), start=1):
            if lowered.startswith(stem):
                number = index
    year = _year_of(groups, context)
    if number is None or year is None or not 1 <= number <= 4:
        return None
    first = (number - 1) * 3 + 1
    return f"{year:04d}-{first:02d}/{year:04d}-{first + 2:02d}"
