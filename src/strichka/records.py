"""The typed, frozen records that move between stages.

Records are values: stages build new ones instead of mutating. Each serialises to plain JSON
and back without loss (`to_dict` / `from_dict`), which is what `strichka export` writes and
what workers will pass each other later.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, Literal, Self
from urllib.parse import urlsplit

BlockKind = Literal["paragraph", "heading"]
Label = Literal["PER", "ORG", "LOC", "MISC"]
Stance = Literal["reports", "confirms", "denies"]
CitationKind = Literal["outlet", "document"]

_SPACE_RUN = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_BARE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

DAY_PRECISION = {"published_precision": "day"}
"""An article's metadata when its source named the day of publication but no time of day."""


@dataclass(frozen=True, slots=True)
class Block:
    """One piece of an article body in reading order: a paragraph or a sub-heading."""

    kind: BlockKind
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Block:
        kind = data.get("kind", "paragraph")
        if kind not in ("paragraph", "heading"):
            raise ValueError(f"unknown block kind {kind!r}")
        return cls(kind=kind, text=str(data["text"]))


@dataclass(frozen=True, slots=True)
class Image:
    """The main image: where it lives, the aggregator's id for it, and our stored copy."""

    url: str
    content_id: str | None = None
    media_sha256: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"url": self.url, "content_id": self.content_id, "media_sha256": self.media_sha256}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Image:
        return cls(
            url=str(data["url"]),
            content_id=data.get("content_id"),
            media_sha256=data.get("media_sha256"),
        )


class _Flat:
    """JSON for records whose fields are all plain values: one key per field, same name."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True, slots=True)
class Mention(_Flat):
    """One entity mention; `start`/`end` are offsets into `Article.analysis_text`.

    `canonical` names the entity (resolved within the text and through the gazetteers);
    `nominative` is this mention's own base form (Британію → Британія even when the entity
    is «Велика Британія»). `role` is the cue before a person (президент США), if any.
    """

    text: str
    start: int
    end: int
    label: Label
    canonical: str
    role: str | None = None
    nominative: str = ""


@dataclass(frozen=True, slots=True)
class DateExpression(_Flat):
    """A date expression; `value` is an ISO date, month, year or interval, or None."""

    text: str
    start: int
    end: int
    value: str | None


@dataclass(frozen=True, slots=True)
class Citation(_Flat):
    """An outlet or document the text attributes information to, with the cue that does.

    `outlet` is the canonical outlet name, or a document's name in the nominative
    («внутрішні документи уряду США»); `start`/`end` span its mention in the text.
    """

    outlet: str
    cue: str
    sentence: str
    start: int
    end: int
    kind: CitationKind = "outlet"


@dataclass(frozen=True, slots=True)
class Quote(_Flat):
    """Quoted speech, without the marks; `speaker` is a canonical person or None."""

    speaker: str | None
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Role(_Flat):
    """A role the text gives `person` (canonical); `start`/`end` span the phrase as written."""

    person: str
    role: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Claim(_Flat):
    """Information a sentence attributes to `source`; `cites` is the source's own source."""

    text: str
    source: str
    stance: Stance
    start: int
    end: int
    cites: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation, place or other named thing, one across all articles."""

    id: str
    kind: Label
    name: str
    aliases: tuple[str, ...] = ()
    mentions: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "aliases": list(self.aliases),
            "mentions": self.mentions,
        }


def entity_id(kind: str, name: str) -> str:
    """The same canonical name of the same kind is the same entity, in any article."""
    return stable_id(f"entity:{kind}:{name}")


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the language layers found in an article; offsets index `Article.analysis_text`."""

    language: str
    paragraph_languages: tuple[str, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()
    entities: tuple[Mention, ...] = ()
    keywords: tuple[str, ...] = ()
    dates: tuple[DateExpression, ...] = ()
    citations: tuple[Citation, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    roles: tuple[Role, ...] = ()
    reference_date: date | None = None

    _LISTS: ClassVar[dict[str, type[_Flat]]] = {
        "entities": Mention,
        "dates": DateExpression,
        "citations": Citation,
        "quotes": Quote,
        "claims": Claim,
        "roles": Role,
    }

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "language": self.language,
            "paragraph_languages": list(self.paragraph_languages),
            "sentences": [{"start": start, "end": end} for start, end in self.sentences],
            "keywords": list(self.keywords),
            "reference_date": self.reference_date.isoformat() if self.reference_date else None,
        }
        for name in self._LISTS:
            data[name] = [item.to_dict() for item in getattr(self, name)]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Analysis:
        reference = data.get("reference_date")
        lists = {
            name: tuple(kind.from_dict(item) for item in data.get(name) or ())
            for name, kind in cls._LISTS.items()
        }
        return cls(
            language=str(data["language"]),
            paragraph_languages=tuple(data.get("paragraph_languages") or ()),
            sentences=tuple((int(s["start"]), int(s["end"])) for s in data.get("sentences") or ()),
            keywords=tuple(data.get("keywords") or ()),
            reference_date=date.fromisoformat(reference) if reference else None,
            **lists,  # type: ignore[arg-type]
        )


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, whatever form it arrived in.

    `id` is stable: derived from the canonical URL, else the aggregator's own item key, else
    the normalised content; or kept as given by the input (`id_from_input`). An id derived
    from anything is secondary to the canonical URL (one page, one article, however reached);
    an id the input gave is the article's identity, even when another article holds its URL
    (a corpus may file several articles under the PDF of a newspaper issue).
    """

    id: str
    title: str
    blocks: tuple[Block, ...] = ()
    lead: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    outlet_domain: str | None = None
    aggregator: str | None = None
    feed_id: int | None = None
    image: Image | None = None
    published_at: datetime | None = None
    language: str | None = None
    authors: tuple[str, ...] = ()
    source_format: str = "unknown"
    raw_sha256: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    analysis: Analysis | None = None
    id_from_input: bool = False

    @property
    def publisher(self) -> str | None:
        """Whom a reader is told the article is from: the outlet, else its web domain, else
        the aggregator that carried it. Lists, outlet filters and a story's outlet counts all
        name an article by this, so a link to an outlet always finds its articles."""
        return self.outlet or self.outlet_domain or self.aggregator or None

    @property
    def published_day_only(self) -> bool:
        """The source named the day of publication but no time of day."""
        return self.metadata.get("published_precision") == "day"

    @property
    def published_by(self) -> datetime | None:
        """The latest the article can have been published: its time, or for a day-only date
        the end of that day. Who reported first is decided by this, so a report known only
        by its day never beats one timed earlier that day."""
        if self.published_at is None or not self.published_day_only:
            return self.published_at
        return self.published_at + timedelta(days=1, seconds=-1)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if b.kind == "paragraph")

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if b.kind == "heading")

    @property
    def body_text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)

    @property
    def analysis_text(self) -> str:
        """The text the language layers read: title, lead, then each block, a blank line apart."""
        parts = [self.title, *([self.lead] if self.lead else []), *(b.text for b in self.blocks)]
        return "\n\n".join(parts)

    @property
    def content_hash(self) -> str:
        """Hash of what a reader sees, so a re-import can tell 'unchanged' from 'updated'."""
        return hash_content(self.title, self.lead, self.blocks)

    def with_changes(self, **changes: Any) -> Article:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "canonical_url": self.canonical_url,
            "outlet": self.outlet,
            "outlet_domain": self.outlet_domain,
            "aggregator": self.aggregator,
            "feed_id": self.feed_id,
            "title": self.title,
            "lead": self.lead,
            "blocks": [b.to_dict() for b in self.blocks],
            "image": self.image.to_dict() if self.image else None,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "language": self.language,
            "authors": list(self.authors),
            "source_format": self.source_format,
            "raw_sha256": self.raw_sha256,
            "metadata": dict(self.metadata),
            "analysis": self.analysis.to_dict() if self.analysis else None,
            # only when set, so the records stored before the field existed read the same
            **({"id_from_input": True} if self.id_from_input else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Article:
        """Inverse of `to_dict`; raises KeyError/ValueError/TypeError on a malformed dict."""
        published = data.get("published_at")
        feed_id = data.get("feed_id")
        image = data.get("image")
        return cls(
            id=str(data["id"]),
            title=str(data["title"]),
            blocks=tuple(Block.from_dict(b) for b in data.get("blocks") or ()),
            lead=data.get("lead"),
            url=data.get("url"),
            canonical_url=data.get("canonical_url"),
            outlet=data.get("outlet"),
            outlet_domain=data.get("outlet_domain"),
            aggregator=data.get("aggregator"),
            feed_id=int(feed_id) if feed_id is not None else None,
            image=Image.from_dict(image) if image else None,
            published_at=datetime.fromisoformat(published) if published else None,
            language=data.get("language"),
            authors=tuple(str(a) for a in data.get("authors") or ()),
            source_format=str(data.get("source_format") or "unknown"),
            raw_sha256=data.get("raw_sha256"),
            metadata=dict(data.get("metadata") or {}),
            analysis=Analysis.from_dict(data["analysis"]) if data.get("analysis") else None,
            id_from_input=bool(data.get("id_from_input")),
        )


@dataclass(frozen=True, slots=True)
class Rejected:
    """An item a stage dropped, and why: counted and reported, never silently lost."""

    source: str
    reason: str
    code: str = "E100"


def normalise_text(text: str) -> str:
    """Case-, space- and punctuation-insensitive form used for content identity."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


def content_hash(*parts: str) -> str:
    joined = "\x1f".join(normalise_text(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def hash_content(title: str, lead: str | None, blocks: tuple[Block, ...]) -> str:
    return content_hash(title, lead or "", "\n".join(b.text for b in blocks))


def content_id(title: str, lead: str | None, blocks: tuple[Block, ...]) -> str:
    """The id of an item that has no URL: the same text always gets the same id."""
    return stable_id("content:" + hash_content(title, lead, blocks))


def url_id(canonical_url: str) -> str:
    return stable_id("url:" + canonical_url)


def web_domain(url: str | None) -> str | None:
    """The site an address belongs to, as readers name it: lower case, no «www.», no port."""
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:
        return None
    host = (host or "").rstrip(".").removeprefix("www.")
    return host or None


def stable_id(identity_key: str) -> str:
    """A short, stable article id: 16 hex digits of the identity key's SHA-256."""
    return hashlib.sha256(identity_key.encode("utf-8")).hexdigest()[:16]


def names_day_only(published: str) -> bool:
    """Whether a publication time is a bare date («2025-10-20»): it is stored as midnight,
    which is not when the article was published, so it must be marked DAY_PRECISION."""
    return _BARE_DATE.fullmatch(published.strip()) is not None


def within_calendar(moment: datetime) -> bool:
    """Whether a publication time names a year that every zone, and the day's end, can be
    told in: «9999-12-31T23:59-12:00» is past the last moment Python can put in UTC, so it
    is no time an article can be stored, sorted or shown by."""
    return 1 < moment.year < 9999


def collapse_spaces(text: str) -> str:
    return _SPACE_RUN.sub(" ", text).strip()
