"""Full-text search over lemmas: index keys, the query language, ranking and snippets."""

from strichka.search.query import MalformedQuery, ParsedQuery, parse_query
from strichka.search.service import SearchResult, index_pending, run_query, search
from strichka.search.terms import Lemmatiser, search_document

__all__ = [
    "Lemmatiser",
    "MalformedQuery",
    "ParsedQuery",
    "SearchResult",
    "index_pending",
    "parse_query",
    "run_query",
    "search",
    "search_document",
]
