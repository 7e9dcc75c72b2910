"""Index keys: every word of an article as its lemma, aligned word for word with the text.

One word of text gives exactly one key, and the key is a single run of letters and digits,
so SQLite's FTS5 tokenizer reads it back as exactly one token. That alignment is what lets a
snippet mark the matched words of the original text from the stored keys alone: the text is
re-split with the same regex and zipped with the keys, with no morphology at query time.

Words split at hyphens (військово-транспортний is two keys), and keep inner apostrophes
(пов'язати, with ’ ʼ ` read as '); stress marks are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any, Protocol

from strichka.records import Article
from strichka.store.base import SearchDocument

_LETTERS = r"(?:[^\W_]|[\u0300-\u036f])"
WORD = re.compile(rf"[^\W_]{_LETTERS}*(?:['’ʼ`]{_LETTERS}+)*")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})


class Lemmatiser(Protocol):
    """What the index needs from morphology (strichka.nlp.morph.Morphology fits)."""

    def lemma(self, word: str) -> str: ...

    def reading(self, word: str) -> Any | None:
        """The word's best dictionary reading; None for a capitalised word it does not know."""
        ...


# Case endings of Ukrainian nouns, longest first: what a name the dictionary does not know
# («Асія», «Бондерман») loses so that all its forms meet on one key.
_NAME_ENDINGS_TEXT = "ами ями ові еві єві ою ею єю ам ям ах ях ом ем єм а я у ю і ї е є и о"
_NAME_ENDINGS = tuple(sorted(_NAME_ENDINGS_TEXT.split(), key=len, reverse=True))
_MIN_NAME_STEM = 3
_CYRILLIC = re.compile(r"[а-яіїєґ]")


def words(text: str) -> Iterator[re.Match[str]]:
    """The words of `text` in order, as matches (their spans locate them in the text)."""
    return WORD.finditer(text)


def clean_word(word: str) -> str:
    """The form handed to the lemmatiser: composed, without stress marks, with ' apostrophes."""
    return _COMBINING.sub("", unicodedata.normalize("NFC", word)).translate(_APOSTROPHES)


def fold(text: str) -> str:
    """Lower case letters and digits only: the shape of every key and prefix."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def word_key(word: str, lemmatiser: Lemmatiser) -> str:
    """The index key of one word: its folded lemma, or the folded word if that is empty; a
    capitalised Cyrillic word the dictionary does not know (a foreign name) has no lemma to
    give, so it is keyed by its stem: «Асії», «Асію», «Асія» all find each other."""
    cleaned = clean_word(word)
    if cleaned[:1].isupper() and lemmatiser.reading(cleaned) is None:
        return name_stem(fold(cleaned))
    return fold(lemmatiser.lemma(cleaned)) or fold(cleaned)


def name_stem(key: str) -> str:
    """A Cyrillic key without its case ending (if a stem of 3 letters is left)."""
    if not _CYRILLIC.search(key):
        return key
    for ending in _NAME_ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= _MIN_NAME_STEM:
            return key[: -len(ending)]
    return key


def text_keys(text: str, lemmatiser: Lemmatiser) -> list[str]:
    return [word_key(match.group(), lemmatiser) for match in words(text)]


def body_text(article: Article) -> str:
    """The text that is indexed and snippeted besides the title: the lead, then the body."""
    return "\n\n".join(part for part in (article.lead or "", article.body_text) if part)


def search_document(article: Article, lemmatiser: Lemmatiser) -> SearchDocument:
    return SearchDocument(
        article_id=article.id,
        title_terms=" ".join(text_keys(article.title, lemmatiser)),
        body_terms=" ".join(text_keys(body_text(article), lemmatiser)),
    )
