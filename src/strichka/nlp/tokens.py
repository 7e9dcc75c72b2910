"""Tokens and sentences with exact character offsets into the original text.

Later analyses (entities, dates, quotes) report spans into the article text, so every token
keeps `start`/`end` such that `text[start:end] == token.text`. Everything here is one regex
pass plus one loop over the tokens, so time stays linear in the length of the text.

Tokenisation choices:
- a word keeps inner apostrophes (пов'язано, п’ять, пʼять) and inner hyphens
  (військово-транспортний, Іл-76, COVID-19); stress marks (U+0301) stay inside the word;
- a token that starts with a digit is a "number": 10, 3,5, 12.10.2025, 12:30, 2025-го, 10-15;
- a percent sign is its own "symbol" token (10% → "10" + "%"), so numbers stay plain numbers;
- runs of . ? ! … are one "punct" token ("...", "?!"); other punctuation is one character each;
- a URL (http://, https://, www.) is one "symbol" token, so its dots never end a sentence;
- anything else that is not a letter, digit or space (%, №, $, emoji) is a "symbol".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

TokenKind = Literal["word", "number", "punct", "symbol"]


@dataclass(frozen=True, slots=True)
class Token:
    """One token; `start`/`end` are character offsets into the original text."""

    text: str
    start: int
    end: int
    kind: TokenKind


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its span in the text and its tokens."""

    start: int
    end: int
    tokens: tuple[Token, ...]


# Letters, digits, underscore and combining marks (stress accents) make up words.
_W = r"[\w\u0300-\u036f]"
# Inner joiners: apostrophes, hyphens, and . , : only between digits (3,5; 12.10.2025; 12:30).
_JOINER = r"(?:[-\u2010\u2011'’`]|(?<=\d)[.,:](?=\d))"
# URL characters; trailing punctuation belongs to the sentence, not the URL.
_URL_CHAR = r"[^\s<>«»\"“”„.,;:!?)\]'’]"
_URL_PUNCT = r"[.,;:!?)\]'’]"
# Possessive quantifiers (*+, ++) never give back what they matched, so there is nothing to
# backtrack into: matching stays linear even on megabytes of one word.
_TOKEN = re.compile(
    rf"(?P<url>(?:https?://|www\.)(?:{_URL_CHAR}++|{_URL_PUNCT}++(?={_URL_CHAR}))*+)"
    rf"|(?P<word>{_W}++(?:{_JOINER}{_W}++)*+)"
    r"|(?P<stop>[.?!…]++)"
    r"|(?P<other>\S)"
)
_LINE_BREAK = re.compile(r"[\n\r\v\f\x85\u2028\u2029]")

_TERMINALS = frozenset(".?!…")
# Closing marks that may follow the terminal punctuation of a sentence: «Ні.» "Ні!" „Ні?“
_CLOSERS = frozenset("»\"”“’')]")
_DASHES = frozenset("-–—‒―")
# Unicode calls these punctuation, but in text they stand for things, like % or №.
_SYMBOL_PUNCTUATION = frozenset("%‰‱#&*@§†‡")
_CONTINUERS = frozenset(",;:")

# Lowercased words that, followed by a period, abbreviate a word rather than end a sentence
# (Ukrainian and Russian): addresses, units, titles, references. Single letters (м., с., р.,
# initials В., Ю.) are abbreviations by rule and are not listed.
_ABBREVIATION_WORDS = """
вул ул просп пров пл бульв буд кв корп обл р-н смт сщ пос наб ст рр тис тыс млн млрд трлн
коп ім им зв проф акад доц ген св див напр порівн пор табл рис розд гл стор ред вид зб
англ рос укр нім франц лат дж ол вл
"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
# After "т." these end a list ("і т. д.", "т. п.", "т. ін."), so they may end a sentence.
_LIST_ENDINGS = frozenset({"д", "п", "ін"})
# Lowercase one-letter words that can end a sentence ("так воно і є.", "це я.").
_ONE_LETTER_WORDS = frozenset({"є", "я"})


def _kind(match: re.Match[str]) -> TokenKind:
    group = match.lastgroup
    if group == "word":
        return "number" if match.group()[0].isdigit() else "word"
    if group == "stop":
        return "punct"
    if group == "url":
        return "symbol"
    char = match.group()
    if char in _SYMBOL_PUNCTUATION:
        return "symbol"
    return "punct" if unicodedata.category(char)[0] == "P" else "symbol"


def tokenize(text: str, *, offset: int = 0) -> list[Token]:
    """Split `text` into tokens; `offset` is added to every position (text is a slice)."""
    return [
        Token(m.group(), m.start() + offset, m.end() + offset, _kind(m))
        for m in _TOKEN.finditer(text)
    ]


def _is_abbreviation(tokens: list[Token], stop: int) -> bool:
    """Whether the period at `tokens[stop]` belongs to the word right before it."""
    if stop == 0 or tokens[stop].text != ".":
        return False
    word = tokens[stop - 1]
    if word.kind != "word" or word.end != tokens[stop].start:
        return False
    lower = word.text.lower()
    if lower in _LIST_ENDINGS and stop >= 3 and tokens[stop - 3].text.lower() == "т":
        return False
    if len(word.text) == 1:
        return word.text not in _ONE_LETTER_WORDS
    return lower in _ABBREVIATIONS


def _starts_new_sentence(tokens: list[Token], nxt: int) -> bool:
    """Whether the token after terminal punctuation can open a sentence.

    A lowercase word, a comma or a dash followed by a lowercase word continue the same
    sentence: «"Ні?", - спитав він», «"Ні!" - сказала вона».
    """
    first = tokens[nxt].text[0]
    if first.islower() or first in _CONTINUERS:
        return False
    if first in _DASHES and nxt + 1 < len(tokens):
        return not tokens[nxt + 1].text[0].islower()
    return True


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences; line breaks always end a sentence.

    A sentence ends at . ? ! … (plus adjacent closing quotes or brackets) when whitespace
    and a plausible sentence start follow, except after abbreviations and initials
    (т.зв., вул., млн., В. Зеленський, Дж. Байден) and a lone leading list number ("1.").
    """
    tokens = tokenize(text)
    sentences: list[Sentence] = []
    begin = 0
    i = 0
    n = len(tokens)
    while i < n:
        if i > begin and _LINE_BREAK.search(text, tokens[i - 1].end, tokens[i].start):
            sentences.append(_sentence(tokens, begin, i))
            begin = i
        tok = tokens[i]
        if tok.kind == "punct" and tok.text[0] in _TERMINALS:
            last = i
            while (
                last + 1 < n
                and tokens[last + 1].text in _CLOSERS
                and tokens[last + 1].start == tokens[last].end
            ):
                last += 1
            nxt = last + 1
            if (
                nxt < n
                and tokens[nxt].start > tokens[last].end
                and not _LINE_BREAK.search(text, tokens[last].end, tokens[nxt].start)
                and not _is_abbreviation(tokens, i)
                and not (i == begin + 1 and tokens[begin].kind == "number")
                and _starts_new_sentence(tokens, nxt)
            ):
                sentences.append(_sentence(tokens, begin, nxt))
                begin = nxt
            i = nxt
            continue
        i += 1
    if begin < n:
        sentences.append(_sentence(tokens, begin, n))
    return sentences


def _sentence(tokens: list[Token], begin: int, end: int) -> Sentence:
    return Sentence(tokens[begin].start, tokens[end - 1].end, tuple(tokens[begin:end]))
