"""Plain text → body blocks: a line is a paragraph unless it reads as a sub-heading.

Aggregators and corpora flatten articles to lines; sub-headings survive only as short lines
that do not end a sentence. A heading always introduces text, so it is never the last block.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from strichka.errors import MalformedItem
from strichka.records import Block, collapse_spaces

_ENTITY = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
    r"|&(?:nbsp|quot|amp|lt|gt)(?![A-Za-z0-9;])"
)


def unescape_entities(text: str) -> str:
    """«&quot;Газпрому&quot;» → «"Газпрому"»: text scraped from pages often keeps the HTML
    entities; complete ones (with «;») change, and the five that pages write without it
    («14:19 &nbsp 9 Января»), so «AT&T» or «R&D» stay as written."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: html.unescape(m.group()), text)


_SENTENCE_END = tuple(".!?…:;,\"»”“'’)]")
_MAX_HEADING_CHARS = 120
_MAX_HEADING_WORDS = 14


def is_heading_line(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= _MAX_HEADING_WORDS
        and len(line) <= _MAX_HEADING_CHARS
        and not line.endswith(_SENTENCE_END)
        and line[0].isupper()
    )


_SEE_ALSO = re.compile(
    r"(?:(?:читайте|дивіться|слухайте)\s+(?:також|также)|читайте\s+нас\s+[ув]\s"
    r"|також\s+(?:читайте|дивіться)(?!\w))",
    re.IGNORECASE,
)
# A consent notice speaks of cookies to the reader («Ми використовуємо файли cookie…»,
# «Продолжая просмотр…», «By continuing… you agree»); news about cookies does not address
# the reader in the same short line.
_COOKIES = re.compile(r"\b(?:cookies?|куки|кукі|кукис)\b", re.IGNORECASE)
_ADDRESSING_READER = re.compile(
    r"\b(?:ми|мы|we|наш\w*|our|цей|этот|this|продовжуючи|продолжая|continuing|ви|вы|you)\b",
    re.IGNORECASE,
)
_MAX_NOTICE_CHARS = 400


def is_site_chrome(line: str) -> bool:
    """A line the site wraps around every article, not the article: «Читайте також: …»,
    «Читайте нас у Telegram», a cookie consent notice."""
    if _SEE_ALSO.match(line) is not None:
        return True
    return (
        len(line) <= _MAX_NOTICE_CHARS
        and _COOKIES.search(line) is not None
        and _ADDRESSING_READER.search(line) is not None
    )


# A listing page's time (and date) that a scraper kept in front of or after a headline:
# «09.07.2018 18:09 : Тереза Мей…», «11:35 В Пакистане…», «Безвихідний вихід… 16.11 18:30».
# After the title a time alone is left («Матч почнеться о 18:30» ends with one).
_CLOCK = r"(?:[01]?\d|2[0-3]):[0-5]\d"
_DAY = r"\d{1,2}\.\d{1,2}(?:\.\d{2,4})?"
_STAMP_BEFORE = re.compile(rf"^(?:{_DAY}\s+)?{_CLOCK}(?::[0-5]\d)?\s*[:|–—-]?\s+(?=\S)")
_STAMP_AFTER = re.compile(rf"\s+{_DAY},?\s+{_CLOCK}$")


def without_timestamps(title: str) -> str:
    """The headline without a listing's time stamp around it; as written if nothing else
    would be left."""
    stripped = _STAMP_AFTER.sub("", _STAMP_BEFORE.sub("", title))
    return stripped if any(c.isalpha() for c in stripped) else title


def blocks_from_lines(lines: Sequence[str]) -> tuple[Block, ...]:
    cleaned = [collapse_spaces(line) for line in lines]
    cleaned = [line for line in cleaned if line and not is_site_chrome(line)]
    blocks: list[Block] = []
    for index, line in enumerate(cleaned):
        followed_by_text = index + 1 < len(cleaned)
        heading = followed_by_text and is_heading_line(line)
        blocks.append(Block("heading" if heading else "paragraph", line))
    return tuple(blocks)


def blocks_from_text(text: str) -> tuple[Block, ...]:
    return blocks_from_lines(text.splitlines())


def check_sizes(
    title: str, blocks: Sequence[Block], *, source: str, max_title_chars: int, max_body_chars: int
) -> None:
    """Refuse items whose title or body is implausibly large rather than store junk."""
    if not title:
        raise MalformedItem("the item has no title", source=source)
    if len(title) > max_title_chars:
        raise MalformedItem(
            f"the title is {len(title)} characters long (limit {max_title_chars})", source=source
        )
    body_chars = sum(len(b.text) for b in blocks)
    if body_chars > max_body_chars:
        raise MalformedItem(
            f"the body is {body_chars} characters long (limit {max_body_chars})", source=source
        )
