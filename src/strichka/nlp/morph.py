"""Lemmas and name forms from pymorphy3's Ukrainian dictionary.

pymorphy3 returns every reading of a word form, unranked for Ukrainian (all dictionary
readings score 1.0), so `Morphology.lemma` ranks them by these rules, in order:

1. higher pymorphy score (dictionary readings beat guesses from unknown-word analysers);
2. capitalisation: a capitalised word prefers readings tagged as a person's name (Name,
   Surn, Patr), a lowercase word prefers the others (олена, the deer);
3. readings marked archaic, slang, informal, alternative spelling or plural-only come last
   (мостів → міст, not the plural-only мости);
4. a lemma from a short hand-written list of frequent news words wins over a rare homograph
   (року → рік, not рок; світу → світ, not світа; мати → мати, not мата);
5. part of speech: closed classes (preposition, conjunction, particle, pronoun: до is not
   the musical note), then noun, adjective, verb, the rest (дорогу → дорога, not дорогий);
6. pymorphy's own order.

Capitalised words the dictionary does not know keep their own form (lowercased) as lemma:
the guessers mangle foreign surnames (Сторі → стор).

The analyser is built once by the caller (it loads ~25 MB of dictionaries) and passed in; each
`Morphology` keeps bounded caches because news text repeats its words.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

NamePart = Literal["first", "surname", "patronymic"]

_PROPER = frozenset({"Name", "Surn", "Patr"})
# Archaic, slang, informal, alternative-spelling and plural-only (Pltm) readings: the
# dictionary lists plural-only homonyms for many plurals (мости, табори, новини) that are far
# rarer than the plural of the countable noun (міст, табір, новина).
_DISPREFERRED = frozenset({"Arch", "Slng", "Infr", "alt", "Pltm"})
# Closed-class readings first: a form that can be a preposition or conjunction is one (до,
# про, та are not the musical note or a noun); then noun, adjective, verb, the rest.
_POS_RANK = {
    "PREP": 0,
    "CONJ": 0,
    "PRCL": 0,
    "NPRO": 0,
    "NOUN": 1,
    "ADJF": 2,
    "VERB": 3,
    "INFN": 3,
}
# Frequent lemmas of Ukrainian news that share word forms with rarer words.
_FREQUENT_LEMMAS_TEXT = """
рік світ мати стати бути день час країна місто війна влада право закон сила мир область
район край рада уряд суд справа питання слово кінець життя держава гроші тиждень місяць ніч
ранок вечір бік раз рух хід людина люди вода земля армія партія сторона голова посол дім
"""
_FREQUENT_LEMMAS = frozenset(_FREQUENT_LEMMAS_TEXT.split())
_NAME_PARTS: tuple[tuple[str, NamePart], ...] = (
    ("Name", "first"),
    ("Patr", "patronymic"),
    ("Surn", "surname"),
)


def _is_dictionary(parse: Any) -> bool:
    """Whether pymorphy found the form in its dictionary rather than guessing it."""
    return len(parse.methods_stack) == 1 and type(parse.methods_stack[0][0]).__name__ == (
        "DictionaryAnalyzer"
    )


def with_case_of(form: str, model: str) -> str:
    """Write `form` with the capitalisation of `model`, hyphen part by hyphen part."""
    if model.isupper() and len(model) > 1:
        return form.upper()
    parts = form.split("-")
    models = model.split("-")
    if len(parts) != len(models):
        return form.capitalize() if model[:1].isupper() else form
    return "-".join(
        part.capitalize() if original[:1].isupper() else part
        for part, original in zip(parts, models, strict=True)
    )


class Morphology:
    """Lemmas, name parts and nominative forms over a `pymorphy3.MorphAnalyzer(lang="uk")`."""

    def __init__(self, analyzer: Any, *, cache_size: int = 65536) -> None:
        self._analyzer = analyzer
        self._parses = lru_cache(maxsize=cache_size)(self._parse)
        self._readings = lru_cache(maxsize=cache_size)(self._reading)

    def parses(self, word: str) -> tuple[Any, ...]:
        """All pymorphy3 readings of `word`, unranked (cached)."""
        return self._parses(word)

    def lemma(self, word: str) -> str:
        """The lowercase lemma of `word` by the ranking rules of this module."""
        best = self._readings(word)
        return word.lower() if best is None else str(best.normal_form)

    def reading(self, word: str) -> Any | None:
        """The best-ranked reading of `word`, None for a capitalised unknown word (cached)."""
        return self._readings(word)

    def _parse(self, word: str) -> tuple[Any, ...]:
        try:
            return tuple(self._analyzer.parse(word))
        except ValueError:  # pymorphy3 fails on characters that have no Unicode name
            return ()

    def _rank(self, word: str) -> list[Any]:
        capitalised = word[:1].isupper()

        def key(item: tuple[int, Any]) -> tuple[float, bool, bool, bool, int, int]:
            index, parse = item
            grammemes = parse.tag.grammemes
            proper = not grammemes.isdisjoint(_PROPER)
            return (
                -parse.score,
                proper != capitalised,
                not grammemes.isdisjoint(_DISPREFERRED),
                parse.normal_form not in _FREQUENT_LEMMAS,
                _POS_RANK.get(parse.tag.POS, 4),
                index,
            )

        return [parse for _, parse in sorted(enumerate(self.parses(word)), key=key)]

    def _reading(self, word: str) -> Any | None:
        ranked = self._rank(word)
        if not ranked or (word[:1].isupper() and not _is_dictionary(ranked[0])):
            return None
        return ranked[0]

    def is_name_part(self, word: str) -> NamePart | None:
        """Whether the dictionary knows `word` as a first name, patronymic or surname.

        Only dictionary readings count (guesses would call any capitalised word a name); a
        first-name reading wins over a patronymic, which wins over a surname (Іванович).
        """
        grammemes: set[str] = set()
        for parse in self.parses(word):
            if _is_dictionary(parse):
                grammemes |= parse.tag.grammemes
        for grammeme, part in _NAME_PARTS:
            if grammeme in grammemes:
                return part
        return None

    def nominative(self, word: str) -> str | None:
        """`word` as a name in the nominative with its capitalisation (Путіна → Путін).

        None when no dictionary reading of `word` is a name part; the word itself when one
        of its name readings already is nominative (Мадуро, Веласкес).
        """
        names = [
            parse
            for parse in self._rank(word)
            if _is_dictionary(parse) and not parse.tag.grammemes.isdisjoint(_PROPER)
        ]
        if not names:
            return None
        if any("nomn" in parse.tag.grammemes for parse in names):
            return word
        for parse in names:
            inflected = parse.inflect({"nomn"})
            if inflected is not None:
                return with_case_of(str(inflected.word), word)
        return None
