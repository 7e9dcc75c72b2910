"""Where articles live: the embedded SQLite store and the content-addressed media store."""

from strichka.store.base import ArticleStore, StoreStats, Upsert
from strichka.store.media import MediaStore
from strichka.store.sqlite import SQLiteStore

__all__ = ["ArticleStore", "MediaStore", "SQLiteStore", "StoreStats", "Upsert"]
