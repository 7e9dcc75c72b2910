"""What the web app holds for its lifetime: settings, language resources, the story index.

Built once by `create_app` and kept on `app.state`, never in module globals. The store is
opened per request: SQLite connections may not cross threads, and FastAPI runs each sync
route in a worker thread of its own choosing; opening a WAL database costs well under a
millisecond.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from strichka.config import Settings
from strichka.nlp.analysis import LanguageResources
from strichka.pipeline import Stages
from strichka.records import Article
from strichka.search import Lemmatiser, index_pending
from strichka.store import MediaStore, SQLiteStore
from strichka.stories.engine import StoryEngine, load_index
from strichka.stories.features import Analyzer
from strichka.stories.index import StoryIndex, StoryParams
from strichka.stories.summary import (
    RelatedStory,
    StorySummary,
    related_stories,
    summarise,
    typical_article,
)

RELOAD_SHARE = 0.1
"""At most this share of wall time goes to reloading the story index while writers run."""
SUMMARIES_KEPT = 256
"""Story summaries kept between index reloads: the stories readers are on right now."""
TYPICAL_KEPT = 4096
"""Stories' typical articles kept between index reloads: every story on the pages being read."""

_Kept = TypeVar("_Kept")


class EntityRecord(Protocol):
    """An entity as an entity store keeps it."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> Sequence[str]: ...
    @property
    def mentions(self) -> int: ...


class EntityReader(Protocol):
    """What the entity pages and endpoints need of a store (SQLite now, PostgreSQL later)."""

    def list_entities(self, *, kind: str | None, limit: int, offset: int) -> Sequence[EntityRecord]:
        """Entities, most mentioned first; only those of `kind` when given."""
        ...

    def get_entity(self, entity_id: str) -> EntityRecord:
        """Raise NotFound for an unknown id."""
        ...

    def entity_stories(self, entity_id: str, *, limit: int) -> list[str]:
        """Ids of the stories that mention the entity, newest first."""
        ...


class StoryReader:
    """Story summaries and related stories for readers, over strichka.stories.

    Both read the clustering state (IDF weights, the warm stories' centroids) that writers
    keep in the store, so it lives here rather than in the store: it is loaded on first use
    and again when the store's story version has moved on. Reloads are spaced by at least
    1/RELOAD_SHARE times the last one's duration: on a small store every page sees the
    newest state, and on a large one a busy poller cannot make every page pay for a reload.

    A summary reads every article of its story, so summaries are kept (the most recently read
    SUMMARIES_KEPT) until the index reloads: a story's summary changes only when the stored
    stories do, and that is what moves the index on. The article each story is headlined by
    (`typical`, whose title its page and «Інші новини» show too) is kept the same way.
    """

    def __init__(self, analyzer: Analyzer, params: StoryParams | None = None) -> None:
        self.analyzer = analyzer
        self.params = params or StoryParams()
        self._lock = threading.Lock()
        self._index: StoryIndex | None = None
        self._version: tuple[int, int] | None = None
        self._next_reload = 0.0
        self._summaries: OrderedDict[str, StorySummary] = OrderedDict()
        self._typical: OrderedDict[str, Article] = OrderedDict()

    def index(self, store: SQLiteStore) -> StoryIndex:
        with self._lock:
            now = time.monotonic()
            if self._index is None or now >= self._next_reload:
                version = store.story_version()
                if self._index is None or version != self._version:
                    self._index = load_index(store, self.params)
                    self._version = version
                    self._summaries.clear()
                    self._typical.clear()
                    took = time.monotonic() - now
                    self._next_reload = time.monotonic() + took / RELOAD_SHARE
            return self._index

    def summary(self, store: SQLiteStore, story_id: str) -> StorySummary:
        """Raise NotFound for an unknown story; a merged-away id resolves."""
        index = self.index(store)
        story_id = store.resolve_story(story_id)
        made = self._kept(
            self._summaries,
            SUMMARIES_KEPT,
            story_id,
            index,
            lambda: summarise(
                store,
                story_id,
                analyzer=self.analyzer,
                index=index,
                typical_of=lambda other: self.typical(store, other),
            ),
        )
        assert made is not None  # summarise returns a summary or raises
        return made

    def related_stories(
        self, store: SQLiteStore, story_id: str, *, limit: int
    ) -> list[RelatedStory]:
        """The stories most like `story_id`, most related first, never itself."""
        return related_stories(
            store,
            self.index(store),
            story_id,
            k=limit,
            typical_of=lambda other: self.typical(store, other),
        )

    def typical(self, store: SQLiteStore, story_id: str) -> Article | None:
        """The article a live story (by its own id) is headlined by, as its page shows it;
        None if that article is no longer stored."""
        index = self.index(store)
        return self._kept(
            self._typical,
            TYPICAL_KEPT,
            story_id,
            index,
            lambda: typical_article(store, index, story_id),
        )

    def _kept(
        self,
        cache: OrderedDict[str, _Kept],
        size: int,
        story_id: str,
        index: StoryIndex,
        make: Callable[[], _Kept | None],
    ) -> _Kept | None:
        """What `make` gives for a story, kept (the `size` most recently read) while the
        index that made it is the current one."""
        with self._lock:
            kept = cache.get(story_id)
            if kept is not None:
                cache.move_to_end(story_id)
                return kept
        made = make()
        with self._lock:
            if self._index is index and made is not None:
                cache[story_id] = made
                while len(cache) > size:
                    cache.popitem(last=False)
        return made


@dataclass(frozen=True, eq=False)
class AppContext:
    settings: Settings
    lemmatiser: Lemmatiser
    language: LanguageResources
    stories: StoryReader
    writes: threading.Lock = field(default_factory=threading.Lock)
    """Held by the API's writes: one story engine at a time works on this server's store."""

    @contextmanager
    def store(self) -> Iterator[SQLiteStore]:
        with SQLiteStore(self.settings.db_path) as store:
            yield store

    @property
    def media(self) -> MediaStore:
        return MediaStore(self.settings.media_path)

    def stages(self, store: SQLiteStore) -> Stages:
        """The stages an import through the API runs, as `strichka import` does."""
        engine = StoryEngine.load(store, self.stories.analyzer, self.stories.params)
        return Stages(language=self.language, stories=engine, search=store)

    def refresh_index(self, store: SQLiteStore) -> int:
        """Index what any writer stored since the last search (see strichka.search.service)."""
        return index_pending(store, self.lemmatiser)
