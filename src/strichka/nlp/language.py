"""Language of an article and of its paragraphs: "uk", "ru", "en", "other" or "und".

No model and nothing downloaded: the decision rests on facts about the writing systems that
a reader of these languages would use.

0. Links, e-mail addresses, @handles and #hashtags are not prose and are left out.
1. Script: count words by script. Mostly neither Cyrillic nor Latin → "other".
2. Cyrillic: each word votes for Ukrainian when it has a letter only Ukrainian uses
   (і ї є ґ, or an apostrophe inside the word: пов'язано), a doubled consonant before я/ю/і
   (питання, життя), or is a frequent Ukrainian function word that Russian lacks (що, як,
   від, та, але ...); for Russian likewise (ы э ё, ъ before е ё ю я; endings -ая -ое -ее
   -ие -ия -ии that Ukrainian spells -а -е -є -іє -ія -ії; что, как, от, но ...); for another
   Cyrillic language (Belarusian ў, Serbian ј љ њ, Kazakh ә қ, Bulgarian ът ...) likewise.
   Most votes wins; a tie between Ukrainian and Russian goes to Ukrainian, the prior of a
   Ukrainian news aggregator.
3. Latin: "en" when frequent English function words make up a good share of the Latin words
   (running English text is about half function words); otherwise "other", unless there are
   enough Cyrillic words to decide by them (a Ukrainian post with an English name list).

Fewer than four words of letters give "und": no detector is reliable that short, so
`detect_paragraph_languages` decides short or undecided paragraphs by the whole article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

MIN_WORDS = 4
"""Below this many words of letters a text is too short to decide on its own."""

# Share of English function words above which Latin-script text is English. Running English
# text is about 40-50% function words from a list like the one below; other Latin-script
# languages share only a few of them by accident.
_ENGLISH_SHARE = 0.15

# A word: letters (any script) with inner apostrophes or hyphens. Possessive quantifiers give
# nothing back, so matching stays linear.
_WORD = re.compile(r"[^\W\d_]++(?:['’ʼ`\-][^\W\d_]++)*+")

# Links, e-mail addresses, @handles and #hashtags: not prose, often in another language.
# The e-mail branch only starts after whitespace, so a long run without spaces is scanned once.
_NOT_PROSE = re.compile(r"(?:https?://|www\.)\S*|(?<!\S)[^\s@]+@\S+|[@#]\w+")

_CYRILLIC = re.compile(r"[\u0400-\u052f\u1c80-\u1c8f]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_UK_LETTERS = frozenset("іїєґ")
# A doubled consonant before я ю і є: the Ukrainian neuter nouns питання, життя, зілля (Russian
# writes -ние, -тие instead).
_UK_GEMINATE = re.compile(r"([бвгджзклмнпрстфхцчшщ])\1[яюієї]")
# Russian adjective and noun endings that Ukrainian spells otherwise: -ая -яя -ое -ее (uk -а -я
# -е -є), -ие -ия -ии -ию (uk -іє -ія -ії -ію).
_RU_ENDINGS = ("ая", "яя", "ое", "ее", "ие", "ия", "ии", "ию")
_RU_LETTERS = frozenset("ыэё")
# Russian writes ъ only before е ё ю я (объявил); Bulgarian writes it elsewhere (продължат).
_RU_HARD_SIGN = re.compile("ъ[еёюя]")
_OTHER_HARD_SIGN = re.compile("ъ(?![еёюя])")
# Cyrillic letters of Belarusian, Serbian, Macedonian, Kazakh, Tajik, ... but not of uk or ru.
_OTHER_CYRILLIC_LETTERS = frozenset("ўђјљњћџѓќѕәғқңөұүһӣӯҳҷӏ")
_APOSTROPHES = frozenset("'’ʼ`")
# Latin look-alikes typed inside Cyrillic words (Україна with a Latin i).
_HOMOGLYPHS = str.maketrans({"i": "і", "ï": "ї", "I": "І", "Ï": "Ї"})

# Frequent function words that belong to one language only; words that are written the same
# in both (на, не, за, до, по, все, для, так) are deliberately absent.
_UK_WORDS_TEXT = """
й та що як від але або чи щоб аби бо коли де хто який яка яке які якого якої яких якщо
він вона воно вони ми ви цей ця це ці цього цієї цих цьому ним нею вже ще лише тільки
дуже також тому після через під між із зі був була було були буде будуть має мають може
можна треба немає нема щодо навіть адже проте тобто саме тоді зараз сьогодні року році
кажуть каже сказав заявив повідомив повідомляє свій своїх собі мене тебе нього неї
"""
_RU_WORDS_TEXT = """
и что как от но или ли чтобы когда где кто какой какая какое какие если
он она оно они мы вы этот эта это эти этого этой этих этому уже еще ещё лишь только очень
также поэтому после через под между из со был была было были будет будут может можно
нужно нет даже ведь однако тогда сейчас сегодня года году говорят говорит сказал заявил
сообщил сообщает свой своих себя меня тебя него нее неё при пока против с к ни чем
"""
_OTHER_CYRILLIC_WORDS_TEXT = "че се са във със съм към този тази които който"
_ENGLISH_WORDS_TEXT = """
the of and to that for with was were by it its at from are be been this these have has had
or not but will would could should said which who whom their they he she we you his her
him our us after about more than also into when there what all one new over up out if can
just only other such how while because against
"""
_UK_WORDS = frozenset(_UK_WORDS_TEXT.split())
_RU_WORDS = frozenset(_RU_WORDS_TEXT.split()) - _UK_WORDS
_OTHER_CYRILLIC_WORDS = frozenset(_OTHER_CYRILLIC_WORDS_TEXT.split())
_ENGLISH_WORDS = frozenset(_ENGLISH_WORDS_TEXT.split())


@dataclass(slots=True)
class _Evidence:
    """Counts gathered from one text; `decide` turns them into a language."""

    words: int = 0
    cyrillic: int = 0
    latin: int = 0
    other_script: int = 0
    uk: int = 0
    ru: int = 0
    other_cyrillic: int = 0
    english: int = 0

    def decide(self) -> str | None:
        """The language, "und" when too short, None when Cyrillic with no uk/ru majority.

        Latin-script words that are not English (names, brands, transliterations) do not
        outvote enough Cyrillic words to decide on.
        """
        if self.words < MIN_WORDS:
            return "und"
        if self.other_script > self.cyrillic + self.latin:
            return "other"
        if self.cyrillic < self.latin:
            if self.english >= _ENGLISH_SHARE * self.latin:
                return "en"
            if self.cyrillic < MIN_WORDS:
                return "other"
        if self.other_cyrillic > max(self.uk, self.ru):
            return "other"
        if self.uk == self.ru:
            return None
        return "uk" if self.uk > self.ru else "ru"


def _gather(text: str) -> _Evidence:
    evidence = _Evidence()
    # Each distinct word is judged once: news text repeats its words a lot.
    for word, count in Counter(_WORD.findall(_NOT_PROSE.sub(" ", text))).items():
        evidence.words += count
        if _CYRILLIC.search(word):
            evidence.cyrillic += count
            uk, ru, other = _cyrillic_votes(word)
            evidence.uk += count * uk
            evidence.ru += count * ru
            evidence.other_cyrillic += count * other
        elif _LATIN.search(word):
            evidence.latin += count
            evidence.english += count * (word.lower() in _ENGLISH_WORDS)
        else:
            evidence.other_script += count
    return evidence


def _cyrillic_votes(word: str) -> tuple[bool, bool, bool]:
    """Whether `word` is evidence for Ukrainian, for Russian, for another Cyrillic language."""
    lower = word.lower().translate(_HOMOGLYPHS)
    letters = set(lower)
    uk = (
        not letters.isdisjoint(_UK_LETTERS)
        or not letters.isdisjoint(_APOSTROPHES)
        or lower in _UK_WORDS
        or _UK_GEMINATE.search(lower) is not None
    )
    ru = (
        not letters.isdisjoint(_RU_LETTERS)
        or _RU_HARD_SIGN.search(lower) is not None
        or lower in _RU_WORDS
        or (len(lower) > 3 and lower.endswith(_RU_ENDINGS))
    )
    other = (
        not letters.isdisjoint(_OTHER_CYRILLIC_LETTERS)
        or _OTHER_HARD_SIGN.search(lower) is not None
        or lower in _OTHER_CYRILLIC_WORDS
    )
    return uk, ru, other


def letter_word_count(text: str) -> int:
    """How many words of letters `text` has (the unit of the four-word minimum)."""
    return sum(1 for _ in _WORD.finditer(text))


def detect_language(text: str) -> str:
    """ "uk", "ru", "en", "other", or "und" for text under four words of letters."""
    return _gather(text).decide() or "uk"


def detect_paragraph_languages(paragraphs: Sequence[str]) -> list[str]:
    """The language of each paragraph; short or undecided ones take the article's language."""
    article = detect_language("\n\n".join(paragraphs))
    languages = []
    for paragraph in paragraphs:
        own = _gather(paragraph).decide()
        languages.append(article if own in (None, "und") else own)
    return languages
