"""One HTML page → Article, with the body chosen by agreement between independent extractors.

No single boilerplate remover is right on every site: trafilatura in precision mode drops
real paragraphs on some pages, in recall mode keeps link lists on others, and readability and
jusText fail in their own, different ways. Each of four extractors proposes a body and the one
that agrees most with the other three wins (a medoid vote over word shingles). A wrong body is
rarely confirmed by extractors built on other ideas, so the vote needs no per-site rules.

Page facts (canonical URL, dates, image, language) come from the page's own declarations
(`<link rel=canonical>`, Open Graph, JSON-LD) first and trafilatura's metadata second.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime, time, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import justext
import lxml.html
from lxml import etree
from trafilatura import bare_extraction, load_html
from trafilatura.readability_lxml import Document as ReadabilityDocument
from trafilatura.settings import Document as TrafilaturaDocument

from strichka.errors import EmptyInput, MalformedItem
from strichka.extract.text import is_site_chrome
from strichka.records import (
    DAY_PRECISION,
    Article,
    Block,
    BlockKind,
    Image,
    content_id,
    names_day_only,
    normalise_text,
    url_id,
    web_domain,
    within_calendar,
)

KYIV = ZoneInfo("Europe/Kyiv")

_WORD = re.compile(r"\w+")
_SHINGLE = 4
_LANG_TAG = re.compile(r"^([a-z]{2,3})(?:[-_].*)?$", re.IGNORECASE)

# jusText judges a paragraph by its share of stop words, so it needs the page's language.
# Languages a Ukrainian news reader meets; anything else uses the union of the first three.
_JUSTEXT_STOPLISTS = {
    "uk": "Ukrainian",
    "ru": "Russian",
    "en": "English",
    "pl": "Polish",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "cs": "Czech",
    "sk": "Slovak",
    "be": "Belarusian",
    "bg": "Bulgarian",
    "ro": "Romanian",
    "hu": "Hungarian",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "et": "Estonian",
    "tr": "Turkish",
    "nl": "Dutch",
    "sv": "Swedish",
    "fi": "Finnish",
    "da": "Danish",
    "ka": "Georgian",
    "hr": "Croatian",
    "sr": "Serbian",
}
_FALLBACK_STOPLISTS = ("English", "Ukrainian", "Russian")

# Where pages declare their publication time, strongest first (all lower-cased keys).
_PUBLISHED_KEYS = (
    "article:published_time",
    "article:published",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.created",
    "date",
)
_IMAGE_KEYS = ("og:image:secure_url", "og:image", "og:image:url", "twitter:image", "image")
_DESCRIPTION_KEYS = ("og:description", "description", "twitter:description")
_SITE_NAME_KEYS = ("og:site_name", "application-name")
# A host name, with or without a port: «news.example.ua», «127.0.0.1:8765», «localhost:8000».
_HOST_NAME = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?|[a-z0-9-]+:\d+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Markup:
    """Which tags of a tree hold blocks, headings, table rows and line breaks."""

    blocks: frozenset[str]
    headings: frozenset[str]
    rows: frozenset[str]
    cells: frozenset[str]
    breaks: frozenset[str]
    skipped: frozenset[str] = field(default_factory=frozenset)


# trafilatura's TEI-like output.
_TEI = _Markup(
    blocks=frozenset(
        {"doc", "body", "main", "div", "p", "head", "list", "item", "quote", "table", "row"}
        | {"cell", "code"}
    ),
    headings=frozenset({"head"}),
    rows=frozenset({"row"}),
    cells=frozenset({"cell"}),
    breaks=frozenset({"lb"}),
)
_HTML_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# readability's HTML output.
_HTML = _Markup(
    blocks=_HTML_HEADINGS
    | frozenset(
        {"html", "body", "main", "article", "section", "header", "footer", "aside", "nav", "div"}
        | {"p", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "figure", "figcaption"}
        | {"table", "thead", "tbody", "tfoot", "tr", "td", "th", "form", "center", "address"}
    ),
    headings=_HTML_HEADINGS,
    rows=frozenset({"tr"}),
    cells=frozenset({"td", "th"}),
    breaks=frozenset({"br"}),
    skipped=frozenset({"script", "style", "noscript", "template"}),
)


class Candidate(NamedTuple):
    """One extractor's proposed body."""

    name: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class _PageFacts:
    """What the page declares about itself in <html>, <meta>, <link> and JSON-LD."""

    lang: str | None
    meta: Mapping[str, str]
    canonical: str | None
    published: tuple[str, ...]


def read_html(
    text: str, *, source: str, url: str | None = None, default_tz: tzinfo = KYIV
) -> Article:
    """Read one article page; `default_tz` places a publication time that names no zone.

    Raises EmptyInput for a blank page and MalformedItem for a page with no article text,
    and nothing else whatever the input.
    """
    if not text.strip():
        raise EmptyInput("the HTML page is empty", source=source)
    tree = _parse(text)
    if tree is None:
        raise MalformedItem("the input is not an HTML page", source=source)
    facts = _page_facts(tree)
    _drop_noscript(tree)
    meta_doc, precise = _trafilatura(tree, url, precision=True, with_metadata=True)
    language = _language(facts, meta_doc)
    candidates = (
        Candidate("trafilatura-precision", precise),
        Candidate("trafilatura-recall", _trafilatura(tree, url, precision=False)[1]),
        Candidate("readability", _readability(tree)),
        Candidate("justext", _justext(tree, language)),
    )
    chosen = choose_by_agreement(candidates)
    blocks = tuple(block for block in chosen.blocks if not is_site_chrome(block.text))
    title = _title(meta_doc, blocks)
    blocks = _without_leading_title(blocks, title)
    if not blocks:
        raise MalformedItem("no article text was found in the page", source=source)

    canonical_url = _absolute(facts.canonical or facts.meta.get("og:url"), url)
    page_url = canonical_url or _absolute(url, None)
    published, day_only = _published(facts, meta_doc, default_tz)
    metadata: dict[str, Any] = {"extractor": chosen.name}
    if day_only:
        metadata.update(DAY_PRECISION)
    image = _first(facts.meta, _IMAGE_KEYS) or _doc_field(meta_doc, "image")
    image_url = _absolute(image, url or canonical_url)
    lead = _lead(_first(facts.meta, _DESCRIPTION_KEYS), title, blocks)
    return Article(
        id=url_id(page_url) if page_url else content_id(title, lead, blocks),
        title=title,
        blocks=blocks,
        lead=lead,
        url=url,
        canonical_url=canonical_url,
        outlet=_site_name(facts, meta_doc),
        outlet_domain=web_domain(page_url),
        image=Image(url=image_url) if image_url else None,
        published_at=published,
        language=language,
        authors=_authors(_doc_field(meta_doc, "author")),
        source_format="html",
        metadata=metadata,
    )


def choose_by_agreement(candidates: Sequence[Candidate]) -> Candidate:
    """The candidate whose text overlaps most with all the others (ties: the earliest).

    Overlap is the F1 of shared 4-word shingles, the same unit the extraction benchmark
    scores, so a candidate wins by containing what the others also found and little else.
    """
    shingles = [_shingles(" ".join(b.text for b in c.blocks)) for c in candidates]
    sizes = [sum(s.values()) for s in shingles]

    def agreement(i: int) -> float:
        total = 0.0
        for j, other in enumerate(shingles):
            if j != i and sizes[i] + sizes[j]:
                total += 2 * sum((shingles[i] & other).values()) / (sizes[i] + sizes[j])
        return total

    best = max(range(len(candidates)), key=lambda i: (sizes[i] > 0, agreement(i), -i))
    return candidates[best]


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text.casefold())
    if len(tokens) < _SHINGLE:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + _SHINGLE]) for i in range(len(tokens) - _SHINGLE + 1))


# --- the four extractors: each returns () rather than fail, the vote goes on without it ---


def _guarded(extract: Callable[[], tuple[Block, ...]]) -> tuple[Block, ...]:
    """Run one extractor; any failure of the third-party code means 'no proposal'.

    lxml, trafilatura, readability and jusText raise a wide, undocumented range of errors
    (ValueError, ParserError, IndexError, RecursionError ...) on hostile pages.
    """
    try:
        return extract()
    except Exception:
        return ()


def _trafilatura(
    tree: lxml.html.HtmlElement, url: str | None, *, precision: bool, with_metadata: bool = False
) -> tuple[TrafilaturaDocument | None, tuple[Block, ...]]:
    """trafilatura's document (for metadata) and its body as blocks, in precision or recall mode.

    `fast` turns off trafilatura's own readability/jusText fallback: those algorithms vote
    separately, and a trafilatura body that is secretly readability's would count it twice.
    """
    try:
        doc = bare_extraction(
            deepcopy(tree),
            url=url,
            fast=True,
            favor_precision=precision,
            favor_recall=not precision,
            with_metadata=with_metadata,
            include_comments=False,
            include_formatting=True,
        )
    except Exception:  # see _guarded
        return None, ()
    if not isinstance(doc, TrafilaturaDocument) or doc.body is None:
        return None, ()
    body = doc.body
    return doc, _guarded(lambda: _tree_blocks(body, _TEI))


def _readability(tree: lxml.html.HtmlElement) -> tuple[Block, ...]:
    def extract() -> tuple[Block, ...]:
        summary = ReadabilityDocument(deepcopy(tree), min_text_length=25).summary()
        return _tree_blocks(lxml.html.fromstring(summary), _HTML) if summary.strip() else ()

    return _guarded(extract)


def _justext(tree: lxml.html.HtmlElement, language: str | None) -> tuple[Block, ...]:
    def extract() -> tuple[Block, ...]:
        known = _JUSTEXT_STOPLISTS.get(language or "")
        names = (known,) if known else _FALLBACK_STOPLISTS
        stoplist = frozenset().union(*(justext.get_stoplist(n) for n in names))
        paragraphs = justext.core.ParagraphMaker.make_paragraphs(
            justext.core.preprocessor(deepcopy(tree))
        )
        # jusText's defaults, as `justext.justext` applies them to a page it parses itself.
        justext.core.classify_paragraphs(paragraphs, stoplist)
        justext.core.revise_paragraph_classification(paragraphs)
        return tuple(
            Block("heading" if p.is_heading else "paragraph", cleaned)
            for p in paragraphs
            if not p.is_boilerplate and (cleaned := _clean(p.text))
        )

    return _guarded(extract)


# --- tree → blocks ---


def _tree_blocks(root: etree._Element, markup: _Markup) -> tuple[Block, ...]:
    out: list[Block] = []
    _walk(root, markup, out)
    return tuple(out)


def _walk(element: etree._Element, markup: _Markup, out: list[Block]) -> None:
    """Emit blocks in reading order; loose text between blocks becomes a paragraph."""
    kind: BlockKind = "heading" if element.tag in markup.headings else "paragraph"
    run = [element.text or ""]
    for child in element:
        if _is_block(child, markup):
            _emit(out, kind, "".join(run))
            run = []
            if child.tag in markup.rows or not any(
                _is_block(d, markup) for d in child.iterdescendants()
            ):
                child_kind: BlockKind = "heading" if child.tag in markup.headings else "paragraph"
                _emit(out, child_kind, _inline_text(child, markup))
            else:
                _walk(child, markup, out)
        else:
            run.append(_inline_text(child, markup))
        run.append(child.tail or "")
    _emit(out, kind, "".join(run))


def _is_block(element: etree._Element, markup: _Markup) -> bool:
    return isinstance(element.tag, str) and element.tag in markup.blocks


def _inline_text(element: etree._Element, markup: _Markup) -> str:
    """The text under an element: line breaks kept, table cells joined with ' | '."""
    if not isinstance(element.tag, str) or element.tag in markup.skipped:
        return ""
    if element.tag in markup.breaks:
        return "\n"
    if element.tag in markup.rows:
        cells = (_clean(_inline_text(c, markup)).replace("\n", " ") for c in element)
        return " | ".join(c for c in cells if c)
    parts = [element.text or ""]
    for child in element:
        separator = "\n" if _is_block(child, markup) else ""
        parts += [separator, _inline_text(child, markup), separator, child.tail or ""]
    return "".join(parts)


def _emit(out: list[Block], kind: BlockKind, text: str) -> None:
    cleaned = _clean(text)
    if cleaned:
        out.append(Block(kind, cleaned))


def _clean(text: str | None) -> str:
    """Spaces collapsed within each line, blank lines dropped."""
    lines = (" ".join(line.split()) for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)


# --- page facts ---


def _parse(text: str) -> lxml.html.HtmlElement | None:
    try:
        tree = load_html(text)
    except Exception:  # lxml's errors on hostile input, see _guarded
        return None
    return tree if isinstance(tree, lxml.html.HtmlElement) else None


def _drop_noscript(tree: lxml.html.HtmlElement) -> None:
    """Drop <noscript>: its text is "enable JavaScript" banners, never the article."""
    for element in list(tree.iter("noscript")):
        element.drop_tree()


def _page_facts(tree: lxml.html.HtmlElement) -> _PageFacts:
    meta: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = (element.get("content") or "").strip()
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            # itemprop and property list tokens: itemprop="datePublished dateCreated"
            for key in (element.get(attribute) or "").lower().split():
                if content:
                    meta.setdefault(key, content)
    canonical = next(
        (
            href
            for link in tree.iter("link")
            if "canonical" in (link.get("rel") or "").lower().split()
            and (href := (link.get("href") or "").strip())
        ),
        None,
    )
    published = [meta[k] for k in _PUBLISHED_KEYS if k in meta]
    published += [
        t.get("datetime") or "" for t in tree.iter("time") if t.get("itemprop") == "datePublished"
    ]
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json":
            published += _json_ld_values(script.text or "", "datePublished")
    root = tree.getroottree().getroot()
    return _PageFacts(
        lang=root.get("lang") or root.get("xml:lang"),
        meta=meta,
        canonical=canonical,
        published=tuple(published),
    )


def _json_ld_values(text: str, key: str) -> list[str]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return []
    return [value for value in _find_key(data, key) if isinstance(value, str)]


def _find_key(data: Any, key: str) -> Iterator[Any]:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if key in item:
                yield item[key]
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _site_name(facts: _PageFacts, doc: TrafilaturaDocument | None) -> str | None:
    """The outlet's name as the page declares it, or None. trafilatura falls back to the
    URL's host (port included) or a domain in the <title>; a name that is only a host names
    no outlet, and would hide the poller's source name and the article's own domain."""
    name = _clean(_first(facts.meta, _SITE_NAME_KEYS) or _doc_field(doc, "sitename"))
    if not name or _HOST_NAME.fullmatch(name):
        return None
    return name


def _first(meta: Mapping[str, str], keys: Sequence[str]) -> str | None:
    return next((meta[k] for k in keys if meta.get(k)), None)


def _doc_field(doc: TrafilaturaDocument | None, name: str) -> str | None:
    value = getattr(doc, name, None)
    return value if isinstance(value, str) and value.strip() else None


def _absolute(link: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL, or None for anything else (javascript:, data:, garbage)."""
    if not link or not link.strip():
        return None
    try:
        resolved = urljoin(base or "", link.strip())
        parts = urlsplit(resolved)
    except ValueError:
        return None
    return resolved if parts.scheme in ("http", "https") and parts.netloc else None


def _language(facts: _PageFacts, doc: TrafilaturaDocument | None) -> str | None:
    for hint in (facts.lang, facts.meta.get("content-language"), facts.meta.get("og:locale")):
        match = _LANG_TAG.match((hint or "").strip())
        if match:
            return match.group(1).lower()
    fallback = _LANG_TAG.match(_doc_field(doc, "language") or "")
    return fallback.group(1).lower() if fallback else None


def _published(
    facts: _PageFacts, doc: TrafilaturaDocument | None, default_tz: tzinfo
) -> tuple[datetime | None, bool]:
    """The declared publication time, and whether it names only the day: a bare declared
    date, or trafilatura's day-level guess."""
    for value in facts.published:
        moment = _parse_datetime(value)
        if moment is not None:
            local = moment if moment.tzinfo else moment.replace(tzinfo=default_tz)
            return local, names_day_only(value)
    day = _parse_datetime(_doc_field(doc, "date") or "")
    if day is None:
        return None, False
    return datetime.combine(day.date(), time(), tzinfo=default_tz), True


def _parse_datetime(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return moment if within_calendar(moment) else None


def _title(doc: TrafilaturaDocument | None, blocks: Sequence[Block]) -> str:
    title = _clean(_doc_field(doc, "title")).replace("\n", " ")
    return title or next((b.text for b in blocks if b.kind == "heading"), "")


def _without_leading_title(blocks: tuple[Block, ...], title: str) -> tuple[Block, ...]:
    """Drop the title where the extractor repeated it as the body's first block."""
    if blocks and title and normalise_text(blocks[0].text) == normalise_text(title):
        return blocks[1:]
    return blocks


def _lead(description: str | None, title: str, blocks: Sequence[Block]) -> str | None:
    """The page's summary, unless it only repeats the title or the start of the body.

    Sites often fill the description with the first paragraph cut short, so its last word
    (maybe cut mid-word) is left out of the comparison.
    """
    lead = _clean(description).replace("\n", " ")
    words = normalise_text(lead).split()
    if not words or " ".join(words) == normalise_text(title):
        return None
    prefix = " ".join(words[:-1] if len(words) > 3 else words)
    body = normalise_text(" ".join(b.text for b in blocks))
    return None if body.startswith(prefix) else lead


def _authors(value: str | None) -> tuple[str, ...]:
    names = (_clean(n).replace("\n", " ") for n in (value or "").split(";"))
    return tuple(dict.fromkeys(n for n in names if n))
