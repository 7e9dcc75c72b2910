"""The query language, parsed into an FTS5 expression over lemma keys.

    Путіну Венесуела          both words (in any inflection)
    Путін OR Сі               either; `|` works too
    Мадуро NOT Трамп          the first without the second; `-Трамп` works too
    "військова допомога"      the words next to each other, in this order (any inflection)
    венесуел*                 any lemma that starts so
    (Путін OR Сі) Мадуро      parentheses group

Every word becomes a quoted FTS5 string, so nothing a user types can reach FTS5's own syntax.
A lowercase word is also looked up capitalised, because the lemmatiser keeps an unknown
capitalised word (a foreign surname) as it is but guesses at the same word in lowercase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from strichka.errors import InputError
from strichka.search.terms import Lemmatiser, fold, word_key, words

MAX_QUERY_CHARS = 500
MAX_TERMS = 32

_TOKEN = re.compile(r'\s*(?:(?P<open>\()|(?P<close>\))|"(?P<phrase>[^"]*)"|(?P<word>[^\s()"]+))')


class MalformedQuery(InputError):
    """A search query that cannot be read: unbalanced quotes or parentheses, a lone NOT.

    `reason_uk` says the same in Ukrainian, for the web search page.
    """

    code = "E106"

    def __init__(self, message: str, reason_uk: str) -> None:
        super().__init__(message, source="query")
        self.reason_uk = reason_uk


@dataclass(frozen=True, slots=True)
class Highlight:
    """Which index keys a snippet marks: exact keys, and key prefixes."""

    keys: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def matches(self, key: str) -> bool:
        return key in self.keys or any(key.startswith(p) for p in self.prefixes)


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    match: str
    """The FTS5 expression."""
    highlight: Highlight


@dataclass(slots=True)
class _Parser:
    lemmatiser: Lemmatiser
    tokens: list[tuple[str, str]]
    position: int = 0
    terms: int = 0
    keys: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def or_expr(self) -> str | None:
        parts = [self.and_expr()]
        while (token := self.peek()) is not None and token in (("word", "OR"), ("word", "|")):
            self.take()
            parts.append(self.and_expr())
        kept = [p for p in parts if p]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else "(" + " OR ".join(kept) + ")"

    def and_expr(self) -> str | None:
        included: list[str] = []
        excluded: list[str] = []
        while (token := self.peek()) is not None and token != ("close", ")"):
            if token in (("word", "OR"), ("word", "|")):
                break
            if token in (("word", "AND"), ("word", "&")):
                self.take()
                continue
            negated = token == ("word", "NOT")
            if negated:
                self.take()
                if self.peek() is None:
                    raise MalformedQuery(
                        "NOT must be followed by what to leave out",
                        "після NOT має стояти те, що виключити",
                    )
            elif token[0] == "word" and token[1].startswith("-") and len(token[1]) > 1:
                negated = True
                self.tokens[self.position] = ("word", token[1][1:])
            part = self.primary(collect=not negated)
            if part:
                (excluded if negated else included).append(part)
        if excluded and not included:
            raise MalformedQuery(
                "NOT needs a word to keep: «Мадуро NOT Трамп», not «NOT Трамп»",
                "NOT потребує слова, яке шукати: «Мадуро NOT Трамп», а не «NOT Трамп»",
            )
        if not included:
            return None
        expression = included[0] if len(included) == 1 else "(" + " AND ".join(included) + ")"
        if excluded:
            expression += " NOT " + (
                excluded[0] if len(excluded) == 1 else "(" + " OR ".join(excluded) + ")"
            )
        return f"({expression})" if excluded else expression

    def primary(self, *, collect: bool) -> str | None:
        kind, text = self.take()
        if kind == "open":
            inner = self.or_expr()
            if self.peek() != ("close", ")"):
                raise MalformedQuery(
                    "a parenthesis is opened but not closed", "дужку відкрито, але не закрито"
                )
            self.take()
            return inner
        if kind == "close":
            raise MalformedQuery(
                "a parenthesis is closed but was not opened", "дужку закрито, але не відкрито"
            )
        if kind == "phrase":
            return self.phrase(text, collect=collect)
        if text.endswith("*") and len(text) > 1:
            return self.prefix(text.rstrip("*"), collect=collect)
        return self.phrase(text, collect=collect, alternatives=True)

    def count(self) -> None:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise MalformedQuery(
                f"a query may have at most {MAX_TERMS} words",
                f"у запиті може бути не більше {MAX_TERMS} слів",
            )

    def prefix(self, text: str, *, collect: bool) -> str | None:
        stem = fold(text)
        if not stem:
            return None
        self.count()
        if collect:
            self.prefixes.append(stem)
        return f'"{stem}"*'

    def phrase(self, text: str, *, collect: bool, alternatives: bool = False) -> str | None:
        found = [m.group() for m in words(text)]
        if not found:
            return None
        keys = []
        for word in found:
            self.count()
            keys.append(word_key(word, self.lemmatiser))
        if collect:
            self.keys.update(keys)
        if len(found) == 1 and alternatives and not found[0][:1].isupper():
            variants = dict.fromkeys((keys[0], word_key(found[0].capitalize(), self.lemmatiser)))
            if collect:
                self.keys.update(variants)
            if len(variants) > 1:
                return "(" + " OR ".join(f'"{key}"' for key in variants) + ")"
        return '"' + " ".join(keys) + '"'


def parse_query(text: str, lemmatiser: Lemmatiser) -> ParsedQuery:
    """Raise MalformedQuery when `text` is empty, too long, or not well formed."""
    if len(text) > MAX_QUERY_CHARS:
        raise MalformedQuery(
            f"a query may be at most {MAX_QUERY_CHARS} characters long",
            f"запит може мати не більше {MAX_QUERY_CHARS} символів",
        )
    if text.count('"') % 2:
        raise MalformedQuery(
            "a quotation mark is opened but not closed", "лапки відкрито, але не закрито"
        )
    tokens = [
        (str(m.lastgroup), m.group(str(m.lastgroup)))
        for m in _TOKEN.finditer(text)
        if m.lastgroup is not None
    ]
    parser = _Parser(lemmatiser, tokens)
    expression = parser.or_expr()
    if parser.peek() is not None:
        raise MalformedQuery(
            "a parenthesis is closed but was not opened", "дужку закрито, але не відкрито"
        )
    if expression is None:
        raise MalformedQuery("the query has no words to look for", "у запиті немає слів для пошуку")
    return ParsedQuery(expression, Highlight(frozenset(parser.keys), tuple(parser.prefixes)))
