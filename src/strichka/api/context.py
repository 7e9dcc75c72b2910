"""What the web app holds for its lifetime: settings, morphology, entity resources.

Built once by `create_app` and kept on `app.state`, never in module globals. The store is
opened per request: SQLite connections may not cross threads, and FastAPI runs each sync
route in a worker thread of its own choosing; opening a WAL database costs well under a
millisecond.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from strichka.config import Settings
from strichka.nlp.entities import EntityResources, recognise
from strichka.records import Article, Mention
from strichka.search import Lemmatiser, index_pending
from strichka.store import MediaStore, SQLiteStore

_MENTION_CACHE = 2048


@dataclass(frozen=True, slots=True)
class ArticleMentions:
    """Entity mentions of an article, per part: offsets are into that part's text."""

    title: tuple[Mention, ...]
    lead: tuple[Mention, ...]
    blocks: tuple[tuple[Mention, ...], ...]

    def names(self) -> list[tuple[str, str]]:
        """Distinct (canonical name, label) pairs in order of first mention."""
        seen: dict[str, str] = {}
        for part in (self.title, self.lead, *self.blocks):
            for mention in part:
                seen.setdefault(mention.canonical, mention.label)
        return list(seen.items())


@runtime_checkable
class RelatedStories(Protocol):
    """A store that knows which stories relate to a story (from strichka.stories, to come)."""

    def related_stories(self, story_id: str, *, limit: int) -> list[str]:
        """Ids of live stories related to `story_id`, most related first."""
        ...


class EntityRecord(Protocol):
    """An entity as an entity store keeps it."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def aliases(self) -> Sequence[str]: ...


@runtime_checkable
class EntityReader(Protocol):
    """A store that keeps entities and where they occur (from the nlp layer, to come)."""

    def list_entities(self, *, limit: int, offset: int) -> Sequence[EntityRecord]:
        """Entities, most mentioned first."""
        ...

    def get_entity(self, entity_id: str) -> EntityRecord:
        """Raise NotFound for an unknown id."""
        ...

    def entity_stories(self, entity_id: str, *, limit: int) -> list[str]:
        """Ids of the stories that mention the entity, newest first."""
        ...


class MentionCache:
    """Entity mentions per article, recognised on first view; bounded, shared by threads."""

    def __init__(self, resources: EntityResources, *, size: int = _MENTION_CACHE) -> None:
        self._resources = resources
        self._size = size
        self._items: OrderedDict[str, ArticleMentions] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, article: Article) -> ArticleMentions:
        key = article.content_hash
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        found = ArticleMentions(
            title=self._find(article.title),
            lead=self._find(article.lead or ""),
            blocks=tuple(self._find(block.text) for block in article.blocks),
        )
        with self._lock:
            self._items[key] = found
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return found

    def _find(self, text: str) -> tuple[Mention, ...]:
        return tuple(recognise(text, resources=self._resources))


@dataclass(frozen=True, eq=False)
class AppContext:
    settings: Settings
    lemmatiser: Lemmatiser
    mentions: MentionCache

    @contextmanager
    def store(self) -> Iterator[SQLiteStore]:
        with SQLiteStore(self.settings.db_path) as store:
            yield store

    @property
    def media(self) -> MediaStore:
        return MediaStore(self.settings.media_path)

    def refresh_index(self, store: SQLiteStore) -> int:
        """Index what any writer stored since the last search (see strichka.search.service)."""
        return index_pending(store, self.lemmatiser)
